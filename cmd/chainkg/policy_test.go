package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestServeRemovesStaleUploads: the spool directories a killed run left
// in the upload directory are gone once a new run is up.
func TestServeRemovesStaleUploads(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "chainkg-upload-4242")
	writeFileAll(t, filepath.Join(stale, "firms.csv"), "企业名称\n甲公司\n")
	_, logs, stop := startServe(t, "mem:", "--upload-dir", dir)
	defer stop()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale spool directory is still there (%v); logs:\n%s", err, logs)
	}
}
