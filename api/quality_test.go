package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	gojson "github.com/goccy/go-json"

	"github.com/chainkg/chainkg/graph"
)

func TestQualityMarks(t *testing.T) {
	st := newTestStore(t)
	ctx := context.Background()
	src := graph.Source{ID: "registry/a", Kind: graph.KindRegistry, Title: "a.csv"}
	firms := graph.Facts(graph.Firm{ID: "91370600MA3C4LTQ2N", Name: "甲公司", Region: "370000"})
	if _, err := st.Replace(ctx, src, firms); err != nil {
		t.Fatal(err)
	}
	s := New(Config{Auth: Auth{Tokens: map[string]Role{writerToken: RoleWriter, "r-token-1234567890": RoleReader}}})
	s.SetStore(st)
	h := s.Handler()
	get := func() QualityResponse {
		t.Helper()
		rec := do(t, h, "GET", "/api/v1/quality?kind=province_only&status=all")
		if rec.Code != http.StatusOK {
			t.Fatalf("GET quality: %d %s", rec.Code, rec.Body)
		}
		var q QualityResponse
		if err := gojson.Unmarshal(rec.Body.Bytes(), &q); err != nil {
			t.Fatal(err)
		}
		return q
	}
	q := get()
	if q.Kinds["province_only"] != 1 || len(q.Items) != 1 || q.Items[0].Mark != nil || q.Labels["province_only"] == "" {
		t.Fatalf("before marking: %+v", q)
	}
	key := q.Items[0].Key
	post := func(token, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/quality/marks", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post("r-token-1234567890", `{"item":"`+key+`","status":"wrong"}`); rec.Code != http.StatusForbidden {
		t.Errorf("a reader marked an item: %d", rec.Code)
	}
	if rec := post(writerToken, `{"item":"`+key+`","status":"maybe"}`); rec.Code != http.StatusBadRequest {
		t.Errorf("status maybe: %d", rec.Code)
	}
	if rec := post(writerToken, `{"item":"`+key+`","status":"wrong","note":"实际在烟台"}`); rec.Code != http.StatusOK {
		t.Fatalf("mark: %d %s", rec.Code, rec.Body)
	}
	// The mark survives a reload of the source it judges.
	if _, err := st.Replace(ctx, src, graph.Facts(graph.Firm{ID: "91370600MA3C4LTQ2N", Name: "甲公司", Region: "370000", Capital: 1})); err != nil {
		t.Fatal(err)
	}
	q = get()
	if len(q.Items) != 1 || q.Items[0].Mark == nil || q.Items[0].Mark.Status != "wrong" || q.Items[0].Mark.Note != "实际在烟台" || q.Items[0].Mark.By != "writer" {
		t.Errorf("after marking and a reload: %+v", q.Items)
	}
	if rec := post(writerToken, `{"item":"`+key+`","status":""}`); rec.Code != http.StatusNoContent {
		t.Errorf("take back: %d", rec.Code)
	}
	if q = get(); q.Items[0].Mark != nil {
		t.Errorf("mark not taken back: %+v", q.Items[0].Mark)
	}
}
