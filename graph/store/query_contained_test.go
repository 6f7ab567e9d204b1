package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
)

// queryCount runs a Gizmo count and returns it as text.
func queryCount(t *testing.T, s *Store, q string) string {
	t.Helper()
	res, err := s.Query(context.Background(), LangGizmo, "g.Emit("+q+".Count())", QueryLimits{})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(res.Results)
}

// TestQuerySeesCurrentVersionsOnly holds issue 19's "half a write": while a
// replace writes its new version beside the old, an ad-hoc query saw both
// (old and new firms together for 33 s during a 30k replace). Here a new
// version is written and not yet flipped, on each backend.
func TestQuerySeesCurrentVersionsOnly(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			mustReplace(t, s, srcReg, syntheticFirms(50, 0)...)
			coded := `g.V("<` + string(graph.ClassFirm) + `>").In("<` + string(graph.PredType) + `>")`
			if got := queryCount(t, s, coded); got != "[50]" {
				t.Fatalf("firms before = %s, want [50]", got)
			}
			// A replace in progress: the next version's quads, written and
			// not current — 80 firms, 30 of them new.
			s.wmu.Lock()
			sink := &versionSink{ctx: context.Background(), s: s, label: versionLabel(srcReg.ID, time.Now()), hash: sha256.New()}
			if err := sink.Put(syntheticFirms(80, 1)...); err != nil {
				t.Fatal(err)
			}
			if err := sink.finish(); err != nil {
				t.Fatal(err)
			}
			s.wmu.Unlock()
			if got := queryCount(t, s, coded); got != "[50]" {
				t.Errorf("firms while the next version is written = %s, want [50]", got)
			}
			newFirm := `g.V("<` + string(graph.FirmID(syntheticCode(60)).IRI()) + `>")`
			if got := queryCount(t, s, newFirm); got != "[0]" {
				t.Errorf("a firm only the unfinished version has = %s, want [0]", got)
			}
			capital := `g.V("<` + string(graph.FirmID(syntheticCode(3)).IRI()) + `>").Out("<` + string(graph.PredFirmData) + `>")`
			if got := queryCount(t, s, capital); got != "[1]" {
				t.Errorf("typed values of a firm both versions have = %s, want [1] (the current one)", got)
			}
			if got := queryCount(t, s, "g.V()"); got == "[0]" {
				t.Errorf("g.V() sees no node")
			}
		})
	}
}

// TestQueryDeadlineWhileStoreHeld: a query waited for the store without a
// deadline (timeout_ms 20,000 answered after 2 min 17 s while a replace
// held it). Here a writer holds the store; the query must end at its
// deadline, and the store must be whole after.
func TestQueryDeadlineWhileStoreHeld(t *testing.T) {
	s := openTestStore(t, "mem:")
	mustReplace(t, s, srcReg, syntheticFirms(10, 0)...)
	s.mu.Lock()
	errc := make(chan error, 1)
	go func() {
		_, err := s.Query(context.Background(), LangGizmo, `g.Emit(1)`, QueryLimits{Timeout: 200 * time.Millisecond})
		errc <- err
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, ErrQueryTimeout) {
			t.Errorf("query while the store is held: %v, want ErrQueryTimeout", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("the query was still waiting for the store 30 s past its 200 ms deadline")
	}
	s.mu.Unlock()
	if got := queryCount(t, s, `g.V("<`+string(graph.ClassFirm)+`>").In("<`+string(graph.PredType)+`>")`); got != "[10]" {
		t.Errorf("after: %s", got)
	}
}

// TestQueryMemoryIsBounded: the report's Gizmo loop doubling a string ended
// the server with "fatal error: out of memory". It is stopped with
// ErrQueryMemory, and the store answers after.
func TestQueryMemoryIsBounded(t *testing.T) {
	s := openTestStore(t, "mem:")
	mustReplace(t, s, srcReg, syntheticFirms(10, 0)...)
	bomb := `var s = "x"; for (var i = 0; i < 40; i++) { s = s + s }; g.Emit(s.length)`
	_, err := s.Query(context.Background(), LangGizmo, bomb, QueryLimits{Timeout: time.Minute, Memory: 64 << 20})
	if !errors.Is(err, ErrQueryMemory) {
		t.Fatalf("doubling loop: %v, want ErrQueryMemory", err)
	}
	// Arrays and nesting grow step by step too.
	nest := `var a = []; for (var i = 0; i < 1e8; i++) { a = [a, "xxxxxxxxxxxxxxxx"] }; g.Emit(1)`
	if _, err := s.Query(context.Background(), LangGizmo, nest, QueryLimits{Timeout: time.Minute, Memory: 64 << 20}); !errors.Is(err, ErrQueryMemory) {
		t.Errorf("nesting loop: %v, want ErrQueryMemory", err)
	}
	if got := queryCount(t, s, `g.V("<`+string(graph.ClassFirm)+`>").In("<`+string(graph.PredType)+`>")`); got != "[10]" {
		t.Errorf("after: %s", got)
	}
}
