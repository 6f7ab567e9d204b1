package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph/graphtest"
)

func TestBenchAgainstFixture(t *testing.T) {
	s := api.New(api.Config{})
	s.SetStore(graphtest.Analytics(t))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	var out bytes.Buffer
	err := run(context.Background(), []string{"api", "--url", srv.URL, "--regions", "370600,370100", "--chains", "ev",
		"--search", "F1,负极", "--n", "10", "--clients", "4", "--window", "300ms"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"map", "gaps", "anchors", "targets", "search", "requests/s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "first error") {
		t.Errorf("errors against the fixture:\n%s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"load", "--url", srv.URL, "--regions", "370600", "--chains", "ev", "--readers", "4", "--duration", "300ms"}, &out); err != nil {
		t.Fatalf("load: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "errors 0") {
		t.Errorf("load output:\n%s", out.String())
	}
}

// TestLoadWithWriter runs readers and the writer, whose uploads are jobs it
// follows to their end.
func TestLoadWithWriter(t *testing.T) {
	const token = "writer-token-0123456789"
	var loads atomic.Int64
	s := api.New(api.Config{
		Auth: api.Auth{Tokens: map[string]api.Role{token: api.RoleWriter}},
		Load: func(_ context.Context, up api.Upload) (api.LoadReport, error) {
			time.Sleep(20 * time.Millisecond)
			loads.Add(1)
			return api.LoadReport{Source: "registry/" + up.Name, File: up.Name}, nil
		},
	})
	s.SetStore(graphtest.Analytics(t))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "firms.csv")
	if err := os.WriteFile(file, []byte("企业名称\n甲\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"load", "--url", srv.URL, "--regions", "370600", "--chains", "ev", "--readers", "2",
		"--duration", "500ms", "--upload", file, "--writer-token", token}, &out)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out.String())
	}
	if loads.Load() == 0 || !strings.Contains(out.String(), "uploads of firms.csv, errors 0") {
		t.Errorf("%d loads; output:\n%s", loads.Load(), out.String())
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"} {
		if err := loopbackOnly(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
	for _, u := range []string{"http://10.0.0.1:8080", "http://192.168.1.2", "http://example.com"} {
		if err := loopbackOnly(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
}
