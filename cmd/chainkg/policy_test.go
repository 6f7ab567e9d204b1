package main

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/loaders"
)

// TestServeRemovesStaleUploads: the spool directories a killed run left
// in the upload directory are gone once a new run is up.
func TestServeRemovesStaleUploads(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "chainkg-upload-4242")
	writeFileAll(t, filepath.Join(stale, "firms.csv"), "企业名称\n甲公司\n")
	_, logs, stop := startServe(t, "mem:", "--upload-dir", dir)
	defer stop()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale spool directory is still there (%v); logs:\n%s", err, logs)
	}
}

// The two credit codes of issue 19's reproductions.
const (
	codeA = "913706021000025056"
	codeB = "91370602100002548K"
)

// registryCSV is a registry file of n firms (n ≤ 2 uses the two real
// codes; more are made up without codes, so they get surrogate ids).
func registryCSV(n int) string {
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码\n")
	for i := range n {
		code := ""
		switch i {
		case 0:
			code = codeA
		case 1:
			code = codeB
		}
		fmt.Fprintf(&b, "烟台第%d新能源汽车有限公司,%s\n", i+1, code)
	}
	return b.String()
}

// memStore opens a fresh in-memory store.
func memStore(t *testing.T) *graph.Store {
	t.Helper()
	st, err := graph.Open(t.Context(), "mem:", graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func sourceInfo(t *testing.T, st *graph.Store, id graph.SourceID) (graph.SourceInfo, bool) {
	t.Helper()
	return findSource(st.Index().Sources(), id)
}

// TestLoadNeverEmptiesSource: issue 19 item 1. A file that yields no good
// row is refused and the source it would replace keeps its version; the
// CLI exits non-zero. (On main each of these wiped the source: 201, exit 0,
// facts → 0.)
func TestLoadNeverEmptiesSource(t *testing.T) {
	random := make([]byte, 256<<10)
	rng := rand.New(rand.NewPCG(19, 2026))
	for i := range random {
		random[i] = byte(rng.UintN(256))
	}
	refused := []struct{ what, body string }{
		{"header only", "企业名称,统一社会信用代码\n"},
		{"blank lines", "\n\n   \n"},
		{"unknown header", "foo,bar\n1,2\n3,4\n"},
		{"random bytes", string(random)},
		{"empty", ""},
	}
	// These may load once the loaders learn them (a title row above the
	// header, a stray byte in UTF-8); until then they must be refused, and
	// either way the source is never emptied.
	either := []struct{ what, body string }{
		{"title row above the header", "企业名单（导出于2024-05-01）\n" + registryCSV(2)},
		{"UTF-8 with one stray byte", "企业名称,统一社会信用代码\n烟台甲新能源汽车有限公司,913706021000025056\n烟台乙\xa0汽车有限公司,91370602100002548K\n"},
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "a", "f.csv")
	writeFileAll(t, good, registryCSV(2))
	for i, tc := range append(refused, either...) {
		st := memStore(t)
		if _, _, err := loadFile(t.Context(), st, "registry", good, loaders.FileOptions{}, loadPolicy{}); err != nil {
			t.Fatal(err)
		}
		before, _ := sourceInfo(t, st, "registry/f.csv")
		bad := filepath.Join(dir, fmt.Sprint("b", i), "f.csv")
		writeFileAll(t, bad, tc.body)
		_, _, err := loadFile(t.Context(), st, "registry", bad, loaders.FileOptions{}, loadPolicy{AllowShrink: true})
		after, ok := sourceInfo(t, st, "registry/f.csv")
		if !ok || after.Facts == 0 {
			t.Errorf("%s: the source was emptied: %+v", tc.what, after)
		}
		if i >= len(refused) && err == nil {
			continue
		}
		if err == nil || !errors.Is(err, loaders.ErrRejected) {
			t.Errorf("%s: err = %v, want a refusal", tc.what, err)
			continue
		}
		if after.Version != before.Version || after.Hash != before.Hash {
			t.Errorf("%s: refused, but the source changed: %+v → %+v", tc.what, before, after)
		}
		if i < len(refused) && !strings.Contains(err.Error(), "no good row") && !strings.Contains(err.Error(), "f.csv") {
			t.Errorf("%s: the message does not say why: %v", tc.what, err)
		}
	}

	// The reproduction, through the command line.
	blank := filepath.Join(dir, "b0", "f.csv")
	var out, errb bytes.Buffer
	err := run(t.Context(), []string{"load", "registry", good, blank, "--store", "mem:"}, &out, &errb)
	if err == nil || exitCode(err) == 0 {
		t.Errorf("chainkg load of a file with no good row: err = %v, want a non-zero exit", err)
	}
	if !strings.Contains(errb.String(), "f.csv has no good row") || !strings.Contains(errb.String(), "keeps its") {
		t.Errorf("stderr does not say the file was refused and the source kept:\n%s", errb.String())
	}
}

// TestLoadRefusesShrink: a file with under half the facts of the version
// it replaces is refused with the numbers, unless the caller allows it;
// the report then names the version replaced.
func TestLoadRefusesShrink(t *testing.T) {
	st := memStore(t)
	dir := t.TempDir()
	big, small := filepath.Join(dir, "a", "f.csv"), filepath.Join(dir, "b", "f.csv")
	writeFileAll(t, big, registryCSV(10))
	writeFileAll(t, small, registryCSV(2))
	if _, _, err := loadFile(t.Context(), st, "registry", big, loaders.FileOptions{}, loadPolicy{}); err != nil {
		t.Fatal(err)
	}
	before, _ := sourceInfo(t, st, "registry/f.csv")
	_, _, err := loadFile(t.Context(), st, "registry", small, loaders.FileOptions{}, loadPolicy{})
	if err == nil || !errors.Is(err, loaders.ErrRejected) {
		t.Fatalf("a file with a fifth of the rows: err = %v, want a refusal", err)
	}
	for _, want := range []string{fmt.Sprintf("the %d facts", before.Facts), "(2 good rows of 2)", "--allow-shrink", "allow_shrink=true"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the refusal %q does not say %q", err, want)
		}
	}
	if after, _ := sourceInfo(t, st, "registry/f.csv"); after.Version != before.Version {
		t.Errorf("refused, but the version changed")
	}
	_, res, err := loadFile(t.Context(), st, "registry", small, loaders.FileOptions{}, loadPolicy{AllowShrink: true})
	if err != nil {
		t.Fatalf("with AllowShrink: %v", err)
	}
	if res.Replaced == nil || res.Replaced.Version != before.Version || res.Replaced.Facts != before.Facts || fileNameOf(res.Replaced.Source) != "f.csv" {
		t.Errorf("the outcome should name the version replaced: %+v", res.Replaced)
	}
}

// TestSourceIDsDistinct: issue 19 item 2. File names that fold onto one id
// are refused instead of replacing each other's firms; a Chinese name gives
// a readable id; a file loaded under the older hashed id is not loaded a
// second time beside it.
func TestSourceIDsDistinct(t *testing.T) {
	st := memStore(t)
	dir := t.TempDir()
	load := func(name string, n int) (loadOutcome, error) {
		p := filepath.Join(dir, fmt.Sprint(n), name)
		writeFileAll(t, p, registryCSV(n))
		_, res, err := loadFile(t.Context(), st, "registry", p, loaders.FileOptions{}, loadPolicy{})
		return res, err
	}
	if _, err := load("dup-x.csv", 2); err != nil {
		t.Fatal(err)
	}
	first, _ := sourceInfo(t, st, "registry/dup-x.csv")
	for _, name := range []string{"dup_x.csv", "dup x.csv", "DUP-X.csv"} {
		_, err := load(name, 3)
		if err == nil || !errors.Is(err, loaders.ErrRejected) || !strings.Contains(err.Error(), "which holds the file dup-x.csv") {
			t.Errorf("%s: err = %v, want a refusal naming dup-x.csv", name, err)
		}
	}
	if after, _ := sourceInfo(t, st, "registry/dup-x.csv"); after.Version != first.Version {
		t.Errorf("dup-x.csv's source was replaced by another file")
	}
	if _, err := load("dup-x.csv", 3); err != nil {
		t.Errorf("the same name again should replace its source: %v", err)
	}

	res, err := load("烟台企业名录.csv", 2)
	if err != nil || res.ID != "registry/烟台企业名录.csv" {
		t.Errorf("a Chinese name: id %q, err %v; want registry/烟台企业名录.csv", res.ID, err)
	}

	legacy := graph.SourceID("registry/" + graph.Slugify("济南企业名录.csv"))
	if _, err := st.Replace(t.Context(), graph.Source{ID: legacy, Kind: graph.KindRegistry, Title: "济南企业名录.csv", Origin: "old/济南企业名录.csv"},
		graph.Facts(graph.Firm{ID: "x-legacy", Name: "济南旧公司"})); err != nil {
		t.Fatal(err)
	}
	if _, err := load("济南企业名录.csv", 2); err == nil || !strings.Contains(err.Error(), "was loaded before as "+string(legacy)) {
		t.Errorf("a file loaded under its older id: err = %v, want a refusal naming %s", err, legacy)
	}
}
