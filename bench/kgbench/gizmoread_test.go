package main

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
)

// TestGizmoReads checks the Gizmo programs the Gizmo alternative reads the
// analytics fixture with.
func TestGizmoReads(t *testing.T) {
	s := &gizmoStore{st: graphtest.Analytics(t)}
	for _, chunk := range []int{1000, 3} { // one array of rows per program, and several
		t.Run(fmt.Sprintf("chunks of %d", chunk), func(t *testing.T) {
			defer func(was int) { gizmoChunk = was }(gizmoChunk)
			gizmoChunk = chunk
			testGizmoReads(t, s)
		})
	}
}

func testGizmoReads(t *testing.T, s *gizmoStore) {
	ctx := context.Background()
	lib, err := s.rawLibrary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lib.Regions) != 8 || len(lib.Chains) != 1 || len(lib.Nodes) != 6 || len(lib.Parks) != 3 {
		t.Errorf("library: %d regions, %d chains, %d nodes, %d parks; want 8, 1, 6, 3", len(lib.Regions), len(lib.Chains), len(lib.Nodes), len(lib.Parks))
	}
	i := slices.IndexFunc(lib.Nodes, func(n rawNode) bool { return n.ID == "ev/materials" })
	if i < 0 || !slices.Equal(lib.Nodes[i].SuppliesTo, []graph.NodeID{"ev/cell"}) {
		t.Errorf("ev/materials: %+v", lib.Nodes)
	}
	i = slices.IndexFunc(lib.Parks, func(p rawPark) bool { return p.ID == "yt-eda" })
	if i < 0 || lib.Parks[i].Region != "370600" || lib.Parks[i].Level != "national" || !slices.Equal(lib.Parks[i].Focus, []string{"负极材料"}) {
		t.Errorf("yt-eda: %+v", lib.Parks)
	}

	code := func(i int) graph.FirmID { return graph.FirmID(graphtest.CreditCode(i)) }
	yantai := []graph.RegionCode{"370600", "370613", "370602"}
	for _, c := range []struct {
		name    string
		nodes   []graph.NodeID
		regions []graph.RegionCode
		want    []graph.FirmID
	}{
		{"anode anywhere", []graph.NodeID{"ev/anode"}, nil, []graph.FirmID{code(5), code(6), code(7), code(9)}},
		{"anode in 烟台", []graph.NodeID{"ev/anode"}, yantai, []graph.FirmID{code(9)}},
		{"vehicle or cell in 烟台", []graph.NodeID{"ev/vehicle", "ev/cell"}, yantai, []graph.FirmID{code(2), code(3), code(4)}},
		{"no region", []graph.NodeID{"ev/anode"}, []graph.RegionCode{}, nil},
	} {
		got, err := s.firmsLinked(ctx, c.nodes, c.regions)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(c.want)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	firms, err := s.rawFirms(ctx, []graph.FirmID{code(9), code(2), "no-such-firm"})
	if err != nil {
		t.Fatal(err)
	}
	if len(firms) != 2 {
		t.Fatalf("firms: %+v", firms)
	}
	f9, f2 := firms[0], firms[1]
	if f9.ID != code(9) || f9.Status != graph.StatusCancelled || f9.Capital != 9000 || f9.Region != "370613" ||
		len(f9.Links) != 1 || f9.Links[0].Node != "ev/anode" || f9.Links[0].Confidence != 1 {
		t.Errorf("F9: %+v", f9)
	}
	if f2.Name != "F2" || f2.Revenue != 2000000 || !slices.Equal(f2.Stocks, []string{"600001.SH"}) || f2.Status != "" {
		t.Errorf("F2: %+v", f2)
	}

	links, err := s.links(ctx, []graph.NodeID{"ev/anode", "ev/charging"})
	if err != nil || len(links) != 5 {
		t.Errorf("links of 负极材料 and 充电桩: %v %v, want 5", links, err)
	}
	if dead, err := s.inactive(ctx); err != nil || !slices.Equal(dead, []graph.FirmID{code(9)}) {
		t.Errorf("inactive: %v %v, want F9", dead, err)
	}
	n, err := s.countInRegions(ctx, [][]graph.RegionCode{yantai, {"320500"}})
	if err != nil || !slices.Equal(n, []int{4, 2}) {
		t.Errorf("counts by region: %v %v, want [4 2]", n, err)
	}
	if n, err := s.countPlaced(ctx, []graph.RegionCode{"370000", "370600", "370613", "370602", "370100", "370200", "320000", "320500"}); err != nil || n != 8 {
		t.Errorf("placed: %d %v, want 8", n, err)
	}
	names, err := s.firmNames(ctx, "f1")
	if err != nil || len(names) != 1 || names[0].Firm != code(1) || names[0].Form != "F1" { // not 莱山区's F1 park
		t.Errorf("names like f1: %+v %v", names, err)
	}
	if names, err := s.firmNames(ctx, "F.*"); err != nil || len(names) != 0 {
		t.Errorf("the query is not a pattern: %+v %v", names, err)
	}
}
