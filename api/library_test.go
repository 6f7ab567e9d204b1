package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// newLibraryStore holds a few regions, codes, two chains and a crosswalk row:
//
//	山东省 370000 ─ 烟台市 370600 ─┬─ 莱山区 370613
//	                              └─ 芝罘区 370602
//	nev 新能源汽车: materials ─ cathode ──supplies──► cells ─ cell ──► pv/cells (pv 光伏)
func newLibraryStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	put := func(src graph.Source, facts ...graph.Fact) {
		t.Helper()
		if _, err := st.Replace(context.Background(), src, graph.Facts(facts...)); err != nil {
			t.Fatal(err)
		}
	}
	put(graph.Source{ID: "reference/regions", Kind: graph.KindReference},
		graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince},
		graph.Region{Code: "370600", Name: "烟台市", ShortName: "烟台", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "370613", Name: "莱山区", ShortName: "莱山", Level: graph.LevelCounty, Parent: "370600"},
		graph.Region{Code: "370602", Name: "芝罘区", ShortName: "芝罘", Level: graph.LevelCounty, Parent: "370600"},
	)
	put(graph.Source{ID: "reference/gbt4754-2017.csv", Kind: graph.KindReference},
		graph.IndustryClass{Code: "C", Name: "制造业"},
		graph.IndustryClass{Code: "38", Name: "电气机械和器材制造业", Parent: "C"},
		graph.IndustryClass{Code: "384", Name: "电池制造", Parent: "38"},
		graph.IndustryClass{Code: "3841", Name: "锂离子电池制造", Parent: "384", Tags: []string{"strategic"}},
		graph.IndustryClass{Code: "3985", Name: "电子专用材料制造", Parent: "398"},
	)
	put(graph.Source{ID: "chains/library", Kind: graph.KindChains},
		graph.Chain{ID: "nev", Name: "新能源汽车", Aliases: []string{"电动汽车"}, Type: graph.ChainUpDown,
			Segments: []graph.Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中游"}}},
		graph.ChainNode{ID: "nev/materials", Name: "电池材料", Segment: "up", Order: 1},
		graph.ChainNode{ID: "nev/cathode", Name: "正极材料", Parent: "nev/materials", Segment: "up", Order: 1,
			Codes: []graph.IndustryCode{"3985"}, Keywords: []string{"正极材料"}, Products: []string{"磷酸铁锂"},
			SuppliesTo: []graph.NodeID{"nev/cell"}, Weight: 1.5},
		graph.ChainNode{ID: "nev/cells", Name: "电池", Segment: "mid", Order: 2},
		graph.ChainNode{ID: "nev/cell", Name: "电芯", Parent: "nev/cells", Segment: "mid", Order: 1,
			Codes: []graph.IndustryCode{"3841"}, Keywords: []string{"动力电池"}, Products: []string{"电芯"},
			SuppliesTo: []graph.NodeID{"pv/cells"}},
		graph.Chain{ID: "pv", Name: "光伏", Type: graph.ChainUpDown, Segments: []graph.Segment{{ID: "mid", Name: "中游"}}},
		graph.ChainNode{ID: "pv/cells", Name: "电池片", Segment: "mid", Codes: []graph.IndustryCode{"3841"}},
		graph.CrosswalkEntry{Phrase: "五能一网", Chains: []graph.ChainID{"pv"}, Confidence: 0.95, Note: "004"},
	)
	return st
}

func getJSON(t *testing.T, s *Server, path string, status int, into any) {
	t.Helper()
	rec := do(t, s.Handler(), "GET", path)
	if rec.Code != status {
		t.Fatalf("GET %s = %d, want %d: %s", path, rec.Code, status, rec.Body)
	}
	if into != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), into); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
}

func TestRegionRoutes(t *testing.T) {
	s := New(Config{})
	s.SetStore(newLibraryStore(t))
	var r RegionResponse
	getJSON(t, s, "/api/v1/regions/370613", http.StatusOK, &r)
	if r.Name != "莱山区" || r.ShortName != "莱山" || r.Level != "county" || r.Parent != "370600" ||
		len(r.Ancestors) != 2 || r.Ancestors[0].Code != "370000" || r.Ancestors[1].Name != "烟台市" {
		t.Errorf("370613 = %+v", r)
	}
	getJSON(t, s, "/api/v1/regions/370600", http.StatusOK, &r)
	if len(r.Children) != 2 || r.Children[0].Code != "370602" {
		t.Errorf("370600 children = %+v", r.Children)
	}
	var p Problem
	getJSON(t, s, "/api/v1/regions/37061", http.StatusBadRequest, &p)
	getJSON(t, s, "/api/v1/regions/37a613", http.StatusBadRequest, &p)
	getJSON(t, s, "/api/v1/regions/370699", http.StatusNotFound, &p)
	if p.Status != 404 || p.Detail == "" {
		t.Errorf("problem = %+v", p)
	}
	var list RegionsResponse
	getJSON(t, s, "/api/v1/regions?q="+url.QueryEscape("烟台"), http.StatusOK, &list)
	if len(list.Regions) != 1 || list.Regions[0].Code != "370600" {
		t.Errorf("q=烟台: %+v", list)
	}
	getJSON(t, s, "/api/v1/regions", http.StatusOK, &list)
	if len(list.Regions) != 1 || list.Regions[0].Code != "370000" {
		t.Errorf("provinces: %+v", list)
	}
}

func TestChainRoutes(t *testing.T) {
	s := New(Config{})
	s.SetStore(newLibraryStore(t))
	var list ChainsResponse
	getJSON(t, s, "/api/v1/chains", http.StatusOK, &list)
	if len(list.Chains) != 2 || list.Chains[0].ID != "nev" || list.Chains[0].Nodes != 4 || list.Chains[0].Leaves != 2 ||
		list.Chains[0].SupplyEdges != 2 || list.Chains[0].Source != "chains/library" || len(list.Chains[0].Segments) != 2 {
		t.Errorf("chains = %+v", list)
	}
	for _, ref := range []string{"nev", url.PathEscape("新能源汽车"), url.PathEscape("电动汽车"), url.PathEscape("新能源汽车产业链")} {
		var c ChainResponse
		getJSON(t, s, "/api/v1/chains/"+ref, http.StatusOK, &c)
		if c.ID != "nev" || len(c.Tree) != 2 || c.Tree[0].ID != "nev/materials" || len(c.Tree[0].Children) != 1 {
			t.Fatalf("%s: %+v", ref, c)
		}
		cat := c.Tree[0].Children[0]
		if cat.ID != "nev/cathode" || !cat.Leaf || cat.Weight != 1.5 || len(cat.Codes) != 1 || cat.Codes[0] != (CodeRef{"3985", "电子专用材料制造"}) ||
			!slices.Equal(cat.SuppliesTo, []string{"nev/cell"}) || cat.Segment != "up" {
			t.Errorf("cathode = %+v", cat)
		}
		if c.Tree[1].Children[0].Weight != 1 {
			t.Errorf("default weight = %v", c.Tree[1].Children[0].Weight)
		}
		want := []EdgeResponse{{From: "nev/cathode", To: "nev/cell"}, {From: "nev/cell", To: "pv/cells", Cross: true}}
		if !slices.Equal(c.Edges, want) {
			t.Errorf("edges = %+v", c.Edges)
		}
	}
	var pv ChainResponse
	getJSON(t, s, "/api/v1/chains/pv", http.StatusOK, &pv)
	if len(pv.Incoming) != 1 || pv.Incoming[0].From != "nev/cell" {
		t.Errorf("pv incoming = %+v", pv.Incoming)
	}
	getJSON(t, s, "/api/v1/chains/"+url.PathEscape("氢能"), http.StatusNotFound, nil)
}

func TestCodeAndCrosswalkRoutes(t *testing.T) {
	s := New(Config{})
	s.SetStore(newLibraryStore(t))
	var c IndustryCodeResponse
	getJSON(t, s, "/api/v1/codes/3841", http.StatusOK, &c)
	if c.Name != "锂离子电池制造" || c.Level != "class" || len(c.Ancestors) != 3 || c.Ancestors[0].Code != "C" ||
		c.Parent == nil || c.Parent.Code != "384" || !slices.Equal(c.Tags, []string{"strategic"}) ||
		!slices.Equal(c.ChainNodes, []string{"nev/cell", "pv/cells"}) {
		t.Errorf("3841 = %+v", c)
	}
	getJSON(t, s, "/api/v1/codes/38", http.StatusOK, &c)
	if len(c.Children) != 1 || c.Children[0].Code != "384" {
		t.Errorf("38 children = %+v", c.Children)
	}
	getJSON(t, s, "/api/v1/codes/3x41", http.StatusBadRequest, nil)
	getJSON(t, s, "/api/v1/codes/3899", http.StatusNotFound, nil)

	var cw CrosswalkResponse
	getJSON(t, s, "/api/v1/crosswalk", http.StatusOK, &cw)
	if len(cw.Rows) != 1 || cw.Rows[0].Phrase != "五能一网" || cw.Rows[0].Confidence != 0.95 {
		t.Errorf("crosswalk = %+v", cw)
	}
	getJSON(t, s, "/api/v1/crosswalk?phrase="+url.QueryEscape("光伏产业"), http.StatusOK, &cw)
	if len(cw.Rows) != 1 || !slices.Equal(cw.Rows[0].Chains, []string{"pv"}) {
		t.Errorf("光伏产业 = %+v", cw)
	}
	getJSON(t, s, "/api/v1/crosswalk?phrase="+url.QueryEscape("文化旅游"), http.StatusOK, &cw)
	if len(cw.Rows) != 0 {
		t.Errorf("unknown phrase = %+v", cw)
	}
}
