package readmodel

import "github.com/chainkg/chainkg/graph"

// PlansOfRegion returns the plans for a region, ordered by id: those whose
// region is c, and with within also those of the regions inside c (a
// city's districts).
func (x *Index) PlansOfRegion(c graph.RegionCode, within bool) []PlanRecord {
	var out []PlanRecord
	for _, p := range x.plans {
		if p.Region == c || within && p.Region != "" && c.Contains(p.Region) {
			out = append(out, p)
		}
	}
	return out
}
