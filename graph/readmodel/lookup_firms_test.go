package readmodel

import (
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func TestFirmsMentioned(t *testing.T) {
	s := openTestStore(t, "mem:")
	mustReplace(t, s, srcRef, fixtureRegions...)
	mustReplace(t, s, srcReg,
		graph.Firm{ID: "914403001922038216", Name: "中国国际海运集装箱(集团)股份有限公司", ShortName: "中集集团", Region: "370600"},
		graph.Firm{ID: "9144030071526726XG", Name: "中集车辆(集团)股份有限公司", ShortName: "中集车辆", Aliases: []string{"CIMC Vehicles"}, Region: "370000"},
		graph.Firm{ID: "x-rc", Name: "荣昌生物制药(烟台)股份有限公司", ShortName: "荣昌生物", Region: "370600"},
		graph.Firm{ID: "x-yt", Name: "烟台某某集团有限公司", ShortName: "烟台集团", Region: "370600"},
	)
	x := s.Index()
	tests := []struct {
		name  string
		want  []graph.FirmID
		exact bool
	}{
		{"中集集团", []graph.FirmID{"914403001922038216"}, true},
		{"中国国际海运集装箱(集团)股份有限公司", []graph.FirmID{"914403001922038216"}, true},
		{"CIMC Vehicles", []graph.FirmID{"9144030071526726XG"}, true},
		{"中集", []graph.FirmID{"914403001922038216"}, false}, // 中集集团 without 集团; 中集车辆 does not shorten
		{"荣昌", []graph.FirmID{"x-rc"}, false},
		{"烟台", nil, false}, // a place is no firm's short form
		{"海尔", nil, false},
	}
	for _, tt := range tests {
		got, exact := x.FirmsMentioned(tt.name)
		if !slices.Equal(got, tt.want) || exact != tt.exact {
			t.Errorf("FirmsMentioned(%q) = %v, %v; want %v, %v", tt.name, got, exact, tt.want, tt.exact)
		}
	}
}
