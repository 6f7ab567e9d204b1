package api

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// An upload waits on disk in a spool directory of its own until its job
// ends. A server killed mid-upload leaves its directories behind (a
// registry upload is hundreds of MB), so a server removes, when it starts,
// the spool directories no live server holds. Each holds its directories
// with an advisory lock (flock) on the directory itself, which the kernel
// releases when the process dies, however it dies; several servers may
// share an upload directory.

// spoolPrefix names spool directories; spoolTempPrefix names one being
// made, not yet locked, which a cleanup leaves alone.
const (
	spoolPrefix     = "chainkg-upload-"
	spoolTempPrefix = "chainkg-spooling-"
)

// spool is a locked spool directory.
type spool struct {
	dir  string
	lock *os.File // the directory opened and flocked; closing it unlocks
}

// newSpool makes a spool directory under parent and locks it before it
// gets the name a cleanup looks for.
func newSpool(parent string) (*spool, error) {
	tmp, err := os.MkdirTemp(parent, spoolTempPrefix)
	if err != nil {
		return nil, err
	}
	lock, err := lockDir(tmp, true)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	dir := filepath.Join(filepath.Dir(tmp), spoolPrefix+strings.TrimPrefix(filepath.Base(tmp), spoolTempPrefix))
	if err := os.Rename(tmp, dir); err != nil {
		lock.Close()
		os.RemoveAll(tmp)
		return nil, err
	}
	return &spool{dir: dir, lock: lock}, nil
}

// remove deletes the directory, then lets go of its lock.
func (s *spool) remove() {
	if s == nil {
		return
	}
	os.RemoveAll(s.dir)
	s.lock.Close()
}

// RemoveStaleUploads removes the spool directories under the upload
// directory that no running server holds: those of a run that crashed or
// was killed. It returns how many it removed. Call it once at start.
func (s *Server) RemoveStaleUploads() (int, error) {
	parent := s.cfg.UploadDir
	if parent == "" {
		parent = os.TempDir()
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return 0, fmt.Errorf("api: reading the upload directory: %w", err)
	}
	removed := 0
	var errs []error
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), spoolPrefix) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		lock, err := lockDir(dir, false)
		if errors.Is(err, errLocked) {
			continue // a live server's upload
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		err = os.RemoveAll(dir)
		lock.Close()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}
