package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// hostileServer counts the loads its uploads reach.
func hostileServer(t *testing.T, cfg Config) (*Server, *atomic.Int64) {
	t.Helper()
	var loads atomic.Int64
	cfg.Load = func(_ context.Context, up Upload) (LoadReport, error) {
		loads.Add(1)
		return LoadReport{File: up.Name}, nil
	}
	return uploadServer(t, cfg), &loads
}

// TestUploadFileNames: a file name with path tricks is refused with 400;
// nothing reaches the loader and nothing is left on disk.
func TestUploadFileNames(t *testing.T) {
	s, loads := hostileServer(t, Config{})
	for _, name := range []string{
		"../firms.csv", "../../etc/passwd", "/etc/passwd", "dir/firms.csv",
		`..\..\firms.csv`, `C:\Users\x\firms.csv`, `\\server\share\firms.csv`,
		"firms\x00.csv", "firms.csv\x00.xlsx", "firms\n.csv", "firms\r.csv", "\x7f",
		".", "..", " firms.csv", "firms.csv ", strings.Repeat("a", 300) + ".csv", "bad\xff.csv",
	} {
		rec := upload(t, s.Handler(), map[string]string{"kind": "registry"}, name, "企业名称\n甲\n")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "file name") {
			t.Errorf("file name %q: %d %s", name, rec.Code, rec.Body)
		}
	}
	if n := loads.Load(); n != 0 {
		t.Errorf("%d loads ran", n)
	}
	if entries, _ := os.ReadDir(s.cfg.UploadDir); len(entries) != 0 {
		t.Errorf("spooled files left: %v", entries)
	}
	// Names that are fine: Chinese, spaces inside, several dots.
	for _, name := range []string{"烟台市企业名录.csv", "firms 2024.v2.csv", "名录（第1批）.xlsx"} {
		if rec := upload(t, s.Handler(), map[string]string{"kind": "registry"}, name, "x"); rec.Code != http.StatusCreated {
			t.Errorf("file name %q: %d %s", name, rec.Code, rec.Body)
		}
	}
}

// TestUploadLimits: an upload over the limit is refused with 413 however
// it is sent, as are other bodies over theirs; malformed forms are 400.
func TestUploadLimits(t *testing.T) {
	s, loads := hostileServer(t, Config{MaxUpload: 1000, MaxBody: 2000, UploadKinds: []string{"registry", "plan"}})
	big := strings.Repeat("甲", 400) // 1200 bytes
	if rec := upload(t, s.Handler(), map[string]string{"kind": "registry"}, "big.csv", big); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("upload over the limit: %d %s", rec.Code, rec.Body)
	}
	// Without a Content-Length the limit is counted as the body streams.
	req := uploadRequest(t, "/api/v1/sources", map[string]string{"kind": "registry"}, "big.csv", strings.Repeat(big, 100))
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked upload over the limit: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range []struct {
		name   string
		fields map[string]string
		file   string
		want   string
	}{
		{"unknown kind", map[string]string{"kind": "passwd"}, "f.csv", "unknown kind"},
		{"unknown field", map[string]string{"kind": "registry", "path": "/etc"}, "f.csv", "unknown form field"},
		{"long field", map[string]string{"kind": strings.Repeat("k", 2000)}, "f.csv", "longer than"},
	} {
		rec := upload(t, s.Handler(), tc.fields, tc.file, "x")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: %d %s", tc.name, rec.Code, rec.Body)
		}
	}
	// Not multipart at all.
	req = httptest.NewRequest("POST", "/api/v1/sources", strings.NewReader(`{"kind":"registry"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+writerToken)
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("a JSON body: %d", rec.Code)
	}
	// Two files.
	var b bytes.Buffer
	b.WriteString("--X\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nregistry\r\n")
	for _, n := range []string{"a.csv", "b.csv"} {
		b.WriteString("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + n + "\"\r\n\r\nx\r\n")
	}
	b.WriteString("--X--\r\n")
	req = httptest.NewRequest("POST", "/api/v1/sources", &b)
	req.Header.Set("Content-Type", "multipart/form-data; boundary=X")
	req.Header.Set("Authorization", "Bearer "+writerToken)
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "more than one file") {
		t.Errorf("two files: %d %s", rec.Code, rec.Body)
	}
	if n := loads.Load(); n != 0 {
		t.Errorf("%d loads ran", n)
	}
	if entries, _ := os.ReadDir(s.cfg.UploadDir); len(entries) != 0 {
		t.Errorf("spooled files left: %v", entries)
	}

	// Other bodies: the ad-hoc query is bounded by MaxBody.
	q := `{"lang":"gizmo","query":"g.V().All()","x":"` + strings.Repeat("a", 3000) + `"}`
	if rec := call(t, s, "POST", "/api/v1/query", "r-token-1234567890", q); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("query body over the limit: %d %s", rec.Code, rec.Body)
	}
	req = httptest.NewRequest("POST", "/api/v1/query", strings.NewReader(q))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	rec = httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked query body over the limit: %d %s", rec.Code, rec.Body)
	}
}

// TestDeeplyNestedJSON: a body nested past the decoder's depth is a 400,
// not a stack overflow.
func TestDeeplyNestedJSON(t *testing.T) {
	s, _ := hostileServer(t, Config{MaxBody: 4 << 20})
	for _, n := range []int{20_000, 1_000_000} {
		body := `{"lang":"gizmo","query":"g.V().All()","x":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
		rec := call(t, s, "POST", "/api/v1/query", "", body)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "depth") {
			t.Errorf("nested %d deep: %d %.200s", n, rec.Code, rec.Body)
		}
	}
}
