package graph

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// groupFact decodes a fact of a plan's counted group or conflict.
func (p *planB) groupFact(kind string, n int, q quad.Quad, evN func() int) {
	if kind == "conflict" {
		c := getOr(p.cfl, n, func() *Conflict { return &Conflict{Plan: p.ID, N: n} })
		switch q.Predicate {
		case PredConflictKind:
			c.Kind = StrOf(q.Object)
		case PredDescription:
			c.Text = StrOf(q.Object)
		case PredInvolves:
			if _, _, g, ok := PlanPartOf(q.Object); ok {
				c.Groups = append(c.Groups, g)
			}
		}
		return
	}
	g := getOr(p.grp, n, func() *CountedGroup { return &CountedGroup{Plan: p.ID, N: n} })
	switch q.Predicate {
	case PredName:
		g.Text = StrOf(q.Object)
	case PredStated:
		g.Stated = IntOf(q.Object)
	case PredListed:
		g.Listed = IntOf(q.Object)
	case PredItem:
		// Items arrive in any order; "position|name" puts them back.
		g.Items = append(g.Items, StrOf(q.Object))
	case PredRole:
		g.Role = StrOf(q.Object)
	case PredOpen:
		g.Open = true
	case PredEvidence:
		g.Evidence = evN()
	}
}

// groups returns the plan's counted groups, their items in order, and its
// conflicts.
func (p *planB) groups() ([]CountedGroup, []Conflict) {
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
