package readmodel

import "github.com/chainkg/chainkg/graph"

// RegionFirmCount returns the active firms of a region and its sub-regions
// (firms whose status is active or unknown and whose region is known).
func (x *Index) RegionFirmCount(c graph.RegionCode) int { return int(x.an.regionFirms(c)) }
