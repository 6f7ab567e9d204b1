package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

func newTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	_, err = st.Replace(context.Background(),
		graph.Source{ID: "reference/regions", Kind: graph.KindReference, Title: "regions"},
		graph.Facts(
			graph.Region{Code: "370000", Name: "山东省", Level: graph.LevelProvince},
			graph.Region{Code: "370600", Name: "烟台市", Level: graph.LevelCity, Parent: "370000"},
		))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func do(t *testing.T, h http.Handler, method, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestNotReadyUntilStoreSet(t *testing.T) {
	s := New(Config{})
	if rec := do(t, s.Handler(), "GET", "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("/healthz = %d before the store is open", rec.Code)
	}
	for _, p := range []string{"/readyz", "/api/v1/stats"} {
		if rec := do(t, s.Handler(), "GET", p); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("%s = %d before the store is open, want 503", p, rec.Code)
		}
	}
	s.SetStore(newTestStore(t))
	if rec := do(t, s.Handler(), "GET", "/readyz"); rec.Code != http.StatusOK {
		t.Errorf("/readyz = %d with the store open", rec.Code)
	}
}

func TestStatsAndSources(t *testing.T) {
	s := New(Config{})
	s.SetStore(newTestStore(t))
	rec := do(t, s.Handler(), "GET", "/api/v1/stats")
	var st StatsResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil || rec.Code != 200 {
		t.Fatalf("stats: %d %s", rec.Code, rec.Body)
	}
	if st.ByClass["Region"] != 2 || st.Sources != 1 || st.Quads == 0 {
		t.Errorf("stats = %+v", st)
	}
	rec = do(t, s.Handler(), "GET", "/api/v1/sources")
	var src SourcesResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &src); err != nil || len(src.Sources) != 1 || src.Sources[0].Facts != st.Quads {
		t.Errorf("sources: %s", rec.Body)
	}
	if rec.Header().Get("X-Request-Id") == "" {
		t.Error("no request id header")
	}
}

func TestProblemDetails(t *testing.T) {
	s := New(Config{})
	s.SetStore(newTestStore(t))
	rec := do(t, s.Handler(), "GET", "/api/v1/no-such-route")
	if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("unknown route: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var p Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != 404 || p.Instance != "/api/v1/no-such-route" || p.RequestID == "" {
		t.Errorf("problem = %+v, %v", p, err)
	}
}

func TestGzip(t *testing.T) {
	s := New(Config{})
	s.SetStore(newTestStore(t))
	for _, c := range []struct {
		path string
		want string
	}{
		{"/api/v1/openapi.json", "gzip"}, // large
		{"/api/v1/sources", ""},          // under 1 KB: not worth it
	} {
		req := httptest.NewRequest("GET", c.path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Encoding"); got != c.want {
			t.Errorf("%s: Content-Encoding = %q, want %q (%d bytes)", c.path, got, c.want, rec.Body.Len())
		}
	}
}

func TestMetrics(t *testing.T) {
	s := New(Config{})
	s.SetStore(newTestStore(t))
	do(t, s.Handler(), "GET", "/api/v1/stats")
	do(t, s.Handler(), "GET", "/api/v1/no-such")
	rec := do(t, s.Handler(), "GET", "/metrics")
	body := rec.Body.String()
	for _, want := range []string{
		`chainkg_http_requests_total{method="GET",route="/api/v1/stats",status="200"}`,
		`chainkg_store_quads`, `chainkg_ready 1`, `go_goroutines`, "chainkg_http_requests_in_flight 1\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// A scraper asking for gzip gets the text compressed once.
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatalf("/metrics with gzip: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil || !strings.Contains(string(b), "chainkg_ready 1") {
		t.Errorf("/metrics with gzip: %v; got %.200q", err, b)
	}
}
