package readmodel

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// groupFact decodes a fact of a plan's counted group or conflict.
func (p *planB) groupFact(kind string, n int, q quad.Quad, evN func() int) {
	if kind == "conflict" {
		c := getOr(p.cfl, n, func() *graph.Conflict { return &graph.Conflict{Plan: p.ID, N: n} })
		switch q.Predicate {
		case graph.PredConflictKind:
			c.Kind = graph.StrOf(q.Object)
		case graph.PredDescription:
			c.Text = graph.StrOf(q.Object)
		case graph.PredInvolves:
			if _, _, g, ok := graph.PlanPartOf(q.Object); ok {
				c.Groups = append(c.Groups, g)
			}
		}
		return
	}
	g := getOr(p.grp, n, func() *graph.CountedGroup { return &graph.CountedGroup{Plan: p.ID, N: n} })
	switch q.Predicate {
	case graph.PredName:
		g.Text = graph.StrOf(q.Object)
	case graph.PredStated:
		g.Stated = graph.IntOf(q.Object)
	case graph.PredListed:
		g.Listed = graph.IntOf(q.Object)
	case graph.PredItem:
		// Items arrive in any order; "position|name" puts them back.
		g.Items = append(g.Items, graph.StrOf(q.Object))
	case graph.PredRole:
		g.Role = graph.StrOf(q.Object)
	case graph.PredOpen:
		g.Open = true
	case graph.PredEvidence:
		g.Evidence = evN()
	}
}

// groups returns the plan's counted groups, their items in order, and its
// conflicts.
func (p *planB) groups() ([]graph.CountedGroup, []graph.Conflict) {
	gs := derefSorted(p.grp)
	for i := range gs {
		items := gs[i].Items
		slices.SortFunc(items, func(a, b string) int { return cmp.Compare(itemPos(a), itemPos(b)) })
		for j, it := range items {
			_, name, _ := strings.Cut(it, "|")
			items[j] = name
		}
	}
	cs := derefSorted(p.cfl)
	for i := range cs {
		slices.Sort(cs[i].Groups)
	}
	return gs, cs
}

func itemPos(s string) int {
	n, _ := strconv.Atoi(s[:max(0, strings.IndexByte(s, '|'))])
	return n
}
