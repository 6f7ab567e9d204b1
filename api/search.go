package api

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph/readmodel"
)

// SearchHitResponse is one search result.
type SearchHitResponse struct {
	Kind    string  `json:"kind"`
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Matched string  `json:"matched"`
	Score   float64 `json:"score"`
	Region  string  `json:"region,omitempty"`
}

// SearchResponse answers GET /search?q=….
type SearchResponse struct {
	Query string              `json:"q"`
	Hits  []SearchHitResponse `json:"hits"`
}

func (s *Server) getSearch(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if q == "" {
		return fmt.Errorf("%w: q is empty", errBadRequest)
	}
	if utf8.RuneCountInString(q) > 100 {
		return fmt.Errorf("%w: q is longer than 100 characters", errBadRequest)
	}
	limit, err := intParam(c, "limit", 20)
	if err != nil {
		return err
	}
	var kinds []readmodel.SearchKind
	for _, k := range listParam(c, "kind") {
		switch readmodel.SearchKind(k) {
		case readmodel.HitFirm, readmodel.HitChain, readmodel.HitNode, readmodel.HitPark, readmodel.HitPlan, readmodel.HitRegion:
			kinds = append(kinds, readmodel.SearchKind(k))
		default:
			return fmt.Errorf("%w: kind %q: want firm, chain, node, park, plan or region", errBadRequest, k)
		}
	}
	hits, err := s.snapshot(c).Search(c.Request().Context(), readmodel.SearchQuery{Q: q, Kinds: kinds, Limit: limit})
	if err != nil {
		return err
	}
	out := SearchResponse{Query: q, Hits: make([]SearchHitResponse, 0, len(hits))}
	for _, h := range hits {
		out.Hits = append(out.Hits, SearchHitResponse{Kind: string(h.Kind), ID: h.ID, Name: h.Name, Matched: h.Matched, Score: h.Score, Region: string(h.Region)})
	}
	return c.JSON(http.StatusOK, out)
}
