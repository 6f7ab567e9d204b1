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
	} `json:"data"`
	Elements struct {
		Nodes []cyElement `json:"nodes"`
		Edges []cyElement `json:"edges"`
	} `json:"elements"`
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
		if n.Group != "" {
			data["parent"] = n.Group
		}
		d.Elements.Nodes = append(d.Elements.Nodes, cyElement{Data: data, Position: &cyPosition{n.X, n.Y}, Classes: string(n.Kind)})
	}
	for i := range s.Edges {
		ed := &s.Edges[i]
		data := edgeData(ed)
		data["id"], data["source"], data["target"], data["interaction"] = ed.ID, ed.From, ed.To, string(ed.Kind)
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
