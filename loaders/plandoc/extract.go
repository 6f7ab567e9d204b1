// Package plandoc reads Chinese plan documents — industrial plans (规划),
// action plans (行动计划), work plans (工作方案) and official explanations
// (解读) — and extracts their facts: the plan's title, issuer, date, period
// and region; the industries it designates and their roles; clusters,
// chains, parks and firms it names; its indicators and targets; the groups
// it counts ("八大产业") and where its counts disagree. Every fact keeps its
// evidence: the span of the original text it was read from and the
// sentence around it.
//
// The rules are the language of Chinese plans — list patterns, counters,
// role words, unit words, the kinds of parks (lexicon.go) — so they carry
// to plans of any province. Extraction needs no store; resolving the
// plan's region needs a table of regions (Options.Regions), which
// *graph.Index provides.
package plandoc

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// Regions is what extraction needs to place a plan: region names found in
// a text, and regions by code. *graph.Index satisfies it.
type Regions interface {
	RegionMentions(text string) []readmodel.RegionMention
	RegionsNamed(name string) []graph.RegionCode
	Region(c graph.RegionCode) (graph.Region, bool)
}

// Options tune extraction.
type Options struct {
	// Region is the plan's region as the user gives it; it wins over what
	// the text says. Empty: the region is read from the text.
	Region graph.RegionCode
	// Regions resolves region names; nil leaves the region unresolved
	// unless Region is given.
	Regions Regions
}

// Evidence is where a fact was read: graph's Evidence, with the words the
// fact was read from (Quote) and their span in runes of the original
// document (Start, End), the sentence around them (Text), and the span in
// characters of the normalised text (Document.NormText) the page shows
// (NormStart, NormEnd). Plan and N are the loader's to number.
type Evidence = graph.Evidence

// Region is the region a plan is for, and how it was found: given (by the
// user), index (the 索引号 names the issuing organ's credit code), issuer,
// named (in the title), context (the region the text names most).
type Region struct {
	Code     graph.RegionCode
	Name     string
	Level    graph.RegionLevel
	Method   string
	Evidence *Evidence
}

// group is a counted group while the document is read, with what it
// counts (role words and noun), which tells two statements of one group.
type group struct {
	graph.CountedGroup
	key string
}

// Document is what a plan document says.
type Document struct {
	Document       string // the file's base name
	Format         Format
	Encoding       string
	Title          string
	TitleEvidence  *Evidence
	Issuer         string
	IssuerEvidence *Evidence
	// Published is the plan's date: the date it was issued (印发, 批复) when
	// the text gives it, else the page's date (and a note says so).
	Published string // YYYY-MM-DD, YYYY-MM or YYYY
	// PageDate is the date of the page the text was read from (a news
	// report's or a mirror site's repost date), kept apart from the plan's.
	PageDate string
	Period   string // "2021-2025"
	// NormText is the text the facts were read from: simplified, with
	// pinyin, broken characters and markup removed. Evidence spans index
	// it (NormStart, NormEnd) as well as the original (Start, End).
	NormText string
	Region   *Region
	// The facts, as graph's plan parts with their evidence; the loader
	// numbers them (Plan, N). Industries and Chains are designations (a
	// chain's role is graph.RoleChain), Parks and Firms mentions.
	Industries    []graph.Designation
	Clusters      []graph.Cluster
	Chains        []graph.Designation
	Parks         []graph.Mention
	Firms         []graph.Mention
	Indicators    []graph.Indicator // with a value
	MissingValues []graph.Indicator // the page lost the number
	// CountedGroups are the groups the plan counts; a conflict's Groups
	// are indexes into them (the N the loader gives them).
	CountedGroups []graph.CountedGroup
	Conflicts     []graph.Conflict
	Notes         []string // what the extraction could not tell
}

// Extract reads the facts of a document.
func Extract(t *Text, opt Options) (*Document, error) {
	n, err := Normalise(t)
	if err != nil {
		return nil, err
	}
	d := &doc{n: n, s: n.Text, opt: opt, titleAt: -1, issuerAt: -1, explicit: map[string]bool{},
		out: &Document{Document: t.Name, Format: t.Format, Encoding: t.Encoding}}
	d.sentences()
	d.meta(t.TitleHint)
	d.region()
	d.lists()
	d.headFirst()
	d.numberedLists()
	d.nounItems()
	d.subjectRuns()
	d.singles()
	d.slogans()
	d.abbreviations()
	d.chainPhrases()
	d.parks()
	d.firms()
	d.countedNumbers()
	d.indicators()
	d.finish()
	d.out.NormText = n.Text
	return d.out, nil
}

// doc is a document under extraction.
type doc struct {
	n     *Norm
	s     string // the normalised text
	opt   Options
	out   *Document
	sents []span // sentences of s, in order
	// year is the document's own year, from its date, for relative years (今年).
	year int
	// titleAt and issuerAt are the byte offsets of the title and issuer in
	// the text, -1 when they are not read from it.
	titleAt, issuerAt int
	// explicit tells an industry's role or a cluster's level stated by
	// the plan's words from a default ("industry:"+name, "cluster:"+name).
	explicit map[string]bool
	// groups are the counted groups, with their keys, till finish.
	groups []group
}

// span is a byte range of the normalised text.
type span struct{ a, b int }

// sentences splits the text at sentence ends and line breaks.
func (d *doc) sentences() {
	start := 0
	for i, r := range d.s {
		if r == '\n' || r == '。' || r == '!' || r == '?' {
			end := i + len(string(r))
			if r == '\n' {
				end = i
			}
			if strings.TrimSpace(d.s[start:end]) != "" {
				d.sents = append(d.sents, span{start, end})
			}
			start = i + len(string(r))
		}
	}
	if strings.TrimSpace(d.s[start:]) != "" {
		d.sents = append(d.sents, span{start, len(d.s)})
	}
}

// sentenceAt returns the sentence holding byte offset o.
func (d *doc) sentenceAt(o int) span {
	i := sort.Search(len(d.sents), func(i int) bool { return d.sents[i].b > o })
	if i < len(d.sents) && d.sents[i].a <= o {
		return d.sents[i]
	}
	return span{o, o}
}

// ev builds the evidence of bytes [a, b) of the normalised text.
func (d *doc) ev(a, b int) *Evidence {
	st, en, text := d.n.Raw(a, b)
	s := d.sentenceAt(a)
	if s.b < b {
		s.b = b
	}
	// A "sentence" of a text without stops is cut to the words around.
	if s.a < a-maxSentence {
		s.a = d.clauseStart(a)
	}
	if s.b > b+maxSentence {
		s.b = d.clauseEnd(b)
	}
	_, _, sent := d.n.Raw(s.a, s.b)
	return &Evidence{Start: st, End: en, Quote: text, Text: strings.TrimSpace(sent),
		NormStart: d.n.runeIndex(a), NormEnd: d.n.runeIndex(b)}
}

// maxSentence bounds, in bytes, the sentence kept as evidence on either
// side of the words a fact was read from.
const maxSentence = 1500

// clauseDelims end a clause: a list, a name or an indicator's subject does
// not run across them.
const clauseDelims = ",;:。!?\n\t()《》"

// maxClause bounds, in bytes, how far a clause is looked for around a
// position: a text without delimiters is no clause, and unbounded searches
// would make long texts quadratic.
const maxClause = 600

// clauseStart returns the start of the clause holding byte offset o: just
// after the last clause delimiter before o. A short bracket that qualifies
// a name (工程机械(含农用机械)) is part of the clause, not its end.
func (d *doc) clauseStart(o int) int {
	lo := max(0, o-maxClause)
	for lo > 0 && lo < len(d.s) && !utf8.RuneStart(d.s[lo]) {
		lo++
	}
	for hi := o; ; {
		i := strings.LastIndexAny(d.s[lo:hi], clauseDelims)
		if i < 0 {
			return lo
		}
		if d.s[lo+i] == ')' {
			if open := d.qualifierOpen(lo + i); open >= lo {
				hi = open
				continue
			}
		}
		_, n := utf8.DecodeRuneInString(d.s[lo+i:])
		return lo + i + n
	}
}

// clauseEnd returns the end of the clause holding byte offset o.
func (d *doc) clauseEnd(o int) int {
	hi := min(len(d.s), o+maxClause)
	for hi < len(d.s) && !utf8.RuneStart(d.s[hi]) {
		hi--
	}
	for lo := o; ; {
		i := strings.IndexAny(d.s[lo:hi], clauseDelims)
		if i < 0 {
			return hi
		}
		if d.s[lo+i] == '(' {
			if end := d.qualifierClose(lo + i); end > 0 && end < hi {
				lo = end
				continue
			}
		}
		return lo + i
	}
}

// maxQualifier bounds, in bytes, a bracket that qualifies a name.
const maxQualifier = 60

// qualifierOpen returns the '(' that opens the bracket closed at byte c
// when the bracket qualifies the name before it: short, after a name
// character, with no clause inside. Otherwise -1.
func (d *doc) qualifierOpen(c int) int {
	lo := max(0, c-maxQualifier)
	k := strings.LastIndexByte(d.s[lo:c], '(')
	if k < 0 {
		return -1
	}
	open := lo + k
	if !d.qualifierAt(open, c) {
		return -1
	}
	return open
}

// qualifierClose returns the byte after the ')' closing the bracket opened
// at byte o, when the bracket qualifies a name; otherwise -1.
func (d *doc) qualifierClose(o int) int {
	hi := min(len(d.s), o+maxQualifier)
	k := strings.IndexByte(d.s[o:hi], ')')
	if k < 0 {
		return -1
	}
	if !d.qualifierAt(o, o+k) {
		return -1
	}
	return o + k + 1
}

func (d *doc) qualifierAt(open, close int) bool {
	inner := d.s[open+1 : close]
	if inner == "" || strings.ContainsAny(inner, ",;:。!?\n()《》") {
		return false
	}
	prev, _ := utf8.DecodeLastRuneInString(d.s[:open])
	return isHan(prev)
}

// addIndustry records an industry, once per name: a role stated by a role
// word replaces a default one.
func (d *doc) addIndustry(name string, role graph.IndustryRole, explicit bool, a, b int) {
	d.addIndustryOf(name, role, explicit, a, b, false)
}

// addIndustryCounted records an industry of a list its count closes
// exactly: a broad name (先进制造业, 数字经济) counts there as an item.
func (d *doc) addIndustryCounted(name string, role graph.IndustryRole, explicit bool, a, b int) {
	d.addIndustryOf(name, role, explicit, a, b, true)
}

func (d *doc) addIndustryOf(name string, role graph.IndustryRole, explicit bool, a, b int, counted bool) {
	name, note := splitQualifier(name)
	name = cleanName(name, "产业", "行业")
	broad := counted && genericNames[name] && !roleOnlyRe.MatchString(name) && nameChars(name)
	if !d.validName(name) && !broad || strings.Contains(name, "集群") || strings.Contains(name, "产业链") {
		return
	}
	for i, in := range d.out.Industries {
		if in.Name == name {
			if explicit && !d.explicit["industry:"+name] {
				d.out.Industries[i].Role, d.explicit["industry:"+name] = role, true
				d.out.Industries[i].Evidence = d.ev(a, b)
			}
			return
		}
	}
	d.out.Industries = append(d.out.Industries, graph.Designation{Name: name, Role: role, Note: note, Evidence: d.ev(a, b)})
	d.explicit["industry:"+name] = explicit
}

// addCluster records a cluster once per name; a stated level replaces a
// default one.
func (d *doc) addCluster(name, level string, explicit bool, a, b int) {
	name, note := splitQualifier(name)
	name = d.clusterName(name)
	if !d.validName(name) {
		return
	}
	for i, c := range d.out.Clusters {
		if c.Name == name {
			if explicit && !d.explicit["cluster:"+name] {
				d.out.Clusters[i].Level, d.explicit["cluster:"+name] = level, true
			}
			return
		}
	}
	d.out.Clusters = append(d.out.Clusters, graph.Cluster{Name: name, Level: level, Note: note, Evidence: d.ev(a, b)})
	d.explicit["cluster:"+name] = explicit
}

func (d *doc) addChain(name string, a, b int) {
	name, note := splitQualifier(name)
	name = d.stripRegion(cleanName(name, "产业链群", "产业链条", "产业链", "链群", "产业"))
	if !d.validName(name) {
		return
	}
	ev := d.ev(a, b)
	if !slices.ContainsFunc(d.out.Chains, func(c graph.Designation) bool { return c.Name == name }) {
		d.out.Chains = append(d.out.Chains, graph.Designation{Name: name, Role: graph.RoleChain, Note: note, Evidence: ev})
	}
}

// addPark records a park, once per name.
func (d *doc) addPark(name, kind string, a, b int) {
	d.out.Parks = addMention(d.out.Parks, graph.Mention{Kind: graph.MentionPark, Name: name, ParkKind: kind, Evidence: d.ev(a, b)})
}

func addMention(list []graph.Mention, m graph.Mention) []graph.Mention {
	if slices.ContainsFunc(list, func(x graph.Mention) bool { return x.Name == m.Name }) {
		return list
	}
	return append(list, m)
}

// cleanName trims quotes and lead words from a name, and one of the given
// suffixes when something is left before it.
func cleanName(name string, suffixes ...string) string {
	name = stripLead(trimQuotes(name))
	for _, s := range suffixes {
		if t, ok := strings.CutSuffix(name, s); ok && runeLen(t) >= 2 {
			return t
		}
	}
	return name
}

// validName reports whether a list item or name is a specific name: made
// of name characters, not too short or long, not a category word, not an
// action.
func (d *doc) validName(name string) bool {
	n := runeLen(name)
	if n == 1 && oneCharIndustries[name] {
		return true
	}
	if n < 2 || n > 16 || !nameChars(name) || genericNames[name] || roleOnlyRe.MatchString(name) {
		return false
	}
	if hasSuffixAny(name, verbTails) {
		return false
	}
	// A count inside is a group, not a name ("两大主导").
	return !startsWithCount(name)
}

// startsWithCount reports whether s starts with a number and a counter
// ("四大", "21个", "两个").
func startsWithCount(s string) bool {
	i := 0
	for _, r := range s {
		if r >= '0' && r <= '9' || strings.ContainsRune(cnDigits+"十百千", r) {
			i += len(string(r))
			continue
		}
		break
	}
	if i == 0 {
		return false
	}
	rest := s[i:]
	return hasPrefixAny(rest, []string{"大", "个", "类", "项", "家", "条", "支", "名", "套", "批", "种", "座", "位", "张"})
}

// clusterTypeWords name the type of a cluster rather than its industry
// (绿色石化先进制造业集群, 光芯屏端网世界级数字产业集群); levelWords and
// quantifiers lead a cluster's name without being part of it.
var (
	clusterTypeWords = []string{"先进制造业", "战略性新兴产业", "战略性新兴", "中小企业特色产业", "中小企业特色", "特色产业",
		"数字产业", "制造业", "数字", "世界级", "国家级", "省级", "市级", "万亿级", "千亿级", "五千亿级", "百亿级", "产业"}
	clusterLeadWords = sortLongestFirst([]string{"世界级", "国家级", "国家", "省级", "市级", "国际", "全国", "若干", "一批", "多个",
		"万亿级", "千亿级", "五千亿级", "百亿级", "具有国际竞争力的", "具有全球影响力的"})
)

// clusterName normalises a cluster's name: without the generic noun, the
// type words after the industry, level words and a region's name before it.
func (d *doc) clusterName(name string) string {
	name = cleanName(name, "产业集群", "集群", "产业")
	for changed := true; changed; {
		changed = false
		for _, w := range clusterTypeWords {
			if t, ok := strings.CutSuffix(name, w); ok && runeLen(t) >= 2 {
				name, changed = t, true
			}
		}
		for _, w := range clusterLeadWords {
			if t, ok := strings.CutPrefix(name, w); ok && runeLen(t) >= 2 {
				name, changed = t, true
			}
		}
		if t := d.stripRegion(name); t != name {
			name, changed = t, true
		}
		name = trimQuotes(name)
	}
	if slices.Contains(clusterLeadWords, name) || slices.Contains(clusterTypeWords, name) || d.isRegionName(name) {
		return "" // no industry is left: "国家先进制造业集群", "若干先进制造业集群"
	}
	return name
}

// isRegionName reports whether a name is a region's name and nothing more.
func (d *doc) isRegionName(name string) bool {
	if d.opt.Regions == nil {
		return false
	}
	ms := d.opt.Regions.RegionMentions(name)
	return len(ms) == 1 && ms[0].Start == 0 && ms[0].End == len(name)
}

// stripRegion drops a region's name that leads a name (湖北光芯屏端网 →
// 光芯屏端网) when enough is left to be a name of its own.
func (d *doc) stripRegion(name string) string {
	if d.opt.Regions == nil {
		return name
	}
	ms := d.opt.Regions.RegionMentions(name)
	if len(ms) == 0 || ms[0].Start != 0 {
		return name
	}
	if rest := name[ms[0].End:]; runeLen(rest) >= 2 && !genericNames[rest] {
		return rest
	}
	return name
}
