package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const firmsCSV = "企业名称,统一社会信用代码,所属城市,经营范围\n" +
	"烟台某某新能源科技有限公司,91370613MA3C4X1Y2E,烟台市,锂离子电池的生产\n" +
	"坏代码公司,91370613MA3C4X1Y2X,烟台市,\n"

// TestUploadRegistry posts a registry file to a running server, as a
// browser or curl would, follows its job and reads the load report.
func TestUploadRegistry(t *testing.T) {
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	base, _, stop := startServe(t, "mem:")
	defer stop()
	if resp := postFile(t, base+"/api/v1/sources", "", "registry", "firms.csv", firmsCSV); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an upload without a token: %s, want 401", resp.Status)
		resp.Body.Close()
	}
	resp := postFile(t, base+"/api/v1/sources", token, "registry", "firms.csv", firmsCSV)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") == "" {
		t.Fatalf("upload: %s %s", resp.Status, body)
	}
	job := waitJob(t, base+resp.Header.Get("Location"), token)
	if job.State != "done" || job.Status != http.StatusCreated {
		t.Fatalf("job: %+v", job)
	}
	rep := job.Report
	if rep.Source != "registry/firms.csv" || rep.Rows != 2 || rep.Loaded != 1 || len(rep.Rejected) != 1 ||
		rep.Rejected[0].Line != 3 || rep.Rejected[0].Column != "统一社会信用代码" || rep.Counts["region:county"] != 1 {
		t.Errorf("report: %+v", rep)
	}
	var srcs struct {
		Sources []struct {
			ID     string `json:"id"`
			Origin string `json:"origin"`
		} `json:"sources"`
	}
	getJSON(t, base+"/api/v1/sources", &srcs)
	found := false
	for _, s := range srcs.Sources {
		if s.ID == "registry/firms.csv" && s.Origin == "upload:firms.csv" {
			found = true
		}
	}
	if !found {
		t.Errorf("uploaded source not listed: %+v", srcs)
	}
	// wait=true answers the report itself: the same content is unchanged.
	resp = postFile(t, base+"/api/v1/sources?wait=true", token, "registry", "firms.csv", firmsCSV)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	var again loadReportBody
	if err := json.Unmarshal(body, &again); err != nil || resp.StatusCode != http.StatusOK || !again.Unchanged {
		t.Errorf("the same upload again with wait=true: %s %s", resp.Status, body)
	}
}

// loadReportBody is the part of the api's load report the tests read.
type loadReportBody struct {
	Source    string `json:"source"`
	Rows      int    `json:"rows"`
	Loaded    int    `json:"loaded"`
	Unchanged bool   `json:"unchanged"`
	Rejected  []struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column string `json:"column"`
		Reason string `json:"reason"`
	} `json:"rejected"`
	Counts map[string]int `json:"counts"`
	Error  string         `json:"error"`
}

// jobBody is the part of an upload job the tests read.
type jobBody struct {
	ID     string          `json:"id"`
	State  string          `json:"state"`
	Status int             `json:"status"`
	Report *loadReportBody `json:"report"`
	Error  string          `json:"error"`
}

// postFile uploads content as a multipart form, as curl -F does.
func postFile(t *testing.T, url, token, kind, name, content string) *http.Response {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("kind", kind)
	fw, _ := w.CreateFormFile("file", name)
	io.WriteString(fw, content)
	w.Close()
	req, _ := http.NewRequest("POST", url, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// waitJob polls an upload job until it has finished.
func waitJob(t *testing.T, url, token string) jobBody {
	t.Helper()
	deadline := stateDeadline(t)
	for {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var j jobBody
		err = json.NewDecoder(resp.Body).Decode(&j)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s %v", url, resp.Status, err)
		}
		if j.State == "done" || j.State == "failed" {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s still %s at the test's deadline", j.ID, j.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestLoadRegistryWithMapping(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "map.csv"), "单位,name\n代码,credit_code\n")
	writeFile(t, filepath.Join(dir, "park.csv"), "单位,代码,电话\n烟台某某新能源科技有限公司,91370613MA3C4X1Y2E,0535-1\n")
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"load", "registry", filepath.Join(dir, "park.csv"), "--mapping", filepath.Join(dir, "map.csv"), "--with-defaults", "--store", "mem:"}, &out, &errb)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "1 rows read, 1 loaded, 0 merged, 0 rejected") || !strings.Contains(out.String(), "region-method:creditcode: 1") {
		t.Errorf("report:\n%s", out.String())
	}
}
