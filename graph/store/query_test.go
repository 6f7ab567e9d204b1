package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

func TestQueryGizmo(t *testing.T) {
	s := graphtest.Analytics(t)
	ctx := context.Background()
	// The firms in 负极材料: F5, F6, F7 and the cancelled F9.
	q := `g.V("<` + string(graph.NodeID("ev/anode").IRI()) + `>").In("<` + string(graph.PredInNode) + `>").Out("<` + string(graph.PredName) + `>").All()`
	res, err := s.Query(ctx, store.LangGizmo, q, store.QueryLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Results) != 4 || res.Truncated {
		t.Errorf("results = %v (truncated %v), want 4 names", res.Results, res.Truncated)
	}
	res, err = s.Query(ctx, store.LangGizmo, q, store.QueryLimits{Results: 2})
	if err != nil || len(res.Results) != 2 || !res.Truncated {
		t.Errorf("capped: %v %v", res, err)
	}
}

func TestQueryLoopIsStopped(t *testing.T) {
	s := graphtest.Analytics(t)
	start := time.Now()
	_, err := s.Query(context.Background(), store.LangGizmo, `while (true) {}`, store.QueryLimits{Timeout: 300 * time.Millisecond})
	if !errors.Is(err, store.ErrQueryTimeout) {
		t.Fatalf("endless loop: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the loop was stopped only after %v", d)
	}
	// The store is usable afterwards, for readers and writers.
	if _, err := s.Replace(context.Background(), graph.Source{ID: "plan/x", Kind: graph.KindPlan}, graph.Facts(graph.Plan{ID: "x", Title: "t"})); err != nil {
		t.Fatal(err)
	}
}

func TestQueryGraphQLAndErrors(t *testing.T) {
	s := graphtest.Analytics(t)
	ctx := context.Background()
	q := `{ nodes(id: "<` + string(graph.NodeID("ev/anode").IRI()) + `>") { id } }`
	res, err := s.Query(ctx, store.LangGraphQL, q, store.QueryLimits{})
	if err != nil || len(res.Results) != 1 || !strings.Contains(fmt.Sprint(res.Results[0]), "ev/anode") {
		t.Errorf("graphql: %v %v", res, err)
	}
	for _, bad := range []struct {
		lang store.QueryLang
		q    string
	}{{"sparql", "SELECT *"}, {store.LangGizmo, "g.V(("}, {store.LangGraphQL, "{ nodes("}} {
		if _, err := s.Query(ctx, bad.lang, bad.q, store.QueryLimits{}); !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("%s %q: %v, want ErrInvalid", bad.lang, bad.q, err)
		}
	}
}
