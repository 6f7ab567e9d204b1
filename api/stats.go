package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// StatsResponse counts what the graph holds.
type StatsResponse struct {
	Quads   int            `json:"quads"`
	Sources int            `json:"sources"`
	ByClass map[string]int `json:"by_class"`
}

func (s *Server) getStats(c echo.Context) error {
	st := s.graphStore().Index().Stats()
	return c.JSON(http.StatusOK, StatsResponse{Quads: st.Quads, Sources: st.Sources, ByClass: st.ByClass})
}
