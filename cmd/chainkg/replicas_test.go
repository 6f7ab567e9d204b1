package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/lib/pq"

	"github.com/chainkg/chainkg/graph/pgtest"
)

// testPostgres is an empty PostgreSQL database for one test.
func testPostgres(t *testing.T) string { return pgtest.Database(t, "chainkg_cmd") }

// TestTwoReplicasOnPostgres runs two services on one PostgreSQL database and
// checks that a source loaded afterwards — by the command line, then by an
// upload to one replica — is served by both within seconds.
func TestTwoReplicasOnPostgres(t *testing.T) {
	store := testPostgres(t)
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	// A store that is not empty is served as it is: a small region table
	// keeps this test fast (cayley writes PostgreSQL row by row).
	seed := filepath.Join(t.TempDir(), "seed.csv")
	writeFile(t, seed, "code,name,level,parent_code\n370000,山东省,province,\n370600,烟台市,city,370000\n")
	var out0, err0 bytes.Buffer
	if err := run(context.Background(), []string{"load", "regions", seed, "--store", store}, &out0, &err0); err != nil {
		t.Fatalf("seed: %v %s", err, err0.String())
	}
	a, _, stopA := startServe(t, store)
	defer stopA()
	b, _, stopB := startServe(t, store)
	defer stopB()

	var sa, sb statsBody
	getJSON(t, a+"/api/v1/stats", &sa)
	getJSON(t, b+"/api/v1/stats", &sb)
	if sa.Quads == 0 || sa.Quads != sb.Quads {
		t.Fatalf("replicas disagree at start: %+v vs %+v", sa, sb)
	}

	csvPath := filepath.Join(t.TempDir(), "more.csv")
	writeFile(t, csvPath, "code,name,level,parent_code\n990000,测试省,province,\n")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"load", "regions", csvPath, "--store", store}, &out, &errb); err != nil {
		t.Fatalf("load: %v %s", err, errb.String())
	}
	deadline := time.Now().Add(15 * time.Second)
	for _, base := range []string{a, b} {
		for {
			var st statsBody
			getJSON(t, base+"/api/v1/stats", &st)
			if st.Sources == sa.Sources+1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s did not serve the new source within 15s: %+v", base, st)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}

	// An upload through replica a is served by replica b.
	resp := postFile(t, a+"/api/v1/sources", token, "regions", "upload.csv", "code,name,level,parent_code\n980000,上传省,province,\n")
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("upload to a: %s", resp.Status)
	}
	if j := waitJob(t, a+resp.Header.Get("Location"), token); j.State != "done" {
		t.Fatalf("upload job on a: %+v", j)
	}
	loaded := time.Now()
	for {
		var reg struct {
			Name string `json:"name"`
		}
		r, err := http.Get(b + "/api/v1/regions/980000")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(r.Body).Decode(&reg)
		r.Body.Close()
		if r.StatusCode == http.StatusOK && reg.Name == "上传省" {
			t.Logf("replica b served the upload to a %v after it was committed", time.Since(loaded).Round(10*time.Millisecond))
			break
		}
		if time.Since(loaded) > 15*time.Second {
			t.Fatalf("replica b did not serve the upload to a within 15s: %s", r.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
