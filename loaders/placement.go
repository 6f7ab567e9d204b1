package loaders

import (
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// Placing firms that a news page, an honours list or a plan names in a
// region. Such a source says less than a registry: a name as printed
// (often a short name: 杰瑞集团, 比亚迪, 万华化学集团) and the region whose
// chain or list it is in. The rules, shared by those loaders:
//
//   - The name is resolved to a loaded firm: its full name, short name or
//     alias; else a short form (中集 for 中集集团); else the name without its
//     trailing kind words (万华化学集团 → 万华化学). Of several firms, the
//     one in the row's province; a short form of two characters only
//     within the province (安吉 or 通汇 elsewhere are other firms).
//   - A resolved firm known only at an ancestor of the row's region (山东省
//     for a 烟台 row) is placed in the row's region: the source is finer
//     and consistent. One already within the row's region stays.
//   - A resolved firm known in another region (比亚迪 of 深圳 in 济南's chain)
//     is not moved: what the source names is its plant or branch there,
//     which enters as a firm of the row's region, member of the firm.
//   - A name nothing resolves enters as a firm of the row's region, keyed
//     by the source and the first row that names it, never by name alone.

// placement is how a row's region relates to the region a firm has.
type placement int

const (
	// placeFiner: the firm has no region, or only one the row's lies in.
	placeFiner placement = iota
	// placeKnown: the firm's region is the row's or lies within it.
	placeKnown
	// placeElsewhere: the two regions are disjoint.
	placeElsewhere
)

func placeFirm(cur, row graph.RegionCode) placement {
	switch {
	case cur == "" || cur != row && cur.Contains(row):
		return placeFiner
	case row.Contains(cur):
		return placeKnown
	default:
		return placeElsewhere
	}
}

// firmKindSuffixes end a printed name without telling firms apart: what
// is left names the same firm (万华化学集团 is 万华化学).
var firmKindSuffixes = []string{"集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团", "公司"}

// trimKind removes the kind words at the end of a name, once.
func trimKind(name string) string {
	for _, s := range firmKindSuffixes {
		if t, ok := strings.CutSuffix(name, s); ok && utf8.RuneCountInString(t) >= 2 {
			return t
		}
	}
	return name
}

// nameResolution is a printed name resolved against the read model.
type nameResolution struct {
	id     graph.FirmID // "" when nothing resolved
	method string       // name, short-form, trimmed; ambiguous or unresolved when id is ""
	n      int          // candidates found
}

// resolveNamed resolves a printed firm name, preferring firms of province.
func resolveNamed(firms Firms, name string, province graph.RegionCode) nameResolution {
	if firms == nil {
		return nameResolution{method: "unresolved"}
	}
	try := func(n, method string) (nameResolution, bool) {
		ids, exact := firms.FirmsMentioned(n)
		if len(ids) == 0 {
			return nameResolution{}, false
		}
		if !exact {
			method = "short-form"
		}
		var local []graph.FirmID
		for _, id := range ids {
			if f, ok := firms.Firm(id); ok && f.Region != "" && province.Contains(f.Region) {
				local = append(local, id)
			}
		}
		switch {
		case len(local) == 1:
			return nameResolution{id: local[0], method: method, n: len(ids)}, true
		case !exact && utf8.RuneCountInString(n) <= 2:
			return nameResolution{method: "unresolved", n: len(ids)}, true
		case len(ids) == 1:
			return nameResolution{id: ids[0], method: method, n: 1}, true
		}
		return nameResolution{method: "ambiguous", n: len(ids)}, true
	}
	if r, ok := try(name, "name"); ok {
		return r
	}
	if t := trimKind(name); t != name {
		if r, ok := try(t, "trimmed"); ok {
			return r
		}
	}
	return nameResolution{method: "unresolved"}
}

// groupCore returns what a group's name (杰瑞集团, 中国重汽集团有限公司) has
// before 集团, without a leading region name; "" when the name names no
// group or the core is too short to tell firms apart.
func groupCore(regions Regions, name string) string {
	i := strings.Index(name, "集团")
	if i <= 0 {
		return ""
	}
	core := stripPlacePrefix(regions, name[:i])
	if utf8.RuneCountInString(core) < 2 {
		return ""
	}
	return core
}

// stripPlacePrefix removes the region names a firm's name starts with
// (烟台杰瑞… → 杰瑞…, 山东省莱芜市汶河… → 汶河…).
func stripPlacePrefix(regions Regions, name string) string {
	if regions == nil {
		return name
	}
	for {
		cut := false
		for _, r := range regions.RegionMentions(name) {
			if r.Start == 0 && r.End < len(name) {
				name = name[r.End:]
				cut = true
				break
			}
		}
		if !cut {
			return name
		}
	}
}

// groupMembers returns the firms of lk and of extra (firms the loader is
// writing) whose name, without a leading region name, starts with the
// group's core, whose region is consistent with the group's (one within
// the other), and which are not the group itself: 杰瑞股份 (烟台杰瑞石油服务
// 集团股份有限公司) and 杰瑞石油天然气工程有限公司 for 杰瑞集团 of 烟台.
func groupMembers(lk Lookups, group graph.Firm, extra []graph.Firm) []graph.FirmID {
	core := groupCore(lk.Regions, group.Name)
	if core == "" || group.Region == "" {
		return nil
	}
	var out []graph.FirmID
	seen := map[graph.FirmID]bool{group.ID: true}
	check := func(f graph.Firm) {
		if seen[f.ID] || f.Region == "" || !group.Region.Contains(f.Region) && !f.Region.Contains(group.Region) {
			return
		}
		for _, n := range append([]string{f.Name, f.ShortName}, f.Aliases...) {
			bare := stripPlacePrefix(lk.Regions, n)
			if n != "" && trimKind(bare) != core && strings.HasPrefix(bare, core) {
				seen[f.ID] = true
				out = append(out, f.ID)
				return
			}
		}
	}
	if lk.Firms != nil {
		lk.Firms.EachFirm(func(f graph.Firm) bool { check(f); return true })
	}
	for _, f := range extra {
		check(f)
	}
	return out
}
