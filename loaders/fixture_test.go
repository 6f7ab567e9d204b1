package loaders

import (
	"context"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// The fixture: a few real divisions, the GB/T 4754 classes the fixture
// chain points at, and a small new-energy-vehicle chain.
//
//	nev 新能源汽车
//	├── materials 关键材料 (up)
//	│   ├── separator 隔膜            kw 电池隔膜, 隔膜
//	│   └── cathode 正极材料           kw 正极材料, 磷酸铁锂, 三元材料
//	├── battery 动力电池 (mid)        code 3841; kw 锂离子电池, 动力电池, 电芯; excl 电池回收
//	├── vehicle 整车制造 (mid)         code 3612; kw 新能源汽车, 电动汽车
//	├── charging 充换电 (down)         kw 充电桩, 换电站, 充电设施
//	└── recycling 电池回收 (down)      kw 电池回收, 梯次利用
var fixtureRegions = []graph.Region{
	{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince},
	{Code: "370100", Name: "济南市", ShortName: "济南", Level: graph.LevelCity, Parent: "370000"},
	{Code: "370102", Name: "历下区", ShortName: "历下", Level: graph.LevelCounty, Parent: "370100"},
	{Code: "370200", Name: "青岛市", ShortName: "青岛", Level: graph.LevelCity, Parent: "370000"},
	{Code: "370600", Name: "烟台市", ShortName: "烟台", Level: graph.LevelCity, Parent: "370000"},
	{Code: "370602", Name: "芝罘区", ShortName: "芝罘", Level: graph.LevelCounty, Parent: "370600"},
	{Code: "370611", Name: "福山区", ShortName: "福山", Level: graph.LevelCounty, Parent: "370600"},
	{Code: "370613", Name: "莱山区", ShortName: "莱山", Level: graph.LevelCounty, Parent: "370600"},
	{Code: "370681", Name: "龙口市", ShortName: "龙口", Level: graph.LevelCounty, Parent: "370600"},
	{Code: "370900", Name: "泰安市", ShortName: "泰安", Level: graph.LevelCity, Parent: "370000"},
	{Code: "370902", Name: "泰山区", ShortName: "泰山", Level: graph.LevelCounty, Parent: "370900"},
	{Code: "110000", Name: "北京市", ShortName: "北京", Level: graph.LevelProvince},
	{Code: "110105", Name: "朝阳区", ShortName: "朝阳", Level: graph.LevelCounty, Parent: "110000"},
	{Code: "210000", Name: "辽宁省", ShortName: "辽宁", Level: graph.LevelProvince},
	{Code: "211300", Name: "朝阳市", ShortName: "朝阳", Level: graph.LevelCity, Parent: "210000"},
	{Code: "440000", Name: "广东省", ShortName: "广东", Level: graph.LevelProvince},
	{Code: "440300", Name: "深圳市", ShortName: "深圳", Level: graph.LevelCity, Parent: "440000"},
	{Code: "440305", Name: "南山区", ShortName: "南山", Level: graph.LevelCounty, Parent: "440300"},
	{Code: "460000", Name: "海南省", ShortName: "海南", Level: graph.LevelProvince},
	{Code: "469007", Name: "东方市", ShortName: "东方", Level: graph.LevelCounty, Parent: "460000"},
}

var fixtureCodes = []graph.IndustryClass{
	{Code: "C", Name: "制造业"},
	{Code: "36", Name: "汽车制造业", Parent: "C"},
	{Code: "361", Name: "汽车整车制造", Parent: "36"},
	{Code: "3612", Name: "新能源车整车制造", Parent: "361"},
	{Code: "38", Name: "电气机械和器材制造业", Parent: "C"},
	{Code: "384", Name: "电池制造", Parent: "38"},
	{Code: "3841", Name: "锂离子电池制造", Parent: "384"},
}

func fixtureChain() (graph.Chain, []graph.ChainNode) {
	c := graph.Chain{ID: "nev", Name: "新能源汽车", Type: graph.ChainUpDown,
		Segments: []graph.Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中游"}, {ID: "down", Name: "下游"}}}
	nodes := []graph.ChainNode{
		{ID: "nev/materials", Name: "关键材料", Segment: "up", Order: 1},
		{ID: "nev/separator", Name: "隔膜", Parent: "nev/materials", Segment: "up", Order: 1, Keywords: []string{"电池隔膜", "隔膜"}},
		{ID: "nev/cathode", Name: "正极材料", Parent: "nev/materials", Segment: "up", Order: 2, Keywords: []string{"正极材料", "磷酸铁锂", "三元材料"}},
		{ID: "nev/battery", Name: "动力电池", Segment: "mid", Order: 2, Codes: []graph.IndustryCode{"3841"},
			Keywords: []string{"锂离子电池", "动力电池", "电芯"}, Excludes: []string{"电池回收"}},
		{ID: "nev/vehicle", Name: "整车制造", Segment: "mid", Order: 3, Codes: []graph.IndustryCode{"3612"},
			Keywords: []string{"新能源汽车", "电动汽车"}},
		{ID: "nev/charging", Name: "充换电", Segment: "down", Order: 4, Keywords: []string{"充电桩", "换电站", "充电设施"}},
		{ID: "nev/recycling", Name: "电池回收", Segment: "down", Order: 5, Keywords: []string{"电池回收", "梯次利用"}},
	}
	return c, nodes
}

// fixtureStore opens an in-memory store holding the fixture.
func fixtureStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var facts []graph.Fact
	for _, r := range fixtureRegions {
		facts = append(facts, r)
	}
	for _, c := range fixtureCodes {
		facts = append(facts, c)
	}
	if _, err := st.Replace(ctx, graph.Source{ID: "reference/fixture", Kind: graph.KindReference, Title: "fixture"}, graph.Facts(facts...)); err != nil {
		t.Fatal(err)
	}
	c, nodes := fixtureChain()
	facts = []graph.Fact{c}
	for _, n := range nodes {
		facts = append(facts, n)
	}
	if _, err := st.Replace(ctx, graph.Source{ID: "chains/fixture", Kind: graph.KindChains, Title: "fixture chain"}, graph.Facts(facts...)); err != nil {
		t.Fatal(err)
	}
	return st
}

// creditCode completes a 17-character prefix with its check character.
func creditCode(t testing.TB, prefix string) string {
	t.Helper()
	c, err := graph.CreditCheckChar(prefix)
	if err != nil {
		t.Fatal(err)
	}
	return prefix + string(c)
}
