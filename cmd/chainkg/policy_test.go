package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
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
func memStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func sourceInfo(t *testing.T, st *store.Store, id graph.SourceID) (graph.SourceInfo, bool) {
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

// postForm uploads content with extra form fields.
func postForm(t *testing.T, url, token string, fields map[string]string, name, content string) (int, map[string]any) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", name)
	io.WriteString(fw, content)
	w.Close()
	req, _ := http.NewRequest("POST", url, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// TestUploadPolicy: over HTTP a file with no good row is 422 and the
// source stays; a shrinking file is 422 unless allow_shrink=true, and the
// report then names the version replaced; an English-header export loads
// with a column mapping sent along or saved on the server.
func TestUploadPolicy(t *testing.T) {
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	mappings := t.TempDir()
	writeFile(t, filepath.Join(mappings, "english.csv"), "Company Name,name\nCredit Code,credit_code\n")
	base, _, stop := startServe(t, "mem:", "--mappings", mappings)
	defer stop()
	url := base + "/api/v1/sources?wait=true"
	reg := map[string]string{"kind": "registry"}
	if status, body := postForm(t, url, token, reg, "f.csv", registryCSV(10)); status != http.StatusCreated {
		t.Fatalf("the first upload: %d %v", status, body)
	}
	before := sourcesOf(t, base)
	// Each is refused with why: no good row, no header at all, or no column
	// holding a name (the loader says which columns it could not map).
	for body, why := range map[string]string{
		"企业名称,统一社会信用代码\n": "f.csv has no good row",
		"\n\n   \n":      "no header row",
		"foo,bar\n1,2\n": "no column holds the firm name",
	} {
		status, rep := postForm(t, url, token, reg, "f.csv", body)
		if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(rep["error"]), why) {
			t.Errorf("upload %q: %d %v, want 422 saying %q", body, status, rep, why)
		}
	}
	status, rep := postForm(t, url, token, reg, "f.csv", registryCSV(2))
	if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(rep["error"]), "allow_shrink=true") {
		t.Errorf("a shrinking upload: %d %v, want 422 naming allow_shrink", status, rep)
	}
	if after := sourcesOf(t, base); !reflect.DeepEqual(after, before) {
		t.Errorf("refused uploads changed the sources:\n%v\n%v", before, after)
	}
	status, rep = postForm(t, url, token, map[string]string{"kind": "registry", "allow_shrink": "true"}, "f.csv", registryCSV(2))
	replaced, _ := rep["replaced"].(map[string]any)
	if status != http.StatusCreated || replaced["source"] != "registry/f.csv" || replaced["file"] != "f.csv" || replaced["version"] == "" {
		t.Errorf("allow_shrink=true: %d, replaced %v; want 201 naming the version replaced", status, rep["replaced"])
	}

	// A strict load refused for a row: the loader's *ParseError reaches the
	// report with its file, line and column, and the sentence has no
	// internal prefixes.
	status, rep = postForm(t, url, token, map[string]string{"kind": "registry", "strict": "true"}, "strict.csv", firmsCSV)
	at, _ := rep["error_at"].(map[string]any)
	if status != http.StatusUnprocessableEntity || at["file"] != "strict.csv" || at["line"] != 3.0 || at["column"] != "统一社会信用代码" {
		t.Errorf("strict upload with a bad row: %d, error_at %v; want 422 at strict.csv line 3 统一社会信用代码", status, rep["error_at"])
	}
	if msg := fmt.Sprint(rep["error"]); strings.Contains(msg, "api: ") || strings.Contains(msg, "loaders: ") || strings.Contains(msg, "graph: ") {
		t.Errorf("the refusal shows internal prefixes: %s", msg)
	}

	english := "Company Name,Credit Code\n烟台甲新能源汽车有限公司," + codeA + "\n"
	if status, rep := postForm(t, url, token, reg, "english.csv", english); status != http.StatusUnprocessableEntity {
		t.Errorf("English headers without a mapping: %d %v, want 422", status, rep)
	}
	for _, f := range []map[string]string{
		{"kind": "registry", "mapping": "Company Name,name\nCredit Code,credit_code\n"},
		{"kind": "registry", "mapping_name": "english"},
	} {
		status, rep := postForm(t, url, token, f, "english.csv", english)
		if status != http.StatusCreated && status != http.StatusOK || rep["loaded"] != 1.0 {
			t.Errorf("English headers with %v: %d %v, want one firm loaded", f, status, rep)
		}
	}
	for _, f := range []map[string]string{
		{"kind": "registry", "mapping_name": "../english"},
		{"kind": "registry", "mapping_name": "nope"},
		{"kind": "registry", "mapping": "Company Name,no_such_field\n"},
	} {
		if status, rep := postForm(t, url, token, f, "english.csv", english); status != http.StatusUnprocessableEntity && status != http.StatusBadRequest {
			t.Errorf("mapping %v: %d %v, want a refusal", f, status, rep)
		}
	}
}
