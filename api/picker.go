package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// PickerRegionResponse is a region a user can pick, with how much data it holds.
type PickerRegionResponse struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Level    string `json:"level"`
	Firms    int    `json:"firms"`    // active firms in it and its sub-regions
	Children int    `json:"children"` // sub-regions a user can pick
}

// PickerRegionsResponse answers GET /picker/regions.
type PickerRegionsResponse struct {
	Parent  *RegionRef             `json:"parent"`
	Regions []PickerRegionResponse `json:"regions"`
}

// getPickerRegions lists the provinces, or the sub-regions of ?parent=, in
// code order with their firm counts, statistical placeholders (市辖区 …)
// left out: what the web page's region picker shows.
func (s *Server) getPickerRegions(c echo.Context) error {
	x := s.snapshot(c)
	out := PickerRegionsResponse{Regions: []PickerRegionResponse{}}
	var codes []graph.RegionCode
	if p := c.QueryParam("parent"); p != "" {
		code, err := graph.ParseRegionCode(p)
		if err != nil {
			return err
		}
		r, ok := x.Region(code)
		if !ok {
			return fmt.Errorf("%w: region %s", graph.ErrNotFound, code)
		}
		ref := regionRef(r)
		out.Parent = &ref
		// A placeholder that groups real regions (省直辖县级行政区划) gives way to them.
		for _, k := range x.Children(code) {
			if kr, ok := x.Region(k); ok && kr.Placeholder() {
				codes = append(codes, x.Children(k)...)
			} else {
				codes = append(codes, k)
			}
		}
	} else {
		for _, r := range x.Regions() {
			if r.Parent == "" {
				codes = append(codes, r.Code)
			}
		}
	}
	for _, code := range codes {
		r, ok := x.Region(code)
		if !ok || r.Placeholder() {
			continue
		}
		kids := 0
		for _, k := range x.Children(code) {
			if kr, ok := x.Region(k); ok && !kr.Placeholder() {
				kids++
			}
		}
		out.Regions = append(out.Regions, PickerRegionResponse{Code: string(r.Code), Name: r.Name, Level: string(r.Level),
			Firms: x.RegionFirmCount(code), Children: kids})
	}
	return c.JSON(http.StatusOK, out)
}

// RegionNameResponse names a region with its ancestors.
type RegionNameResponse struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Path string `json:"path"` // 山东省烟台市莱山区
}

// RegionNamesResponse answers GET /picker/names.
type RegionNamesResponse struct {
	Regions []RegionNameResponse `json:"regions"`
}

// getPickerNames names the regions of ?regions=CODE,… (at most 200), for
// pages that show firms' regions; unknown codes are left out.
func (s *Server) getPickerNames(c echo.Context) error {
	codes, err := regionCodes(c.QueryParam("regions"))
	if err != nil {
		return err
	}
	if len(codes) > 200 {
		return fmt.Errorf("%w: regions: %d codes, at most 200", errBadRequest, len(codes))
	}
	x := s.snapshot(c)
	out := RegionNamesResponse{Regions: []RegionNameResponse{}}
	for _, code := range codes {
		r, ok := x.Region(code)
		if !ok {
			continue
		}
		path := ""
		for _, a := range x.Ancestors(code) {
			path += a.Name
		}
		out.Regions = append(out.Regions, RegionNameResponse{Code: string(code), Name: r.Name, Path: path + r.Name})
	}
	return c.JSON(http.StatusOK, out)
}
