package export

import (
	"bufio"
	"context"
	"io"
	"math"
	"unicode/utf8"
)

// graphmlTypes maps attribute types to GraphML's attr.type.
var graphmlTypes = map[attrType]string{typeString: "string", typeInt: "int", typeDouble: "double", typeBool: "boolean"}

// writeGraphML writes GraphML with a typed key per attribute (networkx and
// Cytoscape keep their types) and yEd's node and edge graphics
// (y:ShapeNode with y:NodeLabel), so labels, colours and positions show when
// yEd opens the file.
func writeGraphML(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	e := &errWriter{w: bufio.NewWriter(w)}
	e.s(`<?xml version="1.0" encoding="UTF-8" standalone="no"?>`, "\n",
		`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:y="http://www.yworks.com/xml/graphml" `,
		`xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://www.yworks.com/xml/schema/graphml/1.1/ygraphml.xsd">`, "\n",
		`  <key id="n_label" for="node" attr.name="label" attr.type="string"/>`, "\n")
	for _, c := range nodeColumns {
		e.s(`  <key id="n_`, c.Key, `" for="node" attr.name="`, c.Key, `" attr.type="`, graphmlTypes[c.Type], `"/>`, "\n")
	}
	e.s(`  <key id="n_color" for="node" attr.name="color" attr.type="string"/>`, "\n",
		`  <key id="n_graphics" for="node" yfiles.type="nodegraphics"/>`, "\n",
		`  <key id="e_label" for="edge" attr.name="label" attr.type="string"/>`, "\n")
	for _, c := range edgeColumns {
		if c.Key == "label" {
			continue
		}
		e.s(`  <key id="e_`, c.Key, `" for="edge" attr.name="`, c.Key, `" attr.type="`, graphmlTypes[c.Type], `"/>`, "\n")
	}
	e.s(`  <key id="e_graphics" for="edge" yfiles.type="edgegraphics"/>`, "\n",
		`  <graph id="chainkg" edgedefault="directed">`, "\n",
		`    <desc>`, xmlEsc(s.Title+"："+s.Subtitle), "</desc>\n")
	for i := range s.Nodes {
		n := &s.Nodes[i]
		e.s(`    <node id="`, xmlEsc(n.ID), `">`, "\n", `      <data key="n_label">`, xmlEsc(n.Label), "</data>\n")
		for _, c := range nodeColumns {
			if v, ok := c.get(n); ok {
				e.s(`      <data key="n_`, c.Key, `">`, xmlEsc(v), "</data>\n")
			}
		}
		width, height, shape, fontSize, inside := yedBox(n)
		e.s(`      <data key="n_color">`, n.Color.Hex(), "</data>\n",
			`      <data key="n_graphics">`, "\n",
			"        <y:ShapeNode>\n",
			`          <y:Geometry x="`, formatFloat(n.X-width/2), `" y="`, formatFloat(n.Y-height/2), `" width="`, formatFloat(width), `" height="`, formatFloat(height), `"/>`, "\n",
			`          <y:Fill color="`, n.Color.Hex(), `" transparent="false"/>`, "\n",
			`          <y:BorderStyle color="#FFFFFF" type="line" width="1.0"/>`, "\n")
		if inside {
			e.s(`          <y:NodeLabel alignment="center" fontFamily="Noto Sans CJK SC" fontSize="`, fontSize, `" fontStyle="bold" textColor="#FFFFFF" modelName="internal" modelPosition="c">`)
		} else {
			e.s(`          <y:NodeLabel alignment="center" fontFamily="Noto Sans CJK SC" fontSize="`, fontSize, `" fontStyle="plain" textColor="#333333" modelName="sandwich" modelPosition="s">`)
		}
		e.s(xmlEsc(n.Label), "</y:NodeLabel>\n",
			`          <y:Shape type="`, shape, `"/>`, "\n",
			"        </y:ShapeNode>\n      </data>\n    </node>\n")
	}
	for i := range s.Edges {
		ed := &s.Edges[i]
		e.s(`    <edge id="`, xmlEsc(ed.ID), `" source="`, xmlEsc(ed.From), `" target="`, xmlEsc(ed.To), `">`, "\n",
			`      <data key="e_label">`, xmlEsc(ed.Label()), "</data>\n")
		for _, c := range edgeColumns {
			if c.Key == "label" {
				continue
			}
			if v, ok := c.get(ed); ok {
				e.s(`      <data key="e_`, c.Key, `">`, xmlEsc(v), "</data>\n")
			}
		}
		color, style := edgeStyle(ed.Kind)
		e.s(`      <data key="e_graphics">`, "\n", "        <y:PolyLineEdge>\n",
			`          <y:LineStyle color="`, color, `" type="`, style, `" width="1.0"/>`, "\n",
			`          <y:Arrows source="none" target="standard"/>`, "\n",
			"        </y:PolyLineEdge>\n      </data>\n    </edge>\n")
	}
	e.s("  </graph>\n</graphml>\n")
	return e.flush()
}

// yedBox sizes a node for yEd: chain nodes are labelled boxes wide enough
// for their name; firms are small shapes labelled underneath.
func yedBox(n *Node) (w, h float64, shape, fontSize string, inside bool) {
	switch n.Kind {
	case KindChainNode, KindChain:
		return math.Max(80, 15*float64(utf8.RuneCountInString(n.Label))+24), 32, "roundrectangle", "13", true
	case KindTarget:
		return n.Size * 2, n.Size * 2, "diamond", "11", false
	case KindPark:
		return n.Size * 2, n.Size * 2, "triangle", "11", false
	default:
		return n.Size * 2, n.Size * 2, "ellipse", "11", false
	}
}

// edgeStyle gives each edge kind a colour and dash that read apart in print.
func edgeStyle(k EdgeKind) (color, style string) {
	switch k {
	case EdgeSupplies:
		return "#3B4A5A", "line"
	case EdgeContains:
		return "#B0B8C1", "dashed"
	case EdgeFillsGap:
		return "#0E9AA7", "dashed"
	default:
		return "#9AA5B1", "line"
	}
}
