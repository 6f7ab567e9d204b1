package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/lib/pq"
)

// testPostgres creates a database for one test on the server named by
// CHAINKG_TEST_POSTGRES and drops it afterwards; without the variable the
// test is skipped.
func testPostgres(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("CHAINKG_TEST_POSTGRES")
	if admin == "" {
		t.Skip("PostgreSQL not configured: set CHAINKG_TEST_POSTGRES to a server URL (.ci/run installs and starts one)")
	}
	db, err := sql.Open("postgres", admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	name := fmt.Sprintf("chainkg_cmd_%d_%d", time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("CHAINKG_TEST_POSTGRES is set but creating a database failed: %v", err)
	}
	t.Cleanup(func() { db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestTwoReplicasOnPostgres runs two services on one PostgreSQL database and
// checks that a source loaded afterwards is served by both within seconds.
func TestTwoReplicasOnPostgres(t *testing.T) {
	store := testPostgres(t)
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
}
