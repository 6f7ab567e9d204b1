package readmodel

import (
	"context"
	"slices"
	"time"

	"github.com/chainkg/chainkg/graph"
)

// This file answers the chain map as of a date: how a region's chain stood
// at the end of a day, so a team sees how it filled since its plan.

// AsOfNote says what a map as of a date rests on; answers carry it.
const AsOfNote = "as_of 日期之后成立的企业、之后落地的招商线索不计入。" +
	"数据中没有注销或吊销日期：现已注销、吊销或迁出的企业在任何日期都不计入（它们当时可能仍在经营）；" +
	"成立日期未知的企业按当时已成立计入，个数见 undated_firms。成立日期只到年或月、与 as_of 同年或同月的企业同样按已成立计入。"

// AsOf describes a map asked as of a date.
type AsOf struct {
	Date string // YYYY-MM-DD, the end of that day
	// LeftOut are the region's firms of the chain left out because they were
	// established (or landed) after the date.
	LeftOut int
	// Undated are the region's firms of the chain counted although their
	// establishment date is unknown or not precise enough to tell.
	Undated int
	// Deregistration says the data holds no deregistration dates.
	Note string
}

// foundedAfter compares an establishment date (YYYY, YYYY-MM or
// YYYY-MM-DD) with a day: after is true when it surely falls after it, and
// known is false when the date is missing or too coarse to tell.
func foundedAfter(founded, day string) (after, known bool) {
	if founded == "" {
		return false, false
	}
	d := day
	if len(founded) < len(d) {
		d = d[:len(founded)]
	}
	switch {
	case founded > d:
		return true, true
	case founded < d:
		return false, true
	}
	// The same year or month: before the day if the period ends by it.
	end := founded
	switch len(founded) {
	case 4:
		end += "-12-31"
	case 7:
		if t, err := time.Parse("2006-01", founded); err == nil {
			end = t.AddDate(0, 1, -1).Format(time.DateOnly)
		}
	}
	return false, len(end) == len(day) && end <= day
}

// ChainMapAsOf answers the chain map as it stood at the end of day: firms
// established after it and leads landed after it are left out, in the
// region and nationwide (the location quotient's reference too). The data
// has no deregistration dates, so firms not active now are left out on any
// date; AsOfNote says so.
func (x *Index) ChainMapAsOf(ctx context.Context, region graph.RegionCode, chain graph.ChainID, day string, cfg graph.Config) (*ChainMap, error) {
	day, err := graph.ParseDate(day)
	if err != nil {
		return nil, err
	}
	_, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	y, info := x.asOf(ci, region, day)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := y.ChainMap(ctx, region, chain, cfg)
	if err != nil {
		return nil, err
	}
	m.AsOf = info
	return m, nil
}

// asOf returns a copy of the index whose aggregates for the chain's nodes
// (and the nodes they trade with) and whose region totals hold only what
// existed at the end of day. The index itself is not changed.
func (x *Index) asOf(ci int32, region graph.RegionCode, day string) (*Index, *AsOf) {
	an := x.an
	info := &AsOf{Date: day, Note: AsOfNote}
	kept := func(ni int32, m member) bool {
		if d, ok := an.landed.date(ni, m); ok {
			return d <= day
		}
		after, _ := foundedAfter(x.firms[m.firm].Founded, day)
		return !after
	}
	nodes := slices.Clone(x.chainNodes[ci])
	for _, ni := range x.chainNodes[ci] {
		for _, a := range adjacent(an, ni) {
			if !slices.Contains(nodes, a) {
				nodes = append(nodes, a)
			}
		}
	}
	lo, hi := regionRange(region)
	leftOut, undated := map[int32]bool{}, map[int32]bool{}
	y := x.withAnalytics(func(v *analytics) {
		v.nodeDirect = slices.Clone(an.nodeDirect)
		for _, ni := range nodes {
			var ms []member
			for _, m := range an.nodes[ni].members {
				local := an.nodeChain[ni] == ci && m.region >= lo && m.region <= hi
				if !kept(ni, m) {
					if local {
						leftOut[m.firm] = true
					}
					continue
				}
				if _, landed := an.landed.date(ni, m); local && !landed {
					if _, known := foundedAfter(x.firms[m.firm].Founded, day); !known {
						undated[m.firm] = true
					}
				}
				ms = append(ms, m)
			}
			v.nodes[ni] = v.sums(x, ni, ms) // a filtered list keeps its order
			v.nodeDirect[ni] = slices.DeleteFunc(slices.Clone(an.nodeDirect[ni]), func(fi int32) bool {
				after, _ := foundedAfter(x.firms[fi].Founded, day)
				return after
			})
		}
		// The copy answers the map of this region only: the region's
		// total and the national one are all it reads.
		var here int32
		v.total = 0
		for fi := range x.firms {
			if !an.firmActive[fi] || an.firmRegion[fi] == 0 {
				continue
			}
			if after, _ := foundedAfter(x.firms[fi].Founded, day); after {
				continue
			}
			v.total++
			if r := an.firmRegion[fi]; r >= lo && r <= hi {
				here++
			}
		}
		for p, d := range an.landed.placed {
			if d > day {
				continue
			}
			v.total++
			if p[1] >= lo && p[1] <= hi {
				here++
			}
		}
		v.regionTotal = map[uint32]int32{regionNum(region): here}
	})
	info.LeftOut, info.Undated = len(leftOut), len(undated)
	return y, info
}

// withAnalytics returns a copy of the index whose analytics are a copy of
// its own, changed by edit. edit may replace entries of the copy's nodes
// (a fresh slice) and replace, never modify, its other fields: the index
// and everything it shares with the copy stay as they were, so the copy
// costs the changed aggregates, not a rebuild.
func (x *Index) withAnalytics(edit func(an *analytics)) *Index {
	an := *x.an
	an.nodes = slices.Clone(x.an.nodes)
	edit(&an)
	y := *x
	y.an = &an
	y.covCache = &coverageCache{} // the copy's coverage may differ
	return &y
}
