package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// runLoad loads files of one kind into the store, each as a source, and
// prints each file's report; it fails when any file was not loaded.
func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	a, err := loadArgs(args, stderr)
	if err != nil {
		return err
	}
	log := a.cfg.logger(stderr)
	defer store.BoundedGC()()
	var st *store.Store
	if a.withDefaults {
		st, err = openStore(ctx, a.cfg, log)
	} else {
		st, err = store.Open(ctx, a.cfg.Store, store.Options{Logger: log})
	}
	if err != nil {
		return err
	}
	defer st.Close()

	failed := 0
	for _, file := range a.files {
		if !a.loadOne(ctx, st, file, stdout, stderr, log) {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not loaded", failed, len(a.files))
	}
	return nil
}

// loadRun is what the load command was asked to do.
type loadRun struct {
	cfg                         Config
	kind                        string
	files                       []string
	strict, dryRun, allowShrink bool
	withDefaults                bool
	mapping                     map[string]string
	region                      graph.RegionCode
}

// loadArgs reads load's flags and arguments, and the column mapping file
// they name.
func loadArgs(args []string, stderr io.Writer) (*loadRun, error) {
	a := &loadRun{}
	fs := newFlagSet("load", stderr, &a.cfg)
	fs.BoolVar(&a.strict, "strict", false, "reject a whole file when any of its rows is rejected")
	region := fs.String("region", "", "plan: the region code (GB/T 2260) of plans whose text does not say")
	mappingFile := fs.String("mapping", "", "registry: a file mapping unknown headers to fields (\"header,field\" lines)")
	fs.BoolVar(&a.dryRun, "dry-run", false, "read, resolve and classify the files and print the reports, but store nothing")
	fs.BoolVar(&a.allowShrink, "allow-shrink", false, "let a file replace a source with under half its facts (a file with no good row is refused all the same)")
	fs.BoolVar(&a.withDefaults, "with-defaults", false, "load the embedded default data first when the store is empty (for mem: stores)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: chainkg load KIND FILE... [flags]\nkinds: %s\n", strings.Join(loaders.FileKinds(), ", "))
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return nil, err
	}
	if fs.NArg() < 2 {
		fs.Usage()
		return nil, fmt.Errorf("%w: load needs a kind and at least one file", errUsage)
	}
	a.kind, a.files = fs.Arg(0), fs.Args()[1:]
	if *region != "" {
		c, err := graph.ParseRegionCode(*region)
		if err != nil {
			return nil, fmt.Errorf("%w: --region: %w", errUsage, err)
		}
		a.region = c
	}
	if *mappingFile != "" {
		f, err := os.Open(*mappingFile)
		if err != nil {
			return nil, err
		}
		a.mapping, err = loaders.ReadColumnMapping(f, filepath.Base(*mappingFile))
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}

// loadOne loads (or, on a dry run, checks) one file and prints its report
// and outcome; false when the file was not loaded.
func (a *loadRun) loadOne(ctx context.Context, st *store.Store, file string, stdout, stderr io.Writer, log *slog.Logger) bool {
	bar := newProgressBar(stderr, file)
	opt := loaders.FileOptions{Progress: bar.update, Strict: a.strict, Options: loaders.Options{Mapping: a.mapping, Region: a.region}}
	if a.dryRun {
		rep, err := loaders.CheckFile(ctx, st, a.kind, file, opt)
		bar.done()
		if rep != nil {
			printReport(stdout, rep)
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: cannot be loaded: %s\n", file, api.PlainMessage(err))
			return false
		}
		fmt.Fprintf(stdout, "%s: dry run, nothing stored\n", rep.Source)
		return true
	}
	rep, res, err := loadFile(ctx, st, a.kind, file, opt, loadPolicy{AllowShrink: a.allowShrink})
	bar.done()
	if rep != nil {
		printReport(stdout, rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: not loaded: %s\n", file, api.PlainMessage(err))
		log.Debug("load refused", "file", file, "err", err)
		return false
	}
	switch {
	case res.Unchanged:
		fmt.Fprintf(stdout, "%s: unchanged (same content as the loaded version)\n", res.ID)
	case res.Replaced != nil:
		fmt.Fprintf(stdout, "%s: loaded as version %s, %d facts; it replaced the version %s of %s (%s, %d facts)\n",
			res.ID, res.Version, res.Facts, res.Replaced.Version, res.Replaced.LoadedAt.Local().Format(time.DateTime), replacedFile(res.Replaced), res.Replaced.Facts)
	default:
		fmt.Fprintf(stdout, "%s: loaded as a new source, version %s, %d facts\n", res.ID, res.Version, res.Facts)
	}
	return true
}

// replacedFile names the file a replaced version was loaded from.
func replacedFile(si *graph.SourceInfo) string {
	if n := fileNameOf(si.Source); n != "" {
		return n
	}
	return si.Title
}

// maxListed is how many rejections and warnings a report prints in full.
const maxListed = 20

// printReport writes what a load read, loaded and rejected.
func printReport(w io.Writer, r *loaders.Report) {
	fmt.Fprintf(w, "%s: %d rows read, %d loaded, %d merged, %d rejected, %d warnings\n",
		r.File, r.Rows, r.Loaded, r.Merged, len(r.Rejected), len(r.Warnings))
	for i, e := range r.Rejected {
		if i == maxListed {
			fmt.Fprintf(w, "  … %d more rejected\n", len(r.Rejected)-maxListed)
			break
		}
		fmt.Fprintf(w, "  rejected %v\n", e)
	}
	for i, e := range r.Warnings {
		if i == maxListed {
			fmt.Fprintf(w, "  … %d more warnings\n", len(r.Warnings)-maxListed)
			break
		}
		fmt.Fprintf(w, "  warning %v\n", e)
	}
	for _, k := range sortedKeys(r.Counts) {
		fmt.Fprintf(w, "  %s: %d\n", k, r.Counts[k])
	}
}

// progressBar draws a load's progress on a terminal, and on anything else
// writes a line every few seconds, so long loads show they are alive.
type progressBar struct {
	w     io.Writer
	name  string
	tty   bool
	start time.Time
	last  time.Time
	drawn bool
	every time.Duration
	cur   int64
	total int64
}

func newProgressBar(w io.Writer, name string) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	every := 5 * time.Second
	if tty {
		every = 150 * time.Millisecond
	}
	now := time.Now()
	return &progressBar{w: w, name: name, tty: tty, start: now, last: now, every: every}
}

func (p *progressBar) update(done, total int64) {
	p.cur, p.total = done, total
	if time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	p.draw()
}

func (p *progressBar) draw() {
	pct := 0.0
	if p.total > 0 {
		pct = float64(p.cur) / float64(p.total)
	}
	const width = 30
	fill := int(pct * width)
	bar := strings.Repeat("=", fill) + strings.Repeat(" ", width-fill)
	line := fmt.Sprintf("%s [%s] %3.0f%% %.1f/%.1f MB %s", p.name, bar, pct*100,
		float64(p.cur)/1e6, float64(p.total)/1e6, time.Since(p.start).Round(time.Second))
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", line)
		p.drawn = true
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progressBar) done() {
	if p.drawn {
		p.draw()
		fmt.Fprintln(p.w)
	}
}
