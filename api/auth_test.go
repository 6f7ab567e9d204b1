package api

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph/graphtest"
)

func authServer(t *testing.T, public bool) *Server {
	t.Helper()
	s := New(Config{Auth: Auth{PrivateReads: !public, Tokens: map[string]Role{
		"r-token-1234567890": RoleReader, "w-token-1234567890": RoleWriter, "a-token-1234567890": RoleAdmin}}})
	s.SetStore(graphtest.Analytics(t))
	return s
}

func call(t *testing.T, s *Server, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

func TestAuthRoles(t *testing.T) {
	private := authServer(t, false)
	public := authServer(t, true)
	tests := []struct {
		s      *Server
		method string
		path   string
		token  string
		status int
	}{
		{private, "GET", "/api/v1/stats", "", 401},
		{private, "GET", "/api/v1/stats", "wrong-token", 401},
		{private, "GET", "/api/v1/stats", "r-token-1234567890", 200},
		{public, "GET", "/api/v1/stats", "", 200},
		{public, "GET", "/api/v1/stats", "wrong-token", 401},
		{public, "DELETE", "/api/v1/sources/registry/firms", "", 401},
		{public, "DELETE", "/api/v1/sources/registry/firms", "r-token-1234567890", 403},
		{public, "DELETE", "/api/v1/sources/registry/nope", "w-token-1234567890", 404},
		{public, "DELETE", "/api/v1/sources/registry/firms", "a-token-1234567890", 200},
		{public, "GET", "/healthz", "", 200},
	}
	for _, tt := range tests {
		rec := call(t, tt.s, tt.method, tt.path, tt.token, "")
		if rec.Code != tt.status {
			t.Errorf("%s %s token %q: %d, want %d: %s", tt.method, tt.path, tt.token, rec.Code, tt.status, rec.Body)
		}
		if rec.Code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s %s: 401 without WWW-Authenticate", tt.method, tt.path)
		}
		if strings.Contains(rec.Body.String(), "token-1234567890") {
			t.Errorf("%s %s: the answer repeats a token", tt.method, tt.path)
		}
	}
	rec := call(t, public, "GET", "/api/v1/stats", "", "")
	if !strings.Contains(rec.Body.String(), `"Firm":0`) {
		t.Errorf("after the admin deleted the registry source the firms should be gone: %s", rec.Body)
	}
}

func TestQueryEndpoint(t *testing.T) {
	s := authServer(t, true)
	rec := call(t, s, "POST", "/api/v1/query", "", `{"lang":"gizmo","query":"g.Emit(g.V(\"<https://chainkg.org/id/node/ev/anode>\").In(\"<https://chainkg.org/ns#inNode>\").Count())"}`)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"results":[4]`) {
		t.Errorf("gizmo count: %d %s", rec.Code, rec.Body)
	}
	for _, body := range []string{`{"lang":"gizmo"}`, `{"lang":"sql","query":"select 1"}`, `not json`, `{"lang":"gizmo","query":"g.V()","timeout_ms":999999}`} {
		if rec := call(t, s, "POST", "/api/v1/query", "", body); rec.Code != 400 {
			t.Errorf("query %s: %d, want 400: %s", body, rec.Code, rec.Body)
		}
	}
	// A query that runs out of its time is a deadline, not a bad request.
	if rec := call(t, s, "POST", "/api/v1/query", "", `{"lang":"gizmo","query":"while(true){}","timeout_ms":200}`); rec.Code != http.StatusGatewayTimeout {
		t.Errorf("a query past its deadline: %d, want 504: %s", rec.Code, rec.Body)
	}
	big := `{"lang":"gizmo","query":"` + strings.Repeat("x", 2<<20) + `"}`
	if rec := call(t, s, "POST", "/api/v1/query", "", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB query: %d, want 413", rec.Code)
	}
}

// TestAuthSchemeCaseInsensitive: RFC 9110 §11.1 makes the scheme
// case-insensitive, so "bearer", "BEARER" and extra spaces are the same
// credentials (issue 19, item 8).
func TestAuthSchemeCaseInsensitive(t *testing.T) {
	s := authServer(t, false)
	for _, h := range []string{"Bearer r-token-1234567890", "bearer r-token-1234567890", "BEARER r-token-1234567890", "Bearer   r-token-1234567890"} {
		req := httptest.NewRequest("GET", "/api/v1/stats", nil)
		req.Header.Set("Authorization", h)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("Authorization %q: %d, want 200", h, rec.Code)
		}
	}
	for _, h := range []string{"Basic r-token-1234567890", "Bearer", "Bearerr-token-1234567890", "Bearer r-token 1234567890"} {
		req := httptest.NewRequest("GET", "/api/v1/stats", nil)
		req.Header.Set("Authorization", h)
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("Authorization %q: %d, want 401", h, rec.Code)
		}
	}
}

// TestDeleteBaseSourceNeedsAdmin: a writer may delete a registry, but not
// the reference tables or the chain library every answer rests on.
func TestDeleteBaseSourceNeedsAdmin(t *testing.T) {
	s := authServer(t, true)
	var ref, chains string
	srcs, _ := s.graphStore().Sources(t.Context())
	for _, si := range srcs {
		switch si.Kind {
		case "reference":
			ref = string(si.ID)
		case "chains":
			chains = string(si.ID)
		}
	}
	if ref == "" || chains == "" {
		t.Fatalf("the fixture has no reference or chains source: %v", srcs)
	}
	for _, id := range []string{ref, chains} {
		if rec := call(t, s, "DELETE", "/api/v1/sources/"+id, "w-token-1234567890", ""); rec.Code != http.StatusForbidden {
			t.Errorf("writer deletes %s: %d, want 403: %s", id, rec.Code, rec.Body)
		}
		if rec := call(t, s, "DELETE", "/api/v1/sources/"+id, "a-token-1234567890", ""); rec.Code != http.StatusOK {
			t.Errorf("admin deletes %s: %d, want 200: %s", id, rec.Code, rec.Body)
		}
	}
}

// TestMetricsPrivate: under private reads the metrics (routes, counts)
// need a reader token like the API.
func TestMetricsPrivate(t *testing.T) {
	private := authServer(t, false)
	if rec := call(t, private, "GET", "/metrics", "", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("private /metrics without a token: %d, want 401", rec.Code)
	}
	if rec := call(t, private, "GET", "/metrics", "r-token-1234567890", ""); rec.Code != http.StatusOK {
		t.Errorf("private /metrics with a reader token: %d, want 200", rec.Code)
	}
	if rec := call(t, authServer(t, true), "GET", "/metrics", "", ""); rec.Code != http.StatusOK {
		t.Errorf("public /metrics: %d, want 200", rec.Code)
	}
}

// TestTokensNotLogged: a token sent in the query string does not reach
// the request log.
func TestTokensNotLogged(t *testing.T) {
	var logs strings.Builder
	s := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	s.SetStore(graphtest.Analytics(t))
	for _, uri := range []string{"/api/v1/stats?token=secret-in-query-1", "/api/v1/stats?x=1&access_token=secret-in-query-2", "/api/v1/nope?api%5Fkey=secret-in-query-3"} {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", uri, nil))
	}
	if strings.Contains(logs.String(), "secret-in-query") {
		t.Errorf("the log holds a token:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "access_token=REDACTED") {
		t.Errorf("the log should say the token was redacted:\n%s", logs.String())
	}
}
