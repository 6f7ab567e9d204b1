package readmodel_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// truthFixture adds to the analytics fixture (graphtest.Analytics) what
// the data of real regions is full of:
//
//	firm  region             node            capital  revenue  notes
//	F11   370000 山东省 only  anode            2000             位置待核实 for 烟台 and its counties
//	F12   320500 苏州         anode            -        -        规模未知
//	F13   370602 芝罘区       materials (group) -       -        未细分
//	F14   370602 芝罘区       charging         -        -        anchor gate: 规模未知
//
//	and a leaf no firm has anywhere: recycling 电池回收 (下游).
func truthFixture(t *testing.T) *store.Store {
	t.Helper()
	s := graphtest.Analytics(t)
	ctx := context.Background()
	link := func(n graph.NodeID) []graph.NodeLink {
		return []graph.NodeLink{{Node: n, Method: "keyword", Confidence: 1}}
	}
	if _, err := s.Replace(ctx, graph.Source{ID: "chains/extra", Kind: graph.KindChains}, graph.Facts(
		graph.ChainNode{ID: "ev/recycling", Name: "电池回收", Segment: "down", Order: 6})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Replace(ctx, graph.Source{ID: "registry/truth", Kind: graph.KindRegistry}, graph.Facts(
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(11)), Name: "F11", Region: "370000", Capital: 2000, Nodes: link("ev/anode")},
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(12)), Name: "F12", Region: "320500", Nodes: link("ev/anode")},
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(13)), Name: "F13", Region: "370602", Nodes: link("ev/materials")},
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(14)), Name: "F14", Region: "370602", Nodes: link("ev/charging")},
	)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestUnplacedFirmsAreNeitherLocalNorTargets(t *testing.T) {
	x := truthFixture(t).Index()
	cfg := graph.DefaultConfig()
	for _, region := range []graph.RegionCode{"370600", "370613"} { // a city of 山东省, and a county
		m, err := x.ChainMap(context.Background(), region, "ev", cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range m.Nodes {
			if n.Node.ID == "ev/anode" && (n.Count != 0 || n.Unplaced != 1 || n.Level != readmodel.LevelBlank) {
				t.Errorf("%s anode: count %d unplaced %d level %s, want 0, 1 (F11), 空白", region, n.Count, n.Unplaced, n.Level)
			}
		}
		if m.Coverage.Unplaced < 1 || !strings.Contains(m.Coverage.Note, "位置待核实") {
			t.Errorf("%s coverage %+v", region, m.Coverage)
		}
		tl, err := x.Targets(context.Background(), region, "ev", readmodel.TargetQuery{Size: 100}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range tl.Targets {
			if tg.Firm.Name == "F11" {
				t.Errorf("%s: F11, known only at 山东省, is a target", region)
			}
			if rr := tg.Firm.Region; region.Contains(rr) || rr.Contains(region) {
				t.Errorf("%s: target %s of region %s is inside or above it", region, tg.Firm.Name, rr)
			}
		}
		if tl.Unplaced < 1 {
			t.Errorf("%s: unplaced %d, want F11 counted", region, tl.Unplaced)
		}
	}
	// For the county 莱山区, F4 (known only at 烟台市) is unplaced too.
	tl, _ := x.Targets(context.Background(), "370613", "ev", readmodel.TargetQuery{Size: 100}, cfg)
	for _, tg := range tl.Targets {
		if tg.Firm.Name == "F4" {
			t.Error("370613: F4, known only at 烟台市, is a target of 莱山区")
		}
	}
	// Asked for 江苏省's 苏州市, F11 is simply outside, not unplaced.
	m, _ := x.ChainMap(context.Background(), "320500", "ev", cfg)
	for _, n := range m.Nodes {
		if n.Unplaced != 0 {
			t.Errorf("320500 %s: unplaced %d, want 0", n.Node.ID, n.Unplaced)
		}
	}
}

func TestNoDataIsNotAGap(t *testing.T) {
	x := truthFixture(t).Index()
	cfg := graph.DefaultConfig()
	m, err := x.ChainMap(context.Background(), "370600", "ev", cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range m.Nodes {
		if n.Node.ID == "ev/recycling" && n.Level != readmodel.LevelNoData {
			t.Errorf("recycling level %s, want 无数据", n.Level)
		}
	}
	// Leaves cathode, anode, cell, vehicle, charging, recycling: recycling
	// is 无数据 and leaves the denominator; cathode (F1), cell (F2),
	// vehicle (F3, F4) and charging (F14) are present: 4 of 5, each of weight 1.
	if m.NoData != 1 || m.Leaves != 6 || m.Present != 4 || math.Abs(m.Completeness-0.8) > 1e-9 {
		t.Errorf("no data %d leaves %d present %d completeness %.3f, want 1, 6, 4, 0.800", m.NoData, m.Leaves, m.Present, m.Completeness)
	}
	g, err := x.Gaps(context.Background(), "370600", "ev", nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, gap := range g.Gaps {
		if gap.Node.ID == "ev/recycling" {
			t.Errorf("recycling is a gap: %+v", gap)
		}
		if gap.Node.ID == "ev/anode" && (gap.Unplaced != 1 || !strings.Contains(gap.Reason, "位置待核实")) {
			t.Errorf("anode gap: unplaced %d reason %q", gap.Unplaced, gap.Reason)
		}
	}
}

func TestGroupOnlyFirmsAreUnsplit(t *testing.T) {
	x := truthFixture(t).Index()
	m, err := x.ChainMap(context.Background(), "370602", "ev", graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range m.Nodes {
		switch n.Node.ID {
		case "ev/materials":
			if n.Level != readmodel.LevelUnsplit || n.Unsplit != 1 || n.Count != 1 {
				t.Errorf("materials: level %s unsplit %d count %d, want 未细分, 1, 1 (F13)", n.Level, n.Unsplit, n.Count)
			}
		case "ev/cathode", "ev/anode":
			if n.Level != readmodel.LevelBlank {
				t.Errorf("%s level %s, want 空白: F13 is not counted in a leaf", n.Node.ID, n.Level)
			}
		}
	}
}

func TestUnknownScaleIsLeftOut(t *testing.T) {
	x := truthFixture(t).Index()
	cfg := graph.DefaultConfig()
	tl, err := x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{Size: 100}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var f12 *readmodel.Target
	for i := range tl.Targets {
		if tl.Targets[i].Firm.Name == "F12" {
			f12 = &tl.Targets[i]
		}
	}
	if f12 == nil {
		t.Fatal("F12 is not a target")
	}
	c := f12.Components
	if c.ScaleKnown || c.Scale != 0 || c.Risk != 0 || c.Quality != 0 || c.Proximity != 0 {
		t.Errorf("F12 components %+v: want scale unknown, no risk for the unknown capital, quality 0, proximity 0", c)
	}
	// The positive weights without scale (0.35+0.2+0.15+0.15 = 0.85) are
	// scaled up to their total with it (1.0).
	want := (cfg.WTGap*c.Gap + cfg.WTAffinity*c.Affinity) / 0.85
	if math.Abs(f12.Score-want) > 1e-9 {
		t.Errorf("F12 score %.4f, want %.4f", f12.Score, want)
	}
	if !strings.Contains(f12.Reason, "规模未知") || tl.ScaleUnknown != 1 {
		t.Errorf("reason %q, scale unknown %d", f12.Reason, tl.ScaleUnknown)
	}
	// Anchors: F14 has neither revenue nor capital, so the gate fails,
	// although it would be the only firm of its size.
	al, err := x.Anchors(context.Background(), "370602", "ev", cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range al.Anchors {
		if a.Firm.Name == "F14" && (a.Gate.Passed || a.Gate.By != "unknown" || a.ScaleKnown) {
			t.Errorf("F14 gate %+v scale known %v", a.Gate, a.ScaleKnown)
		}
		if a.Firm.Name == "F2" && (!a.ScaleKnown || a.Scale != 100) {
			t.Errorf("F2, the only firm of known size, scale %.1f known %v", a.Scale, a.ScaleKnown)
		}
	}
}

// TestQueriesStopWhenContextIsDone: every query family answers the
// context's error, not a result, once the request is gone.
func TestQueriesStopWhenContextIsDone(t *testing.T) {
	x := graphtest.Analytics(t).Index()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := graph.DefaultConfig()
	calls := map[string]func() error{
		"map":     func() error { _, err := x.ChainMap(ctx, "370600", "ev", cfg); return err },
		"gaps":    func() error { _, err := x.Gaps(ctx, "370600", "ev", nil, cfg); return err },
		"anchors": func() error { _, err := x.Anchors(ctx, "370600", "ev", cfg, true); return err },
		"targets": func() error { _, err := x.Targets(ctx, "370600", "ev", readmodel.TargetQuery{}, cfg); return err },
		"compare": func() error { _, err := x.CompareRegions(ctx, "ev", []graph.RegionCode{"370600"}, cfg); return err },
		"profile": func() error { _, err := x.CompareChains(ctx, "370600", cfg); return err },
		"search":  func() error { _, err := x.Search(ctx, readmodel.SearchQuery{Q: "负极"}); return err },
		"quality": func() error { _, err := x.Quality(ctx, readmodel.QualityQuery{}); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", name, err)
		}
	}
}

// TestGroupShowsOnce: a firm and the group it belongs to, both local in a
// node, show once among the node's top firms — the group.
func TestGroupShowsOnce(t *testing.T) {
	s := graphtest.Analytics(t)
	link := []graph.NodeLink{{Node: "ev/charging", Method: "named-in-source", Confidence: 0.9}}
	group := graph.FirmID(graphtest.CreditCode(31))
	if _, err := s.Replace(context.Background(), graph.Source{ID: "registry/group", Kind: graph.KindRegistry}, graph.Facts(
		graph.Firm{ID: group, Name: "甲集团", Region: "370602", Nodes: link},
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(32)), Name: "甲股份", Region: "370613", Capital: 9000, MemberOf: []graph.FirmID{group}, Nodes: link},
	)); err != nil {
		t.Fatal(err)
	}
	m, err := s.Index().ChainMap(context.Background(), "370600", "ev", graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range m.Nodes {
		if n.Node.ID != "ev/charging" {
			continue
		}
		var names []string
		for _, f := range n.TopFirms {
			names = append(names, f.Name)
		}
		if n.Count != 2 || len(names) != 1 || names[0] != "甲集团" {
			t.Errorf("charging: %d local firms, top firms %v; want 2 firms shown as 甲集团 once", n.Count, names)
		}
	}
}
