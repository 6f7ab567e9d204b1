package export

import (
	"math"
)

// The words an export writes where a filter attribute has no value, so a
// filter on it keeps the row and says why instead of dropping it.
const (
	// Unsegmented (未细分) is the segment and chain node of what is not
	// placed in a node of the scope: a firm linked to no node of it, a park,
	// a region.
	Unsegmented = "未细分"
	// Unknown is the level, method or source nobody recorded.
	Unknown = "unknown"
)

// unknownConfidence is a confidence nobody recorded: NaN in XML and CSV
// (a double every reader parses), null in JSON, 未知 in a spreadsheet.
var unknownConfidence = Opt[float64]{V: math.NaN(), OK: true}

// declaredMethods are the methods of facts a source states outright (the
// chain library, a reference table, a registry's own column): their
// confidence is 1, not an estimate.
var declaredMethods = map[string]bool{"library": true, "declared": true, "inherited": true, "reference": true, "registry": true}

// complete gives every node and edge the attributes users filter on —
// level, segment, chain node, confidence, method and source — writing
// Unsegmented, Unknown or an unknown confidence where the graph has none.
// An edge takes level, segment and chain node from its chain-node end (the
// target first), else from its source node.
func complete(s *Scope) {
	for i := range s.Nodes {
		completeNode(&s.Nodes[i])
	}
	// A firm's level is its node's level in the region.
	levelOf := map[string]string{}
	at := map[string]*Node{}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		at[n.ID] = n
		if n.Kind == KindChainNode && n.Attrs.Level != "" {
			levelOf[n.Attrs.ChainNode] = n.Attrs.Level
		}
	}
	for i := range s.Nodes {
		a := &s.Nodes[i].Attrs
		if a.Level == "" {
			a.Level = levelOf[a.ChainNode]
		}
		if a.Level == "" {
			a.Level = Unknown
		}
	}
	for i := range s.Edges {
		completeEdge(&s.Edges[i], at)
	}
}

// completeNode fills a node's method, confidence, source, chain node and
// segment; its level waits for every node's chain node.
func completeNode(n *Node) {
	a := &n.Attrs
	switch n.Kind {
	case KindChainNode, KindChain:
		if a.Method == "" {
			a.Method = "library"
		}
	case KindPark, KindRegion:
		if a.Method == "" {
			a.Method = "reference"
		}
	}
	completeProvenance(&a.Confidence, &a.Method, &a.DataSource)
	if a.ChainNode == "" {
		a.ChainNode = Unsegmented
	}
	if a.Segment == "" {
		a.Segment, a.SegmentName = Unsegmented, Unsegmented
	}
	if a.SegmentName == "" {
		a.SegmentName = a.Segment
	}
}

// completeEdge fills an edge's attributes, taking level, segment and chain
// node from its end nodes, found in at by ID.
func completeEdge(e *Edge, at map[string]*Node) {
	a := &e.Attrs
	from, to := at[e.From], at[e.To]
	end := from
	if to != nil && to.Kind == KindChainNode {
		end = to
	} else if from == nil || from.Kind != KindChainNode && to != nil && from.Attrs.ChainNode == Unsegmented {
		end = to
	}
	if end != nil {
		a.Level, a.Segment, a.ChainNode = end.Attrs.Level, end.Attrs.Segment, end.Attrs.ChainNode
	}
	if a.Level == "" {
		a.Level = Unknown
	}
	if a.Segment == "" {
		a.Segment = Unsegmented
	}
	if a.ChainNode == "" {
		a.ChainNode = Unsegmented
	}
	completeProvenance(&a.Confidence, &a.Method, &a.DataSource)
}

// completeProvenance fills an unrecorded confidence (1 for a declared
// method, else unknown), method and source.
func completeProvenance(confidence *Opt[float64], method, source *string) {
	if !confidence.OK {
		*confidence = unknownConfidence
		if declaredMethods[*method] {
			*confidence = some(1.0)
		}
	}
	if *method == "" {
		*method = Unknown
	}
	if *source == "" {
		*source = Unknown
	}
}
