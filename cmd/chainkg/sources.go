package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

func runSources(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("sources", stderr, &cfg)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: chainkg sources [list | delete ID...] [flags]")
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return err
	}
	verb := "list"
	if fs.NArg() > 0 {
		verb = fs.Arg(0)
	}
	var ids []graph.SourceID
	for _, a := range fs.Args()[min(1, fs.NArg()):] {
		id, err := graph.ParseSourceID(a)
		if err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		ids = append(ids, id)
	}
	switch {
	case verb == "list" && len(ids) == 0:
	case verb == "delete" && len(ids) > 0:
	default:
		fs.Usage()
		return fmt.Errorf("%w: want 'sources list' or 'sources delete ID...'", errUsage)
	}

	st, err := store.Open(ctx, cfg.Store, store.Options{Logger: cfg.logger(stderr)})
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "delete" {
		for _, id := range ids {
			if err := st.Delete(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "deleted %s\n", id)
		}
		return nil
	}
	srcs, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKIND\tFACTS\tLOADED AT\tHASH\tTITLE")
	for _, s := range srcs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%.19s\t%s\n", s.ID, s.Kind, s.Facts, s.LoadedAt.Local().Format(time.DateTime), s.Hash, s.Title)
	}
	return tw.Flush()
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
