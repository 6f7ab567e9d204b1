package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// TestWritesLoadableSyntheticFiles writes a CSV and an XLSX, checks that
// the same seed writes the same CSV, and loads them: every firm valid and
// marked synthetic.
func TestWritesLoadableSyntheticFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var errb bytes.Buffer
	for _, name := range []string{"a.csv", "b.csv", "c.xlsx"} {
		if err := run(ctx, []string{"-n", "300", "-seed", "3", "-out", filepath.Join(dir, name)}, &errb); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, errb.String())
		}
	}
	a, _ := os.ReadFile(filepath.Join(dir, "a.csv"))
	b, _ := os.ReadFile(filepath.Join(dir, "b.csv"))
	if !bytes.Equal(a, b) {
		t.Error("the same seed wrote different files")
	}
	st, err := store.Open(ctx, "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := loaders.LoadDefaults(ctx, st, data.FS); err != nil {
		t.Fatal(err)
	}
	listed := st.Index().FirmCount()
	for _, name := range []string{"a.csv", "c.xlsx"} {
		rep, _, err := loaders.LoadFile(ctx, st, "registry", filepath.Join(dir, name), loaders.FileOptions{Strict: true})
		if err != nil || rep.Loaded != 300 {
			t.Fatalf("%s: %v %+v", name, err, rep)
		}
	}
	x := st.Index()
	if x.FirmCount()-listed != 300 {
		t.Errorf("%d firms: the CSV and the XLSX of one seed should be the same firms", x.FirmCount())
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(a, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		f, ok := x.Firm(graph.FirmID(r[1]))
		cc, _ := graph.ParseCreditCode(r[1])
		reg, _ := cc.RegisteringRegion()
		if !ok || !f.Synthetic || f.Region != reg {
			t.Fatalf("firm %s = %+v, %v", r[1], f, ok)
		}
	}
}
