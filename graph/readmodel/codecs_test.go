package readmodel

import (
	"reflect"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// TestChainSegmentsOldAndNewForm: a store written before segments were
// typed values holds them as "n|id|名称" text; the read model reads both,
// in their stated order, and reports a segment of neither form instead of
// dropping it silently. The chain's source is the one that states it.
func TestChainSegmentsOldAndNewForm(t *testing.T) {
	up, mid := graph.Segment{ID: "up", Name: "上游"}, graph.Segment{ID: "mid", Name: "中游"}
	typed := graph.Encode(nil, graph.Chain{ID: "ev", Name: "新能源汽车", Segments: []graph.Segment{up, mid}})
	old := []quad.Quad{
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredType, Object: graph.ClassChain},
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredName, Object: quad.String("新能源汽车")},
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredSegments, Object: quad.String("1|mid|中游")},
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredSegments, Object: quad.String("0|up|上游")},
	}
	damaged := append(append([]quad.Quad(nil), old...),
		quad.Quad{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredSegments, Object: quad.String("上游")})
	for _, tc := range []struct {
		name    string
		quads   []quad.Quad
		wantBad int
	}{
		{"typed", typed, 0},
		{"old text", old, 0},
		{"old text with a damaged value", damaged, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuilder()
			label := "urn:test:chains"
			b.SetSources([]graph.SourceInfo{{Source: graph.Source{ID: "chains/library", Kind: graph.KindChains}, Version: label}})
			b.StartFacts()
			for _, q := range tc.quads {
				q.Label = quad.IRI(label)
				b.Fact(q)
			}
			x := b.Build()
			c, ok := x.Chain("ev")
			if !ok {
				t.Fatal("chain ev not read")
			}
			if want := []graph.Segment{up, mid}; !reflect.DeepEqual(c.Segments, want) {
				t.Errorf("segments %v, want %v", c.Segments, want)
			}
			if c.Source != "chains/library" {
				t.Errorf("source %q, want chains/library", c.Source)
			}
			if got := x.Stats().BadValues; got != tc.wantBad {
				t.Errorf("%d bad values, want %d: %v", got, tc.wantBad, x.BadValues())
			}
		})
	}
}
