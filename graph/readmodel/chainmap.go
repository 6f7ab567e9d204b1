package readmodel

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// Level is a chain node's state in a region.
type Level string

// Node levels, weakest first.
const (
	LevelBlank     Level = "空白" // no local firm
	LevelWeak      Level = "薄弱"
	LevelPotential Level = "潜力"
	LevelStrongest Level = "优势"
	// LevelNoData is a node no firm in the data has anywhere: nothing says
	// others have it, so it is not a gap and has no severity.
	LevelNoData Level = "无数据"
	// LevelUnsplit is a group node whose local firms are all linked to the
	// group itself: the evidence did not say which of its links they work in.
	LevelUnsplit Level = "未细分"
)

// LevelFormula documents how a node's level is computed; answers carry it.
const LevelFormula = "no active firm of the node anywhere in the data → 无数据 (not a gap); count = 0 → 空白; " +
	"a group node whose local firms are all linked to the group only → 未细分; else score = w_scale·scale + w_linkage·linkage + w_quality·quality, " +
	"scale = 100·(0.5·min(1, LQ/lq_full) + 0.5·min(1, ln(1+n_w)/ln(1+count_full))), " +
	"LQ = (n/N_region)/(n_nation/N_nation) over active firms, n_w = confidence-weighted local count; " +
	"linkage = 100·(adjacent nodes with a local firm)/(adjacent nodes), 50 when the node has no supply edge; " +
	"quality = 100·min(1, (tagged local firms/n)/quality_full); " +
	"score ≥ level_strong → 优势, ≥ level_potential → 潜力, else 薄弱. " +
	"A node's firms include those of its sub-nodes. Firms known only at a division above the region (the province of a city) " +
	"are not local: they are counted apart as unplaced (位置待核实). Completeness leaves 无数据 leaves out."

// NodeScore is the breakdown of a node's level.
type NodeScore struct {
	Scale   float64 // 0–100
	Linkage float64 // 0–100
	Quality float64 // 0–100
	Total   float64 // 0–100
	LQ      float64 // location quotient; 0 when the region has no firm
}

// FirmRef names a firm in an answer.
type FirmRef struct {
	ID      graph.FirmID
	Name    string
	Region  graph.RegionCode
	Capital float64 // 万元
	Revenue float64 // 万元
	Tags    []string
}

// MapNode is one node of a chain map.
type MapNode struct {
	Node        graph.ChainNode
	Depth       int
	Leaf        bool
	Count       int     // local active firms (the region and its sub-regions)
	WCount      float64 // confidence-weighted local count
	National    int     // active firms nationwide
	Capital     float64 // local registered capital, 万元 (yuan-denominated firms)
	Revenue     float64 // local revenue, 万元, where known
	Tagged      int     // local firms with a quality tag
	Level       Level
	Score       NodeScore
	TopFirms    []FirmRef
	Suppliers   []graph.NodeID // nodes that supply it
	Customers   []graph.NodeID // nodes it supplies
	PresentAdj  int            // adjacent nodes with a local firm
	AdjacentAll int
	// Unplaced are the node's active firms known only at a division above
	// the region (位置待核实): perhaps local, perhaps not.
	Unplaced int
	// Unsplit are, for a group node, the local firms linked to the group and
	// to none of its sub-nodes (未细分).
	Unsplit int
	// Landed are the local firms that are landed leads (method landed; in
	// a what-if, the placed firms too), counted in Count (LandedNote).
	Landed int
}

// PlanDesignation is a designation of a chain by a plan of a region (or of
// one of its ancestors, whose plan covers it).
type PlanDesignation struct {
	Plan       graph.PlanID
	PlanTitle  string
	Region     graph.RegionCode
	Name       string // the plan's words
	Role       graph.IndustryRole
	Confidence float64 // of the link from the words to the chain
	Evidence   string
}

// ChainMap is a region × chain answer.
type ChainMap struct {
	Region       graph.Region
	Chain        graph.Chain
	Nodes        []MapNode // in tree order
	Completeness float64   // weighted share of leaf nodes present, 0–1
	Present      int       // leaf nodes present
	Leaves       int
	RegionFirms  int // active firms in the region, all chains
	Designations []PlanDesignation
	Levels       map[Level]int // leaf nodes per level
	NoData       int           // leaves no firm in the data has anywhere (无数据), left out of Completeness
	Coverage     Coverage
	Config       graph.Config
	Formula      string
	// AsOf is set when the map was asked as of a date (asof.go).
	AsOf *AsOf
}

// resolveRC checks a region and a chain exist and returns their indexes.
func (x *Index) resolveRC(region graph.RegionCode, chain graph.ChainID) (graph.Region, int32, error) {
	r, ok := x.Region(region)
	if !ok {
		return graph.Region{}, 0, fmt.Errorf("%w: region %s", graph.ErrNotFound, region)
	}
	ci, ok := x.chainAt[chain]
	if !ok {
		return graph.Region{}, 0, fmt.Errorf("%w: chain %s", graph.ErrNotFound, chain)
	}
	return r, ci, nil
}

// nodeEval computes a node's level in a region.
type nodeEval struct {
	st        nodeStats
	national  nodeStats
	score     NodeScore
	level     Level
	presentAd int
	adjAll    int
}

func (x *Index) evalNode(ni int32, region graph.RegionCode, cfg *graph.Config) nodeEval {
	an := x.an
	agg := &an.nodes[ni]
	e := nodeEval{st: agg.stats(region), national: agg.national()}
	adj := adjacent(an, ni)
	e.adjAll = len(adj)
	for _, a := range adj {
		if an.nodes[a].stats(region).count > 0 {
			e.presentAd++
		}
	}
	if e.st.count == 0 {
		e.level = LevelBlank
		if e.national.count == 0 {
			e.level = LevelNoData
		}
		return e
	}
	nr, nn := float64(an.regionFirms(region)), float64(an.total)
	if nr > 0 && e.national.count > 0 && nn > 0 {
		e.score.LQ = (float64(e.st.count) / nr) / (float64(e.national.count) / nn)
	}
	lqPart := 1.0
	if cfg.LQFull > 0 {
		lqPart = math.Min(1, e.score.LQ/cfg.LQFull)
	}
	cntPart := 1.0
	if cfg.CountFull > 0 {
		cntPart = math.Min(1, math.Log1p(e.st.wcount)/math.Log1p(cfg.CountFull))
	}
	e.score.Scale = 100 * (0.5*lqPart + 0.5*cntPart)
	e.score.Linkage = 50
	if e.adjAll > 0 {
		e.score.Linkage = 100 * float64(e.presentAd) / float64(e.adjAll)
	}
	share := float64(e.st.tagged) / float64(e.st.count)
	e.score.Quality = 100
	if cfg.QualityFull > 0 {
		e.score.Quality = 100 * math.Min(1, share/cfg.QualityFull)
	}
	e.score.Total = cfg.WScale*e.score.Scale + cfg.WLinkage*e.score.Linkage + cfg.WQuality*e.score.Quality
	switch {
	case e.score.Total >= cfg.LevelStrong:
		e.level = LevelStrongest
	case e.score.Total >= cfg.LevelPotential:
		e.level = LevelPotential
	default:
		e.level = LevelWeak
	}
	if kids := an.nodeKids[ni]; len(kids) > 0 {
		split := false
		for _, k := range kids {
			if an.nodes[k].stats(region).count > 0 {
				split = true
				break
			}
		}
		if !split {
			e.level = LevelUnsplit
		}
	}
	return e
}

// adjacent returns the nodes that supply ni or that ni supplies.
func adjacent(an *analytics, ni int32) []int32 {
	out := slices.Clone(an.nodePred[ni])
	for _, s := range an.nodeSucc[ni] {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// ChainMap answers: every node of a chain with its local firms, scale,
// quality, top firms, national count, location quotient and level, the
// chain's completeness, and the region's plan designations of the chain.
func (x *Index) ChainMap(ctx context.Context, region graph.RegionCode, chain graph.ChainID, cfg graph.Config) (*ChainMap, error) {
	r, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	an := x.an
	m := &ChainMap{Region: r, Chain: x.chains[ci], Config: cfg, Formula: LevelFormula,
		RegionFirms: int(an.regionFirms(region)), Levels: map[Level]int{},
		Nodes: make([]MapNode, 0, len(x.chainNodes[ci]))}
	var wAll, wPresent float64
	for _, ni := range x.chainNodes[ci] {
		n := x.nodes[ni]
		e := x.evalNode(ni, region, &cfg)
		mn := MapNode{
			Node: n, Depth: int(an.nodeDepth[ni]), Leaf: len(an.nodeKids[ni]) == 0,
			Count: e.st.count, WCount: e.st.wcount, National: e.national.count,
			Capital: e.st.capital, Revenue: e.st.revenue, Tagged: e.st.tagged,
			Level: e.level, Score: e.score, PresentAdj: e.presentAd, AdjacentAll: e.adjAll,
			TopFirms: x.topFirms(ni, region, cfg.TopFirms),
			Unplaced: an.unplaced(ni, region),
			Landed:   an.landedIn(ni, region),
		}
		if !mn.Leaf {
			mn.Unsplit = len(an.directIn(ni, region))
		}
		for _, p := range an.nodePred[ni] {
			mn.Suppliers = append(mn.Suppliers, x.nodes[p].ID)
		}
		for _, s := range an.nodeSucc[ni] {
			mn.Customers = append(mn.Customers, x.nodes[s].ID)
		}
		if mn.Leaf {
			w := nodeWeight(n)
			m.Leaves++
			m.Levels[e.level]++
			if e.level == LevelNoData {
				m.NoData++
				m.Nodes = append(m.Nodes, mn)
				continue
			}
			wAll += w
			if e.st.count >= max(1, cfg.PresentMin) {
				wPresent += w
				m.Present++
			}
		}
		m.Nodes = append(m.Nodes, mn)
	}
	if wAll > 0 {
		m.Completeness = wPresent / wAll
	}
	m.Designations = x.designationsOf(region, chain)
	m.Coverage = x.coverage(region, ci)
	return m, nil
}

func nodeWeight(n graph.ChainNode) float64 {
	if n.Weight > 0 {
		return n.Weight
	}
	return 1
}

// topFirms returns a node's largest local firms, a group once.
func (x *Index) topFirms(ni int32, region graph.RegionCode, k int) []FirmRef {
	if k <= 0 {
		return nil
	}
	agg := &x.an.nodes[ni]
	i, j := agg.rangeOf(region)
	ms := agg.members[i:j]
	// The members of each region number are a run in memberOrder: largest
	// first, then by index, which is id order. The region's largest are
	// merged from the heads of its runs (one for a county, a few dozen for
	// a city) instead of sorting its thousands of members.
	var heads, ends []int
	for p := 0; p < len(ms); {
		r := ms[p].region
		q, _ := slices.BinarySearchFunc(ms[p:], r+1, func(m member, t uint32) int { return cmp.Compare(m.region, t) })
		heads, ends = append(heads, p), append(ends, p+q)
		p += q
	}
	larger := func(a, b int32) bool {
		fa, fb := &x.firms[a], &x.firms[b]
		if c := compareFloat(fb.size(), fa.size()); c != 0 {
			return c < 0
		}
		return fa.ID < fb.ID
	}
	// A group and its members (a listed firm and its parent named in an
	// honours list) show once: the group stands for the members it has here.
	var local map[graph.FirmID]bool
	isLocal := func(g graph.FirmID) bool {
		if local == nil {
			local = make(map[graph.FirmID]bool, len(ms))
			for _, m := range ms {
				local[x.firms[m.firm].ID] = true
			}
		}
		return local[g]
	}
	out := make([]FirmRef, 0, min(k, len(ms)))
	for len(out) < k {
		best := -1
		for h, p := range heads {
			if p < ends[h] && (best < 0 || larger(ms[p].firm, ms[heads[best]].firm)) {
				best = h
			}
		}
		if best < 0 {
			break
		}
		fi := ms[heads[best]].firm
		heads[best]++
		if slices.ContainsFunc(x.firms[fi].MemberOf, isLocal) {
			continue
		}
		out = append(out, x.firmRef(fi))
	}
	return out
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (x *Index) firmRef(fi int32) FirmRef {
	f := &x.firms[fi]
	return FirmRef{ID: f.ID, Name: f.Name, Region: f.Region, Capital: f.Capital, Revenue: f.Revenue, Tags: f.Tags}
}

// designationsOf lists the plans of a region and of its ancestors that
// designate the chain.
func (x *Index) designationsOf(region graph.RegionCode, chain graph.ChainID) []PlanDesignation {
	scope := []graph.RegionCode{region}
	for _, a := range x.Ancestors(region) {
		scope = append(scope, a.Code)
	}
	var out []PlanDesignation
	for _, p := range x.plans {
		if p.Region == "" || !slices.Contains(scope, p.Region) {
			continue
		}
		for _, d := range p.Designations {
			for _, l := range d.Chains {
				if l.Chain == chain {
					pd := PlanDesignation{Plan: p.ID, PlanTitle: p.Title, Region: p.Region,
						Name: d.Name, Role: d.Role, Confidence: l.Confidence}
					if d.Evidence != nil {
						pd.Evidence = d.Evidence.Text
					}
					out = append(out, pd)
				}
			}
		}
	}
	return out
}
