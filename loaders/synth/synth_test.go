package synth

import (
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func vocab() Vocabulary {
	sd := graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince}
	yt := graph.Region{Code: "370600", Name: "烟台市", ShortName: "烟台", Level: graph.LevelCity, Parent: "370000"}
	return Vocabulary{
		Places: []Place{
			{County: graph.Region{Code: "370613", Name: "莱山区", ShortName: "莱山", Level: graph.LevelCounty, Parent: "370600"}, City: yt, Province: sd},
			{County: graph.Region{Code: "370602", Name: "芝罘区", ShortName: "芝罘", Level: graph.LevelCounty, Parent: "370600"}, City: yt, Province: sd},
		},
		Topics: []Topic{{Words: []string{"锂离子电池", "电芯"}, Codes: []graph.IndustryCode{"3841"}}, {Words: []string{"充电桩"}}},
	}
}

func rows(t *testing.T, seed uint64, n int) [][]string {
	t.Helper()
	g, err := New(vocab(), seed)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for i := 0; i < n; i++ {
		out = append(out, slices.Clone(g.Next()))
	}
	return out
}

func TestDeterministicAndValid(t *testing.T) {
	a, b, c := rows(t, 7, 2000), rows(t, 7, 2000), rows(t, 8, 2000)
	if !slices.EqualFunc(a, b, slices.Equal[[]string]) {
		t.Error("the same seed gave different rows")
	}
	if slices.EqualFunc(a, c, slices.Equal[[]string]) {
		t.Error("different seeds gave the same rows")
	}
	codes := map[string]bool{}
	topical, tagged := 0, 0
	for i, r := range a {
		cc, err := graph.ParseCreditCode(r[1])
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if codes[r[1]] {
			t.Fatalf("row %d: credit code %s repeats", i, r[1])
		}
		codes[r[1]] = true
		reg, _ := cc.RegisteringRegion()
		if !strings.Contains(r[12], map[graph.RegionCode]string{"370613": "莱山区", "370602": "芝罘区"}[reg]) {
			t.Errorf("row %d: credit code region %s, address %s", i, reg, r[12])
		}
		if r[16] != "true" {
			t.Errorf("row %d is not marked synthetic", i)
		}
		if strings.Contains(r[13], "锂离子电池") || strings.Contains(r[13], "电芯") || strings.Contains(r[13], "充电桩") {
			topical++
		}
		if r[14] != "" {
			tagged++
		}
	}
	if topical < 1000 || topical > 1800 {
		t.Errorf("%d of 2000 scopes use the chain vocabulary, want about 70%%", topical)
	}
	if tagged == 0 || tagged > 200 {
		t.Errorf("%d of 2000 firms tagged", tagged)
	}
	if _, err := New(Vocabulary{}, 1); err == nil {
		t.Error("a vocabulary without places was accepted")
	}
}
