package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"

	"github.com/chainkg/chainkg/graph/store"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/loaders"
)

// runValidate loads the reference tables and chain library of the default data — the embedded one, or a data
// directory on disk laid out the same way — into a throwaway in-memory
// store, exactly as the first start of 'serve' would, checks the industry
// crosswalks of the listed companies (chains/sw2021.txt, chains/tushare.txt)
// against it, and reports every rejected record with its file and line. It
// fails when anything was rejected, so CI keeps the chain library, the
// crosswalks and the parks consistent with each other and with the
// reference tables.
func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fset := newFlagSet("validate", stderr, &cfg)
	dir := fset.String("data", "", "a data directory to check instead of the embedded data (e.g. ./data)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: chainkg validate [--data DIR]")
		fset.PrintDefaults()
	}
	if err := parseInterleaved(fset, args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return fmt.Errorf("%w: validate takes no arguments, got %q", errUsage, fset.Args())
	}
	var fsys fs.FS = data.FS
	if *dir != "" {
		if fi, err := os.Stat(*dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("%w: --data %s is not a directory", errUsage, *dir)
		}
		fsys = os.DirFS(*dir)
	}
	st, err := store.Open(ctx, "mem:", store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	defer st.Close()
	reps, err := loaders.LoadLibrary(ctx, st, fsys)
	if err == nil {
		// The industry crosswalks of the listed companies point into the
		// library: check them against it and against the 申万 tree.
		var maps []*loaders.Report
		maps, err = loaders.CheckListedCrosswalks(fsys, st.Index())
		for _, r := range maps {
			r.Source = graph.SourceID(r.File)
		}
		reps = append(reps, maps...)
	}
	problems := 0
	for _, r := range reps {
		fmt.Fprintf(stdout, "%s: %d read, %d loaded, %d rejected, %d warnings\n", r.Source, r.Rows, r.Loaded, len(r.Rejected), len(r.Warnings))
		for _, e := range r.Rejected {
			fmt.Fprintf(stdout, "  %v\n", e)
		}
		for _, e := range r.Warnings {
			fmt.Fprintf(stdout, "  warning: %v\n", e)
		}
		problems += len(r.Rejected) + len(r.Warnings)
	}
	if err != nil {
		return fmt.Errorf("validation stopped: %w", err)
	}
	if problems > 0 {
		return fmt.Errorf("validation failed: %d problems", problems)
	}
	x := st.Index()
	s := x.Stats()
	fmt.Fprintf(stdout, "ok: %d regions, %d industry codes, %d chains with %d nodes, %d crosswalk rows, %d parks\n",
		s.ByClass["Region"], s.ByClass["IndustryCode"], s.ByClass["Chain"], s.ByClass["ChainNode"], s.ByClass["Crosswalk"], s.ByClass["Park"])
	return nil
}
