package readmodel_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// TestWhatIfFillsABlankLeaf weighs anode 3 (the other leaves 1) in the
// analytics fixture. 烟台 × ev: present cathode, cell, vehicle = 3 of a
// weight of 7 (anode and charging are 空白). Placing F7 (苏州, anode) in
// 烟台经开区 makes anode non-空白 and raises completeness by anode's share,
// 3/7: from 3/7 to 6/7. F3 is already local, F9 is cancelled; neither counts.
func TestWhatIfFillsABlankLeaf(t *testing.T) {
	s := graphtest.Analytics(t)
	if _, err := s.Replace(context.Background(), graph.Source{ID: "chains/weights", Kind: graph.KindChains}, graph.Facts(
		graph.ChainNode{ID: "ev/anode", Parent: "ev/materials", Weight: 3})); err != nil {
		t.Fatal(err)
	}
	x := s.Index()
	ctx, cfg := context.Background(), graph.DefaultConfig()
	w, err := x.WhatIf(ctx, "370600", "ev", readmodel.WhatIfQuery{Firms: []graph.FirmID{firmID(7), firmID(3), firmID(9)}, Park: "yt-eda"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(w.Before.Completeness-3.0/7) > 1e-9 || math.Abs(w.After.Completeness-6.0/7) > 1e-9 {
		t.Errorf("completeness %.4f → %.4f, want %.4f → %.4f", w.Before.Completeness, w.After.Completeness, 3.0/7, 6.0/7)
	}
	if b, a := nodeOn(t, w.Before, "ev/anode"), nodeOn(t, w.After, "ev/anode"); b.Level != readmodel.LevelBlank || a.Level == readmodel.LevelBlank || a.Count != 1 {
		t.Errorf("anode %s (%d) → %s (%d), want 空白 → not 空白 with 1 firm", b.Level, b.Count, a.Level, a.Count)
	}
	if w.Place != "370600" || w.Park == nil || w.Park.ID != "yt-eda" {
		t.Errorf("placed in %s, park %v; want 370600, yt-eda", w.Place, w.Park)
	}
	counted := map[string]bool{}
	for _, f := range w.Firms {
		counted[f.Firm.Name] = f.Counted
		if !f.Counted && f.Reason == "" {
			t.Errorf("%s not counted without a reason", f.Firm.Name)
		}
	}
	if !counted["F7"] || counted["F3"] || counted["F9"] || len(counted) != 3 {
		t.Errorf("counted %v, want F7 only of F7, F3, F9", counted)
	}
	// The changes: anode and its group 电池材料 gain a firm.
	changed := map[graph.NodeID]bool{}
	for _, c := range w.Changes {
		changed[c.Node.ID] = true
	}
	if !changed["ev/anode"] || !changed["ev/materials"] || changed["ev/charging"] {
		t.Errorf("changes %v, want anode and materials, not charging", changed)
	}
	gapLevel := func(gs []readmodel.Gap, id graph.NodeID) readmodel.Level {
		for _, g := range gs {
			if g.Node.ID == id {
				return g.Level
			}
		}
		return ""
	}
	if b, a := gapLevel(w.GapsBefore, "ev/anode"), gapLevel(w.GapsAfter, "ev/anode"); b != readmodel.LevelBlank || a == readmodel.LevelBlank {
		t.Errorf("anode as a gap: %q before, %q after; want 空白 before, and no gap or 薄弱 after", b, a)
	}
	// Nothing was written: the map of the index is as before.
	m, _ := x.ChainMap(ctx, "370600", "ev", cfg)
	if m.Completeness != w.Before.Completeness || nodeOn(t, m, "ev/anode").Count != 0 || m.RegionFirms != w.Before.RegionFirms {
		t.Error("the what-if changed the read model")
	}
	if w.After.RegionFirms != w.Before.RegionFirms+1 {
		t.Errorf("region firms %d → %d, want one more", w.Before.RegionFirms, w.After.RegionFirms)
	}

	for _, tc := range []struct {
		name string
		q    readmodel.WhatIfQuery
		want error
	}{
		{"no firm", readmodel.WhatIfQuery{}, graph.ErrInvalid},
		{"unknown firm", readmodel.WhatIfQuery{Firms: []graph.FirmID{firmID(99)}}, graph.ErrNotFound},
		{"park elsewhere", readmodel.WhatIfQuery{Firms: []graph.FirmID{firmID(7)}, Park: "jn-park"}, graph.ErrInvalid},
		{"unknown park", readmodel.WhatIfQuery{Firms: []graph.FirmID{firmID(7)}, Park: "nope"}, graph.ErrNotFound},
	} {
		if _, err := x.WhatIf(ctx, "370600", "ev", tc.q, cfg); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
}

// BenchmarkAsOfAndWhatIf measures the map as of a date (a copy of the
// chain's aggregates filtered, and a scan of every firm for the region
// totals) and a what-if of three firms (a copy of the touched aggregates,
// two maps and two gap lists) at 100k synthetic firms:
//
//	go test ./graph/readmodel -run '^$' -bench AsOfAndWhatIf -benchtime 50x
func BenchmarkAsOfAndWhatIf(b *testing.B) {
	x := benchStore(b, 100_000).Index()
	ctx, cfg := context.Background(), graph.DefaultConfig()
	b.Run("ChainMapAsOf", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.ChainMapAsOf(ctx, "370600", "ev", "2024-12-31", cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	q := readmodel.WhatIfQuery{Firms: []graph.FirmID{firmID(5), firmID(7), firmID(8)}, Park: "yt-eda"}
	b.Run("WhatIf", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.WhatIf(ctx, "370600", "ev", q, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
}
