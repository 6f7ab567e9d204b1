package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
)

// TestJournalCompactsOnlyDeadValues fills a journal with two versions of
// 40,000 values each: compaction leaves it alone while both are kept
// (however many values were added since the last one), and re-interns the
// kept version's values, the same quads, once the other is dropped.
func TestJournalCompactsOnlyDeadValues(t *testing.T) {
	j := newJournal()
	for _, label := range []string{"urn:v:a", "urn:v:b"} {
		for i := range 40_000 {
			j.add(quad.Quad{Subject: quad.IRI(fmt.Sprintf("urn:s:%s:%d", label, i)), Predicate: quad.IRI("urn:p"),
				Object: quad.String(fmt.Sprint(label, i)), Label: quad.IRI(label)})
		}
	}
	quadsOf := func(label string) []quad.Quad {
		var out []quad.Quad
		for _, q := range j.byVer[label].quads {
			out = append(out, j.quad(q, quad.IRI(label)))
		}
		return out
	}
	before := len(j.vals)
	j.compact()
	if len(j.vals) != before {
		t.Fatalf("compacted a journal without dead values: %d values → %d", before, len(j.vals))
	}
	want := quadsOf("urn:v:b")
	j.drop("urn:v:a")
	j.compact()
	if len(j.vals) >= before {
		t.Fatalf("a journal with half its values dead kept %d of %d", len(j.vals), before)
	}
	if got := quadsOf("urn:v:b"); !slices.Equal(got, want) {
		t.Fatalf("compaction changed the kept version's quads")
	}
}
