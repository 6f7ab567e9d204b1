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
	// Memory is how much the process heap may grow while the query runs
	// before it is stopped; default DefaultQueryMemory (querymem.go).
	Memory int64
}

// QueryResult is what an ad-hoc query returned.
type QueryResult struct {
	Results   []any // JSON-ready values
	Truncated bool  // the result cap was reached
	Took      time.Duration
}

// ErrQueryTimeout is returned when an ad-hoc query runs out of time.
var ErrQueryTimeout = fmt.Errorf("%w: the query took longer than its time limit and was stopped", graph.ErrInvalid)

// ErrQueryMemory is returned when an ad-hoc query is stopped for the memory
// it took.
var ErrQueryMemory = fmt.Errorf("%w: the query needed more memory than an ad-hoc query may have and was stopped; ask for fewer or smaller values", graph.ErrInvalid)

// Query runs an ad-hoc query against cayley directly, read-only (neither
// language can write), with a time limit, a memory budget and a result
// cap. It sees the current versions only (view.go), never a version being
// written or removed.
//
// The time limit holds from the call: waiting for a writer's batch counts,
// and at the limit the program is interrupted (goja's Interrupt for the
// JavaScript, a stopped view for a traversal in progress). Query returns
// only when the program has stopped, since it reads the store, and writers
// wait while it runs, so the limit also bounds how long it holds them up.
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
	if lim.Memory <= 0 {
		lim.Memory = DefaultQueryMemory
	}
	if lim.Results > 100000 {
		return nil, fmt.Errorf("%w: result cap %d: at most 100000", graph.ErrInvalid, lim.Results)
	}
	if lang != LangGizmo && lang != LangGraphQL {
		return nil, fmt.Errorf("%w: query language %q: want gizmo or graphql", graph.ErrInvalid, lang)
	}
	start := time.Now()
	ctx, cancel := context.WithTimeoutCause(ctx, lim.Timeout, ErrQueryTimeout)
	defer cancel()
	if err := s.rlock(ctx); err != nil {
		return nil, queryErr(ctx, err)
	}
	defer s.mu.RUnlock()
	if s.closed.Load() {
		return nil, graph.ErrClosed
	}
	view, err := s.newView()
	if err != nil {
		return nil, err
	}
	// qctx ends at the deadline, when the caller goes, or when the heap
	// watch stops the query; from then on every read of the view fails.
	qctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	context.AfterFunc(qctx, view.stop)
	go watchHeap(qctx, lim.Memory, func() { stop(ErrQueryMemory) })

	var sess query.Session
	switch lang {
	case LangGizmo:
		sess = gizmo.NewSession(view)
	case LangGraphQL:
		sess = graphql.NewSession(view)
	}
	// One more than the cap tells whether the cap cut the results.
	it, err := sess.Execute(qctx, text, query.Options{Collation: query.JSON, Limit: lim.Results + 1})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", graph.ErrInvalid, err)
	}
	res := &QueryResult{Results: []any{}}
	for it.Next(qctx) {
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
	// goroutine may still be reading. It stops soon: it was interrupted,
	// and the view fails every read once qctx has ended.
	stop(nil)
	for it.Next(context.Background()) {
	}
	res.Took = time.Since(start)
	if qctx.Err() != nil && context.Cause(qctx) != context.Canceled {
		return nil, queryErr(qctx, err)
	}
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, errViewStopped) {
		return nil, fmt.Errorf("%w: %v", graph.ErrInvalid, err)
	}
	return res, nil
}

// queryErr is the error of a query whose context ended: the cause the
// deadline or the heap watch gave, or the caller's own.
func queryErr(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil {
		return cause
	}
	return err
}

// rlock takes the store shared, waiting no longer than ctx lasts: a writer
// holds it exclusively for one batch at a time, and a query must not wait
// past its deadline for one.
func (s *Store) rlock(ctx context.Context) error {
	if s.mu.TryRLock() {
		return nil
	}
	got := make(chan struct{})
	go func() {
		s.mu.RLock()
		close(got)
	}()
	select {
	case <-got:
		return nil
	case <-ctx.Done():
		go func() {
			<-got
			s.mu.RUnlock()
		}()
		return ctx.Err()
	}
}
