package synth

import (
	"fmt"
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

// bigVocab is 100 cities of 5 counties and 10 chains of 20 topics.
func bigVocab() Vocabulary {
	var v Vocabulary
	prov := graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince}
	for c := 0; c < 100; c++ {
		city := graph.Region{Code: graph.RegionCode(fmt.Sprintf("37%02d00", c)), Name: fmt.Sprintf("城%d市", c), ShortName: fmt.Sprintf("城%d", c), Level: graph.LevelCity, Parent: "370000"}
		for k := 1; k <= 5; k++ {
			county := graph.Region{Code: graph.RegionCode(fmt.Sprintf("37%02d%02d", c, k)), Name: fmt.Sprintf("县%d区", k), ShortName: fmt.Sprintf("县%d", k), Level: graph.LevelCounty, Parent: city.Code}
			v.Places = append(v.Places, Place{County: county, City: city, Province: prov})
		}
	}
	for ch := 0; ch < 10; ch++ {
		for n := 0; n < 20; n++ {
			v.Topics = append(v.Topics, Topic{Words: []string{fmt.Sprintf("产品%d_%d", ch, n)}, Chain: graph.ChainID(fmt.Sprintf("c%d", ch))})
		}
	}
	return v
}

func summary(t *testing.T, d Distribution, seed uint64, n int) (Summary, [][]string) {
	t.Helper()
	g, err := NewDist(bigVocab(), seed, d)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for i := 0; i < n; i++ {
		out = append(out, slices.Clone(g.Next()))
	}
	return g.Summary(), out
}

// TestRealisticShape checks the realistic distribution against the uniform
// one on the same vocabulary: heavier-tailed cities, specialised cities,
// more empty nodes per county; and that it is deterministic for a seed.
func TestRealisticShape(t *testing.T) {
	const n = 50000
	u, _ := summary(t, Uniform, 1, n)
	r, rows1 := summary(t, Realistic, 1, n)
	_, rows2 := summary(t, Realistic, 1, n)
	t.Logf("uniform: %s", u)
	t.Logf("realistic: %s", r)
	if !slices.EqualFunc(rows1, rows2, slices.Equal[[]string]) {
		t.Error("the same seed gave different realistic rows")
	}
	if r.Firms != n || u.Firms != n {
		t.Errorf("summaries count %d and %d firms, want %d", r.Firms, u.Firms, n)
	}
	if r.TopCity < 5*r.MedianCity || r.TopCity < 2*u.TopCity {
		t.Errorf("cities not heavy-tailed: largest %.3f, median %.4f (uniform largest %.3f)", r.TopCity, r.MedianCity, u.TopCity)
	}
	if r.Top3Chains < 0.5 || u.Top3Chains > 0.45 {
		t.Errorf("three main chains hold %.2f of a city's topics (uniform %.2f)", r.Top3Chains, u.Top3Chains)
	}
	if r.CityNodesEmpty < u.CityNodesEmpty+0.2 {
		t.Errorf("nodes empty per city: realistic %.2f, uniform %.2f", r.CityNodesEmpty, u.CityNodesEmpty)
	}
	if _, err := ParseDistribution("zipf"); err == nil {
		t.Error("an unknown distribution was accepted")
	}
}
