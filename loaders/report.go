package loaders

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// ParseError is a rejected value with its position: the file, the line
// (1-based, the header being line 1 of a table), and the column or field.
type ParseError struct {
	File   string
	Line   int
	Column string // a column header or field name; "" when the whole line is wrong
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": %s", e.Column)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// ErrRejected is wrapped by errors that reject a whole input.
var ErrRejected = errors.New("loaders: input rejected")

// Report says what a load did. Rejections keep their position; warnings
// are facts that loaded with something missing (an unknown region, say).
type Report struct {
	Source   graph.SourceID
	File     string
	Rows     int // records read
	Loaded   int // records turned into facts
	Merged   int // records merged into a record seen earlier
	Rejected []*ParseError
	Warnings []*ParseError
	// Counts holds named tallies a loader wants to report ("region:county": 120 …).
	Counts map[string]int
}

// Reject records a rejected record.
func (r *Report) Reject(line int, column string, err error) {
	r.Rejected = append(r.Rejected, &ParseError{File: r.File, Line: line, Column: column, Err: err})
}

// Warn records a warning about a record that still loaded.
func (r *Report) Warn(line int, column string, err error) {
	r.Warnings = append(r.Warnings, &ParseError{File: r.File, Line: line, Column: column, Err: err})
}

// Count adds n to a named tally.
func (r *Report) Count(name string, n int) {
	if r.Counts == nil {
		r.Counts = map[string]int{}
	}
	r.Counts[name] += n
}

// Progress receives a loader's progress: units done of total (total is 0
// when unknown). Units are bytes for files.
type Progress func(done, total int64)
