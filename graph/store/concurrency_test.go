package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
)

// TestConcurrentReadersWriterDeletes runs readers of the read model and of
// the store against a writer that replaces and deletes sources, on mem and
// bbolt. Under -race it proves the locking; always, it checks that a reader
// never sees half a version: every source is loaded whole, so the firm
// count a reader sees is always a multiple of the source size.
func TestConcurrentReadersWriterDeletes(t *testing.T) {
	for _, u := range []string{"mem:", "bbolt:" + filepath.Join(t.TempDir(), "kg.db")} {
		t.Run(u[:4], func(t *testing.T) {
			s := openTestStore(t, u)
			s.batch = 50 // many transactions per version
			const perSource = 120
			firms := func(src, gen int) func(graph.FactSink) error {
				return func(w graph.FactSink) error {
					for i := 0; i < perSource; i++ {
						if err := w.Put(graph.Firm{ID: graph.FirmID(syntheticCode(src*1000 + i)), Name: fmt.Sprintf("g%d-%d", gen, i), Region: "370600"}); err != nil {
							return err
						}
					}
					return nil
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
			defer cancel()
			var wg sync.WaitGroup
			var reads, bad atomic.Int64
			for r := 0; r < 4; r++ {
				wg.Add(1)
				go func(r int) {
					defer wg.Done()
					for ctx.Err() == nil {
						x := s.Index()
						if n := x.FirmCount(); n%perSource != 0 {
							bad.Add(1)
						}
						if r%2 == 0 {
							// A store reader too: a firm's detail reads its quads.
							if f, ok := x.Firm(graph.FirmID(syntheticCode(1000))); ok {
								// Not found is fine: the source may be deleted since x was taken.
								if _, err := s.FirmDetail(context.Background(), nil, f.ID); err != nil && !isNotFound(err) {
									t.Errorf("FirmDetail: %v", err)
								}
							}
						}
						reads.Add(1)
					}
				}(r)
			}
			writes := 0
			for gen := 0; ctx.Err() == nil || gen < 4; gen++ {
				src := graph.Source{ID: graph.SourceID(fmt.Sprintf("registry/s%d", gen%3)), Kind: graph.KindRegistry}
				if gen%4 == 3 {
					if err := s.Delete(context.Background(), src.ID); err != nil && !isNotFound(err) {
						t.Error(err)
					}
				} else if _, err := s.Replace(context.Background(), src, firms(1+gen%3, gen)); err != nil {
					t.Error(err)
				}
				writes++
			}
			wg.Wait()
			if bad.Load() > 0 {
				t.Errorf("%d reads saw a partial version", bad.Load())
			}
			if reads.Load() == 0 || writes < 4 {
				t.Errorf("too little happened: %d reads, %d writes", reads.Load(), writes)
			}
			t.Logf("%d reads, %d writes", reads.Load(), writes)
		})
	}
}

func isNotFound(err error) bool { return errors.Is(err, graph.ErrNotFound) }
