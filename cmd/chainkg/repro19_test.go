package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// The reproductions of issue 19 items 1 and 2 through the command line
// alone, as the tester ran them.

// TestReproEmptyFileKeepsSource: issue 19 item 1. On main the second file
// (blank lines) replaced the first's 150 facts with none, exit 0.
func TestReproEmptyFileKeepsSource(t *testing.T) {
	dir := t.TempDir()
	store := "bbolt:" + filepath.Join(dir, "kg.db")
	a, b := filepath.Join(dir, "a", "f.csv"), filepath.Join(dir, "b", "f.csv")
	writeFileAll(t, a, "企业名称,统一社会信用代码\n烟台甲新能源汽车有限公司,913706021000025056\n")
	writeFileAll(t, b, "\n\n   \n")
	var out, errb bytes.Buffer
	err := run(t.Context(), []string{"load", "registry", a, b, "--store", store}, &out, &errb)
	if err == nil || exitCode(err) == 0 {
		t.Errorf("load a/f.csv b/f.csv: exit 0, want non-zero:\n%s%s", out.String(), errb.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"sources", "list", "--store", store}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "registry/f.csv" && f[2] == "0" {
			t.Errorf("registry/f.csv was emptied:\n%s", out.String())
		}
	}
	if !strings.Contains(out.String(), "registry/f.csv") {
		t.Errorf("registry/f.csv is gone:\n%s", out.String())
	}
}

// TestReproSourceIDsCollide: issue 19 item 2. On main dup_x.csv, dup x.csv
// and DUP-X.csv each silently replaced dup-x.csv's firms, and a Chinese
// name became registry/csv-u…
func TestReproSourceIDsCollide(t *testing.T) {
	dir := t.TempDir()
	store := "bbolt:" + filepath.Join(dir, "kg.db")
	load := func(name, body string) error {
		p := filepath.Join(dir, name)
		writeFile(t, p, body)
		var out, errb bytes.Buffer
		return run(t.Context(), []string{"load", "registry", p, "--store", store}, &out, &errb)
	}
	if err := load("dup-x.csv", "企业名称,统一社会信用代码\n烟台甲新能源汽车有限公司,913706021000025056\n"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"dup_x.csv", "dup x.csv", "DUP-X.csv"} {
		if err := load(name, "企业名称,统一社会信用代码\n烟台乙新能源汽车有限公司,91370602100002548K\n"); err == nil {
			t.Errorf("%s loaded over dup-x.csv's source", name)
		}
	}
	if err := load("烟台企业名录.csv", "企业名称,统一社会信用代码\n烟台乙新能源汽车有限公司,91370602100002548K\n"); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if err := run(t.Context(), []string{"sources", "list", "--store", store}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "registry/烟台企业名录.csv") {
		t.Errorf("the Chinese name's id is not readable:\n%s", out.String())
	}
}
