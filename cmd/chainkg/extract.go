package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
	"github.com/chainkg/chainkg/loaders/plandoc"
)

// runExtract reads plan documents and prints their facts, one JSON object
// per document, without writing anything. Regions are resolved against the
// store given by --store, or else against the embedded region table.
func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("extract", stderr, &cfg)
	format := fs.String("format", "jsonl", "output: jsonl (one JSON object per line) or json (an indented array)")
	region := fs.String("region", "", "the region code (GB/T 2260) of the plans, when their text does not say")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: chainkg extract FILE... [--format jsonl|json] [--region CODE] [--store URL]\n"+
			"reads .txt, .md, .html, .docx and .pdf plan documents and prints their facts with evidence\n")
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: extract needs at least one file", errUsage)
	}
	if *format != "jsonl" && *format != "json" {
		return fmt.Errorf("%w: --format %q: want jsonl or json", errUsage, *format)
	}
	var code graph.RegionCode
	if *region != "" {
		c, err := graph.ParseRegionCode(*region)
		if err != nil {
			return fmt.Errorf("%w: --region: %v", errUsage, err)
		}
		code = c
	}
	storeGiven := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "store" {
			storeGiven = true
		}
	})
	regions, closeRegions, err := extractRegions(ctx, cfg, storeGiven, stderr)
	if err != nil {
		return err
	}
	defer closeRegions()

	var docs []plandoc.JSON
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, path := range fs.Args() {
		doc, err := extractFile(path, plandoc.Options{Region: code, Regions: regions})
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
			continue
		}
		out := doc.JSON()
		if *format == "json" {
			docs = append(docs, out)
			continue
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc.SetIndent("", "  ")
		if err := enc.Encode(docs); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not extracted", failed, fs.NArg())
	}
	return nil
}

func extractFile(path string, opt plandoc.Options) (*plandoc.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := plandoc.Read(f, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	return plandoc.Extract(t, opt)
}

// extractRegions returns the region table extraction resolves names
// against: the store's read model when --store was given, else the
// embedded regions loaded into a throwaway in-memory store.
func extractRegions(ctx context.Context, cfg Config, storeGiven bool, stderr io.Writer) (plandoc.Regions, func(), error) {
	url := "mem:"
	if storeGiven {
		url = cfg.Store
	}
	st, err := store.Open(ctx, url, store.Options{Logger: cfg.logger(io.Discard)})
	if err != nil {
		return nil, nil, err
	}
	if !storeGiven {
		if err := loaders.LoadRegionTable(ctx, st, data.FS); err != nil {
			st.Close()
			return nil, nil, err
		}
	} else if len(st.Index().RegionsNamed("北京市")) == 0 {
		fmt.Fprintln(stderr, "warning: the store holds no regions; regions are not resolved")
	}
	return st.Index(), func() { st.Close() }, nil
}
