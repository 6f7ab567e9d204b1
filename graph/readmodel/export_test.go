package readmodel

import (
	"context"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// TargetsSortingAll answers Targets by scoring and sorting every
// candidate: the reference the ranking from the best candidates alone is
// compared with.
func (x *Index) TargetsSortingAll(ctx context.Context, region graph.RegionCode, chain graph.ChainID, q TargetQuery, cfg graph.Config) (*TargetList, error) {
	return x.targets(ctx, region, chain, q, cfg, false)
}

// TopFirms is topFirms for the node of that id.
func (x *Index) TopFirms(node graph.NodeID, region graph.RegionCode, k int) []FirmRef {
	return x.topFirms(x.nodeAt[node], region, k)
}

// TopFirmsSortingAll is topFirms by sorting every local member of the node,
// as it was before its runs were merged: the reference the tests compare
// with.
func (x *Index) TopFirmsSortingAll(node graph.NodeID, region graph.RegionCode, k int) []FirmRef {
	agg := &x.an.nodes[x.nodeAt[node]]
	i, j := agg.rangeOf(region)
	var idx []int32
	for _, m := range agg.members[i:j] {
		idx = append(idx, m.firm)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		fa, fb := &x.firms[a], &x.firms[b]
		if c := compareFloat(fb.size(), fa.size()); c != 0 {
			return c
		}
		return strings.Compare(string(fa.ID), string(fb.ID))
	})
	local := map[graph.FirmID]bool{}
	for _, fi := range idx {
		local[x.firms[fi].ID] = true
	}
	out := make([]FirmRef, 0, min(k, len(idx)))
	for _, fi := range idx {
		if len(out) == k {
			break
		}
		if slices.ContainsFunc(x.firms[fi].MemberOf, func(g graph.FirmID) bool { return local[g] }) {
			continue
		}
		out = append(out, x.firmRef(fi))
	}
	return out
}
