package synth

import (
	"fmt"
	"math/bits"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// tally counts what a generator has drawn, for Summary.
type tally struct {
	firms  []int      // place → firms
	nodes  [][]uint64 // place → bitset of the topics its firms drew
	chains []map[graph.ChainID]int
}

func (t *tally) add(v *Vocabulary, p int, topics []int) {
	if t.firms == nil {
		t.firms = make([]int, len(v.Places))
		t.nodes = make([][]uint64, len(v.Places))
		t.chains = make([]map[graph.ChainID]int, len(v.Places))
	}
	t.firms[p]++
	for _, k := range topics {
		if t.nodes[p] == nil {
			t.nodes[p] = make([]uint64, (len(v.Topics)+63)/64)
			t.chains[p] = map[graph.ChainID]int{}
		}
		t.nodes[p][k/64] |= 1 << (k % 64)
		t.chains[p][v.Topics[k].Chain]++
	}
}

// Summary is the shape of what a generator drew: how firms spread over
// cities and how chain nodes over counties.
type Summary struct {
	Firms, Cities, Counties int // counties and cities with a firm
	// Shares of all firms: the largest city, the ten largest, the median city.
	TopCity, Top10Cities, MedianCity float64
	// CountyNodesEmpty is, over counties with a firm, the mean share of
	// chain nodes (with words) no firm of the county drew.
	CountyNodesEmpty float64
	// CityNodesEmpty is the same over cities.
	CityNodesEmpty float64
	// Top3Chains is the median over cities of the share of their firms'
	// topics that fall in their three most drawn chains.
	Top3Chains float64
}

func (s Summary) String() string {
	return fmt.Sprintf("%d firms in %d cities and %d counties; largest city %.1f%% of firms, ten largest %.1f%%, median city %.2f%%; "+
		"chain nodes without a firm: %.0f%% per county, %.0f%% per city (mean); a city's three main chains hold %.0f%% of its firms' topics (median)",
		s.Firms, s.Cities, s.Counties, 100*s.TopCity, 100*s.Top10Cities, 100*s.MedianCity,
		100*s.CountyNodesEmpty, 100*s.CityNodesEmpty, 100*s.Top3Chains)
}

// Summary describes the rows generated so far.
func (g *Generator) Summary() Summary {
	var s Summary
	if g.tally.firms == nil {
		return s
	}
	nt := len(g.v.Topics)
	ct, emptySum := g.byCity(&s)
	s.Cities = len(ct.firms)
	if nt > 0 && s.Counties > 0 {
		s.CountyNodesEmpty = emptySum / float64(s.Counties)
		var ce float64
		for c := range ct.firms {
			ce += 1 - float64(popcount(ct.nodes[c]))/float64(nt)
		}
		s.CityNodesEmpty = ce / float64(s.Cities)
	}
	s.TopCity, s.Top10Cities, s.MedianCity = cityShares(ct.firms, s.Firms)
	s.Top3Chains = medianTop3Share(ct.chains)
	return s
}

// cityTally is the tally gathered by city.
type cityTally struct {
	firms  map[graph.RegionCode]int
	nodes  map[graph.RegionCode][]uint64
	chains map[graph.RegionCode]map[graph.ChainID]int
}

// byCity gathers the counties' tallies by city, counting firms and
// counties with a firm into s, and returns them with the sum over those
// counties of the share of topics none of their firms drew.
func (g *Generator) byCity(s *Summary) (cityTally, float64) {
	t := &g.tally
	nt := len(g.v.Topics)
	ct := cityTally{firms: map[graph.RegionCode]int{}, nodes: map[graph.RegionCode][]uint64{}, chains: map[graph.RegionCode]map[graph.ChainID]int{}}
	var emptySum float64
	for p, n := range t.firms {
		if n == 0 {
			continue
		}
		s.Firms += n
		s.Counties++
		c := g.v.Places[p].City.Code
		ct.firms[c] += n
		if nt > 0 {
			emptySum += 1 - float64(popcount(t.nodes[p]))/float64(nt)
		}
		if t.nodes[p] == nil {
			continue
		}
		cn := ct.nodes[c]
		if cn == nil {
			cn = make([]uint64, len(t.nodes[p]))
			ct.nodes[c] = cn
			ct.chains[c] = map[graph.ChainID]int{}
		}
		for i, w := range t.nodes[p] {
			cn[i] |= w
		}
		for ch, k := range t.chains[p] {
			ct.chains[c][ch] += k
		}
	}
	return ct, emptySum
}

// cityShares gives the shares of all firms of the largest city, the ten
// largest and the median city.
func cityShares(cityFirms map[graph.RegionCode]int, firms int) (top, top10, median float64) {
	sizes := make([]int, 0, len(cityFirms))
	for _, n := range cityFirms {
		sizes = append(sizes, n)
	}
	if len(sizes) == 0 {
		return 0, 0, 0
	}
	slices.Sort(sizes)
	slices.Reverse(sizes)
	sum := 0
	for _, n := range sizes[:min(10, len(sizes))] {
		sum += n
	}
	return float64(sizes[0]) / float64(firms), float64(sum) / float64(firms), float64(sizes[len(sizes)/2]) / float64(firms)
}

// medianTop3Share gives the median over cities of the share of their
// firms' topics that fall in their three most drawn chains.
func medianTop3Share(cityChains map[graph.RegionCode]map[graph.ChainID]int) float64 {
	var top3 []float64
	for _, m := range cityChains {
		var ks []int
		all := 0
		for _, k := range m {
			ks = append(ks, k)
			all += k
		}
		slices.Sort(ks)
		slices.Reverse(ks)
		sum := 0
		for _, k := range ks[:min(3, len(ks))] {
			sum += k
		}
		top3 = append(top3, float64(sum)/float64(all))
	}
	if len(top3) == 0 {
		return 0
	}
	slices.Sort(top3)
	return top3[len(top3)/2]
}

func popcount(b []uint64) int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}
