package readmodel_test

import (
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
)

// TestSuppliersInherited: 电池材料 supplies 动力电池, so it supplies 电芯
// (a sub-node of 动力电池) too, as 电芯 sells to 整车 through its parent.
func TestSuppliersInherited(t *testing.T) {
	x := graphtest.NEV(t).Index()
	names := func(ns []graph.ChainNode) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.Name)
		}
		return out
	}
	d, err := x.NodeDetail("nev/cell", 0)
	if err != nil {
		t.Fatal(err)
	}
	if s := names(d.Suppliers); !slices.Contains(s, "电池材料") || !slices.Contains(s, "隔膜") || slices.Contains(s, "电芯") {
		t.Errorf("电芯's suppliers = %v, want 电池材料 and its sub-nodes", s)
	}
	if c := names(d.Customers); !slices.Equal(c, []string{"整车制造"}) {
		t.Errorf("电芯's customers = %v", c)
	}
	// A top-level node keeps exactly its own suppliers.
	d, _ = x.NodeDetail("nev/materials", 0)
	if s := names(d.Suppliers); !slices.Contains(s, "矿产资源") || !slices.Contains(s, "电池回收利用") || slices.Contains(s, "动力电池") {
		t.Errorf("电池材料's suppliers = %v", s)
	}
}
