package graph

import "github.com/cayleygraph/quad"

// This file is the region's codec: its type, its encoding to quads, and its
// decoding with the rules that merge what several sources say of it.

// Region is an administrative division (行政区划).
type Region struct {
	Code      RegionCode
	Name      string      // 烟台市
	ShortName string      // 烟台: the form used in running text
	Aliases   []string    // other forms: former names, abbreviations
	Level     RegionLevel // province, city, county or town
	Parent    RegionCode  // empty for a province
}

// regionCodec is the region's table, in the order quads are written.
var regionCodec = newCodec(ClassRegion, func(r *Region) quad.IRI { return r.Code.IRI() },
	textRow(PredName, mergeFirst, false, func(r *Region) *string { return &r.Name }),
	textRow(PredShortName, mergeFirst, false, func(r *Region) *string { return &r.ShortName }),
	textsRow(PredAlias, false, func(r *Region) *[]string { return &r.Aliases }),
	textRow(PredLevel, mergeFirst, true, func(r *Region) *RegionLevel { return &r.Level }),
	refRow(PredParent, mergeFirst, func(r *Region) *RegionCode { return &r.Parent }, RegionOf),
)

func (r Region) encode(e *encoder) { regionCodec.encode(e, &r) }

// NewRegionMerge starts the merge of the quads of region c.
func NewRegionMerge(c RegionCode) *Merge[Region] { return newMerge(regionCodec, Region{Code: c}) }

// Placeholder reports whether a region is a statistical placeholder
// (市辖区, 县, 省直辖县级行政区划 …) rather than a place a user would pick.
func (r Region) Placeholder() bool { return placeholderRegion(r.Name) }

func placeholderRegion(name string) bool {
	switch name {
	case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
		return true
	}
	return false
}
