package readmodel

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/chainkg/chainkg/graph"
)

// This file holds the precomputed structures the analytics read: built once
// per read model, so that a chain map, a gap list or an anchor ranking costs
// a few binary searches per node instead of a scan of the firms.

// qualityPoints scores a firm's quality tags. The official lists weigh
// most (单项冠军, 小巨人); a listing weighs as a tag.
var qualityPoints = map[string]float64{
	"单项冠军": 3, "专精特新小巨人": 3, "独角兽": 3,
	"上市": 2, "专精特新": 2, "瞪羚": 2,
	"高新技术企业": 1,
}

// QualityTags lists the firm tags the analytics count as quality, strongest first.
func QualityTags() []string {
	return []string{"单项冠军", "专精特新小巨人", "独角兽", "上市", "专精特新", "瞪羚", "高新技术企业"}
}

// member is one firm in one node, in a node's list sorted by region.
type member struct {
	firm   int32
	region uint32 // the firm's region code as a number, county level at most
	conf   float32
}

// nodeAgg is a node's members sorted by region code, with prefix sums, so the
// aggregate of any region (a contiguous code range) is two binary searches.
type nodeAgg struct {
	members []member
	// runs are where each region's members begin, then len(members): a
	// region's members are whole runs, so the sums are kept per run, not
	// per member (which cost 28 bytes a link, 0.19 GB at a million firms).
	runs []int32
	// Prefix sums over runs: sums[k] covers members[:runs[k]]. capital,
	// revenue and tagged are nil when every member's is 0 (most registries
	// give no revenue).
	wcount  []float64 // Σ confidence (float64: float32 prefix sums lose the small differences of a region)
	capital []float64 // Σ registered capital (万元, CNY and unknown currency only)
	revenue []float64 // Σ revenue (万元)
	tagged  []int32   // firms with a quality tag
}

// between is p[j] - p[i] of prefix sums p, 0 for none.
func between[T float64 | int32](p []T, i, j int) T {
	if p == nil {
		return 0
	}
	return p[j] - p[i]
}

// analytics is the read model's precomputed part.
type analytics struct {
	firmActive []bool
	firmListed []bool
	firmRegion []uint32 // county-level numeric region code, 0 when unknown
	// firmTarget holds what ranking a candidate reads of a firm, in one
	// record per firm beside the firm records (which are large).
	firmTarget []targetRec
	// firmKey packs, in four bytes per firm, what counting a target
	// candidate and bounding its score read (targetKey), so a county's
	// ~100k candidates are counted from 0.4 MB instead of 4 MB of records.
	firmKey  []targetKey
	groupNum map[string]int32
	// firmNodes is a CSR of node indexes per firm: firmNodes[firmNodeAt[i]:firmNodeAt[i+1]].
	firmNodeAt []int32
	firmNodes  []int32

	regionTotal map[uint32]int32 // active firms per region, every level
	total       int32            // active firms with a region

	nodes        []nodeAgg
	nodeInactive [][]int32 // node → its firms that are not active (targets may ask for them)
	// nodeDirect lists, for a node with sub-nodes, the firms linked to it
	// and to none of its sub-nodes: a group the evidence could not split.
	nodeDirect [][]int32
	nodeChain  []int32   // node → chain index
	nodeParent []int32   // node → parent node, -1 for a root
	nodeKids   [][]int32 // node → children
	nodeDepth  []int8
	nodePred   [][]int32 // nodes that supply it (its own edges and its ancestors')
	nodeSucc   [][]int32 // nodes it supplies
	leaves     [][]int32 // chain → its leaf nodes, in tree order

	search searchIndex

	chainCov []chainCoverage // per chain, nationwide (coverage.go)

	landed landings // members that are landed leads, with their dates (leads.go)
}

// regionNum converts a code to its number, truncated to county level.
func regionNum(c graph.RegionCode) uint32 {
	if len(c) > 6 {
		c = c[:6]
	}
	n, err := strconv.ParseUint(string(c), 10, 32)
	if err != nil {
		return 0
	}
	return uint32(n)
}

// regionRange returns the numeric code range a region covers.
func regionRange(c graph.RegionCode) (lo, hi uint32) {
	n := regionNum(c)
	switch c.Level() {
	case graph.LevelProvince:
		return n, n + 9999
	case graph.LevelCity:
		return n, n + 99
	default:
		return n, n
	}
}

// rangeOf returns the members of a node in region c as [i, j).
func (a *nodeAgg) rangeOf(c graph.RegionCode) (int, int) {
	lo, hi := regionRange(c)
	i, _ := slices.BinarySearchFunc(a.members, lo, func(m member, t uint32) int { return cmp.Compare(m.region, t) })
	j, _ := slices.BinarySearchFunc(a.members, hi+1, func(m member, t uint32) int { return cmp.Compare(m.region, t) })
	return i, j
}

// nodeStats are a node's aggregates in one region.
type nodeStats struct {
	count   int
	wcount  float64
	capital float64
	revenue float64
	tagged  int
}

func (a *nodeAgg) stats(c graph.RegionCode) nodeStats {
	i, j := a.rangeOf(c)
	return a.sumOf(i, j)
}

func (a *nodeAgg) national() nodeStats { return a.sumOf(0, len(a.members)) }

// sumOf sums members[i:j], i and j being where runs begin (or the end).
func (a *nodeAgg) sumOf(i, j int) nodeStats {
	ki, _ := slices.BinarySearch(a.runs, int32(i))
	kj, _ := slices.BinarySearch(a.runs, int32(j))
	return nodeStats{
		count:   j - i,
		wcount:  a.wcount[kj] - a.wcount[ki],
		capital: between(a.capital, ki, kj),
		revenue: between(a.revenue, ki, kj),
		tagged:  int(between(a.tagged, ki, kj)),
	}
}

// regionFirms returns the active firms of a region (all levels below it).
func (an *analytics) regionFirms(c graph.RegionCode) int32 { return an.regionTotal[regionNum(c)] }

// buildAnalytics computes the structures from the decoded records.
func buildAnalytics(x *Index) *analytics {
	an := &analytics{regionTotal: map[uint32]int32{}}
	// The search index reads only the firms: it is built beside the rest.
	search := make(chan searchIndex, 1)
	go func() { search <- buildSearch(x) }()
	an.buildNodeTree(x)
	// Supply edges, inherited from ancestors.
	nn := len(x.nodes)
	direct := make([][]int32, nn)
	for ni, n := range x.nodes {
		for _, t := range n.SuppliesTo {
			if ti, ok := x.nodeAt[t]; ok && ti != int32(ni) {
				direct[ni] = append(direct[ni], ti)
			}
		}
	}
	an.nodeSucc, an.nodePred = inheritSupplies(direct, an.nodeParent)

	perNode := an.buildFirms(x)
	an.landed = addLanded(x, an, perNode) // landed leads (leads.go)

	an.nodes = make([]nodeAgg, nn)
	parallel(nn, func(ni int) { an.nodes[ni] = an.aggregate(x, int32(ni), perNode[ni]) })
	// Firms linked only to a group, by region, so a region's are a range.
	parallel(len(an.nodeDirect), func(i int) {
		slices.SortFunc(an.nodeDirect[i], func(a, b int32) int {
			return cmp.Or(cmp.Compare(an.firmRegion[a], an.firmRegion[b]), cmp.Compare(a, b))
		})
	})
	an.search = <-search
	return an
}

// parallel calls fn for every i in [0, n) on as many goroutines as there
// are CPUs, and returns when all have returned. fn must touch only what
// belongs to i.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// buildNodeTree sets each node's chain, parent, children and depth, and
// each chain's leaves.
func (an *analytics) buildNodeTree(x *Index) {
	nn := len(x.nodes)
	an.nodeChain = make([]int32, nn)
	an.nodeParent = make([]int32, nn)
	an.nodeKids = make([][]int32, nn)
	an.nodeDepth = make([]int8, nn)
	for ci, ns := range x.chainNodes {
		var leaves []int32
		for _, ni := range ns {
			an.nodeChain[ni] = int32(ci)
			an.nodeParent[ni] = -1
			if p, ok := x.nodeAt[x.nodes[ni].Parent]; ok && x.nodes[ni].Parent != "" {
				an.nodeParent[ni] = p
				an.nodeKids[p] = append(an.nodeKids[p], ni)
				an.nodeDepth[ni] = an.nodeDepth[p] + 1 // parents come first in tree order
			}
		}
		for _, ni := range ns {
			if len(an.nodeKids[ni]) == 0 {
				leaves = append(leaves, ni)
			}
		}
		an.leaves = append(an.leaves, leaves)
	}
}

// buildFirms fills the per-firm arrays (firmArrays) and gives each node's
// active members (a firm once in each node of its links and in each
// ancestor), unsorted.
func (an *analytics) buildFirms(x *Index) [][]member {
	an.firmArrays(x)
	p := newPlacement(len(x.nodes))
	for fi := range x.firms {
		an.place(x, int32(fi), &p)
	}
	an.nodeInactive, an.nodeDirect = p.inactive, p.direct
	return p.members
}

// firmArrays fills what the analytics read of every firm, beside the
// records: status, quality, region, scale, group, nodes (a CSR), and the
// active firms by region.
func (an *analytics) firmArrays(x *Index) {
	nf := len(x.firms)
	an.firmActive = make([]bool, nf)
	an.firmListed = make([]bool, nf)
	an.firmRegion = make([]uint32, nf)
	an.firmTarget, an.groupNum = make([]targetRec, nf), map[string]int32{}
	an.firmKey = make([]targetKey, nf)
	an.firmNodeAt = make([]int32, nf+1)
	for fi := range x.firms {
		f := &x.firms[fi]
		active := f.Status == "" || f.Status == graph.StatusActive
		an.firmActive[fi] = active
		q, listed := firmQuality(f.Tags, len(f.Stocks) > 0)
		an.firmListed[fi] = listed
		an.firmRegion[fi] = regionNum(f.Region)
		capital := f.capitalCNY()
		an.firmTarget[fi] = targetRec{capital: capital, logScale: math.Log1p(max(capital, f.Revenue)), quality: float32(q),
			group: an.groupOf(f.Group), nodeLo: int32(len(an.firmNodes))}
		if active && an.firmRegion[fi] != 0 {
			an.total++
			addRegionTotal(an.regionTotal, f.Region)
		}
		for _, l := range f.links {
			an.firmNodes = append(an.firmNodes, l.node)
		}
		an.firmNodeAt[fi+1] = int32(len(an.firmNodes))
		an.firmTarget[fi].nodeHi = an.firmNodeAt[fi+1]
		an.firmKey[fi] = packTargetKey(&an.firmTarget[fi], an.firmRegion[fi], active)
	}
}

// targetRec is what scoring a candidate (targets.go) reads of a firm
// beside its key (firmKey: region, active), in one record: the candidates
// of a county at a million firms are tens of thousands of firms spread
// over the arrays, and a read from each of eight arrays missed the cache
// eight times per candidate.
type targetRec struct {
	capital float64 // registered capital in CNY 万元 (firmRec.capitalCNY), 0 when unknown
	// logScale is ln(1 + the larger of capital and revenue), 0 when both
	// are unknown: the logarithm of a target's scale, taken once here.
	logScale float64
	quality  float32 // quality points
	group    int32   // the firm's group (集团) by number, -1 for none
	// nodeLo, nodeHi bound the firm's nodes in firmNodes (firmNodeAt[fi:fi+2]).
	nodeLo, nodeHi int32
}

// targetKey packs a firm's region number (20 bits: codes are six digits),
// whether it is active (1 bit), its quality points rounded up to 7 at most
// (3 bits), its logScale rounded up to the next keyScaleStep (6 bits; 0
// when its scale is unknown, 63 for 63 steps or more) and its node links
// (2 bits: 1, 2, 3, 4 or more). What is bounded from the key is never
// below what the record gives.
type targetKey uint32

const (
	keyRegionBits = 20
	keyActive     = 1 << keyRegionBits
	keyScaleStep  = 0.5 // a power of two: steps × keyScaleStep is exact
)

func packTargetKey(r *targetRec, region uint32, active bool) targetKey {
	k := targetKey(region) & (keyActive - 1)
	if active {
		k |= keyActive
	}
	k |= targetKey(min(7, math.Ceil(float64(r.quality)))) << 21
	if r.logScale > 0 {
		k |= targetKey(min(63, math.Ceil(r.logScale/keyScaleStep))) << 24
	}
	if n := r.nodeHi - r.nodeLo; n > 0 {
		k |= targetKey(min(4, n)-1) << 30
	}
	return k
}

func (k targetKey) region() uint32 { return uint32(k & (keyActive - 1)) }
func (k targetKey) active() bool   { return k&keyActive != 0 }

// quality is at least the firm's quality points (or 7 and more).
func (k targetKey) quality() float64 { return float64(k >> 21 & 7) }

// logScale is at least the firm's (math.Inf for 63 steps and more), 0
// when its scale is unknown.
func (k targetKey) logScale() float64 {
	switch s := k >> 24 & 63; s {
	case 63:
		return math.Inf(1)
	default:
		return float64(s) * keyScaleStep
	}
}

// links is the firm's number of node links, or 4 for 4 and more (and for
// none: a candidate has one).
func (k targetKey) links() int { return int(k>>30) + 1 }

// placement is where firms go in the node lists: each node's active
// members, its firms that are not active, and the firms linked to a group
// node and to none of its sub-nodes.
type placement struct {
	members  [][]member
	inactive [][]int32
	direct   [][]int32
}

func newPlacement(nodes int) placement {
	return placement{members: make([][]member, nodes), inactive: make([][]int32, nodes), direct: make([][]int32, nodes)}
}

// place adds firm fi to the node lists of p (an's firm arrays filled).
func (an *analytics) place(x *Index, fi int32, p *placement) {
	f := &x.firms[fi]
	active := an.firmActive[fi]
	var seen []int32
	for _, l := range f.links {
		for a := l.node; a >= 0; a = an.nodeParent[a] {
			if slices.Contains(seen, a) {
				continue
			}
			seen = append(seen, a)
			if active {
				p.members[a] = append(p.members[a], member{firm: fi, region: an.firmRegion[fi], conf: float32(l.confidence())})
			} else {
				p.inactive[a] = append(p.inactive[a], fi)
			}
		}
	}
	for _, l := range f.links {
		if len(an.nodeKids[l.node]) > 0 && an.linkedOnlyAt(fi, l.node) {
			p.direct[l.node] = append(p.direct[l.node], fi)
		}
	}
}

// groupOf numbers a group name, -1 for none.
func (an *analytics) groupOf(g string) int32 {
	if g == "" {
		return -1
	}
	n, ok := an.groupNum[g]
	if !ok {
		n = int32(len(an.groupNum))
		an.groupNum[g] = n
	}
	return n
}

// firmQuality gives a firm's quality points from its tags (上市 counted
// once, whether tagged or known from a stock code) and whether it is listed.
func firmQuality(tags []string, hasStock bool) (float64, bool) {
	q := 0.0
	for _, t := range tags {
		q += qualityPoints[t]
	}
	listed := hasStock || slices.Contains(tags, "上市")
	if listed && !slices.Contains(tags, "上市") {
		q += qualityPoints["上市"]
	}
	return q, listed
}

// aggregate sorts a node's members by region (then largest first) and
// sums them. A landed lead's member counts, but its scale and tags are
// its parent firm's, not its own: they are left out.
func (an *analytics) aggregate(x *Index, ni int32, ms []member) nodeAgg {
	slices.SortFunc(ms, x.memberOrder)
	return an.sums(x, ni, ms)
}

// memberOrder orders a node's members: by region, then largest first.
func (x *Index) memberOrder(a, b member) int {
	return cmp.Or(cmp.Compare(a.region, b.region), cmp.Compare(x.firms[b.firm].size(), x.firms[a.firm].size()), cmp.Compare(a.firm, b.firm))
}

// sums makes the aggregate of members already in memberOrder.
func (an *analytics) sums(x *Index, ni int32, ms []member) nodeAgg {
	n := 0
	for i := range ms {
		if i == 0 || ms[i].region != ms[i-1].region {
			n++
		}
	}
	agg := nodeAgg{members: ms, runs: make([]int32, 0, n+1), wcount: make([]float64, 0, n+1),
		capital: make([]float64, 0, n+1), revenue: make([]float64, 0, n+1), tagged: make([]int32, 0, n+1)}
	var w, capital, revenue float64
	var tagged int32
	mark := func(i int) {
		agg.runs = append(agg.runs, int32(i))
		agg.wcount, agg.capital = append(agg.wcount, w), append(agg.capital, capital)
		agg.revenue, agg.tagged = append(agg.revenue, revenue), append(agg.tagged, tagged)
	}
	for i, m := range ms {
		if i == 0 || m.region != ms[i-1].region {
			mark(i)
		}
		w += float64(m.conf)
		if an.landed.has(ni, m) {
			continue
		}
		f := &x.firms[m.firm]
		capital += f.capitalCNY()
		revenue += f.Revenue
		if an.firmTarget[m.firm].quality > 0 {
			tagged++
		}
	}
	mark(len(ms))
	agg.capital, agg.revenue, agg.tagged = keptSums(agg.capital), keptSums(agg.revenue), keptSums(agg.tagged)
	return agg
}

// keptSums returns prefix sums, or nil when every one is 0.
func keptSums[T float64 | int32](p []T) []T {
	if !slices.ContainsFunc(p, func(v T) bool { return v != 0 }) {
		return nil
	}
	return p
}

// addRegionTotal counts an active firm of region rc in its region and in
// the divisions above it.
func addRegionTotal(totals map[uint32]int32, rc graph.RegionCode) {
	if len(rc) > 6 {
		rc = rc[:6]
	}
	totals[regionNum(rc)]++
	if rc.Level() == graph.LevelCounty {
		totals[regionNum(rc.City())]++
	}
	if rc.Level() != graph.LevelProvince {
		totals[regionNum(rc.Province())]++
	}
}

// ancestorNums returns the numbers of the divisions above a region that a
// firm may be known at instead of it: the province of a city, the province
// and city of a county. A firm known only there is neither inside the
// region nor outside it (位置待核实).
func ancestorNums(c graph.RegionCode) []uint32 {
	switch c.Level() {
	case graph.LevelCity:
		return []uint32{regionNum(c.Province())}
	case graph.LevelCounty:
		return []uint32{regionNum(c.Province()), regionNum(c.City())}
	}
	return nil
}

// uncertainAt reports whether a firm's region (reg) says nothing of
// whether it lies in the asked region, whose ancestors are anc: it is
// unknown, or an ancestor of the region.
func uncertainAt(reg uint32, anc []uint32) bool { return reg == 0 || slices.Contains(anc, reg) }

// exact returns the members whose region is exactly num.
func (a *nodeAgg) exact(num uint32) []member {
	i, _ := slices.BinarySearchFunc(a.members, num, func(m member, t uint32) int { return cmp.Compare(m.region, t) })
	j, _ := slices.BinarySearchFunc(a.members, num+1, func(m member, t uint32) int { return cmp.Compare(m.region, t) })
	return a.members[i:j]
}

// unplaced returns a node's active firms whose region is only known at a
// division above the asked one (the province of a city …).
func (an *analytics) unplaced(ni int32, region graph.RegionCode) int {
	n := 0
	for _, a := range ancestorNums(region) {
		n += len(an.nodes[ni].exact(a))
	}
	return n
}

// directIn returns a group node's firms linked to it and to none of its
// sub-nodes (未细分) that lie in a region.
func (an *analytics) directIn(ni int32, region graph.RegionCode) []int32 {
	lo, hi := regionRange(region)
	d := an.nodeDirect[ni]
	i, _ := slices.BinarySearchFunc(d, lo, func(fi int32, t uint32) int { return cmp.Compare(an.firmRegion[fi], t) })
	j, _ := slices.BinarySearchFunc(d, hi+1, func(fi int32, t uint32) int { return cmp.Compare(an.firmRegion[fi], t) })
	out := make([]int32, 0, j-i)
	for _, fi := range d[i:j] {
		if an.firmActive[fi] {
			out = append(out, fi)
		}
	}
	return out
}

// capitalCNY returns registered capital in 万元 when it is in yuan (or the
// currency is unknown), 0 otherwise: sums across currencies would mislead.
func (f *firmRec) capitalCNY() float64 {
	if f.Currency == "" || f.Currency == "CNY" {
		return f.Capital
	}
	return 0
}

// size orders firms within a node: revenue when known, else capital.
func (f *firmRec) size() float64 {
	if f.Revenue > 0 {
		return 1e12 + f.Revenue
	}
	return f.capitalCNY()
}

// linkedOnlyAt reports whether a firm linked to node ni has no link to a
// node below it: the evidence placed it in the group, not in a sub-node.
func (an *analytics) linkedOnlyAt(fi, ni int32) bool { return an.linkedOnlyIn(an.nodesOfFirm(fi), ni) }

// linkedOnlyIn is linkedOnlyAt for a firm linked to nodes.
func (an *analytics) linkedOnlyIn(nodes []int32, ni int32) bool {
	for _, m := range nodes {
		for a := an.nodeParent[m]; a >= 0; a = an.nodeParent[a] {
			if a == ni {
				return false
			}
		}
	}
	return true
}

// nodesOfFirm returns the node indexes a firm is linked to.
func (an *analytics) nodesOfFirm(fi int32) []int32 {
	return an.firmNodes[an.firmNodeAt[fi]:an.firmNodeAt[fi+1]]
}

// inheritSupplies gives each node the supply edges of its own and of its
// ancestors (direct[i]: the nodes i supplies; parent[i]: -1 for a root):
// succ[i] are the nodes i supplies, pred[i] the nodes that supply i, each
// once. A node with sub-nodes stands for them: a leaf under 电池材料
// supplies what 电池材料 supplies, and 电芯 buys from the suppliers of
// 动力电池.
func inheritSupplies(direct [][]int32, parent []int32) (succ, pred [][]int32) {
	succ, pred = make([][]int32, len(direct)), make([][]int32, len(direct))
	for i := range direct {
		for a := int32(i); a >= 0; a = parent[a] {
			for _, t := range direct[a] {
				if !slices.Contains(succ[i], t) {
					succ[i] = append(succ[i], t)
				}
			}
		}
	}
	for i := range succ {
		for _, t := range succ[i] {
			if !slices.Contains(pred[t], int32(i)) {
				pred[t] = append(pred[t], int32(i))
			}
		}
	}
	// A node also buys what its ancestors buy; a parent's list is made
	// whole before its children read it.
	done := make([]bool, len(direct))
	var inherit func(i int32)
	inherit = func(i int32) {
		if done[i] {
			return
		}
		done[i] = true
		if p := parent[i]; p >= 0 {
			inherit(p)
			for _, s := range pred[p] {
				if s != i && !slices.Contains(pred[i], s) {
					pred[i] = append(pred[i], s)
				}
			}
		}
	}
	for i := range direct {
		inherit(int32(i))
	}
	return succ, pred
}
