package export

import (
	"bufio"
	"context"
	"io"
	"slices"
)

// writeCytoscapeStyle writes a Cytoscape desktop style file (File → Import
// → Styles from File; the vizmap XML Cytoscape 3 writes) named "chainkg",
// which draws a scope's cyjs or GraphML import as the Cytoscape.js
// stylesheet does: fill colour, size and label passed through from the
// node columns color, size and label; shapes by kind; 空白 outlined; edge
// colours, line types and arrows by kind. It is the same for every scope:
// it maps columns, not values.
func writeCytoscapeStyle(_ context.Context, w io.Writer, _ *Scope, _ Quads) error {
	e := &errWriter{w: bufio.NewWriter(w)}
	prop := func(name, def string, mapping ...string) {
		if len(mapping) == 0 {
			e.s(`      <visualProperty name="`, name, `" default="`, xmlEsc(def), `"/>`, "\n")
			return
		}
		e.s(`      <visualProperty name="`, name, `" default="`, xmlEsc(def), `">`, "\n")
		for _, m := range mapping {
			e.s("        ", m, "\n")
		}
		e.s("      </visualProperty>\n")
	}
	pass := func(col, typ string) string {
		return `<passthroughMapping attributeName="` + col + `" attributeType="` + typ + `"/>`
	}
	discrete := func(col string, entries ...[2]string) string {
		s := `<discreteMapping attributeName="` + col + `" attributeType="string">`
		for _, en := range entries {
			s += `<discreteMappingEntry attributeValue="` + xmlEsc(en[0]) + `" value="` + xmlEsc(en[1]) + `"/>`
		}
		return s + `</discreteMapping>`
	}
	e.s(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, "\n",
		`<vizmap id="VizMap-chainkg" documentVersion="3.1">`, "\n",
		`  <visualStyle name="chainkg">`, "\n",
		"    <network>\n")
	prop("NETWORK_BACKGROUND_PAINT", "#FFFFFF")
	e.s("    </network>\n    <node>\n",
		`      <dependency name="nodeSizeLocked" value="true"/>`, "\n",
		`      <dependency name="nodeCustomGraphicsSizeSync" value="true"/>`, "\n")
	prop("NODE_FILL_COLOR", noLevelColor.Hex(), pass("color", "string"))
	prop("NODE_SIZE", "12", pass("size", "float"))
	prop("NODE_LABEL", "", pass("label", "string"))
	prop("NODE_LABEL_FONT_FACE", "Noto Sans CJK SC,plain,11")
	prop("NODE_LABEL_FONT_SIZE", "11")
	prop("NODE_LABEL_COLOR", "#1F2D3D")
	prop("NODE_LABEL_POSITION", "S,N,c,0.00,3.00")
	prop("NODE_SHAPE", "ELLIPSE", discrete("kind",
		[2]string{"chain_node", "ROUND_RECTANGLE"}, [2]string{"chain", "ROUND_RECTANGLE"}, [2]string{"target", "DIAMOND"}, [2]string{"park", "TRIANGLE"}))
	prop("NODE_BORDER_WIDTH", "0", discrete("level", [2]string{"空白", "2.0"}))
	prop("NODE_BORDER_PAINT", "#8B1E1B")
	e.s("    </node>\n    <edge>\n")
	var colours, lines, arrows [][2]string
	kinds := []EdgeKind{EdgeContains, EdgeSupplies, EdgeInNode, EdgeFillsGap, EdgeInRegion, EdgeInPark, EdgeParkChain}
	for _, k := range kinds {
		c, style := edgeStyle(k)
		colours = append(colours, [2]string{string(k), c})
		if style == "dashed" {
			lines = append(lines, [2]string{string(k), "EQUAL_DASH"})
		}
		if slices.Contains([]EdgeKind{EdgeContains, EdgeInNode, EdgeInRegion, EdgeInPark}, k) {
			arrows = append(arrows, [2]string{string(k), "NONE"})
		}
	}
	prop("EDGE_STROKE_UNSELECTED_PAINT", "#9AA5B1", discrete("kind", colours...))
	prop("EDGE_TARGET_ARROW_UNSELECTED_PAINT", "#9AA5B1", discrete("kind", colours...))
	prop("EDGE_LINE_TYPE", "SOLID", discrete("kind", lines...))
	prop("EDGE_TARGET_ARROW_SHAPE", "DELTA", discrete("kind", arrows...))
	prop("EDGE_WIDTH", "1.0")
	prop("EDGE_TRANSPARENCY", "200")
	prop("EDGE_LABEL", "", pass("label", "string"))
	prop("EDGE_LABEL_FONT_SIZE", "9")
	e.s("    </edge>\n  </visualStyle>\n</vizmap>\n")
	return e.flush()
}
