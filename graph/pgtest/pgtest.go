// Package pgtest gives tests a PostgreSQL database of their own on the
// server CHAINKG_TEST_POSTGRES names (.ci/run installs and starts one).
package pgtest

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/lib/pq" // the "postgres" driver
)

// Database creates an empty database named after prefix, returns its URL
// and drops it when the test ends. Without CHAINKG_TEST_POSTGRES the test is
// skipped; with it, a server that does not answer fails the test.
func Database(tb testing.TB, prefix string) string {
	tb.Helper()
	admin := os.Getenv("CHAINKG_TEST_POSTGRES")
	if admin == "" {
		tb.Skip("PostgreSQL not configured: set CHAINKG_TEST_POSTGRES to a server URL (.ci/run installs and starts one)")
	}
	db, err := sql.Open("postgres", admin)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		tb.Fatalf("CHAINKG_TEST_POSTGRES is set but the server does not answer: %v", err)
	}
	name := fmt.Sprintf("%s_%d_%d", prefix, time.Now().UnixNano(), rand.IntN(1e6))
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("CHAINKG_TEST_POSTGRES is set but creating a database failed: %v", err)
	}
	tb.Cleanup(func() { db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
