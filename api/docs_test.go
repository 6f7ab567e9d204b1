package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes checks that every route the server registers is
// in the OpenAPI document and every documented operation exists.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := New(Config{})
	rec := do(t, s.Handler(), "GET", "/api/v1/openapi.json")
	if rec.Code != http.StatusOK {
		t.Fatalf("openapi.json: %d", rec.Code)
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	var routes []string
	for _, r := range s.e.Routes() {
		if r.Path == "/docs" || r.Path == "/api/v1/openapi.json" || strings.HasPrefix(r.Path, "/static") || r.Path == "/" || strings.HasPrefix(r.Method, "echo_route") {
			continue
		}
		key := strings.ToLower(r.Method) + " " + param.ReplaceAllString(r.Path, "{$1}")
		routes = append(routes, key)
		p, ok := doc.Paths[param.ReplaceAllString(r.Path, "{$1}")]
		if !ok {
			t.Errorf("route %s %s is not in openapi.json", r.Method, r.Path)
			continue
		}
		if _, ok := p[strings.ToLower(r.Method)]; !ok {
			t.Errorf("route %s %s: method not documented", r.Method, r.Path)
		}
	}
	for path, ops := range doc.Paths {
		for m := range ops {
			if m == "parameters" {
				continue
			}
			if !slices.Contains(routes, m+" "+path) {
				t.Errorf("openapi.json documents %s %s, which the server does not serve", strings.ToUpper(m), path)
			}
		}
	}
	if rec := do(t, s.Handler(), "GET", "/docs"); rec.Code != 200 || !strings.Contains(rec.Body.String(), "/api/v1/openapi.json") {
		t.Errorf("/docs: %d", rec.Code)
	}
}
