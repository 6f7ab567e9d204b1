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
	// BadValues counts stored values the read model could not read (left out, not read as 0).
	BadValues int `json:"bad_values"`
}

func (s *Server) getStats(c echo.Context) error {
	st := s.snapshot(c).Stats()
	return c.JSON(http.StatusOK, StatsResponse{Quads: st.Quads, Sources: st.Sources, ByClass: st.ByClass, BadValues: st.BadValues})
}
