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
	"testing"
)

func upload(t *testing.T, h http.Handler, fields map[string]string, name, body string) *httptest.ResponseRecorder {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if name != "" {
		fw, _ := w.CreateFormFile("file", name)
		io.WriteString(fw, body)
	}
	w.Close()
	req := httptest.NewRequest("POST", "/api/v1/sources", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+testWriterToken)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// testWriterToken is the writer token of the upload tests' servers.
const testWriterToken = "upload-writer-token-0123456789"

var writerAuth = Auth{Tokens: map[string]Role{testWriterToken: RoleWriter}}

func TestCreateSource(t *testing.T) {
	var got struct{ kind, name, body string }
	load := func(_ context.Context, kind, name string, strict bool, r io.Reader) (LoadReport, error) {
		b, _ := io.ReadAll(r)
		got.kind, got.name, got.body = kind, name, string(b)
		rep := LoadReport{Source: "registry/" + name, File: name, Rows: 2, Loaded: 1,
			Rejected: []LoadIssue{{File: name, Line: 3, Column: "统一社会信用代码", Reason: "check character"}}}
		if strict {
			return rep, fmt.Errorf("%w: 1 rejected", ErrInputRejected)
		}
		return rep, nil
	}
	s := New(Config{Load: load, Auth: writerAuth})
	s.SetStore(newTestStore(t))

	rec := upload(t, s.Handler(), map[string]string{"kind": "registry"}, "../firms.csv", "企业名称\n甲\n")
	if rec.Code != http.StatusCreated {
		t.Fatalf("upload: %d %s", rec.Code, rec.Body)
	}
	if got.kind != "registry" || got.name != "firms.csv" || got.body != "企业名称\n甲\n" {
		t.Errorf("the loader got %+v", got)
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
	if rec := upload(t, New(Config{Auth: writerAuth}).Handler(), map[string]string{"kind": "registry"}, "f.csv", "x"); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("before the store: %d", rec.Code)
	}
}
