package readmodel

import (
	"reflect"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// A plan with everything it can state:
//
//	plan p ─region─► 370600
//	  ├─ industry 0 量子信息 (future) ─chain─► ev
//	  ├─ cluster 0 新材料 (provincial)
//	  ├─ indicator 0 5G基站 1700 个, indicator 1 绿色工厂 (number lost)
//	  ├─ mention 0 firm 中集 (unresolved)
//	  ├─ group 0 "7个未来产业" [量子信息, 区块链], group 1 "9个未来产业"
//	  └─ conflict 0: groups 0 and 1
func TestPlanRoundTrip(t *testing.T) {
	s := openTestStore(t, "mem:")
	mustReplace(t, s, srcRef, fixtureRegions...)
	v := 1700.0
	plan := graph.Plan{ID: "p", Title: "某市产业规划", Issuer: "某市工信局", Published: "2021-06-18", Period: "2021-2025",
		Region: "370600", RegionMethod: "named", Document: "p.txt"}
	ev0 := &graph.Evidence{Plan: "p", N: 0, Text: "前瞻布局量子信息、区块链等7个未来产业。", Start: 4, End: 8, Quote: "量子信息"}
	ev1 := &graph.Evidence{Plan: "p", N: 1, Text: "建设5G基站1700个。", Start: 30, End: 41, Quote: "建设5G基站1700个"}
	ev2 := &graph.Evidence{Plan: "p", N: 2, Text: "前瞻布局量子信息、区块链等9个未来产业。", Start: 60, End: 79, Quote: "量子信息、区块链等9个未来产业"}
	facts := []graph.Fact{
		plan,
		graph.Designation{Plan: "p", N: 0, Name: "量子信息", Role: graph.RoleFuture, Evidence: ev0,
			Chains: []graph.ChainLink{{Chain: "ev", Method: "crosswalk", Confidence: 0.9}}},
		graph.Cluster{Plan: "p", N: 0, Name: "新材料", Level: "provincial", Evidence: ev0},
		graph.Indicator{Plan: "p", N: 0, Metric: "5G基站", Value: &v, Unit: "个", Comparator: "=", Year: 2025, Kind: "target", Evidence: ev1},
		graph.Indicator{Plan: "p", N: 1, Metric: "绿色工厂", Unit: "家", Comparator: "=", Kind: "target", Evidence: ev1},
		graph.Mention{Plan: "p", N: 0, Kind: "firm", Name: "中集", Method: "unresolved", Evidence: ev1},
		graph.CountedGroup{Plan: "p", N: 0, Text: "7个未来产业", Stated: 7, Listed: 2, Items: []string{"量子信息", "区块链"}, Role: "future", Open: true, Evidence: ev0},
		graph.CountedGroup{Plan: "p", N: 1, Text: "9个未来产业", Stated: 9, Listed: 2, Items: []string{"量子信息", "区块链"}, Role: "future", Open: true, Evidence: ev2},
		graph.Conflict{Plan: "p", N: 0, Kind: "count", Text: "7个未来产业 and 9个未来产业", Groups: []int{0, 1}},
	}
	mustReplace(t, s, graph.Source{ID: "plan/p-txt", Kind: graph.KindPlan, Title: "p.txt"}, facts...)

	got, ok := s.Index().Plan("p")
	if !ok {
		t.Fatal("plan p not in the read model")
	}
	if !reflect.DeepEqual(got.Plan, plan) {
		t.Errorf("plan = %+v, want %+v", got.Plan, plan)
	}
	wantGroups := []graph.CountedGroup{
		{Plan: "p", N: 0, Text: "7个未来产业", Stated: 7, Listed: 2, Items: []string{"量子信息", "区块链"}, Role: "future", Open: true, Evidence: ev0},
		{Plan: "p", N: 1, Text: "9个未来产业", Stated: 9, Listed: 2, Items: []string{"量子信息", "区块链"}, Role: "future", Open: true, Evidence: ev2},
	}
	if !reflect.DeepEqual(got.CountedGroups, wantGroups) {
		t.Errorf("groups = %+v, want %+v", got.CountedGroups, wantGroups)
	}
	wantConflicts := []graph.Conflict{{Plan: "p", N: 0, Kind: "count", Text: "7个未来产业 and 9个未来产业", Groups: []int{0, 1}}}
	if !reflect.DeepEqual(got.Conflicts, wantConflicts) {
		t.Errorf("conflicts = %+v, want %+v", got.Conflicts, wantConflicts)
	}
	if len(got.Indicators) != 2 || got.Indicators[0].Value == nil || *got.Indicators[0].Value != 1700 || got.Indicators[1].Value != nil {
		t.Errorf("indicators = %+v: want 1700 and a lost number", got.Indicators)
	}
	if len(got.Evidence) != 3 || got.Evidence[1].Quote != "建设5G基站1700个" || got.Evidence[1].Start != 30 {
		t.Errorf("evidence = %+v", got.Evidence)
	}
	if len(got.Designations) != 1 || len(got.Designations[0].Chains) != 1 || got.Designations[0].Chains[0].Chain != "ev" {
		t.Errorf("designations = %+v", got.Designations)
	}
	if len(got.Mentions) != 1 || got.Mentions[0].Method != "unresolved" || got.Mentions[0].Firm != "" {
		t.Errorf("mentions = %+v", got.Mentions)
	}
	if !got.CountedGroups[0].Mismatch() {
		t.Error("7 stated, 2 listed: want a mismatch")
	}
}
