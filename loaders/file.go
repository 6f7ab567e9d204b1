package loaders

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// FileOptions tune LoadFile: the loader's Options, and how the load runs.
type FileOptions struct {
	Options
	// Progress receives bytes read of the file's size; nil for none.
	Progress Progress
	// Strict rejects the whole file when any record is rejected.
	Strict bool
	// Origin is recorded as where the source came from; "" means the path.
	Origin string
}

// fileLoader is how one kind of input file is read.
type fileLoader struct {
	kind graph.SourceKind
	load Loader
	// sourceID, when set, names the source instead of kind/base name.
	sourceID func(path string) (graph.SourceID, error)
}

// fileLoaders maps the kind a user names on the command line or in an
// upload to its loader.
var fileLoaders = map[string]fileLoader{
	"regions":         {kind: graph.KindReference, load: ReadRegions},
	"gbt4754":         {kind: graph.KindReference, load: ReadIndustryCodes},
	"gbt4754-special": {kind: graph.KindReference, load: ReadIndustryClassifications},
	"chains":          {kind: graph.KindChains, load: ReadChainFiles, sourceID: chainsSourceID},
	"crosswalk":       {kind: graph.KindChains, load: ReadCrosswalk},
	"parks":           {kind: graph.KindReference, load: ReadParks},
	"plan":            {kind: graph.KindPlan, load: ReadPlan},
	"registry":        {kind: graph.KindRegistry, load: ReadRegistry},
	"chain-firms":     {kind: graph.KindRegistry, load: ReadChainFirms},
	"override":        {kind: graph.KindOverride, load: ReadOverrides},
}

// FileKinds lists the kinds LoadFile accepts.
func FileKinds() []string {
	var ks []string
	for k := range fileLoaders {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// ErrStrict is returned by a strict load that rejected records.
var ErrStrict = fmt.Errorf("%w: records rejected in strict mode", ErrRejected)

// openedFile is a file opened for a load: its loader, its reader (counting
// progress when asked), and the source it is loaded as.
type openedFile struct {
	fl   fileLoader
	f    *os.File
	r    io.Reader
	path string
	base string
	id   graph.SourceID
}

// input is what the file's loader is given: the file, also as the only
// path of the filesystem of its directory (a directory is the filesystem,
// with "." its path), the options, and the lookups of the read model as it
// stands.
func (o *openedFile) input(opt FileOptions, x *readmodel.Index) Input {
	in := Input{R: o.r, File: o.base, FS: os.DirFS(filepath.Dir(o.path)), Paths: []string{o.base},
		Source: o.id, Options: opt.Options, Lookups: LookupsOf(x)}
	if fi, err := o.f.Stat(); err == nil && fi.IsDir() {
		in.FS, in.Paths = os.DirFS(o.path), []string{"."}
	}
	return in
}

func openFile(kind, path string, opt FileOptions) (*openedFile, error) {
	fl, ok := fileLoaders[kind]
	if !ok {
		return nil, fmt.Errorf("%w: unknown kind %q: want one of %s", ErrRejected, kind, strings.Join(FileKinds(), ", "))
	}
	base := filepath.Base(path)
	id, err := graph.NewSourceID(fl.kind, base)
	if fl.sourceID != nil {
		id, err = fl.sourceID(path)
	}
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	o := &openedFile{fl: fl, f: f, r: f, path: path, base: base, id: id}
	if opt.Progress != nil {
		if fi, err := f.Stat(); err == nil {
			o.r = &countingReader{r: f, total: fi.Size(), progress: opt.Progress}
		}
	}
	return o, nil
}

// LoadFile loads one file of the given kind as its own source, replacing the
// source's previous version. The source id is the kind and the file's base
// name, so loading the same file again replaces it.
func LoadFile(ctx context.Context, st Replacer, kind, path string, opt FileOptions) (*Report, store.ReplaceResult, error) {
	o, err := openFile(kind, path, opt)
	if err != nil {
		return nil, store.ReplaceResult{}, err
	}
	defer o.f.Close()
	origin := path
	if opt.Origin != "" {
		origin = opt.Origin
	}
	src := graph.Source{ID: o.id, Kind: o.fl.kind, Title: o.base, Origin: origin}
	var rep *Report
	res, err := st.Replace(ctx, src, func(sink graph.FactSink) error {
		var err error
		rep, err = o.fl.load(ctx, o.input(opt, st.Index()), sink)
		if err == nil && opt.Strict && rep != nil && len(rep.Rejected) > 0 {
			err = fmt.Errorf("%w: %d rejected, first: %w", ErrStrict, len(rep.Rejected), rep.Rejected[0])
		}
		return err
	})
	if rep != nil {
		rep.Source = o.id
	}
	return rep, res, err
}

// CheckFile reads a file as LoadFile would — parsing, resolving and
// classifying every record against the read model — and returns the report,
// but writes nothing: a dry run to see what a load would reject.
func CheckFile(ctx context.Context, st Replacer, kind, path string, opt FileOptions) (*Report, error) {
	o, err := openFile(kind, path, opt)
	if err != nil {
		return nil, err
	}
	defer o.f.Close()
	rep, err := o.fl.load(ctx, o.input(opt, st.Index()), dropSink{ctx})
	if rep != nil {
		rep.Source = o.id
	}
	return rep, err
}

// dropSink takes facts and keeps none; it stops when its context ends.
type dropSink struct{ ctx context.Context }

func (d dropSink) Put(...graph.Fact) error { return d.ctx.Err() }

// countingReader reports bytes read.
type countingReader struct {
	r        io.Reader
	n, total int64
	progress Progress
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.progress(c.n, c.total)
	return n, err
}

// underlying lets a loader that needs random access (XLSX) reach the file.
func (c *countingReader) underlying() io.Reader { return c.r }

// progressFunc lets such a loader report progress its own way.
func (c *countingReader) progressFunc() Progress { return c.progress }
