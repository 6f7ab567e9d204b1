package plandoc

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

var (
	titleRe = regexp.MustCompile(`《([^《》\n]{2,80})》`)
	// planWords end the title of a plan document.
	planWords = []string{"规划", "计划", "方案", "纲要", "意见", "办法", "措施", "政策", "通知", "决定", "行动", "要点", "解读", "指南", "细则", "条例", "规定"}
	// titleLeads stand before a plan's own title where a page introduces it.
	titleLeads = []string{"关于", "印发", "发布", "解读", "出台", "编制", "制定", "印发了", "发布了"}
	// navWords mark a line of page furniture, not a headline.
	navWords = []string{"首页", "当前位置", "您的位置", "当前的位置", "来源", "发布时间", "发布日期", "访问", "字号", "编辑", "索引号", "分享", "打印", "关闭", "浏览"}

	labelIssuerRe = regexp.MustCompile(`(?:发布机构|发文机关|发文单位|发布单位|制发机关|发布部门)\s*:\s*([\p{Han}()]{2,30})`)
	issuedRe      = regexp.MustCompile(`([\p{Han}]{2,30}?)(?:批复)?(?:联合)?(?:印发|发布|出台|制定)了?《$`)
	orgSuffixes   = []string{"人民政府", "政府办公厅", "政府办公室", "办公厅", "办公室", "委员会", "管委会", "政府", "局", "厅", "委", "部", "办", "中心"}

	labelDateRe = regexp.MustCompile(`(?:发布日期|发布时间|日期|时间)\s*:?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})`)
	dateRe      = regexp.MustCompile(`(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})`)
	fypRe       = regexp.MustCompile(`十([一二三四五六七八九])五`)
	yearRangeRe = regexp.MustCompile(`((?:19|20)\d{2})\s*[-—–~至到]\s*((?:19|20)\d{2})`)
	yearRe      = regexp.MustCompile(`((?:19|20)\d{2})`)
	indexNoRe   = regexp.MustCompile(`索引号\s*:?\s*([0-9A-Z]{18})`)
)

// fypYears returns the years of the n-th five-year plan (十一五 2006–2010,
// 十四五 2021–2025); only plans from the eleventh on are dated this way.
func fypYears(n int) (int, int) {
	from := 2006 + (n-11)*5
	return from, from + 4
}

var cnSmall = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// meta reads the title, issuer, date and period.
func (d *doc) meta(hint string) {
	d.title(hint)
	d.issuer()
	d.published()
	d.period()
}

// title reads the plan's title: the plan name the text cites most, else
// the container's title (hint), else a headline near the top.
func (d *doc) title(hint string) {
	if name, at, ok := d.citedTitle(); ok {
		d.out.Title = name
		d.titleAt = at[0] + len("《")
		d.out.TitleEvidence = d.ev(d.titleAt, at[1]-len("》"))
		return
	}
	if hint = strings.TrimSpace(hint); hint != "" {
		// The container's title, normalised like the text.
		if n, err := Normalise(&Text{Raw: hint}); err == nil {
			hint = strings.TrimSpace(n.Text)
		}
		d.out.Title = noticeOf(hint)
		return
	}
	if d.headlineTitle() {
		return
	}
	d.out.Notes = append(d.out.Notes, "the document states no title")
}

// citedTitle returns the plan name in 《》 the text cites most, and where
// (《 to 》), scored by place (the page's header, after a lead word), by
// an abbreviation it introduces, against the umbrella five-year plan; ok
// is false when none scores 3.
func (d *doc) citedTitle() (string, [2]int, bool) {
	type cand struct {
		name  string
		score int
		at    [2]int
	}
	var cands []*cand
	alias := map[string]string{} // 专项规划 → 济南市工业和信息化“十四五”发展规划
	get := func(name string, at [2]int) *cand {
		for _, c := range cands {
			if c.name == name {
				return c
			}
		}
		c := &cand{name: name, at: at}
		cands = append(cands, c)
		return c
	}
	for _, m := range titleRe.FindAllStringSubmatchIndex(d.s, -1) {
		name := d.s[m[2]:m[3]]
		if !hasSuffixAny(name, planWords) {
			continue
		}
		c := get(name, [2]int{m[0], m[1]})
		c.score++
		if m[0] < 300 {
			c.score += 3 // in the page's header
		}
		after := d.s[m[1]:min(len(d.s), m[1]+60)]
		for _, p := range []string{"(以下简称", "(简称"} {
			if rest, ok := strings.CutPrefix(after, p); ok {
				c.score += 3
				if am := titleRe.FindStringSubmatch(rest); am != nil && strings.HasPrefix(rest, am[0]) {
					alias[am[1]] = name
				}
			}
		}
		if hasSuffixAny(d.s[max(0, m[0]-12):m[0]], titleLeads) {
			c.score++
		}
		if strings.Contains(name, "国民经济和社会发展") {
			c.score -= 2 // the umbrella five-year plan, cited as the parent
		}
	}
	// A short name counts for the full one it abbreviates.
	var kept []*cand
	for _, c := range cands {
		if full, ok := alias[c.name]; ok && full != c.name {
			get(full, c.at).score += c.score
			continue
		}
		kept = append(kept, c)
	}
	cands = slices.DeleteFunc(kept, func(c *cand) bool { _, short := alias[c.name]; return short })
	slices.SortStableFunc(cands, func(a, b *cand) int { return b.score - a.score })
	if len(cands) == 0 || cands[0].score < 3 {
		return "", [2]int{}, false
	}
	return cands[0].name, cands[0].at, true
}

// headlineTitle takes a headline near the top as the title: a line of
// Chinese with no sentence end. It reports whether it found one.
func (d *doc) headlineTitle() bool {
	lines, off := 0, 0
	for _, l := range strings.SplitAfter(d.s, "\n") {
		if lines >= 10 {
			break
		}
		lines++
		t := strings.TrimSpace(l)
		n := utf8.RuneCountInString(t)
		if n >= 6 && n <= 60 && !strings.ContainsAny(t, "。:") && !hasAny(t, navWords) && hanShare(t) >= 0.5 {
			a := off + strings.Index(l, t)
			// "X关于印发Y的通知": the plan is Y, X issued it.
			if m := noticeRe.FindStringSubmatchIndex(t); m != nil {
				if d.issuerAt < 0 && hasSuffixAny(t[m[2]:m[3]], orgSuffixes) {
					d.setIssuer(a+m[2], a+m[3])
				}
				a, t = a+m[4], t[m[4]:m[5]]
			}
			d.out.Title = t
			d.titleAt = a
			d.out.TitleEvidence = d.ev(a, a+len(t))
			return true
		}
		off += len(l)
	}
	return false
}

// noticeRe matches the title of a notice that issues a plan.
var noticeRe = regexp.MustCompile(`^([\p{Han}]*?)关于印发(.+)的通知$`)

// noticeOf returns the plan a notice's title issues, or the title.
func noticeOf(t string) string {
	if m := noticeRe.FindStringSubmatch(t); m != nil {
		return trimQuotes(m[2])
	}
	return t
}

func hanShare(s string) float64 {
	han, all := 0, 0
	for _, r := range s {
		if r == ' ' {
			continue
		}
		all++
		if isHan(r) {
			han++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(han) / float64(all)
}

func (d *doc) issuer() {
	if m := labelIssuerRe.FindStringSubmatchIndex(d.s); m != nil {
		// The organ's name ends with its kind (局, 委, 办公厅 …); a label
		// run into it ends there.
		b := m[3]
		for end := m[3]; end > m[2]; {
			if hasSuffixAny(d.s[m[2]:end], orgSuffixes) {
				b = end
				break
			}
			_, sz := utf8.DecodeLastRuneInString(d.s[m[2]:end])
			end -= sz
		}
		d.setIssuer(m[2], b)
		return
	}
	for i := 0; ; {
		k := strings.Index(d.s[i:], "《")
		if k < 0 {
			break
		}
		at := i + k
		i = at + len("《")
		off := max(0, at-100) // an organ's name and the verb: at most 30 characters
		for off > 0 && !utf8.RuneStart(d.s[off]) {
			off++
		}
		m := issuedRe.FindStringSubmatchIndex(d.s[off:i])
		if m == nil {
			continue
		}
		// The organ is the tail of the run that ends with an organ's suffix.
		run := strings.TrimSuffix(d.s[off+m[2]:off+m[3]], "关于")
		a := off + m[2]
		end := a + len(run)
		for {
			t := strings.TrimLeft(run, "日月年经由近时")
			t = stripLead(t)
			if t == run {
				break
			}
			a += len(run) - len(t)
			run = t
		}
		if hasSuffixAny(run, orgSuffixes) && runeLen(run) >= 2 {
			d.setIssuer(a, end)
			return
		}
	}
}

func (d *doc) setIssuer(a, b int) {
	d.out.Issuer, d.issuerAt = d.s[a:b], a
	d.out.IssuerEvidence = d.ev(a, b)
}

func (d *doc) published() {
	if y, mo, da, ok := d.pageDate(); ok {
		d.out.PageDate = fmt.Sprintf("%04d-%02d-%02d", y, mo, da)
		d.year = y
	}
	if date, note := d.issueDate(); date != "" {
		d.out.Published = date
		if note != "" {
			d.out.Notes = append(d.out.Notes, note)
		}
		if d.year == 0 {
			d.year, _ = strconv.Atoi(date[:4])
		}
		return
	}
	if d.out.PageDate != "" {
		d.out.Published = d.out.PageDate
		d.out.Notes = append(d.out.Notes, "the text gives no issue date of the plan: published is the page's date")
	}
}

// pageDate reads the page's own date: a labelled date of the page
// (发布日期, 时间), or a date in its first lines, its dateline.
func (d *doc) pageDate() (int, int, int, bool) {
	m := labelDateRe.FindStringSubmatch(d.s)
	if m == nil {
		head := d.s[:min(len(d.s), 400)]
		m = dateRe.FindStringSubmatch(head)
	}
	if m == nil {
		return 0, 0, 0, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	da, _ := strconv.Atoi(m[3])
	return y, mo, da, validDate(y, mo, da)
}

func validDate(y, mo, da int) bool {
	return y >= 1949 && y <= 2100 && mo >= 1 && mo <= 12 && da >= 1 && da <= 31
}

var (
	// issuedLabelRe is a labelled date of the document itself.
	issuedLabelRe = regexp.MustCompile(`(?:成文日期|印发日期|发文日期|签发日期)\s*:?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})`)
	// dateLineRe is a line that is only a date: the date under a notice's
	// signature ("2022年5月7日"), or its digits run together by a page that
	// lost the separators ("2023620").
	dateLineRe    = regexp.MustCompile(`^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$`)
	digitsLineRe  = regexp.MustCompile(`^\s*((?:19|20)\d{2})(\d{3,4})\s*$`)
	issuedVerbRe  = regexp.MustCompile(`(?:((?:19|20)\d{2})年)?(\d{1,2})月(\d{1,2})日[^。\n]{0,16}?(?:印发|批复|发布|出台|审议通过)`)
	noticeMarkers = []string{"印发给你们", "现将", "通知", "批复"}
)

// issueDate reads the date the plan was issued: a labelled date of the
// document, the date line under a notice, or the date the text says the
// plan was issued on (6月18日印发), its year from the context. It returns
// the date and a note when the date had to be read from damaged text.
func (d *doc) issueDate() (string, string) {
	if m := issuedLabelRe.FindStringSubmatch(d.s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		da, _ := strconv.Atoi(m[3])
		if validDate(y, mo, da) {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, da), ""
		}
	}
	// A date line after the words of a notice.
	if at := firstIndexAny(d.s, noticeMarkers); at >= 0 {
		for _, ln := range d.lines() {
			if ln.a < at {
				continue
			}
			text := d.s[ln.a:ln.b]
			if m := dateLineRe.FindStringSubmatch(text); m != nil {
				y, _ := strconv.Atoi(m[1])
				mo, _ := strconv.Atoi(m[2])
				da, _ := strconv.Atoi(m[3])
				if validDate(y, mo, da) {
					return fmt.Sprintf("%04d-%02d-%02d", y, mo, da), ""
				}
			}
			if m := digitsLineRe.FindStringSubmatch(text); m != nil {
				y, _ := strconv.Atoi(m[1])
				if mo, da, ok := splitMonthDay(m[2]); ok {
					return fmt.Sprintf("%04d-%02d-%02d", y, mo, da),
						fmt.Sprintf("the issue date %s lost its separators; read as %04d-%02d-%02d", strings.TrimSpace(text), y, mo, da)
				}
			}
		}
	}
	// "6月18日印发": the year is the one stated with it, else the last year
	// the text names before it, else the page's (the year before when the
	// month is still to come at the page's date).
	if m := issuedVerbRe.FindStringSubmatchIndex(d.s); m != nil {
		mo, _ := strconv.Atoi(d.s[m[4]:m[5]])
		da, _ := strconv.Atoi(d.s[m[6]:m[7]])
		y := 0
		switch {
		case m[2] >= 0:
			y, _ = strconv.Atoi(d.s[m[2]:m[3]])
		default:
			if ys := yearRe.FindAllString(d.s[:m[0]], -1); len(ys) > 0 {
				y, _ = strconv.Atoi(ys[len(ys)-1])
			} else if d.out.PageDate != "" {
				py, _ := strconv.Atoi(d.out.PageDate[:4])
				pm, _ := strconv.Atoi(d.out.PageDate[5:7])
				y = py
				if mo > pm {
					y--
				}
			}
		}
		if y > 0 && validDate(y, mo, da) {
			return fmt.Sprintf("%04d-%02d-%02d", y, mo, da), ""
		}
	}
	return "", ""
}

// splitMonthDay reads a month and day run together ("620", "1012") when
// only one reading is a date.
func splitMonthDay(s string) (int, int, bool) {
	var found [][2]int
	for k := 1; k <= 2 && k < len(s); k++ {
		mo, _ := strconv.Atoi(s[:k])
		da, _ := strconv.Atoi(s[k:])
		if len(s)-k <= 2 && s[k] != '0' || len(s)-k == 2 {
			if mo >= 1 && mo <= 12 && da >= 1 && da <= 31 {
				found = append(found, [2]int{mo, da})
			}
		}
	}
	if len(found) != 1 {
		return 0, 0, false
	}
	return found[0][0], found[0][1], true
}

func firstIndexAny(s string, words []string) int {
	at := -1
	for _, w := range words {
		if k := strings.Index(s, w); k >= 0 && (at < 0 || k < at) {
			at = k
		}
	}
	return at
}

// period reads the years a plan covers from its title: a five-year plan
// (十四五), a range (2023—2025年) or a single year.
func (d *doc) period() {
	t := d.out.Title
	if m := fypRe.FindStringSubmatch(t); m != nil {
		a, b := fypYears(10 + cnSmall[[]rune(m[1])[0]])
		d.out.Period = fmt.Sprintf("%d-%d", a, b)
		return
	}
	if m := yearRangeRe.FindStringSubmatch(t); m != nil {
		d.out.Period = m[1] + "-" + m[2]
		return
	}
	if m := yearRe.FindStringSubmatch(t); m != nil {
		d.out.Period = m[1] + "-" + m[1]
	}
}

// periodYears returns the plan's period as years (0, 0 when unknown).
func (d *doc) periodYears() (int, int) {
	a, b, ok := strings.Cut(d.out.Period, "-")
	if !ok {
		return 0, 0
	}
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x, y
}

// region decides the plan's region: as given; else the issuing organ's
// credit code in the 索引号; else a region named by the issuer or the
// title; else the region the text names most.
func (d *doc) region() {
	if d.opt.Region != "" {
		d.givenRegion()
		return
	}
	rs := d.opt.Regions
	if rs == nil {
		d.out.Notes = append(d.out.Notes, "no region table: the region is not resolved; give --region")
		return
	}
	mentions := rs.RegionMentions(d.s)
	named := map[graph.RegionCode]bool{}
	for _, m := range mentions {
		if len(m.Codes) == 1 {
			named[m.Codes[0]] = true
		}
	}
	set := func(c graph.RegionCode, method string, a, b int) bool {
		reg, ok := rs.Region(c)
		if !ok {
			return false
		}
		r := &Region{Code: c, Name: reg.Name, Level: reg.Level, Method: method}
		if b > a {
			r.Evidence = d.ev(a, b)
		}
		d.out.Region = r
		d.expandIssuer()
		return true
	}
	// The 索引号 of a government page starts with the issuing organ's
	// 统一社会信用代码, whose characters 3–8 are its region.
	if m := indexNoRe.FindStringSubmatchIndex(d.s); m != nil {
		if cc, err := graph.ParseCreditCode(d.s[m[2]:m[3]]); err == nil {
			if c, err := cc.RegisteringRegion(); err == nil && set(c, "index", m[2], m[3]) {
				return
			}
		}
	}
	if d.issuerAt >= 0 {
		if c, a, b, ok := d.mostSpecific(d.out.Issuer, named); ok && set(c, "issuer", d.issuerAt+a, d.issuerAt+b) {
			return
		}
	}
	if d.out.Title != "" {
		c, a, b, ok := d.mostSpecific(d.out.Title, named)
		if ok && d.titleAt < 0 {
			a, b = 0, 0
		} else {
			a, b = d.titleAt+a, d.titleAt+b
		}
		if ok && set(c, "named", a, b) {
			return
		}
	}
	// Context: the region the text names most, by resolved mentions.
	if best, at, ok := d.contextRegion(mentions, named); ok {
		set(best, "context", at[0], at[1])
		return
	}
	d.out.Notes = append(d.out.Notes, "the text does not say which region the plan is for; give --region")
}

// givenRegion sets the region the user gave, named from the region table
// when it has it.
func (d *doc) givenRegion() {
	r := &Region{Code: d.opt.Region, Method: "given", Level: d.opt.Region.Level()}
	if rs := d.opt.Regions; rs != nil {
		if reg, ok := rs.Region(d.opt.Region); ok {
			r.Name, r.Level = reg.Name, reg.Level
		} else {
			d.out.Notes = append(d.out.Notes, fmt.Sprintf("region %s is not in the region table", d.opt.Region))
		}
	}
	d.out.Region = r
	d.expandIssuer()
}

// contextRegion returns the region the text names most (at least twice)
// and the span of its first mention: on a tie, the level the text speaks
// from (我市), else the broader region, else the smaller code.
func (d *doc) contextRegion(mentions []readmodel.RegionMention, named map[graph.RegionCode]bool) (graph.RegionCode, [2]int, bool) {
	count := map[graph.RegionCode]int{}
	first := map[graph.RegionCode][2]int{}
	for _, m := range mentions {
		c, ok := d.resolve(m.Codes, named)
		if !ok {
			continue
		}
		count[c]++
		if _, ok := first[c]; !ok {
			first[c] = [2]int{m.Start, m.End}
		}
	}
	var best graph.RegionCode
	hint := d.levelHint()
	codes := make([]graph.RegionCode, 0, len(count))
	for c := range count {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		n := count[c]
		switch {
		case best == "" || n > count[best]:
			best = c
		case n == count[best] && hint != "" && c.Level() == hint && best.Level() != hint:
			best = c
		case n == count[best] && (hint == "" || best.Level() != hint) && c.Contains(best) && c != best:
			best = c
		}
	}
	if best == "" || count[best] < 2 {
		return "", [2]int{}, false
	}
	return best, first[best], true
}

// mostSpecific finds the regions named in a phrase and returns the
// deepest one that the others contain (烟台市莱山区 → 莱山区), with its byte
// span in the phrase.
func (d *doc) mostSpecific(phrase string, named map[graph.RegionCode]bool) (graph.RegionCode, int, int, bool) {
	var best graph.RegionCode
	var a, b int
	for _, m := range d.opt.Regions.RegionMentions(phrase) {
		c, ok := d.resolve(m.Codes, named)
		if !ok {
			continue
		}
		if best == "" || best.Contains(c) && c != best {
			best, a, b = c, m.Start, m.End
		}
	}
	return best, a, b, best != ""
}

// resolve picks one of the regions a name may denote: the one whose
// ancestors the text also names, else the highest-level one if it is alone
// at its level.
func (d *doc) resolve(codes []graph.RegionCode, named map[graph.RegionCode]bool) (graph.RegionCode, bool) {
	if len(codes) == 1 {
		return codes[0], true
	}
	var best graph.RegionCode
	bestScore, tie := -1, false
	for _, c := range codes {
		score := 0
		for n := range named {
			// A region named around it (北京 for 朝阳区), not one of the
			// candidates themselves (吉林省 for 吉林市).
			if n != c && n.Contains(c) && !slices.Contains(codes, n) {
				score++
			}
		}
		switch {
		case score > bestScore:
			best, bestScore, tie = c, score, false
		case score == bestScore:
			tie = true
		}
	}
	if bestScore > 0 && !tie {
		return best, true
	}
	if bestScore > 0 {
		return "", false
	}
	// Nothing around tells: a province or city is meant rather than a
	// county of the same name, if it is the only one at its level.
	rank := func(c graph.RegionCode) int {
		switch c.Level() {
		case graph.LevelProvince:
			return 0
		case graph.LevelCity:
			return 1
		}
		return 2
	}
	best, tie = "", false
	for _, c := range codes {
		switch {
		case best == "" || rank(c) < rank(best):
			best, tie = c, false
		case rank(c) == rank(best):
			tie = true
		}
	}
	return best, best != "" && !tie && rank(best) < 2
}

// levelHint is the level the text speaks from: 我市/全市 (city), 我省/全省
// (province), 我区/我县 (county).
func (d *doc) levelHint() graph.RegionLevel {
	city := strings.Count(d.s, "我市") + strings.Count(d.s, "全市") + strings.Count(d.s, "本市")
	prov := strings.Count(d.s, "我省") + strings.Count(d.s, "全省") + strings.Count(d.s, "本省")
	county := strings.Count(d.s, "我区") + strings.Count(d.s, "全区") + strings.Count(d.s, "我县") + strings.Count(d.s, "全县")
	switch {
	case city > prov && city > county:
		return graph.LevelCity
	case prov > city && prov > county:
		return graph.LevelProvince
	case county > city && county > prov:
		return graph.LevelCounty
	}
	return ""
}

// expandIssuer names the region in an issuer written from inside it
// (市政府 → 济南市政府).
func (d *doc) expandIssuer() {
	r := d.out.Region
	if r == nil || r.Name == "" || d.out.Issuer == "" {
		return
	}
	for _, p := range []string{"市", "省", "区", "县"} {
		if strings.HasPrefix(d.out.Issuer, p) && strings.HasSuffix(r.Name, p) {
			d.out.Issuer = strings.TrimSuffix(r.Name, p) + d.out.Issuer
			return
		}
	}
}

// clusterLevel is the level a cluster of this plan has when the text
// states none: the level of the plan's region.
func (d *doc) clusterLevel() string {
	if d.out.Region == nil {
		return ""
	}
	switch d.out.Region.Level {
	case graph.LevelProvince:
		return "provincial"
	case graph.LevelCity:
		return "municipal"
	case graph.LevelCounty, graph.LevelTown:
		return "county"
	}
	return ""
}
