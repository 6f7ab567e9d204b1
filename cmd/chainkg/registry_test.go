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
)

const firmsCSV = "企业名称,统一社会信用代码,所属城市,经营范围\n" +
	"烟台某某新能源科技有限公司,91370613MA3C4X1Y2E,烟台市,锂离子电池的生产\n" +
	"坏代码公司,91370613MA3C4X1Y2X,烟台市,\n"

// TestUploadRegistry posts a registry file to a running server, as a
// browser or curl would, and reads the load report.
func TestUploadRegistry(t *testing.T) {
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	base, _, stop := startServe(t, "mem:")
	defer stop()
	upload := func(token string) *http.Response {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField("kind", "registry")
		fw, _ := w.CreateFormFile("file", "firms.csv")
		io.WriteString(fw, firmsCSV)
		w.Close()
		req, _ := http.NewRequest("POST", base+"/api/v1/sources", &b)
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
	if resp := upload(""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("an upload without a token: %s, want 401", resp.Status)
		resp.Body.Close()
	}
	resp := upload(token)
	defer resp.Body.Close()
	var rep struct {
		Source   string `json:"source"`
		Rows     int    `json:"rows"`
		Loaded   int    `json:"loaded"`
		Rejected []struct {
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column string `json:"column"`
			Reason string `json:"reason"`
		} `json:"rejected"`
		Counts map[string]int `json:"counts"`
	}
	body, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(body, &rep); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %s %s", resp.Status, body)
	}
	if rep.Source != "registry/firms.csv" || rep.Rows != 2 || rep.Loaded != 1 || len(rep.Rejected) != 1 ||
		rep.Rejected[0].Line != 3 || rep.Rejected[0].Column != "统一社会信用代码" || rep.Counts["region:county"] != 1 {
		t.Errorf("report: %s", body)
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
