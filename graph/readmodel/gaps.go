package readmodel

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// GapFormula documents gap severity; answers carry it.
const GapFormula = "severity = gs_level·level + gs_dependence·dependence + gs_peers·peers + gs_weight·weight (0–100); " +
	"level = 100 for 空白, 60 for 薄弱; " +
	"dependence = 100·min(1, ln(1 + D + 5·A)/ln(1+dependence_full)) where D = local firms in the nodes downstream of it " +
	"(those it supplies, transitively) and A = local anchors among them; " +
	"peers = 100·(peer regions where the node is 潜力 or 优势)/(peer regions); " +
	"weight = 100·node weight/the chain's largest node weight. Only leaf nodes are gaps, and never a 无数据 leaf " +
	"(no firm anywhere in the data): a gap means others have it and the region does not."

// GapComponents are the parts of a gap's severity, each 0–100.
type GapComponents struct {
	Level      float64
	Dependence float64
	Peers      float64
	Weight     float64
}

// Gap is a missing (空白) or weak (薄弱) node of a region × chain.
type Gap struct {
	Node              graph.ChainNode
	Level             Level
	Count             int
	Score             NodeScore
	Severity          float64
	Components        GapComponents
	DownstreamNodes   int      // local nodes downstream with firms
	DownstreamFirms   int      // D
	DownstreamAnchors []string // names of local anchors downstream
	PeersStrong       []graph.RegionCode
	PeersTotal        int
	// Unplaced are the node's firms known only at a division above the
	// region: the gap may be filled by one of them (位置待核实).
	Unplaced int
	Reason   string
}

// GapList answers the gaps of a region × chain.
type GapList struct {
	Region graph.Region
	Chain  graph.Chain
	Peers  []graph.Region
	Gaps   []Gap // most severe first
	// Coverage says what data the gaps rest on.
	Coverage Coverage
	Config   graph.Config
	// Formula documents the severity.
	Formula string
}

// DefaultPeers returns a region's comparable regions: the other divisions
// of the same level under the same parent (烟台市 → the other cities of
// 山东省; 莱山区 → the other districts of 烟台市), placeholders excluded.
func (x *Index) DefaultPeers(region graph.RegionCode) []graph.RegionCode {
	r, ok := x.Region(region)
	if !ok {
		return nil
	}
	var sibs []graph.RegionCode
	if r.Parent == "" {
		for _, o := range x.regions {
			if o.Level == graph.LevelProvince && o.Code != region {
				sibs = append(sibs, o.Code)
			}
		}
		return sibs
	}
	for _, c := range x.children[r.Parent] {
		if o, _ := x.Region(c); c != region && o.Level == r.Level && !o.Placeholder() {
			sibs = append(sibs, c)
		}
	}
	return sibs
}

// Gaps lists the blank and weak leaf nodes of a region × chain by severity.
// peers nil means DefaultPeers.
func (x *Index) Gaps(ctx context.Context, region graph.RegionCode, chain graph.ChainID, peers []graph.RegionCode, cfg graph.Config) (*GapList, error) {
	g, err := x.gaps(ctx, region, chain, peers, cfg)
	if err != nil {
		return nil, err
	}
	g.Coverage = x.coverage(region, x.chainAt[chain])
	return g, nil
}

// gaps is Gaps without its coverage, for Targets, which computes its own.
func (x *Index) gaps(ctx context.Context, region graph.RegionCode, chain graph.ChainID, peers []graph.RegionCode, cfg graph.Config) (*GapList, error) {
	r, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	if peers == nil {
		peers = x.DefaultPeers(region)
	}
	out := &GapList{Region: r, Chain: x.chains[ci], Config: cfg, Formula: GapFormula}
	for _, p := range peers {
		pr, ok := x.Region(p)
		if !ok {
			return nil, fmt.Errorf("%w: peer region %s", graph.ErrNotFound, p)
		}
		out.Peers = append(out.Peers, pr)
	}
	an := x.an
	anchorNodes := x.anchorNames(region, ci, &cfg)
	maxW := 0.0
	for _, ni := range an.leaves[ci] {
		maxW = math.Max(maxW, nodeWeight(x.nodes[ni]))
	}
	for _, ni := range an.leaves[ci] {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e := x.evalNode(ni, region, &cfg)
		if e.level != LevelBlank && e.level != LevelWeak {
			continue
		}
		g := Gap{Node: x.nodes[ni], Level: e.level, Count: e.st.count, Score: e.score, PeersTotal: len(peers),
			Unplaced: an.unplaced(ni, region)}
		g.Components.Level = 60
		if e.level == LevelBlank {
			g.Components.Level = 100
		}
		firms, anchors := x.dependence(&g, ni, region, anchorNodes)
		g.DownstreamFirms, g.DownstreamAnchors = firms, anchors
		if cfg.DependenceFull > 0 {
			g.Components.Dependence = 100 * math.Min(1, math.Log1p(float64(firms+5*len(anchors)))/math.Log1p(cfg.DependenceFull))
		}
		for _, p := range peers {
			pe := x.evalNode(ni, p, &cfg)
			if pe.level == LevelPotential || pe.level == LevelStrongest {
				g.PeersStrong = append(g.PeersStrong, p)
			}
		}
		if len(peers) > 0 {
			g.Components.Peers = 100 * float64(len(g.PeersStrong)) / float64(len(peers))
		}
		if maxW > 0 {
			g.Components.Weight = 100 * nodeWeight(x.nodes[ni]) / maxW
		}
		g.Severity = cfg.GSLevel*g.Components.Level + cfg.GSDependence*g.Components.Dependence +
			cfg.GSPeers*g.Components.Peers + cfg.GSWeight*g.Components.Weight
		g.Reason = x.gapReason(r, g)
		out.Gaps = append(out.Gaps, g)
	}
	slices.SortFunc(out.Gaps, func(a, b Gap) int {
		return cmp.Or(compareFloat(b.Severity, a.Severity), cmp.Compare(a.Node.ID, b.Node.ID))
	})
	return out, nil
}

// anchorNames gives the names of the local anchors (firms that pass the
// gate) of each node of chain ci in the region.
func (x *Index) anchorNames(region graph.RegionCode, ci int32, cfg *graph.Config) map[int32][]string {
	anchorNodes := map[int32][]string{}
	for _, a := range x.scoreAnchors(region, ci, cfg) {
		if !a.Gate.Passed {
			continue
		}
		for _, n := range a.Nodes {
			ni := x.nodeAt[n]
			anchorNodes[ni] = append(anchorNodes[ni], a.Firm.Name)
		}
	}
	return anchorNodes
}

// dependence counts what depends on a gap at node ni: the local firms and
// anchors of the leaves downstream of it, and (into g) the downstream leaves
// with a local firm.
func (x *Index) dependence(g *Gap, ni int32, region graph.RegionCode, anchorNodes map[int32][]string) (int, []string) {
	an := x.an
	firms := map[int32]bool{}
	var anchors []string
	for _, d := range downstream(an, ni) {
		if len(an.nodeKids[d]) > 0 {
			continue // leaves and their ancestors overlap; count leaves only
		}
		agg := &an.nodes[d]
		i, j := agg.rangeOf(region)
		if j > i {
			g.DownstreamNodes++
		}
		for _, m := range agg.members[i:j] {
			firms[m.firm] = true
		}
		for _, name := range anchorNodes[d] {
			if !slices.Contains(anchors, name) {
				anchors = append(anchors, name)
			}
		}
	}
	return len(firms), anchors
}

// downstream returns the nodes a node supplies, transitively.
func downstream(an *analytics, ni int32) []int32 {
	var out []int32
	seen := map[int32]bool{ni: true}
	queue := []int32{ni}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, s := range an.nodeSucc[n] {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
				queue = append(queue, s)
				// A supplied internal node stands for its subtree.
				for _, k := range subtree(an, s) {
					if !seen[k] {
						seen[k] = true
						out = append(out, k)
						queue = append(queue, k)
					}
				}
			}
		}
	}
	return out
}

func subtree(an *analytics, ni int32) []int32 {
	var out []int32
	for _, k := range an.nodeKids[ni] {
		out = append(out, k)
		out = append(out, subtree(an, k)...)
	}
	return out
}

// gapReason says in a sentence of Chinese why a node is a gap.
func (x *Index) gapReason(r graph.Region, g Gap) string {
	var b strings.Builder
	if g.Level == LevelBlank {
		fmt.Fprintf(&b, "%s在「%s」环节没有本地企业（空白）", r.Name, g.Node.Name)
	} else {
		fmt.Fprintf(&b, "%s在「%s」环节仅有%d家本地企业，综合评分%.0f（薄弱）", r.Name, g.Node.Name, g.Count, g.Score.Total)
	}
	switch {
	case g.DownstreamFirms > 0 && len(g.DownstreamAnchors) > 0:
		fmt.Fprintf(&b, "；本地下游%d个环节的%d家企业依赖该环节，其中包括链主%s", g.DownstreamNodes, g.DownstreamFirms, joinNames(g.DownstreamAnchors, 3))
	case g.DownstreamFirms > 0:
		fmt.Fprintf(&b, "；本地下游%d个环节的%d家企业依赖该环节", g.DownstreamNodes, g.DownstreamFirms)
	default:
		b.WriteString("；本地暂无下游企业依赖该环节")
	}
	if g.PeersTotal > 0 {
		if len(g.PeersStrong) > 0 {
			var names []string
			for _, p := range g.PeersStrong {
				if pr, ok := x.Region(p); ok {
					names = append(names, pr.Name)
				}
			}
			fmt.Fprintf(&b, "；对标的%d个地区中有%d个在该环节达到潜力或优势（如%s）", g.PeersTotal, len(g.PeersStrong), joinNames(names, 3))
		} else {
			fmt.Fprintf(&b, "；对标的%d个地区在该环节也都不强", g.PeersTotal)
		}
	}
	if g.Unplaced > 0 {
		fmt.Fprintf(&b, "；另有%d家该环节企业仅知所在上级行政区，可能位于本地，位置待核实", g.Unplaced)
	}
	b.WriteString("。")
	return b.String()
}

func joinNames(names []string, k int) string {
	if len(names) <= k {
		return strings.Join(names, "、")
	}
	return strings.Join(names[:k], "、") + "等"
}
