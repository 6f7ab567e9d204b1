package readmodel

import (
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// The fixture library:
//
//	chain nev 新能源汽车 (alias 电动汽车)          chain pv 光伏
//	  materials ─┬─ cathode [3985] ──supplies──►   cells [3825]
//	             └─ anode [3985, 3091]    │
//	  cells ──── cell [3841] ◄────────────┘
func TestLibraryLookups(t *testing.T) {
	s := openTestStore(t, "mem:")
	srcChains := graph.Source{ID: "chains/library", Kind: graph.KindChains, Title: "library"}
	mustReplace(t, s, srcChains,
		graph.Chain{ID: "nev", Name: "新能源汽车", Aliases: []string{"电动汽车"}, Type: graph.ChainUpDown,
			Segments: []graph.Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中游"}}},
		graph.ChainNode{ID: "nev/materials", Name: "电池材料", Segment: "up", Order: 1},
		graph.ChainNode{ID: "nev/cathode", Name: "正极材料", Parent: "nev/materials", Segment: "up", Order: 1,
			Codes: []graph.IndustryCode{"3985"}, SuppliesTo: []graph.NodeID{"nev/cell"}},
		graph.ChainNode{ID: "nev/anode", Name: "负极材料", Parent: "nev/materials", Segment: "up", Order: 2,
			Codes: []graph.IndustryCode{"3985", "3091"}},
		graph.ChainNode{ID: "nev/cells", Name: "电池", Segment: "mid", Order: 2},
		graph.ChainNode{ID: "nev/cell", Name: "电芯", Parent: "nev/cells", Segment: "mid", Order: 1, Codes: []graph.IndustryCode{"3841"}},
		graph.Chain{ID: "pv", Name: "光伏", Type: graph.ChainUpDown, Segments: []graph.Segment{{ID: "mid", Name: "中游"}}},
		graph.ChainNode{ID: "pv/cells", Name: "电池片", Segment: "mid", Order: 1, Codes: []graph.IndustryCode{"3825"}},
		graph.CrosswalkEntry{Phrase: "五能一网", Chains: []graph.ChainID{"pv"}, Confidence: 0.9},
		graph.CrosswalkEntry{Phrase: "高端化工", Chains: []graph.ChainID{"pv"}, Confidence: 1},
	)
	mustReplace(t, s, graph.Source{ID: "reference/parks.txt", Kind: graph.KindReference, Title: "parks"},
		graph.Park{ID: "jinan-hitech", Name: "济南高新技术产业开发区", ShortName: "济南高新区", Aliases: []string{"济南高新技术开发区"}, Region: "370176"},
	)
	x := s.Index()

	for ref, want := range map[string]graph.ChainID{
		"nev": "nev", "NEV": "nev", "新能源汽车": "nev", "新能源汽车产业链": "nev", "电动汽车": "nev", "光伏产业": "pv", " pv ": "pv",
	} {
		if c, ok := x.ChainByRef(ref); !ok || c.ID != want {
			t.Errorf("ChainByRef(%q) = %s %v, want %s", ref, c.ID, ok, want)
		}
	}
	if c, ok := x.ChainByRef("氢能"); ok {
		t.Errorf("ChainByRef(氢能) = %s, want none", c.ID)
	}
	if c, _ := x.Chain("nev"); c.Source != "chains/library" {
		t.Errorf("chain source = %q", c.Source)
	}

	tests := []struct {
		phrase string
		chains []graph.ChainID
		conf   float64
	}{
		{"五能一网", []graph.ChainID{"pv"}, 0.9},
		{"高端化工产业集群", []graph.ChainID{"pv"}, 1},
		{"电动汽车产业", []graph.ChainID{"nev"}, 0.9},
		{"纺织", nil, 0},
	}
	for _, tt := range tests {
		e, ok := x.CrosswalkFor(tt.phrase)
		if ok != (tt.chains != nil) || !slices.Equal(e.Chains, tt.chains) || e.Confidence != tt.conf {
			t.Errorf("CrosswalkFor(%q) = %+v %v", tt.phrase, e, ok)
		}
	}

	if got := x.NodesWithCode("3985"); !slices.Equal(got, []graph.NodeID{"nev/anode", "nev/cathode"}) {
		t.Errorf("NodesWithCode(3985) = %v", got)
	}
	if !x.IsLeaf("nev/cell") || x.IsLeaf("nev/cells") {
		t.Error("IsLeaf")
	}
	if got := x.NodeChildren("nev/materials"); !slices.Equal(got, []graph.NodeID{"nev/cathode", "nev/anode"}) {
		t.Errorf("NodeChildren = %v", got)
	}
	for _, name := range []string{"济南高新技术产业开发区", "济南高新区", "济南高新技术开发区"} {
		if p, ok := x.ParkByName(name); !ok || p.ID != "jinan-hitech" {
			t.Errorf("ParkByName(%q) = %v %v", name, p.ID, ok)
		}
	}
	if _, ok := x.ParkByName("烟台高新区"); ok {
		t.Error("ParkByName found a park that is not there")
	}
}
