package readmodel

import (
	"reflect"
	"testing"

	"github.com/cayleygraph/quad"

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

// TestPlanFromAnOldStore feeds the builder a plan as stores written before
// chain links were typed values hold it — the link "chain\tmethod\tconf"
// as a plain string — next to one written now, and a number that does not
// parse: both links read, the bad number is reported, not read as 0.
func TestPlanFromAnOldStore(t *testing.T) {
	b := NewBuilder()
	label := "urn:test:plan"
	b.SetSources([]graph.SourceInfo{{Source: graph.Source{ID: "plan/p", Kind: graph.KindPlan}, Version: label}})
	b.StartFacts()
	old := graph.PlanPartID{Plan: "p", Kind: graph.PartIndustry, N: 0}.IRI()
	ev := graph.PlanPartID{Plan: "p", Kind: graph.PartEvidence, N: 0}.IRI()
	ind := graph.PlanPartID{Plan: "p", Kind: graph.PartIndicator, N: 0}.IRI()
	qs := []quad.Quad{
		{Subject: graph.PlanID("p").IRI(), Predicate: graph.PredType, Object: graph.ClassPlan},
		{Subject: graph.PlanID("p").IRI(), Predicate: graph.PredDocument, Object: quad.String("p.txt")},
		{Subject: ev, Predicate: graph.PredQuote, Object: quad.String("高端装备")},
		{Subject: ev, Predicate: graph.PredStart, Object: quad.Int(4)},
		{Subject: old, Predicate: graph.PredName, Object: quad.String("高端装备")},
		{Subject: old, Predicate: graph.PredChain, Object: graph.ChainID("equip").IRI()},
		{Subject: old, Predicate: graph.PredMethod, Object: quad.String("equip\tcrosswalk\t0.800")},
		{Subject: old, Predicate: graph.PredEvidence, Object: ev},
		{Subject: ind, Predicate: graph.PredMetric, Object: quad.String("产值")},
		{Subject: ind, Predicate: graph.PredValue, Object: quad.String("一千亿")},
	}
	qs = graph.Encode(qs, graph.Designation{Plan: "p", N: 1, Name: "新材料", Chains: []graph.ChainLink{{Chain: "material", Method: "name", Confidence: 1}}})
	for _, q := range qs {
		q.Label = quad.IRI(label)
		b.Fact(q)
	}
	x := b.Build()
	p, ok := x.Plan("p")
	if !ok {
		t.Fatal("plan p not in the read model")
	}
	want := [][]graph.ChainLink{
		{{Chain: "equip", Method: "crosswalk", Confidence: 0.8}},
		{{Chain: "material", Method: "name", Confidence: 1}},
	}
	if len(p.Designations) != 2 || !reflect.DeepEqual(p.Designations[0].Chains, want[0]) || !reflect.DeepEqual(p.Designations[1].Chains, want[1]) {
		t.Errorf("designations %+v, want links %+v", p.Designations, want)
	}
	if e := p.Designations[0].Evidence; e == nil || e.Quote != "高端装备" || e.Start != 4 {
		t.Errorf("evidence of the old designation: %+v", e)
	}
	if p.Designations[1].Evidence != nil {
		t.Errorf("a designation stored without evidence has %+v, want none", p.Designations[1].Evidence)
	}
	if len(p.Indicators) != 1 || p.Indicators[0].Value != nil || x.Stats().BadValues != 1 {
		t.Errorf("indicators %+v, %d bad values: want the value unknown and reported", p.Indicators, x.Stats().BadValues)
	}
}
