package store_test

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
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
	"github.com/chainkg/chainkg/loaders/synth"
)

// TestUpdateEqualsRebuild: after each write of firms only — a registry
// added, replaced with firms gone, changed and new, a second registry that
// sorts first (every source renumbered) stating some of the same firms, a
// delete — the read model the store updated is the one a rebuild from
// every quad gives, field by field; and the store took the update, not a
// rebuild. A write about other entities (a park) still rebuilds.
func TestUpdateEqualsRebuild(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the default data")
	}
	ctx := context.Background()
	dir := t.TempDir()
	s, log := store.OpenLogged(t, filepath.Join(dir, "kg.db"))
	if _, err := loaders.LoadDefaults(ctx, s, data.FS); err != nil {
		t.Fatal(err)
	}
	rows := synthRows(t, s, 1, 3000)
	check := func(step string, wantUpdate bool) {
		t.Helper()
		if got := strings.Contains(lastRebuild(log.String()), "updated=true"); got != wantUpdate {
			t.Errorf("%s: updated = %v, want %v (%s)", step, got, wantUpdate, lastRebuild(log.String()))
		}
		if diff := store.IndexDiff(s.Index(), store.FullRebuild(s)); len(diff) > 0 {
			t.Errorf("%s: the updated read model differs from a rebuild's in %v", step, diff)
		}
	}
	load := func(name string, rows [][]string) {
		t.Helper()
		file := writeRows(t, dir, name, rows)
		if _, _, err := loaders.LoadFile(ctx, s, "registry", file, loaders.FileOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	// The first registry brings link methods the defaults' firms do not
	// use: the words' numbers change, and the store rebuilds.
	load("a.csv", rows)
	check("a registry added", false)
	load("b.csv", synthRows(t, s, 3, 500))
	check("a second registry added", true)

	// Replaced: 300 firms gone, 300 closed (注销), 300 with another capital
	// and a tag, 300 new ones.
	next := append([][]string(nil), rows[300:]...)
	for i := range next[:600] {
		r := append([]string(nil), next[i]...)
		if i < 300 {
			r[2] = "注销"
		} else {
			r[4], r[14] = "88888万元", "专精特新"
		}
		next[i] = r
	}
	next = append(next, synthRows(t, s, 2, 300)...)
	load("a.csv", next)
	check("the registry replaced", true)

	// A second registry, whose id sorts before the first's, naming 200 of
	// its firms with other names and capitals: every source renumbered,
	// firms merged across sources.
	var other [][]string
	for _, r := range next[1000:1200] {
		r = append([]string(nil), r...)
		r[0], r[4] = r[0]+"（新）", "1万元"
		other = append(other, r)
	}
	load("0.csv", other)
	check("a second registry sorting first", true)

	if err := s.Delete(ctx, "registry/a.csv"); err != nil {
		t.Fatal(err)
	}
	check("the first registry deleted", true)

	park := graph.Park{ID: "test-park", Name: "测试园区", Region: "370602"}
	if _, err := s.Replace(ctx, graph.Source{ID: "reference/test-park", Kind: graph.KindReference}, graph.Facts(park)); err != nil {
		t.Fatal(err)
	}
	check("a park", false)
}

// lastRebuild is the last "read model rebuilt" line of a log.
func lastRebuild(log string) string {
	i := strings.LastIndex(log, "read model rebuilt")
	if i < 0 {
		return ""
	}
	line, _, _ := strings.Cut(log[i:], "\n")
	return line
}

// synthRows draws n realistic synthetic registry rows against the store's
// chain library.
func synthRows(t testing.TB, s *store.Store, seed uint64, n int) [][]string {
	t.Helper()
	g, err := synth.NewDist(synth.FromIndex(s.Index()), seed, synth.Realistic)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([][]string, n)
	for i := range rows {
		rows[i] = append([]string(nil), g.Next()...) // Next reuses its row
	}
	return rows
}

// writeRows writes registry rows under synth's header to dir/name.
func writeRows(t testing.TB, dir, name string, rows [][]string) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(synth.Header)
	w.WriteAll(rows)
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
