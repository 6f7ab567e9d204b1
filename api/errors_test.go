package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

// TestPlainMessage: what a person reads keeps the file, line and reason
// and loses our packages' prefixes.
func TestPlainMessage(t *testing.T) {
	inner := errors.New("loaders: input rejected")
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: graph: replace registry/f.csv: %w", ErrInputRejected, fmt.Errorf("f.csv:3: 统一社会信用代码: %w: bad check digit", inner)),
			"f.csv:3: 统一社会信用代码: bad check digit"},
		{fmt.Errorf("%w: firm 913706021000025056", graph.ErrNotFound), "not found: firm 913706021000025056"},
		{fmt.Errorf("%w: 15728962 bytes", errTooLarge), "request body too large: 15728962 bytes"},
		{errors.New("api: the load failed"), "the load failed"},
		{errors.New("cannot export: the format is unknown"), "cannot export: the format is unknown"},
		{store.ErrQueryTimeout, "the query took longer than its time limit and was stopped"},
		{fmt.Errorf("%w: min_capital=\"NaN\": want a finite number ≥ 0", errBadRequest), "min_capital=\"NaN\": want a finite number ≥ 0"},
	} {
		if got := PlainMessage(tt.err); got != tt.want {
			t.Errorf("PlainMessage(%q) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// TestErrorStatuses: issue 19 item 9. A query past its deadline is 504
// (was 400 "invalid"), a body of the wrong type is 415 (was wrapped in a
// 400), NaN is a 400 like -1 (was ignored); the detail is plain and the
// log keeps the chain.
func TestErrorStatuses(t *testing.T) {
	var logs strings.Builder
	s := New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	s.SetStore(graphtest.Analytics(t))
	do := func(method, path, ctype, body string) (int, string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	for _, tt := range []struct {
		method, path, ctype, body string
		status                    int
	}{
		{"POST", "/api/v1/query", "application/json", `{"lang":"gizmo","query":"while(true){}","timeout_ms":100}`, http.StatusGatewayTimeout},
		{"POST", "/api/v1/query", "text/plain", `g.V()`, http.StatusUnsupportedMediaType},
		{"GET", "/api/v1/regions/370600/chains/ev/targets?min_capital=NaN", "", "", http.StatusBadRequest},
		{"GET", "/api/v1/regions/370600/chains/ev/targets?max_capital=Inf", "", "", http.StatusBadRequest},
		{"GET", "/api/v1/regions/370600/chains/ev/targets?min_capital=-1", "", "", http.StatusBadRequest},
		{"GET", "/api/v1/firms/913706021000025056", "", "", http.StatusNotFound},
	} {
		status, body := do(tt.method, tt.path, tt.ctype, tt.body)
		if status != tt.status {
			t.Errorf("%s %s: %d, want %d: %s", tt.method, tt.path, status, tt.status, body)
		}
		for _, prefix := range []string{"api: ", "graph: ", "loaders: "} {
			if strings.Contains(body, prefix) {
				t.Errorf("%s %s: the answer shows the internal prefix %q: %s", tt.method, tt.path, prefix, body)
			}
		}
	}
	if !strings.Contains(logs.String(), "graph: invalid: the query took longer") {
		t.Errorf("the log should keep the whole chain:\n%s", logs.String())
	}
}
