package readmodel

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// This file answers what-if (模拟落地): the chain map as it would be if
// some firms were local, computed on a copy of the aggregates they touch.
// Nothing is written and the read model is not changed.

// MaxWhatIfFirms bounds the firms of one what-if.
const MaxWhatIfFirms = 50

// WhatIfQuery names the firms to place in the region, and the park they
// would settle in ("" for the region itself).
type WhatIfQuery struct {
	Firms []graph.FirmID
	Park  graph.ParkID
}

// WhatIfFirm says how a firm of a what-if was counted.
type WhatIfFirm struct {
	Firm    FirmRef
	Nodes   []graph.NodeID // the chain's nodes it counts in
	Counted bool
	Reason  string // why it was not counted, in Chinese
}

// NodeChange is a node whose level or local count a what-if changes.
type NodeChange struct {
	Node          graph.ChainNode
	Leaf          bool
	Before, After Level
	CountBefore   int
	CountAfter    int
}

// WhatIf answers a what-if: the map before and after, what changed, and
// the gaps before and after.
type WhatIf struct {
	Place      graph.RegionCode // where the firms were placed
	Park       *graph.Park
	Firms      []WhatIfFirm
	Before     *ChainMap
	After      *ChainMap
	Changes    []NodeChange // in tree order
	GapsBefore []Gap
	GapsAfter  []Gap
}

// WhatIf places the firms of q in the region (in q.Park when given) as
// local firms of their links in the chain, and answers the map and gaps
// before and after. A placed firm counts as a landed lead does: one local
// firm of each of its links in the chain, its scale and quality tags left
// out (a new local unit is not its parent). A firm already local, not
// active, or with no link in the chain is reported and not counted.
func (x *Index) WhatIf(ctx context.Context, region graph.RegionCode, chain graph.ChainID, q WhatIfQuery, cfg graph.Config) (*WhatIf, error) {
	_, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	if len(q.Firms) == 0 {
		return nil, fmt.Errorf("%w: firms: name at least one firm", graph.ErrInvalid)
	}
	if len(q.Firms) > MaxWhatIfFirms {
		return nil, fmt.Errorf("%w: firms: at most %d, got %d", graph.ErrInvalid, MaxWhatIfFirms, len(q.Firms))
	}
	out := &WhatIf{Place: region}
	if q.Park != "" {
		if out.Park, out.Place, err = x.whatIfPark(region, q.Park); err != nil {
			return nil, err
		}
	}
	var added map[int32][]member
	if out.Firms, added, err = x.placeFirms(q.Firms, ci, region, out.Place); err != nil {
		return nil, err
	}
	if out.Before, err = x.ChainMap(ctx, region, chain, cfg); err != nil {
		return nil, err
	}
	y := x
	if len(added) > 0 {
		counted := 0
		for _, f := range out.Firms {
			if f.Counted {
				counted++
			}
		}
		y = x.withPlaced(added, counted, out.Place)
	}
	if out.After, err = y.ChainMap(ctx, region, chain, cfg); err != nil {
		return nil, err
	}
	for i, b := range out.Before.Nodes {
		a := out.After.Nodes[i]
		if a.Level != b.Level || a.Count != b.Count {
			out.Changes = append(out.Changes, NodeChange{Node: b.Node, Leaf: b.Leaf, Before: b.Level, After: a.Level,
				CountBefore: b.Count, CountAfter: a.Count})
		}
	}
	gb, err := x.Gaps(ctx, region, chain, nil, cfg)
	if err != nil {
		return nil, err
	}
	ga, err := y.Gaps(ctx, region, chain, nil, cfg)
	if err != nil {
		return nil, err
	}
	out.GapsBefore, out.GapsAfter = gb.Gaps, ga.Gaps
	return out, nil
}

// whatIfPark checks that the park lies in or around the region and gives
// it with the place the firms settle in: the park's region when it lies
// inside the region, else the region itself.
func (x *Index) whatIfPark(region graph.RegionCode, id graph.ParkID) (*graph.Park, graph.RegionCode, error) {
	p, ok := x.Park(id)
	if !ok {
		return nil, "", fmt.Errorf("%w: park %s", graph.ErrNotFound, id)
	}
	if p.Region != "" && !region.Contains(p.Region) && !p.Region.Contains(region) {
		return nil, "", fmt.Errorf("%w: park %s (%s) lies in %s, outside region %s", graph.ErrInvalid, p.ID, p.Name, p.Region, region)
	}
	if p.Region != "" && region.Contains(p.Region) {
		return &p, p.Region, nil
	}
	return &p, region, nil
}

// placeFirms says how each firm (each once) would count in chain ci of the
// region, placed in place, and gives the members it would add to each of
// its nodes and their ancestors.
func (x *Index) placeFirms(ids []graph.FirmID, ci int32, region, place graph.RegionCode) ([]WhatIfFirm, map[int32][]member, error) {
	an := x.an
	placeNum := regionNum(place)
	lo, hi := regionRange(region)
	added := map[int32][]member{}
	var out []WhatIfFirm
	var seenFirms []int32
	for _, id := range ids {
		fi, ok := x.firmAt[id]
		if !ok {
			return nil, nil, fmt.Errorf("%w: firm %s", graph.ErrNotFound, id)
		}
		if slices.Contains(seenFirms, fi) {
			continue
		}
		seenFirms = append(seenFirms, fi)
		wf := WhatIfFirm{Firm: x.firmRef(fi)}
		var links []firmLink
		for _, l := range x.firms[fi].links {
			if an.nodeChain[l.node] == ci {
				links = append(links, l)
				wf.Nodes = append(wf.Nodes, x.nodes[l.node].ID)
			}
		}
		switch {
		case !an.firmActive[fi]:
			wf.Reason = "企业已注销、吊销或迁出"
		case an.firmRegion[fi] >= lo && an.firmRegion[fi] <= hi:
			wf.Reason = "企业已在本地，已计入"
		case len(links) == 0:
			wf.Reason = "企业未归入本链任何环节"
		default:
			wf.Counted = true
			var nodes []int32
			for _, l := range links {
				for a := l.node; a >= 0; a = an.nodeParent[a] {
					if !slices.Contains(nodes, a) {
						nodes = append(nodes, a)
						added[a] = append(added[a], member{firm: fi, region: placeNum, conf: float32(l.confidence())})
					}
				}
			}
		}
		out = append(out, wf)
	}
	return out, added, nil
}

// withPlaced gives a copy of the read model in which the added members
// (counted firms in all) are local firms of place. The placed firms count
// as landed leads do: in the count, not with their parent's scale or tags.
func (x *Index) withPlaced(added map[int32][]member, counted int, place graph.RegionCode) *Index {
	an := x.an
	return x.withAnalytics(func(v *analytics) {
		v.landed = landings{at: maps.Clone(an.landed.at), firms: maps.Clone(an.landed.firms)}
		if v.landed.at == nil {
			v.landed = landings{at: map[landingKey]string{}, firms: map[int32]bool{}}
		}
		for ni, ms := range added {
			for _, m := range ms {
				v.landed.at[landingKey{ni, m.firm, m.region}], v.landed.firms[m.firm] = "", true
			}
			// Insert in order: no sort of the node's members.
			all := slices.Clone(an.nodes[ni].members)
			for _, m := range ms {
				i, _ := slices.BinarySearchFunc(all, m, x.memberOrder)
				all = slices.Insert(all, i, m)
			}
			v.nodes[ni] = v.sums(x, ni, all)
		}
		v.regionTotal = maps.Clone(an.regionTotal)
		for range counted {
			v.total++
			addRegionTotal(v.regionTotal, place)
		}
	})
}
