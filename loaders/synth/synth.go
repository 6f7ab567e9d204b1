// Package synth generates synthetic enterprise registries for benchmarks:
// rows shaped like a 企查查 export, with valid credit codes whose region
// digits agree with the firm's region, realistic names, capital, dates,
// statuses and tags at realistic rates, and 经营范围 built from the chain
// library's vocabulary plus noise. Generation is deterministic for a seed.
// Its firms are marked synthetic; they are never part of the default data.
//
// Two distributions place firms and choose their chain nodes. Realistic
// (realistic.go) imitates how registries are spread: Zipf-like city sizes
// (the largest city ~3.6% of firms, the ten largest ~24%, the median
// ~0.13%), firms crowded into a few districts, each city specialised in two
// to four chains, most nodes empty in most counties. Uniform, the first
// generator, draws every county and node alike; New keeps it, so files and
// figures made with it can be made again. Generator.Summary reports the
// shape of what was drawn.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// Header is the header of generated rows.
var Header = []string{"企业名称", "统一社会信用代码", "登记状态", "法定代表人", "注册资本", "成立日期",
	"所属省份", "所属城市", "所属区县", "企业类型", "国标行业小类", "参保人数", "注册地址", "经营范围",
	"标签", "股票代码", "synthetic"}

// Place is a county with its city and province, as rows name them.
type Place struct {
	County, City, Province graph.Region
}

// Topic is one chain node's vocabulary: the words a firm in it puts in its
// 经营范围, and the node's industry codes. Chain groups topics for the
// realistic distribution's specialisation; "" is a chain of its own.
type Topic struct {
	Words []string
	Codes []graph.IndustryCode
	Chain graph.ChainID
}

// Vocabulary is what the generator draws from.
type Vocabulary struct {
	Places []Place
	Topics []Topic
}

// FromIndex takes the vocabulary from a read model: every county (with its
// city and province) and every chain node with words.
func FromIndex(x *readmodel.Index) Vocabulary {
	var v Vocabulary
	var walk func(c graph.RegionCode)
	walk = func(c graph.RegionCode) {
		for _, k := range x.Children(c) {
			r, _ := x.Region(k)
			if r.Level != graph.LevelCounty {
				walk(k)
				continue
			}
			anc := x.Ancestors(k)
			if len(anc) != 2 {
				continue
			}
			city := anc[1]
			if city.ShortName == "" {
				// 市辖区, 省直辖县级行政区划: exports name the province as the city.
				city = anc[0]
			}
			v.Places = append(v.Places, Place{County: r, City: city, Province: anc[0]})
		}
	}
	// The provinces of GB/T 2260.
	for _, p := range []string{"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"} {
		walk(graph.RegionCode(p + "0000"))
	}
	for _, c := range x.Chains() {
		for _, n := range x.ChainNodes(c.ID) {
			words := append(append(append([]string{}, n.Keywords...), n.Products...), n.Aliases...)
			if len(words) == 0 {
				continue
			}
			v.Topics = append(v.Topics, Topic{Words: words, Codes: n.Codes, Chain: c.ID})
		}
	}
	return v
}

// FromNodes makes topics of chain nodes (for tests with a fixture chain).
func FromNodes(nodes []graph.ChainNode) []Topic {
	var ts []Topic
	for _, n := range nodes {
		words := append(append([]string{}, n.Keywords...), n.Products...)
		if len(words) > 0 {
			ts = append(ts, Topic{Words: words, Codes: n.Codes})
		}
	}
	return ts
}

// Generator makes rows.
type Generator struct {
	v     Vocabulary
	rng   *rand.Rand
	n     int
	buf   []string
	sb    strings.Builder
	real  *layout // the realistic distribution's layout; nil for uniform
	tally tally
	drawn []int // the topic indexes of the current row
}

// Distribution is how firms spread over regions and chain nodes.
type Distribution int

const (
	// Uniform puts every firm in a county drawn uniformly and gives it
	// topics drawn uniformly: at a million firms every city has firms in
	// nearly every leaf. Kept for the figures taken with it.
	Uniform Distribution = iota
	// Realistic draws regions and topics as registries are distributed
	// (realistic.go): heavy-tailed city sizes, firms concentrated in a
	// few districts, each region specialised in a few chains, most leaves
	// empty in most counties.
	Realistic
)

// ParseDistribution reads a distribution's name: uniform or realistic.
func ParseDistribution(s string) (Distribution, error) {
	switch s {
	case "uniform":
		return Uniform, nil
	case "realistic":
		return Realistic, nil
	}
	return 0, fmt.Errorf("synth: distribution %q: want uniform or realistic", s)
}

func (d Distribution) String() string {
	if d == Realistic {
		return "realistic"
	}
	return "uniform"
}

// New returns a uniform generator over v, deterministic for seed. v needs places.
func New(v Vocabulary, seed uint64) (*Generator, error) { return NewDist(v, seed, Uniform) }

// NewDist returns a generator over v with distribution d, deterministic for
// seed (the seed also draws the realistic layout: which cities are large and
// what they make). v needs places.
func NewDist(v Vocabulary, seed uint64, d Distribution) (*Generator, error) {
	if len(v.Places) == 0 {
		return nil, fmt.Errorf("synth: the vocabulary has no counties: load the regions first")
	}
	g := &Generator{v: v, rng: rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15)), buf: make([]string, len(Header))}
	if d == Realistic {
		g.real = newLayout(v, rand.New(rand.NewPCG(seed^0x5DEECE66D, seed+0xB)))
	}
	return g, nil
}

// Noise words of 经营范围 that belong to no chain.
var noise = []string{"技术开发", "技术咨询", "技术转让", "技术推广", "软件开发", "信息咨询服务", "企业管理咨询",
	"货物进出口", "技术进出口", "五金产品销售", "日用百货销售", "办公用品销售", "机械设备租赁", "会议及展览服务",
	"普通货物仓储服务", "道路货物运输", "物业管理", "广告设计、代理", "市场营销策划", "劳务服务",
	"建筑材料销售", "化工产品销售（不含许可类化工产品）", "金属材料销售", "电子产品销售", "计算机系统服务"}

var verbs = []string{"的研发、生产和销售", "的生产、销售", "制造", "销售", "的技术开发、技术服务", "批发、零售",
	"的加工", "的维修", "的安装、维修", "研发"}

var boiler = "（依法须经批准的项目，经相关部门批准后方可开展经营活动）"

var brandChars = []rune("华鑫宏达盛泰瑞丰恒通联创新源远景浩博嘉德信诚金海天元中科汇鼎晟隆昌宇航东方国兴利安康正蓝星明光能")

var trades = []string{"新能源科技", "电子科技", "机械制造", "新材料", "智能装备", "汽车零部件", "动力科技",
	"电气", "精密机械", "化工", "生物科技", "信息技术", "贸易", "实业", "环保科技"}

var forms = []string{"有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"}

var surnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎")
var given = []rune("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志海峰鹏")

var firmTypes = []string{"有限责任公司(自然人投资或控股)", "有限责任公司(自然人独资)", "其他有限责任公司",
	"股份有限公司(非上市、自然人投资或控股)", "有限责任公司(法人独资)", "有限责任公司(外商投资、非独资)"}

var streets = []string{"长江路", "黄河路", "人民路", "解放路", "建设路", "工业园路", "科技大道", "创业路", "滨海路", "经济开发区"}

// orgAlphabet is the credit-code alphabet (no I, O, S, V, Z).
const orgAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

func (g *Generator) pick(s []string) string { return s[g.rng.IntN(len(s))] }

// Next returns the next row, aligned to Header. The slice is reused. The
// helpers draw from the one generator in column order, so a seed gives the
// same rows.
func (g *Generator) Next() []string {
	g.n++
	r := g.rng
	row := g.buf
	for i := range row {
		row[i] = ""
	}
	pl, topics := g.drawPlace()
	row[0] = g.name(pl)
	row[1] = g.creditCode(pl)
	row[2] = g.status()
	row[3] = string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))]) + string(given[r.IntN(len(given))])
	row[4] = g.capital()
	row[5] = g.date()
	// Region columns, missing from one export in ten (the address tells).
	if r.IntN(10) > 0 {
		row[6], row[7], row[8] = pl.Province.Name, pl.City.Name, pl.County.Name
	}
	row[9] = g.pick(firmTypes)
	if len(topics) > 0 && len(topics[0].Codes) > 0 && r.Float64() < 0.8 {
		row[10] = "C" + string(topics[0].Codes[r.IntN(len(topics[0].Codes))])
	}
	row[11] = strconv.Itoa(int(pow10(r.Float64() * 3)))
	row[12] = pl.Province.Name + pl.City.Name + pl.County.Name + g.pick(streets) + strconv.Itoa(1+r.IntN(999)) + "号"
	row[13] = g.scope(topics)
	row[14], row[15] = g.tags()
	row[16] = "true"
	return row
}

// drawPlace draws the firm's county and, for seven firms in ten, one to
// three topics, and tallies them.
func (g *Generator) drawPlace() (Place, []Topic) {
	r := g.rng
	var p int
	if g.real != nil {
		p = g.real.place(r)
	} else {
		p = r.IntN(len(g.v.Places))
	}
	var topics []Topic
	g.drawn = g.drawn[:0]
	if len(g.v.Topics) > 0 && r.Float64() < 0.7 {
		for k := 1 + r.IntN(3); k > 0; k-- {
			t := 0
			if g.real != nil {
				t = g.real.topic(r, p)
			} else {
				t = r.IntN(len(g.v.Topics))
			}
			g.drawn = append(g.drawn, t)
			topics = append(topics, g.v.Topics[t])
		}
	}
	g.tally.add(&g.v, p, g.drawn)
	return g.v.Places[p], topics
}

// name draws a firm name: city + 字号 + trade + form; one firm in ten
// names the county.
func (g *Generator) name(pl Place) string {
	r := g.rng
	g.sb.Reset()
	if r.IntN(10) == 0 && pl.County.ShortName != "" {
		g.sb.WriteString(pl.County.ShortName)
	} else {
		g.sb.WriteString(pl.City.ShortName)
	}
	for k := 0; k < 2; k++ {
		g.sb.WriteRune(brandChars[r.IntN(len(brandChars))])
	}
	g.sb.WriteString(g.pick(trades))
	g.sb.WriteString(g.pick(forms))
	return g.sb.String()
}

// creditCode draws a credit code: 9 (enterprise) 1 (company), the county,
// an organisation code, the check character. The serial number in the org
// code keeps it unique.
func (g *Generator) creditCode(pl Place) string {
	r := g.rng
	g.sb.Reset()
	g.sb.WriteString("91")
	g.sb.WriteString(string(pl.County.Code))
	for k := 0; k < 3; k++ {
		g.sb.WriteByte(orgAlphabet[r.IntN(len(orgAlphabet))])
	}
	for k, n := 0, g.n; k < 6; k, n = k+1, n/31 {
		g.sb.WriteByte(orgAlphabet[n%31])
	}
	prefix := g.sb.String()[:17]
	ch, _ := graph.CreditCheckChar(prefix)
	return prefix + string(ch)
}

// status draws a registration status: most firms are alive.
func (g *Generator) status() string {
	switch x := g.rng.Float64(); {
	case x < 0.78:
		return "存续"
	case x < 0.86:
		return "在业"
	case x < 0.95:
		return "注销"
	case x < 0.99:
		return "吊销，未注销"
	default:
		return "迁出"
	}
}

// capital draws a registered capital, log-normal-ish around 500万, in the
// formats exports use.
func (g *Generator) capital() string {
	r := g.rng
	capital := float64(int(50 * pow10(r.Float64()*3)))
	switch x := r.Float64(); {
	case x < 0.02:
		return fmt.Sprintf("%s万美元", commas(capital/5))
	case x < 0.05 && capital >= 10000:
		return fmt.Sprintf("%.2f亿元人民币", capital/10000)
	case x < 0.5:
		return fmt.Sprintf("%s万元人民币", commas(capital))
	default:
		return fmt.Sprintf("%g万元", capital)
	}
}

// date draws a founding date in one of three ways of writing it.
func (g *Generator) date() string {
	r := g.rng
	y, m, d := 1990+r.IntN(35), 1+r.IntN(12), 1+r.IntN(28)
	switch r.IntN(3) {
	case 0:
		return fmt.Sprintf("%d-%02d-%02d", y, m, d)
	case 1:
		return fmt.Sprintf("%d/%d/%d", y, m, d)
	default:
		return fmt.Sprintf("%d年%d月%d日", y, m, d)
	}
}

// scope draws a 经营范围: the topics' words with verbs, noise, the
// boilerplate.
func (g *Generator) scope(topics []Topic) string {
	r := g.rng
	g.sb.Reset()
	g.sb.WriteString("一般项目：")
	for i, t := range topics {
		if i > 0 {
			g.sb.WriteString("；")
		}
		for k := 1 + r.IntN(2); k > 0; k-- {
			g.sb.WriteString(t.Words[r.IntN(len(t.Words))])
			if k > 1 {
				g.sb.WriteString("、")
			}
		}
		g.sb.WriteString(g.pick(verbs))
	}
	for k := 2 + r.IntN(4); k > 0; k-- {
		if g.sb.Len() > len("一般项目：") {
			g.sb.WriteString("；")
		}
		g.sb.WriteString(g.pick(noise))
	}
	g.sb.WriteString("。")
	g.sb.WriteString(boiler)
	return g.sb.String()
}

// tags draws tags at roughly the national rates among active firms, and a
// stock code for a listed firm.
func (g *Generator) tags() (tags, stock string) {
	r := g.rng
	var ts []string
	x := r.Float64()
	switch {
	case x < 0.0002:
		ts = append(ts, "专精特新小巨人", "专精特新")
	case x < 0.01:
		ts = append(ts, "专精特新")
	}
	if r.Float64() < 0.03 {
		ts = append(ts, "高新技术企业")
	}
	if r.Float64() < 0.002 {
		ts = append(ts, "瞪羚企业")
	}
	if r.Float64() < 0.0001 {
		ts = append(ts, "单项冠军")
	}
	if r.Float64() < 0.00001 {
		ts = append(ts, "独角兽")
	}
	if r.Float64() < 0.0005 {
		ts = append(ts, "上市")
		stock = fmt.Sprintf("%06d.SZ", 900000+g.n%99999)
	}
	return strings.Join(ts, "；"), stock
}

func pow10(x float64) float64 {
	v := 1.0
	for ; x >= 1; x-- {
		v *= 10
	}
	// 10^frac by a short series is enough for a distribution's shape.
	return v * (1 + x*(1.3026+x*(0.6605+x*0.0369)))
}

// commas writes a whole number with thousands separators, as exports do.
func commas(v float64) string {
	s := strconv.FormatInt(int64(v), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
