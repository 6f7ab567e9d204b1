package readmodel

import (
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func TestFirmMergeAcrossSources(t *testing.T) {
	s := openTestStore(t, "mem:")
	a := graph.Source{ID: "registry/a", Kind: graph.KindRegistry}
	b := graph.Source{ID: "registry/b", Kind: graph.KindRegistry}
	o := graph.Source{ID: "override/o", Kind: graph.KindOverride}
	mustReplace(t, s, srcChains, graph.Chain{ID: "chem", Name: "化工"},
		graph.ChainNode{ID: "chem/mdi", Name: "MDI"}, graph.ChainNode{ID: "chem/tdi", Name: "TDI"}, graph.ChainNode{ID: "chem/pu", Name: "聚氨酯"})
	mustReplace(t, s, a,
		graph.Firm{ID: "x-600309-sh", Name: "万华化学集团股份有限公司", ShortName: "万华化学", Region: "370000", RegionMethod: "column",
			Nodes: []graph.NodeLink{{Node: "chem/mdi", Method: "scope", Confidence: 0.7}, {Node: "chem/tdi", Method: "scope", Confidence: 0.7}}},
		graph.IndustryClass{Code: "3841", Name: "锂离子电池制造", Parent: "384"},
		graph.IndustryClass{Code: "384", Name: "电池制造", Parent: "38"},
	)
	mustReplace(t, s, b, graph.Firm{ID: "x-600309-sh", Name: "万华化学集团股份有限公司", Region: "370686", RegionMethod: "address"})
	mustReplace(t, s, o, graph.NodeOverride{Firm: "x-600309-sh", Node: "chem/tdi"}, graph.NodeOverride{Firm: "x-600309-sh", Node: "chem/pu", Include: true, Note: "核实"})
	x := s.Index()
	f, ok := x.Firm("x-600309-sh")
	if !ok || f.Region != "370686" || f.RegionMethod != "address" {
		t.Errorf("the finer region and its own method should win: %+v", f)
	}
	var nodes []graph.NodeID
	for _, l := range f.Nodes {
		nodes = append(nodes, l.Node)
	}
	if !slices.Equal(nodes, []graph.NodeID{"chem/mdi", "chem/pu"}) {
		t.Errorf("nodes after overrides = %v", f.Nodes)
	}
	if got := x.FirmsNamed("万华化学"); !slices.Equal(got, []graph.FirmID{"x-600309-sh"}) {
		t.Errorf("FirmsNamed(short) = %v", got)
	}
	if got := x.FirmsNamed("万华化学集团股份有限公司 "); len(got) != 1 {
		t.Errorf("FirmsNamed(full, trailing space) = %v", got)
	}
	if c, ok := x.IndustryNamed("锂离子电池制造"); !ok || c != "3841" {
		t.Errorf("IndustryNamed = %v %v", c, ok)
	}
	if NormalizeFirmName("兴民智通(集团)股份有限公司") != NormalizeFirmName("兴民智通（集团）股份有限公司") {
		t.Error("brackets not folded")
	}
}
