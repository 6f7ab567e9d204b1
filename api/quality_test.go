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

// TestPlanCorrection: a writer sets the region and title of a plan whose
// text names none; the correction wins over the text, survives a reload of
// the plan, and can be taken back. A reader cannot correct.
func TestPlanCorrection(t *testing.T) {
	st := newTestStore(t)
	ctx := context.Background()
	plan := graph.Source{ID: "plan/p.txt", Kind: graph.KindPlan, Title: "p.txt"}
	facts := graph.Facts(graph.Plan{ID: "p.txt", Title: "某行动计划", Document: "p.txt"})
	if _, err := st.Replace(ctx, plan, facts); err != nil {
		t.Fatal(err)
	}
	s := New(Config{Auth: Auth{Tokens: map[string]Role{writerToken: RoleWriter, "r-token-1234567890": RoleReader}}})
	s.SetStore(st)
	h := s.Handler()
	post := func(token, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/plans/p.txt/correction", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post("r-token-1234567890", `{"region":"370600"}`); rec.Code != http.StatusForbidden {
		t.Errorf("a reader corrected a plan: %d", rec.Code)
	}
	if rec := post(writerToken, `{"region":"999999"}`); rec.Code != http.StatusNotFound && rec.Code != http.StatusBadRequest {
		t.Errorf("an unknown region: %d", rec.Code)
	}
	if rec := post(writerToken, `{"region":"370600","title":"烟台市某行动计划","note":"正文未写地区"}`); rec.Code != http.StatusOK {
		t.Fatalf("correct: %d %s", rec.Code, rec.Body)
	}
	check := func(region, method, title string) {
		t.Helper()
		p, ok := st.Index().Plan("p.txt")
		if !ok || p.Region != graph.RegionCode(region) || p.RegionMethod != method || p.Title != title || p.Source != "plan/p.txt" {
			t.Errorf("plan %s %s %q from %s, want %s %s %q from plan/p.txt", p.Region, p.RegionMethod, p.Title, p.Source, region, method, title)
		}
	}
	check("370600", "given", "烟台市某行动计划")
	if _, err := st.Replace(ctx, plan, graph.Facts(graph.Plan{ID: "p.txt", Title: "某行动计划（修订）", Document: "p.txt"})); err != nil {
		t.Fatal(err)
	}
	check("370600", "given", "烟台市某行动计划")
	if rec := post(writerToken, `{}`); rec.Code != http.StatusOK {
		t.Fatalf("take back: %d %s", rec.Code, rec.Body)
	}
	check("", "", "某行动计划（修订）")
}

// TestProblemsSayWhatToDoInChinese: every error answer carries, beside the
// API's stable English, a Chinese sentence with what to do.
func TestProblemsSayWhatToDoInChinese(t *testing.T) {
	s := New(Config{})
	s.SetStore(newTestStore(t))
	for path, want := range map[string]string{
		"/nope":                  "没有找到",
		"/api/v1/firms/nope":     "请求有误",
		"/api/v1/regions/999999": "没有找到",
	} {
		rec := do(t, s.Handler(), "GET", path)
		var p Problem
		if err := gojson.Unmarshal(rec.Body.Bytes(), &p); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if !strings.HasPrefix(p.Message, want) || p.Title == "" {
			t.Errorf("%s: %d %+v, want a message starting %q", path, rec.Code, p, want)
		}
	}
}
