package store

import (
	"context"
	"errors"
	"sync/atomic"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

var (
	// errViewStopped is what every read of a stopped view returns.
	errViewStopped = errors.New("graph: the query was stopped")
	// errViewReadOnly is what a write through a view returns.
	errViewReadOnly = errors.New("graph: ad-hoc queries cannot write")
)

// currentView is the store as an ad-hoc query sees it: the quads of the
// versions the read model holds as current, and the meta graph, and no
// other. While a source is replaced the store holds two versions of it —
// the new one being written beside the old, then the old one being removed
// after the flip — and a query given the bare store saw both (issue 19:
// old and new together for 33 s during a 30k-firm replace). The versions
// are taken from the read model under the store's read lock, so a query
// answers from the same versions as the API: the old one until the read
// model is rebuilt, the new one after.
//
// Every quad reaches a query through QuadIterator or QuadsAllIterator
// (cayley builds LinksTo, HasA and And on them) and every node through
// NodesAllIterator or ValueOf, so filtering those four is enough: a quad is
// kept when its label is current, a node when a kept quad mentions it. The
// label is read with QuadDirection, a field read on every backend. The view
// does not offer cayley's backend optimisers (kv's index scans, SQL's
// query translation), which would read the store past it; on PostgreSQL
// Gizmo therefore runs on cayley's generic iterators.
//
// A view can be stopped: from then on every read fails, so a query's
// goroutine that is deep in a traversal (where goja's interrupt does not
// reach) ends at its next step.
type currentView struct {
	cgraph.QuadStore
	labels  map[any]bool // Key of each current label's ref
	stopped atomic.Bool
}

// newView makes the view of the current versions. The caller holds s.mu.
func (s *Store) newView() (*currentView, error) {
	v := &currentView{QuadStore: s.qs, labels: map[any]bool{}}
	add := func(l quad.Value) error {
		ref, err := s.qs.ValueOf(l)
		if err != nil {
			return err
		}
		if ref != nil {
			v.labels[ref.Key()] = true
		}
		return nil
	}
	if err := add(graph.MetaLabel); err != nil {
		return nil, err
	}
	for _, si := range s.Index().Sources() {
		if err := add(quad.IRI(si.Version)); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (v *currentView) stop() { v.stopped.Store(true) }

func (v *currentView) check() error {
	if v.stopped.Load() {
		return errViewStopped
	}
	return nil
}

// current tells whether a quad's label is a current version's.
func (v *currentView) current(q refs.Ref) bool {
	l, err := v.QuadStore.QuadDirection(q, quad.Label)
	return err == nil && l != nil && v.labels[l.Key()]
}

// seen tells whether a current quad mentions node n. A label is seen when
// it is current; a scan by label is not asked for, since bbolt has no label
// index and would read every quad.
func (v *currentView) seen(n refs.Ref) bool {
	if v.labels[n.Key()] {
		return true
	}
	for _, d := range []quad.Direction{quad.Subject, quad.Object, quad.Predicate} {
		it := v.QuadStore.QuadIterator(d, n).Iterate()
		found := false
		for !found && v.check() == nil && it.Next(context.Background()) {
			found = v.current(it.Result())
		}
		it.Close()
		if found {
			return true
		}
	}
	return false
}

// QuadIterator implements cgraph.QuadStore: current quads only.
func (v *currentView) QuadIterator(d quad.Direction, n cgraph.Ref) iterator.Shape {
	return &viewFilter{sub: v.QuadStore.QuadIterator(d, n), keep: v.current, v: v}
}

// QuadsAllIterator implements cgraph.QuadStore: current quads only.
func (v *currentView) QuadsAllIterator() iterator.Shape {
	return &viewFilter{sub: v.QuadStore.QuadsAllIterator(), keep: v.current, v: v}
}

// NodesAllIterator implements cgraph.QuadStore: nodes a current quad mentions.
func (v *currentView) NodesAllIterator() iterator.Shape {
	return &viewFilter{sub: v.QuadStore.NodesAllIterator(), keep: v.seen, v: v}
}

// ValueOf implements refs.Namer: a node no current quad mentions is not there.
func (v *currentView) ValueOf(val quad.Value) (cgraph.Ref, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	ref, err := v.QuadStore.ValueOf(val)
	if err != nil || ref == nil || !v.seen(ref) {
		return nil, err
	}
	return ref, nil
}

// NameOf implements refs.Namer.
func (v *currentView) NameOf(ref cgraph.Ref) (quad.Value, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	return v.QuadStore.NameOf(ref)
}

// Quad implements cgraph.QuadIndexer.
func (v *currentView) Quad(ref cgraph.Ref) (quad.Quad, error) {
	if err := v.check(); err != nil {
		return quad.Quad{}, err
	}
	return v.QuadStore.Quad(ref)
}

// ApplyDeltas implements cgraph.QuadStore; a view is read-only.
func (v *currentView) ApplyDeltas([]cgraph.Delta, cgraph.IgnoreOpts) error {
	return errViewReadOnly
}

// NewQuadWriter implements cgraph.QuadStore; a view is read-only.
func (v *currentView) NewQuadWriter() (quad.WriteCloser, error) { return nil, errViewReadOnly }

// Close implements cgraph.QuadStore; the store is not the query's to close.
func (v *currentView) Close() error { return nil }

// viewFilter is an iterator of the values of sub that keep accepts.
type viewFilter struct {
	sub  iterator.Shape
	keep func(refs.Ref) bool
	v    *currentView
}

func (f *viewFilter) String() string { return "CurrentVersions" }

func (f *viewFilter) Iterate() iterator.Scanner {
	return &viewScanner{sub: f.sub.Iterate(), f: f}
}

func (f *viewFilter) Lookup() iterator.Index {
	return &viewIndex{sub: f.sub.Lookup(), f: f}
}

// Stats are sub's: most quads of a store are current.
func (f *viewFilter) Stats(ctx context.Context) (iterator.Costs, error) { return f.sub.Stats(ctx) }

func (f *viewFilter) Optimize(ctx context.Context) (iterator.Shape, bool) {
	sub, changed := f.sub.Optimize(ctx)
	if !changed {
		return f, false
	}
	return &viewFilter{sub: sub, keep: f.keep, v: f.v}, true
}

func (f *viewFilter) SubIterators() []iterator.Shape { return []iterator.Shape{f.sub} }

type viewScanner struct {
	sub iterator.Scanner
	f   *viewFilter
	err error
}

func (it *viewScanner) Next(ctx context.Context) bool {
	for it.sub.Next(ctx) {
		if it.err = it.f.v.check(); it.err != nil {
			return false
		}
		if it.f.keep(it.sub.Result()) {
			return true
		}
	}
	it.err = it.sub.Err()
	return false
}

func (it *viewScanner) NextPath(ctx context.Context) bool { return it.sub.NextPath(ctx) }
func (it *viewScanner) Result() refs.Ref                  { return it.sub.Result() }
func (it *viewScanner) TagResults(m map[string]refs.Ref)  { it.sub.TagResults(m) }
func (it *viewScanner) Err() error                        { return it.err }
func (it *viewScanner) Close() error                      { return it.sub.Close() }
func (it *viewScanner) String() string                    { return "CurrentVersionsNext" }

type viewIndex struct {
	sub iterator.Index
	f   *viewFilter
	err error
}

func (it *viewIndex) Contains(ctx context.Context, r refs.Ref) bool {
	if it.err = it.f.v.check(); it.err != nil {
		return false
	}
	if !it.f.keep(r) {
		return false
	}
	ok := it.sub.Contains(ctx, r)
	if !ok {
		it.err = it.sub.Err()
	}
	return ok
}

func (it *viewIndex) NextPath(ctx context.Context) bool { return it.sub.NextPath(ctx) }
func (it *viewIndex) Result() refs.Ref                  { return it.sub.Result() }
func (it *viewIndex) TagResults(m map[string]refs.Ref)  { it.sub.TagResults(m) }
func (it *viewIndex) Err() error                        { return it.err }
func (it *viewIndex) Close() error                      { return it.sub.Close() }
func (it *viewIndex) String() string                    { return "CurrentVersionsContains" }
