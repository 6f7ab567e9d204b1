package api

import (
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// CoverageResponse says what data an answer rests on; the page shows its
// note as a banner. Unplaced firms are known only at a division above the
// region (位置待核实); no-data leaves are links no firm has anywhere (无数据).
type CoverageResponse struct {
	Firms           int                      `json:"firms"`
	WithCity        int                      `json:"with_city"`
	WithCapital     int                      `json:"with_capital"`
	WithRevenue     int                      `json:"with_revenue"`
	LeafLinked      int                      `json:"leaf_linked"`
	Unplaced        int                      `json:"unplaced"`
	ChainFirms      int                      `json:"chain_firms"`
	ChainScaleKnown int                      `json:"chain_scale_known"`
	NoDataLeaves    int                      `json:"no_data_leaves"`
	Sources         []CoverageSourceResponse `json:"sources"`
	Note            string                   `json:"note"`
}

// CoverageSourceResponse is a source of the answer's firms.
type CoverageSourceResponse struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Kind      string `json:"kind"`
	KindLabel string `json:"kind_label"`
	Firms     int    `json:"firms"`
}

func coverageResponse(c readmodel.Coverage) CoverageResponse {
	out := CoverageResponse{Firms: c.Firms, WithCity: c.WithCity, WithCapital: c.WithCapital, WithRevenue: c.WithRevenue,
		LeafLinked: c.LeafLinked, Unplaced: c.Unplaced, ChainFirms: c.ChainFirms, ChainScaleKnown: c.ChainScaleKnown,
		NoDataLeaves: c.NoDataLeaves, Note: c.Note, Sources: []CoverageSourceResponse{}}
	for _, s := range c.Sources {
		out.Sources = append(out.Sources, CoverageSourceResponse{ID: string(s.ID), Title: s.Title, Kind: string(s.Kind),
			KindLabel: graph.KindLabel(s.Kind), Firms: s.Firms})
	}
	return out
}
