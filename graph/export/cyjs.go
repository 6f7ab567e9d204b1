package export

import (
	"context"
	"io"

	gojson "github.com/goccy/go-json"
)

// cyElement is a Cytoscape.js element: its data (id, name, parent or
// source/target, attributes), its position, and the classes styles select.
type cyElement struct {
	Data     map[string]any `json:"data"`
	Position *cyPosition    `json:"position,omitempty"`
	Classes  string         `json:"classes,omitempty"`
}

type cyPosition struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

type cyDoc struct {
	FormatVersion string `json:"format_version"`
	GeneratedBy   string `json:"generated_by"`
	TargetVersion string `json:"target_cytoscapejs_version"`
	Data          struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		// Nodes and Edges are the graph's counts; Segments the compound
		// boxes drawn around segments, which are elements of kind
		// "segment" and not nodes of the graph.
		Nodes    int `json:"nodes"`
		Edges    int `json:"edges"`
		Segments int `json:"segments"`
	} `json:"data"`
	Elements struct {
		Nodes []cyElement `json:"nodes"`
		Edges []cyElement `json:"edges"`
	} `json:"elements"`
	Style  []cyStyle      `json:"style"`
	Layout map[string]any `json:"layout"`
}

// cyStyle is one rule of a Cytoscape.js stylesheet.
type cyStyle struct {
	Selector string         `json:"selector"`
	Style    map[string]any `json:"style"`
}

// cyStylesheet draws the export as it is meant to be seen: labels in a CJK
// font, each node in its colour and size, chain nodes as boxes as wide as
// their names, targets as diamonds, 空白 outlined in red, segment boxes
// behind their nodes, arrows on edges coloured by kind.
func cyStylesheet() []cyStyle {
	font := "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
	rules := []cyStyle{
		{"node", map[string]any{"label": "data(label)", "font-family": font, "font-size": labelSize, "color": "#1f2d3d", "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 6}},
		// Mappings only where the data are, so segment boxes draw no warning.
		{"node[color]", map[string]any{"background-color": "data(color)"}},
		{"node[size]", map[string]any{"width": "data(size)", "height": "data(size)"}},
		{"node.chain_node, node.chain", map[string]any{"shape": "round-rectangle", "width": "data(box_width)", "height": nodeBoxH,
			"text-valign": "center", "color": "#ffffff", "font-size": nodeLabel, "text-margin-y": 0}},
		{"node.target", map[string]any{"shape": "diamond"}},
		{"node.park", map[string]any{"shape": "triangle"}},
		{`node[level = "空白"]`, map[string]any{"border-width": 2, "border-color": "#8b1e1b"}},
		{"node[?anchor]", map[string]any{"border-width": 2, "border-color": "#3d2470"}},
		{"node.segment", map[string]any{"shape": "round-rectangle", "background-color": "#f5f7fa", "background-opacity": 1, "border-width": 1,
			"border-color": "#d0d7de", "label": "data(label)", "text-valign": "top", "text-halign": "center", "font-size": 14, "color": "#5b6b7f",
			"padding": 16}},
		{"edge", map[string]any{"curve-style": "bezier", "width": 1, "line-color": "data(color)", "target-arrow-color": "data(color)",
			"target-arrow-shape": "triangle", "arrow-scale": 0.7, "opacity": 0.8}},
		{"edge.contains, edge.fills_gap", map[string]any{"line-style": "dashed"}},
		{"edge.contains, edge.in_node, edge.in_region, edge.in_park", map[string]any{"target-arrow-shape": "none"}},
		{"edge.supplies, edge.fills_gap", map[string]any{"label": "data(label)", "font-size": 9, "font-family": font, "color": "data(color)",
			"text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 0.8}},
	}
	return rules
}

// writeCyJS writes Cytoscape.js JSON (which Cytoscape desktop also imports):
// segments become compound parent nodes (classes "segment"), every other
// node carries its parent, position, colour and attributes. The JSON
// attribute map is the element's data object, whose keys Cytoscape defines
// as open.
func writeCyJS(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	var d cyDoc
	d.FormatVersion, d.GeneratedBy, d.TargetVersion = "1.0", "chainkg", "~3.30"
	d.Data.Name, d.Data.Description = s.Title, s.Subtitle
	d.Data.Nodes, d.Data.Edges, d.Data.Segments = len(s.Nodes), len(s.Edges), len(s.Groups)
	d.Style, d.Layout = cyStylesheet(), map[string]any{"name": "preset"}
	d.Elements.Nodes = make([]cyElement, 0, len(s.Groups)+len(s.Nodes))
	d.Elements.Edges = make([]cyElement, 0, len(s.Edges))
	for _, g := range s.Groups {
		data := map[string]any{"id": g.ID, "name": g.Label, "label": g.Label, "kind": "segment"}
		if g.Parent != "" {
			data["parent"] = g.Parent
		}
		d.Elements.Nodes = append(d.Elements.Nodes, cyElement{Data: data, Classes: "segment"})
	}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		data := nodeData(n)
		data["id"], data["name"], data["label"] = n.ID, n.Label, n.Label
		data["color"], data["size"] = n.Color.Hex(), n.Size
		if n.Kind == KindChainNode || n.Kind == KindChain {
			data["box_width"] = nodeBoxWidth(n.Label)
		}
		if n.Group != "" {
			data["parent"] = n.Group
		}
		d.Elements.Nodes = append(d.Elements.Nodes, cyElement{Data: data, Position: &cyPosition{n.X, n.Y}, Classes: string(n.Kind)})
	}
	for i := range s.Edges {
		ed := &s.Edges[i]
		data := edgeData(ed)
		data["id"], data["source"], data["target"], data["interaction"] = ed.ID, ed.From, ed.To, string(ed.Kind)
		data["color"], _ = edgeStyle(ed.Kind)
		d.Elements.Edges = append(d.Elements.Edges, cyElement{Data: data, Classes: string(ed.Kind)})
	}
	enc := gojson.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(d)
}

// nodeData returns a node's declared attributes as JSON values of their
// types: the open attribute objects of Cytoscape, ECharts and G6 data.
func nodeData(n *Node) map[string]any {
	out := map[string]any{}
	for _, c := range nodeColumns {
		if v, ok := c.get(n); ok {
			out[c.Key] = jsonValue(c.Type, v)
		}
	}
	return out
}

func edgeData(e *Edge) map[string]any {
	out := map[string]any{}
	for _, c := range edgeColumns {
		if v, ok := c.get(e); ok {
			out[c.Key] = jsonValue(c.Type, v)
		}
	}
	return out
}

// jsonValue turns a column's text back into a JSON number or boolean.
func jsonValue(t attrType, v string) any {
	switch t {
	case typeInt, typeDouble:
		if v == "NaN" {
			return nil // unknown: JSON has no NaN
		}
		return gojson.Number(v)
	case typeBool:
		return v == "true"
	}
	return v
}
