package main

import (
	"context"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// TestNoLocalOrUnplacedTargetsInShandong asks the default data for the
// targets of every city of 山东省 in every chain, every page, and checks
// that none is a firm of that city (or of one of its counties) nor a firm
// known only at 山东省, which may be in the city. It also checks that the
// province-only firms are counted as unplaced where they would cover a gap.
func TestNoLocalOrUnplacedTargetsInShandong(t *testing.T) {
	x := defaultStore(t).Index()
	cfg := graph.DefaultConfig()
	cities := x.Children("370000")
	if len(cities) < 16 {
		t.Fatalf("山东省 has %d cities in the default data, want 16", len(cities))
	}
	lists, unplaced := 0, 0
	for _, city := range cities {
		for _, c := range x.Chains() {
			for page := 1; ; page++ {
				tl, err := x.Targets(context.Background(), city, c.ID, readmodel.TargetQuery{Page: page, Size: 500}, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if page == 1 {
					lists++
					unplaced += tl.Unplaced
				}
				for _, tg := range tl.Targets {
					r := tg.Firm.Region
					if r == "" || r == "370000" || city.Contains(r) {
						t.Errorf("%s × %s: target %s (%s) has region %q", city, c.ID, tg.Firm.Name, tg.Firm.ID, r)
					}
				}
				if page*500 >= tl.Total {
					break
				}
			}
		}
	}
	if unplaced == 0 {
		t.Error("no province-only firm was counted as unplaced: the default data has some, so the count is not working")
	}
	t.Logf("%d target lists of %d cities × %d chains checked; %d unplaced firms counted apart", lists, len(cities), len(x.Chains()), unplaced)
}
