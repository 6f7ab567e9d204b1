package loaders

import (
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// Region resolution for firms. The evidence is tried most reliable first —
// the region columns, the address, the firm's name, the listed firm's
// controlling government, the credit code's registering authority — and
// each piece may only narrow what the more reliable ones said (烟台 within
// 山东), never contradict it. The method recorded is the one that gave the
// final, most specific region.

// Region methods, as recorded on the firm.
const (
	regionByColumn     = "column"
	regionByAddress    = "address"
	regionByName       = "name"
	regionByController = "controller"
	regionByCreditCode = "creditcode"
)

// regionEvidence is what a row says about where a firm is.
type regionEvidence struct {
	codes                  []string // 行政区划代码 cells
	province, city, county string
	area                   string // a region name of any level
	address, name, short   string
	controller             string // 实际控制人 (government controllers name their region)
	credit                 graph.CreditCode
	creditOK               bool
}

// regionResolver resolves regions against the region table.
type regionResolver struct {
	regions Regions
}

// regionResult is a resolved region, or the reason there is none.
type regionResult struct {
	code     graph.RegionCode
	method   string
	conflict string // evidence that contradicted a more reliable source
}

type narrowing struct {
	rr       *regionResolver
	cur      graph.RegionCode
	method   string
	conflict string
}

// take narrows the current region to one of cands (the regions a name
// may denote). It reports whether it narrowed.
func (n *narrowing) take(cands []graph.RegionCode, method, text string, allowShortCounty bool) bool {
	if n.cur == "" && len(cands) > 1 {
		return false // 朝阳: a district of 北京 and a city of 辽宁
	}
	var in []graph.RegionCode
	for _, c := range cands {
		if n.cur != "" && (!n.cur.Contains(c) || c == n.cur) {
			continue
		}
		if !allowShortCounty && n.cur == "" && c.Level() == graph.LevelCounty {
			continue
		}
		in = append(in, c)
	}
	if len(in) != 1 {
		if len(in) == 0 && n.cur != "" && len(cands) > 0 && n.conflict == "" {
			contained, telling := false, allowShortCounty
			for _, c := range cands {
				if c.Contains(n.cur) {
					contained = true // a coarser name of the same place
				}
				if c.Level() != graph.LevelCounty {
					telling = true
				}
			}
			// A county's short form elsewhere (平安, 东方) is a brand, not a contradiction.
			if !contained && telling && method != regionByController {
				n.conflict = method + " " + text
			}
		}
		return false
	}
	n.cur, n.method = in[0], method
	return true
}

// named returns the regions a name denotes, resolving a province or city
// given in short form too (山东, 烟台).
func (rr *regionResolver) named(s string) []graph.RegionCode {
	s = strings.TrimSpace(s)
	if s == "" || isBlank(s) {
		return nil
	}
	if cs := rr.regions.RegionsNamed(s); len(cs) > 0 {
		return cs
	}
	if short := RegionShortName(s); short != "" {
		return rr.regions.RegionsNamed(short)
	}
	return nil
}

func (rr *regionResolver) resolve(ev regionEvidence) regionResult {
	n := &narrowing{rr: rr}
	// 1. Columns: codes first, then names from the top down.
	for _, c := range ev.codes {
		code, err := graph.ParseRegionCode(c)
		if err != nil {
			continue
		}
		if _, ok := rr.regions.Region(code); !ok {
			continue
		}
		if n.cur == "" || n.cur.Contains(code) && code != n.cur {
			n.cur, n.method = code, regionByColumn
		}
	}
	for _, s := range []string{ev.province, ev.city, ev.county, ev.area} {
		n.take(rr.named(s), regionByColumn, s, true)
	}
	// 2. The address: region names from its start, each following the last.
	if !atCounty(n.cur) {
		rr.fromText(n, ev.address, regionByAddress, false)
	}
	// 3. The name: the region a firm name begins with (烟台XX有限公司), or
	// names in brackets (XX（烟台）有限公司).
	if !atCounty(n.cur) {
		rr.fromText(n, ev.name, regionByName, true)
	}
	if !atCounty(n.cur) && ev.short != "" {
		rr.fromText(n, ev.short, regionByName, false) // 青岛啤酒, 烟台冰轮
	}
	// 4. A government controller names its own region (烟台市人民政府国有资产
	// 监督管理委员会, 寿光市财政局).
	if !atCounty(n.cur) && isGovernment(ev.controller) {
		rr.fromText(n, ev.controller, regionByController, false)
	}
	// 5. The credit code's registering authority.
	if ev.creditOK && !atCounty(n.cur) {
		if code, err := ev.credit.RegisteringRegion(); err == nil {
			for _, c := range []graph.RegionCode{code, code.City(), code.Province()} {
				if _, ok := rr.regions.Region(c); ok {
					if n.cur == "" || n.cur.Contains(c) && c != n.cur {
						n.cur, n.method = c, regionByCreditCode
					}
					break
				}
			}
		}
	}
	return regionResult{code: n.cur, method: n.method, conflict: n.conflict}
}

// leadRunes is how far into a text the first region name may start: past
// "中国", "中国（山东）" and the like, but not into a street name.
const leadRunes = 8

// fromText narrows by the region names of a text: the first must start
// near the beginning (or, for names, inside brackets), and each later one
// must follow the one before.
func (rr *regionResolver) fromText(n *narrowing, text, method string, brackets bool) {
	if text == "" {
		return
	}
	prevEnd := -1
	for _, m := range rr.regions.RegionMentions(text) {
		if atCounty(n.cur) {
			return // what follows a county is a street, not a region
		}
		inBracket := brackets && isInBrackets(text, m.Start, m.End)
		switch {
		case prevEnd >= 0 && m.Start == prevEnd:
		case prevEnd < 0 && utf8.RuneCountInString(text[:m.Start]) <= leadRunes && (m.Start == 0 || method != regionByName || startsAfterPrefix(text[:m.Start])):
		case inBracket:
		default:
			if prevEnd >= 0 {
				return
			}
			continue
		}
		// A county's short form (泰山, 南山) is too often a brand: accept it
		// only inside a province or city already found, or written in full.
		full := strings.HasSuffix(m.Name, "区") || strings.HasSuffix(m.Name, "县") || strings.HasSuffix(m.Name, "市") || strings.HasSuffix(m.Name, "旗")
		n.take(m.Codes, method, m.Name, full)
		prevEnd = m.End
	}
}

// startsAfterPrefix reports whether a name's region may start after s:
// after 中国, 中国石化 and the like, the name's own region comes.
func startsAfterPrefix(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "中国") || strings.HasPrefix(s, "中")
}

// isInBrackets reports whether text[i:j] is enclosed in brackets.
func isInBrackets(text string, i, j int) bool {
	before, after := text[:i], text[j:]
	return (strings.HasSuffix(before, "（") || strings.HasSuffix(before, "(")) &&
		(strings.HasPrefix(after, "）") || strings.HasPrefix(after, ")"))
}

// isGovernment reports whether a controller is a government body, whose
// name begins with its region (潍坊市政府投融资管理中心, 常州市武进区国有(集体)
// 资产管理办公室, 黄山市供销合作联合社).
func isGovernment(s string) bool {
	for _, w := range []string{"政府", "国有资产", "国资", "财政局", "财政厅", "管理委员会", "管理办公室", "金融监督管理局", "村民委员会", "国有资本", "供销合作"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// atCounty reports whether c is a county (or finer): nothing narrows it further.
func atCounty(c graph.RegionCode) bool {
	return c != "" && (c.Level() == graph.LevelCounty || c.Level() == graph.LevelTown)
}
