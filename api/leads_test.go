package api

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	gojson "github.com/goccy/go-json"
	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

const readerToken = "r-token-1234567890"

// send sends a request with an optional bearer token and JSON body.
func send(t *testing.T, h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := gojson.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
	return v
}

func leadServer(st Store, private bool) http.Handler {
	s := New(Config{Auth: Auth{PrivateReads: private, Tokens: map[string]Role{writerToken: RoleWriter, readerToken: RoleReader}}})
	s.SetStore(st)
	return s.Handler()
}

func mapNodeOf(t *testing.T, m ChainMapResponse, id string) MapNodeResponse {
	t.Helper()
	for _, n := range m.Nodes {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("node %s not on the map", id)
	return MapNodeResponse{}
}

// TestLeadsLifecycle walks a lead through the API on a bbolt store: a
// reader cannot write it, a writer creates and moves it to 已落地, its
// history names who and when, the map counts it from its date, and it
// survives a reload of another source and a reopening of the store.
func TestLeadsLifecycle(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kg")
	st, err := store.Open(ctx, "bbolt:"+dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	graphtest.LoadAnalytics(t, st)
	h := leadServer(st, false)
	f7 := graphtest.CreditCode(7) // 苏州, anode
	body := `{"firm":"` + f7 + `","region":"370600","chain":"ev","node":"anode","park":"yt-eda","owner":"招商一组","note":"从招商目标表加入","date":"2025-03-01"}`

	if rec := send(t, h, "POST", "/api/v1/leads", readerToken, body); rec.Code != http.StatusForbidden {
		t.Fatalf("a reader created a lead: %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, h, "POST", "/api/v1/leads", "", body); rec.Code != http.StatusUnauthorized {
		t.Fatalf("an anonymous request created a lead: %d", rec.Code)
	}
	rec := send(t, h, "POST", "/api/v1/leads", writerToken, body)
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST lead: %d %s", rec.Code, rec.Body)
	}
	l := decode[LeadResponse](t, rec)
	if l.ID != "1" || l.Status != "待接触" || l.Node == nil || l.Node.ID != "ev/anode" || l.Firm.Name != "F7" || l.Place != "370600" {
		t.Fatalf("created %+v", l)
	}
	if rec := send(t, h, "POST", "/api/v1/leads", writerToken, body); rec.Code != http.StatusConflict {
		t.Errorf("a second open lead for the same firm: %d, want 409", rec.Code)
	}
	for _, bad := range []string{
		`{"firm":"` + f7 + `","region":"370600","chain":"ev","node":"nope"}`,
		`{"firm":"` + f7 + `","region":"370600","chain":"ev","park":"jn-park"}`,
		`{"firm":"nope","region":"370600","chain":"ev"}`,
	} {
		if rec := send(t, h, "POST", "/api/v1/leads", writerToken, bad); rec.Code != http.StatusBadRequest && rec.Code != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 400 or 404", bad, rec.Code)
		}
	}

	if rec := send(t, h, "PATCH", "/api/v1/leads/1", readerToken, `{"status":"已接触"}`); rec.Code != http.StatusForbidden {
		t.Errorf("a reader moved a lead: %d", rec.Code)
	}
	if rec := send(t, h, "PATCH", "/api/v1/leads/1", writerToken, `{"status":"已拜访","date":"2025-03-20","next":"2025-04-01","note":"见了总经理"}`); rec.Code != http.StatusOK {
		t.Fatalf("PATCH 已拜访: %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, h, "PATCH", "/api/v1/leads/1", writerToken, `{"status":"已接触"}`); rec.Code != http.StatusConflict {
		t.Errorf("moving back: %d, want 409", rec.Code)
	}
	rec = send(t, h, "PATCH", "/api/v1/leads/1", writerToken, `{"status":"已落地","date":"2025-03-10"}`)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "before") {
		t.Fatalf("a landing dated before the visit: %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, h, "PATCH", "/api/v1/leads/1", writerToken, `{"status":"已落地","date":"2025-06-01"}`); rec.Code != http.StatusOK {
		t.Fatalf("PATCH 已落地: %d %s", rec.Code, rec.Body)
	}

	checkLead := func(h http.Handler, when string) {
		t.Helper()
		rec := send(t, h, "GET", "/api/v1/leads/1", "", "")
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: GET lead: %d %s", when, rec.Code, rec.Body)
		}
		l := decode[LeadResponse](t, rec)
		if l.Status != "已落地" || l.Date != "2025-06-01" || l.Next != "2025-04-01" || !l.CountsOnMap || len(l.History) != 3 {
			t.Fatalf("%s: lead %+v", when, l)
		}
		// Every change, with who (the writer's role and token fingerprint) and when.
		wantStatus := []string{"待接触", "已拜访", "已落地"}
		for i, ev := range l.History {
			if !strings.HasPrefix(ev.By, "writer·") || ev.At == "" || len(ev.Changes) == 0 {
				t.Errorf("%s: event %d %+v: want who, when and what", when, i+1, ev)
			}
			var to string
			for _, c := range ev.Changes {
				if c.Field == "status" {
					to = c.To
				}
				if c.FieldLabel == "" {
					t.Errorf("%s: change %+v without a label", when, c)
				}
			}
			if to != wantStatus[i] {
				t.Errorf("%s: event %d sets status %q, want %q", when, i+1, to, wantStatus[i])
			}
		}
		if l.History[1].Note != "见了总经理" {
			t.Errorf("%s: the visit's note %q", when, l.History[1].Note)
		}
		// The map counts F7 in anode from 2025-06-01.
		m := decode[ChainMapResponse](t, send(t, h, "GET", "/api/v1/regions/370600/chains/ev/map", "", ""))
		if n := mapNodeOf(t, m, "ev/anode"); n.Count != 1 || n.Landed != 1 || m.LandedNote == "" || m.AsOf != "" {
			t.Errorf("%s: anode local %d landed %d, note %q, as_of %q", when, n.Count, n.Landed, m.LandedNote, m.AsOf)
		}
		m = decode[ChainMapResponse](t, send(t, h, "GET", "/api/v1/regions/370600/chains/ev/map?as_of=2025-05-31", "", ""))
		if n := mapNodeOf(t, m, "ev/anode"); m.AsOf != "2025-05-31" || m.AsOfDetail == nil || n.Count != 0 || n.Level != "空白" {
			t.Errorf("%s: as of 2025-05-31: as_of %q, detail %v, anode %d %s", when, m.AsOf, m.AsOfDetail, n.Count, n.Level)
		}
	}
	checkLead(h, "after the landing")

	// A reload of another source keeps the lead.
	if _, err := st.Replace(ctx, graph.Source{ID: "registry/firms", Kind: graph.KindRegistry}, graph.Facts(
		graph.Firm{ID: graph.FirmID(f7), Name: "F7", Region: "320500", Nodes: []graph.NodeLink{{Node: "ev/anode", Method: "keyword", Confidence: 1}}})); err != nil {
		t.Fatal(err)
	}
	checkLead(h, "after a reload of registry/firms")

	// So does a restart.
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(ctx, "bbolt:"+dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h = leadServer(st, false)
	checkLead(h, "after reopening the store")

	// Lists, funnel and the Excel file.
	list := decode[LeadListResponse](t, send(t, h, "GET", "/api/v1/leads?region=370000&chain=ev&status=已落地&owner=招商一组", "", ""))
	if list.Total != 1 || list.Leads[0].ID != "1" || list.Leads[0].History != nil || len(list.Statuses) != 7 {
		t.Errorf("list %+v", list)
	}
	if list := decode[LeadListResponse](t, send(t, h, "GET", "/api/v1/leads?status=洽谈中", "", "")); list.Total != 0 {
		t.Errorf("status 洽谈中: %d leads", list.Total)
	}
	if rec := send(t, h, "GET", "/api/v1/leads?status=maybe", "", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("status maybe: %d", rec.Code)
	}
	fn := decode[FunnelResponse](t, send(t, h, "GET", "/api/v1/leads/funnel?region=370600&chain=ev", "", ""))
	// 待接触 2025-03-01 (the day given at creation was today: the lead was
	// made now), 已拜访 2025-03-20, 已落地 2025-06-01.
	if fn.Leads != 1 || len(fn.Steps) != 6 || fn.Steps[5].Now != 1 || fn.Steps[2].Reached != 1 || fn.Steps[3].Reached != 1 {
		t.Errorf("funnel %+v", fn)
	}
	rec = send(t, h, "GET", "/api/v1/leads/export?region=370600", "", "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("export: %d %v", rec.Code, rec.Header())
	}
	x, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("招商线索")
	if err != nil || len(rows) != 2 || rows[0][0] != "编号" || rows[1][1] != "F7" || rows[1][2] != f7 || rows[1][8] != "已落地" {
		t.Errorf("sheet 招商线索: %v %v", rows, err)
	}
	hist, _ := x.GetRows("跟进记录")
	if len(hist) != 4 || !strings.Contains(hist[3][4], "状态：已拜访 → 已落地") {
		t.Errorf("sheet 跟进记录: %v", hist)
	}
	for _, name := range []string{"漏斗", "说明"} {
		if i, _ := x.GetSheetIndex(name); i < 0 {
			t.Errorf("no sheet %s", name)
		}
	}
}

// TestLeadsFollowTheReadPolicy: with private reads, leads need a reader
// token; without, anyone may read them. Writing always needs a writer.
func TestLeadsFollowTheReadPolicy(t *testing.T) {
	st := graphtest.Analytics(t)
	h := leadServer(st, true)
	if rec := send(t, h, "GET", "/api/v1/leads", "", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("private reads, no token: %d, want 401", rec.Code)
	}
	if rec := send(t, h, "GET", "/api/v1/leads", readerToken, ""); rec.Code != http.StatusOK {
		t.Errorf("private reads, reader token: %d, want 200", rec.Code)
	}
	if rec := send(t, h, "GET", "/api/v1/leads/funnel", readerToken, ""); rec.Code != http.StatusOK {
		t.Errorf("funnel, reader token: %d, want 200", rec.Code)
	}
	if rec := send(t, leadServer(st, false), "GET", "/api/v1/leads", "", ""); rec.Code != http.StatusOK {
		t.Errorf("public reads, no token: %d, want 200", rec.Code)
	}
	if rec := send(t, h, "GET", "/api/v1/leads/9", readerToken, ""); rec.Code != http.StatusNotFound {
		t.Errorf("unknown lead: %d, want 404", rec.Code)
	}
	if rec := send(t, h, "PATCH", "/api/v1/leads/9", writerToken, `{"status":"已接触"}`); rec.Code != http.StatusNotFound {
		t.Errorf("PATCH unknown lead: %d, want 404", rec.Code)
	}
}

// TestWhatIfAPI: a reader may ask a what-if; it answers before and after
// and writes nothing.
func TestWhatIfAPI(t *testing.T) {
	st := graphtest.Analytics(t)
	h := leadServer(st, false)
	sources := len(st.Index().Sources())
	body := `{"firms":["` + graphtest.CreditCode(7) + `","` + graphtest.CreditCode(3) + `"],"park":"yt-eda"}`
	rec := send(t, h, "POST", "/api/v1/regions/370600/chains/ev/whatif", readerToken, body)
	if rec.Code != http.StatusOK {
		t.Fatalf("whatif: %d %s", rec.Code, rec.Body)
	}
	w := decode[WhatIfResponse](t, rec)
	// By hand (graphtest.Analytics, weights 1): 3 of 5 leaves present;
	// F7 fills anode: 4 of 5. F3 is already local.
	if math.Abs(w.Completeness.Before-0.6) > 1e-9 || math.Abs(w.Completeness.After-0.8) > 1e-9 || math.Abs(w.Completeness.Change-0.2) > 1e-9 {
		t.Errorf("completeness %+v, want 0.6 → 0.8", w.Completeness)
	}
	if len(w.Firms) != 2 || !w.Firms[0].Counted || w.Firms[1].Counted || w.Firms[1].Reason == "" {
		t.Errorf("firms %+v", w.Firms)
	}
	var anode *NodeChangeResponse
	for i, c := range w.Changes {
		if c.ID == "ev/anode" {
			anode = &w.Changes[i]
		}
	}
	if anode == nil || anode.LevelBefore != "空白" || anode.LevelAfter == "空白" || anode.FirmsAfter != 1 {
		t.Errorf("anode change %+v", anode)
	}
	if mapNodeOf(t, w.After, "ev/anode").Count != 1 || mapNodeOf(t, w.Before, "ev/anode").Count != 0 || w.Note == "" {
		t.Error("before/after maps do not show the change")
	}
	if len(st.Index().Sources()) != sources || mapNodeOf(t, decode[ChainMapResponse](t, send(t, h, "GET", "/api/v1/regions/370600/chains/ev/map", "", "")), "ev/anode").Count != 0 {
		t.Error("the what-if wrote something")
	}
	for _, bad := range []string{`{"firms":[]}`, `{"firms":["nope"]}`, `{"firms":["` + graphtest.CreditCode(7) + `"],"park":"jn-park"}`} {
		if rec := send(t, h, "POST", "/api/v1/regions/370600/chains/ev/whatif", readerToken, bad); rec.Code != http.StatusBadRequest {
			t.Errorf("whatif %s: %d, want 400", bad, rec.Code)
		}
	}
}

// TestConcurrentLeadWritesLoseNothing: each write rewrites the leads
// source, so writes are one at a time; none is lost and ids do not repeat.
func TestConcurrentLeadWritesLoseNothing(t *testing.T) {
	st := graphtest.Analytics(t)
	h := leadServer(st, false)
	firms := []int{5, 6, 7, 8}
	done := make(chan int, len(firms))
	for _, f := range firms {
		go func() {
			rec := send(t, h, "POST", "/api/v1/leads", writerToken, `{"firm":"`+graphtest.CreditCode(f)+`","region":"370600","chain":"ev"}`)
			done <- rec.Code
		}()
	}
	for range firms {
		if code := <-done; code != http.StatusCreated {
			t.Errorf("POST: %d", code)
		}
	}
	list := decode[LeadListResponse](t, send(t, h, "GET", "/api/v1/leads", "", ""))
	seen := map[string]bool{}
	for _, l := range list.Leads {
		seen[l.ID] = true
	}
	if list.Total != len(firms) || len(seen) != len(firms) {
		t.Errorf("%d leads with ids %v, want %d distinct", list.Total, seen, len(firms))
	}
}
