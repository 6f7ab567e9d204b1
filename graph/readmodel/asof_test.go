package readmodel_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
)

// asOfFixture adds to the analytics fixture two firms with dates:
//
//	firm  region          node     founded
//	F20   370613 莱山区    anode    2026-03-01   established after 2025-12-31
//	F21   370602 芝罘区    charging 2025         the year only: before the year's end
//
// Now, by hand, 烟台 × ev has every leaf present: cathode F1,
// anode F20, cell F2, vehicle F3 F4, charging F21: 5 of 5, completeness 1.
// As of 2025-12-31: F20 is left out, anode is 空白: 4 of 5, 0.8. As of
// 2025-06-30, F21's founding (some day of 2025) cannot be placed before
// it: it is kept and counted as undated, with F1–F4 that have no date.
func TestChainMapAsOf(t *testing.T) {
	s := graphtest.Analytics(t)
	if _, err := s.Replace(context.Background(), graph.Source{ID: "registry/dated", Kind: graph.KindRegistry}, graph.Facts(
		graph.Firm{ID: firmID(20), Name: "F20", Region: "370613", Founded: "2026-03-01", Nodes: []graph.NodeLink{{Node: "ev/anode", Method: "keyword", Confidence: 1}}},
		graph.Firm{ID: firmID(21), Name: "F21", Region: "370602", Founded: "2025", Nodes: []graph.NodeLink{{Node: "ev/charging", Method: "keyword", Confidence: 1}}},
	)); err != nil {
		t.Fatal(err)
	}
	x := s.Index()
	ctx, cfg := context.Background(), graph.DefaultConfig()
	now, err := x.ChainMap(ctx, "370600", "ev", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if now.AsOf != nil || math.Abs(now.Completeness-1) > 1e-9 || now.RegionFirms != 6 {
		t.Fatalf("now: as of %v, completeness %.3f, region firms %d; want none, 1, 6", now.AsOf, now.Completeness, now.RegionFirms)
	}
	tests := []struct {
		day             string
		anode           int
		anodeNational   int
		complete        float64
		regionFirms     int
		leftOut, undate int
	}{
		// F20 out; F1–F4 undated, F21 of 2025 is before the year's end.
		{"2025-12-31", 0, 3, 0.8, 5, 1, 4},
		// F20 out; F21 kept but undated (2025 may be after June).
		{"2025-06-30", 0, 3, 0.8, 5, 1, 5},
		{"2026-03-01", 1, 4, 1, 6, 0, 4},
	}
	for _, tc := range tests {
		t.Run(tc.day, func(t *testing.T) {
			m, err := x.ChainMapAsOf(ctx, "370600", "ev", tc.day, cfg)
			if err != nil {
				t.Fatal(err)
			}
			a := nodeOn(t, m, "ev/anode")
			if a.Count != tc.anode || a.National != tc.anodeNational || math.Abs(m.Completeness-tc.complete) > 1e-9 || m.RegionFirms != tc.regionFirms {
				t.Errorf("anode %d (national %d), completeness %.3f, region firms %d; want %d (%d), %.3f, %d",
					a.Count, a.National, m.Completeness, m.RegionFirms, tc.anode, tc.anodeNational, tc.complete, tc.regionFirms)
			}
			if tc.anode == 0 && a.Level != "空白" {
				t.Errorf("anode level %s, want 空白", a.Level)
			}
			if m.AsOf == nil || m.AsOf.Date != tc.day || m.AsOf.LeftOut != tc.leftOut || m.AsOf.Undated != tc.undate ||
				!strings.Contains(m.AsOf.Note, "没有注销或吊销日期") {
				t.Errorf("as of %+v, want date %s, left out %d, undated %d, and the note on deregistration", m.AsOf, tc.day, tc.leftOut, tc.undate)
			}
		})
	}
	// The index itself is untouched.
	again, _ := x.ChainMap(ctx, "370600", "ev", cfg)
	if nodeOn(t, again, "ev/anode").Count != 1 || again.Completeness != now.Completeness {
		t.Error("a map as of a date changed the read model")
	}
	if _, err := x.ChainMapAsOf(ctx, "370600", "ev", "2025-13-01", cfg); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("bad date: error %v, want ErrInvalid", err)
	}
}
