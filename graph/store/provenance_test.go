package store_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/cayleygraph/quad/nquads"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

func TestProvenance(t *testing.T) {
	s := graphtest.NEV(t)
	x := s.Index()
	f := graph.FirmID(graphtest.CreditCode(103)) // in 电芯 by the registry, in BMS by an override
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"node", x.NodeSources("nev/cell"), []graph.SourceID{"chains/library"}},
		{"chain", x.ChainSources("nev"), []graph.SourceID{"chains/library"}},
		{"park", x.ParkSources("yt-etdz"), []graph.SourceID{"chains/library"}},
		{"region", x.RegionSources("370600"), []graph.SourceID{"reference/regions"}},
		{"unknown node", x.NodeSources("nev/nope"), []graph.SourceID{}},
		{"firm", x.FirmSources(f), []graph.SourceID{"override/manual", "registry/nev-firms"}},
	}
	for _, tt := range tests {
		if !equalSources(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if src, ok := x.LinkSource(f, "nev/bms"); !ok || src != "override/manual" {
		t.Errorf("LinkSource(bms) = %q, %v", src, ok)
	}
	if src, ok := x.LinkSource(f, "nev/cell"); !ok || src != "registry/nev-firms" {
		t.Errorf("LinkSource(cell) = %q, %v", src, ok)
	}
	if _, ok := x.LinkSource(f, "nev/motor"); ok {
		t.Error("LinkSource of a node the firm is not in: ok")
	}
	// Deleting the override takes its link, and its source, away.
	if err := s.Delete(context.Background(), "override/manual"); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Index().LinkSource(f, "nev/bms"); ok {
		t.Error("the override's link survives its source")
	}
}

func equalSources(got, want any) bool {
	g, _ := got.([]graph.SourceID)
	w, _ := want.([]graph.SourceID)
	return slices.Equal(g, w)
}

func TestWriteQuadsOfSubjects(t *testing.T) {
	s := graphtest.Analytics(t)
	ctx := context.Background()
	sub := &store.Subjects{Nodes: []graph.NodeID{"ev/cell"}, Firms: []graph.FirmID{graph.FirmID(graphtest.CreditCode(2))}}
	var nq bytes.Buffer
	if err := s.WriteQuads(ctx, &nq, store.QuadsNQuads, sub); err != nil {
		t.Fatal(err)
	}
	quads := readAll(t, nquads.NewReader(&nq, false))
	subjects := map[string]int{}
	for _, q := range quads {
		subjects[q.Subject.String()]++
		if q.Label == nil {
			t.Errorf("quad without a label: %v", q)
		}
		if ts, ok := q.Object.(quad.TypedString); ok && strings.HasPrefix(string(ts.Type), "xsd:") {
			t.Errorf("datatype not a full IRI: %v", q)
		}
	}
	// The two subjects, and the sources (and versions) their quads come from.
	for subj := range subjects {
		if !strings.Contains(subj, "/node/ev/cell") && !strings.Contains(subj, "/firm/") && !strings.Contains(subj, "/source/") {
			t.Errorf("unexpected subject %s", subj)
		}
	}
	if subjects["<https://chainkg.org/id/node/ev/cell>"] == 0 || subjects["<https://chainkg.org/id/source/registry/firms>"] == 0 {
		t.Errorf("subjects = %v", subjects)
	}
	if subjects["<https://chainkg.org/id/source/reference/regions>"] != 0 {
		t.Error("the meta quads of a source no subject uses are written")
	}
	// JSON-LD holds the same quads.
	var jl bytes.Buffer
	if err := s.WriteQuads(ctx, &jl, store.QuadsJSONLD, sub); err != nil {
		t.Fatal(err)
	}
	back := readAll(t, jsonld.NewReader(&jl))
	if len(back) != len(quads) {
		t.Errorf("JSON-LD holds %d quads, N-Quads %d", len(back), len(quads))
	}
	// The whole store: every current quad and the meta graph.
	var all bytes.Buffer
	if err := s.WriteQuads(ctx, &all, store.QuadsNQuads, nil); err != nil {
		t.Fatal(err)
	}
	if n := len(readAll(t, nquads.NewReader(&all, false))); n <= s.Index().Stats().Quads {
		t.Errorf("whole store: %d quads, want more than the %d facts (the meta graph too)", n, s.Index().Stats().Quads)
	}
	if err := s.WriteQuads(ctx, io.Discard, "turtle", nil); err == nil {
		t.Error("an unknown quad format is accepted")
	}
}

func readAll(t *testing.T, r quad.Reader) []quad.Quad {
	t.Helper()
	var out []quad.Quad
	for {
		q, err := r.ReadQuad()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
}
