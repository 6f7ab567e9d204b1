package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// exportFlags are the flags of chainkg export.
type exportFlags struct {
	source, out, format, region, chain, firm, color string
	targets, neighbours                             int
	cfg                                             []string
}

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	var ef exportFlags
	fs := newFlagSet("export", stderr, &cfg)
	fs.StringVar(&ef.source, "source", "", "N-Quads of this source only (an id from 'chainkg sources')")
	fs.StringVar(&ef.out, "out", "-", "output file; - for standard output")
	fs.StringVar(&ef.format, "format", "", "format: "+strings.Join(export.FormatNames(), ", ")+", or svg (the chain-map picture); default nquads of the whole store")
	fs.StringVar(&ef.region, "region", "", "a region code or name (370600, 烟台市): with --chain, export the region × chain")
	fs.StringVar(&ef.chain, "chain", "", "a chain id or name (nev, 新能源汽车): alone, the chain template; with --region, the region × chain")
	fs.StringVar(&ef.firm, "firm", "", "a firm's credit code or id: export its neighbourhood")
	fs.StringVar(&ef.color, "color", "", "colour nodes by level or segment")
	fs.IntVar(&ef.targets, "targets", export.DefaultTargets, "targets in a region × chain export (at most 500)")
	fs.IntVar(&ef.neighbours, "neighbours", export.DefaultNeighbours, "local firms per node in a firm's neighbourhood")
	fs.Func("cfg", "override an analytics setting, NAME=VALUE (repeatable): --cfg level_strong=55", func(s string) error {
		ef.cfg = append(ef.cfg, s)
		return nil
	})
	if err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: export takes no arguments, got %q", errUsage, fs.Args())
	}
	if err := ef.check(); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	st, err := store.Open(ctx, cfg.Store, store.Options{Logger: cfg.logger(stderr)})
	if err != nil {
		return err
	}
	defer st.Close()

	w := stdout
	if ef.out != "-" {
		f, err := os.Create(ef.out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := ef.write(ctx, bw, st); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && ef.out != "-" {
		return f.Close()
	}
	return nil
}

// check rejects flag combinations that mean nothing.
func (ef *exportFlags) check() error {
	scoped := ef.region != "" || ef.chain != "" || ef.firm != ""
	switch {
	case ef.source != "" && (scoped || ef.format != "" && ef.format != "nquads"):
		return fmt.Errorf("--source exports one source's N-Quads; it takes no --format, --region, --chain or --firm")
	case ef.region != "" && ef.chain == "":
		return fmt.Errorf("--region needs --chain")
	case ef.firm != "" && (ef.region != "" || ef.chain != ""):
		return fmt.Errorf("--firm takes no --region or --chain")
	case ef.format == "svg" && (ef.region == "" || ef.chain == ""):
		return fmt.Errorf("--format svg draws a region × chain: give --region and --chain")
	case ef.targets < 1 || ef.targets > 500:
		return fmt.Errorf("--targets %d: want 1 to 500", ef.targets)
	case ef.neighbours < 0 || ef.neighbours > 50:
		return fmt.Errorf("--neighbours %d: want 0 to 50", ef.neighbours)
	}
	if ef.format != "" && ef.format != "svg" {
		if _, err := export.Lookup(ef.format); err != nil {
			return err
		}
	}
	_, err := export.ParseColorBy(ef.color)
	return err
}

func (ef *exportFlags) write(ctx context.Context, w io.Writer, st *store.Store) error {
	// The N-Quads of the store or of one source, as before scopes existed.
	if !(ef.region != "" || ef.chain != "" || ef.firm != "") && (ef.format == "" || ef.format == "nquads") {
		var src graph.SourceID
		if ef.source != "" {
			var err error
			if src, err = graph.ParseSourceID(ef.source); err != nil {
				return fmt.Errorf("%w: %w", errUsage, err)
			}
		}
		return st.WriteNQuads(ctx, w, src)
	}
	x := st.Index()
	opt := export.Options{Config: graph.DefaultConfig(), ColorBy: export.ColorBy(ef.color), Neighbours: ef.neighbours}
	for _, kv := range ef.cfg {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return fmt.Errorf("%w: --cfg %q: want NAME=VALUE", errUsage, kv)
		}
		if err := opt.Config.Set(name, value); err != nil {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
	}
	opt.Targets.Size = ef.targets
	var chain graph.ChainID
	if ef.chain != "" {
		var err error
		if chain, err = x.ResolveChain(ef.chain); err != nil {
			return err
		}
	}
	var region graph.RegionCode
	if ef.region != "" {
		var err error
		if region, err = resolveRegion(x, ef.region); err != nil {
			return err
		}
	}
	if ef.format == "svg" {
		m, err := x.ChainMap(ctx, region, chain, opt.Config)
		if err != nil {
			return err
		}
		anchors, err := x.Anchors(ctx, region, chain, opt.Config, false)
		if err != nil {
			return err
		}
		return export.WriteChainMapSVG(w, m, anchors)
	}
	var sc *export.Scope
	var err error
	switch {
	case region != "":
		sc, err = export.ChainMapScope(ctx, x, region, chain, opt)
	case chain != "":
		sc, err = export.ChainScope(ctx, x, chain, opt)
	case ef.firm != "":
		id, perr := graph.ParseFirmID(ef.firm)
		if perr != nil {
			return fmt.Errorf("%w: %w", errUsage, perr)
		}
		sc, err = export.FirmScope(ctx, x, id, opt)
	default:
		sc, err = export.GraphScope(ctx, x, opt)
	}
	if err != nil {
		return err
	}
	f, err := export.Lookup(ef.format)
	if err != nil {
		return err
	}
	return f.Write(ctx, w, sc, st)
}

// resolveRegion reads a region code, or a name that denotes exactly one region.
func resolveRegion(x *readmodel.Index, s string) (graph.RegionCode, error) {
	if c, err := graph.ParseRegionCode(s); err == nil {
		return c, nil
	}
	codes := x.RegionsNamed(strings.TrimSpace(s))
	switch len(codes) {
	case 0:
		return "", fmt.Errorf("%w: region %q", graph.ErrNotFound, s)
	case 1:
		return codes[0], nil
	}
	return "", fmt.Errorf("%w: region %q names %d regions (%v): give the code", graph.ErrInvalid, s, len(codes), codes)
}
