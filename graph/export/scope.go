package export

import (
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// ScopeKind is what part of the graph a Scope holds.
type ScopeKind string

// Scope kinds.
const (
	ScopeChainMap ScopeKind = "chainmap" // a region × chain: nodes with levels, local firms, gaps, targets
	ScopeChain    ScopeKind = "chain"    // a chain template: nodes, tree and supply edges
	ScopeFirm     ScopeKind = "firm"     // a firm's neighbourhood: its nodes, their neighbours, local partners
	ScopeGraph    ScopeKind = "graph"    // the whole graph: chains, nodes, firms, parks, regions
)

// NodeKind is what a node of an export stands for.
type NodeKind string

// Node kinds.
const (
	KindChainNode NodeKind = "chain_node" // a link (环节) of a chain
	KindFirm      NodeKind = "firm"       // a firm: local, or any firm in a neighbourhood or the whole graph
	KindTarget    NodeKind = "target"     // a firm outside the region that would fill a gap (招商目标)
	KindChain     NodeKind = "chain"      // a chain (whole graph only)
	KindPark      NodeKind = "park"
	KindRegion    NodeKind = "region"
)

// EdgeKind is what an edge of an export says.
type EdgeKind string

// Edge kinds, each with the Chinese label exports show.
const (
	EdgeContains  EdgeKind = "contains"   // parent → child: chain → node, node → sub-node, region → sub-region
	EdgeSupplies  EdgeKind = "supplies"   // node → node it supplies (上游 → 下游)
	EdgeInNode    EdgeKind = "in_node"    // firm → a node it is classified into
	EdgeFillsGap  EdgeKind = "fills_gap"  // target → a gap node of the region it would fill
	EdgeInRegion  EdgeKind = "in_region"  // firm or park → its region
	EdgeInPark    EdgeKind = "in_park"    // firm → the park it is located in
	EdgeParkChain EdgeKind = "park_chain" // park → a chain it focuses on
)

// edgeLabels are the Chinese labels of edge kinds.
var edgeLabels = map[EdgeKind]string{
	EdgeContains: "包含", EdgeSupplies: "供应", EdgeInNode: "属于环节", EdgeFillsGap: "可补链",
	EdgeInRegion: "位于", EdgeInPark: "入驻园区", EdgeParkChain: "主导产业",
}

// Opt is an optional attribute value: absent attributes are left out of an
// export rather than written as a misleading zero.
type Opt[T any] struct {
	V  T
	OK bool
}

func some[T any](v T) Opt[T] { return Opt[T]{V: v, OK: true} }

// Color is an RGB colour.
type Color struct{ R, G, B uint8 }

// Hex returns the colour as #rrggbb.
func (c Color) Hex() string {
	const digits = "0123456789abcdef"
	b := []byte{'#', 0, 0, 0, 0, 0, 0}
	for i, v := range []uint8{c.R, c.G, c.B} {
		b[1+2*i], b[2+2*i] = digits[v>>4], digits[v&15]
	}
	return string(b)
}

// Group is a set of nodes drawn together: a segment of a chain (上游 …).
// Cytoscape draws it as a compound parent, G6 as a combo, DOT as a cluster.
type Group struct {
	ID     string // "seg:nev/up"
	Label  string // 上游
	Chain  string // the chain the segment belongs to
	Parent string // the group it sits in, "" for none
}

// Node is a node of an export, with the attributes users filter on.
type Node struct {
	ID    string // stable and prefixed by kind: "node:nev/cell", "firm:9137…", "park:yt-etdz"
	Label string
	Kind  NodeKind
	Group string // a Group.ID, or ""
	X, Y  float64
	Size  float64
	Color Color
	Attrs NodeAttrs
}

// NodeAttrs are a node's attributes. Strings are absent when empty.
type NodeAttrs struct {
	Level         string // 空白, 薄弱, 潜力, 优势 (chain nodes of a region × chain)
	Segment       string // the segment id: up, mid, down …
	SegmentName   string // 上游 …
	Chain         string // chain id
	ChainNode     string // node id: the node itself, or a firm's first node in the scope
	Depth         Opt[int]
	Region        string // region code
	RegionName    string
	LocalFirms    Opt[int] // active firms of the node in the region
	NationalFirms Opt[int]
	Score         Opt[float64] // level score, anchor score or target score, 0–100
	Severity      Opt[float64] // gap severity, 0–100
	Gap           Opt[bool]
	Anchor        Opt[bool] // a local firm that passes the 链主 gate
	Capital       Opt[float64]
	Revenue       Opt[float64]
	Tags          string // quality tags, "; "-separated
	Stocks        string // stock codes, "; "-separated: 000338.SZ
	Status        string
	Confidence    Opt[float64] // a firm's best link confidence among the scope's nodes
	Method        string       // how that link was made
	DataSource    string       // the sources asserting the node, "; "-separated
	Reason        string       // why a gap is a gap, or why a target is one
	Park          string       // recommended park (targets) or the firm's park
}

// Edge is an edge of an export.
type Edge struct {
	ID    string
	From  string // a Node.ID
	To    string
	Kind  EdgeKind
	Attrs EdgeAttrs
}

// EdgeAttrs are an edge's attributes.
type EdgeAttrs struct {
	Weight     float64 // 1 unless the edge carries a score
	Level      string  // the level of its chain-node end in the region
	Segment    string  // the segment of its chain-node end
	ChainNode  string  // its chain-node end
	Confidence Opt[float64]
	Method     string
	DataSource string
}

// Label returns the edge's Chinese label.
func (e *Edge) Label() string { return edgeLabels[e.Kind] }

// Scope is a part of the graph ready to encode: nodes, edges and groups with
// positions and colours, plus the analytics answers the spreadsheet lists
// and the subjects whose quads the RDF formats write.
type Scope struct {
	Kind     ScopeKind
	Title    string // 烟台市 · 新能源汽车产业链图谱
	Subtitle string
	ColorBy  ColorBy
	Groups   []Group
	Nodes    []Node
	Edges    []Edge

	// Analytics answers of a region × chain (nil for other scopes).
	Map     *readmodel.ChainMap
	Gaps    *readmodel.GapList
	Anchors *readmodel.AnchorList
	Targets *readmodel.TargetList

	// SourceTitles names the sources by id, for the spreadsheet.
	SourceTitles map[string]string

	// Subjects are the entities whose quads nquads and jsonld write; nil
	// means the whole store.
	Subjects *store.Subjects
}

// Counts returns the numbers of nodes and edges.
func (s *Scope) Counts() (nodes, edges int) { return len(s.Nodes), len(s.Edges) }
