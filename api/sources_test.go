package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strings"
	"testing"
)

const writerToken = "w-token-1234567890"

// uploadRequest builds a multipart upload: fields, then a file part whose
// Content-Disposition carries name exactly as given (no clean-up), unless
// name is "".
func uploadRequest(t *testing.T, path string, fields map[string]string, name, body string) *http.Request {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
		h.Set("Content-Type", "application/octet-stream")
		fw, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(fw, body)
	}
	w.Close()
	req := httptest.NewRequest("POST", path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+writerToken)
	return req
}

func upload(t *testing.T, h http.Handler, fields map[string]string, name, body string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, uploadRequest(t, "/api/v1/sources?wait=true", fields, name, body))
	return rec
}

// uploadServer is a server whose uploads go to load, with a writer token.
func uploadServer(t *testing.T, cfg Config) *Server {
	t.Helper()
	cfg.Auth = Auth{Tokens: map[string]Role{writerToken: RoleWriter, "r-token-1234567890": RoleReader}}
	if cfg.UploadDir == "" {
		cfg.UploadDir = t.TempDir()
	}
	s := New(cfg)
	s.SetStore(newTestStore(t))
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return s
}

// TestCreateSource uploads with wait=true: the answer is the load report,
// with the status a synchronous load would have.
func TestCreateSource(t *testing.T) {
	var got struct{ kind, name, body string }
	load := func(_ context.Context, up Upload) (LoadReport, error) {
		b, _ := os.ReadFile(up.Path)
		got.kind, got.name, got.body = up.Kind, up.Name, string(b)
		rep := LoadReport{Source: "registry/" + up.Name, File: up.Name, Rows: 2, Loaded: 1,
			Rejected: []LoadIssue{{File: up.Name, Line: 3, Column: "统一社会信用代码", Reason: "check character"}}}
		if up.Strict {
			return rep, fmt.Errorf("%w: 1 rejected", ErrInputRejected)
		}
		return rep, nil
	}
	s := uploadServer(t, Config{Load: load})

	rec := upload(t, s.Handler(), map[string]string{"kind": "registry"}, "firms.csv", "企业名称\n甲\n")
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	if got.kind != "registry" || got.name != "firms.csv" || got.body != "企业名称\n甲\n" {
		t.Errorf("the loader got %+v", got)
	}
	if loc := rec.Header().Get("Location"); !strings.HasPrefix(loc, "/api/v1/jobs/") {
		t.Errorf("Location = %q", loc)
	}
	var rep LoadReport
	if err := json.Unmarshal(rec.Body.Bytes(), &rep); err != nil || rep.Loaded != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
		t.Errorf("report = %s", rec.Body)
	}

	rec = upload(t, s.Handler(), map[string]string{"kind": "registry", "strict": "true"}, "firms.csv", "x")
	if rec.Code != http.StatusUnprocessableEntity || !bytes.Contains(rec.Body.Bytes(), []byte(`"error"`)) || !bytes.Contains(rec.Body.Bytes(), []byte(`"line":3`)) {
		t.Errorf("strict upload: %d %s", rec.Code, rec.Body)
	}
	if rec := upload(t, s.Handler(), map[string]string{}, "firms.csv", "x"); rec.Code != http.StatusBadRequest {
		t.Errorf("no kind: %d", rec.Code)
	}
	if rec := upload(t, s.Handler(), map[string]string{"kind": "registry"}, "", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("no file: %d", rec.Code)
	}
	notReady := New(Config{Load: load, Auth: Auth{Tokens: map[string]Role{writerToken: RoleWriter}}})
	if rec := upload(t, notReady.Handler(), map[string]string{"kind": "registry"}, "f.csv", "x"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("before the store: %d", rec.Code)
	}
}
