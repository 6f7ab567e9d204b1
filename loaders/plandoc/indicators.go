package plandoc

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// Indicators: "到2025年规上工业增加值年均增长10%以上", "建设5G基站1700个",
// "新培育专精特新中小企业1000家以上", "突破1万亿元", "达到两千亿元以上".
var (
	// indicatorVerbs in a clause before a number make it a measure, not
	// a count of the plan's own parts.
	indicatorVerbs = []string{
		"达到", "达", "突破", "超过", "提高", "提升", "增长", "增加", "降低", "下降", "减少", "保持", "建设", "建成", "新建",
		"新增", "培育", "引进", "实施", "攻克", "完成", "实现", "累计", "拥有", "共有", "占", "比重", "占比", "跃升", "梳理",
		"控制", "不低于", "不少于", "不低", "高于", "低于", "增至", "扩大", "打造", "认定", "创建", "获评", "入选", "已有",
	}
	// cmpBefore are comparator words right before a number, longest first.
	cmpBefore = []struct{ word, cmp string }{
		{"不超过", "<="}, {"不高于", "<="}, {"不低于", ">="}, {"不少于", ">="}, {"控制在", "<="}, {"超过", ">="},
		{"突破", ">="}, {"至少", ">="}, {"高于", ">="}, {"多于", ">="}, {"低于", "<="}, {"少于", "<="}, {"不低", ">="},
		{"大约", "~"}, {"接近", "~"}, {"约", "~"}, {"近", "~"}, {"逾", ">="}, {"超", ">="}, {"过", ">="},
	}
	// levelVerbs end a metric's subject before its number; they are not
	// part of what is measured ("研发投入总额达到189亿元").
	levelVerbs = sortLongestFirst([]string{
		"达到了", "达到", "已达", "达", "为", "是", "至", "到", "提高到", "提高至", "提升至", "提升到", "跃升至", "跃升到",
		"保持在", "控制在", "增至", "突破", "超过", "超", "过", "逾", "近", "约", "接近", "共有", "拥有", "有", "累计", "已",
		"不低于", "不低", "不少于", "不超过", "不高于", "高于", "低于", "分别", "双双", "总计", "合计", "共", "大约", "至少",
		"将", "均", "要", "力争", "预计", "将会", "有望",
	})
	// metricLeads open a clause before what is measured.
	metricLeads = sortLongestFirst([]string{
		"一是", "二是", "三是", "四是", "五是", "其中", "同时", "此外", "另外", "并且", "并", "且", "即", "和", "及", "以及",
		"提出", "力争", "确保", "争取", "锚定", "实现", "预计", "计划", "目标是", "要", "将", "努力", "全力", "进一步",
		"主要目标", "主要是", "使", "让", "推动", "加快", "统筹", "到", "至", "截至", "截止", "在",
	})
	timeLeadRe = regexp.MustCompile(`^(?:到|至|截至|截止)?(?:(?:19|20)\d{2}年(?:底|末|前|内)?|今年|明年|去年|全年|年内|当年|年(?:底|末)|(?:到|至)年|目前|当前|近年来|每年|每季度|每月|“?十[一二三四五六七八九]五”?(?:末|期间|时期|期末)?)`)
	yearWordRe = regexp.MustCompile(`(比|较|与|同)?((?:19|20)\d{2})年(\d{1,2}月)?`)
	fypEndRe   = regexp.MustCompile(`十([一二三四五六七八九])五”?(末|期间|时期|期末|以来)`)
	// baselineWords say a number is what was achieved, not a target;
	// targetWords say it is a target.
	baselineWords = []string{"已", "目前", "去年", "同比", "比上年", "截至", "共有", "拥有"}
	targetWords   = []string{"到20", "到年", "力争", "确保", "争取", "目标", "提出", "锚定", "预计", "计划", "将", "末达到", "明年"}
	// partNouns, inside the noun after a counter, make it a count of the
	// plan's own parts: "17项具体任务", "10项一级指标".
	partNouns = []string{"任务", "指标", "目标", "方面", "措施", "内容", "意见", "举措", "要点", "行动", "集群", "链群"}
	// missingWords end a noun with 家/个/项 as part of the word: 国家, 专家.
	missingWords = []string{"国家", "专家", "企业家", "科学家", "大家", "作家", "行家", "商家", "买家", "卖家", "农家", "自家",
		"全家", "每个", "这个", "那个", "整个", "各个", "单个", "一个", "某个", "两个", "事项", "选项", "立项", "款项", "此项",
		"各项", "专项", "场所", "住所", "研究所", "事务所", "处所", "各家"}
)

// indicators reads the numbers of the plan.
func (d *doc) indicators() {
	rows := d.tables()
	ctxYear := 0
	for _, sent := range d.sents {
		if slices.ContainsFunc(rows, func(r span) bool { return sent.a >= r.a && sent.b <= r.b }) {
			continue // a row of an indicator table, read by tables()
		}
		d.sentenceIndicators(sent, &ctxYear)
	}
	d.missingNumbers()
}

// found is an indicator found in a sentence, not yet kept.
type found struct {
	in      graph.Indicator
	subject string
	pending bool // kept only if the sentence has another indicator
}

func (d *doc) sentenceIndicators(sent span, ctxYear *int) {
	s := d.s
	var got []found
	lastSubject := ""
	lastEnd := sent.a
	for i := sent.a; i < sent.b; {
		r, sz := utf8.DecodeRuneInString(s[i:])
		isNum := r >= '0' && r <= '9' || r == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9'
		_, cn := cnValue[r]
		if !isNum && !cn && !strings.ContainsRune(multChars, r) {
			i += sz
			continue
		}
		// The number must start here, not continue a word (5G, IPv6, 2+4).
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if prev >= '0' && prev <= '9' || prev >= 'A' && prev <= 'Z' || prev >= 'a' && prev <= 'z' || prev == '.' || prev == '+' || prev == '第' {
			i += sz
			continue
		}
		if r == '.' && !(prev == utf8.RuneError || isHan(prev)) {
			i += sz
			continue
		}
		q, ok := readQuantity(s, i)
		if !ok || q.b > sent.b {
			i += sz
			continue
		}
		i = max(q.b, i+sz)
		if !isNum && !d.cnQuantityOK(q) && !(q.countUnit && tierRe.MatchString(s[q.b:d.objectEnd(q.b, d.clauseEnd(q.b))])) {
			continue // "两个千亿级产业集群" is a count of a tier, "三是" no number
		}
		if strings.Contains(s[lastEnd:q.numA], ";") {
			lastSubject = "" // another part of the sentence, about another subject
		}
		f, keep := d.indicatorAt(sent, q, lastEnd, lastSubject, ctxYear)
		if !keep {
			continue
		}
		lastEnd = q.b
		if f.subject != "" {
			lastSubject = f.subject
		}
		got = append(got, f)
	}
	hasFirm := false
	for _, f := range got {
		if !f.pending {
			hasFirm = true
		}
	}
	for _, f := range got {
		if f.pending && !hasFirm {
			continue
		}
		d.keepIndicator(f.in)
	}
	// The sentence's own year becomes the context of those that follow.
	if y := d.yearOf(s[sent.a:sent.b]); y > 0 {
		*ctxYear = y
	}
}

// cnQuantityOK accepts a Chinese-numeral quantity only where it is a
// measure: money (两千亿元), or a bare multiplier after a verb (突破万亿元).
func (d *doc) cnQuantityOK(q quantity) bool {
	if q.kind == unitMoney {
		return true
	}
	num := d.s[q.numA:q.numB]
	return strings.ContainsAny(num, "千万亿") || strings.ContainsRune(num, '百') && runeLen(num) > 1
}

// indicatorAt decides whether a quantity is an indicator and builds it.
func (d *doc) indicatorAt(sent span, q quantity, lastEnd int, lastSubject string, ctxYear *int) (found, bool) {
	s := d.s
	cs := max(d.clauseStart(q.numA), sent.a, lastEnd)
	ce := min(d.clauseEnd(q.b), sent.b)
	before := s[cs:q.numA]
	if d.notAValue(sent, q, before) {
		return found{}, false
	}
	object, tiered, ok := d.countedObject(q, cs, ce)
	if !ok {
		return found{}, false
	}
	if hasAny(s[sent.a:sent.b], firmFinanceWords) {
		return found{}, false // one firm's finances, not the region's
	}
	if gapRe.MatchString(before) || gapAnyRe.MatchString(s[max(d.clauseStart(q.numA), sent.a):q.numA]) {
		return found{}, false // a gap against other regions: 高于全国4.7个百分点
	}
	in := graph.Indicator{Value: q.value, Unit: q.unit, Comparator: q.comparator, Note: q.note}
	for _, c := range cmpBefore {
		if strings.HasSuffix(before, c.word) {
			if in.Comparator == "" {
				in.Comparator = c.cmp
			}
			break
		}
	}
	if tiered {
		// "2个千亿级产业集群、3条五百亿级产业链": the words before the
		// separator belong to the count before.
		if k := max(strings.LastIndex(before, "、"), strings.LastIndex(before, "和")); k >= 0 {
			before = before[k:]
		}
	}
	accepted := hasAny(before, indicatorVerbs) || q.comparator != "" || in.Comparator != "" || tiered
	subject := d.subject(before)
	if item, ok := d.distributed(sent, q.numA); ok {
		// "A、B两个产业链群产值增速领跑,分别增长65.2%、33.1%".
		subject, accepted, lastSubject = item, true, ""
	}
	pending := false
	if !accepted {
		// "国家科技型中小企业1708家": a noun and its number ending a clause
		// in a sentence of such figures.
		if rest := strings.TrimSpace(s[q.b:ce]); subject == "" || object != "" || rest != "" && !hasPrefixAny(rest, []string{"、", "和"}) {
			return found{}, false
		}
		pending = true
	}
	if in.Comparator == "" {
		in.Comparator = "="
	}
	subject = d.fullSubject(subject, lastSubject, sent, cs)
	in.Metric = strings.TrimSpace(subject + object)
	if k := strings.IndexRune(in.Metric, utf8.RuneError); k >= 0 {
		in.Metric = in.Metric[:k] // the page garbled the rest
	}
	if runeLen(in.Metric) < 2 {
		return found{}, false
	}
	a, b := cs, q.b+len(object)
	if h := firstRunes(subject, 2); h != "" {
		if k := strings.Index(before, h); k >= 0 {
			a = cs + k
		}
	}
	in.Evidence = d.ev(a, b)
	ctx := s[sent.a:q.numA]
	in.Year = d.yearFor(ctx, *ctxYear)
	if yearLost(ctx) {
		in.Note = joinNote(in.Note, "the year was lost from the page")
	}
	in.Kind = d.kindOf(ctx, in.Year)
	return found{in: in, subject: baseSubject(subject), pending: pending}, true
}

// notAValue reports whether the number of q, in sentence sent after the
// words before, is no value of the region's: inside a title or a quoted
// name, part of a range or fraction, or a class of things.
func (d *doc) notAValue(sent span, q quantity, before string) bool {
	s := d.s
	if i := strings.LastIndex(s[sent.a:q.numA], "《"); i >= 0 && i > strings.LastIndex(s[sent.a:q.numA], "》") {
		return true // inside a title
	}
	if quotedName(s, sent, q.numA) {
		return true // inside a name or slogan in quotes: “千个项目、千亿规模”工程
	}
	// A range (3-5个百分点) or a fraction (1/5) is not one value.
	if strings.HasSuffix(before, "-") || strings.HasSuffix(before, "~") || strings.HasSuffix(before, "/") || strings.HasPrefix(s[q.numB:], "/") {
		return true
	}
	if prev, _ := utf8.DecodeLastRuneInString(before); prev >= '0' && prev <= '9' {
		return true
	}
	// "百亿元以上企业", "亿元以上项目": a class of things, not a value.
	if next, _ := utf8.DecodeRuneInString(s[q.b:]); (q.comparator == ">=" || q.comparator == "<=") && isHan(next) &&
		(strings.HasSuffix(s[:q.b], "以上") || strings.HasSuffix(s[:q.b], "以下")) {
		return true
	}
	return false
}

// countedObject reads what follows a counter or a measure (10项左右行业共性
// 关键技术) up to ce, and whether it is of a tier (千亿级); ok is false
// for a count of the plan's own parts (22项重点任务, 2个产业集群).
func (d *doc) countedObject(q quantity, cs, ce int) (object string, tiered, ok bool) {
	s := d.s
	if q.countUnit || q.kind == unitMeasure {
		object = s[q.b:d.objectEnd(q.b, ce)]
		// "已形成2个万亿级产业集群", "打造4个世界级先进制造业集群": things
		// of a tier the region reached or aims at are measures; the same
		// count closing a list of names ("A、B两个千亿级集群") is not.
		tiered = tierRe.MatchString(object) && !d.closesList(cs, q.numA)
		if !tiered && (hasPrefixAny(object, countedNouns) || hasPrefixAny(qualLeadRe.ReplaceAllString(object, ""), countedNouns) || hasAny(object, partNouns) || strings.Contains(firstRunes(object, 4), "级")) {
			return object, tiered, false
		}
	}
	return object, tiered, true
}

// fullSubject completes the subject of an indicator from the one before
// (lastSubject) or the sentence's topic when it is empty, a growth rate
// or a share (占, 比重) of something named before.
func (d *doc) fullSubject(subject, lastSubject string, sent span, cs int) string {
	switch {
	case subject == "" && lastSubject == "":
		return d.topic(sent, cs)
	case subject == "":
		return lastSubject
	case onlyGrowth(subject) && lastSubject != "":
		return lastSubject + subject // "产值突破1.2万亿元,年均增长15%": the same subject
	case (strings.HasPrefix(subject, "占") || strings.HasPrefix(subject, "比重")) && lastSubject != "":
		return lastSubject + subject
	case strings.HasPrefix(subject, "占") || strings.HasPrefix(subject, "比重"):
		return d.previousSubject(sent, cs) + subject
	}
	return subject
}

// tierRe opens the noun of a count of things of a tier: 万亿级, 5000亿级,
// 世界级.
var tierRe = regexp.MustCompile(`^(?:(?:[0-9]+|[一二两三四五六七八九十百千]+)?(?:万亿|千亿|百亿|亿)级|世界级)[\p{Han}]{0,8}?(?:产业集群|集群|产业链|产业|园区|企业|基地|平台)(?:$|和|及)`)

// qualLeadRe matches the role words that lead the noun of a count: the
// 优势 of "4条优势产业链条".
var qualLeadRe = regexp.MustCompile(`^(?:` + qualPat + `)+`)

// gapRe ends the words before a gap against other regions.
var gapRe = regexp.MustCompile(`(?:高于|低于|快于|慢于|超过|领先)(?:全国|全省|全市|全区|同期|平均)[\p{Han}和、]{0,8}$`)

// gapAnyRe finds a gap against other regions anywhere in a clause.
var gapAnyRe = regexp.MustCompile(`(?:高于|低于|快于|慢于|领先)(?:全国|全省|全市|同期平均)`)

// distRe is what follows 分别 before a value that is one of several:
// the verb and the values before it.
var distRe = regexp.MustCompile(`^([\p{Han}]{1,4}?)((?:[0-9.]+[^、,;。0-9]{0,4}、)*)$`)

// distributed reads a value stated with 分别 for the items listed before
// it ("A、B等产业链群稳健增长,分别增长10%、9.0%"): the k-th value is the
// k-th item's. It returns the metric: the item, the words after the list,
// the verb.
func (d *doc) distributed(sent span, o int) (string, bool) {
	p := strings.LastIndex(d.s[sent.a:o], "分别")
	if p < 0 {
		return "", false
	}
	p += sent.a
	m := distRe.FindStringSubmatch(d.s[p+len("分别") : o])
	if m == nil {
		return "", false
	}
	verb, k := m[1], strings.Count(m[2], "、")
	ce := p
	if r, sz := utf8.DecodeLastRuneInString(d.s[:ce]); r == ',' {
		ce -= sz
	}
	cs := max(d.clauseStart(ce), sent.a)
	// The page may have lost the stop before the list: "33.1%新材料、…".
	for cs < ce {
		r, sz := utf8.DecodeRuneInString(d.s[cs:])
		if isHan(r) {
			break
		}
		cs += sz
	}
	clause := d.s[cs:ce]
	end := len(clause)
	tail := ""
	if loc := itemCountRe.FindStringIndex(clause); loc != nil {
		end, tail = loc[0], clause[loc[1]:]
	} else if e := strings.LastIndex(clause, "等"); e >= 0 {
		end, tail = e, clause[e+len("等"):]
	}
	items, _ := d.splitList(cs, cs+end, 0)
	if len(items) < 2 || k >= len(items) {
		return "", false
	}
	tail = cutAtVerb(tail)
	return d.s[items[k].a:items[k].b] + tail + verb, true
}

// firmFinanceWords are the words of one firm's finances (a share issue,
// its profit): its figures are no indicators of the plan.
var firmFinanceWords = []string{"募集资金", "发行股票", "募集说明书", "净利润", "市值", "股价", "每股"}

// closesList reports whether the words from cs to the number at o end a
// list of names, which the number then counts: "石油化工、装备制造4条".
func (d *doc) closesList(cs, o int) bool {
	before := d.s[cs:o]
	if !strings.Contains(before, "、") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	if !isHan(r) || r == '和' || r == '及' {
		return false
	}
	return lastVerbEnd(before, indicatorVerbs) < len(before)-3*2
}

// kindOf tells a target from a baseline: words of achievement, then words
// of aim, then a year before the plan's period or date.
func (d *doc) kindOf(ctx string, year int) string {
	from, _ := d.periodYears()
	switch {
	case hasAny(ctx, baselineWords):
		return "baseline"
	case hasAny(ctx, targetWords):
		return "target"
	case year > 0 && (from > 0 && year < from || d.year > 0 && year < d.year):
		return "baseline"
	case fypEndRe.MatchString(ctx) && !strings.Contains(ctx, "十四五") && !strings.Contains(ctx, "十五五"):
		return "baseline" // "“十三五”期间…": a past period
	}
	return "target"
}

// growthTails end a metric's subject with how it changes; a clause that
// goes on about the same subject ("…全年增长10%以上、十四五末达到两千亿元")
// takes the subject without them.
var growthTails = sortLongestFirst([]string{"全年增长", "年均增长", "同比增长", "增长", "增速", "下降", "降低", "提高", "提升", "占"})

// onlyGrowth reports whether a subject says how something changes and not
// what: "年均增长".
func onlyGrowth(s string) bool {
	s = strings.TrimPrefix(strings.TrimPrefix(s, "保持"), "年均")
	for _, t := range growthTails {
		if s == t {
			return true
		}
	}
	return s == ""
}

func baseSubject(s string) string {
	for _, t := range growthTails {
		if u, ok := strings.CutSuffix(s, t); ok && runeLen(u) >= 2 {
			return u
		}
	}
	return s
}

func firstRunes(s string, n int) string {
	i := 0
	for k := range s {
		if i == n {
			return s[:k]
		}
		i++
	}
	return s
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// objectEnd returns the end of the noun after a counter: up to a
// delimiter, a list separator, or a verb that starts another clause.
func (d *doc) objectEnd(a, ce int) int {
	end := ce
	if k := strings.Index(d.s[a:ce], "、"); k >= 0 {
		end = a + k
	}
	for _, v := range []string{"获", "入选", "列入", "进入", "成为", "达到", "实现", "等", "的"} {
		if k := strings.Index(d.s[a:end], v); k >= 0 {
			end = a + k
		}
	}
	return end
}

// quotedName reports whether byte o is inside a short quotation — a name
// or a slogan, not reported speech.
func quotedName(s string, sent span, o int) bool {
	open := strings.LastIndex(s[sent.a:o], "“")
	if open < 0 || open < strings.LastIndex(s[sent.a:o], "”") {
		return false
	}
	close := strings.Index(s[o:sent.b], "”")
	if close < 0 {
		return false
	}
	return runeLen(s[sent.a+open:o+close]) <= 16
}

// subject strips from the text before a number what is not the metric:
// time words and lead words on the left, level verbs on the right.
func (d *doc) subject(before string) string {
	t := strings.TrimSpace(before)
	for {
		u := strings.TrimLeft(t, "“”\"、 ")
		if m := timeLeadRe.FindString(u); m != "" {
			u = u[len(m):]
		}
		for _, w := range metricLeads {
			if strings.HasPrefix(u, w) && len(u) > len(w) {
				u = u[len(w):]
				break
			}
		}
		if u == t {
			break
		}
		t = u
	}
	for changed := true; changed; {
		changed = false
		t = strings.TrimRight(t, "“”\" ")
		for _, w := range levelVerbs {
			if u, ok := strings.CutSuffix(t, w); ok {
				t, changed = u, true
				break
			}
		}
	}
	return trimQuotes(t)
}

// previousSubject is the subject of the clause before cs in the sentence,
// for a clause that starts with 占 ("数字经济持续领跑,占GDP的比重达42%").
func (d *doc) previousSubject(sent span, cs int) string {
	if cs <= sent.a {
		return ""
	}
	ps := max(d.clauseStart(cs-1), sent.a)
	prev := d.s[ps : cs-1]
	// A clause comparing (比年底提升3个位次) has no subject of its own.
	if hasPrefixAny(stripLead(prev), []string{"比", "较", "占", "同比"}) && ps > sent.a {
		return d.previousSubject(sent, ps)
	}
	return d.subject(cutAtVerb(prev))
}

// subjectVerbs end the subject of a clause that states a level or change
// ("工业增加值总量跃升至全省第3位").
var subjectVerbs = []string{"跃升", "达到", "突破", "超过", "提高", "提升", "保持", "实现", "位居", "位列", "增长", "下降", "降低", "达"}

func cutAtVerb(clause string) string {
	for _, v := range subjectVerbs {
		if k := strings.Index(clause, v); k > 0 {
			clause = clause[:k]
		}
	}
	return clause
}

// topic is the subject the part of the sentence before cs is about: the
// subject of its first clause that has one, within the ';' part holding
// cs ("工业营业收入跃升至全省第5位,…,达到.8亿元").
func (d *doc) topic(sent span, cs int) string {
	a := sent.a
	if k := strings.LastIndex(d.s[sent.a:cs], ";"); k >= 0 {
		a = sent.a + k + 1
	}
	for a < cs {
		e := min(d.clauseEnd(a), cs)
		clause := cutAtVerb(d.s[a:e])
		if sub := d.subject(clause); sub != "" && !hasPrefixAny(sub, []string{"比", "较", "占", "同比"}) {
			return sub
		}
		_, sz := utf8.DecodeRuneInString(d.s[e:])
		a = e + sz
	}
	return ""
}

// yearOf returns the target year a sentence states: 到2025年, 2025年 (not
// a date, not a base of comparison), 十四五末.
func (d *doc) yearOf(text string) int {
	y := 0
	for _, m := range yearWordRe.FindAllStringSubmatch(text, -1) {
		if m[1] != "" || m[3] != "" {
			continue
		}
		if v, err := strconv.Atoi(m[2]); err == nil {
			y = v
		}
	}
	if m := fypEndRe.FindStringSubmatch(text); m != nil && y == 0 {
		_, end := fypYears(10 + cnSmall[[]rune(m[1])[0]])
		y = end
	}
	return y
}

// yearFor returns the year of an indicator from the text of its sentence
// before it: an explicit year, a five-year period, a relative year, or the
// year of the sentences before.
func (d *doc) yearFor(ctx string, ctxYear int) int {
	if yearLost(ctx) {
		return 0
	}
	if y := d.yearOf(ctx); y > 0 {
		return y
	}
	// A year relative to the document's date; unknown without one.
	for _, rel := range []struct {
		word string
		add  int
	}{{"明年", 1}, {"去年", -1}, {"今年", 0}, {"全年", 0}, {"年内", 0}} {
		if strings.Contains(ctx, rel.word) {
			if d.year == 0 {
				return 0
			}
			return d.year + rel.add
		}
	}
	return ctxYear
}

// yearLost reports whether the text has a year whose digits the page lost:
// "到年," (not 到年底, 到年末).
func yearLost(ctx string) bool {
	for i := 0; ; {
		k := strings.Index(ctx[i:], "到年")
		if k < 0 {
			return false
		}
		i += k + len("到年")
		if !hasPrefixAny(ctx[i:], []string{"底", "末", "初", "中"}) {
			return true
		}
	}
}

// keepIndicator adds an indicator unless the plan already said it: the
// same value and unit, for the same year, of a metric sharing most of its
// words.
func (d *doc) keepIndicator(in graph.Indicator) {
	list := &d.out.Indicators
	if in.Value == nil {
		list = &d.out.MissingValues
	}
	for _, x := range *list {
		if !sameValue(x.Value, in.Value) || x.Unit != in.Unit || x.Year != 0 && in.Year != 0 && x.Year != in.Year {
			continue
		}
		if overlap(x.Metric, in.Metric) >= 0.5 && digitsOf(x.Metric) == digitsOf(in.Metric) {
			return // not "5000亿级产业" and "4000亿级产业"
		}
	}
	*list = append(*list, in)
}

// digitsOf returns the digits in s.
func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

func sameValue(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// overlap is the share of the shorter text's character pairs found in the
// other: how much two wordings of a metric agree.
func overlap(a, b string) float64 {
	pa, pb := bigrams(a), bigrams(b)
	if len(pa) > len(pb) {
		pa, pb = pb, pa
	}
	if len(pa) == 0 {
		return 0
	}
	n := 0
	for p := range pa {
		if pb[p] {
			n++
		}
	}
	return float64(n) / float64(len(pa))
}

func bigrams(s string) map[string]bool {
	r := []rune(s)
	m := map[string]bool{}
	for i := 0; i+1 < len(r); i++ {
		m[string(r[i:i+2])] = true
	}
	return m
}

// missingNumbers finds measures whose number the page lost: a verb right
// before a unit ("达到个", "达到亿元"), or a noun and a counter ending a
// clause with no number ("建设绿色工厂家,").
func (d *doc) missingNumbers() {
	s := d.s
	for _, v := range []string{"达到", "突破", "超过", "提高到", "提高至", "增长", "建成"} {
		for i := 0; ; {
			k := strings.Index(s[i:], v)
			if k < 0 {
				break
			}
			vAt := i + k
			at := vAt + len(v)
			i = at
			j := at
			for j < len(s) {
				r, sz := utf8.DecodeRuneInString(s[j:])
				if r != '万' && r != '亿' && r != '千' {
					break
				}
				j += sz
			}
			unit := ""
			for _, u := range units {
				if strings.HasPrefix(s[j:], u.word) {
					unit = u.word
					break
				}
			}
			end := j + len(unit)
			mult := s[at:j]
			switch {
			case unit == "" && strings.HasPrefix(s[j:], "级"):
				// 达到亿级: digits lost before a bare 亿级; 万亿级, 千亿级 and
				// 百亿级 name tiers.
				if mult != "亿" && mult != "万" {
					continue
				}
				unit, end = mult+"级", j+len("级")
			case unit == "":
				continue
			case mult != "":
				continue // 突破万亿元: one of the multiplier, not a lost number
			case unit == "元" || unit == "美元":
				unit = "亿" + unit
			}
			if unit == "个百分点" || !endsQuantity(s[end:]) {
				continue
			}
			d.addMissing(d.clauseStart(vAt), vAt, end, unit)
		}
	}
	for _, c := range []string{"个", "家", "项", "座", "所"} {
		for i := 0; ; {
			k := strings.Index(s[i:], c)
			if k < 0 {
				break
			}
			at := i + k
			i = at + len(c)
			if next, _ := utf8.DecodeRuneInString(s[i:]); i < len(s) && !strings.ContainsRune(",;。、", next) {
				continue
			}
			prev, _ := utf8.DecodeLastRuneInString(s[:at])
			if !isHan(prev) || hasSuffixAny(s[:i], missingWords) {
				continue
			}
			cs := d.clauseStart(at)
			clause := s[cs:at]
			if strings.ContainsAny(clause, "0123456789") || hasAny(clause, []string{"一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十"}) {
				continue
			}
			lead := strings.TrimLeft(clause, "“”、 ")
			if m := timeLeadRe.FindString(lead); m != "" {
				lead = lead[len(m):]
			}
			if !hasPrefixAny(lead, []string{"建设", "建成", "新建", "培育", "新增", "打造", "认定", "创建"}) {
				continue
			}
			d.addMissing(cs, at, i, c)
		}
	}
}

// endsQuantity reports whether a quantity can end before text: at a
// delimiter, the end, or a comparator word (以上, 左右 …).
func endsQuantity(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return text == "" || strings.ContainsRune(clauseDelims+"、”", r) ||
		hasPrefixAny(text, []string{"以上", "以下", "以内", "左右", "上下"})
}

// addMissing records an indicator whose number is lost: the metric is the
// clause from cs to b, the evidence runs to end.
func (d *doc) addMissing(cs, b, end int, unit string) {
	metric := d.subject(d.s[cs:b])
	if u, ok := strings.CutPrefix(metric, "建设"); ok {
		metric = u
	}
	if runeLen(metric) < 2 {
		return
	}
	in := graph.Indicator{Metric: metric, Unit: unit, Comparator: "=", Note: "the number was lost from the page",
		Kind: "target", Evidence: d.ev(cs, end)}
	for _, x := range d.out.MissingValues {
		if x.Metric == in.Metric {
			return
		}
	}
	d.out.MissingValues = append(d.out.MissingValues, in)
}
