package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph/store"
)

// QueryRequest is an ad-hoc query for analysts.
type QueryRequest struct {
	Lang      string `json:"lang"`       // gizmo or graphql
	Query     string `json:"query"`      // the program
	Limit     int    `json:"limit"`      // result cap, default 1000, at most 100000
	TimeoutMS int    `json:"timeout_ms"` // default 10000, at most 60000
}

// QueryResponse is what it returned.
type QueryResponse struct {
	Results   []any `json:"results"`
	Truncated bool  `json:"truncated"`
	TookMS    int64 `json:"took_ms"`
}

// maxQueryBytes bounds the text of an ad-hoc query.
const maxQueryBytes = 64 << 10

// DefaultMaxQueries is how many ad-hoc queries may run at once. A query
// takes a core while it runs, and the machine's other work — the chain
// map, the page — answers from the read model on the same cores: sixteen
// looping queries took the chain map from ~1 ms to 90–280 ms (issue 19).
const DefaultMaxQueries = 2

// queryRetryAfter is the Retry-After of a 429, in seconds: about the time
// a query takes by default.
const queryRetryAfter = "10"

func (s *Server) postQuery(c echo.Context) error {
	var req QueryRequest
	if err := c.Bind(&req); err != nil {
		// Bind wraps the serializer's error in a 400; a body over the limit is a 413.
		var he *echo.HTTPError
		if errors.As(err, &he) {
			switch {
			case errors.Is(he.Internal, errTooLarge):
				return he.Internal
			case he.Code == http.StatusUnsupportedMediaType:
				return fmt.Errorf("%w: send the query as application/json", errUnsupportedMedia)
			}
		}
		return fmt.Errorf("%w: %w", errBadRequest, err)
	}
	if req.Query == "" {
		return fmt.Errorf("%w: query is empty", errBadRequest)
	}
	if len(req.Query) > maxQueryBytes {
		return fmt.Errorf("%w: query longer than %d bytes", errBadRequest, maxQueryBytes)
	}
	if req.TimeoutMS < 0 || req.TimeoutMS > 60000 || req.Limit < 0 {
		return fmt.Errorf("%w: timeout_ms must be 0–60000 and limit ≥ 0", errBadRequest)
	}
	// A query beyond the limit is refused at once rather than queued: a
	// queue would hold requests (and their deadlines) behind queries that
	// may take a minute each.
	slots := s.queries
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
	default:
		c.Response().Header().Set("Retry-After", queryRetryAfter)
		return echo.NewHTTPError(http.StatusTooManyRequests, fmt.Sprintf(
			"%d ad-hoc queries are already running, the most this server runs at once; try again in a few seconds (同时运行的查询已达上限 %d 个，请稍后再试)",
			cap(slots), cap(slots)))
	}
	res, err := s.graphStore().Query(c.Request().Context(), store.QueryLang(req.Lang), req.Query,
		store.QueryLimits{Timeout: time.Duration(req.TimeoutMS) * time.Millisecond, Results: req.Limit})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, QueryResponse{Results: res.Results, Truncated: res.Truncated, TookMS: res.Took.Milliseconds()})
}
