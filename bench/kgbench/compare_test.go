package main

import (
	"bytes"
	"context"
	"encoding/csv"
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
	want := []string{"all answers agree", "chain map", "gaps", "anchors", "targets (page 1)", "firm search", "Gizmo (mem)", "chainkg HTTP"}
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
