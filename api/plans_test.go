package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// planStore holds the regions of newTestStore, a chain, a park, and two
// plans: one for 烟台市 (p-city) and one for a district in it (p-district).
//
//	p-city ── 新能源汽车 (key) ─► chain ev;  cluster 新材料 (provincial)
//	       ── mention park 烟台高新区 ─► yt-hitech;  firm 中集 (unresolved)
//	       ── groups 7个未来产业, 9个未来产业, in conflict
//	p-district ── 海洋牧场 (key)
func planStore(t *testing.T) *store.Store {
	t.Helper()
	st := newTestStore(t)
	ctx := context.Background()
	put := func(src graph.Source, facts ...graph.Fact) {
		t.Helper()
		if _, err := st.Replace(ctx, src, graph.Facts(facts...)); err != nil {
			t.Fatal(err)
		}
	}
	put(graph.Source{ID: "reference/more", Kind: graph.KindReference},
		graph.Region{Code: "370613", Name: "莱山区", Level: graph.LevelCounty, Parent: "370600"},
		graph.Chain{ID: "ev", Name: "新能源汽车", Type: graph.ChainUpDown},
		graph.Park{ID: "yt-hitech", Name: "烟台高新技术产业开发区", ShortName: "烟台高新区", Region: "370600"},
	)
	v := 2000.0
	city0 := &graph.Evidence{Plan: "p-city", N: 0, Text: "重点发展新能源汽车产业。", Start: 4, End: 9, Quote: "新能源汽车"}
	city1 := &graph.Evidence{Plan: "p-city", N: 1, Text: "依托烟台高新区。", Start: 20, End: 25, Quote: "烟台高新区"}
	district0 := &graph.Evidence{Plan: "p-district", N: 0, Text: "培育海洋牧场产业。", Start: 2, End: 6, Quote: "海洋牧场"}
	put(graph.Source{ID: "plan/p-city", Kind: graph.KindPlan},
		graph.Plan{ID: "p-city", Title: "烟台市产业规划", Region: "370600", RegionMethod: "named", Period: "2021-2025", Document: "p-city.txt"},
		graph.Designation{Plan: "p-city", N: 0, Name: "新能源汽车", Role: graph.RoleKey, Evidence: city0,
			Chains: []graph.ChainLink{{Chain: "ev", Method: "crosswalk", Confidence: 0.95}}},
		graph.Cluster{Plan: "p-city", N: 0, Name: "新材料", Level: "provincial", Evidence: city0},
		graph.Indicator{Plan: "p-city", N: 0, Metric: "产值", Value: &v, Unit: "亿元", Comparator: ">=", Year: 2025, Kind: "target", Evidence: city0},
		graph.Indicator{Plan: "p-city", N: 1, Metric: "绿色工厂", Unit: "家", Comparator: "=", Kind: "target", Evidence: city0},
		graph.Mention{Plan: "p-city", N: 0, Kind: "park", Name: "烟台高新区", Park: "yt-hitech", Method: "name", Confidence: 1, Evidence: city1},
		graph.Mention{Plan: "p-city", N: 1, Kind: "firm", Name: "中集", Method: "unresolved", Evidence: city1},
		graph.CountedGroup{Plan: "p-city", N: 0, Text: "7个未来产业", Stated: 7, Listed: 2, Items: []string{"量子信息", "区块链"}, Role: "future", Open: true, Evidence: city0},
		graph.CountedGroup{Plan: "p-city", N: 1, Text: "9个未来产业", Stated: 9, Listed: 2, Items: []string{"量子信息", "区块链"}, Role: "future", Open: true, Evidence: city0},
		graph.Conflict{Plan: "p-city", N: 0, Kind: "count", Text: "7 and 9", Groups: []int{0, 1}},
	)
	put(graph.Source{ID: "plan/p-district", Kind: graph.KindPlan},
		graph.Plan{ID: "p-district", Title: "莱山区规划", Region: "370613", RegionMethod: "index", Document: "p-district.txt"},
		graph.Designation{Plan: "p-district", N: 0, Name: "海洋牧场", Role: graph.RoleKey, Evidence: district0},
	)
	return st
}

func getInto(t *testing.T, h http.Handler, path string, want int, v any) {
	t.Helper()
	rec := do(t, h, "GET", path)
	if rec.Code != want {
		t.Fatalf("GET %s = %d, want %d: %s", path, rec.Code, want, rec.Body)
	}
	if v != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
}

func TestPlans(t *testing.T) {
	s := New(Config{})
	s.SetStore(planStore(t))
	h := s.Handler()

	var list PlansResponse
	getInto(t, h, "/api/v1/plans", http.StatusOK, &list)
	if len(list.Plans) != 2 || list.Plans[0].ID != "p-city" || list.Plans[0].Region == nil ||
		list.Plans[0].Region.Name != "烟台市" || list.Plans[0].Counts.Designations != 1 || list.Plans[0].Counts.Conflicts != 1 {
		t.Errorf("plans = %+v", list.Plans)
	}

	var p PlanResponse
	getInto(t, h, "/api/v1/plans/p-city", http.StatusOK, &p)
	if len(p.Designations) != 1 || p.Designations[0].Chains[0].Name != "新能源汽车" || p.Designations[0].Evidence.Quote != "新能源汽车" {
		t.Errorf("designations = %+v", p.Designations)
	}
	if len(p.Indicators) != 2 || p.Indicators[0].Value == nil || *p.Indicators[0].Year != 2025 || p.Indicators[1].Value != nil || p.Indicators[1].Year != nil {
		t.Errorf("indicators = %+v", p.Indicators)
	}
	if len(p.Mentions) != 2 || p.Mentions[0].ResolvedTo == nil || p.Mentions[0].ResolvedTo.Name != "烟台高新技术产业开发区" || p.Mentions[1].ResolvedTo != nil {
		t.Errorf("mentions = %+v", p.Mentions)
	}
	if len(p.Conflicts) != 1 || len(p.Conflicts[0].Groups) != 2 || p.Conflicts[0].Groups[1] != "9个未来产业" {
		t.Errorf("conflicts = %+v", p.Conflicts)
	}
	if len(p.CountedGroups) != 2 || !p.CountedGroups[0].Mismatch || p.CountedGroups[0].Items[1] != "区块链" {
		t.Errorf("counted groups = %+v", p.CountedGroups)
	}
	if len(p.Unresolved) != 1 || p.Unresolved[0] != "firm 中集" {
		t.Errorf("unresolved = %v", p.Unresolved)
	}

	var rd RegionDesignationsResponse
	getInto(t, h, "/api/v1/regions/370600/designations", http.StatusOK, &rd)
	if rd.Region.Name != "烟台市" || len(rd.Plans) != 1 || len(rd.Designations) != 1 || len(rd.Clusters) != 1 {
		t.Errorf("designations of 烟台市 = %+v", rd)
	}
	getInto(t, h, "/api/v1/regions/370600/designations?within=true", http.StatusOK, &rd)
	if len(rd.Plans) != 2 || len(rd.Designations) != 2 || rd.Designations[1].Region.Name != "莱山区" {
		t.Errorf("designations within 烟台市 = %+v", rd)
	}
	getInto(t, h, "/api/v1/regions/370000/designations", http.StatusOK, &rd)
	if len(rd.Plans) != 0 || rd.Designations == nil {
		t.Errorf("designations of 山东省 (no plan of its own) = %+v", rd)
	}

	for _, tc := range []struct {
		path string
		want int
	}{
		{"/api/v1/plans/no-such-plan", http.StatusNotFound},
		{"/api/v1/plans/Bad_ID", http.StatusBadRequest},
		{"/api/v1/regions/999999/designations", http.StatusNotFound},
		{"/api/v1/regions/12/designations", http.StatusBadRequest},
		{"/api/v1/regions/370600/designations?within=maybe", http.StatusBadRequest},
	} {
		var prob Problem
		getInto(t, h, tc.path, tc.want, &prob)
		if prob.Status != tc.want || prob.Detail == "" {
			t.Errorf("%s: problem %+v", tc.path, prob)
		}
	}
}
