// Command chainkg runs the chain knowledge graph: the HTTP service, loads,
// source management and exports.
//
//	chainkg serve   [--addr :8080] [--store URL]
//	chainkg load    KIND FILE... [--store URL] [--strict] [--region CODE] [--mapping FILE] [--dry-run] [--with-defaults]
//	chainkg sources [list | delete ID...] [--store URL]
//	chainkg export  [--source ID] [--out FILE] [--store URL]
//	chainkg export  --format F [--region R --chain C | --chain C | --firm ID] [--out FILE]
//	chainkg validate [--data DIR]
//	chainkg extract FILE... [--format jsonl|json] [--region CODE] [--store URL]
//
// The store URL comes from --store, else CHAINKG_STORE, else bbolt:./chainkg.db.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "chainkg:", err)
		}
		os.Exit(exitCode(err))
	}
}

// errUsage marks an error in the command line.
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp) {
		return 2
	}
	return 1
}

const usage = `chainkg: the industrial-chain knowledge graph

commands:
  serve     run the HTTP service (loads the embedded default data into an empty store)
  load      load files of one kind as sources: chainkg load KIND FILE...
  sources   list the loaded sources, or delete some: chainkg sources delete ID...
  export    write the store, or one source, as N-Quads with provenance labels; with --format,
            a region × chain (--region --chain), a chain (--chain), a firm's neighbourhood
            (--firm) or the whole graph as gexf, graphml, cyjs, echarts, g6, dot, gephi-csv,
            neo4j-csv, xlsx, nquads, jsonld, json, or the chain-map picture (svg)
  validate  check the default data (chain library, crosswalk, parks) against the reference tables
  extract   read plan documents and print their facts as JSON lines: chainkg extract FILE...

run 'chainkg COMMAND -h' for a command's flags.
`

// run is the whole program, minus process setup, so tests can call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: no command", errUsage)
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "load":
		return runLoad(ctx, rest, stdout, stderr)
	case "sources":
		return runSources(ctx, rest, stdout, stderr)
	case "export":
		return runExport(ctx, rest, stdout, stderr)
	case "validate":
		return runValidate(ctx, rest, stdout, stderr)
	case "extract":
		return runExtract(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
}
