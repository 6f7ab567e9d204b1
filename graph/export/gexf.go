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

// gexfVersion is what differs between the GEXF files chainkg writes: the
// root element and the prefix of the visual elements.
type gexfVersion struct {
	root string // the <gexf …> start tag
	viz  string // "viz:" when the visual elements have their own namespace
	kind bool   // write edge kinds (GEXF 1.3)
}

var (
	// gexf12 is GEXF 1.2draft with the visual elements in its viz
	// namespace: the one file that Gephi, Gephi Lite (graphology-gexf) and
	// networkx 2.x (Debian 12's 2.8.8 knows 1.1draft and 1.2draft only) and
	// 3.x all read with colours, sizes and positions.
	gexf12 = gexfVersion{
		root: `<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">`,
		viz:  "viz:",
	}
	// gexf13 is GEXF 1.3 as ../shared/schemas/gexf-1.3 declares it, visual
	// elements in the GEXF namespace and edge kinds: for Gephi 0.10 and
	// schema-checking tools. networkx 3.x reads its graph but looks for
	// colours in a viz namespace, so it drops them; networkx 2.x cannot read
	// it at all.
	gexf13 = gexfVersion{
		root: `<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">`,
		kind: true,
	}
)

func writeGEXF(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	return writeGEXFVersion(w, s, gexf12)
}

func writeGEXF13(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	return writeGEXFVersion(w, s, gexf13)
}

// writeGEXFVersion writes GEXF: every attribute declared with its type
// and titled by its key (the name every other format uses; networkx and
// Gephi key columns by the title), colours, sizes, positions and shapes.
// Y points up in Gephi, so positions are mirrored to keep the picture's
// orientation.
func writeGEXFVersion(w io.Writer, s *Scope, v gexfVersion) error {
	e := &errWriter{w: bufio.NewWriter(w)}
	viz := v.viz
	e.s(`<?xml version="1.0" encoding="UTF-8"?>`, "\n", v.root, "\n",
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
			`        <`, viz, `color r="`, strconv.Itoa(int(n.Color.R)), `" g="`, strconv.Itoa(int(n.Color.G)), `" b="`, strconv.Itoa(int(n.Color.B)), `"/>`, "\n",
			`        <`, viz, `position x="`, formatFloat(n.X), `" y="`, formatFloat(-n.Y), `" z="0"/>`, "\n",
			`        <`, viz, `size value="`, formatFloat(n.Size), `"/>`, "\n")
		shape := gexfShapes[n.Kind]
		if shape == "" {
			shape = "disc"
		}
		e.s(`        <`, viz, `shape value="`, shape, `"/>`, "\n", "      </node>\n")
	}
	e.s("    </nodes>\n", `    <edges count="`, strconv.Itoa(len(s.Edges)), `">`, "\n")
	for i := range s.Edges {
		ed := &s.Edges[i]
		e.s(`      <edge id="`, xmlEsc(ed.ID), `" source="`, xmlEsc(ed.From), `" target="`, xmlEsc(ed.To),
			`" label="`, xmlEsc(ed.Label()))
		if v.kind {
			e.s(`" kind="`, string(ed.Kind))
		}
		e.s(`" weight="`, formatFloat(ed.Attrs.Weight), `">`, "\n", "        <attvalues>\n")
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
