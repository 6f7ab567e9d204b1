package readmodel

import (
	"fmt"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// factStore holds sources' facts in memory and builds the read model from
// them with the Builder the store uses, so the read model's own tests need
// no store (graph/store imports this package, not the other way round).
type factStore struct {
	srcs map[graph.SourceID]graph.Source
	fact map[graph.SourceID][]graph.Fact
}

func openTestStore(t *testing.T, _ string) *factStore {
	t.Helper()
	return &factStore{srcs: map[graph.SourceID]graph.Source{}, fact: map[graph.SourceID][]graph.Fact{}}
}

// mustReplace makes facts the current version of src.
func mustReplace(t *testing.T, s *factStore, src graph.Source, facts ...graph.Fact) {
	t.Helper()
	s.srcs[src.ID] = src
	s.fact[src.ID] = facts
}

// Index builds the read model of the current facts.
func (s *factStore) Index() *Index {
	b := NewBuilder()
	var infos []graph.SourceInfo
	for id, src := range s.srcs {
		infos = append(infos, graph.SourceInfo{Source: src, Version: "urn:test:" + string(id)})
	}
	slices.SortFunc(infos, func(a, b graph.SourceInfo) int { return cmpString(string(a.ID), string(b.ID)) })
	b.SetSources(infos)
	b.StartFacts()
	for _, si := range infos {
		var qs []quad.Quad
		for _, f := range s.fact[si.ID] {
			qs = graph.Encode(qs, f)
		}
		for _, q := range qs {
			q.Label = quad.IRI(si.Version)
			b.Fact(q)
		}
	}
	return b.Build()
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var (
	fixtureRegions = []graph.Fact{
		graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince},
		graph.Region{Code: "370600", Name: "烟台市", ShortName: "烟台", Level: graph.LevelCity, Parent: "370000"},
	}
	srcRef    = graph.Source{ID: "reference/regions", Kind: graph.KindReference, Title: "regions"}
	srcChains = graph.Source{ID: "chains/library", Kind: graph.KindChains, Title: "chain library"}
	srcReg    = graph.Source{ID: "registry/firms", Kind: graph.KindRegistry, Title: "firms.csv"}
)

// syntheticCode makes a valid credit code from a number.
func syntheticCode(i int) string {
	p := fmt.Sprintf("91370600%09d", i)
	c, err := graph.CreditCheckChar(p)
	if err != nil {
		panic(err)
	}
	return p + string(c)
}
