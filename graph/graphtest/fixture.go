// Package graphtest holds fixtures for tests of graph and of the packages
// that use it: small graphs drawn as ASCII art above their facts, with
// every expected figure worked out by hand in the tests that use them; and
// it finds the outside tools tests check exports with (tools.go).
package graphtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// CreditCode makes a valid 统一社会信用代码 of a 烟台 firm from a number.
func CreditCode(i int) string {
	p := fmt.Sprintf("91370600%09d", i)
	c, err := graph.CreditCheckChar(p)
	if err != nil {
		panic(err)
	}
	return p + string(c)
}

func replace(t testing.TB, s *store.Store, src graph.Source, facts ...graph.Fact) {
	t.Helper()
	if _, err := s.Replace(context.Background(), src, graph.Facts(facts...)); err != nil {
		t.Fatalf("Replace(%s): %v", src.ID, err)
	}
}

// Analytics opens a store holding the analytics fixture, worked by hand in
// graph/analytics_test.go.
//
//	chain ev (电动车):
//	  materials 电池材料 ──suppliesTo──► cell 电芯 ──► vehicle 整车
//	    ├─ cathode 正极材料 (inherits materials → cell)
//	    └─ anode   负极材料 (inherits materials → cell)
//	  charging 充电桩 (no supply edge)
//
//	firm  region               node      capital  notes
//	F1    370613 烟台莱山       cathode      5000  专精特新
//	F2    370602 烟台芝罘       cell       100000  revenue 200亿, listed
//	F3    370613 烟台莱山       vehicle     20000
//	F4    370600 烟台 (city)    vehicle      3000
//	F5    370100 济南           anode        8000  高新技术企业
//	F6    370200 青岛           anode         300
//	F7    320500 苏州           anode       50000  专精特新小巨人
//	F8    320500 苏州           charging     1000
//	F9    370613 烟台莱山       anode        9000  cancelled: never counted
func Analytics(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	LoadAnalytics(t, s)
	return s
}

// LoadAnalytics writes the analytics fixture into a store of any backend.
func LoadAnalytics(t testing.TB, s *store.Store) {
	t.Helper()
	replace(t, s, graph.Source{ID: "reference/regions", Kind: graph.KindReference},
		graph.Region{Code: "370000", Name: "山东省", Level: graph.LevelProvince},
		graph.Region{Code: "370600", Name: "烟台市", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "370613", Name: "莱山区", Level: graph.LevelCounty, Parent: "370600"},
		graph.Region{Code: "370602", Name: "芝罘区", Level: graph.LevelCounty, Parent: "370600"},
		graph.Region{Code: "370100", Name: "济南市", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "370200", Name: "青岛市", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "320000", Name: "江苏省", Level: graph.LevelProvince},
		graph.Region{Code: "320500", Name: "苏州市", Level: graph.LevelCity, Parent: "320000"},
	)
	replace(t, s, graph.Source{ID: "chains/library", Kind: graph.KindChains},
		graph.Chain{ID: "ev", Name: "电动车", Type: graph.ChainUpDown, Segments: []graph.Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中游"}, {ID: "down", Name: "下游"}}},
		graph.ChainNode{ID: "ev/materials", Name: "电池材料", Segment: "up", SuppliesTo: []graph.NodeID{"ev/cell"}},
		graph.ChainNode{ID: "ev/cathode", Name: "正极材料", Parent: "ev/materials", Segment: "up", Order: 1},
		graph.ChainNode{ID: "ev/anode", Name: "负极材料", Parent: "ev/materials", Segment: "up", Order: 2},
		graph.ChainNode{ID: "ev/cell", Name: "电芯", Segment: "mid", Order: 3, SuppliesTo: []graph.NodeID{"ev/vehicle"}},
		graph.ChainNode{ID: "ev/vehicle", Name: "整车", Segment: "down", Order: 4},
		graph.ChainNode{ID: "ev/charging", Name: "充电桩", Segment: "down", Order: 5},
		graph.Park{ID: "yt-eda", Name: "烟台经济技术开发区", Region: "370600", Level: "national", Chains: []graph.ChainID{"ev"}, Focus: []string{"负极材料"}},
		graph.Park{ID: "laishan-park", Name: "莱山产业园", Region: "370613", Level: "municipal", Chains: []graph.ChainID{"ev"}},
		graph.Park{ID: "jn-park", Name: "济南某园", Region: "370100", Level: "national", Chains: []graph.ChainID{"ev"}},
	)
	link := func(n graph.NodeID) []graph.NodeLink {
		return []graph.NodeLink{{Node: n, Method: "keyword", Confidence: 1}}
	}
	replace(t, s, graph.Source{ID: "registry/firms", Kind: graph.KindRegistry},
		graph.Firm{ID: graph.FirmID(CreditCode(1)), Name: "F1", Region: "370613", Capital: 5000, Tags: []string{"专精特新"}, Nodes: link("ev/cathode")},
		graph.Firm{ID: graph.FirmID(CreditCode(2)), Name: "F2", Region: "370602", Capital: 100000, Revenue: 2000000, Stocks: []string{"600001.SH"}, Nodes: link("ev/cell")},
		graph.Firm{ID: graph.FirmID(CreditCode(3)), Name: "F3", Region: "370613", Capital: 20000, Nodes: link("ev/vehicle")},
		graph.Firm{ID: graph.FirmID(CreditCode(4)), Name: "F4", Region: "370600", Capital: 3000, Nodes: link("ev/vehicle")},
		graph.Firm{ID: graph.FirmID(CreditCode(5)), Name: "F5", Region: "370100", Capital: 8000, Tags: []string{"高新技术企业"}, Nodes: link("ev/anode")},
		graph.Firm{ID: graph.FirmID(CreditCode(6)), Name: "F6", Region: "370200", Capital: 300, Nodes: link("ev/anode")},
		graph.Firm{ID: graph.FirmID(CreditCode(7)), Name: "F7", Region: "320500", Capital: 50000, Tags: []string{"专精特新小巨人"}, Nodes: link("ev/anode")},
		graph.Firm{ID: graph.FirmID(CreditCode(8)), Name: "F8", Region: "320500", Capital: 1000, Nodes: link("ev/charging")},
		graph.Firm{ID: graph.FirmID(CreditCode(9)), Name: "F9", Region: "370613", Capital: 9000, Status: graph.StatusCancelled, Nodes: link("ev/anode")},
	)
}

// BenchRegions are the regions benchmarks spread synthetic firms over: 19
// provinces (11, 14, … 65) of 16 cities each.
func BenchRegions() []graph.Fact {
	var regions []graph.Fact
	for p := 11; p <= 65; p += 3 {
		regions = append(regions, graph.Region{Code: graph.RegionCode(fmt.Sprintf("%02d0000", p)), Name: fmt.Sprintf("省%d", p), Level: graph.LevelProvince})
		for c := 1; c <= 16; c++ {
			regions = append(regions, graph.Region{Code: graph.RegionCode(fmt.Sprintf("%02d%02d00", p, c)), Name: fmt.Sprintf("市%d-%d", p, c),
				Level: graph.LevelCity, Parent: graph.RegionCode(fmt.Sprintf("%02d0000", p))})
		}
	}
	return regions
}
