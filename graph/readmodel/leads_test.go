package readmodel_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// The fixtures of these tests add to the analytics fixture
// (graphtest.Analytics), whose 烟台 (370600) × ev map is, by hand:
//
//	leaf      local firms        level
//	cathode   F1 (莱山)           present
//	anode     — (F9 cancelled)    空白; F5 济南, F6 青岛, F7 苏州 elsewhere
//	cell      F2 (芝罘)           present
//	vehicle   F3 (莱山), F4 (烟台) present
//	charging  — ; F8 苏州         空白
//
// With every weight 1, completeness is 3/5 = 0.6.

func firmID(n int) graph.FirmID { return graph.FirmID(graphtest.CreditCode(n)) }

func putLeads(t *testing.T, s *store.Store, leads ...graph.Lead) {
	t.Helper()
	facts := make([]graph.Fact, len(leads))
	for i, l := range leads {
		facts[i] = l
	}
	if _, err := s.Replace(context.Background(), graph.Source{ID: "leads/all", Kind: graph.KindOverride}, graph.Facts(facts...)); err != nil {
		t.Fatal(err)
	}
}

// landedLead is a lead for F7 (苏州, anode) to 烟台, in the park 烟台经开区
// (370600), created on 2025-03-01 and landed on 2025-06-01.
func landedLead(t *testing.T) graph.Lead {
	t.Helper()
	l, err := graph.NewLead("1", firmID(7), "370600", "ev", "ev/anode", "yt-eda", "招商一组", "", "", "writer", time.Date(2025, 3, 1, 1, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	l, err = l.Apply(graph.LeadUpdate{Status: graph.LeadVisited, Date: "2025-03-20"}, "writer", time.Date(2025, 3, 21, 1, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	l, err = l.Apply(graph.LeadUpdate{Status: graph.LeadLanded, Date: "2025-06-01"}, "writer", time.Date(2025, 6, 2, 1, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func nodeOn(t *testing.T, m *readmodel.ChainMap, id graph.NodeID) readmodel.MapNode {
	t.Helper()
	for _, n := range m.Nodes {
		if n.Node.ID == id {
			return n
		}
	}
	t.Fatalf("node %s not on the map", id)
	return readmodel.MapNode{}
}

func TestLandedLeadCountsFromItsDate(t *testing.T) {
	s := graphtest.Analytics(t)
	putLeads(t, s, landedLead(t))
	x := s.Index()
	ctx, cfg := context.Background(), graph.DefaultConfig()
	base, err := x.ChainMap(ctx, "370600", "ev", cfg)
	if err != nil {
		t.Fatal(err)
	}
	anode := nodeOn(t, base, "ev/anode")
	// F7 lands in 烟台: anode has one local firm, a landed one, without
	// F7's own capital (50000) or its 小巨人 tag; 4 of 5 leaves present.
	if anode.Count != 1 || anode.Landed != 1 || anode.Capital != 0 || anode.Tagged != 0 || anode.Level == readmodel.LevelBlank {
		t.Errorf("anode: count %d landed %d capital %.0f tagged %d level %s; want 1, 1, 0, 0, not 空白",
			anode.Count, anode.Landed, anode.Capital, anode.Tagged, anode.Level)
	}
	if math.Abs(base.Completeness-0.8) > 1e-9 {
		t.Errorf("completeness %.3f, want 0.800", base.Completeness)
	}
	// 烟台's active firms: F1–F4 and the landed F7.
	if base.RegionFirms != 5 {
		t.Errorf("region firms %d, want 5", base.RegionFirms)
	}
	// Its parent 电池材料 counts it once; 苏州 keeps F7 as its own.
	if n := nodeOn(t, base, "ev/materials"); n.Count != 2 || n.Landed != 1 {
		t.Errorf("materials: count %d landed %d, want 2 (F1, F7 landed), 1", n.Count, n.Landed)
	}
	sz, _ := x.ChainMap(ctx, "320500", "ev", cfg)
	if n := nodeOn(t, sz, "ev/anode"); n.Count != 1 || n.Landed != 0 {
		t.Errorf("苏州 anode: count %d landed %d, want 1, 0", n.Count, n.Landed)
	}
	for _, tc := range []struct {
		day      string
		count    int
		complete float64
		firms    int
	}{{"2025-05-31", 0, 0.6, 4}, {"2025-06-01", 1, 0.8, 5}, {"2026-01-01", 1, 0.8, 5}} {
		m, err := x.ChainMapAsOf(ctx, "370600", "ev", tc.day, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if n := nodeOn(t, m, "ev/anode"); n.Count != tc.count || n.Landed != tc.count || math.Abs(m.Completeness-tc.complete) > 1e-9 {
			t.Errorf("as of %s: anode count %d landed %d, completeness %.3f; want %d, %d, %.3f", tc.day, n.Count, n.Landed, m.Completeness, tc.count, tc.count, tc.complete)
		}
		if m.RegionFirms != tc.firms {
			t.Errorf("as of %s: region firms %d, want %d", tc.day, m.RegionFirms, tc.firms)
		}
	}
}

func TestLeadQueriesAndFunnel(t *testing.T) {
	s := graphtest.Analytics(t)
	at := func(m, d int) time.Time { return time.Date(2025, time.Month(m), d, 3, 0, 0, 0, time.UTC) }
	// Lead 1: landed (待接触 03-01, 已拜访 03-20, 已落地 06-01).
	// Lead 2: F8 to 烟台, 待接触 03-01, 已接触 03-11, 已拜访 03-31, then dropped.
	// Lead 3: F5 to 济南 (another region), 待接触.
	l2, _ := graph.NewLead("2", firmID(8), "370600", "ev", "", "", "招商二组", "", "", "writer", at(3, 1))
	l2, _ = l2.Apply(graph.LeadUpdate{Status: graph.LeadContacted, Date: "2025-03-11"}, "writer", at(3, 12))
	l2, _ = l2.Apply(graph.LeadUpdate{Status: graph.LeadVisited, Date: "2025-03-31"}, "writer", at(4, 1))
	l2, err := l2.Apply(graph.LeadUpdate{Status: graph.LeadDropped}, "admin", at(4, 2))
	if err != nil {
		t.Fatal(err)
	}
	l3, _ := graph.NewLead("3", firmID(5), "370100", "ev", "", "", "招商一组", "", "", "writer", at(3, 1))
	putLeads(t, s, landedLead(t), l2, l3)
	x := s.Index()
	ctx := context.Background()

	for _, tc := range []struct {
		name string
		q    readmodel.LeadQuery
		want []graph.LeadID
	}{
		{"all", readmodel.LeadQuery{}, []graph.LeadID{"1", "2", "3"}},
		{"烟台 and its counties", readmodel.LeadQuery{Region: "370600"}, []graph.LeadID{"1", "2"}},
		{"山东", readmodel.LeadQuery{Region: "370000"}, []graph.LeadID{"1", "2", "3"}},
		{"status", readmodel.LeadQuery{Status: graph.LeadDropped}, []graph.LeadID{"2"}},
		{"owner", readmodel.LeadQuery{Owner: "招商一组"}, []graph.LeadID{"1", "3"}},
		{"chain", readmodel.LeadQuery{Chain: "other"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := x.Leads(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []graph.LeadID
			for _, l := range got {
				ids = append(ids, l.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && !equalIDs(ids, tc.want)) {
				t.Errorf("got %v, want %v", ids, tc.want)
			}
		})
	}
	v, ok := x.Lead("2")
	if !ok || v.FirmName != "F8" || v.RegionName != "烟台市" || len(v.History) != 4 || v.History[3].By != "admin" {
		t.Fatalf("lead 2: %+v", v)
	}
	// Lead 2 names no node: it would count in F8's own link, charging.
	if len(v.MapNodes) != 1 || v.MapNodes[0] != "ev/charging" {
		t.Errorf("lead 2 map nodes %v, want [ev/charging]", v.MapNodes)
	}
	if x.NextLeadID() != "4" {
		t.Errorf("next id %s, want 4", x.NextLeadID())
	}

	f, err := x.LeadFunnel(ctx, readmodel.LeadQuery{Region: "370600", Chain: "ev"})
	if err != nil {
		t.Fatal(err)
	}
	// Reached: 待接触 2, 已接触 2 (lead 1 skipped it), 已拜访 2, 洽谈中 1,
	// 已签约 1, 已落地 1. Days: 待接触→已接触 10 (lead 2); 已接触→已拜访 20
	// (lead 2; lead 1 has no 已接触 date); 已签约→已落地 none (lead 1
	// skipped 已签约).
	want := []struct {
		now, reached, n int
		mean            float64
	}{{0, 2, 0, 0}, {0, 2, 1, 10}, {0, 2, 1, 20}, {0, 1, 0, 0}, {0, 1, 0, 0}, {1, 1, 0, 0}}
	if f.Leads != 2 || f.Dropped != 1 || f.DroppedFrom[graph.LeadVisited] != 1 || len(f.Steps) != len(want) {
		t.Fatalf("funnel %+v", f)
	}
	for i, w := range want {
		st := f.Steps[i]
		if st.Now != w.now || st.Reached != w.reached || st.Days.N != w.n || st.Days.Mean != w.mean {
			t.Errorf("%s: now %d reached %d days %+v; want %d, %d, n %d mean %.0f", st.Status, st.Now, st.Reached, st.Days, w.now, w.reached, w.n, w.mean)
		}
	}
}

func equalIDs(a, b []graph.LeadID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLandedFirmIsNoTarget: a firm whose lead landed in the region is local
// now; it is not offered to that region again, though it still is to others.
func TestLandedFirmIsNoTarget(t *testing.T) {
	s := graphtest.Analytics(t)
	// F7 (苏州, anode) lands in 烟台 at 充电桩: 烟台's anode stays 空白, which
	// F7 covers, so without the rule it would be 烟台's target for it.
	l, err := graph.NewLead("1", firmID(7), "370600", "ev", "ev/charging", "", "招商一组", "", "", "writer", time.Date(2025, 3, 1, 1, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	has := func(region graph.RegionCode) bool {
		t.Helper()
		list, err := s.Index().Targets(context.Background(), region, "ev", readmodel.TargetQuery{Size: 100}, graph.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range list.Targets {
			if tg.Firm.ID == firmID(7) {
				return true
			}
		}
		return false
	}
	others := []graph.RegionCode{"370100", "370200", "370000", "320500"}
	putLeads(t, s, l)
	if !has("370600") {
		t.Fatal("F7 is not a target of 烟台 before its lead lands: the fixture does not test the rule")
	}
	before := map[graph.RegionCode]bool{}
	for _, r := range others {
		before[r] = has(r)
	}
	if l, err = l.Apply(graph.LeadUpdate{Status: graph.LeadLanded, Date: "2025-06-01"}, "writer", time.Date(2025, 6, 2, 1, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	putLeads(t, s, l)
	if has("370600") {
		t.Error("F7 landed in 烟台 and is still 烟台's target")
	}
	for _, r := range others {
		if r == "370000" {
			continue // 山东 contains 烟台: F7 is in it now
		}
		if got := has(r); got != before[r] {
			t.Errorf("F7 as a target of %s: %v before its landing in 烟台, %v after", r, before[r], got)
		}
	}
}
