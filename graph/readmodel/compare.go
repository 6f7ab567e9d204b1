package readmodel

import (
	"context"
	"fmt"

	"github.com/chainkg/chainkg/graph"
)

// RegionNodeState is one node in one region of a comparison.
type RegionNodeState struct {
	Count    int
	Unplaced int // firms known only at a division above the region (位置待核实)
	Level    Level
	Score    float64
	LQ       float64
}

// CompareNode is one node across the compared regions.
type CompareNode struct {
	Node   graph.ChainNode
	Depth  int
	Leaf   bool
	States []RegionNodeState // one per region, in the order asked
}

// RegionSummary is a region's summary of one chain.
type RegionSummary struct {
	Region       graph.Region
	Completeness float64
	Present      int
	Leaves       int
	Firms        int // local firms in the chain
	Levels       map[Level]int
	NoData       int      // leaves no firm has anywhere (无数据)
	Coverage     Coverage // what the region's figures rest on
}

// RegionComparison compares regions on one chain, node by node.
type RegionComparison struct {
	Chain   graph.Chain
	Regions []RegionSummary
	Nodes   []CompareNode
	Config  graph.Config
}

// CompareRegions compares regions on one chain.
func (x *Index) CompareRegions(ctx context.Context, chain graph.ChainID, regions []graph.RegionCode, cfg graph.Config) (*RegionComparison, error) {
	if len(regions) == 0 {
		return nil, fmt.Errorf("%w: compare needs at least one region", graph.ErrInvalid)
	}
	ci, ok := x.chainAt[chain]
	if !ok {
		return nil, fmt.Errorf("%w: chain %s", graph.ErrNotFound, chain)
	}
	out := &RegionComparison{Chain: x.chains[ci], Config: cfg}
	for _, rc := range regions {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, err := x.ChainMap(ctx, rc, chain, cfg)
		if err != nil {
			return nil, err
		}
		out.Regions = append(out.Regions, RegionSummary{Region: m.Region, Completeness: m.Completeness,
			Present: m.Present, Leaves: m.Leaves, Firms: len(x.localChainFirms(rc, ci)), Levels: m.Levels,
			NoData: m.NoData, Coverage: m.Coverage})
		for i, n := range m.Nodes {
			if len(out.Nodes) <= i {
				out.Nodes = append(out.Nodes, CompareNode{Node: n.Node, Depth: n.Depth, Leaf: n.Leaf})
			}
			out.Nodes[i].States = append(out.Nodes[i].States, RegionNodeState{Count: n.Count, Unplaced: n.Unplaced, Level: n.Level, Score: n.Score.Total, LQ: n.Score.LQ})
		}
	}
	return out, nil
}

// ChainSummary is one chain of a region's profile.
type ChainSummary struct {
	Chain        graph.Chain
	Completeness float64
	Present      int
	Leaves       int
	Firms        int
	Levels       map[Level]int
	Designated   bool // a plan of the region (or an ancestor) designates it
}

// RegionProfile compares one region across chains.
type RegionProfile struct {
	Region graph.Region
	Chains []ChainSummary
	Config graph.Config
}

// CompareChains summarises one region across every chain of the library.
func (x *Index) CompareChains(ctx context.Context, region graph.RegionCode, cfg graph.Config) (*RegionProfile, error) {
	r, ok := x.Region(region)
	if !ok {
		return nil, fmt.Errorf("%w: region %s", graph.ErrNotFound, region)
	}
	out := &RegionProfile{Region: r, Config: cfg}
	for ci, c := range x.chains {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, err := x.ChainMap(ctx, region, c.ID, cfg)
		if err != nil {
			return nil, err
		}
		out.Chains = append(out.Chains, ChainSummary{Chain: c, Completeness: m.Completeness, Present: m.Present,
			Leaves: m.Leaves, Firms: len(x.localChainFirms(region, int32(ci))), Levels: m.Levels,
			Designated: len(m.Designations) > 0})
	}
	return out, nil
}
