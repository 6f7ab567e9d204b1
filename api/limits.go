package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// Default limits; Config overrides them.
const (
	// DefaultMaxBody bounds the body of any request but an upload.
	DefaultMaxBody = 1 << 20
	// DefaultMaxUpload bounds an uploaded file: room for a registry of about
	// two million firms as CSV (a million is ~470 MB).
	DefaultMaxUpload = 1 << 30
	// DefaultMaxQueuedUploads is how many uploads may wait for the one
	// writer; each holds its file on disk.
	DefaultMaxQueuedUploads = 8
	// DefaultJobHistory is how many finished upload jobs are remembered.
	DefaultJobHistory = 100
)

// errTooLarge answers 413.
var errTooLarge = errors.New("api: request body too large")

// limitBody refuses a body larger than max (413), by its Content-Length
// when it has one and by counting otherwise. Uploads have their own,
// larger limit and are skipped.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method == http.MethodPost && req.URL.Path == "/api/v1/sources" {
			return next(c)
		}
		if req.ContentLength > s.cfg.MaxBody {
			return fmt.Errorf("%w: %d bytes, the limit is %d", errTooLarge, req.ContentLength, s.cfg.MaxBody)
		}
		if req.Body != nil {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, s.cfg.MaxBody)
		}
		return next(c)
	}
}

// tooLarge turns a read error of a limited body into errTooLarge, and
// returns nil for any other error.
func tooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return fmt.Errorf("%w: the limit is %d bytes", errTooLarge, mbe.Limit)
	}
	return nil
}

// maxFileName bounds an upload's file name in bytes (most file systems
// allow 255).
const maxFileName = 200

// safeFileName checks the name a client gives an uploaded file. The name
// becomes the source id and the name of the spooled file, so it must be a
// plain base name: no directories (either separator), not "." or "..", no
// NUL or other control characters, valid UTF-8, not too long. Anything else
// is refused rather than cleaned up, so what is stored is what was named.
func safeFileName(name string) (string, error) {
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%w: file name %q: %s", errBadRequest, name, why)
	}
	switch {
	case name == "":
		return bad("empty; give the file a name")
	case !utf8.ValidString(name):
		return bad("not valid UTF-8")
	case len(name) > maxFileName:
		return bad(fmt.Sprintf("longer than %d bytes", maxFileName))
	case strings.ContainsAny(name, `/\`):
		return bad("give a base name, without directories")
	case name == "." || name == "..":
		return bad("not a file name")
	case strings.TrimSpace(name) != name:
		return bad("leading or trailing space")
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return bad("control characters")
		}
	}
	return name, nil
}
