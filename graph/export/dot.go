package export

import (
	"bufio"
	"context"
	"io"
	"strconv"
	"strings"
)

// dotQuote quotes a DOT ID or string: double quotes and backslashes
// escaped, line breaks as \n, so any Chinese label survives.
func dotQuote(s string) string { return `"` + dotEscaper.Replace(s) + `"` }

var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "", "\n", `\n`)

// writeDOT writes a Graphviz digraph: one cluster per segment holding its
// chain nodes and the firms drawn beside them, labels quoted, a CJK font
// list, and every attribute as a node or edge attribute (Graphviz keeps
// attributes it does not draw, so tools reading the DOT see them).
func writeDOT(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	e := &errWriter{w: bufio.NewWriter(w)}
	font := dotQuote("Noto Sans CJK SC,Source Han Sans SC,Microsoft YaHei,PingFang SC,SimHei,sans-serif")
	e.s("digraph chainkg {\n",
		"  graph [label=", dotQuote(s.Title+"\n"+s.Subtitle), ", labelloc=t, fontsize=18, fontname=", font, ", rankdir=LR, nodesep=0.25, ranksep=0.6, newrank=true];\n",
		"  node [fontname=", font, ", fontsize=11];\n",
		"  edge [fontname=", font, ", fontsize=9, arrowsize=0.6];\n")
	// Which group each node is drawn in: its own, or its chain node's.
	groupOf := map[string]string{}
	chainGroup := map[string]string{}
	for i := range s.Nodes {
		if n := &s.Nodes[i]; n.Kind == KindChainNode {
			chainGroup[n.Attrs.ChainNode] = n.Group
		}
	}
	members := map[string][]int{}
	var loose []int
	for i := range s.Nodes {
		n := &s.Nodes[i]
		g := n.Group
		if g == "" && (n.Kind == KindFirm || n.Kind == KindTarget) {
			g = chainGroup[n.Attrs.ChainNode]
		}
		groupOf[n.ID] = g
		if g == "" {
			loose = append(loose, i)
		} else {
			members[g] = append(members[g], i)
		}
	}
	for _, g := range s.Groups {
		if len(members[g.ID]) == 0 {
			continue
		}
		e.s("  subgraph ", dotQuote("cluster_"+g.ID), " {\n",
			"    label=", dotQuote(g.Label), "; style=\"rounded,filled\"; fillcolor=\"#F5F7FA\"; color=\"#D0D7DE\"; fontsize=14;\n")
		for _, i := range members[g.ID] {
			dotNode(e, "    ", &s.Nodes[i])
		}
		e.s("  }\n")
	}
	for _, i := range loose {
		dotNode(e, "  ", &s.Nodes[i])
	}
	order := dotRanks(e, s, members)
	for i := range s.Edges {
		ed := &s.Edges[i]
		color, style := edgeStyle(ed.Kind)
		if style == "line" {
			style = "solid"
		}
		e.s("  ", dotQuote(ed.From), " -> ", dotQuote(ed.To), " [id=", dotQuote(ed.ID), ", color=", dotQuote(color), ", style=", style)
		if a, b := groupOf[ed.From], groupOf[ed.To]; a != b && order[a] > order[b] {
			// Against the chain's order (回收利用 → 电池材料): drawn, not ranked.
			e.s(", constraint=false")
		}
		if ed.Kind == EdgeSupplies || ed.Kind == EdgeFillsGap {
			e.s(", label=", dotQuote(ed.Label()), ", fontcolor=", dotQuote(color))
		}
		if ed.Kind == EdgeContains || ed.Kind == EdgeInNode {
			e.s(", arrowhead=none")
		}
		for _, c := range edgeColumns {
			if c.Key == "label" {
				continue
			}
			if v, ok := c.get(ed); ok {
				e.s(", ", c.Key, "=", dotQuote(v))
			}
		}
		e.s("];\n")
	}
	e.s("}\n")
	return e.flush()
}

// dotRanks keeps each chain's segments in order, left to right (上游
// first): between two consecutive segments with chain nodes an invisible
// point that every node of the first precedes and every top node of the
// second follows. Without it a segment's top nodes that nothing supplies
// (下游's 充换电) land in the first rank. It returns each group's position
// in its chain's order. The points and their edges are style=invis and
// carry no id: they are layout, not graph.
func dotRanks(e *errWriter, s *Scope, members map[string][]int) map[string]int {
	order := map[string]int{}
	var prev *Group
	k := 0
	for gi := range s.Groups {
		g := &s.Groups[gi]
		var nodes []int
		for _, i := range members[g.ID] {
			if s.Nodes[i].Kind == KindChainNode {
				nodes = append(nodes, i)
			}
		}
		if len(nodes) == 0 {
			continue
		}
		if prev != nil && prev.Chain != g.Chain {
			prev = nil
		}
		order[g.ID] = gi
		if prev != nil {
			k++
			point := "_rank" + strconv.Itoa(k)
			e.s("  ", point, " [shape=point, style=invis, width=0];\n")
			for _, i := range members[prev.ID] {
				if s.Nodes[i].Kind == KindChainNode {
					e.s("  ", dotQuote(s.Nodes[i].ID), " -> ", point, " [style=invis];\n")
				}
			}
			for _, i := range nodes {
				if s.Nodes[i].Attrs.Depth.V == 0 {
					e.s("  ", point, " -> ", dotQuote(s.Nodes[i].ID), " [style=invis];\n")
				}
			}
		}
		prev = g
	}
	return order
}

func dotNode(e *errWriter, indent string, n *Node) {
	e.s(indent, dotQuote(n.ID), " [label=", dotQuote(n.Label))
	switch n.Kind {
	case KindChainNode, KindChain:
		e.s(", shape=box, style=\"rounded,filled\", fillcolor=", dotQuote(n.Color.Hex()), ", fontcolor=\"#FFFFFF\", color=", dotQuote(n.Color.Hex()))
		if n.Attrs.Level == "空白" {
			e.s(", penwidth=2, color=\"#8B1E1B\"")
		}
	case KindTarget:
		e.s(", shape=diamond, style=filled, fillcolor=", dotQuote(n.Color.Hex()), ", fontcolor=\"#FFFFFF\", fontsize=9")
	default:
		e.s(", shape=ellipse, style=filled, fillcolor=", dotQuote(n.Color.Hex()), ", fontcolor=\"#FFFFFF\", fontsize=9")
	}
	for _, c := range nodeColumns {
		if v, ok := c.get(n); ok {
			e.s(", ", c.Key, "=", dotQuote(v))
		}
	}
	e.s("];\n")
}
