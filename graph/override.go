package graph

// NodeOverride is a user's correction of a firm's classification: the firm
// is in the node (include) whatever the loaders inferred, or is not
// (exclude) whatever they inferred. Overrides are a source of their own
// (kind override), so they survive reloads of the registries they correct.
type NodeOverride struct {
	Firm    FirmID
	Node    NodeID
	Include bool
	Note    string // why, in the user's words
}

func (o NodeOverride) encode(e *encoder) {
	s := o.Firm.IRI()
	if o.Include {
		e.add(s, PredInNode, o.Node.IRI())
		e.add(s, PredNodeEvidence, nodeLinksValueOf([]NodeLink{{Node: o.Node, Method: "override", Confidence: 1, Matched: o.Note}}))
		return
	}
	e.add(s, PredNotInNode, o.Node.IRI())
	if o.Note != "" {
		e.add(s, PredExclusionNote, nodeLinksValueOf([]NodeLink{{Node: o.Node, Method: "override", Confidence: 1, Matched: o.Note}}))
	}
}
