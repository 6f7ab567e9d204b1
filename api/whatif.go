package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// WhatIfRequest is the body of POST …/whatif.
type WhatIfRequest struct {
	Firms []string `json:"firms"`
	Park  string   `json:"park"`
}

// WhatIfFirmResponse says how a firm of a what-if was counted.
type WhatIfFirmResponse struct {
	Firm    FirmRefResponse `json:"firm"`
	Nodes   []string        `json:"nodes"`
	Counted bool            `json:"counted"`
	Reason  string          `json:"reason,omitempty"`
}

// BeforeAfter is a figure before and after a what-if.
type BeforeAfter struct {
	Before float64 `json:"before"`
	After  float64 `json:"after"`
	Change float64 `json:"change"`
}

// NodeChangeResponse is a node a what-if changes.
type NodeChangeResponse struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Leaf        bool   `json:"leaf"`
	LevelBefore string `json:"level_before"`
	LevelAfter  string `json:"level_after"`
	FirmsBefore int    `json:"local_firms_before"`
	FirmsAfter  int    `json:"local_firms_after"`
}

// WhatIfGapResponse is a gap before or after a what-if.
type WhatIfGapResponse struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Level    string  `json:"level"`
	Severity float64 `json:"severity"`
	Reason   string  `json:"reason"`
}

// WhatIfResponse answers POST …/whatif: the map before and after placing
// the firms, what changed, and the gaps before and after. Nothing is written.
type WhatIfResponse struct {
	Region       RegionRef            `json:"region"`
	Chain        ChainRef             `json:"chain"`
	Place        string               `json:"place"`
	Park         *NamedRef            `json:"park,omitempty"`
	Firms        []WhatIfFirmResponse `json:"firms"`
	Completeness BeforeAfter          `json:"completeness"`
	Present      BeforeAfter          `json:"leaves_present"`
	LevelsBefore map[string]int       `json:"levels_before"`
	LevelsAfter  map[string]int       `json:"levels_after"`
	Changes      []NodeChangeResponse `json:"changes"`
	GapsBefore   []WhatIfGapResponse  `json:"gaps_before"`
	GapsAfter    []WhatIfGapResponse  `json:"gaps_after"`
	Before       ChainMapResponse     `json:"before"`
	After        ChainMapResponse     `json:"after"`
	Note         string               `json:"note"`
}

// whatIfNote says what a what-if is.
const whatIfNote = "模拟结果，未写入任何数据。所选企业按落地计入：每家计为其在本链各环节的一家本地企业，" +
	"位于所选园区所在地区（未选园区时为本地区），其规模与资质标签属于母公司，不计入本地规模与质量。"

func (s *Server) postWhatIf(c echo.Context) error {
	x, code, chain, cfg, err := s.regionChain(c)
	if err != nil {
		return err
	}
	var req WhatIfRequest
	if err := c.Bind(&req); err != nil {
		return err
	}
	if len(req.Firms) > readmodel.MaxWhatIfFirms {
		return fmt.Errorf("%w: firms: at most %d", errBadRequest, readmodel.MaxWhatIfFirms)
	}
	var q readmodel.WhatIfQuery
	for i, f := range req.Firms {
		id, err := graph.ParseFirmID(strings.TrimSpace(f))
		if err != nil {
			return fmt.Errorf("firms[%d]: %w", i, err)
		}
		q.Firms = append(q.Firms, id)
	}
	if p := strings.TrimSpace(req.Park); p != "" {
		if q.Park, err = graph.ParseParkID(p); err != nil {
			return fmt.Errorf("park: %w", err)
		}
	}
	w, err := x.WhatIf(c.Request().Context(), code, chain, q, cfg)
	if err != nil {
		return err
	}
	out := WhatIfResponse{Region: regionRef(w.Before.Region), Chain: chainRef(w.Before.Chain), Place: string(w.Place),
		Completeness: BeforeAfter{w.Before.Completeness, w.After.Completeness, w.After.Completeness - w.Before.Completeness},
		Present:      BeforeAfter{float64(w.Before.Present), float64(w.After.Present), float64(w.After.Present - w.Before.Present)},
		LevelsBefore: levelCounts(w.Before), LevelsAfter: levelCounts(w.After),
		Firms: []WhatIfFirmResponse{}, Changes: []NodeChangeResponse{}, GapsBefore: whatIfGaps(w.GapsBefore), GapsAfter: whatIfGaps(w.GapsAfter),
		Before: chainMapResponse(w.Before), After: chainMapResponse(w.After), Note: whatIfNote}
	if w.Park != nil {
		out.Park = &NamedRef{ID: string(w.Park.ID), Name: w.Park.Name}
	}
	for _, f := range w.Firms {
		out.Firms = append(out.Firms, WhatIfFirmResponse{Firm: firmRef(f.Firm), Nodes: idStrings(f.Nodes), Counted: f.Counted, Reason: f.Reason})
	}
	for _, ch := range w.Changes {
		out.Changes = append(out.Changes, NodeChangeResponse{ID: string(ch.Node.ID), Name: ch.Node.Name, Leaf: ch.Leaf,
			LevelBefore: string(ch.Before), LevelAfter: string(ch.After), FirmsBefore: ch.CountBefore, FirmsAfter: ch.CountAfter})
	}
	return c.JSON(http.StatusOK, out)
}

func levelCounts(m *readmodel.ChainMap) map[string]int {
	out := map[string]int{}
	for l, n := range m.Levels {
		out[string(l)] = n
	}
	return out
}

func whatIfGaps(gs []readmodel.Gap) []WhatIfGapResponse {
	out := make([]WhatIfGapResponse, 0, len(gs))
	for _, g := range gs {
		out = append(out, WhatIfGapResponse{ID: string(g.Node.ID), Name: g.Node.Name, Level: string(g.Level), Severity: g.Severity, Reason: g.Reason})
	}
	return out
}
