package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// stateDeadline is how long a test waits for a state (a server ready, a
// job done) before it gives up: until shortly before the test binary's own
// -timeout, so a slow machine (-race, -cpu 1, other builds) makes a test
// slower, never failed; without a -timeout, ten minutes.
func stateDeadline(t *testing.T) time.Time {
	t.Helper()
	if d, ok := t.Deadline(); ok {
		return d.Add(-10 * time.Second)
	}
	return time.Now().Add(10 * time.Minute)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func writeFileAll(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, content)
}
