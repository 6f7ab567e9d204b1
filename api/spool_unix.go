//go:build unix

package api

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

var errLocked = errors.New("api: the spool directory is held by a running server")

// lockDir opens dir and takes an exclusive flock on it without waiting;
// errLocked says another process holds it.
func lockDir(dir string, _ bool) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, fmt.Errorf("api: locking %s: %w", dir, err)
	}
	return f, nil
}
