package synth

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// The realistic distribution imitates the shape of a national registry,
// not any one registry's numbers (docs/performance.md gives the figures a
// generated file has):
//
//   - City sizes are heavy-tailed, as city populations and firm counts are
//     (Zipf's law): the city of rank k weighs 1/(k+8)^1.1. Over China's
//     ~340 prefecture-level units this gives the largest city ~3.6% of all
//     firms, the ten largest ~25% and the median city ~0.13% — the order of
//     the published counts (about 58 million enterprises at the end of
//     2023, the largest cities, 深圳 among them, a few percent each, a
//     small prefecture a few tens of thousandths of a percent). Which
//     cities are large is drawn by the seed: the generator knows no city's
//     real size.
//   - Within a city firms crowd into a few districts: the county of rank k
//     of its city weighs 1/k, so the largest holds about a third.
//   - Each city specialises in two to four chains (产业集群: 宁德 and
//     batteries, 景德镇 and ceramics): 60% of the topics its firms draw
//     come from them, the nodes of each chain themselves Zipf-weighted in
//     an order of the city's own, so a specialised chain has a few dense
//     leaves and a thin tail.
//   - 39% come from the county's own economy, 8% of all topics drawn for
//     that county; 1% from every topic alike. Most leaves are therefore
//     empty in most counties, and in a small city, in most chains.
const (
	cityZipfShift = 8
	cityZipfExp   = 1.1
	shareSpecial  = 0.60
	shareOwn      = 0.39 // the rest, 1%, is uniform over all topics
	ownFraction   = 0.08
)

// layout is the realistic distribution drawn for one seed.
type layout struct {
	cum     []float64 // place i is drawn when a uniform falls below cum[i]
	city    []int32   // place → its city
	special [][]zipf  // city → its specialised chains' topics
	own     [][]int32 // place → the topics of its own economy
	topics  int
}

// zipf draws from items, the item at position k weighing 1/(k+1).
type zipf struct {
	items []int32
	cum   []float64
}

func newZipf(items []int32) zipf {
	z := zipf{items: items, cum: make([]float64, len(items))}
	var s float64
	for k := range items {
		s += 1 / float64(k+1)
		z.cum[k] = s
	}
	return z
}

func (z zipf) draw(r *rand.Rand) int32 {
	x := r.Float64() * z.cum[len(z.cum)-1]
	i, _ := slices.BinarySearch(z.cum, x)
	return z.items[min(i, len(z.items)-1)]
}

func newLayout(v Vocabulary, r *rand.Rand) *layout {
	l := &layout{city: make([]int32, len(v.Places)), own: make([][]int32, len(v.Places)), topics: len(v.Topics)}
	// Cities in the order the vocabulary first names them, then ranked by the seed.
	cityOf := map[graph.RegionCode]int32{}
	var counties [][]int
	for i, p := range v.Places {
		c, ok := cityOf[p.City.Code]
		if !ok {
			c = int32(len(counties))
			cityOf[p.City.Code] = c
			counties = append(counties, nil)
		}
		l.city[i] = c
		counties[c] = append(counties[c], i)
	}
	weight := make([]float64, len(v.Places))
	for rank, c := range r.Perm(len(counties)) {
		cw := math.Pow(float64(rank+1+cityZipfShift), -cityZipfExp)
		places := counties[c]
		var h float64
		for k := range places {
			h += 1 / float64(k+1)
		}
		for k, j := range r.Perm(len(places)) {
			weight[places[j]] = cw / float64(k+1) / h
		}
	}
	l.cum = make([]float64, len(weight))
	var s float64
	for i, w := range weight {
		s += w
		l.cum[i] = s
	}
	// Chains in the order the vocabulary first names them.
	chainOf := map[graph.ChainID]int{}
	var chains [][]int32
	for i, t := range v.Topics {
		c, ok := chainOf[t.Chain]
		if !ok {
			c = len(chains)
			chainOf[t.Chain] = c
			chains = append(chains, nil)
		}
		chains[c] = append(chains[c], int32(i))
	}
	l.special = make([][]zipf, len(counties))
	if len(chains) > 0 {
		for c := range counties {
			k := min(len(chains), 2+r.IntN(3))
			for _, ch := range r.Perm(len(chains))[:k] {
				ts := slices.Clone(chains[ch])
				r.Shuffle(len(ts), func(i, j int) { ts[i], ts[j] = ts[j], ts[i] })
				l.special[c] = append(l.special[c], newZipf(ts))
			}
		}
	}
	if n := len(v.Topics); n > 0 {
		own := max(1, int(math.Round(ownFraction*float64(n))))
		for i := range v.Places {
			for _, t := range r.Perm(n)[:own] {
				l.own[i] = append(l.own[i], int32(t))
			}
		}
	}
	return l
}

// place draws a place index.
func (l *layout) place(r *rand.Rand) int {
	x := r.Float64() * l.cum[len(l.cum)-1]
	i, _ := slices.BinarySearch(l.cum, x)
	return min(i, len(l.cum)-1)
}

// topic draws a topic index for a firm of place p. There are topics.
func (l *layout) topic(r *rand.Rand, p int) int {
	x := r.Float64()
	if sp := l.special[l.city[p]]; x < shareSpecial && len(sp) > 0 {
		return int(sp[r.IntN(len(sp))].draw(r))
	}
	if x < shareSpecial+shareOwn && len(l.own[p]) > 0 {
		return int(l.own[p][r.IntN(len(l.own[p]))])
	}
	return r.IntN(l.topics)
}
