//go:build !unix

package api

import (
	"errors"
	"os"
)

var errLocked = errors.New("api: the spool directory may be held by a running server")

// lockDir cannot lock a directory on this system: a server holds its own
// spools without a lock, and a cleanup treats every spool as held, so
// nothing of a live server is removed (and nothing of a crashed one).
func lockDir(dir string, own bool) (*os.File, error) {
	if !own {
		return nil, errLocked
	}
	return os.Open(dir)
}
