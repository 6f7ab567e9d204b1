package plandoc

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

func extract(t *testing.T, text string, opt Options) *Document {
	t.Helper()
	d, err := Extract(&Text{Name: "plan.txt", Format: FormatText, Raw: text}, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestIndicatorForms(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // metric words=value unit comparator @year
	}{
		{"以上 and a target year", "到2025年，规模以上工业增加值年均增长8%以上。", []string{"规模以上工业增加值年均增长=8%>=@2025"}},
		{"突破 and 万亿", "到2025年，全市工业营业收入突破1万亿元。", []string{"全市工业营业收入=10000亿元>=@2025"}},
		{"超过", "到2025年，数字经济核心产业规模超过2000亿元。", []string{"数字经济核心产业规模=2000亿元>=@2025"}},
		{"左右", "2024年新增高新技术企业500家左右。", []string{"新增高新技术企业=500家~@2024"}},
		{"以内", "到2025年，单位工业增加值能耗下降控制在13%以内。", []string{"单位工业增加值能耗下降=13%<=@2025"}},
		{"不低于", "到2025年，制造业增加值占比不低于35%。", []string{"制造业增加值占比=35%>=@2025"}},
		{"a count with 万", "到2025年，建成5G基站达到3万个。", []string{"建成5G基站=30000个=@2025"}},
		{"Chinese numerals", "到2025年，产业集群规模达到两千亿元以上。", []string{"产业集群规模=2000亿元>=@2025"}},
		{"a bare multiplier", "到2025年，工业投资突破千亿元。", []string{"工业投资=1000亿元>=@2025"}},
		{"money in 万元 becomes 亿元", "到2025年，企业研发投入达到5000万元。", []string{"企业研发投入=0.5亿元=@2025"}},
		{"a rate stays as written", "到2025年，工业用地亩均税收达到30万元/亩。", []string{"工业用地亩均税收=30万元/亩=@2025"}},
		{"a count after its number", "2023年，新培育国家级工业设计中心5家左右，攻克10项左右关键核心技术。",
			[]string{"新培育国家级工业设计中心=5家~@2023", "攻克关键核心技术=10项~@2023"}},
		{"a figure in a list of figures", "2022年，全市高新技术企业已达1200家，科技型中小企业3500家。",
			[]string{"全市高新技术企业=1200家=@2022", "科技型中小企业=3500家=@2022"}},
		{"a share after a comma takes the subject", "目前，全市数字经济持续壮大，占GDP的比重达到41.5%。", []string{"全市数字经济持续壮大占GDP的比重=41.5%=@0"}},
		{"the year is lost", "到年，数字经济占GDP比重达到45%。", []string{"数字经济占GDP比重=45%=@0"}},
		{"not indicators", "征求区内17家重点企业意见，提出22项重点任务，共分4章，位居全省第3位，建设5G网络。", nil},
		{"a range is not one value", "工业投资增速高于全省平均3-5个百分点。", nil},
		{"a name in quotes", "实施“百项技改、千企转型”工程。", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := extract(t, tt.text, Options{})
			var got []string
			for _, in := range d.Indicators {
				got = append(got, indicatorKey(in))
			}
			if tt.name == "the year is lost" && len(d.Indicators) == 1 && !strings.Contains(d.Indicators[0].Note, "year was lost") {
				t.Errorf("no note that the year was lost: %+v", d.Indicators[0])
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("indicators of %q:\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestIndicatorKinds(t *testing.T) {
	d := extract(t, "某市“十四五”制造业发展规划\n“十三五”期间，全市规上工业增加值年均增长9.1%。\n到2025年，全市规上工业增加值年均增长8%以上。\n目前，全市已有专精特新企业300家。", Options{})
	want := map[string]string{"9.1": "baseline", "8": "target", "300": "baseline"}
	for _, in := range d.Indicators {
		v := strconvF(*in.Value)
		if want[v] != in.Kind {
			t.Errorf("%s %s: kind %s, want %s", in.Metric, v, in.Kind, want[v])
		}
	}
	if len(d.Indicators) != 3 || d.Period != "2021-2025" {
		t.Errorf("indicators %+v, period %q", d.Indicators, d.Period)
	}
}

func TestMissingNumbers(t *testing.T) {
	text := "提出到年，工业营业收入连续跨越两个千亿级台阶，达到.8亿元，建设绿色工厂家，千兆小区数量达到个，产业集群规模达到亿级，打造万亿级产业高地。"
	d := extract(t, text, Options{})
	var got []string
	for _, in := range d.MissingValues {
		if in.Value != nil {
			t.Errorf("%s has a value", in.Metric)
		}
		got = append(got, in.Metric+"/"+in.Unit)
	}
	want := []string{"工业营业收入连续跨越两个千亿级台阶/亿元", "绿色工厂/家", "千兆小区数量/个", "产业集群规模/亿级"}
	if !slices.Equal(got, want) {
		t.Errorf("lost numbers:\n got %q\nwant %q", got, want)
	}
	if len(d.Indicators) != 0 {
		t.Errorf("indicators with invented values: %+v", d.Indicators)
	}
}

func TestIndustryRoles(t *testing.T) {
	text := `聚焦高端装备、新材料、生物医药三大主导产业。
做强电子信息、精品钢铁两大支柱产业。
重点培育壮大现代海洋、文化旅游、现代物流等八大产业。
大力培育新一代信息技术、新能源等战略性新兴产业。
前瞻布局量子信息、区块链等未来产业。
加快推进高端化工、纺织服装和食品加工等传统产业转型升级。
壮大工业软件、智能终端等优势产业。
大力发展节能环保产业。`
	d := extract(t, text, Options{})
	want := map[string]graph.IndustryRole{
		"高端装备": graph.RolePillar, "新材料": graph.RolePillar, "生物医药": graph.RolePillar,
		"电子信息": graph.RolePillar, "精品钢铁": graph.RolePillar,
		"现代海洋": graph.RoleKey, "文化旅游": graph.RoleKey, "现代物流": graph.RoleKey,
		"新一代信息技术": graph.RoleEmerging, "新能源": graph.RoleEmerging,
		"量子信息": graph.RoleFuture, "区块链": graph.RoleFuture,
		"高端化工": graph.RoleTraditional, "纺织服装": graph.RoleTraditional, "食品加工": graph.RoleTraditional,
		"工业软件": graph.RoleAdvantage, "智能终端": graph.RoleAdvantage,
		"节能环保": graph.RoleKey,
	}
	got := map[string]graph.IndustryRole{}
	for _, in := range d.Industries {
		got[in.Name] = in.Role
		if s := string([]rune(text)[in.Evidence.Start:in.Evidence.End]); s != in.Name {
			t.Errorf("evidence of %s points at %q", in.Name, s)
		}
	}
	for name, role := range want {
		if got[name] != role {
			t.Errorf("%s: role %q, want %q", name, got[name], role)
		}
	}
	if len(got) != len(want) {
		t.Errorf("industries = %v, want %v", got, want)
	}
}

func TestCountedGroupsAndConflicts(t *testing.T) {
	text := `重点培育壮大现代海洋、装备制造、电子信息、高端化工、医养健康、文化旅游、高效农业等八大产业。
前瞻布局元宇宙、脑机接口等5个未来产业。
下一步，前瞻布局元宇宙、脑机接口等6个未来产业。
聚焦智能制造与高端装备、生物医药与大健康四大主导支柱产业。
今年将“三园两区”建设作为开放载体，统筹推进国际合作产业园、中韩产业园、中日产业园和某市综合保税区、某市高新区的建设。
系统设置6类共23项指标，提出22项重点任务。`
	d := extract(t, text, Options{})
	type g struct {
		stated, listed int
		role           string
		open, mismatch bool
	}
	want := map[string]g{
		"八大产业":     {8, 7, "key", true, true},
		"5个未来产业":   {5, 2, "future", true, true},
		"6个未来产业":   {6, 2, "future", true, true},
		"四大主导支柱产业": {4, 2, "pillar", false, true},
		"“三园两区”":   {5, 5, "park", false, false},
		"6类共23项指标": {23, 0, "indicator", false, false},
		"22项重点任务":  {22, 0, "task", false, false},
	}
	got := map[string]g{}
	for _, x := range d.CountedGroups {
		got[x.Text] = g{x.Stated, x.Listed, x.Role, x.Open, x.Mismatch()}
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("group %s = %+v, want %+v", k, got[k], w)
		}
	}
	if len(d.Conflicts) != 1 {
		t.Fatalf("conflicts = %+v, want the 5 and 6 future industries", d.Conflicts)
	}
	c := d.Conflicts[0]
	a, b := d.CountedGroups[c.Groups[0]], d.CountedGroups[c.Groups[1]]
	if a.Text != "5个未来产业" || b.Text != "6个未来产业" || a.Evidence.Text == b.Evidence.Text {
		t.Errorf("conflict between %q and %q, each with its own sentence", a.Text, b.Text)
	}
}

func TestClustersChainsParksFirms(t *testing.T) {
	text := `去年，全市新材料和生物医药2个产业集群列入国家战略性新兴产业集群发展工程，高端化工、海洋牧场2个产业集群入选省级特色产业集群库，争取食品加工、海工装备等优势产业集群进入国家级行列。
重点打造新能源汽车、集成电路、工业母机等10条产业链。积极抢抓低空经济发展机遇，完善整机及零部件产业链条。
依托青岛高新区、胶州湾保税港区和中德生态产业园，建设两个国家级经济技术开发区，充分发挥各园区作用，积极创建国家级人工智能创新应用先导区，建设西部沿海智造走廊，推进自贸区青岛片区建设。
支持海尔、海信等龙头企业做大做强。浪潮“高端服务器”、歌尔“智能穿戴”等一批关键产品实现突破。青岛啤酒股份有限公司入选。区内20家企业中潍柴动力提出意见。依托山东重工装备产业园。`
	d := extract(t, text, Options{})
	clusters := map[string]string{}
	for _, c := range d.Clusters {
		clusters[c.Name] = c.Level
	}
	wantClusters := map[string]string{"新材料": "national", "生物医药": "national", "高端化工": "provincial", "海洋牧场": "provincial", "食品加工": "", "海工装备": ""}
	if !mapsEqual(clusters, wantClusters) {
		t.Errorf("clusters = %v, want %v", clusters, wantClusters)
	}
	var chains, parks, firms []string
	for _, c := range d.Chains {
		chains = append(chains, c.Name)
	}
	for _, p := range d.Parks {
		parks = append(parks, p.Name+"/"+p.ParkKind)
	}
	for _, f := range d.Firms {
		firms = append(firms, f.Name)
	}
	slices.Sort(chains)
	slices.Sort(parks)
	slices.Sort(firms)
	if want := []string{"工业母机", "新能源汽车", "集成电路"}; !slices.Equal(chains, sorted(want)) {
		t.Errorf("chains = %v, want %v", chains, want)
	}
	want := []string{"中德生态产业园/产业园", "山东重工装备产业园/产业园", "自贸区青岛片区/自贸片区", "胶州湾保税港区/保税港区", "西部沿海智造走廊/走廊", "青岛高新区/高新区"}
	if slices.Sort(want); !slices.Equal(parks, want) {
		t.Errorf("parks = %v, want %v", parks, want)
	}
	want = []string{"歌尔", "浪潮", "海信", "海尔", "潍柴动力", "青岛啤酒股份有限公司"}
	if slices.Sort(want); !slices.Equal(firms, want) {
		t.Errorf("firms = %v, want %v", firms, want)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// testRegions is a small region table in the real store:
//
//	370000 山东省 ── 370200 青岛市 ── 370212 崂山区
//	             └─ 370600 烟台市 ── 370613 莱山区
//	220000 吉林省 ── 220200 吉林市
func testRegions(t *testing.T) *readmodel.Index {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.Replace(ctx, graph.Source{ID: "reference/regions", Kind: graph.KindReference}, graph.Facts(
		graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince},
		graph.Region{Code: "370200", Name: "青岛市", ShortName: "青岛", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "370212", Name: "崂山区", ShortName: "崂山", Level: graph.LevelCounty, Parent: "370200"},
		graph.Region{Code: "370600", Name: "烟台市", ShortName: "烟台", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "370613", Name: "莱山区", ShortName: "莱山", Level: graph.LevelCounty, Parent: "370600"},
		graph.Region{Code: "220000", Name: "吉林省", ShortName: "吉林", Level: graph.LevelProvince},
		graph.Region{Code: "220200", Name: "吉林市", ShortName: "吉林", Level: graph.LevelCity, Parent: "220000"},
	))
	if err != nil {
		t.Fatal(err)
	}
	return st.Index()
}

func creditCode(t *testing.T, prefix17 string) string {
	t.Helper()
	c, err := graph.CreditCheckChar(prefix17)
	if err != nil {
		t.Fatal(err)
	}
	return prefix17 + string(c)
}

func TestRegion(t *testing.T) {
	x := testRegions(t)
	code := creditCode(t, "11370212MB1234567")
	tests := []struct {
		name, text string
		given      graph.RegionCode
		want       graph.RegionCode
		method     string
	}{
		{"the organ's credit code in the 索引号", "索引号：" + code + "/2023-00012\n发布机构：区发展和改革局\n关于《某规划》的解读", "", "370212", "index"},
		{"the issuer", "发布机构：崂山区工业和信息化局\n关于《发展规划》的说明", "", "370212", "issuer"},
		{"the title, the deepest region", "关于《烟台市莱山区“十四五”工业发展规划》的解读\n正文。", "", "370613", "named"},
		{"the region named most", "推动青岛高质量发展。青岛将建设产业园。山东的任务。", "", "370200", "context"},
		{"a name two regions share, decided by the province around it", "吉林省发展规划。吉林市也有。吉林的目标。吉林省的产业。", "", "220000", "context"},
		{"given by the user", "推动青岛高质量发展。青岛将建设产业园。", "370613", "370613", "given"},
		{"the text does not say", "加快建设强省会，推动产业升级。", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := extract(t, tt.text, Options{Regions: x, Region: tt.given})
			if tt.want == "" {
				if d.Region != nil {
					t.Errorf("region = %+v, want none", d.Region)
				}
				if !slices.ContainsFunc(d.Notes, func(n string) bool { return strings.Contains(n, "--region") }) {
					t.Errorf("notes %v do not say to give --region", d.Notes)
				}
				return
			}
			if d.Region == nil || d.Region.Code != tt.want || d.Region.Method != tt.method {
				t.Errorf("region = %+v, want %s by %s", d.Region, tt.want, tt.method)
			}
		})
	}
}

func TestMetadata(t *testing.T) {
	text := `您当前的位置：首页 > 政务公开 > 政策解读
索引号：` + creditCode(t, "11370200MB7654321") + `/2022-01234 成文日期：2022-05-10
发布机构：青岛市工业和信息化局 组配分类：政策解读
关于《青岛市“十四五”先进制造业发展规划》（以下简称《规划》）的解读
《规划》提出，到2025年……《规划》明确……《规划》要求……
为落实《青岛市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》，编制本规划。`
	d := extract(t, text, Options{Regions: testRegions(t)})
	if d.Title != "青岛市“十四五”先进制造业发展规划" || d.Issuer != "青岛市工业和信息化局" ||
		d.Published != "2022-05-10" || d.Period != "2021-2025" || d.Region == nil || d.Region.Code != "370200" {
		t.Errorf("title %q, issuer %q, published %q, period %q, region %+v", d.Title, d.Issuer, d.Published, d.Period, d.Region)
	}
	if d.TitleEvidence == nil || d.TitleEvidence.Quote != d.Title {
		t.Errorf("title evidence = %+v", d.TitleEvidence)
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestIndicatorTable(t *testing.T) {
	tabs := "专栏1 主要指标\n序号\t指标\t单位\t2020年\t2025年\t属性\n" +
		"1\t规模以上工业增加值\t亿元\t4200\t6000\t预期性\n" +
		"2\t数字经济核心产业增加值占比（%）\t\t8.5\t≥15\t预期性\n" +
		"3\t单位工业增加值能耗下降\t%\t—\t［13.5］\t约束性\n" +
		"本规划自印发之日起实施。"
	spaces := strings.ReplaceAll(tabs, "\t", "   ")
	want := []string{
		"规模以上工业增加值=4200亿元=@2020", "规模以上工业增加值=6000亿元=@2025",
		"数字经济核心产业增加值占比=8.5%=@2020", "数字经济核心产业增加值占比=15%>=@2025",
		"单位工业增加值能耗下降=13.5%=@2025",
	}
	for name, text := range map[string]string{"tabs": tabs, "spaces": spaces} {
		d := extract(t, text, Options{})
		var got []string
		kinds := map[string]string{}
		for _, in := range d.Indicators {
			got = append(got, indicatorKey(in))
			kinds[strconvF(*in.Value)] = in.Kind
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: table indicators\n got %q\nwant %q", name, got, want)
		}
		if kinds["4200"] != "baseline" || kinds["6000"] != "target" {
			t.Errorf("%s: kinds %v", name, kinds)
		}
	}
}

func TestListsOfOtherShapes(t *testing.T) {
	text := `某省制造业数字化转型行动方案（2023—2025年）
加快发展以集成电路、人工智能、生物医药为代表的战略性新兴产业。
聚焦集成电路、新型显示、智能网联汽车等12条重点产业链。
到2025年，培育百亿元以上企业20家。`
	d := extract(t, text, Options{})
	var names []string
	for _, in := range d.Industries {
		names = append(names, in.Name+"/"+string(in.Role))
	}
	if want := []string{"集成电路/emerging", "人工智能/emerging", "生物医药/emerging"}; !slices.Equal(names, want) {
		t.Errorf("industries = %v, want %v", names, want)
	}
	if len(d.Chains) != 3 || d.Period != "2023-2025" {
		t.Errorf("chains %+v, period %q", d.Chains, d.Period)
	}
	if len(d.Indicators) != 1 || indicatorKey(d.Indicators[0]) != "培育百亿元以上企业=20家=@2025" {
		t.Errorf("indicators = %+v: 百亿元以上 qualifies the firms, it is no value", d.Indicators)
	}
}
