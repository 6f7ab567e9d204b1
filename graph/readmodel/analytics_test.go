package readmodel_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// The fixture is drawn in graph/graphtest/fixture.go.

func near(a, b float64) bool { return math.Abs(a-b) < 0.05 }

func mapNode(m *readmodel.ChainMap, id graph.NodeID) readmodel.MapNode {
	for _, n := range m.Nodes {
		if n.Node.ID == id {
			return n
		}
	}
	return readmodel.MapNode{}
}

func TestChainMapHandWorked(t *testing.T) {
	x := graphtest.Analytics(t).Index()
	m, err := x.ChainMap(context.Background(), "370600", "ev", graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	want := map[graph.NodeID]struct {
		count int
		level readmodel.Level
		total float64
	}{
		"ev/materials": {1, readmodel.LevelStrongest, -1},
		"ev/cathode":   {1, readmodel.LevelStrongest, 80.05}, // scale 60.09, linkage 100, quality 100
		"ev/anode":     {0, readmodel.LevelBlank, 0},         // F9 is cancelled
		"ev/cell":      {1, readmodel.LevelStrongest, 72.55}, // linkage 3 of 4 adjacent present
		"ev/vehicle":   {2, readmodel.LevelStrongest, 62.99}, // F4 counts though placed at city level only
		"ev/charging":  {0, readmodel.LevelBlank, 0},
	}
	for id, w := range want {
		n := mapNode(m, id)
		if n.Count != w.count || n.Level != w.level || (w.total >= 0 && !near(n.Score.Total, w.total)) {
			t.Errorf("%s: count %d level %s score %.2f; want %d %s %.2f", id, n.Count, n.Level, n.Score.Total, w.count, w.level, w.total)
		}
	}
	if n := mapNode(m, "ev/cathode"); !near(n.Score.LQ, 2) || n.National != 1 {
		t.Errorf("cathode LQ %.3f national %d, want 2 and 1", n.Score.LQ, n.National)
	}
	if !near(m.Completeness, 0.6) || m.Present != 3 || m.Leaves != 5 {
		t.Errorf("completeness %.3f (%d of %d), want 0.6 (3 of 5)", m.Completeness, m.Present, m.Leaves)
	}
	if m.RegionFirms != 4 {
		t.Errorf("region firms %d, want 4 active firms in 烟台", m.RegionFirms)
	}
	if top := mapNode(m, "ev/vehicle").TopFirms; len(top) != 2 || top[0].Name != "F3" {
		t.Errorf("vehicle top firms = %+v, want F3 first (larger capital)", top)
	}
	// A county sees only its own firms.
	ls, _ := x.ChainMap(context.Background(), "370613", "ev", graph.DefaultConfig())
	if n := mapNode(ls, "ev/vehicle"); n.Count != 1 {
		t.Errorf("莱山区 vehicle count %d, want 1 (F4 is placed at city level only)", n.Count)
	}
}

func TestGapsHandWorked(t *testing.T) {
	x := graphtest.Analytics(t).Index()
	g, err := x.Gaps(context.Background(), "370600", "ev", nil, graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Peers) != 2 {
		t.Fatalf("default peers of 烟台市 = %v, want 济南 and 青岛", g.Peers)
	}
	if len(g.Gaps) != 2 || g.Gaps[0].Node.ID != "ev/anode" || g.Gaps[1].Node.ID != "ev/charging" {
		t.Fatalf("gaps = %+v", g.Gaps)
	}
	a := g.Gaps[0]
	// dependence: D = 3 (F2, F3, F4 downstream), A = 1 (F2) → ln(9)/ln(21) = 72.17.
	// peers: 济南 潜力 (50.05), 青岛 薄弱 (30.05) → 50.
	if !near(a.Components.Dependence, 72.17) || !near(a.Components.Peers, 50) || !near(a.Severity, 81.65) {
		t.Errorf("anode components %+v severity %.2f, want dependence 72.17 peers 50 severity 81.65", a.Components, a.Severity)
	}
	if a.DownstreamFirms != 3 || !slices.Equal(a.DownstreamAnchors, []string{"F2"}) || !slices.Equal(a.PeersStrong, []graph.RegionCode{"370100"}) {
		t.Errorf("anode: downstream %d anchors %v strong peers %v", a.DownstreamFirms, a.DownstreamAnchors, a.PeersStrong)
	}
	for _, w := range []string{"烟台市在「负极材料」环节没有本地企业（空白）", "3家企业依赖该环节", "链主F2", "济南市"} {
		if !strings.Contains(a.Reason, w) {
			t.Errorf("reason %q lacks %q", a.Reason, w)
		}
	}
	if c := g.Gaps[1]; !near(c.Severity, 50) || !strings.Contains(c.Reason, "本地暂无下游企业依赖该环节") {
		t.Errorf("charging: severity %.2f reason %q", c.Severity, c.Reason)
	}
}

func TestAnchorsHandWorked(t *testing.T) {
	x := graphtest.Analytics(t).Index()
	al, err := x.Anchors(context.Background(), "370600", "ev", graph.DefaultConfig(), false)
	if err != nil {
		t.Fatal(err)
	}
	if al.Candidates != 4 || len(al.Anchors) != 1 || al.Anchors[0].Firm.Name != "F2" {
		t.Fatalf("anchors = %d candidates, %+v", al.Candidates, al.Anchors)
	}
	a := al.Anchors[0]
	// scale 100 (largest), breadth 1/3, linkage ln(5)/ln(31) from 4 local firms around 电芯, quality 上市 = 2/5.
	if !near(a.Scale, 100) || !near(a.Breadth, 33.33) || !near(a.Linkage, 46.87) || !near(a.Quality, 40) || !near(a.Score, 61.72) {
		t.Errorf("F2 = %+v", a)
	}
	if !a.Gate.Passed || a.Gate.By != "revenue" || a.Gate.Threshold != 100000 {
		t.Errorf("F2 gate = %+v", a.Gate)
	}
	all, _ := x.Anchors(context.Background(), "370600", "ev", graph.DefaultConfig(), true)
	if len(all.Anchors) != 4 {
		t.Errorf("with all=true: %d anchors, want 4", len(all.Anchors))
	}
	for _, b := range all.Anchors[1:] {
		if b.Gate.Passed {
			t.Errorf("%s passed the gate by %s %.0f", b.Firm.Name, b.Gate.By, b.Gate.Value)
		}
	}
}

func TestTargetsHandWorked(t *testing.T) {
	x := graphtest.Analytics(t).Index()
	tl, err := x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{}, graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tg := range tl.Targets {
		names = append(names, tg.Firm.Name)
	}
	if !slices.Equal(names, []string{"F5", "F7", "F6", "F8"}) || tl.Total != 4 {
		t.Fatalf("targets = %v (total %d), want F5 F7 F6 F8", names, tl.Total)
	}
	f5 := tl.Targets[0]
	if !near(f5.Components.Gap, 81.65) || f5.Components.Affinity != 100 || !near(f5.Components.Quality, 20) ||
		!near(f5.Components.Scale, 78.06) || f5.Components.Proximity != 100 || !near(f5.Score, 78.29) {
		t.Errorf("F5 = %+v score %.2f", f5.Components, f5.Score)
	}
	if f5.Park == nil || f5.Park.ID != "yt-eda" {
		t.Errorf("F5 park = %+v, want 烟台经济技术开发区 (its focus names 负极材料)", f5.Park)
	}
	if !strings.Contains(f5.Reason, "从事「负极材料」") || !strings.Contains(f5.Reason, "建议落户烟台经济技术开发区") {
		t.Errorf("F5 reason %q", f5.Reason)
	}
	// Filters and paging.
	tl, _ = x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{Province: "320000"}, graph.DefaultConfig())
	if tl.Total != 2 {
		t.Errorf("province filter: %d targets, want F7 and F8", tl.Total)
	}
	tl, _ = x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{Page: 2, Size: 3}, graph.DefaultConfig())
	if len(tl.Targets) != 1 || tl.Targets[0].Firm.Name != "F8" {
		t.Errorf("page 2 of size 3 = %+v", tl.Targets)
	}
	tl, _ = x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{Statuses: []graph.FirmStatus{graph.StatusActive, graph.StatusCancelled}}, graph.DefaultConfig())
	if tl.Total != 4 {
		t.Errorf("with cancelled firms: %d targets; F9 is inside 烟台 and must not appear", tl.Total)
	}
	if _, err := x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{Sort: "bogus"}, graph.DefaultConfig()); err == nil {
		t.Error("a bad sort was accepted")
	}
}

// TestAnalyticsProperties checks, over every region and node of the fixture,
// what must always hold: a node with no local firm is 空白, a target never
// comes from inside the region, and scores grow with their components.
func TestAnalyticsProperties(t *testing.T) {
	x := graphtest.Analytics(t).Index()
	cfg := graph.DefaultConfig()
	for _, r := range x.Regions() {
		m, err := x.ChainMap(context.Background(), r.Code, "ev", cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range m.Nodes {
			if (n.Count == 0) != (n.Level == readmodel.LevelBlank) {
				t.Errorf("%s %s: count %d level %s", r.Code, n.Node.ID, n.Count, n.Level)
			}
		}
		tl, err := x.Targets(context.Background(), r.Code, "ev", readmodel.TargetQuery{Size: 500, Statuses: []graph.FirmStatus{graph.StatusActive, graph.StatusCancelled}}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range tl.Targets {
			if r.Code.Contains(tg.Firm.Region) {
				t.Errorf("region %s: target %s is inside it (%s)", r.Code, tg.Firm.Name, tg.Firm.Region)
			}
		}
	}
	// Monotone: raising one component's weight never lowers a target whose component is positive,
	// and more capital never lowers a target's scale.
	base, _ := x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{}, cfg)
	more := cfg
	more.WTQuality += 0.1
	after, _ := x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{}, more)
	for i := range base.Targets {
		for _, a := range after.Targets {
			if a.Firm.ID == base.Targets[i].Firm.ID && a.Score < base.Targets[i].Score {
				t.Errorf("%s: score fell from %.2f to %.2f when quality weighed more", a.Firm.Name, base.Targets[i].Score, a.Score)
			}
		}
	}
	prev := -1.0
	for _, c := range []float64{0, 10, 100, 1000, 1e4, 1e5, 1e6} {
		s := 100 * math.Min(1, math.Log1p(c)/math.Log1p(cfg.CapitalFull))
		if s < prev {
			t.Errorf("scale falls at capital %v", c)
		}
		prev = s
	}
}

func TestSearch(t *testing.T) {
	x := graphtest.Analytics(t).Index()
	hits, _ := x.Search(context.Background(), readmodel.SearchQuery{Q: "负极"})
	if len(hits) == 0 || hits[0].Kind != readmodel.HitNode || hits[0].ID != "ev/anode" {
		t.Errorf("search 负极 = %+v", hits)
	}
	hits, _ = x.Search(context.Background(), readmodel.SearchQuery{Q: graphtest.CreditCode(7)})
	if len(hits) != 1 || hits[0].Name != "F7" {
		t.Errorf("search by credit code = %+v", hits)
	}
	hits, _ = x.Search(context.Background(), readmodel.SearchQuery{Q: "烟台经济开发区", Kinds: []readmodel.SearchKind{readmodel.HitPark}})
	if len(hits) == 0 || hits[0].ID != "yt-eda" {
		t.Errorf("fuzzy park search = %+v", hits)
	}
}

// TestTargetsFromGroupNodes: a firm the evidence places only in the group
// 电池材料 is offered for the blank 负极材料 under it, at group_fit times the
// gap's severity, and says so.
func TestTargetsFromGroupNodes(t *testing.T) {
	s := graphtest.Analytics(t)
	_, err := s.Replace(context.Background(), graph.Source{ID: "registry/group", Kind: graph.KindRegistry}, graph.Facts(
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(10)), Name: "F10", Region: "320500", Capital: 1000,
			Nodes: []graph.NodeLink{{Node: "ev/materials", Method: "sw2021", Confidence: 0.6}}}))
	if err != nil {
		t.Fatal(err)
	}
	tl, err := s.Index().Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{Size: 50}, graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var f10 *readmodel.Target
	for i := range tl.Targets {
		if tl.Targets[i].Firm.Name == "F10" {
			f10 = &tl.Targets[i]
		}
	}
	if f10 == nil {
		t.Fatalf("F10 (linked to 电池材料 only) is not a target: %+v", tl.Targets)
	}
	// anode severity 81.65 × group_fit 0.6.
	if !near(f10.Components.Gap, 48.99) || f10.Group != "ev/materials" || !slices.Equal(f10.GapNodes, []graph.NodeID{"ev/anode"}) {
		t.Errorf("F10 = gap %.2f group %s gap nodes %v", f10.Components.Gap, f10.Group, f10.GapNodes)
	}
	// The reason never says the firm works in the leaf: that is not known.
	if !strings.Contains(f10.Reason, "据申万行业对照，属「电池材料」环节，是否覆盖烟台市缺口「负极材料」待核实") || strings.Contains(f10.Reason, "从事") {
		t.Errorf("reason %q", f10.Reason)
	}
	// Asked for firms that fit a leaf, the group-only firm is left out.
	leaf, err := s.Index().Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{Size: 100, LeafOnly: true}, graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range leaf.Targets {
		if tg.Group != "" {
			t.Errorf("LeafOnly: %s is a group-only firm", tg.Firm.Name)
		}
	}
	// F1, in 正极材料 under the same group, is local; a firm linked to a leaf
	// is never counted as a group-only firm.
	for _, tg := range tl.Targets {
		if tg.Group != "" && tg.Firm.Name != "F10" {
			t.Errorf("%s counted as a group-only firm", tg.Firm.Name)
		}
	}
}
