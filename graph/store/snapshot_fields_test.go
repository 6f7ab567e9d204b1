package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// emptyOnDefaults lists the fields of readmodel.Index the default data (and
// a quality mark) leave empty, with the reason. A field added to Index that
// the default data do not fill makes TestSnapshotCoversEveryIndexField fail
// until it is filled here or named here — so no field can go unchecked.
var emptyOnDefaults = map[string]string{
	// Decoders fill it from values they cannot read; the default data have
	// none. A snapshot restores the quads, so the same values are read again
	// (readmodel's TestBadStoredValuesAreReported covers the decoding).
	"badValues": "the default data hold no unreadable value",
}

// TestSnapshotCoversEveryIndexField loads the default data and a quality
// mark into a bbolt store, restarts it from its snapshot, and compares every
// field of the read model, by reflection, with the read model a full scan
// of the same store gives. A field the snapshot loses, or leaves out of the
// comparison by being empty, fails the test by name.
func TestSnapshotCoversEveryIndexField(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the default data")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kg.db")
	open := func() (*store.Store, string) {
		t.Helper()
		var log bytes.Buffer
		s, err := store.Open(ctx, "bbolt:"+dir, store.Options{Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil {
			t.Fatal(err)
		}
		return s, log.String()
	}
	s, _ := open()
	if _, err := loaders.LoadDefaults(ctx, s, data.FS); err != nil {
		t.Fatal(err)
	}
	// A firm of the defaults placed by another source in another province:
	// regions that contradict each other.
	var moved graph.Firm
	s.Index().EachFirm(func(f graph.Firm) bool {
		if f.Region.Level() == graph.LevelCounty && strings.HasPrefix(string(f.Region), "37") {
			moved = graph.Firm{ID: f.ID, Name: f.Name, Region: "110105"}
			return false
		}
		return true
	})
	if moved.ID == "" {
		t.Fatal("no firm of the defaults is placed in a county of 山东")
	}
	if _, err := s.Replace(ctx, graph.Source{ID: "registry/contradicting.csv", Kind: graph.KindRegistry}, graph.Facts(moved)); err != nil {
		t.Fatal(err)
	}
	mark := graph.QualityMark{Item: "firm-region-conflict:test", Status: graph.MarkResolved, Note: "核实", By: "test", At: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)}
	if _, err := s.Replace(ctx, graph.Source{ID: "override/quality-marks", Kind: graph.KindOverride}, graph.Facts(mark)); err != nil {
		t.Fatal(err)
	}
	fromWrite := s.Index() // rebuilt from the journal after the write
	s.Close()

	s, log := open()
	if !strings.Contains(log, "read model loaded from its snapshot") {
		s.Close()
		t.Fatalf("the restart did not load the snapshot:\n%s", log)
	}
	fromSnap := s.Index()
	s.Close()
	if err := os.RemoveAll(filepath.Join(dir, "readmodel")); err != nil {
		t.Fatal(err)
	}
	s, log = open()
	defer s.Close()
	if strings.Contains(log, "read model loaded from its snapshot") {
		t.Fatal("the snapshot was removed, yet loaded")
	}
	scanned := s.Index()
	if diff := store.IndexDiff(fromSnap, fromWrite); len(diff) > 0 {
		t.Errorf("fields of the read model the snapshot does not give back: %v", diff)
	}
	if diff := store.IndexDiffUnordered(fromSnap, scanned); len(diff) > 0 {
		t.Errorf("fields of the read model from the snapshot that differ from a full scan's: %v", diff)
	}
	if diff := store.IndexDiffUnordered(fromWrite, scanned); len(diff) > 0 {
		t.Errorf("fields of the read model rebuilt after a write that differ from a full scan's: %v", diff)
	}
	v := reflect.ValueOf(scanned).Elem()
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Name
		f := v.Field(i)
		zero := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().IsZero()
		_, allowed := emptyOnDefaults[name]
		switch {
		case zero && !allowed:
			t.Errorf("Index.%s is empty on the default data, so this test cannot tell whether the snapshot keeps it: give the test data that fill it, or name it in emptyOnDefaults with the reason", name)
		case !zero && allowed:
			t.Errorf("Index.%s is named in emptyOnDefaults but the default data fill it: take it out", name)
		}
	}
	var _ *readmodel.Index = scanned
}
