package export

import (
	"bufio"
	"strings"
)

// xmlEsc escapes text for XML content and attribute values, dropping the
// control characters XML 1.0 forbids (registry texts sometimes carry them).
func xmlEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r == '\n':
			b.WriteString("&#10;")
		case r == '\t':
			b.WriteString("&#9;")
		case r == '\r':
			b.WriteString("&#13;")
		case r < 0x20 || r == 0xFFFE || r == 0xFFFF:
			// not allowed in XML 1.0
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// errWriter is a buffered writer that keeps the first error, so encoders
// write without checking every call and report at the end.
type errWriter struct {
	w   *bufio.Writer
	err error
}

func (e *errWriter) s(parts ...string) {
	for _, p := range parts {
		if e.err != nil {
			return
		}
		_, e.err = e.w.WriteString(p)
	}
}

func (e *errWriter) flush() error {
	if e.err != nil {
		return e.err
	}
	return e.w.Flush()
}
