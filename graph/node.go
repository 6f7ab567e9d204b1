package graph

import "github.com/cayleygraph/quad"

// This file is the chain node's codec: its type, its encoding to quads, and
// its decoding with the rules that merge what several sources say of it.

// ChainNode is a link (环节) of a chain. Leaves carry the codes, keywords and
// exclusion words that classify firms into them.
type ChainNode struct {
	ID          NodeID
	Name        string   // 动力电池
	Aliases     []string // 锂电池 …
	Parent      NodeID   // empty for a top-level node
	Segment     string   // a Segment.ID of the chain
	Order       int      // position among siblings
	Codes       []IndustryCode
	Keywords    []string
	Excludes    []string
	Products    []string
	SuppliesTo  []NodeID
	Weight      float64 // weight in the chain's completeness; 0 means 1
	Description string
}

// nodeCodec is the node's table, in the order quads are written. The chain
// is written for readers of the store; the node's id gives it.
var nodeCodec = newCodec(ClassChainNode, func(n *ChainNode) quad.IRI { return n.ID.IRI() },
	derivedRow(PredChain, func(n *ChainNode) []quad.Value { return []quad.Value{n.ID.Chain().IRI()} }),
	textRow(PredName, mergeFirst, false, func(n *ChainNode) *string { return &n.Name }),
	textsRow(PredAlias, false, func(n *ChainNode) *[]string { return &n.Aliases }),
	refRow(PredParent, mergeFirst, func(n *ChainNode) *NodeID { return &n.Parent }, NodeOf),
	textRow(PredSegment, mergeFirst, true, func(n *ChainNode) *string { return &n.Segment }),
	intRow(PredOrder, mergeFirst, func(n *ChainNode) *int { return &n.Order }),
	refsRow(PredIndustryCode, func(n *ChainNode) *[]IndustryCode { return &n.Codes }, CodeOf),
	textsRow(PredKeyword, false, func(n *ChainNode) *[]string { return &n.Keywords }),
	textsRow(PredExclude, false, func(n *ChainNode) *[]string { return &n.Excludes }),
	textsRow(PredProduct, false, func(n *ChainNode) *[]string { return &n.Products }),
	refsRow(PredSuppliesTo, func(n *ChainNode) *[]NodeID { return &n.SuppliesTo }, NodeOf),
	floatRow(PredWeight, mergeFirst, func(n *ChainNode) *float64 { return &n.Weight }),
	textRow(PredDescription, mergeFirst, false, func(n *ChainNode) *string { return &n.Description }),
)

func (n ChainNode) encode(e *encoder) { nodeCodec.encode(e, &n) }

// NewNodeMerge starts the merge of the quads of node id.
func NewNodeMerge(id NodeID) *Merge[ChainNode] { return newMerge(nodeCodec, ChainNode{ID: id}) }
