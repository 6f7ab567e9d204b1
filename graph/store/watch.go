package store

import (
	"context"
	"time"

	"github.com/chainkg/chainkg/graph/readmodel"
)

// Watch keeps the read model in step with writes made by other processes on
// a shared store (several API replicas over one PostgreSQL): every interval
// it reads the sources' current versions, a few indexed lookups, and
// rebuilds the read model when they differ from what it was built from. It
// returns when ctx ends.
func (s *Store) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if s.closed.Load() {
			return
		}
		changed, err := s.changed(ctx)
		if err != nil {
			s.log.Warn("watch: reading sources failed", "err", err)
			continue
		}
		if !changed {
			continue
		}
		s.wmu.Lock()
		err = s.refresh(ctx)
		s.wmu.Unlock()
		if err != nil {
			s.log.Warn("watch: refreshing the read model failed", "err", err)
			continue
		}
		s.log.Info("watch: read model refreshed after a change by another process")
	}
}

// changed tells whether the sources' current versions differ from those the
// read model was built from.
func (s *Store) changed(ctx context.Context) (bool, error) {
	b := readmodel.NewBuilder()
	if err := s.readMeta(ctx, b); err != nil {
		return false, err
	}
	have := s.Index().Sources()
	n := 0
	for _, src := range b.SourceList() {
		if src.Version == "" {
			continue
		}
		n++
		cur, ok := s.Index().Source(src.ID)
		if !ok || cur.Version != src.Version {
			return true, nil
		}
	}
	return n != len(have), nil
}
