package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph/graphtest"
)

// TestQueriesAreContained holds issue 19's ad-hoc query reproductions at
// the API: a query beyond the concurrency limit is refused with 429 (there
// was no limit), a string-doubling loop is stopped and answered while the
// server goes on (it ended the process), and a query past its deadline is a
// 504.
func TestQueriesAreContained(t *testing.T) {
	s := New(Config{MaxQueries: 1})
	s.SetStore(graphtest.Analytics(t))

	// One query holds the only slot: a loop with a long deadline.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		req := httptest.NewRequestWithContext(ctx, "POST", "/api/v1/query", strings.NewReader(`{"lang":"gizmo","query":"while(true){}","timeout_ms":20000}`))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		done <- rec.Code
	}()
	waitFor(t, func() bool { return len(s.queries) == 1 }, "the first query to start")

	rec := call(t, s, "POST", "/api/v1/query", "", `{"lang":"gizmo","query":"g.Emit(1)"}`)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" ||
		!strings.Contains(rec.Body.String(), "请稍后再试") || !strings.Contains(rec.Body.String(), "already running") {
		t.Errorf("a query beyond the limit: %d %q (Retry-After %q), want 429 with a plain sentence in English and Chinese",
			rec.Code, rec.Body, rec.Header().Get("Retry-After"))
	}
	// The read model answers meanwhile.
	if rec := call(t, s, "GET", "/api/v1/stats", "", ""); rec.Code != http.StatusOK {
		t.Errorf("stats while a query runs: %d", rec.Code)
	}
	select {
	case code := <-done:
		t.Fatalf("the looping query ended early: %d", code)
	default:
	}
	cancel() // its client goes: the loop is stopped and its slot freed
	<-done
	waitFor(t, func() bool { return len(s.queries) == 0 }, "the slot to be freed")

	// The doubling loop of the report: stopped, answered, the server lives.
	bomb := `{"lang":"gizmo","query":"var s = 'x'; for (var i = 0; i < 40; i++) { s = s + s }; g.Emit(s.length)","timeout_ms":60000}`
	rec = call(t, s, "POST", "/api/v1/query", "", bomb)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "more memory") {
		t.Errorf("string doubling: %d %s, want 400 naming memory", rec.Code, rec.Body)
	}
	if rec := call(t, s, "POST", "/api/v1/query", "", `{"lang":"gizmo","query":"while(true){}","timeout_ms":300}`); rec.Code != http.StatusGatewayTimeout {
		t.Errorf("a query past its deadline: %d, want 504: %s", rec.Code, rec.Body)
	}
	if rec := call(t, s, "GET", "/api/v1/stats", "", ""); rec.Code != http.StatusOK {
		t.Errorf("stats after the contained queries: %d", rec.Code)
	}
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
