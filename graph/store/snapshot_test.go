package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// logged opens a bbolt store with its log in a buffer.
func logged(t *testing.T, path string) (*Store, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	s, err := Open(context.Background(), "bbolt:"+path, Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &buf
}

// OpenLogged is logged for the package's external tests.
func OpenLogged(t *testing.T, path string) (*Store, *bytes.Buffer) { return logged(t, path) }

const fromSnapshot = "read model loaded from its snapshot"

// IndexDiff names the fields of two read models that differ, comparing
// every field of readmodel.Index by reflection (unexported ones too), so a
// field added later is compared without anyone listing it.
func IndexDiff(a, b *readmodel.Index) []string { return indexDiff(a, b, false) }

// IndexDiffUnordered is IndexDiff with slices of strings and numbers, and
// short slices of records, compared as multisets: a node's aliases and
// codes, a park's chains, the nodes a node supplies, a designation's chains. They are several quads in the store, which keeps no
// order among them, and the read model lists them in the order it read
// them — a scan in cayley's key order, a rebuild in the journal's.
func IndexDiffUnordered(a, b *readmodel.Index) []string { return indexDiff(a, b, true) }

// indexCaches are the read model's fields that keep answers computed from
// the rest (filled as questions are asked), not the model itself.
var indexCaches = map[string]bool{"covCache": true}

func indexDiff(a, b *readmodel.Index, unordered bool) []string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	var out []string
	for i := 0; i < va.NumField(); i++ {
		if indexCaches[va.Type().Field(i).Name] {
			continue
		}
		if !sameValue(va.Field(i), vb.Field(i), unordered) {
			out = append(out, fieldDiff(va.Type().Field(i).Name, va.Field(i), vb.Field(i), unordered)...)
		}
	}
	return out
}

// fieldDiff names a differing field, or the fields of it that differ when
// it is a struct or a pointer to one (the analytics: "an.nodes").
func fieldDiff(name string, a, b reflect.Value, unordered bool) []string {
	if a.Kind() == reflect.Pointer && !a.IsNil() && !b.IsNil() {
		a, b = a.Elem(), b.Elem()
	}
	if a.Kind() != reflect.Struct {
		return []string{name}
	}
	var out []string
	for i := 0; i < a.NumField(); i++ {
		if !sameValue(a.Field(i), b.Field(i), unordered) {
			out = append(out, name+"."+a.Type().Field(i).Name)
		}
	}
	return out
}

// sameValue is reflect.DeepEqual that reads unexported fields, and with
// unordered compares slices of strings and numbers, and short slices of
// anything, as multisets.
func sameValue(a, b reflect.Value, unordered bool) bool {
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		if a.Kind() == reflect.Interface && a.Elem().Type() != b.Elem().Type() {
			return false
		}
		return sameValue(a.Elem(), b.Elem(), unordered)
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !sameValue(a.Field(i), b.Field(i), unordered) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return false
		}
		if unordered && a.Kind() == reflect.Slice && basic(a.Type().Elem().Kind()) {
			sa, sb := make([]string, a.Len()), make([]string, b.Len())
			for i := range sa {
				sa[i], sb[i] = fmt.Sprint(a.Index(i)), fmt.Sprint(b.Index(i))
			}
			slices.Sort(sa)
			slices.Sort(sb)
			return slices.Equal(sa, sb)
		}
		inOrder := true
		for i := 0; i < a.Len() && inOrder; i++ {
			inOrder = sameValue(a.Index(i), b.Index(i), unordered)
		}
		if inOrder || !unordered || a.Kind() != reflect.Slice || a.Len() > maxSetLen {
			return inOrder
		}
		// A short slice of records (a designation's chains): as a multiset.
		used := make([]bool, b.Len())
	next:
		for i := 0; i < a.Len(); i++ {
			for k := 0; k < b.Len(); k++ {
				if !used[k] && sameValue(a.Index(i), b.Index(k), unordered) {
					used[k] = true
					continue next
				}
			}
			return false
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return false
		}
		it := a.MapRange()
		for it.Next() {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() || !sameValue(it.Value(), bv, unordered) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.Uint() == b.Uint()
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.Complex64, reflect.Complex128:
		return a.Complex() == b.Complex()
	default: // func, chan, unsafe pointer: a read model holds none
		return false
	}
}

// maxSetLen is the longest slice of records compared as a set: the sets
// of one record are short, the long slices (firms, nodes) are in id order.
const maxSetLen = 64

func basic(k reflect.Kind) bool {
	switch k {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// sameAsScan checks that the store's read model is the one a full scan of
// the store gives, field by field, and that the journal it keeps for the
// next write agrees too (the scan replaces both).
func sameAsScan(t *testing.T, s *Store, step string) {
	t.Helper()
	got := s.Index()
	gotDigest := digest(got)
	if err := s.refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := IndexDiffUnordered(got, s.Index()); len(diff) > 0 {
		t.Errorf("%s: the read model differs from a full scan's in %v", step, diff)
	}
	if want := digest(s.Index()); gotDigest != want {
		t.Errorf("%s: the read model differs from a full scan's:\n%s\nscan:\n%s", step, gotDigest, want)
	}
}

// TestSnapshotRestartThenWrite: a restart loads the snapshot instead of
// scanning; its read model equals a scan's; writes after that restart
// (a new version, a second source, a delete) rebuild from the restored
// journal to what a scan gives; the next restart loads the new snapshot.
func TestSnapshotRestartThenWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kg.db")
	s, _ := logged(t, dir)
	mustReplace(t, s, srcRef, fixtureRegions...)
	mustReplace(t, s, srcChains, fixtureChain...)
	mustReplace(t, s, srcReg, fixtureFirms...)
	a := fixtureFirms[0].(graph.Firm)
	a.Tags = []string{"专精特新"}
	mustReplace(t, s, srcReg2, a, a)
	// A source without facts has a version and no journal entry.
	empty := graph.Source{ID: "override/empty", Kind: graph.KindOverride}
	if _, err := s.Replace(context.Background(), empty, graph.Facts()); err != nil {
		t.Fatal(err)
	}
	before := digest(s.Index())
	s.Close()

	s, log := logged(t, dir)
	if !strings.Contains(log.String(), fromSnapshot) {
		t.Fatalf("the restart scanned the store:\n%s", log)
	}
	if got := digest(s.Index()); got != before {
		t.Errorf("after the restart:\n%s\nbefore:\n%s", got, before)
	}
	// The journal restored from the snapshot drives the writes that follow.
	f := fixtureFirms[0].(graph.Firm)
	f.Capital = 9000
	f.Scope = "电芯的生产"
	mustReplace(t, s, srcReg, f)
	written := s.Index()
	if err := s.Delete(context.Background(), srcReg2.ID); err != nil {
		t.Fatal(err)
	}
	afterDelete := s.Index()
	sameAsScan(t, s, "after a write and a delete that followed a restart from the snapshot")
	s.Close()
	// The delete's own rebuild, checked apart: sameAsScan compared the last one.
	if _, ok := written.Source(srcReg2.ID); !ok {
		t.Error("the second source went before its delete")
	}
	if _, ok := afterDelete.Source(srcReg2.ID); ok {
		t.Error("the deleted source is still in the read model")
	}

	s, log = logged(t, dir)
	if !strings.Contains(log.String(), fromSnapshot) {
		t.Fatalf("the second restart scanned the store:\n%s", log)
	}
	sameAsScan(t, s, "second restart")
	if n := s.Index().FirmCount(); n != 1 { // the new version of srcReg holds one firm
		t.Errorf("FirmCount = %d", n)
	}
}

// snapshotStore is a bbolt store with sources written and closed, and its
// snapshot directory.
func snapshotStore(t *testing.T) (string, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "kg.db")
	s, _ := logged(t, dir)
	mustReplace(t, s, srcRef, fixtureRegions...)
	mustReplace(t, s, srcChains, fixtureChain...)
	mustReplace(t, s, srcReg, fixtureFirms...)
	s.Close()
	return dir, filepath.Join(dir, snapshotDirName)
}

func segments(t *testing.T, snap string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(snap, "seg-*.jnl"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no segments in %s: %v", snap, err)
	}
	return m
}

// TestSnapshotDamagedOrStale: a snapshot whose manifest or segment is
// damaged, whose segment is missing, or which was written for other
// versions than the store's, is ignored; the store is scanned, opens whole,
// and writes a good snapshot again.
func TestSnapshotDamagedOrStale(t *testing.T) {
	flip := func(path string, at func(n int) int) func(t *testing.T) {
		return func(t *testing.T) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b[at(len(b))] ^= 0x20
			os.WriteFile(path, b, 0o644)
		}
	}
	cases := map[string]func(t *testing.T, dir, snap string){
		"manifest byte flipped": func(t *testing.T, dir, snap string) {
			flip(filepath.Join(snap, manifestName), func(n int) int { return n / 3 })(t)
		},
		"manifest cut short": func(t *testing.T, dir, snap string) {
			b, _ := os.ReadFile(filepath.Join(snap, manifestName))
			os.WriteFile(filepath.Join(snap, manifestName), b[:len(b)/2], 0o644)
		},
		"segment byte flipped": func(t *testing.T, dir, snap string) {
			for _, p := range segments(t, snap) {
				flip(p, func(n int) int { return n / 2 })(t)
			}
		},
		"segment cut short": func(t *testing.T, dir, snap string) {
			p := segments(t, snap)[0]
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-9], 0o644)
		},
		"segment missing": func(t *testing.T, dir, snap string) {
			os.Remove(segments(t, snap)[0])
		},
		"quads written by a process that knows no snapshot": func(t *testing.T, dir, snap string) {
			// What an older chainkg killed after its first batch leaves: quads
			// of a version never made current, the version state unchanged.
			s, _ := logged(t, dir)
			qs := graph.Encode(nil, graph.Firm{ID: graph.FirmID(syntheticCode(7)), Name: "半途公司"})
			for i := range qs {
				qs[i].Label = versionLabel(srcReg.ID, time.Now())
			}
			if err := s.applyAdd(qs); err != nil {
				t.Fatal(err)
			}
			s.Close()
		},
		"written for other versions": func(t *testing.T, dir, snap string) {
			// Keep the snapshot, write with it put aside, put it back: it
			// now describes the versions before the write.
			old := snap + ".old"
			if err := os.Rename(snap, old); err != nil {
				t.Fatal(err)
			}
			s, _ := logged(t, dir)
			f := fixtureFirms[1].(graph.Firm)
			f.Capital = 123
			mustReplace(t, s, srcReg, f)
			s.Close()
			os.RemoveAll(snap)
			if err := os.Rename(old, snap); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir, snap := snapshotStore(t)
			damage(t, dir, snap)
			s, log := logged(t, dir)
			if strings.Contains(log.String(), fromSnapshot) {
				t.Fatalf("a damaged or stale snapshot was loaded:\n%s", log)
			}
			if !strings.Contains(log.String(), "read model built") {
				t.Fatalf("the store was not scanned:\n%s", log)
			}
			sameAsScan(t, s, name)
			want := digest(s.Index())
			s.Close()
			s, log = logged(t, dir)
			if !strings.Contains(log.String(), fromSnapshot) {
				t.Errorf("the scan did not write a good snapshot again:\n%s", log)
			}
			if got := digest(s.Index()); got != want {
				t.Errorf("from the rewritten snapshot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestSnapshotInterruptedWrite stops the writing of the snapshot at each of
// its stages, as a kill would, after a write that replaced a version: the
// next open must give the read model a scan gives (from a complete
// snapshot, or by scanning), and a write after it must too.
func TestSnapshotInterruptedWrite(t *testing.T) {
	var stages []string
	snapshotFault = func(stage string) error { stages = append(stages, stage); return nil }
	dir, _ := snapshotStore(t)
	s, _ := logged(t, dir)
	stages = nil
	f := fixtureFirms[0].(graph.Firm)
	f.Capital = 777
	mustReplace(t, s, srcReg, f)
	s.Close()
	snapshotFault = nil
	all := stages
	if len(all) < 6 {
		t.Fatalf("the snapshot write went through %d stages: %v", len(all), all)
	}
	for _, stop := range all {
		t.Run(stop, func(t *testing.T) {
			t.Cleanup(func() { snapshotFault = nil })
			dir, _ := snapshotStore(t)
			s, _ := logged(t, dir)
			snapshotFault = func(stage string) error {
				if stage == stop {
					return errors.New("killed")
				}
				return nil
			}
			f := fixtureFirms[0].(graph.Firm)
			f.Capital = 777
			mustReplace(t, s, srcReg, f)
			snapshotFault = func(string) error { return errors.New("the process is gone") }
			want := digest(s.Index())
			s.Close()
			snapshotFault = nil

			s, log := logged(t, dir)
			loaded := strings.Contains(log.String(), fromSnapshot)
			t.Logf("stopped at %q: loaded from the snapshot: %v", stop, loaded)
			if got := digest(s.Index()); got != want {
				t.Errorf("after the interrupted snapshot:\n%s\nwant:\n%s", got, want)
			}
			g := fixtureFirms[1].(graph.Firm)
			g.Capital = 4242
			mustReplace(t, s, srcReg, f, g)
			sameAsScan(t, s, "a write after the interrupted snapshot")
		})
	}
}

// TestSnapshotOnlyOnBolt: mem: stores write none.
func TestSnapshotOnlyOnBolt(t *testing.T) {
	s := openTestStore(t, "mem:")
	if s.snap != nil {
		t.Error("a mem: store has a snapshot")
	}
}

// TestMemTotal reads the machine's memory where /proc/meminfo exists.
func TestMemTotal(t *testing.T) {
	if _, err := os.Stat("/proc/meminfo"); err != nil {
		t.Skip("no /proc/meminfo here")
	}
	if n := memTotal(); n < 1<<20 {
		t.Errorf("memTotal() = %d, want the machine's memory in bytes", n)
	}
}

// TestSnapshotOfEmptyStore: the first open of a new bbolt store warned that
// the snapshot could not be written (cayley has no buckets before its first
// write), which read as a fault to whoever started the service.
func TestSnapshotOfEmptyStore(t *testing.T) {
	_, log := logged(t, filepath.Join(t.TempDir(), "kg.db"))
	if strings.Contains(log.String(), "could not write") {
		t.Errorf("opening an empty store logged:\n%s", log.String())
	}
}

// FullRebuild builds the read model from every quad of the journal, as a
// write that cannot update it does, without swapping it in.
func FullRebuild(s *Store) *readmodel.Index {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	b := startBuilder(s.Index().Sources())
	s.j.replay(b)
	return b.Build()
}

// gcPercent reads the runtime's GC percent.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestRoomyGCOverlapping checks that callers of RoomyGC that overlap (an
// open inside a load, tests in parallel) leave the GC as it was before the
// first, whatever order they return in, and that an operator's GOGC wins.
func TestRoomyGCOverlapping(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if memTotal() == 0 {
		t.Skip("no /proc/meminfo: RoomyGC leaves the GC alone")
	}
	before := gcPercent()
	a := RoomyGC()
	inside := gcPercent()
	if inside != 300 {
		t.Fatalf("GC percent %d inside RoomyGC, want 300", inside)
	}
	b := RoomyGC()
	a()
	a() // a second call of the same restore counts once
	if got := gcPercent(); got != inside {
		t.Fatalf("GC percent %d after the first caller returned while another is inside, want %d", got, inside)
	}
	b()
	if got := gcPercent(); got != before {
		t.Fatalf("GC percent %d after both returned, want %d as before", got, before)
	}
	t.Setenv("GOGC", "50")
	RoomyGC()()
	if got := gcPercent(); got != before {
		t.Fatalf("GC percent %d with GOGC set, want it left at %d", got, before)
	}
}

// TestBoundedGCNestsWithRoomyGC: a load's memory limit (half the machine)
// holds through an open's roomier GC inside it and is taken back after;
// an operator's GOMEMLIMIT is left alone.
func TestBoundedGCNestsWithRoomyGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	if memTotal() == 0 {
		t.Skip("no /proc/meminfo: BoundedGC leaves the GC alone")
	}
	limit := func() int64 { return debug.SetMemoryLimit(-1) }
	before := limit()
	restore := BoundedGC()
	if got := limit(); got != memTotal()/2 {
		t.Fatalf("memory limit %d inside BoundedGC, want half of %d", got, memTotal())
	}
	RoomyGC()()
	if got := limit(); got != memTotal()/2 {
		t.Fatalf("memory limit %d after an open's RoomyGC inside a load, want %d", got, memTotal()/2)
	}
	restore()
	if got := limit(); got != before {
		t.Fatalf("memory limit %d after the load, want %d as before", got, before)
	}
	t.Setenv("GOMEMLIMIT", "8GiB")
	BoundedGC()
	if got := limit(); got != before {
		t.Fatalf("memory limit %d with GOMEMLIMIT set, want it left at %d", got, before)
	}
}
