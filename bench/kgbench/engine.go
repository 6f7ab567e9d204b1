package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// This file is the analytics as a team without chainkg's read model would
// write them: the formulas of graph (LevelFormula, GapFormula,
// AnchorFormula, TargetFormula) computed in Go around the answers of a
// store — PostgreSQL (pg.go) or cayley through Gizmo (gizmo.go). Each store
// fetches what a question needs in as few round trips as it can; the
// scoring here is shared, so the two alternatives differ only in how they
// reach the data.

// stats are a node's aggregates over its members in one region: the active
// firms linked to it or to a node below it.
type stats struct {
	count   int
	wcount  float64 // Σ confidence of each member's first link (by node id) under the node
	capital float64 // Σ registered capital in CNY (万元)
	revenue float64 // Σ revenue (万元)
	tagged  int     // members with quality points
	// unsplit are the members linked to the node and to no node below it:
	// for a group node, the firms the evidence did not place in a sub-node.
	unsplit int
}

// firmRow is a firm as the analytics need it.
type firmRow struct {
	id         graph.FirmID
	name       string
	region     uint32 // county-level code as a number, 0 when unknown
	size       float64
	capitalCNY float64 // registered capital in yuan; 0 when unknown or in another currency
	revenue    float64
	quality    float64
	listed     bool
	group      string
	links      []int32 // library node indexes of its direct links, ascending
}

// localView is what a store knows of one region for a set of nodes.
type localView struct {
	stats map[int32]stats
	top   map[int32][]graph.FirmID // largest members first, when asked
	firms []firmRow                // active local firms linked directly to one of the nodes; links within the set
}

// targetParams is a target question as the store ranks it.
type targetParams struct {
	region   graph.RegionCode
	severity map[int32]float64 // gap leaves of the question → severity
	// groupSev is, for a node above a gap leaf, the most severe gap leaf
	// under it (groupLeaf) and that severity times group_fit: what a firm
	// linked to the group and to nothing below it fills.
	groupSev   map[int32]float64
	groupLeaf  map[int32]int32
	parent     []int32  // the library's node parents
	anchorAdj  []int32  // nodes next to a node where a local anchor works
	presentAdj []int32  // nodes next to a node with a local firm
	groups     []string // groups of the chain's local firms
	// above are the divisions above the region (see aboveDivisions): a
	// firm known only there, or nowhere, may be local and is no target.
	above []uint32
	size  int
	cfg   graph.Config
}

// targetRow is a ranked target.
type targetRow struct {
	id         graph.FirmID
	score      float64
	comp       [6]float64 // gap, affinity, quality, scale, proximity, risk
	scaleKnown bool       // capital or revenue known
	gapNodes   []int32
	bestNode   int32
}

// targetPage is a target question's answer as a store gives it.
type targetPage struct {
	total        int // ranked targets
	unplaced     int // firms that cover a gap but may lie in the region (region unknown or above it)
	scaleUnknown int // ranked targets with neither capital nor revenue
	rows         []targetRow
}

// searchHit is a firm whose name forms contain the query.
type searchHit struct {
	id    graph.FirmID
	name  string
	score float64
}

// fetcher is how an alternative reaches its data.
type fetcher interface {
	library(ctx context.Context) (*library, error)
	// regionTotals counts the active firms with a region inside each region.
	regionTotals(ctx context.Context, regions []graph.RegionCode) ([]int, error)
	// nationTotal counts the active firms with a region.
	nationTotal(ctx context.Context) (int, error)
	// nationalCounts counts each node's active members nationwide, firms without a region included.
	nationalCounts(ctx context.Context, nodes []int32) ([]int, error)
	// placedAt counts each node's active members whose region is exactly
	// one of at (county-level numbers), not a region below it.
	placedAt(ctx context.Context, at []uint32, nodes []int32) ([]int, error)
	// local returns a region's stats of nodes, their topK members, and with
	// firms the local firms linked to them.
	local(ctx context.Context, region graph.RegionCode, nodes []int32, topK int, firms bool) (*localView, error)
	// peerStats returns each peer region's stats of nodes.
	peerStats(ctx context.Context, peers []graph.RegionCode, nodes []int32) ([]map[int32]stats, error)
	// targets ranks the candidates of a target question: the counts and the first page.
	targets(ctx context.Context, p *targetParams) (*targetPage, error)
	// search returns the firms with a name form containing the (normalised)
	// query, best first: exact, prefix, substring; then size; then id.
	search(ctx context.Context, q string, limit int) ([]searchHit, error)
}

// library is the reference part of the graph an alternative reads once at
// start: the chain library with its supply edges, the region tree, parks
// and plan designations. It changes only when reference data is loaded.
type library struct {
	regions  map[graph.RegionCode]graph.Region
	order    []graph.RegionCode // by code
	children map[graph.RegionCode][]graph.RegionCode

	nodes  []rawNode // by id: an index is a node's number everywhere
	nodeAt map[graph.NodeID]int32
	chain  map[graph.ChainID][]int32 // parents before children
	parent []int32
	kids   [][]int32
	pred   [][]int32
	succ   [][]int32
	leaves map[graph.ChainID][]int32

	parks        []rawPark
	designations []rawDesignation
}

// newLibrary derives the structures the formulas use, as graph's read model
// does: a node supplies what its ancestors supply, and buys what they buy.
func newLibrary(raw *rawLibrary) *library {
	l := &library{regions: map[graph.RegionCode]graph.Region{}, children: map[graph.RegionCode][]graph.RegionCode{},
		nodeAt: map[graph.NodeID]int32{}, chain: map[graph.ChainID][]int32{}, leaves: map[graph.ChainID][]int32{},
		parks: raw.Parks, designations: raw.Designations}
	for _, r := range raw.Regions {
		l.regions[r.Code] = r
		l.order = append(l.order, r.Code)
		if r.Parent != "" {
			l.children[r.Parent] = append(l.children[r.Parent], r.Code)
		}
	}
	slices.Sort(l.order)
	for _, k := range l.children {
		slices.Sort(k)
	}
	// Nodes whose parent is missing are not part of a chain, as in graph.
	known := map[graph.NodeID]bool{}
	for _, n := range raw.Nodes {
		known[n.ID] = true
	}
	reach := func(n rawNode) bool {
		for n.Parent != "" {
			if !known[n.Parent] {
				return false
			}
			p := slices.IndexFunc(raw.Nodes, func(x rawNode) bool { return x.ID == n.Parent })
			n = raw.Nodes[p]
		}
		return true
	}
	for _, n := range raw.Nodes {
		if reach(n) {
			l.nodeAt[n.ID] = int32(len(l.nodes))
			l.nodes = append(l.nodes, n)
		}
	}
	nn := len(l.nodes)
	l.parent, l.kids = make([]int32, nn), make([][]int32, nn)
	depth := make([]int, nn)
	for i, n := range l.nodes {
		l.parent[i] = -1
		if n.Parent != "" {
			p := l.nodeAt[n.Parent]
			l.parent[i] = p
			l.kids[p] = append(l.kids[p], int32(i))
		}
	}
	for i := range l.nodes {
		for a := l.parent[i]; a >= 0; a = l.parent[a] {
			depth[i]++
		}
	}
	for i, n := range l.nodes {
		l.chain[n.Chain] = append(l.chain[n.Chain], int32(i))
	}
	for c, ns := range l.chain {
		slices.SortStableFunc(ns, func(a, b int32) int { return cmp.Compare(depth[a], depth[b]) })
		for _, ni := range ns {
			if len(l.kids[ni]) == 0 {
				l.leaves[c] = append(l.leaves[c], ni)
			}
		}
	}
	direct := make([][]int32, nn)
	for i, n := range l.nodes {
		for _, t := range n.SuppliesTo {
			if ti, ok := l.nodeAt[t]; ok && ti != int32(i) {
				direct[i] = append(direct[i], ti)
			}
		}
	}
	l.succ, l.pred = inheritSupplies(direct, l.parent)
	return l
}

// adjacent returns the nodes that supply ni or that ni supplies.
func (l *library) adjacent(ni int32) []int32 {
	out := slices.Clone(l.pred[ni])
	for _, s := range l.succ[ni] {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// subtree returns a node and the nodes below it.
func (l *library) subtree(ni int32) []int32 {
	out := []int32{ni}
	for _, k := range l.kids[ni] {
		out = append(out, l.subtree(k)...)
	}
	return out
}

// downstream returns the nodes a node supplies, transitively, a supplied
// node standing for its subtree.
func (l *library) downstream(ni int32) []int32 {
	var out []int32
	seen := map[int32]bool{ni: true}
	queue := []int32{ni}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, s := range l.succ[n] {
			for _, k := range l.subtree(s) {
				if !seen[k] {
					seen[k] = true
					out = append(out, k)
					queue = append(queue, k)
				}
			}
		}
	}
	return out
}

// descendants returns a region and every region below it.
func (l *library) descendants(c graph.RegionCode) []graph.RegionCode {
	out := []graph.RegionCode{c}
	for _, k := range l.children[c] {
		out = append(out, l.descendants(k)...)
	}
	return out
}

// peers returns a region's default peers, as graph.Index.DefaultPeers does.
func (l *library) peers(c graph.RegionCode) []graph.RegionCode {
	r, ok := l.regions[c]
	if !ok {
		return nil
	}
	var out []graph.RegionCode
	if r.Parent == "" {
		for _, o := range l.order {
			if l.regions[o].Level == graph.LevelProvince && o != c {
				out = append(out, o)
			}
		}
		return out
	}
	for _, k := range l.children[r.Parent] {
		if o := l.regions[k]; k != c && o.Level == r.Level && !o.Placeholder() {
			out = append(out, k)
		}
	}
	return out
}

// pillar tells whether a plan of the region or of an ancestor designates
// the chain a pillar.
func (l *library) pillar(region graph.RegionCode, chain graph.ChainID) bool {
	scope := map[graph.RegionCode]bool{region: true}
	for r, ok := l.regions[region]; ok && r.Parent != ""; r, ok = l.regions[r.Parent] {
		scope[r.Parent] = true
	}
	for _, d := range l.designations {
		if d.Chain == chain && d.Role == graph.RolePillar && scope[d.Region] {
			return true
		}
	}
	return false
}

// regionNum is a region code as a number, cut to county level.
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

// aboveDivisions are the divisions a firm may be registered at instead of
// the region, saying nothing of whether it lies inside: the province of a
// city; the province and the city of a county.
func aboveDivisions(c graph.RegionCode) []uint32 {
	switch c.Level() {
	case graph.LevelCity:
		return []uint32{regionNum(c.Province())}
	case graph.LevelCounty:
		return []uint32{regionNum(c.Province()), regionNum(c.City())}
	}
	return nil
}

// regionRange is the range of county-level numbers a region covers.
func regionRange(c graph.RegionCode) (lo, hi uint32) {
	n := regionNum(c)
	switch c.Level() {
	case graph.LevelProvince:
		return n, n + 9999
	case graph.LevelCity:
		return n, n + 99
	}
	return n, n
}

// qualityPoints are the analytics' points per firm tag; a listing counts as 上市.
var qualityPoints = map[string]float64{"单项冠军": 3, "专精特新小巨人": 3, "独角兽": 3, "上市": 2, "专精特新": 2, "瞪羚": 2, "高新技术企业": 1}

func quality(tags []string, listed bool) float64 {
	q := 0.0
	for _, t := range tags {
		q += qualityPoints[t]
	}
	if listed && !slices.Contains(tags, "上市") {
		q += qualityPoints["上市"]
	}
	return q
}

func isListed(tags, stocks []string) bool { return len(stocks) > 0 || slices.Contains(tags, "上市") }

// size orders firms: revenue when known, else capital in CNY.
func size(revenue, capitalCNY float64) float64 {
	if revenue > 0 {
		return 1e12 + revenue
	}
	return capitalCNY
}

// engine answers the questions over a fetcher.
type engine struct {
	f   fetcher
	lib *library
	cfg graph.Config
}

func newEngine(ctx context.Context, f fetcher, cfg graph.Config) (*engine, error) {
	lib, err := f.library(ctx)
	if err != nil {
		return nil, err
	}
	return &engine{f: f, lib: lib, cfg: cfg}, nil
}

func (e *engine) chainNodes(chain graph.ChainID) ([]int32, error) {
	ns, ok := e.lib.chain[chain]
	if !ok {
		return nil, fmt.Errorf("chain %s: %w", chain, graph.ErrNotFound)
	}
	return ns, nil
}

// withAdjacent returns nodes and the nodes adjacent to them, each once.
func (e *engine) withAdjacent(nodes []int32) []int32 {
	out := slices.Clone(nodes)
	for _, n := range nodes {
		for _, a := range e.lib.adjacent(n) {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}

// eval is a node's level in a region.
type eval struct {
	st         stats
	national   int
	score      readmodel.NodeScore
	level      readmodel.Level
	presentAdj int
	adjAll     int
}

func (e *engine) evalNode(ni int32, st map[int32]stats, national, regionFirms, nation int) eval {
	cfg := &e.cfg
	ev := eval{st: st[ni], national: national}
	adj := e.lib.adjacent(ni)
	ev.adjAll = len(adj)
	for _, a := range adj {
		if st[a].count > 0 {
			ev.presentAdj++
		}
	}
	if ev.st.count == 0 {
		ev.level = readmodel.LevelBlank
		if national == 0 {
			// Nobody has it anywhere: no sign others have it, so no gap.
			ev.level = readmodel.LevelNoData
		}
		return ev
	}
	nr, nn := float64(regionFirms), float64(nation)
	if nr > 0 && national > 0 && nn > 0 {
		ev.score.LQ = (float64(ev.st.count) / nr) / (float64(national) / nn)
	}
	lqPart := 1.0
	if cfg.LQFull > 0 {
		lqPart = math.Min(1, ev.score.LQ/cfg.LQFull)
	}
	cntPart := 1.0
	if cfg.CountFull > 0 {
		cntPart = math.Min(1, math.Log1p(ev.st.wcount)/math.Log1p(cfg.CountFull))
	}
	ev.score.Scale = 100 * (0.5*lqPart + 0.5*cntPart)
	ev.score.Linkage = 50
	if ev.adjAll > 0 {
		ev.score.Linkage = 100 * float64(ev.presentAdj) / float64(ev.adjAll)
	}
	ev.score.Quality = 100
	if cfg.QualityFull > 0 {
		ev.score.Quality = 100 * math.Min(1, float64(ev.st.tagged)/float64(ev.st.count)/cfg.QualityFull)
	}
	ev.score.Total = cfg.WScale*ev.score.Scale + cfg.WLinkage*ev.score.Linkage + cfg.WQuality*ev.score.Quality
	switch {
	case ev.score.Total >= cfg.LevelStrong:
		ev.level = readmodel.LevelStrongest
	case ev.score.Total >= cfg.LevelPotential:
		ev.level = readmodel.LevelPotential
	default:
		ev.level = readmodel.LevelWeak
	}
	// A group whose local firms sit in none of its sub-nodes: the data
	// does not say which of its links the region has.
	if kids := e.lib.kids[ni]; len(kids) > 0 && !slices.ContainsFunc(kids, func(k int32) bool { return st[k].count > 0 }) {
		ev.level = readmodel.LevelUnsplit
	}
	return ev
}

func nodeWeight(n rawNode) float64 {
	if n.Weight > 0 {
		return n.Weight
	}
	return 1
}

// totals fetches the region's firm count and the nation's.
func (e *engine) totals(ctx context.Context, regions ...graph.RegionCode) ([]int, int, error) {
	rt, err := e.f.regionTotals(ctx, regions)
	if err != nil {
		return nil, 0, err
	}
	nt, err := e.f.nationTotal(ctx)
	return rt, nt, err
}

func (e *engine) nationals(ctx context.Context, nodes []int32) (map[int32]int, error) {
	n, err := e.f.nationalCounts(ctx, nodes)
	if err != nil {
		return nil, err
	}
	out := make(map[int32]int, len(nodes))
	for i, ni := range nodes {
		out[ni] = n[i]
	}
	return out, nil
}

// chainMap answers the chain map of a region × chain.
func (e *engine) chainMap(ctx context.Context, region graph.RegionCode, chain graph.ChainID) (*mapAnswer, error) {
	ns, err := e.chainNodes(chain)
	if err != nil {
		return nil, err
	}
	loc, err := e.f.local(ctx, region, e.withAdjacent(ns), e.cfg.TopFirms, false)
	if err != nil {
		return nil, err
	}
	nat, err := e.nationals(ctx, ns)
	if err != nil {
		return nil, err
	}
	rt, nation, err := e.totals(ctx, region)
	if err != nil {
		return nil, err
	}
	unplaced, err := e.unplaced(ctx, region, ns)
	if err != nil {
		return nil, err
	}
	out := &mapAnswer{RegionFirms: rt[0], Levels: map[string]int{}, Nodes: map[string]mapNode{}}
	var wAll, wPresent float64
	for _, ni := range ns {
		ev := e.evalNode(ni, loc.stats, nat[ni], rt[0], nation)
		leaf := len(e.lib.kids[ni]) == 0
		mn := mapNode{Count: ev.st.count, WCount: ev.st.wcount, National: ev.national, Capital: ev.st.capital,
			Revenue: ev.st.revenue, Tagged: ev.st.tagged, Level: string(ev.level), Score: ev.score,
			PresentAdj: ev.presentAdj, Adjacent: ev.adjAll, Unplaced: unplaced[ni]}
		if !leaf {
			mn.Unsplit = ev.st.unsplit
		}
		for _, id := range loc.top[ni] {
			mn.Top = append(mn.Top, string(id))
		}
		out.Nodes[string(e.lib.nodes[ni].ID)] = mn
		if leaf {
			out.Leaves++
			out.Levels[string(ev.level)]++
			if ev.level == readmodel.LevelNoData {
				out.NoData++ // out of completeness: nobody has it
				continue
			}
			w := nodeWeight(e.lib.nodes[ni])
			wAll += w
			if ev.st.count >= max(1, e.cfg.PresentMin) {
				wPresent += w
				out.Present++
			}
		}
	}
	if wAll > 0 {
		out.Completeness = wPresent / wAll
	}
	return out, nil
}

// unplaced counts, per node, the active firms known only at a division
// above the region.
func (e *engine) unplaced(ctx context.Context, region graph.RegionCode, nodes []int32) (map[int32]int, error) {
	out := map[int32]int{}
	above := aboveDivisions(region)
	if len(above) == 0 {
		return out, nil
	}
	n, err := e.f.placedAt(ctx, above, nodes)
	if err != nil {
		return nil, err
	}
	for i, ni := range nodes {
		out[ni] = n[i]
	}
	return out, nil
}

// anchorsFrom scores the local firms of a chain as 链主 candidates, best first.
func (e *engine) anchorsFrom(region graph.RegionCode, chain graph.ChainID, loc *localView) []anchor {
	cfg := &e.cfg
	inChain := func(ni int32) bool { return e.lib.nodes[ni].Chain == chain }
	var firms []firmRow
	for _, f := range loc.firms {
		if slices.ContainsFunc(f.links, inChain) {
			firms = append(firms, f)
		}
	}
	slices.SortFunc(firms, func(a, b firmRow) int { return strings.Compare(string(a.id), string(b.id)) })
	if len(firms) == 0 {
		return nil
	}
	// Percentiles among the firms whose value is known: a firm of unknown
	// size is neither small nor large.
	sizePct := knownPercentiles(firms, func(f firmRow) float64 { return f.size })
	capPct := knownPercentiles(firms, func(f firmRow) float64 { return f.capitalCNY })
	gate := cfg.GateRevenueEmerging
	if e.lib.pillar(region, chain) {
		gate = cfg.GateRevenuePillar
	}
	out := make([]anchor, 0, len(firms))
	for _, f := range firms {
		var nodes []int32
		for _, ni := range f.links {
			if inChain(ni) && !slices.Contains(nodes, ni) {
				nodes = append(nodes, ni)
			}
		}
		var adj []int32
		for _, ni := range nodes {
			for _, a := range e.lib.adjacent(ni) {
				if !slices.Contains(adj, a) && !slices.Contains(nodes, a) {
					adj = append(adj, a)
				}
			}
		}
		links := 0
		for _, a := range adj {
			links += loc.stats[a].count
		}
		a := anchor{firm: f, nodes: nodes}
		a.LinkFirms = links
		a.Scale, a.ScaleKnown = sizePct[f.id]
		if cfg.BreadthFull > 0 {
			a.Breadth = 100 * math.Min(1, float64(len(nodes))/cfg.BreadthFull)
		}
		if cfg.LinkageFull > 0 {
			a.Linkage = 100 * math.Min(1, math.Log1p(float64(links))/math.Log1p(cfg.LinkageFull))
		}
		a.Quality = 100 * math.Min(1, f.quality/5)
		others := cfg.WABreadth*a.Breadth + cfg.WALinkage*a.Linkage + cfg.WAQuality*a.Quality
		if a.ScaleKnown {
			a.Score = cfg.WAScale*a.Scale + others
		} else {
			a.Score = scaledUp(others, cfg.WAScale+cfg.WABreadth+cfg.WALinkage+cfg.WAQuality, cfg.WAScale)
		}
		cp, hasCap := capPct[f.id]
		switch {
		case f.revenue > 0:
			a.Passed, a.By, a.Value = f.revenue >= gate, "revenue", f.revenue
		case hasCap:
			a.Passed, a.By, a.Value = cp >= cfg.GatePercentile, "capital_percentile", cp
		default: // neither known: no evidence of size, no anchor
			a.Passed, a.By = false, "unknown"
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b anchor) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(string(a.firm.id), string(b.firm.id)))
	})
	return out
}

// percentiles gives each item the share (0–100) of items whose value is not
// greater than its own.
func percentiles(items []firmRow, val func(firmRow) float64) []float64 {
	n := len(items)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(val(items[a]), val(items[b])) })
	out := make([]float64, n)
	for i := 0; i < n; {
		j := i
		for j < n && val(items[order[j]]) == val(items[order[i]]) {
			j++
		}
		p := 100 * float64(j) / float64(n)
		for k := i; k < j; k++ {
			out[order[k]] = p
		}
		i = j
	}
	return out
}

// knownPercentiles gives the firms whose value is positive their percentile
// among themselves; the others have none.
func knownPercentiles(firms []firmRow, val func(firmRow) float64) map[graph.FirmID]float64 {
	var known []firmRow
	for _, f := range firms {
		if val(f) > 0 {
			known = append(known, f)
		}
	}
	p := percentiles(known, val)
	out := make(map[graph.FirmID]float64, len(known))
	for i, f := range known {
		out[f.id] = p[i]
	}
	return out
}

// scaledUp brings a weighted sum that leaves out a component of weight
// missing up to the whole weight total, so an unknown value neither helps
// nor hurts.
func scaledUp(sum, total, missing float64) float64 {
	if total <= missing {
		return sum
	}
	return sum * total / (total - missing)
}

// anchor is a scored 链主 candidate.
type anchor struct {
	firm  firmRow
	nodes []int32
	anchorAnswer
}

// anchorsLocal fetches the region's view of a chain: its nodes, their
// neighbours and what lies downstream, with the local firms.
func (e *engine) anchorsLocal(ctx context.Context, region graph.RegionCode, chain graph.ChainID, ns []int32) (*localView, error) {
	set := e.withAdjacent(ns)
	for _, ni := range e.lib.leaves[chain] {
		for _, d := range e.lib.downstream(ni) {
			if !slices.Contains(set, d) {
				set = append(set, d)
			}
		}
	}
	return e.f.local(ctx, region, set, 0, true)
}

// anchors answers the candidates that pass the gate, or with all every candidate.
func (e *engine) anchors(ctx context.Context, region graph.RegionCode, chain graph.ChainID, all bool) (*anchorsAnswer, error) {
	ns, err := e.chainNodes(chain)
	if err != nil {
		return nil, err
	}
	loc, err := e.anchorsLocal(ctx, region, chain, ns)
	if err != nil {
		return nil, err
	}
	scored := e.anchorsFrom(region, chain, loc)
	out := &anchorsAnswer{Candidates: len(scored)}
	for _, a := range scored {
		if all || a.Passed {
			out.Anchors = append(out.Anchors, e.anchorAnswer(a))
		}
	}
	return out, nil
}

func (e *engine) anchorAnswer(a anchor) anchorAnswer {
	ans := a.anchorAnswer
	ans.ID = string(a.firm.id)
	for _, ni := range a.nodes {
		ans.Nodes = append(ans.Nodes, string(e.lib.nodes[ni].ID))
	}
	slices.Sort(ans.Nodes)
	return ans
}

// gapState is what the target question reuses of the gap question.
type gapState struct {
	gaps    []gapAnswer
	sev     map[int32]float64
	loc     *localView
	anchors []anchor
}

func (e *engine) gapsState(ctx context.Context, region graph.RegionCode, chain graph.ChainID) (*gapState, error) {
	ns, err := e.chainNodes(chain)
	if err != nil {
		return nil, err
	}
	cfg := &e.cfg
	loc, err := e.anchorsLocal(ctx, region, chain, ns)
	if err != nil {
		return nil, err
	}
	scored := e.anchorsFrom(region, chain, loc)
	anchorNodes := map[int32][]string{}
	for _, a := range scored {
		if a.Passed {
			for _, ni := range a.nodes {
				anchorNodes[ni] = append(anchorNodes[ni], a.firm.name)
			}
		}
	}
	leaves := e.lib.leaves[chain]
	nat, err := e.nationals(ctx, leaves)
	if err != nil {
		return nil, err
	}
	peers := e.lib.peers(region)
	rt, nation, err := e.totals(ctx, append([]graph.RegionCode{region}, peers...)...)
	if err != nil {
		return nil, err
	}
	// Members of leaves: the local firms linked to them directly.
	members := map[int32][]graph.FirmID{}
	for _, f := range loc.firms {
		for _, ni := range f.links {
			if len(e.lib.kids[ni]) == 0 {
				members[ni] = append(members[ni], f.id)
			}
		}
	}
	maxW := 0.0
	for _, ni := range leaves {
		maxW = math.Max(maxW, nodeWeight(e.lib.nodes[ni]))
	}
	type pending struct {
		ni int32
		ev eval
		g  gapAnswer
	}
	var gaps []pending
	for _, ni := range leaves {
		ev := e.evalNode(ni, loc.stats, nat[ni], rt[0], nation)
		if ev.level != readmodel.LevelBlank && ev.level != readmodel.LevelWeak {
			continue
		}
		g := gapAnswer{Node: string(e.lib.nodes[ni].ID), Level: string(ev.level), Count: ev.st.count, PeersTotal: len(peers)}
		g.Comp[0] = 60
		if ev.level == readmodel.LevelBlank {
			g.Comp[0] = 100
		}
		firms := map[graph.FirmID]bool{}
		var anchors []string
		for _, d := range e.lib.downstream(ni) {
			if len(e.lib.kids[d]) > 0 {
				continue
			}
			if len(members[d]) > 0 {
				g.DownNodes++
			}
			for _, id := range members[d] {
				firms[id] = true
			}
			for _, name := range anchorNodes[d] {
				if !slices.Contains(anchors, name) {
					anchors = append(anchors, name)
				}
			}
		}
		g.DownFirms = len(firms)
		g.Anchors = anchors
		if cfg.DependenceFull > 0 {
			g.Comp[1] = 100 * math.Min(1, math.Log1p(float64(len(firms)+5*len(anchors)))/math.Log1p(cfg.DependenceFull))
		}
		if maxW > 0 {
			g.Comp[3] = 100 * nodeWeight(e.lib.nodes[ni]) / maxW
		}
		gaps = append(gaps, pending{ni: ni, ev: ev, g: g})
	}
	if len(gaps) > 0 && len(peers) > 0 {
		var pn []int32
		for _, p := range gaps {
			pn = append(pn, p.ni)
		}
		ps, err := e.f.peerStats(ctx, peers, e.withAdjacent(pn))
		if err != nil {
			return nil, err
		}
		for i := range gaps {
			for k, p := range peers {
				pe := e.evalNode(gaps[i].ni, ps[k], nat[gaps[i].ni], rt[1+k], nation)
				if pe.level == readmodel.LevelPotential || pe.level == readmodel.LevelStrongest {
					gaps[i].g.PeersStrong = append(gaps[i].g.PeersStrong, string(p))
				}
			}
			gaps[i].g.Comp[2] = 100 * float64(len(gaps[i].g.PeersStrong)) / float64(len(peers))
		}
	}
	var gapLeaves []int32
	for _, p := range gaps {
		gapLeaves = append(gapLeaves, p.ni)
	}
	unplaced, err := e.unplaced(ctx, region, gapLeaves)
	if err != nil {
		return nil, err
	}
	st := &gapState{sev: map[int32]float64{}, loc: loc, anchors: scored}
	for _, p := range gaps {
		g := p.g
		g.Unplaced = unplaced[p.ni]
		g.Severity = cfg.GSLevel*g.Comp[0] + cfg.GSDependence*g.Comp[1] + cfg.GSPeers*g.Comp[2] + cfg.GSWeight*g.Comp[3]
		st.sev[p.ni] = g.Severity
		st.gaps = append(st.gaps, g)
	}
	slices.SortFunc(st.gaps, func(a, b gapAnswer) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), strings.Compare(a.Node, b.Node))
	})
	return st, nil
}

func (e *engine) gaps(ctx context.Context, region graph.RegionCode, chain graph.ChainID) (*gapsAnswer, error) {
	st, err := e.gapsState(ctx, region, chain)
	if err != nil {
		return nil, err
	}
	return &gapsAnswer{Gaps: st.gaps}, nil
}

// targetParams builds a target question from the region's gaps and
// anchors. leafOnly leaves out the firms linked to a group above a gap leaf
// only: whether they work in the leaf is not known.
func (e *engine) targetParams(ctx context.Context, region graph.RegionCode, chain graph.ChainID, size int, leafOnly bool) (*targetParams, error) {
	st, err := e.gapsState(ctx, region, chain)
	if err != nil {
		return nil, err
	}
	p := &targetParams{region: region, severity: st.sev, size: size, cfg: e.cfg, above: aboveDivisions(region),
		groupSev: map[int32]float64{}, groupLeaf: map[int32]int32{}, parent: e.lib.parent}
	for _, ni := range sortedKeys32(boolKeys(st.sev)) {
		if leafOnly {
			break // no group stands for a leaf
		}
		for a := e.lib.parent[ni]; a >= 0; a = e.lib.parent[a] {
			if sv := st.sev[ni] * e.cfg.GroupFit; sv > p.groupSev[a] {
				p.groupSev[a], p.groupLeaf[a] = sv, ni
			}
		}
	}
	anchorAdj, presentAdj := map[int32]bool{}, map[int32]bool{}
	for _, a := range st.anchors {
		if a.Passed {
			for _, ni := range a.nodes {
				for _, adj := range e.lib.adjacent(ni) {
					anchorAdj[adj] = true
				}
			}
		}
	}
	for _, ni := range e.lib.chain[chain] {
		if st.loc.stats[ni].count > 0 {
			for _, adj := range e.lib.adjacent(ni) {
				presentAdj[adj] = true
			}
		}
	}
	groups := map[string]bool{}
	for _, a := range st.anchors { // every local firm of the chain
		if a.firm.group != "" {
			groups[a.firm.group] = true
		}
	}
	p.anchorAdj, p.presentAdj, p.groups = sortedKeys32(anchorAdj), sortedKeys32(presentAdj), sortedStrings(groups)
	return p, nil
}

// targets answers the first page (size firms) of a region × chain's targets.
func (e *engine) targets(ctx context.Context, region graph.RegionCode, chain graph.ChainID, size int, leafOnly bool) (*targetsAnswer, error) {
	p, err := e.targetParams(ctx, region, chain, size, leafOnly)
	if err != nil {
		return nil, err
	}
	out := &targetsAnswer{}
	if len(p.severity) == 0 {
		return out, nil
	}
	page, err := e.f.targets(ctx, p)
	if err != nil {
		return nil, err
	}
	out.Total, out.Unplaced, out.ScaleUnknown = page.total, page.unplaced, page.scaleUnknown
	rows := page.rows
	var parks []rawPark
	for _, k := range e.lib.parks {
		if k.Region != "" && region.Contains(k.Region) && slices.Contains(k.Chains, chain) {
			parks = append(parks, k)
		}
	}
	for _, r := range rows {
		t := targetAnswer{ID: string(r.id), Score: r.score, Comp: r.comp, ScaleKnown: r.scaleKnown, Park: bestPark(parks, e.lib.nodes[r.bestNode].Name)}
		for _, ni := range r.gapNodes {
			t.GapNodes = append(t.GapNodes, string(e.lib.nodes[ni].ID))
		}
		slices.Sort(t.GapNodes)
		out.Page = append(out.Page, t)
	}
	return out, nil
}

// placeUnknown tells whether a firm's region leaves open whether it lies in
// the asked region: unknown, or a division above it. Such a firm is no
// target; it is counted apart.
func (p *targetParams) placeUnknown(region uint32) bool {
	return region == 0 || slices.Contains(p.above, region)
}

// scoreTarget scores a candidate as graph's Targets does; ok is false when
// the firm is no candidate (inside the region, not active, on no gap node).
// A firm whose place is unknown (placeUnknown) is scored like the others:
// the caller counts it apart.
func scoreTarget(p *targetParams, f *firmRow, active bool, lo, hi uint32, anchorAdj, presentAdj map[int32]bool, groups map[string]bool) (targetRow, bool) {
	cfg := &p.cfg
	if !active || f.region >= lo && f.region <= hi && f.region != 0 {
		return targetRow{}, false
	}
	best, more := 0.0, 0
	var bestNode int32 = -1
	var gapNodes []int32
	for _, ni := range f.links {
		if sv, ok := p.severity[ni]; ok {
			if sv > best || bestNode < 0 {
				best, bestNode = sv, ni
			}
			more++
			gapNodes = append(gapNodes, ni)
		}
		if sv := p.groupSev[ni]; sv > 0 && linkedOnlyAt(f.links, ni, p.parent) {
			if sv > best || bestNode < 0 {
				best, bestNode = sv, p.groupLeaf[ni]
			}
			more++
			gapNodes = append(gapNodes, p.groupLeaf[ni])
		}
	}
	if bestNode < 0 {
		return targetRow{}, false
	}
	var c [6]float64
	c[0] = math.Min(100, best+5*float64(more-1))
	for _, ni := range f.links {
		switch {
		case anchorAdj[ni]:
			c[1] = 100
		case presentAdj[ni] && c[1] < 60:
			c[1] = 60
		}
	}
	if f.group != "" && groups[f.group] {
		c[1] = 100
	}
	c[2] = 100 * math.Min(1, f.quality/5)
	scale := math.Max(f.capitalCNY, f.revenue)
	known := scale > 0
	if cfg.CapitalFull > 0 && known {
		c[3] = 100 * math.Min(1, math.Log1p(scale)/math.Log1p(cfg.CapitalFull))
	}
	if f.region/10000 == regionNum(p.region)/10000 {
		c[4] = 100
	}
	if f.capitalCNY > 0 && f.capitalCNY < cfg.TinyCapital {
		c[5] = 50 // an unknown capital is no risk: nothing is known
	}
	// The positive part, the scale left out and made up for when unknown.
	pos := cfg.WTGap*c[0] + cfg.WTAffinity*c[1] + cfg.WTQuality*c[2] + cfg.WTProximity*c[4]
	if known {
		pos += cfg.WTScale * c[3]
	} else {
		pos = scaledUp(pos, cfg.WTGap+cfg.WTAffinity+cfg.WTQuality+cfg.WTScale+cfg.WTProximity, cfg.WTScale)
	}
	score := pos - cfg.WTRisk*c[5]
	return targetRow{id: f.id, score: score, comp: c, scaleKnown: known, gapNodes: gapNodes, bestNode: bestNode}, true
}

// linkedOnlyAt tells whether links hold no node below ni: the evidence
// placed the firm in the group ni, not in a sub-node.
func linkedOnlyAt(links []int32, ni int32, parent []int32) bool {
	for _, m := range links {
		for a := parent[m]; a >= 0; a = parent[a] {
			if a == ni {
				return false
			}
		}
	}
	return true
}

// bestPark picks the park whose focus names the node, then the higher level,
// as graph does.
func bestPark(parks []rawPark, node string) string {
	best, bestScore := "", -1.0
	for _, p := range parks {
		s := 1.0
		for _, f := range p.Focus {
			if strings.Contains(f, node) || strings.Contains(node, f) && f != "" {
				s = 2
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
			bestScore, best = s, string(p.ID)
		}
	}
	return best
}

func (e *engine) search(ctx context.Context, q string) (*searchAnswer, error) {
	hits, err := e.f.search(ctx, normName(q), 20)
	if err != nil {
		return nil, err
	}
	// The page is chosen by score and size, then shown by score, shorter
	// names first (graph's Search merges firms with other kinds of hits so).
	slices.SortStableFunc(hits, func(a, b searchHit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(utf8.RuneCountInString(a.name), utf8.RuneCountInString(b.name)),
			strings.Compare(string(a.id), string(b.id)))
	})
	out := &searchAnswer{}
	for _, h := range hits {
		out.Hits = append(out.Hits, hitAnswer{ID: string(h.id), Score: h.score})
	}
	return out, nil
}

// nameScore rates a name form against a query for the substring levels of
// graph's search: 1 exact, 0.9 prefix, 0.75 substring, else 0.
func nameScore(q, form string) float64 {
	switch {
	case form == "":
		return 0
	case form == q:
		return 1
	case strings.HasPrefix(form, q):
		return 0.9
	case strings.Contains(form, q):
		return 0.75
	}
	return 0
}

func sortedKeys32(m map[int32]bool) []int32 {
	out := make([]int32, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sortedStrings(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// tracer wraps a fetcher and logs how long each of its calls took.
type tracer struct {
	fetcher
	name string
	w    io.Writer
}

func (t *tracer) log(what string, start time.Time) {
	fmt.Fprintf(t.w, "trace %s: %s %s\n", t.name, what, time.Since(start).Round(time.Microsecond))
}

func (t *tracer) regionTotals(ctx context.Context, regions []graph.RegionCode) ([]int, error) {
	defer t.log(fmt.Sprintf("regionTotals(%d regions)", len(regions)), time.Now())
	return t.fetcher.regionTotals(ctx, regions)
}

func (t *tracer) nationTotal(ctx context.Context) (int, error) {
	defer t.log("nationTotal", time.Now())
	return t.fetcher.nationTotal(ctx)
}

func (t *tracer) nationalCounts(ctx context.Context, nodes []int32) ([]int, error) {
	defer t.log(fmt.Sprintf("nationalCounts(%d nodes)", len(nodes)), time.Now())
	return t.fetcher.nationalCounts(ctx, nodes)
}

func (t *tracer) local(ctx context.Context, region graph.RegionCode, nodes []int32, topK int, firms bool) (*localView, error) {
	defer t.log(fmt.Sprintf("local(%s, %d nodes, top %d, firms %v)", region, len(nodes), topK, firms), time.Now())
	return t.fetcher.local(ctx, region, nodes, topK, firms)
}

func (t *tracer) peerStats(ctx context.Context, peers []graph.RegionCode, nodes []int32) ([]map[int32]stats, error) {
	defer t.log(fmt.Sprintf("peerStats(%d peers, %d nodes)", len(peers), len(nodes)), time.Now())
	return t.fetcher.peerStats(ctx, peers, nodes)
}

func (t *tracer) placedAt(ctx context.Context, at []uint32, nodes []int32) ([]int, error) {
	defer t.log(fmt.Sprintf("placedAt(%d divisions, %d nodes)", len(at), len(nodes)), time.Now())
	return t.fetcher.placedAt(ctx, at, nodes)
}

func (t *tracer) targets(ctx context.Context, p *targetParams) (*targetPage, error) {
	defer t.log(fmt.Sprintf("targets(%d gap nodes)", len(p.severity)), time.Now())
	return t.fetcher.targets(ctx, p)
}

func (t *tracer) search(ctx context.Context, q string, limit int) ([]searchHit, error) {
	defer t.log("search("+q+")", time.Now())
	return t.fetcher.search(ctx, q, limit)
}
