package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/pgtest"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// The fixture: two regions, one chain of three nodes, two firms.
//
//	370000 山东省 ── 370600 烟台市
//
//	chain ev:  up/cell ──suppliesTo──► mid/pack ──suppliesTo──► down/vehicle
//
//	firm 914403001922038216 ─inNode─► ev/cell    (region 370600)
//	firm 9144030071526726XG ─inNode─► ev/vehicle (region 370000)
var (
	fixtureRegions = []graph.Fact{
		graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince},
		graph.Region{Code: "370600", Name: "烟台市", ShortName: "烟台", Level: graph.LevelCity, Parent: "370000"},
	}
	fixtureChain = []graph.Fact{
		graph.Chain{ID: "ev", Name: "电动车", Type: graph.ChainUpDown, Segments: []graph.Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中游"}, {ID: "down", Name: "下游"}}},
		graph.ChainNode{ID: "ev/cell", Name: "电芯", Segment: "up", Codes: []graph.IndustryCode{"3841"}, Keywords: []string{"电芯"}, SuppliesTo: []graph.NodeID{"ev/pack"}},
		graph.ChainNode{ID: "ev/pack", Name: "电池包", Segment: "mid", Order: 1, Keywords: []string{"电池包"}, SuppliesTo: []graph.NodeID{"ev/vehicle"}},
		graph.ChainNode{ID: "ev/vehicle", Name: "整车", Segment: "down", Order: 2, Keywords: []string{"整车"}},
	}
	fixtureFirms = []graph.Fact{
		graph.Firm{ID: "914403001922038216", Name: "甲电芯有限公司", Region: "370600", RegionMethod: "column", Status: graph.StatusActive,
			Capital: 5000, Nodes: []graph.NodeLink{{Node: "ev/cell", Method: "keyword", Confidence: 0.8, Role: "producer", Matched: "电芯"}}},
		graph.Firm{ID: "9144030071526726XG", Name: "乙汽车有限公司", Region: "370000", RegionMethod: "column", Status: graph.StatusActive,
			Nodes: []graph.NodeLink{{Node: "ev/vehicle", Method: "code", Confidence: 0.9}}},
	}
)

var (
	srcRef    = graph.Source{ID: "reference/regions", Kind: graph.KindReference, Title: "regions"}
	srcChains = graph.Source{ID: "chains/library", Kind: graph.KindChains, Title: "chain library"}
	srcReg    = graph.Source{ID: "registry/firms", Kind: graph.KindRegistry, Title: "firms.csv"}
	srcReg2   = graph.Source{ID: "registry/firms-2", Kind: graph.KindRegistry, Title: "firms-2.csv"}
)

// backends opens a fresh store of each kind the machine can provide.
func backends(t *testing.T) map[string]func(t *testing.T) *Store {
	t.Helper()
	return map[string]func(t *testing.T) *Store{
		"mem": func(t *testing.T) *Store {
			return openTestStore(t, "mem:")
		},
		"bbolt": func(t *testing.T) *Store {
			return openTestStore(t, "bbolt:"+filepath.Join(t.TempDir(), "kg.db"))
		},
		"postgres": func(t *testing.T) *Store {
			return openTestStore(t, testPostgresURL(t))
		},
	}
}

func openTestStore(t *testing.T, u string) *Store {
	t.Helper()
	s, err := Open(context.Background(), u, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", u, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// testPostgresURL is an empty PostgreSQL database for one test.
func testPostgresURL(t *testing.T) string { return pgtest.Database(t, "chainkg_test") }

// dump returns every quad of the store, meta graph included, as sorted
// N-Quads lines with version labels and load times reduced to stable forms.
func dump(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	err := s.scan(context.Background(), func(q quad.Quad) error {
		if q.Predicate == graph.PredLoadedAt {
			q.Object = quad.String("T")
		}
		out = append(out, stableLabels(q.NQuad()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func stableLabels(s string) string {
	for {
		i := strings.Index(s, "@")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return s
		}
		s = s[:i] + "#V" + s[i+j:]
	}
}

func mustReplace(t *testing.T, s *Store, src graph.Source, facts ...graph.Fact) ReplaceResult {
	t.Helper()
	r, err := s.Replace(context.Background(), src, graph.Facts(facts...))
	if err != nil {
		t.Fatalf("Replace(%s): %v", src.ID, err)
	}
	return r
}

func TestStoreConformance(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("ReplaceLoadsFacts", func(t *testing.T) { testReplaceLoads(t, open(t)) })
			t.Run("ReplaceTwiceIsIdempotent", func(t *testing.T) { testReplaceTwice(t, open(t)) })
			t.Run("NewVersionRemovesOldFacts", func(t *testing.T) { testNewVersion(t, open(t)) })
			t.Run("FailedLoadKeepsPreviousVersion", func(t *testing.T) { testFailedLoad(t, open(t)) })
			t.Run("SharedFactSurvivesUntilBothGone", func(t *testing.T) { testSharedFact(t, open(t)) })
			t.Run("DeleteRemovesSource", func(t *testing.T) { testDelete(t, open(t)) })
			t.Run("InvalidSourceRejected", func(t *testing.T) { testInvalidSource(t, open(t)) })
		})
	}
}

func testReplaceLoads(t *testing.T, s *Store) {
	mustReplace(t, s, srcRef, fixtureRegions...)
	mustReplace(t, s, srcChains, fixtureChain...)
	r := mustReplace(t, s, srcReg, fixtureFirms...)
	if r.Unchanged || r.Facts == 0 || !strings.HasPrefix(r.Hash, "sha256:") || r.LoadedAt.IsZero() {
		t.Fatalf("ReplaceResult = %+v", r)
	}
	x := s.Index()
	if got := x.Stats().ByClass; got["Region"] != 2 || got["Chain"] != 1 || got["ChainNode"] != 3 || got["Firm"] != 2 {
		t.Fatalf("ByClass = %v", got)
	}
	yt, ok := x.Region("370600")
	if !ok || yt.Name != "烟台市" || yt.ShortName != "烟台" || yt.Parent != "370000" {
		t.Fatalf("Region(370600) = %+v, %v", yt, ok)
	}
	if a := x.Ancestors("370600"); len(a) != 1 || a[0].Code != "370000" {
		t.Fatalf("Ancestors(370600) = %+v", a)
	}
	nodes := x.ChainNodes("ev")
	var ids []graph.NodeID
	for _, n := range nodes {
		ids = append(ids, n.ID)
	}
	if !slices.Equal(ids, []graph.NodeID{"ev/cell", "ev/pack", "ev/vehicle"}) {
		t.Fatalf("ChainNodes(ev) = %v", ids)
	}
	if c, _ := x.Chain("ev"); len(c.Segments) != 3 || c.Segments[1].Name != "中游" {
		t.Fatalf("Chain(ev).Segments = %+v", c.Segments)
	}
	f, ok := x.Firm("914403001922038216")
	if !ok || f.Name != "甲电芯有限公司" || f.Capital != 5000 || len(f.Nodes) != 1 ||
		f.Nodes[0].Method != "keyword" || f.Nodes[0].Confidence != 0.8 || f.Nodes[0].Role != "producer" {
		t.Fatalf("Firm = %+v, %v", f, ok)
	}
	srcs, err := s.Sources(context.Background())
	if err != nil || len(srcs) != 3 {
		t.Fatalf("Sources = %v, %v", srcs, err)
	}
	total := 0
	for _, si := range srcs {
		if si.Facts == 0 || si.Kind == "" || si.Hash == "" {
			t.Errorf("source %+v lacks kind, count or hash", si)
		}
		total += si.Facts
	}
	if total != x.Stats().Quads {
		t.Errorf("sources count %d quads, read model %d", total, x.Stats().Quads)
	}
}

func testReplaceTwice(t *testing.T, s *Store) {
	mustReplace(t, s, srcRef, fixtureRegions...)
	first := mustReplace(t, s, srcReg, fixtureFirms...)
	before := dump(t, s)
	again := mustReplace(t, s, srcReg, fixtureFirms...)
	if !again.Unchanged {
		t.Errorf("second Replace with the same facts reported a change")
	}
	if again.Version != first.Version || again.Hash != first.Hash {
		t.Errorf("second Replace changed version %s → %s", first.Version, again.Version)
	}
	after := dump(t, s)
	if !slices.Equal(before, after) {
		t.Fatalf("store changed after an identical Replace:\nbefore %d quads\nafter  %d quads", len(before), len(after))
	}
}

func testNewVersion(t *testing.T, s *Store) {
	mustReplace(t, s, srcReg, fixtureFirms...)
	// The new version drops the second firm and changes the first one's capital.
	f := fixtureFirms[0].(graph.Firm)
	f.Capital = 8000
	r := mustReplace(t, s, srcReg, f)
	x := s.Index()
	if _, ok := x.Firm("9144030071526726XG"); ok {
		t.Error("a firm only the old version had is still there")
	}
	got, _ := x.Firm("914403001922038216")
	if got.Capital != 8000 {
		t.Errorf("capital = %v, want the new version's 8000", got.Capital)
	}
	for _, line := range dump(t, s) {
		if strings.Contains(line, "乙汽车") || strings.Contains(line, `"5000`) {
			t.Errorf("a quad of the old version is left in the store: %s", line)
		}
	}
	if srcs := x.Sources(); len(srcs) != 1 || srcs[0].Version != r.Version {
		t.Errorf("Sources = %+v, want only the new version %s", srcs, r.Version)
	}
}

func testFailedLoad(t *testing.T, s *Store) {
	mustReplace(t, s, srcRef, fixtureRegions...)
	old := mustReplace(t, s, srcReg, fixtureFirms...)
	before := dump(t, s)
	boom := errors.New("row 70001: the file is truncated")
	// Put several batches, so part of the new version is committed to cayley
	// before the load fails.
	s.batch = 64
	defer func() { s.batch = batchSize }()
	_, err := s.Replace(context.Background(), srcReg, func(w graph.FactSink) error {
		for i := 0; i < 100; i++ {
			code := syntheticCode(i)
			if err := w.Put(graph.Firm{ID: graph.FirmID(code), Name: fmt.Sprintf("新公司%d", i), Region: "370600"}); err != nil {
				return err
			}
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Replace error = %v, want %v", err, boom)
	}
	x := s.Index()
	if x.FirmCount() != 2 {
		t.Errorf("read model has %d firms after a failed load, want the previous 2", x.FirmCount())
	}
	if si, _ := x.Source(srcReg.ID); si.Version != old.Version {
		t.Errorf("current version %s, want the previous %s", si.Version, old.Version)
	}
	if after := dump(t, s); !slices.Equal(before, after) {
		t.Errorf("store differs after a failed load: %d quads before, %d after", len(before), len(after))
	}
	// A cancelled context is a failure too.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Replace(ctx, srcReg, graph.Facts(fixtureFirms[0])); !errors.Is(err, context.Canceled) {
		t.Errorf("Replace with a cancelled context = %v", err)
	}
	if x := s.Index(); x.FirmCount() != 2 {
		t.Errorf("a cancelled load changed the read model")
	}
}

// syntheticCode makes a valid credit code from a number.
func syntheticCode(i int) string {
	p := fmt.Sprintf("91370600%09d", i)
	c, err := graph.CreditCheckChar(p)
	if err != nil {
		panic(err)
	}
	return p + string(c)
}

func testSharedFact(t *testing.T, s *Store) {
	a := graph.Firm{ID: "914403001922038216", Name: "甲电芯有限公司", Tags: []string{"专精特新"}}
	b := graph.Firm{ID: "914403001922038216", Name: "甲电芯有限公司", Capital: 100}
	mustReplace(t, s, srcReg, a)
	mustReplace(t, s, srcReg2, b)
	if err := s.Delete(context.Background(), srcReg.ID); err != nil {
		t.Fatal(err)
	}
	f, ok := s.Index().Firm(a.ID)
	if !ok || f.Name != a.Name || f.Capital != 100 {
		t.Fatalf("after deleting one of two sources: %+v, %v", f, ok)
	}
	if len(f.Tags) != 0 {
		t.Errorf("a fact only the deleted source asserted survived: tags %v", f.Tags)
	}
	if err := s.Delete(context.Background(), srcReg2.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Index().Firm(a.ID); ok {
		t.Error("the firm survived the deletion of both sources")
	}
	if n := len(dump(t, s)); n != 0 {
		t.Errorf("%d quads left after deleting every source", n)
	}
}

func testDelete(t *testing.T, s *Store) {
	mustReplace(t, s, srcRef, fixtureRegions...)
	mustReplace(t, s, srcReg, fixtureFirms...)
	if err := s.Delete(context.Background(), srcReg.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(context.Background(), srcReg.ID); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("deleting twice = %v, want ErrNotFound", err)
	}
	x := s.Index()
	if x.FirmCount() != 0 || len(x.Sources()) != 1 {
		t.Errorf("after Delete: %d firms, sources %v", x.FirmCount(), x.Sources())
	}
	for _, line := range dump(t, s) {
		if strings.Contains(line, "registry/firms") {
			t.Errorf("quad of the deleted source left: %s", line)
		}
	}
}

func testInvalidSource(t *testing.T, s *Store) {
	for _, src := range []graph.Source{{ID: "no-kind", Kind: graph.KindPlan}, {ID: "plan/x", Kind: "weird"}} {
		if _, err := s.Replace(context.Background(), src, graph.Facts()); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("Replace(%+v) = %v, want ErrInvalid", src, err)
		}
	}
}

// TestReopenKeepsStore checks that a bbolt store is reused across opens, and
// that a version a killed load left behind is removed at the next open while
// the previous version stays whole.
func TestReopenKeepsStore(t *testing.T) {
	path := "bbolt:" + filepath.Join(t.TempDir(), "kg.db")
	ctx := context.Background()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustReplace(t, s, srcRef, fixtureRegions...)
	mustReplace(t, s, srcReg, fixtureFirms...)
	before := dump(t, s)
	// What a load killed after its first batch leaves: quads under a version
	// label that was never made current.
	orphan := versionLabel(srcReg.ID, time.Now())
	qs := graph.Encode(nil, graph.Firm{ID: graph.FirmID(syntheticCode(1)), Name: "半途公司"})
	for i := range qs {
		qs[i].Label = orphan
	}
	if err := s.applyAdd(qs); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := dump(t, s); !slices.Equal(before, got) {
		t.Errorf("after reopen the store differs: %d quads before, %d after", len(before), len(got))
	}
	if s.Index().FirmCount() != 2 {
		t.Errorf("FirmCount = %d after reopen", s.Index().FirmCount())
	}
}

// TestOpenStopsWhenCancelled: the scan at open takes minutes on a large
// store; a cancelled context (a signal at start-up) stops it with the
// context's error, and the store opens whole afterwards.
func TestOpenStopsWhenCancelled(t *testing.T) {
	path := "bbolt:" + filepath.Join(t.TempDir(), "kg.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustReplace(t, s, srcRef, fixtureRegions...)
	mustReplace(t, s, srcReg, fixtureFirms...)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := Open(ctx, path, Options{}); !errors.Is(err, context.Canceled) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open with a cancelled context: %v", err)
	}
	s, err = Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Index().FirmCount() != 2 {
		t.Errorf("FirmCount = %d after the cancelled open", s.Index().FirmCount())
	}
}

// TestWatchSeesOtherProcess opens two stores on one PostgreSQL database, as
// two API replicas would, and checks that a source loaded through one is
// served by the other.
func TestWatchSeesOtherProcess(t *testing.T) {
	u := testPostgresURL(t)
	a := openTestStore(t, u)
	b := openTestStore(t, u)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Watch(ctx, 100*time.Millisecond)

	mustReplace(t, a, srcReg, fixtureFirms...)
	deadline := time.Now().Add(10 * time.Second)
	for b.Index().FirmCount() != 2 {
		if time.Now().After(deadline) {
			t.Fatalf("replica b did not see the load through a within 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := a.Delete(context.Background(), srcReg.ID); err != nil {
		t.Fatal(err)
	}
	for b.Index().FirmCount() != 0 {
		if time.Now().After(deadline.Add(10 * time.Second)) {
			t.Fatalf("replica b did not see the deletion through a")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// digest renders what a read model holds in a canonical text, to compare
// a model rebuilt from the journal with one read from the store.
func digest(x *readmodel.Index) string {
	var b strings.Builder
	st := x.Stats()
	fmt.Fprintf(&b, "quads %d sources %d\n", st.Quads, st.Sources)
	for _, k := range []string{"Region", "Chain", "ChainNode", "Firm", "Park", "Plan", "Industry", "Evidence"} {
		fmt.Fprintf(&b, "%s %d\n", k, st.ByClass[k])
	}
	for _, si := range x.Sources() {
		fmt.Fprintf(&b, "source %s %s %d %s\n", si.ID, si.Version, si.Facts, si.Hash)
	}
	x.EachFirm(func(f graph.Firm) bool {
		slices.Sort(f.Aliases)
		slices.Sort(f.Tags)
		fmt.Fprintf(&b, "firm %+v\n", f)
		return true
	})
	for _, r := range x.Regions() {
		fmt.Fprintf(&b, "region %+v\n", r)
	}
	for _, c := range x.Chains() {
		for _, n := range x.ChainNodes(c.ID) {
			fmt.Fprintf(&b, "node %+v\n", n)
		}
	}
	return b.String()
}

// TestRebuildMatchesFullRefresh writes, replaces and deletes sources, then
// checks that the read model rebuilt from the journal after each write is
// the one a full scan of the store gives.
func TestRebuildMatchesFullRefresh(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			check := func(step string) {
				t.Helper()
				got := digest(s.Index())
				if err := s.refresh(context.Background()); err != nil {
					t.Fatal(err)
				}
				if want := digest(s.Index()); got != want {
					t.Errorf("%s: the rebuilt read model differs from the store's:\nrebuilt:\n%s\nfrom the store:\n%s", step, got, want)
				}
			}
			mustReplace(t, s, srcRef, fixtureRegions...)
			check("regions")
			mustReplace(t, s, srcChains, fixtureChain...)
			mustReplace(t, s, srcReg, fixtureFirms...)
			check("firms")
			// The same firm from a second source, with a tag and a repeated fact.
			a := fixtureFirms[0].(graph.Firm)
			a.Tags = []string{"专精特新"}
			a.Capital = 0
			mustReplace(t, s, srcReg2, a, a)
			check("second source")
			f := fixtureFirms[0].(graph.Firm)
			f.Capital = 9000
			f.Scope = "电芯的生产"
			mustReplace(t, s, srcReg, f)
			check("new version")
			if err := s.Delete(context.Background(), srcReg2.ID); err != nil {
				t.Fatal(err)
			}
			check("delete")
			if _, err := s.Replace(context.Background(), graph.Source{ID: srcReg.ID, Kind: graph.KindRegistry, Title: "renamed.csv"}, graph.Facts(f)); err != nil {
				t.Fatal(err)
			}
			if si, _ := s.Index().Source(srcReg.ID); si.Title != "renamed.csv" {
				t.Errorf("same facts under a new title: title %q", si.Title)
			}
			check("retitled")
		})
	}
}
