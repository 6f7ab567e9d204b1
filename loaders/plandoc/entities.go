package plandoc

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// parks finds the names of parks and zones: a name ending with a park kind
// (产业园, 高新区, 自贸区…片区, 保税港区, 产业城, 先导区, 示范区, 走廊 …).
func (d *doc) parks() {
	var taken []span
	covered := func(a, b int) bool {
		for _, t := range taken {
			if a < t.b && b > t.a {
				return true
			}
		}
		return false
	}
	for _, suf := range parkSuffixes {
		if suf.word == "谷" {
			continue
		}
		for i := 0; ; {
			k := strings.Index(d.s[i:], suf.word)
			if k < 0 {
				break
			}
			ss := i + k
			e := ss + len(suf.word)
			i = e
			if covered(ss, e) {
				continue
			}
			a := d.nameStart(ss, 24)
			name := d.s[a:e]
			if p := strings.LastIndex(name, "的"); p >= 0 {
				a += p + len("的")
				name = d.s[a:e]
			}
			// A park kind inside the name ends an earlier name: "昆山开发区建设
			// …科技园" names no park of its own.
			if suf.word != "片区" {
				for _, inner := range parkSuffixes {
					if k := strings.LastIndex(name[:len(name)-len(suf.word)], inner.word); k >= 0 && len(inner.word) > 3 {
						a += k + len(inner.word)
						name = d.s[a:e]
					}
				}
			}
			// A belt of industries (北部支柱型产业带) ends before the park's
			// name; it is no part of it.
			if k := strings.LastIndex(name, "产业带"); k >= 0 && k+len("产业带") < len(name) {
				a += k + len("产业带")
				name = d.s[a:e]
			}
			t := stripLead(name)
			a += len(name) - len(t)
			name = t
			if hasAny(name, descriptiveWords) || hasAny(d.s[max(d.clauseStart(a), a-24):a], descriptiveWords) && strings.HasSuffix(d.s[:a], "的") {
				continue // a park the plan wants: "国内领先的…产业基地"
			}
			if strings.Contains(name, "企业") || itemCountRe.MatchString(name) || hasPrefixAny(name, []string{"千亿", "百亿", "万亿", "亿元"}) {
				continue // "…企业入驻高新区", "两个省级园区", "千亿园区"
			}
			if d.isPlanRegion(name) {
				continue // the zone the plan is for
			}
			if suf.word == "片区" && !strings.Contains(name, "自贸") && !strings.Contains(name, "自由贸易") {
				continue
			}
			if hasSuffixAny(name, policyZones) || !d.specificPark(name, suf.word) {
				continue
			}
			if d.aspired(a) {
				taken = append(taken, span{a, e})
				continue
			}
			taken = append(taken, span{a, e})
			d.addPark(parkName(trimQuotes(name), suf.word), suf.kind, a, e)
		}
	}
	d.valleys()
	d.officialParks()
	d.parkLists()
}

// longKinds spell out the short kinds of zones, to compare a park's name
// with a region's: 唐山高新区 is 唐山高新技术产业开发区.
var longKinds = []struct{ short, long string }{
	{"高新区", "高新技术产业开发区"}, {"经开区", "经济技术开发区"}, {"综保区", "综合保税区"},
}

// isPlanRegion reports whether a park's name is the plan's own region (a
// development zone with a region code of its own).
func (d *doc) isPlanRegion(name string) bool {
	r := d.out.Region
	if r == nil || r.Name == "" {
		return false
	}
	if name == r.Name {
		return true
	}
	for _, k := range longKinds {
		if t, ok := strings.CutSuffix(name, k.short); ok && t+k.long == r.Name {
			return true
		}
	}
	return false
}

// officialTitles follow the name of a zone whose officials are named
// (长沙经开区党工委书记, 京唐智慧港主要负责同志); placeEnds end the names of
// zones named so without a park kind.
var (
	officialTitles = []string{"党工委", "管委会", "工委", "主要负责同志", "主要负责人"}
	placeEnds      = []string{"港", "园", "区", "城", "谷", "湾", "岛", "新城", "基地"}
)

// officialParks finds zones named through the titles of their officials.
func (d *doc) officialParks() {
	for _, t := range officialTitles {
		for i := 0; ; {
			k := strings.Index(d.s[i:], t)
			if k < 0 {
				break
			}
			at := i + k
			i = at + len(t)
			a := d.nameStart(at, 12)
			name := stripLead(d.s[a:at])
			a = at - len(name)
			if runeLen(name) < 3 || !nameChars(name) || !hasSuffixAny(name, placeEnds) || d.isRegionName(name) || d.isPlanRegion(name) {
				continue
			}
			if strings.Contains(name, "企业") || strings.HasSuffix(name, "社区") || strings.HasSuffix(name, "街道") {
				continue
			}
			d.addPark(name, parkKindOf(name), a, at)
		}
	}
}

// parkKindOf returns the kind a park's name ends with, or "园区".
func parkKindOf(name string) string {
	for _, suf := range parkSuffixes {
		if strings.HasSuffix(name, suf.word) {
			return suf.kind
		}
	}
	return "园区"
}

// parkListRe is the head of a list of parks: "两个省级园区".
var parkListRe = regexp.MustCompile(`(?:[0-9]+|[一二两三四五六七八九十]+)(?:个|家|大)(?:国家级|省级|市级|县级)?(?:园区|开发区|产业园区|工业园区|产业园)`)

// parkLists reads lists closed by a count of parks: each item is a park
// even without a park kind of its own ("盐化工园区、西城区两个省级园区").
func (d *doc) parkLists() {
	for _, m := range parkListRe.FindAllStringIndex(d.s, -1) {
		items, _ := d.splitList(d.clauseStart(m[0]), m[0], 0)
		if len(items) < 2 {
			continue
		}
		for _, it := range items {
			name := trimQuotes(d.s[it.a:it.b])
			if runeLen(name) >= 2 && nameChars(name) && !industryLike(name) || hasSuffixAny(name, placeEnds) {
				d.addPark(name, parkKindOf(name), it.a, it.b)
			}
		}
	}
}

// parkName drops a level word between a park's place and its kind: the
// level is the park's rank, not its name (相城国家级经开区 is 相城经开区).
func parkName(name, kind string) string {
	base, ok := strings.CutSuffix(name, kind)
	if !ok {
		return name
	}
	for _, w := range []string{"国家级", "省级", "市级"} {
		if t, ok := strings.CutSuffix(base, w); ok && runeLen(t) >= 2 {
			return t + kind
		}
	}
	return name
}

// nameStart walks left from byte o over the characters a name is made of,
// stopping at a delimiter, a list separator or a quote, at most n runes.
func (d *doc) nameStart(o, n int) int {
	a := o
	for k := 0; a > 0 && k < n; k++ {
		r, sz := utf8.DecodeLastRuneInString(d.s[:a])
		if strings.ContainsRune(clauseDelims+"、“”\"' ", r) || r == '和' || r == '及' || r == '等' || r == '与' && k > 0 {
			break
		}
		if !isHan(r) && !(r >= '0' && r <= '9') && !(r >= 'A' && r <= 'Z') && !(r >= 'a' && r <= 'z') && r != '·' {
			break
		}
		a -= sz
	}
	return a
}

// specificPark reports whether a park name is a name, not a category: what
// stands before the kind must be more than level and kind words.
func (d *doc) specificPark(name, suffix string) bool {
	if !nameChars(name) || startsWithCount(name) || runeLen(name) > 24 {
		return false
	}
	rest := strings.TrimSuffix(name, suffix)
	// A quantifier right before the kind makes a category: 各园区, 该园区.
	if r, _ := utf8.DecodeLastRuneInString(rest); strings.ContainsRune("各该本全每诸等些", r) {
		return false
	}
	for changed := true; changed && rest != ""; {
		changed = false
		for _, w := range genericParkWords {
			if t, ok := strings.CutPrefix(rest, w); ok {
				rest, changed = t, true
			}
		}
	}
	return runeLen(rest) >= 2 || runeLen(rest) == 1 && runeLen(name) >= 5
}

// aspired reports whether the words before byte a only aim at the
// designation (创建, 争创, 申建 …): a zone not yet held is no park.
func (d *doc) aspired(a int) bool {
	cs := d.clauseStart(a)
	before := d.s[cs:a]
	if r := []rune(before); len(r) > 6 {
		before = string(r[len(r)-6:])
	}
	return hasAny(before, aspirational)
}

// valleys finds the "谷" parks: 中国算谷, 中国氢谷, or a place's name and a
// character before 谷.
func (d *doc) valleys() {
	for i := 0; ; {
		k := strings.Index(d.s[i:], "谷")
		if k < 0 {
			break
		}
		at := i + k
		i = at + len("谷")
		x, xs := utf8.DecodeLastRuneInString(d.s[:at])
		if !isHan(x) {
			continue
		}
		before := d.s[max(0, at-xs-16) : at-xs] // a place's name: at most four characters
		for len(before) > 0 && !utf8.RuneStart(before[0]) {
			before = before[1:]
		}
		base := at - xs - len(before)
		var a int
		switch {
		case strings.HasSuffix(before, "中国"):
			a = base + len(before) - len("中国")
		case d.opt.Regions != nil:
			a = -1
			for n := 4; n >= 2; n-- {
				r := []rune(before)
				if len(r) < n {
					continue
				}
				cand := string(r[len(r)-n:])
				if len(d.opt.Regions.RegionsNamed(cand)) > 0 {
					a = base + len(before) - len(cand)
					break
				}
			}
			if a < 0 {
				continue
			}
		default:
			continue
		}
		if d.aspired(a) {
			continue
		}
		d.addPark(d.s[a:i], "谷", a, i)
	}
}

var (
	// 17家企业中捷瑞数字提出修改意见
	amongFirmsRe = regexp.MustCompile(`(?:企业|公司|单位)中([\p{Han}A-Za-z0-9]{2,10}?)(?:提出|表示|获得|荣获|入选|反馈|建议|参与|承担|牵头|成功|率先)`)
	// 浪潮、海尔等龙头企业
	firmListRe = regexp.MustCompile(`等(?:一批|龙头|骨干|领军|链主|重点|优质|知名|头部)*(?:企业|公司)`)
)

// firms finds firms the plan names: registered names (…有限公司, …集团),
// short names in "among the firms, X said", lists closed by 等龙头企业, and
// a place's name with the word of a large firm (山东重工).
func (d *doc) firms() {
	for _, suf := range firmSuffixes {
		for i := 0; ; {
			k := strings.Index(d.s[i:], suf)
			if k < 0 {
				break
			}
			ss := i + k
			e := ss + len(suf)
			i = e
			if suf == "集团" && hasPrefixAny(d.s[e:], []string{"化", "公司", "有限", "股份"}) {
				continue
			}
			a := d.nameStart(ss, 20)
			name := stripLead(d.s[a:e])
			a = e - len(name)
			if base := strings.TrimSuffix(name, suf); runeLen(base) >= 2 && !hasAny(base, firmCategories) && !genericNames[base] {
				d.addFirm(name, a, e)
			}
		}
	}
	for _, m := range amongFirmsRe.FindAllStringSubmatchIndex(d.s, -1) {
		d.addFirm(d.s[m[2]:m[3]], m[2], m[3])
	}
	for _, m := range firmListRe.FindAllStringIndex(d.s, -1) {
		items, _ := d.splitList(d.clauseStart(m[0]), m[0], 0)
		for _, it := range items {
			// A short name may hold an industry's character (太钢) and
			// still be a firm, unless the plan names it as an industry.
			if t := trimQuotes(d.s[it.a:it.b]); !industryLike(t) || runeLen(t) <= 3 && !d.isIndustryName(t) {
				d.addFirm(t, it.a, it.b)
			}
		}
	}
	// 理工光科(300557)、华工科技(000988.SZ): a listed firm and its stock code.
	for _, m := range stockCodeRe.FindAllStringIndex(d.s, -1) {
		a := d.nameStart(m[0], 12)
		name := d.s[a:m[0]]
		// "多功能传感器制造商华工科技": the name follows what the firm is.
		if k := lastVerbEnd(name, []string{"商", "企业", "公司", "龙头", "厂家"}); k >= 0 {
			name = name[k:]
		}
		name = stripLead(name)
		a = m[0] - len(name)
		if runeLen(name) >= 2 && !hasAny(name, firmCategories) {
			d.addFirm(name, a, m[0])
		}
	}
	d.projectFirms()
	d.projectLists()
	// 以宁德时代、比亚迪为链主: firms that lead a chain.
	for _, m := range leaderRe.FindAllStringSubmatchIndex(d.s, -1) {
		items, _ := d.splitList(m[2], m[3], 0)
		for _, it := range items {
			if t := trimQuotes(d.s[it.a:it.b]); !industryLike(t) || runeLen(t) <= 3 && !d.isIndustryName(t) {
				d.addFirm(t, it.a, it.b)
			}
		}
	}
	if d.opt.Regions != nil {
		for _, m := range d.opt.Regions.RegionMentions(d.s) {
			rest := d.s[m.End:]
			for _, h := range firmHeads {
				if strings.HasPrefix(rest, h) && !strings.HasPrefix(rest[len(h):], "业") {
					d.addFirm(m.Name+h, m.Start, m.End+len(h))
					break
				}
			}
		}
	}
}

// leaderRe is a list of the firms that lead a chain: "以A、B为链主".
var leaderRe = regexp.MustCompile(`以([\p{Han}A-Za-z、]{2,40}?)为(?:链主|链主企业|龙头企业|龙头)`)

// stockCodeRe is a stock code in brackets after a firm's short name.
var stockCodeRe = regexp.MustCompile(`\((?:股票代码:|证券代码:)?[0-9]{6}(?:\.(?:SZ|SH|BJ|HK))?\)`)

// isIndustryName reports whether the plan names s as an industry or chain.
func (d *doc) isIndustryName(s string) bool {
	for _, in := range d.out.Industries {
		if in.Name == s {
			return true
		}
	}
	for _, c := range d.out.Chains {
		if c.Name == s {
			return true
		}
	}
	return false
}

// projectWords start the part of a project's name after its firm: what is
// built (比亚迪新能源汽车项目) or how (比亚迪年产…项目).
var projectLeads = []string{"年产", "新建", "扩建", "二期", "三期", "一期", "总部", "基地", "产业园", "配套", "智能", "高端",
	"超级工厂", "工厂", "研发中心", "生产线", "产线", "产业城", "科技园", "动力"}

// genericProjectWords open the names of kinds of projects, not firms.
var genericProjectWords = []string{"重大", "重点", "新建", "续建", "在建", "新开工", "一批", "产业", "示范", "建设", "招商",
	"签约", "大", "好", "优质", "前期", "储备", "省市", "市级", "省级", "国家", "技改", "技术", "投资", "亿元", "万元"}

// projectFirms finds firms named through their projects: a brand, then
// what the project builds, then 项目 ("比亚迪新能源汽车零部件项目"), after a
// region's name or alone.
func (d *doc) projectFirms() {
	for i := 0; ; {
		k := strings.Index(d.s[i:], "项目")
		if k < 0 {
			return
		}
		end := i + k
		i = end + len("项目")
		a := d.nameStart(end, 24)
		name := stripLead(d.s[a:end])
		a = end - len(name)
		if d.opt.Regions != nil {
			if ms := d.opt.Regions.RegionMentions(name); len(ms) > 0 && ms[0].Start == 0 {
				name, a = name[ms[0].End:], a+ms[0].End
			}
		}
		// The brand ends where the words of what is built begin.
		cut := -1
		for _, h := range append(industryHeads, projectLeads...) {
			if p := strings.Index(name, h); p > 0 && (cut < 0 || p < cut) {
				cut = p
			}
		}
		if cut < 0 {
			continue
		}
		brand := name[:cut]
		n := runeLen(brand)
		if n < 2 || n > 5 || !nameChars(brand) || hasAny(brand, genericProjectWords) || stripLead(brand) != brand ||
			hasAny(brand, firmCategories) || d.isRegionName(brand) || industryLike(brand) {
			continue
		}
		d.addFirm(brand, a, a+len(brand))
	}
}

// firmTails end the short names of firms: the trade after the brand.
var firmTails = []string{"生物", "科技", "电子", "智能", "光电", "机电", "药业", "医药", "芯片", "能源", "新材", "股份", "集团", "重工", "汽车"}

// projectListRe closes a list of projects, each named by its firm and what
// it builds: "A动力电池、B智能传动系统等项目".
var projectListRe = regexp.MustCompile(`等(?:一批|重大|重点|标志性)*项目`)

// projectLists finds the firms of a list of projects.
func (d *doc) projectLists() {
	for _, m := range projectListRe.FindAllStringIndex(d.s, -1) {
		items, _ := d.splitList(d.clauseStart(m[0]), m[0], 0)
		if len(items) < 2 {
			continue
		}
		for _, it := range items {
			name := d.s[it.a:it.b]
			a := it.a
			if parkKindOf(name) != "园区" || strings.HasSuffix(name, "园区") || strings.HasSuffix(name, "谷") {
				continue // a park or zone among the projects: 智造产业城, 氢谷
			}
			if d.opt.Regions != nil {
				if ms := d.opt.Regions.RegionMentions(name); len(ms) > 0 && ms[0].Start == 0 && ms[0].End < len(name) &&
					!hasPrefixAny(name[ms[0].End:], firmHeads) {
					name, a = name[ms[0].End:], a+ms[0].End
				}
			}
			cut := -1
			for _, h := range append(industryHeads, projectLeads...) {
				if p := strings.Index(name, h); p > 0 && (cut < 0 || p < cut) {
					cut = p
				}
			}
			// "芯业时代8英寸产线": a number starts what is built.
			if p := strings.IndexAny(name, "0123456789"); p > 0 && (cut < 0 || p < cut) {
				cut = p
			}
			if cut < 0 {
				continue
			}
			brand := name[:cut]
			// A two-character brand often carries its trade word: 青禾生物
			// (医用材料), 远帆机电 (传动系统).
			if runeLen(brand) == 2 {
				for _, w := range firmTails {
					if rest, ok := strings.CutPrefix(name[cut:], w); ok && runeLen(rest) >= 2 {
						brand += w
						break
					}
				}
			}
			if n := runeLen(brand); n < 2 || n > 10 || !nameChars(brand) || hasAny(brand, genericProjectWords) || hasAny(brand, firmCategories) || d.isRegionName(brand) {
				continue
			}
			d.addFirm(brand, a, a+len(brand))
		}
	}
}

// addFirm records a firm's name once.
func (d *doc) addFirm(name string, a, b int) {
	name = trimQuotes(name)
	n := runeLen(name)
	if n < 2 || n > 30 || !nameChars(name) || genericNames[name] || hasAny(name, firmCategories) && !hasSuffixAny(name, firmSuffixes) {
		return
	}
	if d.opt.Regions != nil && len(d.opt.Regions.RegionsNamed(name)) > 0 && !d.isFirmContext(a) {
		return // a bare place name
	}
	d.out.Firms = addMention(d.out.Firms, graph.Mention{Kind: graph.MentionFirm, Name: name, Evidence: d.ev(a, b)})
}

// isFirmContext reports whether the text right after byte a reads as a
// firm's product in quotes (荣昌“…”): a place's name there names a firm.
func (d *doc) isFirmContext(a int) bool {
	end := d.runEnd(a)
	return end < len(d.s) && strings.HasPrefix(d.s[end:], "“")
}
