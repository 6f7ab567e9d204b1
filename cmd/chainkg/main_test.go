package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs 'chainkg serve' on a free port and returns its base URL,
// once /readyz says ready, and a function that stops it and returns its error.
// extra are more flags.
func startServe(t *testing.T, store string, extra ...string) (string, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--store", store}, extra...), pw, logs)
		pw.Close()
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed no address: %v; logs:\n%s", err, logs)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(strings.TrimPrefix(line, "chainkg listening on "))
	deadline := stateDeadline(t)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve not ready by the test's deadline; logs:\n%s", logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, logs, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return errors.New("serve did not stop within 30s of the signal")
		}
	}
}

type statsBody struct {
	Quads   int            `json:"quads"`
	Sources int            `json:"sources"`
	ByClass map[string]int `json:"by_class"`
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %s %s", url, resp.Status, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

// TestServeLoadsDefaultsOnceAndReusesStore is the end-to-end test of the
// README's run command: the first start loads the embedded data, the second
// reuses the store without loading again.
func TestServeLoadsDefaultsOnceAndReusesStore(t *testing.T) {
	store := "bbolt:" + filepath.Join(t.TempDir(), "kg.db")

	base, logs, stop := startServe(t, store)
	var first statsBody
	getJSON(t, base+"/api/v1/stats", &first)
	if first.ByClass["Region"] < 3000 || first.Sources == 0 {
		t.Fatalf("stats after first start = %+v", first)
	}
	var srcs1 struct {
		Sources []struct {
			ID      string `json:"id"`
			Version string `json:"version"`
		} `json:"sources"`
	}
	getJSON(t, base+"/api/v1/sources", &srcs1)
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v", err)
	}
	if !strings.Contains(logs.String(), "loading the embedded default data") {
		t.Errorf("first start did not load the default data; logs:\n%s", logs)
	}

	base, logs, stop = startServe(t, store)
	defer stop()
	var second statsBody
	getJSON(t, base+"/api/v1/stats", &second)
	if second.Quads != first.Quads || second.Sources != first.Sources {
		t.Errorf("second start: %+v, first: %+v", second, first)
	}
	var srcs2 = srcs1
	getJSON(t, base+"/api/v1/sources", &srcs2)
	for i := range srcs1.Sources {
		if srcs1.Sources[i].Version != srcs2.Sources[i].Version {
			t.Errorf("source %s was reloaded: version %s → %s", srcs1.Sources[i].ID, srcs1.Sources[i].Version, srcs2.Sources[i].Version)
		}
	}
	if strings.Contains(logs.String(), "loading the embedded default data") {
		t.Errorf("second start loaded the default data again")
	}
}

func TestLoadSourcesExport(t *testing.T) {
	dir := t.TempDir()
	store := "bbolt:" + filepath.Join(dir, "kg.db")
	csvPath := filepath.Join(dir, "regions.csv")
	writeFile(t, csvPath, "code,name,level,parent_code\n370000,山东省,province,\n370600,烟台市,city,370000\n37061X,坏行,county,370600\n")
	ctx := context.Background()

	var out, errb bytes.Buffer
	if err := run(ctx, []string{"load", "regions", csvPath, "--store", store}, &out, &errb); err != nil {
		t.Fatalf("load: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "3 rows read, 2 loaded, 0 merged, 1 rejected") ||
		!strings.Contains(out.String(), "regions.csv:4: code:") {
		t.Errorf("load report:\n%s", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"load", "regions", csvPath, "--strict", "--store", store}, &out, &errb); err == nil {
		t.Error("a strict load of a file with a bad row succeeded")
	}

	out.Reset()
	if err := run(ctx, []string{"sources", "--store", store}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "reference/regions.csv") {
		t.Errorf("sources list:\n%s", out.String())
	}

	out.Reset()
	if err := run(ctx, []string{"export", "--store", store, "--source", "reference/regions.csv"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"烟台市"`) || !strings.Contains(out.String(), "reference/regions.csv@") {
		t.Errorf("export lacks the region or its provenance label:\n%.400s", out.String())
	}

	out.Reset()
	if err := run(ctx, []string{"sources", "delete", "reference/regions.csv", "--store", store}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"sources", "--store", store}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "reference/regions.csv") {
		t.Errorf("source still listed after delete:\n%s", out.String())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"bogus"}, {"load"}, {"load", "regions"}, {"sources", "remove", "x/y"}, {"serve", "extra"}} {
		var out, errb bytes.Buffer
		err := run(context.Background(), args, &out, &errb)
		if !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
}

func TestAuthConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tokens")
	writeFile(t, file, "# comment\nfile-token-0123456789 writer\n")
	cfg := Config{Tokens: "env-token-0123456789:reader, admin-token-012345678:admin", TokensFile: file}
	a, err := cfg.auth()
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tokens) != 3 || a.Tokens["file-token-0123456789"].String() != "writer" || a.Tokens["admin-token-012345678"].String() != "admin" {
		t.Errorf("tokens = %v", a.Tokens)
	}
	for _, bad := range []Config{{Tokens: "short:reader"}, {Tokens: "a-long-enough-token-1:root"}, {Tokens: "no-role-here-0123456789"}} {
		if _, err := bad.auth(); err == nil {
			t.Errorf("%q accepted", bad.Tokens)
		} else if strings.Contains(err.Error(), "a-long-enough-token") || strings.Contains(err.Error(), "no-role-here") {
			t.Errorf("the error repeats the token: %v", err)
		}
	}
}

// TestAuthConfigDuplicateToken: a token listed twice (with one role or
// two) is refused at start, naming both places and not the token.
func TestAuthConfigDuplicateToken(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tokens")
	writeFile(t, file, "dup-token-0123456789 admin\n")
	for _, cfg := range []Config{
		{Tokens: "dup-token-0123456789:reader,dup-token-0123456789:admin"},
		{Tokens: "dup-token-0123456789:reader", TokensFile: file},
	} {
		_, err := cfg.auth()
		if err == nil {
			t.Errorf("%q + %q: accepted", cfg.Tokens, cfg.TokensFile)
			continue
		}
		if !strings.Contains(err.Error(), "already listed at CHAINKG_TOKENS entry 1") || strings.Contains(err.Error(), "dup-token") {
			t.Errorf("error %q: want both places, without the token", err)
		}
	}
}
