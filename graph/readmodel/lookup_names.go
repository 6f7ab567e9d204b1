package readmodel

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// nameLookups map the names of firms and industry classes to their ids, so
// a loader can match a firm named in one source (an honours list, an
// override file) to the firm another source keyed by credit code, and read
// an industry given by name.
type nameLookups struct {
	firms map[string][]int32 // full names, short names, aliases (NormalizeFirmName) → firm indexes
	// short maps the short forms plans use, a short name without the words of
	// the firm's kind (中集 for 中集集团, 荣昌 for 荣昌生物), to the firms.
	short map[string][]int32
	codes map[string]graph.IndustryCode
}

// firmKindWords end a firm's short name without naming it: 中集集团 is 中集.
var firmKindWords = []string{
	"股份有限公司", "有限责任公司", "有限公司", "集团股份", "集团", "股份", "控股", "科技", "技术", "生物", "药业", "制药",
	"医药", "电子", "智能", "数字", "信息", "实业", "发展", "能源", "新材", "材料", "装备", "重工", "汽车", "电气", "机械",
	"化工", "环保", "网络", "软件", "通信", "光电", "新能源", "动力", "国际", "资源", "矿业", "钢铁", "电力", "建设",
}

func buildNameLookups(x *Index) nameLookups {
	n := nameLookups{firms: make(map[string][]int32, len(x.firms)), short: map[string][]int32{},
		codes: make(map[string]graph.IndustryCode, len(x.codes))}
	for i := range x.firms {
		n.addFirm(x, int32(i))
	}
	for _, c := range x.codes {
		// A 中类 with a single 小类 shares its name: the more specific code wins.
		if cur, ok := n.codes[c.Name]; !ok || len(c.Code) > len(cur) {
			n.codes[c.Name] = c.Code
		}
	}
	return n
}

// addFirm adds firm i's names to the lookups; a name's firms stay in
// index order when firms are added in that order.
func (n nameLookups) addFirm(x *Index, i int32) {
	add := func(m map[string][]int32, name string) {
		name = NormalizeFirmName(name)
		if name == "" {
			return
		}
		if ids := m[name]; !slices.Contains(ids, i) {
			m[name] = append(ids, i)
		}
	}
	f := &x.firms[i]
	add(n.firms, f.Name)
	add(n.firms, f.ShortName)
	for _, a := range f.Aliases {
		add(n.firms, a)
	}
	for _, s := range append([]string{f.ShortName}, f.Aliases...) {
		for _, w := range firmKindWords {
			if t, ok := strings.CutSuffix(s, w); ok && utf8.RuneCountInString(t) >= 2 {
				if _, place := x.regionNames.byName[t]; !place {
					add(n.short, t)
				}
				break
			}
		}
	}
}

var firmNameFolder = strings.NewReplacer("(", "（", ")", "）", " ", "", "\u00a0", "")

// NormalizeFirmName folds the variants a firm's name is written in —
// full-width or half-width brackets and letters, spaces — so that names
// from two sources compare equal.
func NormalizeFirmName(s string) string {
	s = graph.FoldWidth(strings.TrimSpace(s))
	if strings.ContainsAny(s, "() \u00a0") {
		s = firmNameFolder.Replace(s)
	}
	return strings.ToUpper(s)
}

// FirmsNamed returns the firms whose full name, short name or alias is
// name (compared after NormalizeFirmName), in id order.
func (x *Index) FirmsNamed(name string) []graph.FirmID {
	return x.firmIDs(x.names.firms[NormalizeFirmName(name)])
}

// FirmsMentioned returns the firms a plan's name for a firm denotes: those
// FirmsNamed finds (exact is true), else those whose short name it is
// without the words of the firm's kind (中集 → 中集集团). Several firms may
// answer; which one a text means is the caller's call.
func (x *Index) FirmsMentioned(name string) (ids []graph.FirmID, exact bool) {
	if ids := x.FirmsNamed(name); len(ids) > 0 {
		return ids, true
	}
	return x.firmIDs(x.names.short[NormalizeFirmName(name)]), false
}

// IndustryNamed returns the GB/T 4754 class with this name ("锂离子电池制造"),
// the most specific when a 中类 and its only 小类 share it.
func (x *Index) IndustryNamed(name string) (graph.IndustryCode, bool) {
	c, ok := x.names.codes[strings.TrimSpace(name)]
	return c, ok
}

// firmIDs returns the ids of firm indexes, sorted.
func (x *Index) firmIDs(idx []int32) []graph.FirmID {
	if len(idx) == 0 {
		return nil
	}
	out := make([]graph.FirmID, len(idx))
	for i, fi := range idx {
		out[i] = x.firms[fi].ID
	}
	slices.Sort(out)
	return out
}
