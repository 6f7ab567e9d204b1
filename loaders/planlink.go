package loaders

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// Linking a plan's words to the graph. Every link keeps its method and a
// confidence, so a user can see why and override it:
//
//	industry, chain, cluster → Chain   crosswalk 1.0×row; name 0.9; alias 0.85;
//	                                   a part of a compound (大数据与新一代信息技术) ×0.8
//	park → Park                        name 1.0; alias 0.95; normalised form 0.9;
//	                                   one name containing the other, in the plan's region 0.6
//	firm → Firm                        name/short name/alias 0.95; short form (中集 for
//	                                   中集集团) 0.75; ×0.8 when only the plan's region decides
const (
	confName       = 0.9
	confAlias      = 0.85
	confPart       = 0.8
	confParkName   = 1.0
	confParkAlias  = 0.95
	confParkNorm   = 0.9
	confParkInside = 0.6
	confFirmExact  = 0.95
	confFirmShort  = 0.75
	confByRegion   = 0.8
)

// linker resolves a plan's names against the read model.
type linker struct {
	lk         Lookups
	region     graph.RegionCode
	xwalk      map[string]graph.CrosswalkEntry
	chainNames map[string]graph.ChainID
	chainAlias map[string]graph.ChainID
	parks      []graph.Park
	warned     map[string]bool
}

func newLinker(lk Lookups, region graph.RegionCode) *linker {
	l := &linker{lk: lk, region: region, xwalk: map[string]graph.CrosswalkEntry{},
		chainNames: map[string]graph.ChainID{}, chainAlias: map[string]graph.ChainID{}, warned: map[string]bool{}}
	if lk.Chains != nil {
		for _, c := range lk.Chains.Crosswalk() {
			l.xwalk[normIndustry(c.Phrase)] = c
		}
	}
	if lk.Chains != nil {
		for _, c := range lk.Chains.Chains() {
			l.chainNames[normIndustry(c.Name)] = c.ID
			for _, a := range c.Aliases {
				l.chainAlias[normIndustry(a)] = c.ID
			}
		}
	}
	if lk.Parks != nil {
		l.parks = lk.Parks.Parks()
	}
	return l
}

// normIndustry reduces a plan's wording of an industry to its core: no
// quotes or spaces, no 产业/集群/产业链 at the end.
func normIndustry(s string) string {
	s = strings.NewReplacer("“", "", "”", "", "\"", "", " ", "", "　", "").Replace(s)
	for _, suf := range []string{"产业链群", "产业集群", "产业链条", "产业链", "链群", "集群", "产业", "行业"} {
		if t, ok := strings.CutSuffix(s, suf); ok && utf8.RuneCountInString(t) >= 2 {
			return t
		}
	}
	return s
}

// chains links an industry's words to chains: the crosswalk first, then
// chain names and aliases, then the parts of a compound name.
func (l *linker) chains(name string) []graph.ChainLink {
	if l.lk.Chains == nil {
		return nil
	}
	n := normIndustry(name)
	if out := l.chainsExact(n, 1); len(out) > 0 {
		return out
	}
	var out []graph.ChainLink
	for _, part := range splitCompound(n) {
		for _, c := range l.chainsExact(part, confPart) {
			c.Method += "-part"
			out = addLink(out, c)
		}
	}
	return out
}

func (l *linker) chainsExact(n string, factor float64) []graph.ChainLink {
	var out []graph.ChainLink
	if e, ok := l.xwalk[n]; ok {
		conf := e.Confidence
		if conf == 0 {
			conf = 1
		}
		for _, c := range e.Chains {
			out = addLink(out, graph.ChainLink{Chain: c, Method: "crosswalk", Confidence: round3(conf * factor)})
		}
	}
	if c, ok := l.chainNames[n]; ok {
		out = addLink(out, graph.ChainLink{Chain: c, Method: "name", Confidence: round3(confName * factor)})
	} else if c, ok := l.chainAlias[n]; ok {
		out = addLink(out, graph.ChainLink{Chain: c, Method: "alias", Confidence: round3(confAlias * factor)})
	}
	return out
}

// splitCompound splits 大数据与新一代信息技术 into its parts.
func splitCompound(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '与' || r == '和' || r == '及' || r == '、' })
	if len(parts) < 2 {
		return nil
	}
	return parts
}

// addLink adds a link, keeping the more confident of two to one chain.
func addLink(ls []graph.ChainLink, c graph.ChainLink) []graph.ChainLink {
	for i, x := range ls {
		if x.Chain == c.Chain {
			if c.Confidence > x.Confidence {
				ls[i] = c
			}
			return ls
		}
	}
	return append(ls, c)
}

func round3(v float64) float64 { return float64(int(v*1000+0.5)) / 1000 }

// parkForms folds the ways one zone is written: 中国(山东)自由贸易试验区烟台片区
// and 山东自贸区烟台片区, 烟台经济技术开发区 and 烟台经开区.
var (
	parenRe   = regexp.MustCompile(`[(（][^()（）]*[)）]`)
	parkForms = strings.NewReplacer("自由贸易试验区", "自贸区", "自贸试验区", "自贸区", "经济技术开发区", "经开区",
		"高新技术产业开发区", "高新区", "高新技术开发区", "高新区", "综合保税区", "综保区", "中国", "", " ", "")
)

func normPark(s string) string { return parkForms.Replace(parenRe.ReplaceAllString(s, "")) }

// park links a park's name to a park of the graph.
func (l *linker) park(name string) (graph.ParkID, string, float64) {
	var byNorm, inside []graph.Park
	n := normPark(name)
	for _, p := range l.parks {
		if p.Name == name || p.ShortName == name {
			return p.ID, "name", confParkName
		}
		if slices.Contains(p.Aliases, name) {
			return p.ID, "alias", confParkAlias
		}
		forms := append([]string{p.Name, p.ShortName}, p.Aliases...)
		for _, f := range forms {
			if f == "" {
				continue
			}
			pn := normPark(f)
			switch {
			case pn == n:
				byNorm = appendPark(byNorm, p)
			case utf8.RuneCountInString(n) >= 4 && utf8.RuneCountInString(pn) >= 4 &&
				(strings.Contains(pn, n) || strings.Contains(n, pn)) && l.inRegion(p.Region):
				inside = appendPark(inside, p)
			}
		}
	}
	switch {
	case len(byNorm) == 1:
		return byNorm[0].ID, "normalised", confParkNorm
	case len(byNorm) == 0 && len(inside) == 1:
		return inside[0].ID, "contains", confParkInside
	}
	return "", "unresolved", 0
}

func appendPark(ps []graph.Park, p graph.Park) []graph.Park {
	if slices.ContainsFunc(ps, func(q graph.Park) bool { return q.ID == p.ID }) {
		return ps
	}
	return append(ps, p)
}

// inRegion reports whether a region lies in the plan's province (or is
// unknown on either side).
func (l *linker) inRegion(r graph.RegionCode) bool {
	if l.region == "" || r == "" {
		return true
	}
	return l.region.Province().Contains(r)
}

// firm links a firm's name to a registry firm.
func (l *linker) firm(name string) (graph.FirmID, string, float64) {
	if l.lk.Firms == nil {
		return "", "unresolved", 0
	}
	ids, exact := l.lk.Firms.FirmsMentioned(name)
	method, conf := "short-form", confFirmShort
	if exact {
		method, conf = "name", confFirmExact
	}
	if len(ids) == 1 {
		return ids[0], method, conf
	}
	// Several firms go by the name: the plan's own region decides, if it can.
	var local []graph.FirmID
	for _, id := range ids {
		if f, ok := l.lk.Firms.Firm(id); ok && l.region != "" && f.Region != "" && l.region.Province().Contains(f.Region) {
			local = append(local, id)
		}
	}
	if len(local) == 1 {
		return local[0], method + "+region", round3(conf * confByRegion)
	}
	if len(ids) > 1 {
		return "", "ambiguous", 0
	}
	return "", "unresolved", 0
}

// tally counts a link and warns of one left unresolved. When the read
// model holds nothing to link to (no chain library, parks or firms loaded
// yet), it says so once rather than for every name.
func (l *linker) tally(rep *Report, kind, name string, linked bool) {
	if l.lk.Firms == nil {
		return
	}
	if linked {
		rep.Count(kind+" linked", 1)
		return
	}
	rep.Count(kind+" unresolved", 1)
	target := map[string]string{"industry": "chain", "chain": "chain", "cluster": "chain", "park": "park", "firm": "registry firm"}[kind]
	loaded := map[string]bool{
		"chain":         len(l.xwalk)+len(l.chainNames) > 0,
		"park":          len(l.parks) > 0,
		"registry firm": l.lk.Firms.FirmCount() > 0,
	}[target]
	if !loaded {
		if !l.warned[target] {
			l.warned[target] = true
			rep.Warn(0, kind, fmt.Errorf("no %s is loaded yet: what the plan names stays unlinked until one is; load the plan again then", target))
		}
		return
	}
	rep.Warn(0, kind, fmt.Errorf("%s: no %s found; kept unresolved", name, target))
}
