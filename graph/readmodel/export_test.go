package readmodel

import (
	"context"

	"github.com/chainkg/chainkg/graph"
)

// TargetsSortingAll answers Targets by scoring and sorting every
// candidate: the reference the ranking from the best candidates alone is
// compared with.
func (x *Index) TargetsSortingAll(ctx context.Context, region graph.RegionCode, chain graph.ChainID, q TargetQuery, cfg graph.Config) (*TargetList, error) {
	return x.targets(ctx, region, chain, q, cfg, false)
}
