package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

// fixtureStore writes the analytics fixture into a bbolt store and returns its URL.
func fixtureStore(t *testing.T) string {
	t.Helper()
	url := "bbolt:" + filepath.Join(t.TempDir(), "kg.db")
	st, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.LoadAnalytics(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return url
}

func TestExportCommand(t *testing.T) {
	store := fixtureStore(t)
	ctx := context.Background()
	export1 := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(ctx, append([]string{"export", "--store", store}, args...), &out, &errb); err != nil {
			t.Fatalf("export %v: %v\n%s", args, err, errb.String())
		}
		return out.String()
	}
	counts := func(s string) export.JSONCounts {
		t.Helper()
		var js export.JSONScope
		if err := json.Unmarshal([]byte(s), &js); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		return js.Counts
	}
	// A region × chain, by code or by name; the chain by id or by name.
	if c := counts(export1("--format", "json", "--region", "370600", "--chain", "ev")); c.Nodes != 14 || c.Edges != 12 {
		t.Errorf("region × chain: %+v, want 14 nodes (6 chain nodes, 4 local firms, 4 targets) and 12 edges", c)
	}
	if c := counts(export1("--format", "json", "--region", "烟台市", "--chain", "电动车", "--targets", "1")); c.Nodes != 11 {
		t.Errorf("by names with one target: %+v, want 11 nodes", c)
	}
	if c := counts(export1("--format", "json", "--chain", "ev")); c.Nodes != 6 || c.Edges != 4 {
		t.Errorf("chain template: %+v", c)
	}
	if c := counts(export1("--format", "json", "--firm", graphtest.CreditCode(2))); c.Nodes != 7 {
		t.Errorf("firm neighbourhood: %+v", c)
	}
	if c := counts(export1("--format", "json")); c.Nodes != 27 || c.Edges != 38 {
		t.Errorf("whole graph: %+v", c)
	}
	if s := export1("--format", "gexf", "--chain", "ev", "--color", "segment"); !strings.Contains(s, `<gexf xmlns="http://www.gexf.net/1.2draft"`) {
		t.Errorf("gexf: %.200s", s)
	}
	if s := export1("--format", "svg", "--region", "370600", "--chain", "ev", "--cfg", "level_strong=99"); !strings.Contains(s, "<svg") || strings.Contains(s, `class="node level-优势"`) {
		t.Errorf("svg with level_strong=99 still draws 优势 nodes, or is no SVG: %.200s", s)
	}
	// N-Quads as before: the whole store, or one source, with labels.
	if s := export1(); !strings.Contains(s, "registry/firms@") || strings.Contains(s, "<xsd:") {
		t.Errorf("default export: no provenance label, or a prefixed datatype: %.300s", s)
	}
	if s := export1("--source", "chains/library"); !strings.Contains(s, "电池材料") || strings.Contains(s, `"F1"`) {
		t.Errorf("--source chains/library: %.300s", s)
	}
	// An Excel file to a path.
	out := filepath.Join(t.TempDir(), "targets.xlsx")
	export1("--format", "xlsx", "--region", "370600", "--chain", "ev", "--out", out)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("招商目标")
	f.Close()
	if len(rows) != 5 {
		t.Errorf("招商目标 has %d rows, want a header and 4 targets", len(rows))
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Errorf("--out: %v", err)
	}
}

func TestExportUsage(t *testing.T) {
	store := fixtureStore(t)
	for _, args := range [][]string{
		{"--source", "chains/library", "--format", "gexf"},
		{"--region", "370600"},
		{"--firm", graphtest.CreditCode(2), "--chain", "ev"},
		{"--format", "svg", "--chain", "ev"},
		{"--format", "pdf"},
		{"--color", "rainbow"},
		{"--targets", "0", "--region", "370600", "--chain", "ev"},
		{"--format", "json", "--chain", "ev", "--cfg", "nonsense"},
		{"--format", "json", "--firm", "123"},
		{"extra"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"export", "--store", store}, args...), &out, &errb)
		if !errors.Is(err, errUsage) {
			t.Errorf("export %v: %v, want a usage error", args, err)
		}
	}
	for _, args := range [][]string{
		{"--format", "json", "--chain", "nope"},
		{"--format", "json", "--region", "999900", "--chain", "ev"},
		{"--format", "json", "--region", "火星市", "--chain", "ev"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), append([]string{"export", "--store", store}, args...), &out, &errb)
		if !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("export %v: %v, want not found", args, err)
		}
	}
}
