package readmodel

import (
	"context"
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func TestRegionLookups(t *testing.T) {
	s := openTestStore(t, "mem:")
	mustReplace(t, s, srcRef,
		graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince},
		graph.Region{Code: "370600", Name: "烟台市", ShortName: "烟台", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "370613", Name: "莱山区", ShortName: "莱山", Level: graph.LevelCounty, Parent: "370600"},
		graph.Region{Code: "110000", Name: "北京市", ShortName: "北京", Level: graph.LevelProvince},
		graph.Region{Code: "110105", Name: "朝阳区", ShortName: "朝阳", Level: graph.LevelCounty, Parent: "110000"},
		graph.Region{Code: "211300", Name: "朝阳市", ShortName: "朝阳", Level: graph.LevelCity, Parent: "210000"},
	)
	x := s.Index()
	if got := x.RegionsNamed("烟台"); !slices.Equal(got, []graph.RegionCode{"370600"}) {
		t.Errorf("RegionsNamed(烟台) = %v", got)
	}
	if got := x.RegionsNamed("朝阳"); !slices.Equal(got, []graph.RegionCode{"110105", "211300"}) {
		t.Errorf("RegionsNamed(朝阳) = %v", got)
	}
	ms := x.RegionMentions("山东省烟台市莱山区观海路1号")
	var names []string
	for _, m := range ms {
		names = append(names, m.Name)
	}
	if !slices.Equal(names, []string{"山东省", "烟台市", "莱山区"}) {
		t.Errorf("RegionMentions = %v", names)
	}
	if ms[2].Start != len("山东省烟台市") {
		t.Errorf("莱山区 starts at %d", ms[2].Start)
	}
	_ = context.Background()
}
