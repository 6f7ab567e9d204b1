package readmodel_test

import (
	"context"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
)

func TestQualityView(t *testing.T) {
	s := truthFixture(t)
	ctx := context.Background()
	// A second registry: F5 again but in 青岛 (a contradiction of 济南), a
	// second "F1" under another id, and a link on the name alone.
	if _, err := s.Replace(ctx, graph.Source{ID: "registry/other", Kind: graph.KindRegistry}, graph.Facts(
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(5)), Name: "F5", Region: "370200"},
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(21)), Name: "F1", Region: "320500"},
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(22)), Name: "F22电池", Region: "320500",
			Nodes: []graph.NodeLink{{Node: "ev/cell", Method: "name", Confidence: 0.4}}},
	)); err != nil {
		t.Fatal(err)
	}
	x := s.Index()
	rep, err := x.Quality(ctx, readmodel.QualityQuery{Status: "all", Size: 500})
	if err != nil {
		t.Fatal(err)
	}
	want := map[readmodel.QualityKind]int{
		readmodel.QualityProvinceOnly:   1, // F11
		readmodel.QualityRegionConflict: 1, // F5: 济南 and 青岛
		readmodel.QualityDuplicate:      1, // F1 twice
		readmodel.QualityWeakLink:       1, // F22 in 电芯 by its name
		readmodel.QualityNoNode:         2, // F5 is linked; the second F1 and … see below
	}
	// Firms with no node: the second F1 (no links). F5's second source has
	// no links, but F5 keeps the first source's.
	want[readmodel.QualityNoNode] = 1
	for k, n := range want {
		if got := rep.Kinds[k]; got != n {
			t.Errorf("%s: %d items, want %d", k, got, n)
		}
	}
	var conflict *readmodel.QualityItem
	for i := range rep.Items {
		if rep.Items[i].Kind == readmodel.QualityRegionConflict {
			conflict = &rep.Items[i]
		}
	}
	if conflict == nil || conflict.Detail != "采用济南市，另有来源给出青岛市" {
		t.Errorf("conflict item %+v", conflict)
	}
	// A writer marks the province-only item wrong: it leaves the open list
	// and shows with its verdict among the marked ones.
	key := "province-only:" + graphtest.CreditCode(11)
	if _, err := s.Replace(ctx, graph.Source{ID: "override/quality-marks", Kind: graph.KindOverride}, graph.Facts(
		graph.QualityMark{Item: key, Status: graph.MarkWrong, Note: "在烟台", By: "writer"})); err != nil {
		t.Fatal(err)
	}
	x = s.Index()
	open, _ := x.Quality(ctx, readmodel.QualityQuery{Kind: readmodel.QualityProvinceOnly})
	if open.Total != 0 || open.Marked != 1 {
		t.Errorf("open province-only items %d, marked %d; want 0, 1", open.Total, open.Marked)
	}
	marked, _ := x.Quality(ctx, readmodel.QualityQuery{Status: "marked"})
	if marked.Total != 1 || marked.Items[0].Key != key || marked.Items[0].Mark.Status != graph.MarkWrong || marked.Items[0].Mark.Note != "在烟台" {
		t.Errorf("marked items %+v", marked.Items)
	}
	// Scoped to 烟台市, the province-only firm of 山东省 is in; 苏州's firms are not.
	yt, _ := x.Quality(ctx, readmodel.QualityQuery{Region: "370600", Status: "all", Size: 500})
	for _, it := range yt.Items {
		for _, f := range it.Firms {
			if f.Region == "320500" && it.Kind != readmodel.QualityDuplicate {
				t.Errorf("烟台's view lists %s of 苏州 (%s)", f.Name, it.Kind)
			}
		}
	}
	if yt.Kinds[readmodel.QualityProvinceOnly] != 1 {
		t.Errorf("烟台's view: %d province-only items, want 1 (F11 of 山东省)", yt.Kinds[readmodel.QualityProvinceOnly])
	}
	if _, err := x.Quality(ctx, readmodel.QualityQuery{Kind: "nope"}); err == nil {
		t.Error("an unknown kind is accepted")
	}
}
