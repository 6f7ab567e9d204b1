package plandoc

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// A plan names its industries, clusters and chains in lists closed by a
// head: the list, then 等, a count, role words and a noun.
//
//	重点培育壮大 现代海洋、装备制造、…、现代物流 等 八大 产业
//	聚焦 大数据与新一代信息技术、…、精品钢与先进材料 四大 主导支柱 产业
//	前瞻布局 量子信息、区块链 等 7个 未来 产业
//	先进结构材料 和 生物医药 2个 产业集群 列入国家…
const (
	countPat = `(?:(?:[0-9]+|[零〇一二两三四五六七八九十百]+|X)(?:大|个|类|项|条|家)|若干)`
	qualPat  = `(?:首位|主导|支柱|战略性新兴|战略新兴|新兴|未来|传统|优势|重点|特色|数字|万亿级|千亿级|百亿级|亿级|标志性|高端|前沿|先进|现代|高新技术|国家级|省级|市级|世界级|制造业|细分|生产性|制造|工业|[\p{Han}]{2}型)`
	nounPat  = `(?:产业集群|产业链群|产业链条|产业链|链群|集群|产业|行业|服务业|制造业|赛道|领域)`
	// tiePat ties a list to its head: "…等为主的优势产业链".
	tiePat = `(?:为主|为代表|为重点|为核心|为主导|为引领|为主体|为特色)的?`
)

var (
	headRe = regexp.MustCompile(`(等)?(` + tiePat + `)?(` + countPat + `)?((?:` + qualPat + `)*)(` + nounPat + `)`)
	// weakNouns head a list only when 等 or a count closes it: "制造业",
	// "领域" and "赛道" are too common to stand for a list on their own.
	weakNouns = setOf("服务业", "制造业", "赛道", "领域")
	// nounBreaks follow 产业 where it begins a longer noun (产业园, 产业化),
	// which is no list head; softBreaks do so unless 等 or a count makes
	// the head plain ("等传统产业转型升级").
	nounBreaks = []string{"园", "城", "化", "基地", "链", "区"}
	softBreaks = []string{"体系", "高地", "带", "发展体系", "生态", "结构", "基础", "转型", "工人", "人才", "政策", "项目", "规划", "专项"}
)

// listHead is a head found in the text and the list before it.
type listHead struct {
	a, b   int    // the head, without 等
	count  string // "八大", "21个"; "" when the head has none
	qual   string // role words
	noun   string
	open   bool // 等
	closed bool // the noun ends the head: not 产业高地, 产业体系
	items  []span
	prefix string // the clause before the first item
}

// lists reads every list closed by a head.
func (d *doc) lists() {
	prevEnd := 0
	for _, m := range headRe.FindAllStringSubmatchIndex(d.s, -1) {
		h := listHead{a: m[0], b: m[1], open: m[2] >= 0 || m[4] >= 0, noun: d.s[m[10]:m[11]]}
		switch {
		case m[4] >= 0:
			h.a = m[5]
		case m[2] >= 0:
			h.a = m[3]
		}
		if m[6] >= 0 {
			h.count = d.s[m[6]:m[7]]
		}
		h.qual = d.s[m[8]:m[9]]
		h.closed = !hasPrefixAny(d.s[m[1]:], softBreaks)
		next, _ := utf8.DecodeRuneInString(d.s[m[1]:])
		if weakNouns[h.noun] && (!h.open && h.count == "" || isHan(next) && next != '的') {
			continue // 制造业 only as a whole noun at the clause's end
		}
		// 产业链 that begins a longer noun (产业链龙头企业, 产业链链长) heads a
		// list only with 等 or a count.
		if kindOfNoun(h.noun) == "chain" && !h.open && h.count == "" && isHan(next) && next != '的' {
			continue
		}
		if h.noun == "产业" || h.noun == "行业" {
			rest := d.s[m[1]:]
			if hasPrefixAny(rest, nounBreaks) || !h.open && h.count == "" && hasPrefixAny(rest, softBreaks) {
				continue
			}
		}
		if !h.open && h.count == "" && h.qual == "" {
			continue
		}
		// Followed by a slogan (新兴产业“跃升”) or standing right after a
		// separator, it is an item of a list, not the head of one.
		if !h.open && h.count == "" && (strings.HasPrefix(d.s[m[1]:], "“") || strings.HasSuffix(d.s[:m[0]], "、")) {
			continue
		}
		start := max(d.clauseStart(m[0]), prevEnd)
		want, _ := parseCount(h.count)
		// “2”即A、B等…: the part of an "N+M" group says how many.
		if g := groupPartRe.FindStringSubmatchIndex(d.s[start:m[0]]); g != nil && want == 0 {
			want, _ = parseCount(d.s[start+g[2] : start+g[3]])
			start += g[1]
		}
		end := m[0]
		if m[4] >= 0 && m[2] < 0 {
			end = m[4] // "以A、B为主的…": no 等
		}
		// "以集成电路、人工智能为代表的战略性新兴产业": the list ends before 为代表的.
		for _, w := range []string{"为代表的", "为主的", "为重点的", "为核心的", "为主导的", "为引领的", "为代表", "为主"} {
			if t, ok := strings.CutSuffix(d.s[start:end], w); ok {
				end = start + len(t)
				break
			}
		}
		h.items, h.prefix = d.splitList(start, end, want)
		prevEnd = m[1]
		strong := h.open || h.count != ""
		if !strong {
			// Role words alone close a list of two or more industries.
			n := 0
			for _, it := range h.items {
				if industryLike(d.s[it.a:it.b]) {
					n++
				}
			}
			// One industry right before a role word is designated too:
			// "做大做强X首位产业".
			single := n == 1 && len(h.items) == 1 && h.items[0].b == h.a && roleOf(h.qual) != "" && roleOf(h.qual) != graph.RoleKey &&
				!hasSuffixAny(d.s[h.items[0].a:h.items[0].b], []string{"和", "及", "与", "或"}) &&
				!isHan(next) // the head ends the phrase: not 海洋新兴产业增加值
			if (n < 2 || n < len(h.items)) && !single {
				continue
			}
		}
		d.takeList(h, strong)
	}
}

// splitList splits bytes [a, b) into items, dropping the lead words before
// the first; it returns the items and the words dropped. Items are parted
// by 、; 和 and 及 part them too in the last place ("A、B、C和D") or in a
// list without 、 ("A和B"), but not inside a middle item, which is one
// compound name ("新一代信息技术、新能源汽车和智能网联汽车、高端装备"). want is
// the count the list is stated with (0: none): a split by 、 alone that
// meets it is kept as it is.
func (d *doc) splitList(a, b, want int) ([]span, string) {
	var parts []span
	for i := a; i <= b; {
		k := indexOutside(d.s[i:b], "、")
		if k < 0 {
			parts = append(parts, span{i, b})
			break
		}
		parts = append(parts, span{i, i + k})
		i += k + len("、")
	}
	// The list starts after the last verb that introduces it: "5名班子成员
	// 分别担任焊接、…", "商务、发改、京唐智慧港主要负责同志担任新能源、…".
	for n := len(parts) - 1; n >= 0; n-- {
		p := parts[n]
		if v := lastVerbEnd(d.s[p.a:p.b], introVerbs); v >= 0 {
			parts[n].a = p.a + v
			parts = parts[n:]
			break
		}
	}
	// The last item may run into the list's count: "…、光伏设备制造三条…".
	if last := &parts[len(parts)-1]; len(parts) > 1 {
		if m := itemCountRe.FindStringIndex(d.s[last.a:last.b]); m != nil && m[0] > 0 {
			last.b = last.a + m[0]
		}
	}
	// 和 and 及 part the last item of a list of several ("A、B和C"), or a
	// list of two its count gives ("A和B两个"); inside a single name with
	// no count they join ("新能源汽车和智能网联汽车首位产业").
	if len(parts) > 1 && (want == 0 || len(parts) != want) || len(parts) == 1 && want == 2 {
		last := parts[len(parts)-1]
		parts = append(parts[:len(parts)-1], d.splitAnd(last)...)
	}
	prefix := ""
	var items []span
	for n, p := range parts {
		text := d.s[p.a:p.b]
		// After 的 comes the item: "提出的加快发展先进制造业".
		if k := lastIndexOutside(text, "的"); k >= 0 {
			p.a += k + len("的")
			text = d.s[p.a:p.b]
		}
		// A slogan in quotes after an item is not part of it: 高端软件“铸魂”.
		if strings.HasSuffix(text, "”") {
			if k := strings.LastIndex(text, "“"); k > 0 {
				p.b = p.a + k
				text = d.s[p.a:p.b]
			}
		}
		t := stripLead(text)
		if n == 0 {
			prefix = d.s[d.clauseStart(p.a):p.a] + text[:len(text)-len(t)]
		}
		p.a += len(text) - len(t)
		if p.a < p.b {
			items = append(items, p)
		}
	}
	return items, prefix
}

// introVerbs introduce a list of names; a list item holding one starts
// after it.
var introVerbs = []string{"担任", "发展", "培育", "布局", "打造", "聚焦", "包括", "针对", "推动", "推进", "做强", "做大",
	"壮大", "提升", "改造", "建设", "确立", "确定", "围绕", "依托", "构建", "锻造", "明确", "涵盖", "涉及", "主攻", "瞄准",
	"聚力", "深耕", "抢占", "引进", "招引", "拥有", "已有", "形成", "入选", "获批", "列入", "即"}

// indexOutside is strings.Index of sep in s outside brackets.
func indexOutside(s, sep string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth = max(0, depth-1)
		}
		if depth == 0 && strings.HasPrefix(s[i:], sep) {
			return i
		}
	}
	return -1
}

// lastIndexOutside is strings.LastIndex of sep in s outside brackets.
func lastIndexOutside(s, sep string) int {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			depth = max(0, depth-1)
		}
		if depth == 0 && strings.HasPrefix(s[i:], sep) {
			return i
		}
	}
	return -1
}

// splitAnd parts a span at 和, 及 and 以及.
func (d *doc) splitAnd(p span) []span {
	var out []span
	for i := p.a; ; {
		j, sep := p.b, 0
		for _, s := range []string{"以及", "和", "及"} {
			if k := strings.Index(d.s[i:p.b], s); k >= 0 && i+k < j {
				j, sep = i+k, len(s)
			}
		}
		out = append(out, span{i, j})
		if j == p.b {
			return out
		}
		i = j + sep
	}
}

// takeList turns a list and its head into facts.
func (d *doc) takeList(h listHead, strong bool) {
	kind := kindOfNoun(h.noun)
	role := roleOf(h.qual)
	explicit := role != ""
	if role == "" {
		role = graph.RoleKey
	}
	names, spans := d.listNames(h, strong)
	level, levelExplicit := d.clusterLevel(), false
	if kind == "cluster" {
		if l := d.statedLevel(h.prefix+h.qual, d.s[h.b:d.clauseEnd(h.b)]); l != "" {
			level, levelExplicit = l, true
		}
	}
	// Industries that joined a national or provincial listing are
	// clusters of that level too: "…三大优势产业全部跻身国家队".
	listed := ""
	if kind == "industry" {
		if m := listedAsClusterRe.FindStringSubmatch(d.s[h.b:d.clauseEnd(h.b)]); m != nil {
			listed = "national"
			if strings.HasPrefix(m[1], "省") {
				listed = "provincial"
			}
		}
	}
	for i, name := range names {
		a, b := spans[i].a, spans[i].b
		switch kind {
		case "industry":
			if listed != "" {
				d.addCluster(name, listed, true, a, b)
			}
			if h.closed && exactCount(h.count, len(h.items)) {
				d.addIndustryCounted(name, role, explicit, a, b)
				break
			}
			d.addIndustry(name, role, explicit, a, b)
		case "cluster":
			d.addCluster(name, level, levelExplicit, a, b)
		case "chain":
			d.addChain(name, a, b)
			// A chain list with a role word designates industries too
			// (优势产业链, 未来产业链); 重点 and types such as 卓越型 do not.
			if explicit && role != graph.RoleKey {
				d.addIndustry(name, role, true, a, b)
			}
		}
	}
	d.listGroup(h, kind, role, names, spans)
}

// listNames returns the items of a list that name something, and their
// spans.
func (d *doc) listNames(h listHead, strong bool) ([]string, []span) {
	var names []string
	var spans []span
	for _, it := range h.items {
		name := trimQuotes(d.s[it.a:it.b])
		base, _ := splitQualifier(name)
		base = cleanName(base, "产业集群", "产业链群", "产业链", "集群", "产业", "行业")
		// A list its count closes exactly names each item, even a broad
		// one ("…、先进制造业、数字经济…12个重点产业").
		counted := h.closed && exactCount(h.count, len(h.items)) && genericNames[base] && !roleOnlyRe.MatchString(base)
		if !d.validName(base) && !counted {
			continue
		}
		if (!strong || weakNouns[h.noun] && h.count == "") && !industryLike(name) {
			continue
		}
		if strings.Contains(name, "等") || strings.Contains(name, "在") {
			continue // a phrase, not a name: "5G等新一代信息技术在制造业"
		}
		names = append(names, name)
		spans = append(spans, it)
	}
	// A list of one is taken only when it reads as an industry: a verb
	// phrase before a count ("建立起八大重点产业…") is no item.
	if len(names) == 1 && !industryLike(names[0]) {
		names, spans = nil, nil
	}
	return names, spans
}

// listGroup records the group a list's count states, with the names taken
// from it.
func (d *doc) listGroup(h listHead, kind string, role graph.IndustryRole, names []string, spans []span) {
	if h.count == "" {
		return
	}
	n, ok := parseCount(h.count)
	if !ok {
		return
	}
	gRole := kind
	if kind == "industry" {
		gRole = string(role)
	}
	evA := h.a
	if len(spans) > 0 {
		evA = spans[0].a
	}
	d.addGroup(group{graph.CountedGroup{
		Text: d.s[h.a:h.b], Stated: n, Listed: len(names), Items: names, Role: gRole, Open: h.open,
		Evidence: d.ev(evA, h.b)}, gRole + ":" + h.qual + h.noun,
	})
}

// groupPartRe opens the items of one part of an "N+M" group: “4”即, “2”是.
var groupPartRe = regexp.MustCompile(`“([0-9]+|[一二两三四五六七八九十])”(?:即|是|指|为|:)`)

// exactCount reports whether a list's count states its number of items.
func exactCount(count string, items int) bool {
	n, ok := parseCount(count)
	return ok && n == items && n > 1
}

// kindOfNoun says what a list's noun makes its items: industry, cluster or
// chain.
func kindOfNoun(noun string) string {
	switch noun {
	case "产业集群", "集群":
		return "cluster"
	case "产业链群", "产业链条", "产业链", "链群":
		return "chain"
	}
	return "industry"
}

// statedLevel reads a cluster's level from the words around its list,
// unless the clause only aims for it (争取…进入国家级行列).
func (d *doc) statedLevel(before, after string) string {
	if hasAny(before, aspirational) || hasAny(after, aspirational) {
		return ""
	}
	ctx := before + after
	switch {
	case strings.Contains(ctx, "国家级") || strings.Contains(ctx, "国家"):
		return "national"
	case strings.Contains(ctx, "省级") || strings.Contains(ctx, "省重点"):
		return "provincial"
	case strings.Contains(ctx, "市级") || strings.Contains(ctx, "市重点"):
		return "municipal"
	}
	return ""
}

func hasPrefixAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// Single designations: one industry after a verb of development, one
// cluster after a verb of building, industries set to lead (以…为引领).
var (
	developVerbs = []string{"大力发展", "重点发展", "加快发展", "优先发展", "积极发展", "培育壮大", "发展壮大", "做强做优做大",
		"做大做强做优", "做优做强做大", "做大做强", "做强做大", "做优做强", "做强做优", "大力培育", "重点培育", "加快培育", "壮大"}
	buildVerbs = []string{"打造", "培育", "建设", "形成", "壮大", "做强", "建成", "发展", "支持", "促进"}
	leadRe     = regexp.MustCompile(`为(?:引领|主导|龙头|重点|核心|主体)`)
)

func (d *doc) singles() {
	d.developedIndustries()
	d.builtClusters()
	d.achievingClusters()
	d.leadingIndustries()
}

// developedIndustries reads the object of a verb of development:
// 大力发展节能环保产业 / 大力发展新能源汽车、
func (d *doc) developedIndustries() {
	for _, v := range developVerbs {
		for i := 0; ; {
			k := strings.Index(d.s[i:], v)
			if k < 0 {
				break
			}
			a := i + k + len(v)
			i = a
			b := d.runEnd(a)
			if d.listClosed(a) && (strings.Contains(d.s[a:d.clauseEnd(a)], "、") || hasPrefixAny(d.s[b:], []string{"和", "及"})) {
				continue // the first item of a list read by lists()
			}
			// "加快发展A、B产业": a list with a plain head.
			if strings.HasPrefix(d.s[b:], "、") {
				d.plainList(a)
				continue
			}
			if p := strings.Index(d.s[a:b], "的"); p >= 0 {
				b = a + p // 做强先进制造业的重要抓手: the object ends at 的
			}
			text := d.s[a:b]
			if p := strings.Index(text, "产业"); p >= 0 {
				rest := text[p+len("产业"):]
				if rest != "" && !hasPrefixAny(rest, []string{"发展", "转型"}) {
					continue // 产业 begins a longer noun: 产业园, 产业体系
				}
				text = text[:p]
				b = a + p
			}
			t := stripLead(text)
			a += len(text) - len(t)
			if industryLike(t) {
				d.addIndustry(t, graph.RoleKey, false, a, b)
			}
		}
	}
}

// builtClusters reads a cluster the plan builds:
// 打造国内一流的软件与信息技术服务产业集群
func (d *doc) builtClusters() {
	for i := 0; ; {
		k := strings.Index(d.s[i:], "集群")
		if k < 0 {
			break
		}
		end := i + k
		i = end + len("集群")
		cs := d.clauseStart(end)
		clause := d.s[cs:end]
		vAt := lastVerbEnd(clause, buildVerbs)
		if vAt < 0 {
			continue
		}
		a := cs + vAt
		text := d.s[a:end]
		if p := strings.LastIndex(text, "的"); p >= 0 {
			a += p + len("的")
			text = d.s[a:end]
		}
		for _, sep := range []string{"和", "及", "与"} {
			if p := strings.LastIndex(text, sep); p >= 0 && sep != "与" {
				a += p + len(sep)
				text = d.s[a:end]
			}
		}
		if strings.ContainsAny(text, "、0123456789") {
			continue
		}
		if text = trimQuotes(text); !industryLike(text) && !strings.Contains(d.s[a:end], "“") {
			continue
		}
		name := cleanName(text, "产业")
		if startsWithCount(text) || roleOf(text) != "" && runeLen(name) <= 4 {
			continue
		}
		level, explicit := d.clusterLevel(), false
		if l := d.statedLevel(d.s[cs:a], d.s[i:d.clauseEnd(i)]); l != "" {
			level, explicit = l, true
		}
		d.addCluster(text, level, explicit, a, end)
	}
}

// achievingClusters reads a cluster named as the subject of what it
// achieved: 长春汽车产业集群入选国家先进制造业集群.
func (d *doc) achievingClusters() {
	for i := 0; ; {
		k := strings.Index(d.s[i:], "产业集群")
		if k < 0 {
			break
		}
		end := i + k
		i = end + len("产业集群")
		if !hasPrefixAny(d.s[i:], clusterAchievements) {
			continue
		}
		a := d.nameStart(end, 16)
		if v := lastVerbEnd(d.s[a:end], introVerbs); v >= 0 {
			a += v
		}
		text := stripLead(d.s[a:end])
		a = end - len(text)
		if !industryLike(text) || itemCountRe.MatchString(text) || strings.ContainsAny(text, "0123456789") {
			continue // "医药健康4个产业集群入选": a count closing a list
		}
		level, explicit := d.clusterLevel(), false
		if l := d.statedLevel("", d.s[i:d.clauseEnd(i)]); l != "" {
			level, explicit = l, true
		}
		d.addCluster(text, level, explicit, a, end)
	}
}

// leadingIndustries reads the industries that lead a system:
// 以高端重卡为主体、新能源汽车和智能网联汽车为引领的汽车产业新体系
func (d *doc) leadingIndustries() {
	for _, m := range leadRe.FindAllStringIndex(d.s, -1) {
		cs := d.clauseStart(m[0])
		yi := strings.LastIndex(d.s[cs:m[0]], "以")
		if yi < 0 {
			continue
		}
		a := cs + yi + len("以")
		if k := strings.LastIndex(d.s[a:m[0]], "、"); k >= 0 {
			a += k + len("、")
		}
		items, _ := d.splitList(a, m[0], 0)
		for _, it := range items {
			if t := d.s[it.a:it.b]; industryLike(t) && !strings.Contains(t, "为") {
				d.addIndustry(t, graph.RoleKey, false, it.a, it.b)
			}
		}
	}
}

// plainList reads a list after a verb of development that ends with a
// plain 产业 or 行业 and no 等 or count: "加快发展高性能氟硅新材料、高端电子
// 专用材料产业". Every item must read as an industry.
func (d *doc) plainList(a int) {
	end := d.clauseEnd(a)
	text := d.s[a:end]
	k := strings.LastIndex(text, "产业")
	if k < 0 || k+len("产业") != len(text) {
		return
	}
	items, _ := d.splitList(a, a+k, 0)
	if len(items) < 2 {
		return
	}
	for _, it := range items {
		if !industryLike(d.s[it.a:it.b]) || !d.validName(d.s[it.a:it.b]) {
			return
		}
	}
	for _, it := range items {
		d.addIndustry(d.s[it.a:it.b], graph.RoleKey, false, it.a, it.b)
	}
}

// listedAsClusterRe follows a list of industries that joined a listing of
// clusters: 跻身国家队, 入选国家先进制造业集群, 获批省级战略性新兴产业集群.
var listedAsClusterRe = regexp.MustCompile(`^(?:全部|均|都|先后|成功|已)*(?:跻身|入选|进入|获批|列入|晋级)(国家队|国家级|国家先进制造业集群|国家战略性新兴产业集群|省级[\p{Han}]{0,10}集群)`)

// clusterAchievements follow a cluster that is listed or recognised.
var clusterAchievements = []string{"入选", "获批", "列入", "成功入选", "被认定", "被评为", "获评", "跻身", "进入", "晋级"}

// listClosed reports whether the clause from byte a is closed by a list
// head with 等 or a count ("…、智能终端等20个产业集群").
func (d *doc) listClosed(a int) bool {
	for _, m := range headRe.FindAllStringSubmatchIndex(d.s[a:d.clauseEnd(a)], -1) {
		if m[2] >= 0 || m[4] >= 0 || m[6] >= 0 || roleOf(d.s[a+m[8]:a+m[9]]) != "" {
			return true // 等, 为主的, a count, or a role word: "…首位产业"
		}
	}
	return false
}

// runEnd returns the end of the run of name characters from byte a: up to a
// delimiter, a list separator or a quote.
func (d *doc) runEnd(a int) int {
	for i, r := range d.s[a:] {
		if strings.ContainsRune(clauseDelims+"、“”\"", r) || r == '和' || r == '及' || r == ' ' {
			return a + i
		}
	}
	return len(d.s)
}

// Lists of names each with a slogan or product in quotes:
//
//	统筹实施高端软件“铸魂”、集成电路“强芯”…等专项工程  → industries
//	中集“蓝鲸2号”、荣昌“红斑狼疮新药”等一批关键技术    → firms
var sloganRe = regexp.MustCompile(`([\p{Han}A-Za-z0-9]{2,12})“([^“”\n]{1,10})”`)

// projectNouns follow a list of industries with their programme names;
// achievementNouns follow a list of firms with what they made.
var (
	projectNouns     = []string{"工程", "行动", "计划", "攻坚"}
	achievementNouns = []string{"技术", "产品", "成果", "新药", "装备", "项目", "专利", "突破", "首台"}
)

func (d *doc) slogans() {
	ms := sloganRe.FindAllStringSubmatchIndex(d.s, -1)
	for i := 0; i < len(ms); {
		j := i + 1
		for j < len(ms) && d.s[ms[j-1][1]:ms[j][0]] == "、" {
			j++
		}
		group := ms[i:j]
		i = j
		if len(group) < 2 {
			continue
		}
		end := group[len(group)-1][1]
		after := d.s[end:d.clauseEnd(end)]
		if !strings.HasPrefix(after, "等") {
			continue
		}
		toIndustry := hasAny(after, projectNouns)
		toFirm := hasAny(after, achievementNouns)
		for _, m := range group {
			a, b := m[2], m[3]
			name := d.s[a:b]
			t := stripLead(name)
			a += len(name) - len(t)
			switch {
			case toIndustry && industryLike(t):
				d.addIndustry(t, graph.RoleKey, false, a, b)
			case toFirm && !toIndustry && !industryLike(t) && runeLen(t) <= 8:
				d.addFirm(t, a, b)
			}
		}
	}
}

// Counted abbreviations: “2+4”产业集群, “4+10+17”产业链群体系, “四园两区”,
// “五能一网”.
var (
	sumAbbrevRe = regexp.MustCompile(`“([0-9]+(?:\+[0-9]+)+)”`)
	cnAbbrevRe  = regexp.MustCompile(`“((?:[一二两三四五六七八九十][\p{Han}]){2,5})”`)
)

func (d *doc) abbreviations() {
	for _, m := range sumAbbrevRe.FindAllStringSubmatchIndex(d.s, -1) {
		total := 0
		for _, p := range strings.Split(d.s[m[2]:m[3]], "+") {
			n, _ := parseCount(p)
			total += n
		}
		after := d.s[m[1]:d.clauseEnd(m[1])]
		role := ""
		for _, gn := range groupNouns {
			if strings.HasPrefix(after, gn.word) {
				role = gn.kind
				break
			}
		}
		if role == "" || role == "indicator" || role == "task" {
			continue
		}
		if role == "industry" {
			role = string(graph.RoleKey)
		}
		d.addGroup(group{graph.CountedGroup{Text: d.s[m[0]:m[1]], Stated: total, Role: role, Evidence: d.ev(m[0], m[1])},
			role + ":" + d.s[m[0]:m[1]]})
	}
	for _, m := range cnAbbrevRe.FindAllStringSubmatchIndex(d.s, -1) {
		abbr := []rune(d.s[m[2]:m[3]])
		want := map[rune]int{}
		total := 0
		for k := 0; k+1 < len(abbr); k += 2 {
			n, _ := parseCount(string(abbr[k]))
			want[abbr[k+1]] += n
			total += n
		}
		g := group{graph.CountedGroup{Text: d.s[m[0]:m[1]], Stated: total, Evidence: d.ev(m[0], m[1])}, "abbr:" + d.s[m[2]:m[3]]}
		// The items stand right before it, each ending with its letter
		// (储能、…、先进电网“五能一网”) …
		items, _ := d.splitList(d.clauseStart(m[0]), m[0], total)
		items = splitRunTogether(d.s, items, want)
		var names []string
		for _, it := range items {
			t := trimQuotes(d.s[it.a:it.b])
			r := []rune(t)
			if len(r) < 2 || want[r[len(r)-1]] == 0 || !d.validName(t) {
				continue
			}
			names = append(names, t)
		}
		if len(names) >= 2 {
			// Items counted by an abbreviation that an industry follows
			// ("…先进电网“五能一网”的新能源装备产业") are industries; others
			// (两港三站: ports and stations) are no group of the plan's.
			after := d.s[m[1]:d.clauseEnd(m[1])]
			if !strings.Contains(after, "产业") {
				continue
			}
			role := graph.RoleKey
			if r := roleOf(after); r != "" {
				role = r
			}
			for _, it := range items {
				t := trimQuotes(d.s[it.a:it.b])
				if r := []rune(t); len(r) >= 2 && want[r[len(r)-1]] > 0 {
					d.addIndustry(t, role, false, it.a, it.b)
				}
			}
			g.Role, g.Items, g.Listed = string(role), names, len(names)
		} else {
			// … or they are named in the same sentence, as parks (四园两区)
			// are matched later, in finish.
			g.Role = "park?"
		}
		d.addGroup(g)
	}
}

// splitRunTogether splits an item that runs two items together for want
// of a 、 (氢能先进电网 → 氢能, 先进电网) when the abbreviation counts one
// letter more often than the items end with it.
func splitRunTogether(s string, items []span, want map[rune]int) []span {
	have := map[rune]int{}
	for _, it := range items {
		r := []rune(s[it.a:it.b])
		if len(r) > 0 {
			have[r[len(r)-1]]++
		}
	}
	var out []span
	for _, it := range items {
		r := []rune(s[it.a:it.b])
		split := false
		for k := 1; k < len(r)-2; k++ {
			if c := r[k]; have[c] < want[c] && want[r[len(r)-1]] > 0 {
				cut := it.a + len(string(r[:k+1]))
				out = append(out, span{it.a, cut}, span{cut, it.b})
				have[c]++
				split = true
				break
			}
		}
		if !split {
			out = append(out, it)
		}
	}
	return out
}

// chainPhrases reads single chains: "打造/完善 X产业链". When X names
// parts (整车及零部件) rather than an industry, the chain is the industry
// the sentence is about (抢抓新能源汽车发展机遇,完善整车及零部件产业链条).
var chainVerbs = []string{"打造", "完善", "延伸", "培育", "构建", "做强", "壮大", "建强", "补齐", "拉长", "锻造", "提升", "打通"}
var partWords = []string{"零部件", "整车", "上下游", "配套", "全产业", "关键"}

func (d *doc) chainPhrases() {
	for i := 0; ; {
		k := strings.Index(d.s[i:], "产业链")
		if k < 0 {
			break
		}
		at := i + k
		i = at + len("产业链")
		rest := d.s[i:]
		if r, _ := utf8.DecodeRuneInString(rest); isHan(r) && r != '条' {
			continue // 产业链群, 产业链现代化, 产业链供应链: not a chain's name
		}
		cs := d.clauseStart(at)
		clause := d.s[cs:at]
		vAt := lastVerbEnd(clause, chainVerbs)
		if vAt < 0 {
			continue
		}
		a := cs + vAt
		text := d.s[a:at]
		if strings.ContainsAny(text, "、“”0123456789") || strings.Contains(text, "的") {
			continue
		}
		switch {
		case text != "" && hasAny(text, partWords) || text == "":
			if text == "" && !strings.HasPrefix(rest, "条") {
				continue
			}
			// The industry named last before it in the sentence.
			sent := d.sentenceAt(at)
			best, bestAt := "", -1
			for _, in := range d.out.Industries {
				if p := strings.LastIndex(d.s[sent.a:at], in.Name); p >= 0 && p > bestAt {
					best, bestAt = in.Name, p
				}
			}
			if best != "" {
				d.addChain(best, a, at+len("产业链"))
			}
		case industryLike(text) && roleOf(text) == "":
			d.addChain(text, a, at)
		}
	}
}

// lastVerbEnd returns where the last of the verbs in a clause ends, or -1:
// the name a verb introduces starts there.
func lastVerbEnd(clause string, verbs []string) int {
	end := -1
	for _, v := range verbs {
		if p := strings.LastIndex(clause, v); p >= 0 && p+len(v) > end {
			end = p + len(v)
		}
	}
	return end
}
