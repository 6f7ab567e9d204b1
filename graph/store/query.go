package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/gizmo"
	"github.com/cayleygraph/cayley/query/graphql"

	"github.com/chainkg/chainkg/graph"
)

// QueryLang is a query language for ad-hoc exploration.
type QueryLang string

// Query languages cayley provides.
const (
	LangGizmo   QueryLang = "gizmo"   // JavaScript paths: g.V("<…>").In("<…>").All()
	LangGraphQL QueryLang = "graphql" // cayley's GraphQL dialect
)

// QueryLimits bound an ad-hoc query.
type QueryLimits struct {
	Timeout time.Duration // default 10s
	Results int           // default 1000, at most 100000
}

// QueryResult is what an ad-hoc query returned.
type QueryResult struct {
	Results   []any // JSON-ready values
	Truncated bool  // the result cap was reached
	Took      time.Duration
}

// ErrQueryTimeout is returned when an ad-hoc query runs out of time.
var ErrQueryTimeout = fmt.Errorf("%w: the query took longer than its time limit and was stopped", graph.ErrInvalid)

// Query runs an ad-hoc query against cayley directly, read-only (neither
// language can write), with a time limit and a result cap. Writers wait
// while it runs, so the limit also bounds how long it holds them up.
func (s *Store) Query(ctx context.Context, lang QueryLang, text string, lim QueryLimits) (*QueryResult, error) {
	if s.closed.Load() {
		return nil, graph.ErrClosed
	}
	if lim.Timeout <= 0 {
		lim.Timeout = 10 * time.Second
	}
	if lim.Results <= 0 {
		lim.Results = 1000
	}
	if lim.Results > 100000 {
		return nil, fmt.Errorf("%w: result cap %d: at most 100000", graph.ErrInvalid, lim.Results)
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()

	s.mu.RLock()
	defer s.mu.RUnlock()
	var sess query.Session
	switch lang {
	case LangGizmo:
		sess = gizmo.NewSession(s.qs)
	case LangGraphQL:
		sess = graphql.NewSession(s.qs)
	default:
		return nil, fmt.Errorf("%w: query language %q: want gizmo or graphql", graph.ErrInvalid, lang)
	}
	start := time.Now()
	// One more than the cap tells whether the cap cut the results.
	it, err := sess.Execute(ctx, text, query.Options{Collation: query.JSON, Limit: lim.Results + 1})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", graph.ErrInvalid, err)
	}
	res := &QueryResult{Results: []any{}}
	for it.Next(ctx) {
		if len(res.Results) == lim.Results {
			res.Truncated = true
			break
		}
		if r := it.Result(); r != nil { // nil: the program's own value, which JSON results leave out
			res.Results = append(res.Results, r)
		}
	}
	err = it.Err()
	it.Close()
	// Wait for a Gizmo program to stop before the store is released: its
	// goroutine may still be reading.
	for it.Next(context.Background()) {
	}
	res.Took = time.Since(start)
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, ErrQueryTimeout
	case err != nil && !errors.Is(err, context.Canceled):
		return nil, fmt.Errorf("%w: %v", graph.ErrInvalid, err)
	}
	return res, nil
}
