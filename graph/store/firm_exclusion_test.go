package store

import (
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// TestFirmDetailShowsExclusions: issue 19 item 7. A firm's details list a
// node an exclude override removed as excluded, with the override's note;
// before, the page listed it as a plain link while the analytics left it
// out.
func TestFirmDetailShowsExclusions(t *testing.T) {
	s := openTestStore(t, "mem:")
	mustReplace(t, s, srcChains, graph.Chain{ID: "chem", Name: "化工"},
		graph.ChainNode{ID: "chem/mdi", Name: "MDI"}, graph.ChainNode{ID: "chem/tdi", Name: "TDI"}, graph.ChainNode{ID: "chem/pu", Name: "聚氨酯"})
	mustReplace(t, s, graph.Source{ID: "registry/a", Kind: graph.KindRegistry},
		graph.Firm{ID: "x-600309-sh", Name: "万华化学集团股份有限公司", Region: "370000",
			Nodes: []graph.NodeLink{{Node: "chem/mdi", Method: "scope", Confidence: 0.7}, {Node: "chem/tdi", Method: "scope", Confidence: 0.7}}})
	mustReplace(t, s, graph.Source{ID: "override/o", Kind: graph.KindOverride},
		graph.NodeOverride{Firm: "x-600309-sh", Node: "chem/tdi", Note: "不生产TDI"},
		graph.NodeOverride{Firm: "x-600309-sh", Node: "chem/pu"})
	d, err := s.FirmDetail(t.Context(), nil, "x-600309-sh")
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		excluded bool
		by, note string
	}
	got := map[graph.NodeID]row{}
	for _, l := range d.Links {
		got[l.Node] = row{l.Excluded, string(l.ExcludedBy), l.ExcludedNote}
	}
	want := map[graph.NodeID]row{
		"chem/mdi": {},
		"chem/tdi": {true, "override/o", "不生产TDI"},
		"chem/pu":  {true, "override/o", ""},
	}
	for n, w := range want {
		if g, ok := got[n]; !ok || g != w {
			t.Errorf("link %s = %+v (listed %v), want %+v", n, g, ok, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("links = %+v", d.Links)
	}
}
