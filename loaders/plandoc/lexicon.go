package plandoc

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// The words below are the language of Chinese industrial plans — verbs that
// introduce a list, role words, counters, unit words, the kinds of parks —
// not strings of any one document. Each list is in simplified characters,
// since extraction runs on normalised text.

// leadWords are the verbs, adverbs and connectives that stand before the
// first item of a list, a park's name or an indicator's subject
// ("重点培育壮大 现代海洋、…"). They are stripped from the left of a phrase,
// repeatedly, longest first.
var leadWords = sortLongestFirst([]string{
	"一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是",
	"进一步", "高起点", "高标准", "高水平", "全方位", "大力", "重点", "着力", "积极", "持续", "加快", "加速",
	"全力", "全面", "率先", "优先", "前瞻", "主动", "深入", "不断", "逐步", "努力", "力争", "确保", "争取",
	"培育", "壮大", "发展", "推进", "推动", "聚焦", "布局", "打造", "围绕", "统筹", "实施", "建设", "做强",
	"做优", "做大", "做精", "做实", "主攻", "提升", "巩固", "优化", "构建", "依托", "形成", "培植", "扶持",
	"支持", "鼓励", "引导", "引进", "集聚", "聚集", "集中", "突出", "强化", "深化", "拓展", "延伸", "完善",
	"加强", "抓好", "抓住", "坚持", "通过", "加大", "做好", "谋划", "抢抓", "瞄准", "对接", "紧扣", "立足",
	"面向", "重塑", "提质", "育强", "招引", "引育", "建强", "锻造", "补齐", "拉长",
	"提出", "促进", "我们", "加快推动", "其中", "包括", "例如", "比如", "主要是", "主要", "重点是", "同时", "此外", "另外", "以及", "特别是",
	"去年", "今年", "明年", "目前", "当前", "近年来", "全市", "全省", "全区", "全县", "我市", "我省", "我区",
	"我县", "本市", "本省", "本区", "市里", "省里", "一批", "一系列", "新建", "新培育", "新增", "创建", "争创",
	"申建", "申创", "列入", "入选", "进入", "成为", "作为", "将", "把", "以", "对", "在", "于", "和", "及", "并",
	"即", "如", "向", "从", "由", "使", "让", "是", "为", "与", "等", "的", "了", "要", "还", "也",
})

// aspirational words say a designation is sought, not held: a park to be
// created (创建…试验区), a cluster that aims for a national listing.
var aspirational = []string{"争取", "力争", "争创", "创建", "申建", "申创", "申报", "冲刺", "积极创建", "积极争创"}

// roleWords map the role words of plans to the roles of graph.IndustryRole,
// in the order they are tested: 传统优势 is traditional, not advantage.
var roleWords = []struct {
	word string
	role graph.IndustryRole
}{
	{"首位", graph.RolePillar}, {"主导", graph.RolePillar}, {"支柱", graph.RolePillar},
	{"战略性新兴", graph.RoleEmerging}, {"战略新兴", graph.RoleEmerging}, {"新兴", graph.RoleEmerging},
	{"未来", graph.RoleFuture},
	{"传统", graph.RoleTraditional},
	{"优势", graph.RoleAdvantage}, {"特色", graph.RoleAdvantage},
	{"重点", graph.RoleKey},
}

// roleOf returns the role a phrase's role words give, or "".
func roleOf(phrase string) graph.IndustryRole {
	for _, w := range roleWords {
		if strings.Contains(phrase, w.word) {
			return w.role
		}
	}
	return ""
}

// genericNames are names of categories, not of industries, clusters,
// chains or parks: a list item or a name reduced to one of them is dropped.
var genericNames = setOf(
	"产业", "行业", "领域", "集群", "产业集群", "产业链", "链群", "新兴产业", "战略性新兴产业", "战略新兴产业", "未来产业",
	"传统产业", "传统优势产业", "优势产业", "主导产业", "支柱产业", "主导支柱产业", "重点产业", "特色产业", "先进制造业",
	"制造业", "现代产业", "现代服务业", "服务业", "高端前沿产业", "数字产业", "实体经济", "标志性", "标志性产业链", "重点",
	"优势", "特色", "新兴", "传统", "主导", "支柱", "未来", "现代化", "高新技术", "高技术", "高新技术产业", "数字经济",
	"工业", "经济", "产业体系", "现代产业体系", "先进制造业集群", "新型工业化", "链式", "产业链式", "特色优势", "优势特色",
	"战略性新兴产业集群", "高端", "前沿", "新一代", "传统优势", "重点领域", "关键领域", "创新", "新型", "企业", "龙头企业",
	"中小企业", "优质企业", "产业基础", "数字", "智能", "绿色", "高端化", "智能化", "绿色化", "集群化", "服务化",
	"生产性服务业", "制造服务业", "新兴服务业", "未来赛道", "细分领域",
)

// roleOnlyRe matches a phrase made of role words alone (战略性新兴,
// 传统优势): a role, not an industry.
var roleOnlyRe = regexp.MustCompile(`^(?:主导|支柱|战略性新兴|战略新兴|新兴|未来|传统|优势|重点|特色|高端|前沿|先进|现代|数字|标志性)+$`)

// verbTails end a phrase that is an action, not a name ("转型升级",
// "发展壮大"): a list item ending so is not an item.
var verbTails = []string{
	"升级", "壮大", "谋划", "转型", "提升", "建设", "推进", "发展", "布局", "培育", "突破", "攻关", "融合", "改造",
	"增效", "提质", "协同", "赋能", "优化", "引领", "保障", "落实", "攀登", "倍增", "集聚",
}

// industryHeads are the words an industry's name is built on. A phrase
// with one of them reads as an industry ("高端软件", "先进电网"); one
// without, found by a weak pattern, is not taken as one.
var industryHeads = []string{
	"产业", "行业", "制造", "装备", "设备", "材料", "医药", "药", "健康", "信息", "技术", "电子", "化工", "石化",
	"化学", "能源", "电网", "电力", "软件", "电路", "芯片", "半导体", "计算", "算力", "互联网", "网络", "物联网",
	"智能", "机器人", "物流", "旅游", "文旅", "农业", "渔业", "牧业", "林业", "种业", "海洋", "服装", "纺织",
	"轻纺", "加工", "五金", "建材", "环保", "钢", "冶金", "有色", "金属", "机械", "机床", "船舶", "航空", "航天",
	"空天", "无人机", "卫星", "北斗", "食品", "饮料", "生物", "器械", "医疗", "汽车", "新能源", "储能", "氢能",
	"核能", "风能", "风电", "太阳能", "光伏", "光电", "区块链", "大数据", "云计算", "人工智能", "元宇宙", "量子",
	"通信", "家电", "家居", "造纸", "印刷", "文化", "创意", "金融", "服务", "商贸", "电商", "会展", "体育", "康养",
	"养老", "仪器", "仪表", "显示", "传感", "橡胶", "塑料", "玻璃", "陶瓷", "建筑", "交通", "运输", "港口", "航运",
	"海工", "电池", "工业母机", "模具", "轴承", "零部件", "元器件", "虚拟现实", "基因", "细胞", "疫苗", "中医药",
	"预制菜", "化纤", "节能", "低空", "卫浴", "家纺", "皮革", "鞋", "珠宝", "工艺品", "煤", "石油", "天然气",
}

// industryLike reports whether a phrase reads as the name of an industry.
func industryLike(s string) bool {
	for _, h := range industryHeads {
		if strings.Contains(s, h) {
			return true
		}
	}
	return false
}

// Park kinds: the words a park's or zone's name ends with, longest first,
// each with the kind recorded.
var parkSuffixes = sortSuffixes([]parkSuffix{
	{"经济技术开发区", "经开区"}, {"高新技术产业开发区", "高新区"}, {"高新技术开发区", "高新区"}, {"经济开发区", "经开区"},
	{"开发区", "开发区"}, {"高新区", "高新区"}, {"经开区", "经开区"}, {"综合保税区", "综保区"}, {"综保区", "综保区"},
	{"保税港区", "保税港区"}, {"保税区", "保税区"}, {"片区", "自贸片区"}, {"自由贸易试验区", "自贸区"}, {"自贸试验区", "自贸区"},
	{"产业园区", "产业园"}, {"工业园区", "产业园"}, {"产业园", "产业园"}, {"工业园", "产业园"}, {"科技园", "科技园"},
	{"软件园", "产业园"}, {"物流园", "产业园"}, {"创业园", "产业园"}, {"园区", "园区"}, {"产业城", "产业城"},
	{"科技城", "科技城"}, {"科学城", "科技城"}, {"智造城", "产业城"}, {"产业新城", "产业城"}, {"新区", "新区"},
	{"起步区", "新区"}, {"先导区", "先导区"}, {"示范区", "示范区"}, {"试验区", "试验区"}, {"走廊", "走廊"},
	{"产业基地", "产业基地"}, {"合作区", "合作区"}, {"集中区", "集中区"}, {"度假区", "度假区"}, {"高铁新城", "新城"}, {"谷", "谷"},
})

type parkSuffix struct{ word, kind string }

// descriptiveWords describe a park a plan wants rather than name one
// ("建设世界一流高科技园区").
var descriptiveWords = []string{"一流", "领先", "高水平", "示范性", "现代化", "特色化", "专业化", "国际化", "智慧化"}

// policyZones end the names of areas of policy (a province-wide reform
// pilot), which are not parks.
var policyZones = []string{"综合试验区", "综合改革试验区", "综合配套改革试验区", "改革试验区", "先行示范区", "核心示范区"}

// genericParkWords are modifiers that, alone before a park kind, make a
// category rather than a name (国家级经济技术开发区, 工业类开发区, 各园区).
var genericParkWords = sortLongestFirst([]string{
	"国家级", "省级", "市级", "县级", "国家", "省", "市", "县", "区", "各", "各类", "各级", "全市", "全省", "现有", "重点",
	"特色", "工业类", "工业", "产业", "经济", "化工", "专业", "综合", "新型", "城市", "该", "本", "这些", "一批", "首批",
	"自贸", "中国", "新", "科技", "主要", "特殊", "海关特殊监管", "省级以上", "国家级以上",
})

// firmSuffixes end the registered names of firms.
var firmSuffixes = []string{"集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "集团"}

// firmHeads follow a place name in the short names of large firms (山东重工,
// 山东高速, 兖矿集团): a place followed by one of them names a firm.
var firmHeads = []string{"重工", "集团", "控股", "药业", "建工", "高速", "国投", "建投", "交投", "港口集团", "钢铁集团", "黄金集团"}

// firmCategories are kinds of firms (专精特新, 瞪羚 …), not firms.
var firmCategories = []string{
	"专精特新", "小巨人", "瞪羚", "独角兽", "单项冠军", "隐形冠军", "高新技术", "科技型", "创新型", "中小", "规上",
	"规模以上", "龙头", "骨干", "领军", "链主", "上市", "国有", "民营", "外资", "重点", "优质", "头部", "企业",
	"公司", "单位", "机构", "集团", "专家",
}

// Counters and nouns of counted groups.
var (
	// groupNouns are what a plan counts in a group of its own ("八大产业",
	// "21个产业链群", "22项重点任务"), longest first, with the group's kind.
	groupNouns = []struct{ word, kind string }{
		{"产业集群", "cluster"}, {"产业链群", "chain"}, {"产业链条", "chain"}, {"产业链", "chain"}, {"链群", "chain"},
		{"集群", "cluster"}, {"产业", "industry"}, {"行业", "industry"}, {"指标", "indicator"}, {"目标", "indicator"},
		{"任务", "task"},
	}
	// countedNouns follow a number that counts things of the plan itself,
	// not a quantity to measure: "22项重点任务", "6个方面", "4个产业集群".
	countedNouns = []string{
		"产业", "集群", "链群", "产业链", "指标", "目标", "任务", "方面", "部分", "章", "措施", "行动", "工程", "领域",
		"环节", "维度", "板块", "体系", "内容", "位次", "台阶", "条意见", "意见", "部门", "专家", "抓手", "载体", "动能",
		"大类", "方向", "重点", "举措", "要点", "机制", "政策", "文件", "支撑", "格局", "模式", "阶段", "步",
	}
)

// Number words.
const cnDigits = "零〇一二两三四五六七八九"

// setOf makes a set of words.
func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func sortLongestFirst(ws []string) []string {
	ws = slices.Clone(ws)
	slices.SortStableFunc(ws, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	return slices.Compact(ws)
}

func sortSuffixes(ps []parkSuffix) []parkSuffix {
	slices.SortStableFunc(ps, func(a, b parkSuffix) int {
		return utf8.RuneCountInString(b.word) - utf8.RuneCountInString(a.word)
	})
	return ps
}

// stripLead removes lead words from the left of s, repeatedly.
func stripLead(s string) string {
	for {
		t := strings.TrimLeft(s, "“”\"'()·,.;:、 ")
		for _, w := range leadWords {
			if strings.HasPrefix(t, w) {
				t = t[len(w):]
				break
			}
		}
		if t == s {
			return s
		}
		s = t
	}
}

// trimQuotes drops quotes and brackets around and inside a name.
func trimQuotes(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '“', '”', '"', '\'', '‘', '’', '《', '》':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func hasSuffixAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// nameChars reports whether s is Chinese characters (and Latin letters or
// digits inside a name such as 5G or BIM), with at least one character.
func nameChars(s string) bool {
	han, depth := false, 0
	for _, r := range s {
		switch {
		case isHan(r):
			han = true
		case r == '(' && depth == 0 && han:
			depth++ // a bracket that is part of the term: 石墨(烯)
		case r == ')' && depth == 1:
			depth--
		case r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '·' || r == '+':
		default:
			return false
		}
	}
	return han && depth == 0
}

// oneCharIndustries are materials and goods that name an industry in one
// character (糖、铝、钢铁等传统产业).
var oneCharIndustries = setOf("糖", "铝", "钢", "铁", "铜", "煤", "茶", "酒", "盐", "锂", "硅", "镁", "锌", "铅", "锡", "镍",
	"钛", "钨", "锰", "金", "银", "棉", "麻", "丝", "竹", "木", "纸", "油", "气", "电", "烟", "奶", "肉", "菜", "果", "粮")

// splitQualifier drops a bracket at the end of a name that lists members or
// says what it includes — 纺织服装(含箱包皮具), 新算力(数据信息、电子) — and
// returns it as a note. A bracket that is part of the term (石墨(烯),
// 能源(油气)) stays.
func splitQualifier(name string) (string, string) {
	name = strings.TrimSpace(name)
	if !strings.HasSuffix(name, ")") {
		return name, ""
	}
	open := strings.LastIndexByte(name, '(')
	if open <= 0 {
		return name, ""
	}
	inner := name[open+1 : len(name)-1]
	if hasPrefixAny(inner, []string{"含", "包括", "包含", "如", "涵盖"}) || strings.ContainsAny(inner, "、,和及") {
		return strings.TrimSpace(name[:open]), inner
	}
	return name, ""
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
