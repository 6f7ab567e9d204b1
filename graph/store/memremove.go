package store

import (
	"context"

	"github.com/cayleygraph/cayley/graph/memstore"
	"github.com/cayleygraph/quad"
)

// memDeleteMax is the most quads a version on the in-memory store may have
// for its removal to go through cayley's Delete; a larger one is removed by
// copying the store without it (removeMemByCopy).
//
// memstore keeps every primitive in one slice, and its Delete finds the
// primitive by scanning that slice and closes the gap by moving the rest:
// each removed quad (and each value it was the last to use) costs a pass
// over the whole store. Removing a version of n quads from a store of m
// costs n·m — a 30k-firm replace took 502 s against 4.7 s for its first
// load (docs/performance.md, 2026-12-04). Copying the m−n kept quads into a
// fresh store costs m inserts, about 1.5 µs each; a pass of Delete is about
// 1 ns per primitive, so below about a thousand quads Delete is cheaper.
const memDeleteMax = 1024

// removeMemByCopy removes the quads of label from the in-memory store by
// building a new store of every other quad and swapping it in. The copy is
// made holding the store shared (readers go on); the swap takes it
// exclusively. The caller holds wmu, so nothing is written meanwhile. If
// ctx ends during the copy, the copy is dropped and the store is unchanged.
//
// The values themselves are shared between the two stores, so the copy
// costs the indexes only, and only until the old store is collected.
func (s *Store) removeMemByCopy(ctx context.Context, label quad.IRI) (removed int, err error) {
	s.mu.RLock()
	old := s.qs
	ref, err := old.ValueOf(label)
	if err != nil || ref == nil {
		s.mu.RUnlock()
		return 0, err
	}
	drop := ref.Key()
	next := memstore.New()
	it := old.QuadsAllIterator().Iterate()
	for n := 0; it.Next(ctx); n++ {
		if n%4096 == 0 {
			if err = ctx.Err(); err != nil {
				break
			}
		}
		r := it.Result()
		l, err2 := old.QuadDirection(r, quad.Label)
		if err2 != nil {
			err = err2
			break
		}
		if l != nil && l.Key() == drop {
			removed++
			continue
		}
		q, err2 := old.Quad(r)
		if err2 != nil {
			err = err2
			break
		}
		next.AddQuad(q)
	}
	if err == nil {
		err = it.Err()
	}
	it.Close()
	s.mu.RUnlock()
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.qs = next
	s.mu.Unlock()
	return removed, nil
}
