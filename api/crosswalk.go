package api

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// CrosswalkRow maps a plan's wording of an industry to chains.
type CrosswalkRow struct {
	Phrase     string   `json:"phrase"`
	Chains     []string `json:"chains"`
	Confidence float64  `json:"confidence"`
	Note       string   `json:"note,omitempty"`
}

// CrosswalkResponse is the crosswalk, or the row for one phrase.
type CrosswalkResponse struct {
	Query string         `json:"query,omitempty"`
	Rows  []CrosswalkRow `json:"rows"`
}

// getCrosswalk answers GET /crosswalk with every row, and
// GET /crosswalk?phrase=五能一网 with the row a plan's wording resolves to
// (its own row, the row without 产业/集群, or its chain by name); an unknown
// phrase gives no rows.
func (s *Server) getCrosswalk(c echo.Context) error {
	x := s.snapshot(c)
	q := strings.TrimSpace(c.QueryParam("phrase"))
	out := CrosswalkResponse{Query: q, Rows: []CrosswalkRow{}}
	if q == "" {
		for _, e := range x.Crosswalk() {
			out.Rows = append(out.Rows, crosswalkRow(e))
		}
	} else if e, ok := x.CrosswalkFor(q); ok {
		out.Rows = append(out.Rows, crosswalkRow(e))
	}
	return c.JSON(http.StatusOK, out)
}

func crosswalkRow(e graph.CrosswalkEntry) CrosswalkRow {
	r := CrosswalkRow{Phrase: e.Phrase, Chains: []string{}, Confidence: e.Confidence, Note: e.Note}
	for _, c := range e.Chains {
		r.Chains = append(r.Chains, string(c))
	}
	return r
}
