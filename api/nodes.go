package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// NodeRefResponse names a node.
type NodeRefResponse struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func nodeRefs(ns []graph.ChainNode) []NodeRefResponse {
	out := make([]NodeRefResponse, 0, len(ns))
	for _, n := range ns {
		out = append(out, NodeRefResponse{ID: string(n.ID), Name: n.Name})
	}
	return out
}

// RegionCountResponse is a count of firms in a region.
type RegionCountResponse struct {
	Region string `json:"region"`
	Name   string `json:"name"`
	Count  int    `json:"firms"`
}

// NodeDetailResponse answers GET /nodes/{chain}/{node}.
type NodeDetailResponse struct {
	ID          string                `json:"id"`
	Name        string                `json:"name"`
	Aliases     []string              `json:"aliases"`
	Chain       ChainRef              `json:"chain"`
	Segment     string                `json:"segment"`
	Leaf        bool                  `json:"leaf"`
	Parent      *NodeRefResponse      `json:"parent,omitempty"`
	Children    []NodeRefResponse     `json:"children"`
	SuppliedBy  []NodeRefResponse     `json:"supplied_by"`
	SuppliesTo  []NodeRefResponse     `json:"supplies_to"`
	Codes       []CodeRef             `json:"codes"`
	Keywords    []string              `json:"keywords"`
	Excludes    []string              `json:"excludes"`
	Products    []string              `json:"products"`
	Weight      float64               `json:"weight"`
	Description string                `json:"description,omitempty"`
	National    int                   `json:"national_firms"`
	Provinces   []RegionCountResponse `json:"provinces"`
	TopFirms    []FirmRefResponse     `json:"top_firms"`
}

func (s *Server) getNode(c echo.Context) error {
	id, err := graph.ParseNodeID(c.Param("chain") + "/" + c.Param("node"))
	if err != nil {
		return err
	}
	d, err := s.snapshot(c).NodeDetail(id, 10)
	if err != nil {
		return err
	}
	n := d.Node
	out := NodeDetailResponse{ID: string(n.ID), Name: n.Name, Aliases: nonNil(n.Aliases), Chain: chainRef(d.Chain),
		Segment: n.Segment, Leaf: d.Leaf, Children: nodeRefs(d.Children), SuppliedBy: nodeRefs(d.Suppliers),
		SuppliesTo: nodeRefs(d.Customers), Keywords: nonNil(n.Keywords), Excludes: nonNil(n.Excludes),
		Products: nonNil(n.Products), Weight: n.Weight, Description: n.Description, National: d.National,
		Codes: []CodeRef{}, Provinces: []RegionCountResponse{}, TopFirms: []FirmRefResponse{}}
	if out.Weight == 0 {
		out.Weight = 1
	}
	if d.Parent != nil {
		out.Parent = &NodeRefResponse{ID: string(d.Parent.ID), Name: d.Parent.Name}
	}
	for _, code := range n.Codes {
		out.Codes = append(out.Codes, CodeRef{Code: string(code), Name: d.CodeNames[code]})
	}
	for _, p := range d.Provinces {
		out.Provinces = append(out.Provinces, RegionCountResponse{Region: string(p.Region), Name: p.Name, Count: p.Count})
	}
	for _, f := range d.TopFirms {
		out.TopFirms = append(out.TopFirms, firmRef(f))
	}
	return c.JSON(http.StatusOK, out)
}
