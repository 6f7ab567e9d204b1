package readmodel

import (
	"slices"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// regionNames maps every name form of a region (full name, short name,
// aliases) to the regions that carry it; 朝阳 is both a district of 北京 and a
// city of 辽宁, so a form can name several.
type regionNames struct {
	byName map[string][]graph.RegionCode
	maxLen int // longest name, in runes
}

func buildRegionNames(regions []graph.Region) regionNames {
	rn := regionNames{byName: map[string][]graph.RegionCode{}}
	add := func(name string, c graph.RegionCode) {
		if utf8.RuneCountInString(name) < 2 {
			return
		}
		if !slices.Contains(rn.byName[name], c) {
			rn.byName[name] = append(rn.byName[name], c)
		}
		rn.maxLen = max(rn.maxLen, utf8.RuneCountInString(name))
	}
	for _, r := range regions {
		add(r.Name, r.Code)
		add(r.ShortName, r.Code)
		for _, a := range r.Aliases {
			add(a, r.Code)
		}
	}
	return rn
}

// RegionsNamed returns the regions a name form denotes (全称, 简称 or alias),
// in code order. A form shared by several regions returns them all.
func (x *Index) RegionsNamed(name string) []graph.RegionCode {
	return slices.Clone(x.regionNames.byName[name])
}

// RegionMention is a region name found in a text.
type RegionMention struct {
	Name       string             // the text that matched
	Start, End int                // byte offsets in the text
	Codes      []graph.RegionCode // the regions the name may denote
}

// RegionMentions finds region names in a text (an address, a firm name, a
// sentence), scanning left to right and taking the longest name at each
// position. Which region an ambiguous mention means is the caller's call:
// the text around it (a province or city named before it) usually tells.
func (x *Index) RegionMentions(text string) []RegionMention {
	rn := x.regionNames
	var out []RegionMention
	for i := 0; i < len(text); {
		best := 0
		// Candidate ends: after 2 … maxLen runes from i.
		end, n := i, 0
		for end < len(text) && n < rn.maxLen {
			_, sz := utf8.DecodeRuneInString(text[end:])
			end += sz
			n++
			if n >= 2 {
				if _, ok := rn.byName[text[i:end]]; ok {
					best = end
				}
			}
		}
		if best > 0 {
			name := text[i:best]
			out = append(out, RegionMention{Name: name, Start: i, End: best, Codes: slices.Clone(rn.byName[name])})
			i = best
			continue
		}
		_, sz := utf8.DecodeRuneInString(text[i:])
		i += sz
	}
	return out
}

// Regions returns every region, ordered by code.
func (x *Index) Regions() []graph.Region { return slices.Clone(x.regions) }

// Provinces returns the province-level divisions, in code order.
func (x *Index) Provinces() []graph.Region {
	var out []graph.Region
	for _, r := range x.regions {
		if r.Level == graph.LevelProvince {
			out = append(out, r)
		}
	}
	return out
}
