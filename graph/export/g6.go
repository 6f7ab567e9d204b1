package export

import (
	"context"
	"io"

	gojson "github.com/goccy/go-json"
)

type g6Data struct {
	Nodes  []g6Node  `json:"nodes"`
	Edges  []g6Edge  `json:"edges"`
	Combos []g6Combo `json:"combos"`
}

type g6Node struct {
	ID    string         `json:"id"`
	Type  string         `json:"type"`
	Combo string         `json:"combo,omitempty"`
	Data  map[string]any `json:"data"`
	Style g6NodeStyle    `json:"style"`
}

type g6NodeStyle struct {
	X               float64 `json:"x"`
	Y               float64 `json:"y"`
	Size            any     `json:"size"`
	Fill            string  `json:"fill"`
	Stroke          string  `json:"stroke,omitempty"`
	LineWidth       float64 `json:"lineWidth,omitempty"`
	LabelText       string  `json:"labelText"`
	LabelPlacement  string  `json:"labelPlacement"`
	LabelFill       string  `json:"labelFill,omitempty"`
	LabelFontSize   float64 `json:"labelFontSize"`
	LabelFontFamily string  `json:"labelFontFamily"`
}

type g6Edge struct {
	ID     string         `json:"id"`
	Source string         `json:"source"`
	Target string         `json:"target"`
	Data   map[string]any `json:"data"`
	Style  g6EdgeStyle    `json:"style"`
}

type g6EdgeStyle struct {
	EndArrow bool    `json:"endArrow"`
	Stroke   string  `json:"stroke"`
	LineDash []int   `json:"lineDash,omitempty"`
	Opacity  float64 `json:"opacity"`
}

type g6Combo struct {
	ID    string         `json:"id"`
	Type  string         `json:"type"`
	Combo string         `json:"combo,omitempty"`
	Data  map[string]any `json:"data"`
	Style g6ComboStyle   `json:"style"`
}

// g6ComboStyle draws a segment as a box labelled at its top, behind its nodes.
type g6ComboStyle struct {
	LabelText       string  `json:"labelText"`
	LabelPlacement  string  `json:"labelPlacement"`
	LabelFontSize   float64 `json:"labelFontSize"`
	LabelFontFamily string  `json:"labelFontFamily"`
	Fill            string  `json:"fill"`
	FillOpacity     float64 `json:"fillOpacity"`
	Stroke          string  `json:"stroke"`
	Padding         float64 `json:"padding"`
	Radius          float64 `json:"radius"`
}

const g6Font = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"

// writeG6 writes AntV G6 v5 graph data: nodes, edges and combos (one per
// segment), position and look under style, and every attribute under
// data, where G6 v5 keeps custom fields.
func writeG6(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	d := g6Data{Nodes: make([]g6Node, 0, len(s.Nodes)), Edges: make([]g6Edge, 0, len(s.Edges)), Combos: make([]g6Combo, 0, len(s.Groups))}
	for _, g := range s.Groups {
		d.Combos = append(d.Combos, g6Combo{ID: g.ID, Type: "rect", Combo: g.Parent, Data: map[string]any{"label": g.Label, "chain": g.Chain, "kind": "segment"},
			Style: g6ComboStyle{LabelText: g.Label, LabelPlacement: "top", LabelFontSize: 14, LabelFontFamily: g6Font,
				Fill: "#f5f7fa", FillOpacity: 1, Stroke: "#d0d7de", Padding: 16, Radius: 8}})
	}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		data := nodeData(n)
		data["label"] = n.Label
		st := g6NodeStyle{X: n.X, Y: n.Y, Size: n.Size, Fill: n.Color.Hex(), LabelText: n.Label, LabelPlacement: "bottom",
			LabelFontSize: labelSize, LabelFontFamily: g6Font}
		typ := "circle"
		switch n.Kind {
		case KindChainNode, KindChain:
			typ = "rect"
			st.Size = []float64{nodeBoxWidth(n.Label), nodeBoxH}
			st.LabelPlacement, st.LabelFill, st.LabelFontSize = "center", "#ffffff", nodeLabel
		case KindTarget:
			typ = "diamond"
		}
		if n.Attrs.Level == "空白" {
			st.Stroke, st.LineWidth = "#8b1e1b", 2
		}
		d.Nodes = append(d.Nodes, g6Node{ID: n.ID, Type: typ, Combo: n.Group, Data: data, Style: st})
	}
	for i := range s.Edges {
		ed := &s.Edges[i]
		data := edgeData(ed)
		color, dash := edgeStyle(ed.Kind)
		st := g6EdgeStyle{EndArrow: true, Stroke: color, Opacity: 0.8}
		if dash == "dashed" {
			st.LineDash = []int{4, 4}
		}
		d.Edges = append(d.Edges, g6Edge{ID: ed.ID, Source: ed.From, Target: ed.To, Data: data, Style: st})
	}
	enc := gojson.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(d)
}
