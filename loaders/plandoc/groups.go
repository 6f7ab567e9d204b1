package plandoc

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// countedNumbersRe finds the counts of a plan's indicators and tasks:
// "6类共23项指标", "23项主要指标", "22项重点任务", "五大攻坚任务".
var countedNumbersRe = regexp.MustCompile(`(?:(?:[0-9]+|[一二两三四五六七八九十]+)类共)?([0-9]+|[一二两三四五六七八九十百]+)(?:项|个|大)(主要|一级|二级|分项|重点|具体|攻坚|核心|关键)?(指标|目标|任务)`)

func (d *doc) countedNumbers() {
	for _, m := range countedNumbersRe.FindAllStringSubmatchIndex(d.s, -1) {
		n, ok := parseCount(d.s[m[2]:m[3]])
		if !ok || n == 0 {
			continue
		}
		if prev := d.s[:m[0]]; strings.HasSuffix(prev, "第") {
			continue
		}
		role := "task"
		if noun := d.s[m[6]:m[7]]; noun != "任务" {
			role = "indicator"
		}
		qual := ""
		if m[4] >= 0 {
			qual = d.s[m[4]:m[5]]
		}
		d.addGroup(group{graph.CountedGroup{Text: d.s[m[0]:m[1]], Stated: n, Role: role, Evidence: d.ev(m[0], m[1])},
			role + ":" + qual + d.s[m[6]:m[7]]})
	}
}

// addGroup records a counted group. A group stated again with the same
// count and no more items is the same statement; with other items or
// another count it is kept, so conflicts can be told.
func (d *doc) addGroup(g group) {
	if g.Role == "park?" {
		// Matched against the parks of its sentence later; each
		// statement is kept till then.
		d.groups = append(d.groups, g)
		return
	}
	for i, x := range d.groups {
		if x.key != g.key || x.Stated != g.Stated {
			continue
		}
		if g.Listed <= x.Listed || sameItems(x.Items, g.Items) {
			return
		}
		if x.Listed == 0 {
			d.groups[i] = g
			return
		}
	}
	d.groups = append(d.groups, g)
}

func sameItems(a, b []string) bool {
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

// finish settles what needs the whole document: names said in short after
// their full form, abbreviations of parks, conflicts between counts.
func (d *doc) finish() {
	// A cluster or chain named in short is the same only when its full
	// form adds a region's name (汽车 after 长春汽车) or joins it to another
	// (新一代信息技术 after 大数据与新一代信息技术); 汽车 and 新能源汽车 are two.
	sameThing := func(prefix string) bool {
		return d.isRegionName(prefix) || hasSuffixAny(prefix, []string{"与", "和", "及"})
	}
	d.out.Clusters = dropShortForms(d.out.Clusters, func(c graph.Cluster) string { return c.Name }, sameThing)
	d.out.Chains = dropShortForms(d.out.Chains, func(c graph.Designation) string { return c.Name }, sameThing)
	any := func(string) bool { return true }
	d.out.Parks = dropShortForms(d.out.Parks, func(m graph.Mention) string { return m.Name }, any)
	d.out.Firms = dropShortForms(d.out.Firms, func(m graph.Mention) string { return m.Name }, any)
	d.matchParkGroups()
	d.matchSumGroups()
	d.conflicts()
	for _, g := range d.groups {
		d.out.CountedGroups = append(d.out.CountedGroups, g.CountedGroup)
	}
	byPlace := func(a, b graph.Indicator) int { return a.Evidence.Start - b.Evidence.Start }
	slices.SortStableFunc(d.out.Indicators, byPlace)
	slices.SortStableFunc(d.out.MissingValues, byPlace)
}

// dropShortForms removes a name that ends another, longer name of the same
// list: 智造走廊 after 西部沿海智造走廊, 自贸区烟台片区 after 山东自贸区烟台片区.
func dropShortForms[T any](list []T, name func(T) string, prefixOK func(string) bool) []T {
	var out []T
	for i, x := range list {
		short := false
		for j, y := range list {
			if i != j && len(name(y)) > len(name(x)) && strings.HasSuffix(name(y), name(x)) &&
				prefixOK(strings.TrimSuffix(name(y), name(x))) {
				short = true
				break
			}
		}
		if !short {
			out = append(out, x)
		}
	}
	return out
}

// matchParkGroups fills the items of an abbreviation like “四园两区”:
// the parks named in its sentence whose names end with its letters.
func (d *doc) matchParkGroups() {
	for i, g := range d.groups {
		if g.Role != "park?" {
			continue
		}
		abbr := []rune(strings.Trim(g.Text, "“”"))
		want := map[rune]int{}
		for k := 0; k+1 < len(abbr); k += 2 {
			n, _ := parseCount(string(abbr[k]))
			want[abbr[k+1]] += n
		}
		var names []string
		for _, p := range d.out.Parks {
			if !sameSentence(g.Evidence.Text, p.Evidence.Text) {
				continue
			}
			r := []rune(p.Name)
			if want[r[len(r)-1]] > 0 {
				names = append(names, p.Name)
			}
		}
		g.Role = ""
		if len(names) > 0 {
			g.Role, g.Items, g.Listed = "park", names, len(names)
		}
		d.groups[i] = g
	}
	// An abbreviation that matched nothing is no counted group of the
	// plan; of its statements, the one that lists its parks is kept.
	best := map[string]int{}
	for i, g := range d.groups {
		if g.Role != "park" {
			continue
		}
		if j, ok := best[g.key]; !ok || g.Listed > d.groups[j].Listed {
			best[g.key] = i
		}
	}
	var out []group
	for i, g := range d.groups {
		if g.Role == "" || g.Role == "park" && best[g.key] != i {
			continue
		}
		out = append(out, g)
	}
	d.groups = out
}

// matchSumGroups fills the items of an abbreviation like “2+4”产业集群 from
// the groups of the same kind the plan counts with its parts (2个产业集群,
// 4个产业集群).
func (d *doc) matchSumGroups() {
	for i, g := range d.groups {
		parts := strings.Split(strings.Trim(g.Text, "“”"), "+")
		if len(parts) < 2 || g.Listed > 0 {
			continue
		}
		used := map[int]bool{}
		var items []string
		for _, p := range parts {
			n, _ := parseCount(p)
			for j, h := range d.groups {
				if j != i && !used[j] && h.Role == g.Role && h.Stated == n && h.Listed > 0 && !strings.Contains(h.Text, "+") {
					used[j] = true
					items = append(items, h.Items...)
					break
				}
			}
		}
		if len(used) == len(parts) {
			g.Items, g.Listed = items, len(items)
			d.groups[i] = g
		}
	}
}

func sameSentence(a, b string) bool { return a != "" && a == b }

// conflicts finds counts of the same group that disagree: the same role
// words and noun, other numbers, and items in common (or none listed).
func (d *doc) conflicts() {
	gs := d.groups
	seen := map[string]bool{}
	for i := range gs {
		for j := i + 1; j < len(gs); j++ {
			a, b := gs[i], gs[j]
			if a.key != b.key || a.Stated == b.Stated || a.Role == "task" {
				continue // tasks are counted per action: 4项任务, 3项任务
			}
			shared := len(a.Items) == 0 && len(b.Items) == 0
			for _, x := range a.Items {
				if slices.Contains(b.Items, x) {
					shared = true
				}
			}
			if !shared {
				continue
			}
			k := fmt.Sprintf("%s|%d|%d", a.key, a.Stated, b.Stated)
			if seen[k] {
				continue
			}
			seen[k] = true
			d.out.Conflicts = append(d.out.Conflicts, graph.Conflict{
				Kind:   "count",
				Text:   fmt.Sprintf("「%s」与「%s」：同一组产业，规划先说%d个、又说%d个", a.Text, b.Text, a.Stated, b.Stated),
				Groups: []int{i, j},
			})
		}
	}
}
