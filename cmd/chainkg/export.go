package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"

	"github.com/chainkg/chainkg/graph"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("export", stderr, &cfg)
	source := fs.String("source", "", "export only this source (an id from 'chainkg sources')")
	out := fs.String("out", "-", "output file; - for standard output")
	if err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: export takes no arguments, got %q", errUsage, fs.Args())
	}
	var src graph.SourceID
	if *source != "" {
		var err error
		if src, err = graph.ParseSourceID(*source); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	}
	st, err := graph.Open(ctx, cfg.Store, graph.Options{Logger: cfg.logger(stderr)})
	if err != nil {
		return err
	}
	defer st.Close()

	w := stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := st.WriteNQuads(ctx, bw, src); err != nil {
		return err
	}
	return bw.Flush()
}
