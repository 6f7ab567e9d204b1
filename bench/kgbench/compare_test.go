package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
	"github.com/chainkg/chainkg/loaders/synth"
)

// TestGizmoAnswersAsReadModel asks the analytics fixture's questions of the
// Gizmo alternative and of the read model, and checks that the comparison
// notices an answer that differs.
func TestGizmoAnswersAsReadModel(t *testing.T) {
	st := graphtest.Analytics(t)
	ctx := context.Background()
	cfg := graph.DefaultConfig()
	e, err := newEngine(ctx, &gizmoStore{st: st}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, got := inProcess(st.Index(), cfg, 1), engineSystem("gizmo", e, 1)
	pairs := []string{"370600:ev", "370613:ev", "370100:ev", "320500:ev", "370000:ev"}
	for _, q := range []question{{"chain map", pairs}, {"gaps", pairs}, {"anchors", pairs}, {"targets (page 1)", pairs}, {"firm search", []string{"F1", "f5"}}} {
		for _, arg := range q.args {
			w, err := want.ask(ctx, q.name, arg)
			if err != nil {
				t.Fatal(err)
			}
			g, err := got.ask(ctx, q.name, arg)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffAnswers(w, g, true); len(d) > 0 {
				t.Errorf("%s %s:\n  %s", q.name, arg, strings.Join(d, "\n  "))
			}
		}
	}
	// 烟台: 负极材料 is a gap the targets fill, with a park named for it.
	tg, err := got.ask(ctx, "targets (page 1)", "370600:ev")
	if err != nil {
		t.Fatal(err)
	}
	if ta := tg.(*targetsAnswer); ta.Total == 0 || ta.Page[0].Park != "yt-eda" {
		t.Errorf("targets of 烟台 × ev: %+v", ta)
	}
	m, err := want.ask(ctx, "chain map", "370600:ev")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := want.ask(ctx, "chain map", "370600:ev")
	n := other.(*mapAnswer).Nodes["ev/cell"]
	n.WCount += 2e-6
	other.(*mapAnswer).Nodes["ev/cell"] = n
	if d := diffAnswers(m, other, false); len(d) != 1 || !strings.Contains(d[0], "ev/cell weighted count") {
		t.Errorf("a changed weighted count: %v", d)
	}
}

// loadUncertain adds to the analytics fixture what the data does not know:
//
//	U1 山东省 only        负极材料            capital 7000      → 烟台: unplaced on 负极材料, no target
//	U2 no region          负极材料            nothing known     → no target of 烟台 (unplaced)
//	U3 苏州               负极材料            nothing known     → a target of unknown scale
//	U4 芝罘区             电池材料 (group)    nothing known     → 芝罘: 电池材料 未细分; a candidate anchor of unknown size
//	U5 苏州               电池材料 (group)    capital 20000     → a target through the group, left out with leaf_only
//	   电池回收 (a leaf no firm has)                            → 无数据 everywhere
func loadUncertain(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	put := func(src graph.Source, facts ...graph.Fact) {
		if _, err := st.Replace(ctx, src, graph.Facts(facts...)); err != nil {
			t.Fatalf("Replace(%s): %v", src.ID, err)
		}
	}
	put(graph.Source{ID: "chains/recycling", Kind: graph.KindChains},
		graph.ChainNode{ID: "ev/recycling", Name: "电池回收", Segment: "down", Order: 6})
	link := func(n graph.NodeID) []graph.NodeLink {
		return []graph.NodeLink{{Node: n, Method: "keyword", Confidence: 1}}
	}
	firm := func(i int, region graph.RegionCode, capital float64, node graph.NodeID) graph.Fact {
		return graph.Firm{ID: graph.FirmID(graphtest.CreditCode(i)), Name: fmt.Sprintf("U%d", i-20), Region: region, Capital: capital, Nodes: link(node)}
	}
	put(graph.Source{ID: "registry/uncertain", Kind: graph.KindRegistry},
		firm(21, "370000", 7000, "ev/anode"),
		firm(22, "", 0, "ev/anode"),
		firm(23, "320500", 0, "ev/anode"),
		firm(24, "370602", 0, "ev/materials"),
		firm(25, "320500", 20000, "ev/materials"),
	)
}

// TestAlternativesFollowUncertainData checks the Gizmo alternative, and
// PostgreSQL when CHAINKG_TEST_POSTGRES names one, against the read model
// where the data does not know a firm's place or size, and that the fixture
// does exercise each of those rules.
func TestAlternativesFollowUncertainData(t *testing.T) {
	st := graphtest.Analytics(t)
	loadUncertain(t, st)
	ctx := context.Background()
	cfg := graph.DefaultConfig()
	e, err := newEngine(ctx, &gizmoStore{st: st}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, systems := inProcess(st.Index(), cfg, 1), []*system{engineSystem("gizmo", e, 1)}
	if url := os.Getenv("CHAINKG_TEST_POSTGRES"); url != "" {
		db, err := pgOpen(ctx, url, "kgbench_uncertain")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := pgLoad(ctx, db, "kgbench_uncertain", st.Index(), ""); err != nil {
			t.Fatal(err)
		}
		p, err := newPGStore(ctx, db, false)
		if err != nil {
			t.Fatal(err)
		}
		defer p.close()
		e, err := newEngine(ctx, p, cfg)
		if err != nil {
			t.Fatal(err)
		}
		systems = append(systems, engineSystem("PostgreSQL", e, 1))
	} else {
		t.Log("CHAINKG_TEST_POSTGRES is not set: PostgreSQL left out")
	}
	pairs := []string{"370600:ev", "370613:ev", "370602:ev", "320500:ev", "370000:ev"}
	answers := map[string]any{}
	for _, q := range []string{"chain map", "gaps", "anchors", "anchors (all candidates)", "targets (page 1)", "targets leaf-only (page 1)"} {
		for _, arg := range pairs {
			w, err := want.ask(ctx, q, arg)
			if err != nil {
				t.Fatal(err)
			}
			answers[q+" "+arg] = w
			for _, s := range systems {
				g, err := s.ask(ctx, q, arg)
				if err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
				if d := diffAnswers(w, g, true); len(d) > 0 {
					t.Errorf("%s: %s %s:\n  %s", s.name, q, arg, strings.Join(d, "\n  "))
				}
			}
		}
	}
	// The rules the fixture is there for, in the reference answers.
	yt := answers["chain map 370600:ev"].(*mapAnswer)
	if yt.NoData != 1 || yt.Levels["无数据"] != 1 || yt.Nodes["ev/recycling"].Level != "无数据" {
		t.Errorf("烟台 map: no-data leaves %d, levels %v, 电池回收 %q; want 电池回收 alone 无数据", yt.NoData, yt.Levels, yt.Nodes["ev/recycling"].Level)
	}
	if n := yt.Nodes["ev/anode"].Unplaced; n != 1 {
		t.Errorf("烟台 负极材料 unplaced = %d, want 1 (U1, known at 山东省 only)", n)
	}
	if n := answers["chain map 370602:ev"].(*mapAnswer).Nodes["ev/materials"]; n.Level != "未细分" || n.Unsplit != 1 {
		t.Errorf("芝罘 电池材料: level %q, unsplit %d; want 未细分, 1 (U4)", n.Level, n.Unsplit)
	}
	tg, leaf := answers["targets (page 1) 370600:ev"].(*targetsAnswer), answers["targets leaf-only (page 1) 370600:ev"].(*targetsAnswer)
	if tg.Unplaced != 2 || tg.ScaleUnknown != 1 || leaf.Total != tg.Total-1 {
		t.Errorf("烟台 targets: unplaced %d, scale unknown %d, total %d (leaf only %d); want 2 (U1, U2), 1 (U3), U5 left out by leaf_only",
			tg.Unplaced, tg.ScaleUnknown, tg.Total, leaf.Total)
	}
	unknown := 0
	for _, a := range answers["anchors (all candidates) 370602:ev"].(*anchorsAnswer).Anchors {
		if !a.ScaleKnown && !a.Passed && a.By == "unknown" {
			unknown++
		}
	}
	if unknown != 1 {
		t.Errorf("芝罘 anchor candidates of unknown size failing the gate: %d, want 1 (U4)", unknown)
	}
}

// TestCompareRuns runs the benchmark end to end at a small size: chainkg
// in memory, its API, PostgreSQL when CHAINKG_TEST_POSTGRES names one (CI
// sets it) and Gizmo, the answers checked equal and timed.
func TestCompareRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the default data twice")
	}
	ctx := context.Background()
	pg := os.Getenv("CHAINKG_TEST_POSTGRES")
	if pg == "" && os.Getenv("CI") == "true" {
		t.Fatal("CHAINKG_TEST_POSTGRES is not set under CI")
	}
	registry := filepath.Join(t.TempDir(), "firms.csv")
	writeRegistry(t, registry, 1500)
	args := []string{"compare", "--registry", registry, "--store", "mem:", "--n", "6", "--gizmo-n", "2",
		"--pairs", "370600:nev,440300:ic", "--search", "新能源科技,宁德时代"}
	if pg != "" {
		args = append(args, "--pg", pg, "--pg-schema", "kgbench_test", "--pg-explain", filepath.Join(t.TempDir(), "plans.md"))
	} else {
		t.Log("CHAINKG_TEST_POSTGRES is not set: PostgreSQL left out")
	}
	var out bytes.Buffer
	if err := run(ctx, args, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	want := []string{"all answers agree", "chain map", "gaps", "anchors", "anchors (all candidates)", "targets (page 1)", "targets leaf-only (page 1)",
		"firm search", "Gizmo (mem)", "chainkg HTTP"}
	if pg != "" {
		want = append(want, "PostgreSQL: total", "PostgreSQL p50")
	}
	for _, w := range want {
		if !strings.Contains(out.String(), w) {
			t.Errorf("output lacks %q:\n%s", w, out.String())
		}
	}
}

// writeRegistry writes n synthetic firms as cmd/synthreg does.
func writeRegistry(t *testing.T, path string, n int) {
	t.Helper()
	st, err := store.Open(context.Background(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := loaders.LoadLibrary(context.Background(), st, data.FS); err != nil {
		t.Fatal(err)
	}
	g, err := synth.New(synth.FromIndex(st.Index()), 1)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write(synth.Header)
	for range n {
		w.Write(g.Next())
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
