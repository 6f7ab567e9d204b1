package graph

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// firmNames maps the name forms of firms to the firms: full names, short
// names (简称), aliases, and the short forms plans use, which drop the words
// of a firm's kind from a short name (中集 for 中集集团, 荣昌 for 荣昌生物).
type firmNames struct {
	once  sync.Once
	exact map[string][]int32
	short map[string][]int32
}

// firmKindWords end a firm's short name without naming it: 中集集团 is 中集.
var firmKindWords = []string{
	"股份有限公司", "有限责任公司", "有限公司", "集团股份", "集团", "股份", "控股", "科技", "技术", "生物", "药业", "制药",
	"医药", "电子", "智能", "数字", "信息", "实业", "发展", "能源", "新材", "材料", "装备", "重工", "汽车", "电气", "机械",
	"化工", "环保", "网络", "软件", "通信", "光电", "新能源", "动力", "国际", "资源", "矿业", "钢铁", "电力", "建设",
}

// firmLookup builds the name maps on first use: a read model whose plans
// name no firms never pays for them.
func (x *Index) firmLookup() *firmNames {
	fn := &x.firmNames
	fn.once.Do(func() {
		fn.exact = map[string][]int32{}
		fn.short = map[string][]int32{}
		add := func(m map[string][]int32, name string, i int32) {
			if utf8.RuneCountInString(name) < 2 {
				return
			}
			if !slices.Contains(m[name], i) {
				m[name] = append(m[name], i)
			}
		}
		for i := range x.firms {
			f := &x.firms[i]
			n := int32(i)
			forms := append([]string{f.name, f.short}, f.aliases...)
			for _, s := range forms {
				add(fn.exact, s, n)
			}
			for _, s := range append([]string{f.short}, f.aliases...) {
				for _, w := range firmKindWords {
					if t, ok := strings.CutSuffix(s, w); ok && utf8.RuneCountInString(t) >= 2 {
						if _, place := x.regionNames.byName[t]; !place {
							add(fn.short, t, n)
						}
						break
					}
				}
			}
		}
	})
	return fn
}

// FirmsNamed returns the firms a name denotes, in id order: those whose
// full name, short name or alias it is (exact is true), else those whose
// short name it is without the words of the firm's kind (中集 → 中集集团).
// Several firms may answer; which one a text means is the caller's call.
func (x *Index) FirmsNamed(name string) (ids []FirmID, exact bool) {
	fn := x.firmLookup()
	idx, exact := fn.exact[name], true
	if len(idx) == 0 {
		idx, exact = fn.short[name], false
	}
	for _, i := range idx {
		ids = append(ids, x.firms[i].id)
	}
	slices.Sort(ids)
	return ids, exact && len(ids) > 0
}
