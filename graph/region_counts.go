package graph

// RegionFirmCount returns the active firms of a region and its sub-regions
// (firms whose status is active or unknown and whose region is known).
func (x *Index) RegionFirmCount(c RegionCode) int { return int(x.an.regionFirms(c)) }

// Placeholder reports whether a region is a statistical placeholder
// (市辖区, 县, 省直辖县级行政区划 …) rather than a place a user would pick.
func (r Region) Placeholder() bool { return placeholderRegion(r.Name) }
