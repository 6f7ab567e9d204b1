package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"reflect"
	"strings"
	"testing"
)

// TestHostileUploads runs the service with small limits, loads a registry,
// then sends hostile uploads and bodies: each gets a clear 4xx (at once, or
// as its job's status) and the sources stay exactly as they were.
func TestHostileUploads(t *testing.T) {
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	base, _, stop := startServe(t, "mem:", "--max-upload", "12M", "--max-rows", "3", "--max-body", "64K")
	defer stop()
	if resp := postFile(t, base+"/api/v1/sources?wait=true", token, "registry", "firms.csv", firmsCSV); resp.StatusCode != http.StatusCreated {
		t.Fatalf("the good upload: %s", resp.Status)
	}
	before := sourcesOf(t, base)

	xlsx := func(sheet string) string {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for name, body := range map[string]string{
			"xl/workbook.xml":            `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet r:id="rId1"/></sheets></workbook>`,
			"xl/_rels/workbook.xml.rels": `<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>`,
			"xl/worksheets/sheet1.xml":   `<worksheet><sheetData>` + sheet + `</sheetData></worksheet>`,
		} {
			w, _ := zw.Create(name)
			io.WriteString(w, body)
		}
		zw.Close()
		return b.String()
	}
	row := func(n int, v string) string {
		return fmt.Sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>`, n, n, v)
	}
	docx := func(document string) string {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("word/document.xml")
		io.WriteString(w, document)
		zw.Close()
		return b.String()
	}
	manyRows := "企业名称\n甲公司\n乙公司\n丙公司\n丁公司\n"
	deep := `{"企业名称":"甲公司","标签":` + strings.Repeat("[", 50_000) + strings.Repeat("]", 50_000) + "}\n"

	for _, tc := range []struct {
		what, kind, name, body string
		strict                 bool
		status                 int // of the request, or of the job when the request is 202
		want                   string
	}{
		{"a file over --max-upload", "registry", "firms.csv", strings.Repeat("甲", 5<<20), false, 413, "too large"},
		{"a path in the name", "registry", "../firms.csv", firmsCSV, false, 400, "without directories"},
		{"a Windows path in the name", "registry", `..\firms.csv`, firmsCSV, false, 400, "without directories"},
		{"an absolute name", "registry", "/etc/passwd", firmsCSV, false, 400, "without directories"},
		{"a NUL in the name", "registry", "firms.csv\x00.txt", firmsCSV, false, 400, "malformed"},
		{"an encoded NUL in the name", "registry", "*=UTF-8''firms.csv%00.txt", firmsCSV, false, 400, "control characters"},
		{"an encoded path in the name", "registry", "*=UTF-8''..%2F..%2Ffirms.csv", firmsCSV, false, 400, "without directories"},
		{"an unknown kind", "passwd", "firms.csv", firmsCSV, false, 400, "unknown kind"},
		{"more rows than --max-rows", "registry", "firms.csv", manyRows, false, 422, "more than 3 rows"},
		{"a CSV field of 9 MB", "registry", "firms.csv", "企业名称\n\"" + strings.Repeat("长", 3<<20) + "\"\n", false, 422, "record longer than"},
		{"binary garbage", "registry", "firms.csv", "\x00\x01\x02\xff\xfe\"\x00,\n\x00\"", false, 422, "header"},
		{"a NUL in a cell (strict)", "registry", "firms.csv", "企业名称\n甲\x00公司\n", true, 422, "NUL"},
		{"JSON nested 50,000 deep (strict)", "registry", "firms.csv", deep, true, 422, "depth"},
		{"a workbook zip bomb", "registry", "firms.xlsx", xlsx(strings.Repeat("<row/>", 1<<20)), false, 422, "zip bomb"},
		{"a workbook with an external entity", "registry", "firms.xlsx", xlsx(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + row(1, "企业名称") + row(2, "&e;")), false, 422, "unknown entity"},
		{"a document zip bomb", "plan", "plan.docx", docx(strings.Repeat(" ", 4<<20)), false, 422, "zip bomb"},
		{"a document with an external entity", "plan", "plan.docx", docx(`<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><document><t>&e;</t></document>`), false, 422, "entity"},
	} {
		status, detail := hostileUpload(t, base, token, tc.kind, tc.name, tc.body, tc.strict)
		if status != tc.status || !strings.Contains(detail, tc.want) {
			t.Errorf("%s: %d %.300s; want %d %q", tc.what, status, detail, tc.status, tc.want)
		}
		if strings.Contains(detail, "root:") {
			t.Errorf("%s: the answer shows /etc/passwd", tc.what)
		}
		if after := sourcesOf(t, base); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: the sources changed:\n%v\n%v", tc.what, before, after)
		}
	}

	// Bodies other than uploads.
	for _, tc := range []struct {
		what, body string
		status     int
	}{
		{"a query body over --max-body", `{"lang":"gizmo","query":"` + strings.Repeat("g", 70<<10) + `"}`, 413},
		{"a query body nested 30,000 deep", `{"lang":"gizmo","query":"g.V()","x":` + strings.Repeat("[", 30_000) + strings.Repeat("]", 30_000) + `}`, 400},
	} {
		resp, err := http.Post(base+"/api/v1/query", "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s: %s, want %d", tc.what, resp.Status, tc.status)
		}
	}
}

// hostileUpload sends an upload with the file name exactly as given and
// returns the status and the problem detail, or — when it was accepted —
// its job's status and error.
func hostileUpload(t *testing.T, base, token, kind, name, body string, strict bool) (int, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("kind", kind)
	if strict {
		w.WriteField("strict", "true")
	}
	h := textproto.MIMEHeader{}
	// The name goes into the header as it is, unescaped, as a hand-made
	// request would send it; "*=…" sends an RFC 2231 encoded name.
	param := `filename="` + name + `"`
	if enc, ok := strings.CutPrefix(name, "*="); ok {
		param = "filename*=" + enc
	}
	h.Set("Content-Disposition", `form-data; name="file"; `+param)
	fw, _ := w.CreatePart(h)
	io.WriteString(fw, body)
	w.Close()
	req, _ := http.NewRequest("POST", base+"/api/v1/sources", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		var p struct {
			Detail string `json:"detail"`
		}
		json.NewDecoder(resp.Body).Decode(&p)
		return resp.StatusCode, p.Detail
	}
	j := waitJob(t, base+resp.Header.Get("Location"), token)
	return j.Status, j.Error
}

// sourcesOf returns each source's id, version and hash.
func sourcesOf(t *testing.T, base string) map[string]string {
	t.Helper()
	var srcs struct {
		Sources []struct {
			ID      string `json:"id"`
			Version string `json:"version"`
			Hash    string `json:"hash"`
		} `json:"sources"`
	}
	getJSON(t, base+"/api/v1/sources", &srcs)
	out := map[string]string{}
	for _, s := range srcs.Sources {
		out[s.ID] = s.Version + " " + s.Hash
	}
	return out
}
