package readmodel

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/chainkg/chainkg/graph"
)

// TargetFormula documents the target score; answers carry it.
const TargetFormula = "score = wt_gap·gap + wt_affinity·affinity + wt_quality·quality + wt_scale·scale + wt_proximity·proximity − wt_risk·risk; " +
	"gap = severity of the most severe local gap node the firm covers (+5 per further gap node, at most 100); " +
	"a firm linked only to a group node (电池材料) counts for the gap leaves under it at group_fit times their severity; " +
	"affinity = 100 when one of its nodes supplies or is supplied by a node where a local anchor works, or it shares a group with a local firm, " +
	"60 when adjacent to a node with local firms, else 0 (以商招商); " +
	"quality = 100·min(1, tag points/5); scale = 100·min(1, ln(1+capital)/ln(1+capital_full)), or revenue on the same scale when larger; " +
	"a firm with neither capital nor revenue has scale unknown (规模未知): it is left out and the other positive weights are scaled up to the same total; " +
	"proximity = 100 in the region's province, else 0 (city clusters are not modelled); " +
	"risk = 100 when not active, 50 when capital < tiny_capital. Targets never come from inside the region, " +
	"nor from firms whose region is unknown or only a division above it (位置待核实: counted as unplaced)."

// TargetQuery filters, sorts and pages targets.
type TargetQuery struct {
	Tags       []string           // keep firms with any of these tags
	Province   graph.RegionCode   // keep firms of this province
	MinCapital float64            // 万元; 0 for no bound
	MaxCapital float64            // 万元; 0 for no bound
	Statuses   []graph.FirmStatus // statuses to include; empty means active only
	Nodes      []graph.NodeID     // restrict to these gap nodes
	Sort       string             // score (default), capital, revenue, name
	Page       int                // 1-based
	Size       int                // default 20, at most 500
	Peers      []graph.RegionCode // peers for gap severity; nil for the default
	// LeafOnly leaves out firms linked only to a group node above a gap
	// leaf (whether they work in the leaf is not known).
	LeafOnly bool
}

// TargetComponents are the parts of a target's score, each 0–100.
type TargetComponents struct {
	Gap       float64
	Affinity  float64
	Quality   float64
	Scale     float64
	Proximity float64
	Risk      float64
	// ScaleKnown is false when the firm has neither capital nor revenue:
	// Scale is 0 and left out of the score.
	ScaleKnown bool
}

// ParkRef names a park recommended for a target.
type ParkRef struct {
	ID    graph.ParkID
	Name  string
	Level string
	Why   string
}

// Target is a firm outside the region that would fill its gaps.
type Target struct {
	Firm       FirmRef
	Status     graph.FirmStatus
	Score      float64
	Components TargetComponents
	GapNodes   []graph.NodeID // the region's gap nodes it covers
	Group      graph.NodeID   // set when the firm is linked only to this group node, above its gap leaf
	// Method is how the firm's link to its best gap node was found (申万行业
	// 对照, 新闻点名 …), so the reason can say where the evidence comes from.
	Method string
	Park   *ParkRef
	Reason string
}

// TargetList answers the targets of a region × chain, one page.
type TargetList struct {
	Region  graph.Region
	Chain   graph.Chain
	Total   int // targets after filters
	Page    int
	Size    int
	Targets []Target
	// Unplaced are firms that would cover a gap but whose region is unknown
	// or only a division above the asked one: they may be local, so they are
	// not ranked (位置待核实).
	Unplaced int
	// ScaleUnknown are the targets (after filters) with neither capital nor revenue.
	ScaleUnknown int
	Coverage     Coverage
	Config       graph.Config
	Formula      string
}

// Targets ranks firms outside the region that cover its gap nodes.
func (x *Index) Targets(ctx context.Context, region graph.RegionCode, chain graph.ChainID, q TargetQuery, cfg graph.Config) (*TargetList, error) {
	return x.targets(ctx, region, chain, q, cfg, true)
}

// targets answers Targets; keepBest lets a page near the top be ranked
// from the best candidates alone (the tests compare it with sorting all).
func (x *Index) targets(ctx context.Context, region graph.RegionCode, chain graph.ChainID, q TargetQuery, cfg graph.Config, keepBest bool) (*TargetList, error) {
	r, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Size <= 0 {
		q.Size = 20
	}
	if q.Size > 500 {
		return nil, fmt.Errorf("%w: page size %d: at most 500", graph.ErrInvalid, q.Size)
	}
	switch q.Sort {
	case "", "score", "capital", "revenue", "name":
	default:
		return nil, fmt.Errorf("%w: sort %q: want score, capital, revenue or name", graph.ErrInvalid, q.Sort)
	}
	gaps, err := x.gaps(ctx, region, chain, q.Peers, cfg)
	if err != nil {
		return nil, err
	}
	out := &TargetList{Region: r, Chain: x.chains[ci], Page: q.Page, Size: q.Size, Config: cfg, Formula: TargetFormula,
		Coverage: x.coverage(region, ci)}
	t := x.newTargetRun(region, ci, gaps, q, cfg)
	start, end := (q.Page-1)*q.Size, q.Page*q.Size
	// Ranked by score near the top, only the best of the page and those
	// above it are kept; every candidate is still counted.
	keep := 0
	if keepBest && (q.Sort == "" || q.Sort == "score") && end <= maxKept && t.bounded() {
		keep = end
	}
	cands, err := t.candidates(ctx, out, keep)
	if err != nil {
		return nil, err
	}
	if start >= len(cands) {
		return out, nil
	}
	end = min(len(cands), end)
	switch {
	case keep > 0: // kept in order
	case end < len(cands):
		partialSort(cands, end, t.less)
	default:
		slices.SortFunc(cands, t.less)
	}
	parks := x.parksFor(region, x.chains[ci].ID)
	for _, cd := range cands[start:end] {
		out.Targets = append(out.Targets, t.target(cd, r, parks))
	}
	return out, nil
}

// targetRun is what scoring one region × chain's candidates needs, worked
// out once per request.
type targetRun struct {
	x      *Index
	an     *analytics
	region graph.RegionCode
	// province is the region's province as a number (37 for 山东), which
	// a candidate's numeric region over 10,000 is compared with.
	province uint32
	q        TargetQuery
	cfg      graph.Config
	// severity is each node's gap severity, -1 when it is not a gap.
	severity []float64
	gapNodes []int32
	// anchorAdj marks nodes next to a local anchor's, presentAdj nodes next
	// to one with any local firm; localGroups are the local firms' groups.
	anchorAdj, presentAdj []bool
	localGroups           map[int32]bool
	// landedHere are the firms a lead landed in the region (local now, not
	// targets); landedNear those landed in a division above it (they may
	// be in it: 位置待核实).
	landedHere, landedNear map[int32]bool
	// groupSev is, for a node with sub-nodes, the most severe gap leaf under
	// it (groupLeaf) and that severity times group_fit.
	groupSev  []float64
	groupLeaf []int32
	// maxAffinity is the most affinity any firm can have here: 100 when a
	// local anchor has neighbours or a local firm a group, else 60 when a
	// node with local firms has neighbours, else 0.
	maxAffinity float64
	// maxGap[n] is the most gap a firm with n node links can have here
	// (maxGap[4] for 4 and more).
	maxGap [5]float64
	// logFull is ln(1 + capital_full), the scale at which scale is full.
	logFull float64
}

// cand is a scored candidate, kept small (tens of thousands of them at 1M
// firms); the page's components are computed again.
type cand struct {
	fi       int32
	bestNode int32
	group    int32 // the group node the firm is linked to, when it fills a leaf under it; -1 otherwise
	score    float64
}

func (x *Index) newTargetRun(region graph.RegionCode, ci int32, gaps *GapList, q TargetQuery, cfg graph.Config) *targetRun {
	an := x.an
	t := &targetRun{x: x, an: an, region: region, province: regionNum(region) / 10000, q: q, cfg: cfg, severity: make([]float64, len(x.nodes)),
		anchorAdj: make([]bool, len(x.nodes)), presentAdj: make([]bool, len(x.nodes)), localGroups: map[int32]bool{},
		groupSev: make([]float64, len(x.nodes)), groupLeaf: make([]int32, len(x.nodes))}
	for i := range t.severity {
		t.severity[i] = -1
	}
	for _, g := range gaps.Gaps {
		if len(q.Nodes) > 0 && !slices.Contains(q.Nodes, g.Node.ID) {
			continue
		}
		ni := x.nodeAt[g.Node.ID]
		t.severity[ni] = g.Severity
		t.gapNodes = append(t.gapNodes, ni)
	}
	for _, a := range x.scoreAnchors(region, ci, &cfg) {
		if !a.Gate.Passed {
			continue
		}
		for _, n := range a.Nodes {
			for _, adj := range adjacent(an, x.nodeAt[n]) {
				t.anchorAdj[adj] = true
			}
		}
	}
	for _, ni := range x.chainNodes[ci] {
		if an.nodes[ni].stats(region).count > 0 {
			for _, adj := range adjacent(an, ni) {
				t.presentAdj[adj] = true
			}
		}
	}
	for _, fi := range x.localChainFirms(region, ci) {
		if g := an.firmTarget[fi].group; g >= 0 {
			t.localGroups[g] = true
		}
	}
	switch {
	case slices.Contains(t.anchorAdj, true) || len(t.localGroups) > 0:
		t.maxAffinity = 100
	case slices.Contains(t.presentAdj, true):
		t.maxAffinity = 60
	}
	t.noteLanded()
	for _, ni := range t.gapNodes {
		for a := an.nodeParent[ni]; a >= 0; a = an.nodeParent[a] {
			if sv := t.severity[ni] * cfg.GroupFit; sv > t.groupSev[a] {
				t.groupSev[a], t.groupLeaf[a] = sv, ni
			}
		}
	}
	t.boundGap()
	t.logFull = math.Log1p(cfg.CapitalFull)
	return t
}

// boundGap sets maxGap from what eval adds up: the most severe gap a link
// can reach, and how many gaps one link can count (its node and those
// above it, and a gap leaf under it when it is a group node).
func (t *targetRun) boundGap() {
	an := t.an
	most, perLink := 0.0, 0
	for ni := range t.severity {
		n := 0
		for a := int32(ni); a >= 0; a = an.nodeParent[a] {
			if sv := t.severity[a]; sv >= 0 {
				most = max(most, sv)
				n++
			}
		}
		if sv := t.groupSev[ni]; sv > 0 && !t.q.LeafOnly {
			most = max(most, sv)
			n++
		}
		perLink = max(perLink, n)
	}
	for links := range 4 {
		t.maxGap[links] = math.Min(100, most+5*float64(links*perLink-1))
	}
	t.maxGap[4] = 100
}

// noteLanded finds the firms whose leads landed in the region, or in a
// division above it.
func (t *targetRun) noteLanded() {
	x := t.x
	lo, hi := regionRange(t.region)
	t.landedHere, t.landedNear = map[int32]bool{}, map[int32]bool{}
	for _, l := range x.leads {
		if _, ok := l.LandedOn(); !ok {
			continue
		}
		fi, ok := x.firmAt[l.Firm]
		if !ok {
			continue
		}
		place := x.leadPlace(l)
		switch num := regionNum(place); {
		case num >= lo && num <= hi:
			t.landedHere[fi] = true
		case place.Contains(t.region):
			t.landedNear[fi] = true
		}
	}
}

// maxKept is the deepest page end (page × size) ranked by keeping only the
// best candidates; deeper pages sort them all.
const maxKept = 2000

// candidates finds every firm outside the region that covers a gap and
// passes the filters, counting them in out (and those that may be inside
// it). With keep > 0 it returns only the best keep of them by score, in
// order, scoring only those whose bound could reach them; otherwise all of
// them, scored, unordered.
func (t *targetRun) candidates(ctx context.Context, out *TargetList, keep int) ([]cand, error) {
	x, an := t.x, t.an
	lo, hi := regionRange(t.region)
	anc := ancestorNums(t.region)
	sc := scratchPool.Get().(*targetScratch)
	defer scratchPool.Put(sc)
	covers, grouped := t.mark(sc)
	plain := t.q.unfiltered()
	var all []cand
	bounded := sc.bounded[:0]
	for w, word := range covers {
		// The request's deadline is checked every 256k firms.
		if w%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var maybe uint64
		if grouped != nil {
			maybe = grouped[w]
		}
		for word |= maybe; word != 0; word &= word - 1 {
			b := bits.TrailingZeros64(word)
			fi := int32(w*64 + b)
			key := an.firmKey[fi]
			if reg := key.region(); reg >= lo && reg <= hi && reg != 0 || t.landedHere[fi] {
				continue // inside the region, or landed in it through a lead
			}
			if plain && !key.active() || !plain && !x.targetFilter(fi, t.q) {
				continue
			}
			// A firm in a gap node's list covers the gap, unless it is
			// there as a landed lead (placed by the lead, not its links).
			sure := maybe&(1<<b) == 0 && (len(an.landed.firms) == 0 || !an.landed.firms[fi])
			if !sure {
				if _, _, _, _, ok := t.eval(fi, &an.firmTarget[fi]); !ok {
					continue
				}
			}
			if uncertainAt(key.region(), anc) || t.landedNear[fi] {
				out.Unplaced++ // perhaps inside the region: not a target of it
				continue
			}
			if key.logScale() <= 0 {
				out.ScaleUnknown++
			}
			out.Total++
			if keep == 0 {
				all = append(all, t.cand(fi))
			} else {
				bounded = append(bounded, boundedFirm{fi, t.bound(key)})
			}
		}
	}
	sc.bounded = bounded
	if keep == 0 {
		return all, nil
	}
	return t.best(bounded, keep), nil
}

// mark marks the firms in the gap nodes' lists (covers) and those linked
// only to a group node above a gap leaf (grouped, nil for none), which
// cover it only when eval says so.
func (t *targetRun) mark(sc *targetScratch) (covers, grouped []uint64) {
	an, n := t.an, len(t.x.firms)
	wantInactive := slices.ContainsFunc(t.q.Statuses, func(s graph.FirmStatus) bool { return s != graph.StatusActive })
	covers = sc.bits(&sc.covers, n)
	for _, ni := range t.gapNodes {
		for _, m := range an.nodes[ni].members {
			covers[m.firm/64] |= 1 << (m.firm % 64)
		}
		if wantInactive {
			for _, fi := range an.nodeInactive[ni] {
				covers[fi/64] |= 1 << (fi % 64)
			}
		}
	}
	for ni := range t.groupSev {
		if t.groupSev[ni] <= 0 || t.q.LeafOnly {
			continue
		}
		for _, fi := range an.nodeDirect[ni] {
			if covers[fi/64]&(1<<(fi%64)) == 0 {
				if grouped == nil {
					grouped = sc.bits(&sc.grouped, n)
				}
				grouped[fi/64] |= 1 << (fi % 64)
			}
		}
	}
	return covers, grouped
}

// best scores the bounded candidates that could be among the best keep
// and returns those, in order. The firms of the highest bounds are scored
// first, so the page's last score is near its final value when the rest
// are bounded against it: most of them are then never scored.
func (t *targetRun) best(bounded []boundedFirm, keep int) []cand {
	var hist [histBuckets]int
	for _, bf := range bounded {
		hist[histBucket(bf.bound)]++
	}
	first, n := histBuckets, 0
	for n < 4*keep && first > 0 {
		first--
		n += hist[first]
	}
	best := kept[cand]{less: t.less, size: keep}
	for _, bf := range bounded {
		if histBucket(bf.bound) >= first {
			best.add(t.cand(bf.fi))
		}
	}
	for _, bf := range bounded {
		// A bound below the last kept score cannot be kept; one equal to
		// it may, by its id.
		if histBucket(bf.bound) < first && (!best.full() || bf.bound >= best.last().score) {
			best.add(t.cand(bf.fi))
		}
	}
	return best.list
}

// cand scores a candidate.
func (t *targetRun) cand(fi int32) cand {
	_, score, bestNode, group, _ := t.eval(fi, &t.an.firmTarget[fi])
	return cand{fi: fi, bestNode: bestNode, group: group, score: score}
}

// boundedFirm is a candidate with its bound, not yet scored.
type boundedFirm struct {
	fi    int32
	bound float64
}

// histBuckets count the bounds by whole points (scores are 0–100, a scale
// unknown scales them up to 100/(1 − wt_scale) at most; higher and lower
// bounds share the end buckets).
const histBuckets = 256

func histBucket(b float64) int { return int(min(histBuckets-1, max(0, b))) }

// targetScratch is what a targets request marks and bounds its
// candidates in, kept between requests (a county's ~100k candidates at a
// million firms would otherwise allocate ~2 MB each time).
type targetScratch struct {
	covers, grouped []uint64
	bounded         []boundedFirm
}

var scratchPool = sync.Pool{New: func() any { return new(targetScratch) }}

// bits returns *b cleared and sized for n firms.
func (sc *targetScratch) bits(b *[]uint64, n int) []uint64 {
	words := (n + 63) / 64
	if cap(*b) < words {
		*b = make([]uint64, words)
	} else {
		*b = (*b)[:words]
		clear(*b)
	}
	return *b
}

// kept holds the best size values seen so far, in less order.
type kept[T any] struct {
	less func(a, b T) int
	size int
	list []T
}

func (k *kept[T]) full() bool { return len(k.list) == k.size }

// last is the last kept value: one that does not order before it cannot
// be kept.
func (k *kept[T]) last() T { return k.list[len(k.list)-1] }

func (k *kept[T]) add(v T) {
	if k.full() && k.less(v, k.last()) >= 0 {
		return
	}
	i, _ := slices.BinarySearchFunc(k.list, v, k.less)
	if k.full() {
		k.list = k.list[:len(k.list)-1]
	}
	k.list = slices.Insert(k.list, i, v)
}

// bounded reports whether bound is an upper bound of every score: the
// weights are not negative (a query may set them).
func (t *targetRun) bounded() bool {
	cfg := &t.cfg
	for _, w := range []float64{cfg.WTGap, cfg.WTAffinity, cfg.WTQuality, cfg.WTScale, cfg.WTProximity, cfg.WTRisk} {
		if !(w >= 0) {
			return false
		}
	}
	return true
}

// bound is at least a firm's score as a target of the region, read from
// its key alone: its gap at the most a firm with its number of links could
// have, its affinity at the most any firm could have, no risk, its quality
// and scale rounded up, and its proximity. It spares the record and node
// list of a firm that cannot reach the page.
func (t *targetRun) bound(k targetKey) float64 {
	c := TargetComponents{Gap: t.maxGap[k.links()], Affinity: t.maxAffinity}
	t.firmParts(&c, k, targetRec{quality: float32(k.quality()), logScale: k.logScale()})
	c.Risk = 0
	return t.score(&c)
}

// eval scores a firm outside the region that passed the filters; ok is
// false when it covers no gap.
func (t *targetRun) eval(fi int32, rec *targetRec) (c TargetComponents, score float64, bestNode, group int32, ok bool) {
	an := t.an
	best, more := 0.0, 0
	bestNode, group = -1, -1
	nodes := an.firmNodes[rec.nodeLo:rec.nodeHi]
	for _, ni := range nodes {
		for a := ni; a >= 0; a = an.nodeParent[a] {
			if sv := t.severity[a]; sv >= 0 {
				if sv > best || bestNode < 0 {
					best, bestNode, group = sv, a, -1
				}
				more++
			}
		}
		// A firm linked to a group node may fill a gap leaf under it.
		if sv := t.groupSev[ni]; sv > 0 && !t.q.LeafOnly && an.linkedOnlyIn(nodes, ni) {
			if sv > best || bestNode < 0 {
				best, bestNode, group = sv, t.groupLeaf[ni], ni
			}
			more++
		}
	}
	if bestNode < 0 {
		return c, 0, -1, -1, false
	}
	c.Gap = math.Min(100, best+5*float64(more-1))
	for _, ni := range nodes {
		switch {
		case t.anchorAdj[ni]:
			c.Affinity = 100
		case t.presentAdj[ni] && c.Affinity < 60:
			c.Affinity = 60
		}
	}
	if g := rec.group; g >= 0 && t.localGroups[g] {
		c.Affinity = 100
	}
	t.firmParts(&c, an.firmKey[fi], *rec)
	return c, t.score(&c), bestNode, group, true
}

// firmParts sets the components that depend on the firm alone (and the
// region's province): quality, scale and capital's risk from rec,
// proximity and being active from its key.
func (t *targetRun) firmParts(c *TargetComponents, k targetKey, rec targetRec) {
	cfg := &t.cfg
	c.Quality = 100 * math.Min(1, float64(rec.quality)/5)
	c.ScaleKnown = rec.logScale > 0
	if cfg.CapitalFull > 0 && c.ScaleKnown {
		c.Scale = 100 * math.Min(1, rec.logScale/t.logFull)
	}
	if r := k.region(); r != 0 && r/10000 == t.province {
		c.Proximity = 100
	}
	switch capital := rec.capital; {
	case !k.active():
		c.Risk = 100
	case capital > 0 && capital < cfg.TinyCapital:
		c.Risk = 50
	}
}

// score weighs the components; a scale unknown is left out and the other
// positive weights scaled up to the same total.
func (t *targetRun) score(c *TargetComponents) float64 {
	cfg := &t.cfg
	pos := cfg.WTGap*c.Gap + cfg.WTAffinity*c.Affinity + cfg.WTQuality*c.Quality + cfg.WTProximity*c.Proximity
	if c.ScaleKnown {
		pos += cfg.WTScale * c.Scale
	} else {
		pos = renormalise(pos, cfg.WTGap+cfg.WTAffinity+cfg.WTQuality+cfg.WTScale+cfg.WTProximity, cfg.WTScale)
	}
	return pos - cfg.WTRisk*c.Risk
}

// less orders candidates by the query's sort. The id breaks ties only:
// cmp.Or would compare the ids of every pair, a cache miss per candidate on
// the firm records.
func (t *targetRun) less(a, b cand) int {
	fa, fb := &t.x.firms[a.fi], &t.x.firms[b.fi]
	c := 0
	switch t.q.Sort {
	case "capital":
		c = compareFloat(fb.Capital, fa.Capital)
	case "revenue":
		c = compareFloat(fb.Revenue, fa.Revenue)
	case "name":
		c = strings.Compare(fa.Name, fb.Name)
	default:
		c = compareFloat(b.score, a.score)
	}
	if c != 0 {
		return c
	}
	return cmp.Compare(fa.ID, fb.ID)
}

// target makes a candidate of the page into an answer, with its
// components, the gaps it covers, a park and the reason.
func (t *targetRun) target(cd cand, r graph.Region, parks []graph.Park) Target {
	x, an := t.x, t.an
	f := &x.firms[cd.fi]
	c, _, _, _, _ := t.eval(cd.fi, &t.an.firmTarget[cd.fi])
	tg := Target{Firm: x.firmRef(cd.fi), Status: f.Status, Score: cd.score, Components: c}
	if tg.Status == "" {
		tg.Status = graph.StatusActive
	}
	for _, ni := range an.nodesOfFirm(cd.fi) {
		for a := ni; a >= 0; a = an.nodeParent[a] {
			if t.severity[a] >= 0 && !slices.Contains(tg.GapNodes, x.nodes[a].ID) {
				tg.GapNodes = append(tg.GapNodes, x.nodes[a].ID)
			}
		}
	}
	for _, ni := range an.nodesOfFirm(cd.fi) {
		if t.groupSev[ni] > 0 && !t.q.LeafOnly && an.linkedOnlyAt(cd.fi, ni) && !slices.Contains(tg.GapNodes, x.nodes[t.groupLeaf[ni]].ID) {
			tg.GapNodes = append(tg.GapNodes, x.nodes[t.groupLeaf[ni]].ID)
		}
	}
	if cd.group >= 0 {
		tg.Group = x.nodes[cd.group].ID
		tg.Method = x.linkMethod(cd.fi, cd.group)
	} else {
		tg.Method = x.linkMethod(cd.fi, cd.bestNode)
	}
	tg.Park = bestPark(parks, x.nodes[cd.bestNode])
	tg.Reason = x.targetReason(r, tg, x.nodes[cd.bestNode])
	return tg
}

// partialSort puts the k smallest elements, in order, at the front.
func partialSort[T any](s []T, k int, less func(a, b T) int) {
	best := kept[T]{less: less, size: k, list: make([]T, 0, k)}
	for _, v := range s {
		best.add(v)
	}
	copy(s, best.list)
}

// unfiltered reports whether the query asks for active firms with no
// other filter: targetFilter is then the firm's being active.
func (q TargetQuery) unfiltered() bool {
	return len(q.Statuses) == 0 && q.Province == "" && q.MinCapital <= 0 && q.MaxCapital <= 0 && len(q.Tags) == 0
}

// targetFilter applies a query's filters to a firm.
func (x *Index) targetFilter(fi int32, q TargetQuery) bool {
	f := &x.firms[fi]
	if len(q.Statuses) == 0 {
		if !x.an.firmActive[fi] {
			return false
		}
	} else {
		st := f.Status
		if st == "" {
			st = graph.StatusActive
		}
		if !slices.Contains(q.Statuses, st) {
			return false
		}
	}
	if q.Province != "" && (f.Region == "" || f.Region.Province() != q.Province.Province()) {
		return false
	}
	if q.MinCapital > 0 && f.Capital < q.MinCapital {
		return false
	}
	if q.MaxCapital > 0 && f.Capital > q.MaxCapital {
		return false
	}
	if len(q.Tags) > 0 {
		ok := false
		for _, t := range q.Tags {
			if slices.Contains(f.Tags, t) || t == "上市" && x.an.firmListed[fi] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// parksFor returns the parks in a region (or its sub-regions) whose focus
// includes the chain.
func (x *Index) parksFor(region graph.RegionCode, chain graph.ChainID) []graph.Park {
	var out []graph.Park
	for _, p := range x.parks {
		if p.Region != "" && region.Contains(p.Region) && slices.Contains(p.Chains, chain) {
			out = append(out, p)
		}
	}
	return out
}

// bestPark picks the park whose focus fits a node best: its focus words
// naming the node first, then the park's level.
func bestPark(parks []graph.Park, n graph.ChainNode) *ParkRef {
	var best *ParkRef
	bestScore := -1.0
	for _, p := range parks {
		s, why := 1.0, "园区主导产业包含本产业链"
		for _, f := range p.Focus {
			if strings.Contains(f, n.Name) || strings.Contains(n.Name, f) && f != "" {
				s, why = 2, "园区主导产业包含「"+n.Name+"」"
				break
			}
		}
		switch p.Level {
		case "national":
			s += 0.5
		case "provincial":
			s += 0.25
		}
		if s > bestScore {
			bestScore = s
			best = &ParkRef{ID: p.ID, Name: p.Name, Level: p.Level, Why: why}
		}
	}
	return best
}

// targetReason says in Chinese why a firm is a target.
func (x *Index) targetReason(r graph.Region, t Target, n graph.ChainNode) string {
	var b strings.Builder
	b.WriteString(t.Firm.Name)
	var facts []string
	if rr, ok := x.Region(t.Firm.Region); ok {
		place := rr.Name
		if a := x.Ancestors(rr.Code); len(a) > 0 {
			place = a[0].Name + place
			if len(a) > 1 && rr.Level == graph.LevelCounty {
				place = a[0].Name + a[1].Name + rr.Name
			}
		}
		facts = append(facts, place)
	}
	for _, tag := range t.Firm.Tags {
		if qualityPoints[tag] > 0 {
			facts = append(facts, tag)
		}
	}
	if len(facts) > 0 {
		fmt.Fprintf(&b, "（%s）", strings.Join(facts, "，"))
	}
	by := ""
	if l := graph.MethodLabel(t.Method); l != "" {
		by = "据" + l + "，"
	}
	if t.Group != "" {
		g, _ := x.Node(t.Group)
		fmt.Fprintf(&b, "%s属「%s」环节，是否覆盖%s缺口「%s」待核实", by, g.Name, r.Name, n.Name)
	} else {
		fmt.Fprintf(&b, "%s从事「%s」，可补%s该环节短板", by, n.Name, r.Name)
	}
	if len(t.GapNodes) > 1 {
		fmt.Fprintf(&b, "，并覆盖另外%d个缺口环节", len(t.GapNodes)-1)
	}
	switch {
	case t.Components.Affinity >= 100:
		b.WriteString("；与本地链主企业存在上下游或同集团关系")
	case t.Components.Affinity >= 60:
		b.WriteString("；与本地已有企业的环节上下游相邻")
	}
	if t.Components.Risk >= 100 {
		b.WriteString("；注意：企业登记状态非存续")
	} else if t.Components.Risk >= 50 {
		b.WriteString("；注意：注册资本很小")
	}
	if !t.Components.ScaleKnown {
		b.WriteString("；规模未知（注册资本与营收均无数据），评分未计规模")
	}
	if t.Park != nil {
		fmt.Fprintf(&b, "；建议落户%s（%s）", t.Park.Name, t.Park.Why)
	}
	b.WriteString("。")
	return b.String()
}

// linkMethod returns how a firm's link to a node (or to a node below it)
// was found; "" when it has none there.
func (x *Index) linkMethod(fi, ni int32) string {
	an := x.an
	for _, l := range x.firms[fi].links {
		for a := l.node; a >= 0; a = an.nodeParent[a] {
			if a == ni {
				return x.words[l.method]
			}
		}
	}
	return ""
}
