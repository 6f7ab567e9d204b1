package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// SegmentResponse is one segment of a chain (上游, 中游 … or a layer).
type SegmentResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ChainSummary is a chain as the chain list shows it.
type ChainSummary struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Aliases     []string          `json:"aliases,omitempty"`
	Type        string            `json:"type"`
	Segments    []SegmentResponse `json:"segments"`
	Nodes       int               `json:"nodes"`
	Leaves      int               `json:"leaves"`
	SupplyEdges int               `json:"supply_edges"`
	Source      string            `json:"source,omitempty"`
}

// ChainsResponse lists the chains of the library.
type ChainsResponse struct {
	Chains []ChainSummary `json:"chains"`
}

// CodeRef is a GB/T 4754 class named in another response.
type CodeRef struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
}

// NodeResponse is a node of a chain's tree with its children.
type NodeResponse struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Aliases     []string       `json:"aliases,omitempty"`
	Segment     string         `json:"segment"`
	Order       int            `json:"order"`
	Weight      float64        `json:"weight"`
	Leaf        bool           `json:"leaf"`
	Codes       []CodeRef      `json:"codes,omitempty"`
	Keywords    []string       `json:"keywords,omitempty"`
	Excludes    []string       `json:"excludes,omitempty"`
	Products    []string       `json:"products,omitempty"`
	SuppliesTo  []string       `json:"supplies_to,omitempty"`
	Description string         `json:"description,omitempty"`
	Children    []NodeResponse `json:"children,omitempty"`
}

// EdgeResponse is a supply edge: From supplies To. Cross is true when To is
// in another chain.
type EdgeResponse struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Cross bool   `json:"cross_chain,omitempty"`
}

// ChainResponse is one chain: its segments, its node tree, and its supply
// edges, outgoing and incoming from other chains.
type ChainResponse struct {
	ChainSummary
	Description string         `json:"description,omitempty"`
	Note        string         `json:"note,omitempty"`
	Tree        []NodeResponse `json:"tree"`
	Edges       []EdgeResponse `json:"edges"`
	// Incoming are the supply edges from nodes of other chains into this one.
	Incoming []EdgeResponse `json:"incoming"`
}

func (s *Server) listChains(c echo.Context) error {
	x := s.snapshot(c)
	out := ChainsResponse{Chains: []ChainSummary{}}
	for _, ch := range x.Chains() {
		out.Chains = append(out.Chains, chainSummary(x, ch))
	}
	return c.JSON(http.StatusOK, out)
}

// getChain answers GET /chains/{chain}, where {chain} is the chain's id or
// its Chinese name or an alias.
func (s *Server) getChain(c echo.Context) error {
	ref := strings.TrimSpace(pathParam(c, "chain"))
	if ref == "" {
		return fmt.Errorf("%w: empty chain reference", graph.ErrInvalid)
	}
	x := s.snapshot(c)
	ch, ok := x.ChainByRef(ref)
	if !ok {
		return fmt.Errorf("%w: chain %q (want an id such as nev, or a name such as 新能源汽车)", graph.ErrNotFound, ref)
	}
	out := ChainResponse{ChainSummary: chainSummary(x, ch), Description: ch.Description, Note: ch.Note,
		Tree: []NodeResponse{}, Edges: []EdgeResponse{}, Incoming: []EdgeResponse{}}
	nodes := x.ChainNodes(ch.ID)
	byParent := map[graph.NodeID][]graph.ChainNode{}
	for _, n := range nodes {
		byParent[n.Parent] = append(byParent[n.Parent], n)
		for _, t := range n.SuppliesTo {
			out.Edges = append(out.Edges, EdgeResponse{From: string(n.ID), To: string(t), Cross: t.Chain() != ch.ID})
		}
	}
	var build func(parent graph.NodeID) []NodeResponse
	build = func(parent graph.NodeID) []NodeResponse {
		var rs []NodeResponse
		for _, n := range byParent[parent] {
			r := nodeResponse(x, n)
			r.Children = build(n.ID)
			rs = append(rs, r)
		}
		return rs
	}
	if t := build(""); t != nil {
		out.Tree = t
	}
	for _, other := range x.Chains() {
		if other.ID == ch.ID {
			continue
		}
		for _, n := range x.ChainNodes(other.ID) {
			for _, t := range n.SuppliesTo {
				if t.Chain() == ch.ID {
					out.Incoming = append(out.Incoming, EdgeResponse{From: string(n.ID), To: string(t), Cross: true})
				}
			}
		}
	}
	return c.JSON(http.StatusOK, out)
}

func chainSummary(x *readmodel.Index, ch graph.Chain) ChainSummary {
	s := ChainSummary{ID: string(ch.ID), Name: ch.Name, Aliases: ch.Aliases, Type: string(ch.Type),
		Segments: []SegmentResponse{}, Source: string(ch.Source)}
	for _, sg := range ch.Segments {
		s.Segments = append(s.Segments, SegmentResponse{ID: sg.ID, Name: sg.Name})
	}
	for _, n := range x.ChainNodes(ch.ID) {
		s.Nodes++
		s.SupplyEdges += len(n.SuppliesTo)
		if x.IsLeaf(n.ID) {
			s.Leaves++
		}
	}
	return s
}

func nodeResponse(x *readmodel.Index, n graph.ChainNode) NodeResponse {
	w := n.Weight
	if w == 0 {
		w = 1
	}
	r := NodeResponse{ID: string(n.ID), Name: n.Name, Aliases: n.Aliases, Segment: n.Segment, Order: n.Order,
		Weight: w, Leaf: x.IsLeaf(n.ID), Keywords: n.Keywords, Excludes: n.Excludes, Products: n.Products,
		Description: n.Description}
	for _, code := range n.Codes {
		ic, _ := x.IndustryClass(code)
		r.Codes = append(r.Codes, CodeRef{Code: string(code), Name: ic.Name})
	}
	for _, t := range n.SuppliesTo {
		r.SuppliesTo = append(r.SuppliesTo, string(t))
	}
	return r
}
