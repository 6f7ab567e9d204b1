package api

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRemoveStaleUploads: a spool directory no live server holds (a
// crashed run's) is removed at start; one a running server holds stays.
func TestRemoveStaleUploads(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "chainkg-upload-123456")
	if err := os.MkdirAll(stale, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale, "firms.csv"), []byte("企业名称\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "unrelated")
	if err := os.Mkdir(other, 0o700); err != nil {
		t.Fatal(err)
	}
	live := New(Config{UploadDir: dir})
	held, err := live.spoolDir()
	if err != nil {
		t.Fatal(err)
	}
	defer held.remove()

	n, err := New(Config{UploadDir: dir}).RemoveStaleUploads()
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("removed %d directories, want 1", n)
	}
	for path, want := range map[string]bool{stale: false, held.dir: true, other: true} {
		if _, err := os.Stat(path); (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", filepath.Base(path), err == nil, want)
		}
	}
	held.remove()
	if _, err := os.Stat(held.dir); !os.IsNotExist(err) {
		t.Errorf("a finished upload's spool is still there: %v", err)
	}
}
