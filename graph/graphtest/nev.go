package graphtest

import (
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// NEV opens a store holding a made-up but realistically shaped 新能源汽车
// chain (three segments, 29 nodes, supply edges), 山东 and five other
// provinces, parks in 烟台, 46 firms and one plan, for tests of the web page,
// the chain-map picture and the exports at a size a 招商 team would see.
// Every firm, figure and sentence is invented; none describes a real firm or
// copies a real plan.
//
//	上游: 矿产资源(锂, 镍钴) ─► 电池材料(正极, 负极, 电解液, 隔膜) ─► 动力电池
//	      电子元器件(功率半导体 ─► 电驱系统, 汽车芯片 ─► 电驱系统, 整车)
//	中游: 动力电池(电芯, PACK, BMS) ─► 整车; 电驱系统(电机, 电控) ─► 整车;
//	      关键零部件(热管理, 轻量化车身) ─► 整车; 整车(乘用车, 商用车) ─► 销售与服务
//	下游: 充换电(充电桩, 换电站), 销售与服务, 电池回收利用 ─► 电池材料
//
// In 烟台 (370600) 锂资源, 隔膜, 功率半导体, 汽车芯片, 电机控制器 and 换电站 have
// no firm: they are the blanks the targets elsewhere fill. BMS has one only
// through an override source, so provenance differs between links.
//
// Long because it is fixture data: one table of regions, nodes, firms and
// their links per source, read best whole beside the picture above.
func NEV(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r := func(code graph.RegionCode, name string, level graph.RegionLevel, parent graph.RegionCode) graph.Fact {
		return graph.Region{Code: code, Name: name, Level: level, Parent: parent}
	}
	replace(t, s, graph.Source{ID: "reference/regions", Kind: graph.KindReference},
		r("370000", "山东省", graph.LevelProvince, ""),
		r("370100", "济南市", graph.LevelCity, "370000"),
		r("370200", "青岛市", graph.LevelCity, "370000"),
		r("370300", "淄博市", graph.LevelCity, "370000"),
		r("370600", "烟台市", graph.LevelCity, "370000"),
		r("370602", "芝罘区", graph.LevelCounty, "370600"),
		r("370611", "福山区", graph.LevelCounty, "370600"),
		r("370612", "牟平区", graph.LevelCounty, "370600"),
		r("370613", "莱山区", graph.LevelCounty, "370600"),
		r("370614", "蓬莱区", graph.LevelCounty, "370600"),
		r("370700", "潍坊市", graph.LevelCity, "370000"),
		r("320000", "江苏省", graph.LevelProvince, ""),
		r("320400", "常州市", graph.LevelCity, "320000"),
		r("320500", "苏州市", graph.LevelCity, "320000"),
		r("330000", "浙江省", graph.LevelProvince, ""),
		r("330200", "宁波市", graph.LevelCity, "330000"),
		r("340000", "安徽省", graph.LevelProvince, ""),
		r("340100", "合肥市", graph.LevelCity, "340000"),
		r("350000", "福建省", graph.LevelProvince, ""),
		r("350900", "宁德市", graph.LevelCity, "350000"),
		r("440000", "广东省", graph.LevelProvince, ""),
		r("440300", "深圳市", graph.LevelCity, "440000"),
	)
	n := func(slug, name, parent, seg string, order int, supplies ...string) graph.ChainNode {
		cn := graph.ChainNode{ID: graph.NodeID("nev/" + slug), Name: name, Segment: seg, Order: order}
		if parent != "" {
			cn.Parent = graph.NodeID("nev/" + parent)
		}
		for _, s := range supplies {
			cn.SuppliesTo = append(cn.SuppliesTo, graph.NodeID("nev/"+s))
		}
		return cn
	}
	replace(t, s, graph.Source{ID: "chains/library", Kind: graph.KindChains},
		graph.Chain{ID: "nev", Name: "新能源汽车", Aliases: []string{"新能源汽车产业链"}, Type: graph.ChainUpDown,
			Segments: []graph.Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中游"}, {ID: "down", Name: "下游"}}},
		n("resources", "矿产资源", "", "up", 1, "materials"),
		n("lithium", "锂资源", "resources", "up", 1),
		n("nickel-cobalt", "镍钴资源", "resources", "up", 2),
		n("materials", "电池材料", "", "up", 2, "battery"),
		n("cathode", "正极材料", "materials", "up", 1),
		n("anode", "负极材料", "materials", "up", 2),
		n("electrolyte", "电解液", "materials", "up", 3),
		n("separator", "隔膜", "materials", "up", 4),
		n("electronics", "电子元器件", "", "up", 3),
		n("power-semi", "功率半导体", "electronics", "up", 1, "e-drive"),
		n("chips", "汽车芯片", "electronics", "up", 2, "e-drive", "vehicle"),
		n("battery", "动力电池", "", "mid", 4, "vehicle"),
		n("cell", "电芯", "battery", "mid", 1),
		n("pack", "电池包与PACK", "battery", "mid", 2),
		n("bms", "电池管理系统", "battery", "mid", 3),
		n("e-drive", "电驱系统", "", "mid", 5, "vehicle"),
		n("motor", "驱动电机", "e-drive", "mid", 1),
		n("controller", "电机控制器", "e-drive", "mid", 2),
		n("parts", "关键零部件", "", "mid", 6, "vehicle"),
		n("thermal", "热管理系统", "parts", "mid", 1),
		n("lightweight", "轻量化车身", "parts", "mid", 2),
		n("vehicle", "整车制造", "", "mid", 7, "services"),
		n("passenger", "乘用车", "vehicle", "mid", 1),
		n("commercial", "商用车", "vehicle", "mid", 2),
		n("charging", "充换电", "", "down", 8),
		n("piles", "充电桩", "charging", "down", 1),
		n("swap", "换电站", "charging", "down", 2),
		n("services", "销售与服务", "", "down", 9),
		n("recycling", "电池回收利用", "", "down", 10, "materials"),
		graph.Park{ID: "yt-etdz", Name: "烟台经济技术开发区", ShortName: "烟台开发区", Region: "370600", Level: "national",
			Kind: "经开区", Focus: []string{"新能源汽车", "动力电池"}, Chains: []graph.ChainID{"nev"}},
		graph.Park{ID: "yt-hitech", Name: "烟台高新技术产业开发区", ShortName: "烟台高新区", Region: "370613", Level: "national",
			Kind: "高新区", Focus: []string{"汽车芯片", "功率半导体", "电池管理系统"}, Chains: []graph.ChainID{"nev"}},
		graph.Park{ID: "fushan-auto", Name: "福山汽车零部件产业园", Region: "370611", Level: "provincial",
			Kind: "产业园", Focus: []string{"热管理系统", "轻量化车身", "电机控制器"}, Chains: []graph.ChainID{"nev"}},
	)
	type firm struct {
		name      string
		region    graph.RegionCode
		node      string
		capital   float64
		revenue   float64
		tags      []string
		group     string
		park      graph.ParkID
		method    string
		conf      float64
		cancelled bool
	}
	firms := []firm{
		// 烟台: present links, two anchors.
		{"烟台海岳汽车有限公司", "370602", "passenger", 350000, 3000000, []string{"上市"}, "海岳集团", "yt-etdz", "name", 1, false},
		{"烟台海岳商用车有限公司", "370611", "commercial", 60000, 400000, nil, "海岳集团", "", "name", 1, false},
		{"烟台蓝海动力电池有限公司", "370613", "cell", 120000, 850000, []string{"上市", "高新技术企业"}, "", "yt-etdz", "keyword", 0.95, false},
		{"烟台蓝海储能系统有限公司", "370613", "pack", 20000, 90000, []string{"高新技术企业"}, "", "", "keyword", 0.9, false},
		{"烟台恒通电池包科技有限公司", "370612", "pack", 5000, 0, nil, "", "", "keyword", 0.8, false},
		{"烟台正源新材料有限公司", "370611", "cathode", 30000, 120000, []string{"专精特新"}, "", "", "code", 0.85, false},
		{"烟台鑫锂正极材料有限公司", "370614", "cathode", 8000, 0, nil, "", "", "keyword", 0.75, false},
		{"烟台碳谷负极材料有限公司", "370602", "anode", 12000, 35000, []string{"专精特新小巨人"}, "", "", "keyword", 0.9, false},
		{"烟台华液化工有限公司", "370611", "electrolyte", 1500, 0, nil, "", "", "keyword", 0.6, false},
		{"烟台远驰电机有限公司", "370611", "motor", 15000, 60000, []string{"高新技术企业"}, "", "fushan-auto", "keyword", 0.9, false},
		{"烟台冰川热管理系统有限公司", "370611", "thermal", 10000, 42000, []string{"专精特新"}, "", "fushan-auto", "keyword", 0.85, false},
		{"烟台恒温汽车空调有限公司", "370602", "thermal", 3000, 0, nil, "", "", "keyword", 0.7, false},
		{"烟台轻骑铝合金车身有限公司", "370611", "lightweight", 25000, 98000, nil, "", "fushan-auto", "keyword", 0.9, false},
		{"烟台精锻汽车结构件有限公司", "370612", "lightweight", 9000, 31000, []string{"高新技术企业"}, "", "", "keyword", 0.8, false},
		{"烟台宏图复合材料有限公司", "370614", "lightweight", 2000, 0, nil, "", "", "keyword", 0.65, false},
		{"烟台电链充电科技有限公司", "370613", "piles", 5000, 15000, nil, "", "yt-hitech", "keyword", 0.9, false},
		{"烟台港城新能源服务有限公司", "370602", "piles", 1000, 0, nil, "", "", "keyword", 0.7, false},
		{"烟台海岳汽车销售服务有限公司", "370602", "services", 2000, 50000, nil, "海岳集团", "", "name", 1, false},
		{"烟台畅行汽车服务有限公司", "370613", "services", 800, 0, nil, "", "", "keyword", 0.7, false},
		{"烟台再生资源循环科技有限公司", "370614", "recycling", 6000, 20000, nil, "", "", "keyword", 0.85, false},
		{"烟台金岭镍业有限公司", "370612", "nickel-cobalt", 40000, 150000, nil, "", "", "code", 0.8, false},
		{"烟台旧能电池有限公司", "370613", "cell", 3000, 0, nil, "", "", "keyword", 0.9, true},
		// 山东, outside 烟台: peers and nearby targets.
		{"济南芯动半导体有限公司", "370100", "power-semi", 45000, 160000, []string{"专精特新小巨人", "高新技术企业"}, "", "", "keyword", 0.95, false},
		{"济南泉城电控技术有限公司", "370100", "controller", 8000, 26000, []string{"专精特新"}, "", "", "keyword", 0.9, false},
		{"济南重汽新能源商用车有限公司", "370100", "commercial", 200000, 1200000, []string{"上市"}, "", "", "name", 1, false},
		{"青岛海隔膜科技有限公司", "370200", "separator", 30000, 110000, []string{"专精特新"}, "", "", "keyword", 0.9, false},
		{"青岛瀚海锂业有限公司", "370200", "lithium", 50000, 180000, nil, "", "", "keyword", 0.85, false},
		{"青岛动力电池系统有限公司", "370200", "bms", 6000, 18000, []string{"高新技术企业"}, "", "", "keyword", 0.8, false},
		{"潍坊动力电机有限公司", "370700", "motor", 20000, 70000, nil, "", "", "keyword", 0.9, false},
		{"淄博新材电解液有限公司", "370300", "electrolyte", 18000, 65000, []string{"专精特新"}, "", "", "keyword", 0.9, false},
		// Elsewhere.
		{"苏州薄膜新能源材料有限公司", "320500", "separator", 80000, 420000, []string{"上市", "单项冠军"}, "", "", "keyword", 0.95, false},
		{"常州锦隔新材料有限公司", "320400", "separator", 12000, 40000, []string{"专精特新"}, "", "", "keyword", 0.85, false},
		{"深圳智芯电池管理有限公司", "440300", "bms", 15000, 90000, []string{"专精特新小巨人"}, "", "", "keyword", 0.9, false},
		{"深圳海岳电子有限公司", "440300", "controller", 9000, 52000, nil, "海岳集团", "", "keyword", 0.85, false},
		{"深圳速驱电控有限公司", "440300", "controller", 30000, 260000, []string{"上市", "高新技术企业"}, "", "", "keyword", 0.9, false},
		{"深圳车规芯片科技有限公司", "440300", "chips", 25000, 140000, []string{"专精特新小巨人"}, "", "", "keyword", 0.9, false},
		{"合肥核芯微电子有限公司", "340100", "chips", 60000, 300000, []string{"上市"}, "", "", "keyword", 0.85, false},
		{"合肥储安电池管理有限公司", "340100", "bms", 4000, 0, nil, "", "", "keyword", 0.7, false},
		{"宁波功率器件有限公司", "330200", "power-semi", 35000, 210000, []string{"高新技术企业"}, "", "", "keyword", 0.9, false},
		{"宁德换电科技有限公司", "350900", "swap", 50000, 230000, []string{"专精特新"}, "", "", "keyword", 0.9, false},
		{"宁德锂源矿业有限公司", "350900", "lithium", 100000, 500000, []string{"上市"}, "", "", "keyword", 0.85, false},
		{"宁德时新动力电池有限公司", "350900", "cell", 500000, 9000000, []string{"上市", "单项冠军"}, "", "", "keyword", 0.95, false},
		{"苏州快换能源有限公司", "320500", "swap", 5, 0, nil, "", "", "keyword", 0.6, false},
		{"常州正极科技有限公司", "320400", "cathode", 26000, 95000, nil, "", "", "keyword", 0.85, false},
		{"深圳快充桩科技有限公司", "440300", "piles", 8000, 30000, []string{"高新技术企业"}, "", "", "keyword", 0.9, false},
		{"合肥驱动电机有限公司", "340100", "motor", 14000, 0, nil, "", "", "keyword", 0.8, false},
	}
	var facts []graph.Fact
	for i, f := range firms {
		gf := graph.Firm{ID: graph.FirmID(CreditCode(101 + i)), Name: f.name, Region: f.region, RegionMethod: "column",
			Capital: f.capital, Revenue: f.revenue, Tags: f.tags, Group: f.group, Park: f.park, Status: graph.StatusActive,
			Nodes: []graph.NodeLink{{Node: graph.NodeID("nev/" + f.node), Method: f.method, Confidence: f.conf, Role: "producer", Matched: f.node}}}
		if f.cancelled {
			gf.Status = graph.StatusCancelled
		}
		for _, tag := range f.tags {
			if tag == "上市" {
				gf.Stocks = []string{"6" + CreditCode(101 + i)[12:17] + ".SH"}
			}
		}
		facts = append(facts, gf)
	}
	replace(t, s, graph.Source{ID: "registry/nev-firms", Kind: graph.KindRegistry, Title: "虚构企业名录（测试用）"}, facts...)
	// A user's correction: the battery maker also makes BMS.
	replace(t, s, graph.Source{ID: "override/manual", Kind: graph.KindOverride, Title: "人工校正"},
		graph.Firm{ID: graph.FirmID(CreditCode(103)), Name: "烟台蓝海动力电池有限公司",
			Nodes: []graph.NodeLink{{Node: "nev/bms", Method: "override", Confidence: 1, Role: "producer", Matched: "人工确认：自研电池管理系统"}}},
	)
	// A plan, invented: one designation, one indicator, one firm mention.
	const text = "推动新能源汽车产业延链补链，重点发展动力电池、电驱系统和整车制造，到2025年新能源汽车产量达到20万辆，支持烟台海岳汽车有限公司做大做强。"
	v := 20.0
	span := func(n int, quote string) *graph.Evidence {
		i := strings.Index(text, quote)
		start := len([]rune(text[:i]))
		return &graph.Evidence{Plan: "yantai-nev-example", N: n, Text: text, Quote: quote, Start: start, End: start + len([]rune(quote))}
	}
	replace(t, s, graph.Source{ID: "plan/yantai-nev-example", Kind: graph.KindPlan, Title: "烟台市新能源汽车产业发展示例方案"},
		graph.Plan{ID: "yantai-nev-example", Title: "烟台市新能源汽车产业发展示例方案（虚构，测试用）", Issuer: "示例发布机关",
			Published: "2022-03", Period: "2021-2025", Region: "370600", RegionMethod: "given", Document: "example.txt", Text: text},
		graph.Designation{Plan: "yantai-nev-example", N: 1, Name: "新能源汽车", Role: graph.RoleKey,
			Chains: []graph.ChainLink{{Chain: "nev", Method: "name", Confidence: 1}}, Evidence: span(1, "新能源汽车")},
		graph.Indicator{Plan: "yantai-nev-example", N: 1, Metric: "新能源汽车产量", Value: &v, Unit: "万辆", Comparator: ">=",
			Year: 2025, Kind: "target", Evidence: span(2, "新能源汽车产量达到20万辆")},
		graph.Mention{Plan: "yantai-nev-example", N: 1, Kind: "firm", Name: "烟台海岳汽车有限公司",
			Firm: graph.FirmID(CreditCode(101)), Method: "name", Confidence: 1, Evidence: span(3, "烟台海岳汽车有限公司")},
	)
	return s
}
