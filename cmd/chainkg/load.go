package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("load", stderr, &cfg)
	strict := fs.Bool("strict", false, "reject a whole file when any of its rows is rejected")
	region := fs.String("region", "", "plan: the region code (GB/T 2260) of plans whose text does not say")
	mappingFile := fs.String("mapping", "", "registry: a file mapping unknown headers to fields (\"header,field\" lines)")
	dryRun := fs.Bool("dry-run", false, "read, resolve and classify the files and print the reports, but store nothing")
	allowShrink := fs.Bool("allow-shrink", false, "let a file replace a source with under half its facts (a file with no good row is refused all the same)")
	withDefaults := fs.Bool("with-defaults", false, "load the embedded default data first when the store is empty (for mem: stores)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: chainkg load KIND FILE... [flags]\nkinds: %s\n", strings.Join(loaders.FileKinds(), ", "))
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		fs.Usage()
		return fmt.Errorf("%w: load needs a kind and at least one file", errUsage)
	}
	kind, files := fs.Arg(0), fs.Args()[1:]
	var code graph.RegionCode
	if *region != "" {
		c, err := graph.ParseRegionCode(*region)
		if err != nil {
			return fmt.Errorf("%w: --region: %w", errUsage, err)
		}
		code = c
	}
	var mapping map[string]string
	if *mappingFile != "" {
		f, err := os.Open(*mappingFile)
		if err != nil {
			return err
		}
		mapping, err = loaders.ReadColumnMapping(f, filepath.Base(*mappingFile))
		f.Close()
		if err != nil {
			return err
		}
	}
	log := cfg.logger(stderr)
	var st *store.Store
	var err error
	if *withDefaults {
		st, err = openStore(ctx, cfg, log)
	} else {
		st, err = store.Open(ctx, cfg.Store, store.Options{Logger: log})
	}
	if err != nil {
		return err
	}
	defer st.Close()

	failed := 0
	for _, file := range files {
		bar := newProgressBar(stderr, file)
		if *dryRun {
			rep, err := loaders.CheckFile(ctx, st, kind, file, loaders.FileOptions{Progress: bar.update, Strict: *strict, Options: loaders.Options{Mapping: mapping, Region: code}})
			bar.done()
			if rep != nil {
				printReport(stdout, rep)
			}
			if err != nil {
				failed++
				fmt.Fprintf(stderr, "%s: cannot be loaded: %s\n", file, api.PlainMessage(err))
			} else {
				fmt.Fprintf(stdout, "%s: dry run, nothing stored\n", rep.Source)
			}
			continue
		}
		rep, res, err := loadFile(ctx, st, kind, file, loaders.FileOptions{Progress: bar.update, Strict: *strict, Options: loaders.Options{Mapping: mapping, Region: code}}, loadPolicy{AllowShrink: *allowShrink})
		bar.done()
		if rep != nil {
			printReport(stdout, rep)
		}
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "%s: not loaded: %s\n", file, api.PlainMessage(err))
			log.Debug("load refused", "file", file, "err", err)
			continue
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
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not loaded", failed, len(files))
	}
	return nil
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
