package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// Every load of a file — 'chainkg load' and an upload alike — goes through
// loadFile, which holds it to two rules before its new version becomes
// current. Both are checked inside the store's write, under its writer
// lock, so the version weighed is the one replaced.
//
//   - One file name, one source. A file whose name folds onto the id of a
//     source loaded from another name (dup_x.csv onto dup-x.csv's) would
//     silently replace that file's facts: it is refused, as is a file whose
//     source was loaded under an older form of its id.
//   - A load never empties a source by accident. A file that yields no
//     fact (no good row: a header alone, blank lines, the wrong columns,
//     an unreadable encoding) is refused; one that yields under half the
//     facts of the version it replaces is refused unless the caller allows
//     it (--allow-shrink, allow_shrink=true).
//
// A refused file leaves the store exactly as it was.

// loadPolicy is what a caller allows a load.
type loadPolicy struct {
	// AllowShrink lets a file replace a source with under half its facts.
	AllowShrink bool
}

// loadOutcome is what a load through loadFile did.
type loadOutcome struct {
	store.ReplaceResult
	// Replaced is the version the load replaced; nil for a new source or an
	// unchanged one.
	Replaced *graph.SourceInfo
}

// loadFile loads one file as loaders.LoadFile does, under the policy.
func loadFile(ctx context.Context, st *store.Store, kind, path string, opt loaders.FileOptions, pol loadPolicy) (*loaders.Report, loadOutcome, error) {
	g := &guardedStore{st: st, pol: pol}
	rep, res, err := loaders.LoadFile(ctx, g, kind, path, opt)
	// A refusal of the policy is a sentence for a person, complete in
	// itself: the store's prefix (graph: replace …) adds nothing to it.
	var se *shrinkError
	var ce *clashError
	switch {
	case errors.As(err, &se):
		if rep != nil {
			se.rows, se.good = rep.Rows, rep.Loaded
		}
		err = se
	case errors.As(err, &ce):
		err = ce
	}
	out := loadOutcome{ReplaceResult: res}
	if err == nil && !res.Unchanged {
		out.Replaced = g.replaced
	}
	return rep, out, err
}

// guardedStore is the store as loadFile's loader sees it.
type guardedStore struct {
	st       *store.Store
	pol      loadPolicy
	replaced *graph.SourceInfo
}

func (g *guardedStore) Index() *readmodel.Index { return g.st.Index() }

func (g *guardedStore) Replace(ctx context.Context, src graph.Source, write func(graph.FactSink) error) (store.ReplaceResult, error) {
	return g.st.Replace(ctx, src, func(sink graph.FactSink) error {
		// The store holds its writer lock while this runs: the read model
		// is the one this version would replace.
		srcs := g.st.Index().Sources()
		old, hadOld := findSource(srcs, src.ID)
		if err := checkIdentity(srcs, src, old, hadOld); err != nil {
			return err
		}
		if err := write(sink); err != nil {
			return err
		}
		counter, ok := sink.(interface{ Written() int })
		if !ok {
			return fmt.Errorf("chainkg: the store's sink does not count what it was given")
		}
		n := counter.Written()
		switch {
		case n == 0:
			return &shrinkError{file: src.Title, id: src.ID, old: old, hadOld: hadOld, rows: -1, good: -1}
		case hadOld && !g.pol.AllowShrink && 2*n < old.Facts:
			return &shrinkError{file: src.Title, id: src.ID, facts: n, old: old, hadOld: true, rows: -1, good: -1}
		}
		if hadOld {
			g.replaced = &old
		}
		return nil
	})
}

func findSource(srcs []graph.SourceInfo, id graph.SourceID) (graph.SourceInfo, bool) {
	for _, s := range srcs {
		if s.ID == id {
			return s, true
		}
	}
	return graph.SourceInfo{}, false
}

// fileNameOf is the name of the file a source was loaded from: the base of
// its origin (a path, "upload:NAME", or the embedded data's path).
func fileNameOf(s graph.Source) string {
	o := strings.TrimPrefix(s.Origin, "upload:")
	if o == "" {
		return ""
	}
	return filepath.Base(o)
}

// checkIdentity refuses a file that would replace a source loaded from a
// file of another name, and one whose source was stored under an older form
// of its id (Chinese names used to be hashed: registry/csv-u1a2b3c4d). It
// judges only ids made from the file's name; an id the loader chose
// otherwise (a directory that is the chain library) is the loader's call.
func checkIdentity(srcs []graph.SourceInfo, src graph.Source, old graph.SourceInfo, hadOld bool) error {
	name := fileNameOf(src)
	fromName, err := graph.NewSourceID(src.Kind, name)
	if name == "" || err != nil || fromName != src.ID {
		return nil
	}
	if hadOld {
		if prev := fileNameOf(old.Source); prev != "" && prev != name {
			return &clashError{file: name, id: src.ID, other: prev}
		}
		return nil
	}
	legacy := graph.SourceID(string(src.Kind) + "/" + graph.Slugify(name))
	if legacy == src.ID {
		return nil
	}
	if prev, ok := findSource(srcs, legacy); ok && fileNameOf(prev.Source) == name {
		return &clashError{file: name, id: src.ID, legacy: legacy}
	}
	return nil
}

// shrinkError refuses a file that would empty or more than halve a source.
type shrinkError struct {
	file   string
	id     graph.SourceID
	facts  int // the new version's; 0 for a file that yields none
	old    graph.SourceInfo
	hadOld bool
	// rows and good are the file's records read and loaded, once known (-1 before).
	rows, good int
}

func (e *shrinkError) Error() string {
	var b strings.Builder
	if e.facts == 0 {
		fmt.Fprintf(&b, "%s has no good row", e.file)
		if e.rows >= 0 {
			fmt.Fprintf(&b, " (%d read, %d loaded)", e.rows, e.good)
		}
		b.WriteString(", so it was not loaded")
		if e.hadOld {
			fmt.Fprintf(&b, " and %s keeps its %d facts", e.id, e.old.Facts)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%s gives %d facts", e.file, e.facts)
	if e.good >= 0 {
		fmt.Fprintf(&b, " (%d good rows of %d)", e.good, e.rows)
	}
	fmt.Fprintf(&b, ", under half the %d facts of the version of %s it would replace (loaded %s), so it was not loaded; if the smaller source is meant, load it again with --allow-shrink (allow_shrink=true for an upload)",
		e.old.Facts, e.id, e.old.LoadedAt.Local().Format(time.DateTime))
	return b.String()
}

// Unwrap makes the refusal an input's: a 422 over HTTP.
func (e *shrinkError) Unwrap() error { return loaders.ErrRejected }

// clashError refuses a file whose name folds onto another file's source.
type clashError struct {
	file   string
	id     graph.SourceID
	other  string         // the file name the source was loaded from
	legacy graph.SourceID // the older id the same file was loaded under
}

func (e *clashError) Error() string {
	if e.legacy != "" {
		return fmt.Sprintf("%s was loaded before as %s, an older form of its id %s; delete %s ('chainkg sources delete %s' or DELETE /api/v1/sources/%s), then load the file again",
			e.file, e.legacy, e.id, e.legacy, e.legacy, e.legacy)
	}
	return fmt.Sprintf("%s would be loaded as %s, which holds the file %s: file names that differ only in case, spaces or punctuation name one source; rename the file, or delete %s first if it is meant to replace %s",
		e.file, e.id, e.other, e.id, e.other)
}

// Unwrap makes the refusal an input's: a 422 over HTTP.
func (e *clashError) Unwrap() error { return loaders.ErrRejected }
