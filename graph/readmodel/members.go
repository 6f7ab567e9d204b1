package readmodel

import (
	"fmt"

	"github.com/chainkg/chainkg/graph"
)

// This file lists the firms of a chain or a node in a region, for exports
// that draw every firm rather than a ranking's top few.

// LocalFirms returns the chain's active firms in a region (the region and
// its sub-regions), each once, ordered by id, with their node links.
func (x *Index) LocalFirms(region graph.RegionCode, chain graph.ChainID) ([]graph.Firm, error) {
	_, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	idx := x.localChainFirms(region, ci)
	out := make([]graph.Firm, len(idx))
	for i, fi := range idx {
		out[i] = x.firms[fi].firm(x)
	}
	return out, nil
}

// NodeFirms returns a node's k largest active firms in a region (its firms
// and those of its sub-nodes), largest first.
func (x *Index) NodeFirms(id graph.NodeID, region graph.RegionCode, k int) ([]FirmRef, error) {
	ni, ok := x.nodeAt[id]
	if !ok {
		return nil, fmt.Errorf("%w: node %s", graph.ErrNotFound, id)
	}
	if _, ok := x.Region(region); !ok {
		return nil, fmt.Errorf("%w: region %s", graph.ErrNotFound, region)
	}
	return x.topFirms(ni, region, k), nil
}

// EachFirm calls fn with every firm in id order until fn returns false.
func (x *Index) EachFirm(fn func(graph.Firm) bool) {
	for i := range x.firms {
		if !fn(x.firms[i].firm(x)) {
			return
		}
	}
}
