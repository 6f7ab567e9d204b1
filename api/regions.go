package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// RegionRef is a region named in another response.
type RegionRef struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level"`
}

// RegionResponse is one administrative division with its ancestors (the
// province first) and its direct subdivisions.
type RegionResponse struct {
	Code      string      `json:"code"`
	Name      string      `json:"name"`
	ShortName string      `json:"short_name,omitempty"`
	Aliases   []string    `json:"aliases,omitempty"`
	Level     string      `json:"level"`
	Parent    string      `json:"parent,omitempty"`
	Ancestors []RegionRef `json:"ancestors"`
	Children  []RegionRef `json:"children"`
}

// RegionsResponse lists the regions a name form denotes, or the provinces.
type RegionsResponse struct {
	Query   string      `json:"query,omitempty"`
	Regions []RegionRef `json:"regions"`
}

// getRegion answers GET /regions/{code}: 400 for a malformed code, 404 for
// one that is not in the division table.
func (s *Server) getRegion(c echo.Context) error {
	code, err := graph.ParseRegionCode(pathParam(c, "code"))
	if err != nil {
		return err
	}
	x := s.snapshot(c)
	r, ok := x.Region(code)
	if !ok {
		return fmt.Errorf("%w: region %s", graph.ErrNotFound, code)
	}
	out := RegionResponse{
		Code: string(r.Code), Name: r.Name, ShortName: r.ShortName, Aliases: r.Aliases,
		Level: string(r.Level), Parent: string(r.Parent),
		Ancestors: []RegionRef{}, Children: []RegionRef{},
	}
	for _, a := range x.Ancestors(code) {
		out.Ancestors = append(out.Ancestors, regionRef(a))
	}
	for _, k := range x.Children(code) {
		if kr, ok := x.Region(k); ok {
			out.Children = append(out.Children, regionRef(kr))
		}
	}
	return c.JSON(http.StatusOK, out)
}

// listRegions answers GET /regions?q=NAME with the regions a name form
// (全称, 简称 or alias: 烟台市, 烟台, 烟台开发区) denotes, and without q with
// the provinces.
func (s *Server) listRegions(c echo.Context) error {
	x := s.snapshot(c)
	q := strings.TrimSpace(c.QueryParam("q"))
	out := RegionsResponse{Query: q, Regions: []RegionRef{}}
	var codes []graph.RegionCode
	if q == "" {
		for _, r := range x.Provinces() {
			codes = append(codes, r.Code)
		}
	} else if code, err := graph.ParseRegionCode(q); err == nil {
		codes = []graph.RegionCode{code}
	} else {
		codes = x.RegionsNamed(q)
	}
	for _, code := range codes {
		if r, ok := x.Region(code); ok {
			out.Regions = append(out.Regions, regionRef(r))
		}
	}
	return c.JSON(http.StatusOK, out)
}

func regionRef(r graph.Region) RegionRef {
	return RegionRef{Code: string(r.Code), Name: r.Name, Level: string(r.Level)}
}
