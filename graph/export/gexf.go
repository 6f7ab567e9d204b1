package export

import (
	"bufio"
	"context"
	"io"
	"strconv"
)

// gexfTypes maps attribute types to GEXF's.
var gexfTypes = map[attrType]string{typeString: "string", typeInt: "integer", typeDouble: "double", typeBool: "boolean"}

// gexfShapes draws chain nodes as squares, firms as discs and targets as diamonds.
var gexfShapes = map[NodeKind]string{KindChainNode: "square", KindTarget: "diamond", KindChain: "square", KindPark: "triangle"}

// writeGEXF writes GEXF 1.3 as ../shared/schemas/gexf-1.3 declares it: the
// visual elements (color, position, size, shape) in the GEXF namespace,
// every attribute declared with its type and titled by its key (the name
// every other format uses; networkx and Gephi key columns by the title),
// and edge kinds so parallel edges of different kinds stay apart. Y points
// up in Gephi, so positions are mirrored to keep the picture's orientation.
func writeGEXF(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	e := &errWriter{w: bufio.NewWriter(w)}
	e.s(`<?xml version="1.0" encoding="UTF-8"?>`, "\n",
		`<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">`, "\n",
		"  <meta>\n    <creator>chainkg</creator>\n",
		"    <description>", xmlEsc(s.Title+"："+s.Subtitle), "</description>\n  </meta>\n",
		`  <graph defaultedgetype="directed" mode="static">`, "\n",
		`    <attributes class="node" mode="static">`, "\n")
	for _, c := range nodeColumns {
		e.s(`      <attribute id="`, c.Key, `" title="`, c.Key, `" type="`, gexfTypes[c.Type], `"/>`, "\n")
	}
	e.s("    </attributes>\n", `    <attributes class="edge" mode="static">`, "\n")
	for _, c := range edgeColumns {
		e.s(`      <attribute id="`, c.Key, `" title="`, c.Key, `" type="`, gexfTypes[c.Type], `"/>`, "\n")
	}
	e.s("    </attributes>\n", `    <nodes count="`, strconv.Itoa(len(s.Nodes)), `">`, "\n")
	for i := range s.Nodes {
		n := &s.Nodes[i]
		e.s(`      <node id="`, xmlEsc(n.ID), `" label="`, xmlEsc(n.Label), `">`, "\n", "        <attvalues>\n")
		for _, c := range nodeColumns {
			if v, ok := c.get(n); ok {
				e.s(`          <attvalue for="`, c.Key, `" value="`, xmlEsc(v), `"/>`, "\n")
			}
		}
		e.s("        </attvalues>\n",
			`        <color r="`, strconv.Itoa(int(n.Color.R)), `" g="`, strconv.Itoa(int(n.Color.G)), `" b="`, strconv.Itoa(int(n.Color.B)), `"/>`, "\n",
			`        <position x="`, formatFloat(n.X), `" y="`, formatFloat(-n.Y), `" z="0"/>`, "\n",
			`        <size value="`, formatFloat(n.Size), `"/>`, "\n")
		shape := gexfShapes[n.Kind]
		if shape == "" {
			shape = "disc"
		}
		e.s(`        <shape value="`, shape, `"/>`, "\n", "      </node>\n")
	}
	e.s("    </nodes>\n", `    <edges count="`, strconv.Itoa(len(s.Edges)), `">`, "\n")
	for i := range s.Edges {
		ed := &s.Edges[i]
		e.s(`      <edge id="`, xmlEsc(ed.ID), `" source="`, xmlEsc(ed.From), `" target="`, xmlEsc(ed.To),
			`" label="`, xmlEsc(ed.Label()), `" kind="`, string(ed.Kind), `" weight="`, formatFloat(ed.Attrs.Weight), `">`, "\n",
			"        <attvalues>\n")
		for _, c := range edgeColumns {
			if v, ok := c.get(ed); ok {
				e.s(`          <attvalue for="`, c.Key, `" value="`, xmlEsc(v), `"/>`, "\n")
			}
		}
		e.s("        </attvalues>\n      </edge>\n")
	}
	e.s("    </edges>\n  </graph>\n</gexf>\n")
	return e.flush()
}
