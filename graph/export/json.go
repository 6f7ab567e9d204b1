package export

import (
	"context"
	"io"

	gojson "github.com/goccy/go-json"
)

// JSONScope is the scope as chainkg writes it in JSON: the shape the API
// answers for ?format=json, whose counts every other format matches.
type JSONScope struct {
	Kind     string      `json:"kind"`
	Title    string      `json:"title"`
	Subtitle string      `json:"subtitle"`
	ColorBy  string      `json:"color_by"`
	Counts   JSONCounts  `json:"counts"`
	Groups   []JSONGroup `json:"groups"`
	Nodes    []JSONNode  `json:"nodes"`
	Edges    []JSONEdge  `json:"edges"`
}

// JSONCounts are the numbers of nodes, edges and groups.
type JSONCounts struct {
	Nodes  int `json:"nodes"`
	Edges  int `json:"edges"`
	Groups int `json:"groups"`
}

// JSONGroup is a segment.
type JSONGroup struct {
	ID     string `json:"id"`
	Label  string `json:"label"`
	Chain  string `json:"chain"`
	Parent string `json:"parent,omitempty"`
}

// JSONNode is a node with its attributes keyed as every format keys them.
type JSONNode struct {
	ID    string         `json:"id"`
	Label string         `json:"label"`
	Kind  string         `json:"kind"`
	Group string         `json:"group,omitempty"`
	X     float64        `json:"x"`
	Y     float64        `json:"y"`
	Size  float64        `json:"size"`
	Color string         `json:"color"`
	Attrs map[string]any `json:"attrs"`
}

// JSONEdge is an edge with its attributes.
type JSONEdge struct {
	ID     string         `json:"id"`
	Source string         `json:"source"`
	Target string         `json:"target"`
	Kind   string         `json:"kind"`
	Label  string         `json:"label"`
	Attrs  map[string]any `json:"attrs"`
}

// ToJSON converts a scope to its JSON shape.
func ToJSON(s *Scope) JSONScope {
	out := JSONScope{Kind: string(s.Kind), Title: s.Title, Subtitle: s.Subtitle, ColorBy: string(s.ColorBy),
		Counts: JSONCounts{len(s.Nodes), len(s.Edges), len(s.Groups)},
		Groups: make([]JSONGroup, 0, len(s.Groups)), Nodes: make([]JSONNode, 0, len(s.Nodes)), Edges: make([]JSONEdge, 0, len(s.Edges))}
	for _, g := range s.Groups {
		out.Groups = append(out.Groups, JSONGroup{g.ID, g.Label, g.Chain, g.Parent})
	}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		out.Nodes = append(out.Nodes, JSONNode{n.ID, n.Label, string(n.Kind), n.Group, n.X, n.Y, n.Size, n.Color.Hex(), nodeData(n)})
	}
	for i := range s.Edges {
		e := &s.Edges[i]
		out.Edges = append(out.Edges, JSONEdge{e.ID, e.From, e.To, string(e.Kind), e.Label(), edgeData(e)})
	}
	return out
}

func writeJSON(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	enc := gojson.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(ToJSON(s))
}
