package graph

import (
	"slices"
	"strings"
)

// nameLookups map the names of firms and industry classes to their ids, so
// a loader can match a firm named in one source (an honours list, an
// override file) to the firm another source keyed by credit code, and read
// an industry given by name.
type nameLookups struct {
	firms map[string][]FirmID
	codes map[string]IndustryCode
}

func buildNameLookups(x *Index) nameLookups {
	n := nameLookups{firms: make(map[string][]FirmID, len(x.firms)), codes: make(map[string]IndustryCode, len(x.codes))}
	add := func(name string, id FirmID) {
		name = NormalizeFirmName(name)
		if name == "" {
			return
		}
		if ids := n.firms[name]; !slices.Contains(ids, id) {
			n.firms[name] = append(ids, id)
		}
	}
	for i := range x.firms {
		f := &x.firms[i]
		add(f.name, f.id)
		add(f.short, f.id)
		for _, a := range f.aliases {
			add(a, f.id)
		}
	}
	for _, c := range x.codes {
		// A 中类 with a single 小类 shares its name: the more specific code wins.
		if cur, ok := n.codes[c.Name]; !ok || len(c.Code) > len(cur) {
			n.codes[c.Name] = c.Code
		}
	}
	return n
}

// NormalizeFirmName folds the variants a firm's name is written in —
// full-width or half-width brackets and letters, spaces — so that names
// from two sources compare equal.
func NormalizeFirmName(s string) string {
	s = foldASCII(strings.TrimSpace(s))
	s = strings.NewReplacer("(", "（", ")", "）", " ", "", "\u00a0", "").Replace(s)
	return strings.ToUpper(s)
}

// FirmsNamed returns the firms whose full name, short name or alias is
// name (compared after NormalizeFirmName), in id order.
func (x *Index) FirmsNamed(name string) []FirmID {
	ids := slices.Clone(x.names.firms[NormalizeFirmName(name)])
	slices.Sort(ids)
	return ids
}

// IndustryNamed returns the GB/T 4754 class with this name ("锂离子电池制造"),
// the most specific when a 中类 and its only 小类 share it.
func (x *Index) IndustryNamed(name string) (IndustryCode, bool) {
	c, ok := x.names.codes[strings.TrimSpace(name)]
	return c, ok
}
