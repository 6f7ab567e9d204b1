package readmodel

import (
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// This file keeps where the read model's records come from, so exports can
// label every node and edge with its source: the sources that assert facts
// about each chain, chain node, park and region, and the source of the
// evidence the read model kept for each firm → node link.

// provenance maps the IRI of a chain, node, park or region to the sources
// (indexes into Index.sources) that assert facts about it.
type provenance struct {
	bySubject map[string][]uint16
}

type provenanceBuilder struct {
	bySubject map[string][]uint16
}

func newProvenanceBuilder() provenanceBuilder {
	return provenanceBuilder{bySubject: map[string][]uint16{}}
}

// note records that source src asserts a fact about subj, for the kinds of
// entity whose records do not carry their sources themselves.
func (p *provenanceBuilder) note(subj string, src uint16) {
	// Firms, the bulk of the quads, leave at the first byte after the base.
	if len(subj) <= len(graph.IDBase) {
		return
	}
	switch subj[len(graph.IDBase)] {
	case 'n', 'c', 'p', 'r':
	default:
		return
	}
	switch kind, _ := graph.ParseIRI(subj); kind {
	case graph.EntityNode, graph.EntityChain, graph.EntityPark, graph.EntityRegion:
	default:
		return
	}
	if s := p.bySubject[subj]; !slices.Contains(s, src) {
		p.bySubject[subj] = append(s, src)
	}
}

func (p *provenanceBuilder) build() provenance {
	for _, s := range p.bySubject {
		slices.Sort(s)
	}
	return provenance{bySubject: p.bySubject}
}

func (x *Index) sourcesOf(subj string) []graph.SourceID {
	nums := x.prov.bySubject[subj]
	out := make([]graph.SourceID, len(nums))
	for i, n := range nums {
		out[i] = x.sources[n].ID
	}
	return out
}

// NodeSources returns the sources that assert facts about a chain node.
func (x *Index) NodeSources(id graph.NodeID) []graph.SourceID { return x.sourcesOf(string(id.IRI())) }

// ChainSources returns the sources that assert facts about a chain.
func (x *Index) ChainSources(id graph.ChainID) []graph.SourceID { return x.sourcesOf(string(id.IRI())) }

// ParkSources returns the sources that assert facts about a park.
func (x *Index) ParkSources(id graph.ParkID) []graph.SourceID { return x.sourcesOf(string(id.IRI())) }

// RegionSources returns the sources that assert facts about a region.
func (x *Index) RegionSources(c graph.RegionCode) []graph.SourceID {
	return x.sourcesOf(string(c.IRI()))
}

// LinkSource returns the source of the evidence the read model keeps for a
// firm's link to a node (of two sources' evidence, the more confident).
func (x *Index) LinkSource(f graph.FirmID, n graph.NodeID) (graph.SourceID, bool) {
	fi, ok := x.firmAt[f]
	if !ok {
		return "", false
	}
	for _, l := range x.firms[fi].links {
		if x.nodes[l.node].ID == n {
			return x.sources[l.src].ID, true
		}
	}
	return "", false
}

// SourceOfLabel returns the source whose current version is label.
func (x *Index) SourceOfLabel(label string) (graph.SourceID, bool) {
	for _, s := range x.sources {
		if s.Version == label {
			return s.ID, true
		}
	}
	return "", false
}
