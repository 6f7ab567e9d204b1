// Command synthreg writes a synthetic enterprise registry for benchmarks: a
// 企查查-style CSV or XLSX of N firms with valid credit codes, real regions
// and 经营范围 drawn from the chain library. The same seed gives the same
// file. Every row is marked synthetic; such files are never default data.
//
//	synthreg -n 1000000 -seed 1 -out firms.csv
//	synthreg -n 100000 -out firms.xlsx
//	synthreg -n 100000 -dist uniform -out firms.csv
//
// -dist realistic (the default) spreads firms as registries are spread:
// heavy-tailed city sizes, a few dense districts per city, each city
// specialised in a few chains, most chain nodes empty in most counties
// (loaders/synth/realistic.go has the figures it imitates). -dist uniform is
// the earlier generator, every county and node alike, kept for the figures
// taken with it. -stats prints the shape of what was written.
//
// The vocabulary (regions, chain nodes) comes from the store's read model:
// by default an in-memory store with the embedded default data loaded.
package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
	"github.com/chainkg/chainkg/loaders/synth"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "synthreg:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("synthreg", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100000, "number of firms")
	seed := fs.Uint64("seed", 1, "random seed: the same seed writes the same file")
	out := fs.String("out", "synthetic-registry.csv", "output file: .csv or .xlsx")
	storeURL := fs.String("store", "mem:", "store to take regions and chain vocabulary from; mem: loads the embedded default data")
	dist := fs.String("dist", "realistic", "how firms spread over regions and chain nodes: realistic or uniform")
	stats := fs.Bool("stats", false, "print the shape of the written registry: city sizes, empty chain nodes, specialisation")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 0 {
		return fmt.Errorf("-n must not be negative")
	}
	d, err := synth.ParseDistribution(*dist)
	if err != nil {
		return fmt.Errorf("-dist: %w", err)
	}
	st, err := store.Open(ctx, *storeURL, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	if len(st.Index().Sources()) == 0 {
		if _, err := loaders.LoadDefaults(ctx, st, data.FS); err != nil {
			return err
		}
	}
	v := synth.FromIndex(st.Index())
	if len(v.Topics) == 0 {
		fmt.Fprintln(stderr, "synthreg: the store has no chain library: 经营范围 holds noise words only")
	}
	g, err := synth.NewDist(v, *seed, d)
	if err != nil {
		return err
	}
	switch ext := strings.ToLower(filepath.Ext(*out)); ext {
	case ".csv":
		err = writeCSV(*out, g, *n)
	case ".xlsx":
		err = writeXLSX(*out, g, *n)
	default:
		return fmt.Errorf("-out %s: want a .csv or .xlsx file", *out)
	}
	if err == nil && *stats {
		fmt.Fprintf(stderr, "synthreg: %s (%s)\n", g.Summary(), d)
	}
	return err
}

func writeCSV(path string, g *synth.Generator, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	bw.WriteString("\ufeff") // Excel opens a UTF-8 CSV right only with a BOM
	w := csv.NewWriter(bw)
	w.Write(synth.Header)
	for i := 0; i < n; i++ {
		w.Write(g.Next())
	}
	w.Flush()
	if err := errors.Join(w.Error(), bw.Flush()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeXLSX streams rows into a workbook with inline strings, so memory
// stays flat in the number of rows.
func writeXLSX(path string, g *synth.Generator, n int) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := make([]any, len(synth.Header))
	for i, h := range synth.Header {
		row[i] = h
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		for j, v := range g.Next() {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}
