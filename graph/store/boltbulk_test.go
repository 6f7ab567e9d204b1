package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/chainkg/chainkg/graph"
)

// withBoltBulk runs f with bbolt's bulk path switched on or off.
func withBoltBulk(on bool, f func()) {
	defer func(was bool) { boltBulkEnabled = was }(boltBulkEnabled)
	boltBulkEnabled = on
	f()
}

// TestBoltBulkMatchesCayley loads the same sources through cayley's writer
// into one bbolt store and through the bulk path into another, at the
// same instants and in batches small enough that nodes and index keys
// recur across them, and compares the two files key by key: node IDs,
// reference counts, index lists, the log's primitives (timestamps aside)
// and cayley's counters. Then it writes a batch that repeats quads both
// stores hold and quads within itself, a new version of a source (whose
// triples the index lists hold), and deletes every source through
// cayley, comparing after each step: cayley counts, finds and removes
// what the bulk path wrote as its own.
func TestBoltBulkMatchesCayley(t *testing.T) {
	stores := loadTwice(t, func(int) *Store {
		s := openTestStore(t, "bbolt:"+filepath.Join(t.TempDir(), "kg.db"))
		if s.bolt == nil {
			t.Fatal("a bbolt store has no bulk writer")
		}
		return s
	}, withBoltBulk)
	compare := func(when string) {
		t.Helper()
		a, b := boltDump(t, stores[0]), boltDump(t, stores[1])
		if a != b {
			t.Fatalf("%s: cayley's writer and the bulk path wrote different files:\n%s", when, firstDiff(a, b))
		}
	}
	compare("after loading")
	// Quads both stores hold, one of them twice, and one new: cayley's
	// writer skips the held ones (its reference counts still count them).
	held := storedQuads(t, stores[0], 3)
	extra := quad.Quad{Subject: quad.IRI("urn:test:s"), Predicate: quad.IRI("urn:test:p"), Object: quad.String("o"), Label: held[0].Label}
	batch := append(append(held, held[1]), extra)
	for i, s := range stores {
		withBoltBulk(i == 1, func() {
			if err := s.applyAdd(batch); err != nil {
				t.Fatal(err)
			}
		})
	}
	compare("after a batch of held and repeated quads")
	// A new version of a source: its quads' triples are in the index
	// lists already, under the old version's label.
	for i, s := range stores {
		withBoltBulk(i == 1, func() { mustReplace(t, s, srcReg, bulkFixture()[2]...) })
	}
	compare("after replacing the registry")
	deleteEach(t, stores, compare)
}

// storedQuads returns the first n quads of a store's scan that are not
// its meta quads.
func storedQuads(t *testing.T, s *Store, n int) []quad.Quad {
	t.Helper()
	var out []quad.Quad
	errEnough := fmt.Errorf("enough")
	err := s.scan(context.Background(), func(q quad.Quad) error {
		if q.Label != graph.MetaLabel {
			out = append(out, q)
		}
		if len(out) == n {
			return errEnough
		}
		return nil
	})
	if err != errEnough {
		t.Fatalf("scan gave %d quads (%v), want %d", len(out), err, n)
	}
	return out
}

// boltDump renders every bucket, key and value of a store's bbolt file,
// the log's primitives decoded and without their timestamps.
func boltDump(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	err := s.bolt.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, bk *bolt.Bucket) error {
			fmt.Fprintf(&b, "[%x]\n", name)
			return bk.ForEach(func(k, v []byte) error {
				if string(name) != "log" {
					fmt.Fprintf(&b, "%x %x\n", k, v)
					return nil
				}
				var p cproto.Primitive
				if err := proto.Unmarshal(v, &p); err != nil {
					return err
				}
				p.Timestamp = 0
				fmt.Fprintf(&b, "%x id=%d s=%d p=%d o=%d l=%d del=%v val=%x\n", k, p.ID, p.Subject, p.Predicate, p.Object, p.Label, p.Deleted, p.Value)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// firstDiff shows the first line where two dumps differ, with its context.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < max(len(la), len(lb)); i++ {
		x, y := "", ""
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y {
			from := max(0, i-3)
			return fmt.Sprintf("line %d\ncayley: %s\nbulk:   %s\nbefore it:\n%s", i+1, x, y, strings.Join(la[from:i], "\n"))
		}
	}
	return "(no difference)"
}
