package readmodel

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// AnchorFormula documents the anchor (链主) score; answers carry it.
const AnchorFormula = "score = wa_scale·scale + wa_breadth·breadth + wa_linkage·linkage + wa_quality·quality; " +
	"scale = percentile (0–100) of the firm's size among the chain's local firms whose size is known (revenue where known, else registered capital); " +
	"a firm with neither revenue nor capital has scale unknown: it is left out of the sum and the other weights are scaled up to the same total; " +
	"breadth = 100·min(1, leaf nodes of the chain it covers / breadth_full); " +
	"linkage = 100·min(1, ln(1+local firms in the nodes that supply or are supplied by its nodes)/ln(1+linkage_full)); " +
	"quality = 100·min(1, tag points/5) with 单项冠军/小巨人/独角兽 3, 上市/专精特新/瞪羚 2, 高新技术企业 1. " +
	"Gate: revenue ≥ gate_revenue_pillar (万元) when the region's plans designate the chain a pillar, else ≥ gate_revenue_emerging; " +
	"a firm whose revenue is unknown passes when its capital percentile ≥ gate_percentile; a firm with neither fails (规模未知)."

// Gate says whether a firm passes a region's 链主 threshold, and by what.
type Gate struct {
	Passed    bool
	By        string  // revenue, capital_percentile, or unknown (neither is known: the gate fails)
	Threshold float64 // 万元 for revenue, percentile for capital
	Value     float64
}

// Anchor is a candidate 链主 with its score components.
type Anchor struct {
	Firm   FirmRef
	Listed bool
	Nodes  []graph.NodeID // the chain's nodes it covers
	Score  float64
	Scale  float64 // 0 when ScaleKnown is false
	// ScaleKnown is false for a firm with neither revenue nor capital: its
	// score leaves scale out (规模未知).
	ScaleKnown bool
	Breadth    float64
	Linkage    float64
	Quality    float64
	LinkFirms  int // local firms in adjacent nodes
	Gate       Gate
}

// AnchorList answers the anchors of a region × chain.
type AnchorList struct {
	Region     graph.Region
	Chain      graph.Chain
	ChainRole  graph.IndustryRole // pillar when the region's plans say so
	Candidates int                // local firms in the chain
	Anchors    []Anchor           // ordered by score
	Coverage   Coverage           // what data the ranking rests on
	Config     graph.Config
	Formula    string
}

// Anchors ranks the chain's local firms as 链主 candidates. With all false
// only firms that pass the gate are returned.
func (x *Index) Anchors(ctx context.Context, region graph.RegionCode, chain graph.ChainID, cfg graph.Config, all bool) (*AnchorList, error) {
	r, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	scored := x.scoreAnchors(region, ci, &cfg)
	out := &AnchorList{Region: r, Chain: x.chains[ci], Candidates: len(scored), Config: cfg, Formula: AnchorFormula, ChainRole: graph.RoleEmerging}
	if x.isPillar(region, chain) {
		out.ChainRole = graph.RolePillar
	}
	for _, a := range scored {
		if all || a.Gate.Passed {
			out.Anchors = append(out.Anchors, a)
		}
	}
	out.Coverage = x.coverage(region, ci)
	return out, nil
}

// isPillar tells whether a plan of the region (or an ancestor) designates the chain a pillar.
func (x *Index) isPillar(region graph.RegionCode, chain graph.ChainID) bool {
	for _, d := range x.designationsOf(region, chain) {
		if d.Role == graph.RolePillar {
			return true
		}
	}
	return false
}

// localChainFirms returns the chain's local active firms (each once).
func (x *Index) localChainFirms(region graph.RegionCode, ci int32) []int32 {
	an := x.an
	seen := map[int32]bool{}
	var out []int32
	for _, ni := range x.chainNodes[ci] {
		if an.nodeParent[ni] >= 0 {
			continue // roots cover their subtrees
		}
		agg := &an.nodes[ni]
		i, j := agg.rangeOf(region)
		for _, m := range agg.members[i:j] {
			if !seen[m.firm] {
				seen[m.firm] = true
				out = append(out, m.firm)
			}
		}
	}
	slices.Sort(out)
	return out
}

// scoreAnchors scores every local firm of the chain, best first.
func (x *Index) scoreAnchors(region graph.RegionCode, ci int32, cfg *graph.Config) []Anchor {
	an := x.an
	firms := x.localChainFirms(region, ci)
	if len(firms) == 0 {
		return nil
	}
	// Size percentiles among the firms whose size is known, and capital
	// percentiles among those with a capital, for the gate: a firm of
	// unknown size is not the smallest, nor the largest when it is alone.
	sized := slices.DeleteFunc(slices.Clone(firms), func(fi int32) bool { return x.firms[fi].size() <= 0 })
	capped := slices.DeleteFunc(slices.Clone(firms), func(fi int32) bool { return x.firms[fi].capitalCNY() <= 0 })
	sizeOf := percentileMap(sized, func(fi int32) float64 { return x.firms[fi].size() })
	capOf := percentileMap(capped, func(fi int32) float64 { return x.firms[fi].capitalCNY() })
	gate := cfg.GateRevenueEmerging
	if x.isPillar(region, x.chains[ci].ID) {
		gate = cfg.GateRevenuePillar
	}
	localCount := map[int32]int{} // node → local count, memoised
	count := func(ni int32) int {
		c, ok := localCount[ni]
		if !ok {
			c = an.nodes[ni].stats(region).count
			localCount[ni] = c
		}
		return c
	}
	out := make([]Anchor, 0, len(firms))
	for _, fi := range firms {
		nodes, adj := an.chainNodesOf(fi, ci)
		links := 0
		for _, a := range adj {
			links += count(a)
		}
		a := Anchor{Firm: x.firmRef(fi), Listed: an.firmListed[fi], LinkFirms: links}
		for _, ni := range nodes {
			a.Nodes = append(a.Nodes, x.nodes[ni].ID)
		}
		a.Scale, a.ScaleKnown = sizeOf[fi]
		if cfg.BreadthFull > 0 {
			a.Breadth = 100 * math.Min(1, float64(len(nodes))/cfg.BreadthFull)
		}
		if cfg.LinkageFull > 0 {
			a.Linkage = 100 * math.Min(1, math.Log1p(float64(links))/math.Log1p(cfg.LinkageFull))
		}
		a.Quality = 100 * math.Min(1, float64(an.firmTarget[fi].quality)/5)
		rest := cfg.WABreadth*a.Breadth + cfg.WALinkage*a.Linkage + cfg.WAQuality*a.Quality
		if a.ScaleKnown {
			a.Score = cfg.WAScale*a.Scale + rest
		} else {
			a.Score = renormalise(rest, cfg.WAScale+cfg.WABreadth+cfg.WALinkage+cfg.WAQuality, cfg.WAScale)
		}
		capPct, hasCap := capOf[fi]
		a.Gate = anchorGate(x.firms[fi].Revenue, capPct, hasCap, gate, cfg.GatePercentile)
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Anchor) int {
		return cmp.Or(compareFloat(b.Score, a.Score), cmp.Compare(a.Firm.ID, b.Firm.ID))
	})
	return out
}

// chainNodesOf gives the nodes of chain ci a firm is in (each once) and
// the nodes adjacent to them by supply that it is not in.
func (an *analytics) chainNodesOf(fi, ci int32) (nodes, adj []int32) {
	for _, ni := range an.nodesOfFirm(fi) {
		if an.nodeChain[ni] == ci && !slices.Contains(nodes, ni) {
			nodes = append(nodes, ni)
		}
	}
	for _, ni := range nodes {
		for _, a := range adjacent(an, ni) {
			if !slices.Contains(adj, a) && !slices.Contains(nodes, a) {
				adj = append(adj, a)
			}
		}
	}
	return nodes, adj
}

// anchorGate is the size gate of an anchor: revenue against the chain's
// threshold when known, else the capital percentile, else unknown (which
// does not pass).
func anchorGate(revenue, capPct float64, hasCap bool, revenueGate, pctGate float64) Gate {
	switch {
	case revenue > 0:
		return Gate{Passed: revenue >= revenueGate, By: "revenue", Threshold: revenueGate, Value: revenue}
	case hasCap:
		return Gate{Passed: capPct >= pctGate, By: "capital_percentile", Threshold: pctGate, Value: capPct}
	default:
		return Gate{Passed: false, By: "unknown", Threshold: revenueGate}
	}
}

// percentileMap returns each item's percentile (see percentiles); an item
// not given has none.
func percentileMap(items []int32, val func(int32) float64) map[int32]float64 {
	p := percentiles(items, val)
	out := make(map[int32]float64, len(items))
	for i, it := range items {
		out[it] = p[i]
	}
	return out
}

// renormalise scales a weighted sum that leaves out a component of weight
// missing up to the total of all weights, so a firm is not ranked down for
// a value nobody knows.
func renormalise(sum, total, missing float64) float64 {
	if total-missing <= 0 {
		return sum
	}
	return sum * total / (total - missing)
}

// percentiles returns, for each item, the share (0–100) of items whose
// value is not greater than its own; equal values share a percentile.
func percentiles(items []int32, val func(int32) float64) []float64 {
	n := len(items)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	vals := make([]float64, n)
	for i, it := range items {
		vals[i] = val(it)
	}
	slices.SortFunc(order, func(a, b int) int { return compareFloat(vals[a], vals[b]) })
	out := make([]float64, n)
	for i := 0; i < n; {
		j := i
		for j < n && vals[order[j]] == vals[order[i]] {
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
