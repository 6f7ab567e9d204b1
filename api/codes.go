package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// IndustryCodeResponse is one GB/T 4754-2017 entry: its place in the tree,
// the special classifications it belongs to, and the chain nodes that carry it.
type IndustryCodeResponse struct {
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	Level       string    `json:"level"`
	Parent      *CodeRef  `json:"parent,omitempty"`
	Ancestors   []CodeRef `json:"ancestors"`
	Description string    `json:"description,omitempty"`
	Tags        []string  `json:"tags,omitempty"`
	Categories  []string  `json:"categories,omitempty"`
	Children    []CodeRef `json:"children"`
	ChainNodes  []string  `json:"chain_nodes"`
}

// getIndustryCode answers GET /codes/{code}: 400 for a malformed code, 404
// for one that is not in GB/T 4754-2017.
func (s *Server) getIndustryCode(c echo.Context) error {
	code, err := graph.ParseIndustryCode(pathParam(c, "code"))
	if err != nil {
		return err
	}
	x := s.snapshot(c)
	ic, ok := x.IndustryClass(code)
	if !ok || ic.Name == "" {
		return fmt.Errorf("%w: GB/T 4754-2017 code %s", graph.ErrNotFound, code)
	}
	out := IndustryCodeResponse{Code: string(ic.Code), Name: ic.Name, Level: string(code.Level()),
		Description: ic.Description, Tags: ic.Tags, Categories: ic.Categories,
		Ancestors: []CodeRef{}, Children: []CodeRef{}, ChainNodes: []string{}}
	for p := ic.Parent; p != ""; {
		pc, ok := x.IndustryClass(p)
		if !ok {
			break
		}
		out.Ancestors = append([]CodeRef{{Code: string(pc.Code), Name: pc.Name}}, out.Ancestors...)
		p = pc.Parent
	}
	if n := len(out.Ancestors); n > 0 {
		out.Parent = &out.Ancestors[n-1]
	}
	for _, k := range x.IndustryChildren(code) {
		out.Children = append(out.Children, CodeRef{Code: string(k.Code), Name: k.Name})
	}
	for _, n := range x.NodesWithCode(code) {
		out.ChainNodes = append(out.ChainNodes, string(n))
	}
	return c.JSON(http.StatusOK, out)
}
