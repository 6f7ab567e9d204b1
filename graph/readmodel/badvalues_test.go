package readmodel

import (
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// TestBadStoredValuesAreReported feeds the builder a firm whose stored
// capital is text that is not a number, and a node whose weight is: the
// read model leaves them out (unknown, not 0 read as a value) and reports
// them instead of reading them silently.
func TestBadStoredValuesAreReported(t *testing.T) {
	b := NewBuilder()
	label := "urn:test:registry"
	b.SetSources([]graph.SourceInfo{{Source: graph.Source{ID: "registry/x", Kind: graph.KindRegistry}, Version: label}})
	b.StartFacts()
	firm := graph.FirmID("91370600MA3C4LTQ2N")
	for _, q := range []quad.Quad{
		{Subject: firm.IRI(), Predicate: graph.PredName, Object: quad.String("甲公司")},
		{Subject: firm.IRI(), Predicate: graph.PredCapital, Object: quad.String("五千万")},
		{Subject: firm.IRI(), Predicate: graph.PredRevenue, Object: quad.Float(120)},
		{Subject: graph.NodeID("ev/cell").IRI(), Predicate: graph.PredWeight, Object: quad.String("heavy")},
	} {
		q.Label = quad.IRI(label)
		b.Fact(q)
	}
	x := b.Build()
	if got := x.Stats().BadValues; got != 2 {
		t.Errorf("bad values counted: %d, want 2", got)
	}
	f, ok := x.Firm(firm)
	if !ok || f.Capital != 0 || f.Revenue != 120 {
		t.Errorf("firm %+v: want capital unknown (0) and revenue 120", f)
	}
	var seen []string
	for _, bv := range x.BadValues() {
		seen = append(seen, bv.Predicate+"="+bv.Value)
	}
	if got := strings.Join(seen, " "); !strings.Contains(got, "五千万") || !strings.Contains(got, "heavy") {
		t.Errorf("bad values %v", seen)
	}
}
