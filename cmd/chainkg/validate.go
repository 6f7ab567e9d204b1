package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
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
	doc := fset.String("doc", "", "after a clean check, write the chain library as Markdown to this file (docs/chain-library.md)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: chainkg validate [--data DIR] [--doc FILE]")
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
		maps, err = loaders.CheckListedCrosswalks(ctx, loaders.Input{FS: fsys, Lookups: loaders.LookupsOf(st.Index())})
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
	if *doc == "" {
		return nil
	}
	text, err := chainLibraryDoc(x, fsys)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*doc, text, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s\n", *doc)
	return nil
}

// chainLibraryDocCommand is the command that writes docs/chain-library.md;
// the document names it so a reader knows how it was made.
const chainLibraryDocCommand = "go run ./cmd/chainkg validate --data data --doc docs/chain-library.md"

// chainLibraryDoc renders the chain library of a checked read model as
// Markdown: a table of the chains with the counts GET /api/v1/chains gives,
// then each chain's segments and node tree with codes and supply edges.
// fsys is the data directory the library came from; it names each chain's
// file. The output depends only on the library, so a test can hold the
// committed document to it.
func chainLibraryDoc(x *readmodel.Index, fsys fs.FS) ([]byte, error) {
	files, err := chainFiles(x, fsys)
	if err != nil {
		return nil, err
	}
	chains := x.Chains()
	type counts struct{ nodes, leaves, edges, cross int }
	per := make([]counts, len(chains))
	var all counts
	for i, ch := range chains {
		for _, n := range x.ChainNodes(ch.ID) {
			per[i].nodes++
			per[i].edges += len(n.SuppliesTo)
			for _, t := range n.SuppliesTo {
				if t.Chain() != ch.ID {
					per[i].cross++
				}
			}
			if x.IsLeaf(n.ID) {
				per[i].leaves++
			}
		}
		all.nodes += per[i].nodes
		all.leaves += per[i].leaves
		all.edges += per[i].edges
		all.cross += per[i].cross
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "# The chain library\n\n")
	fmt.Fprintf(&b, "<!-- Generated from the chain files by `%s`; do not edit by hand: edit the files in data/chains/ and run the command again. TestChainLibraryDocIsCurrent fails when this file differs from what the command writes. -->\n\n", chainLibraryDocCommand)
	fmt.Fprintf(&b, "%d chains, %d nodes (%d leaves), %d supply edges (%d of them into another chain); %d crosswalk rows map plan wording to chains, %d parks.\n",
		len(chains), all.nodes, all.leaves, all.edges, all.cross, len(x.Crosswalk()), len(x.Parks()))
	fmt.Fprintf(&b, "File paths are relative to the data directory (`data/` in this repository); the file format is in the README (\"Adding a chain\").\n\n")
	fmt.Fprintf(&b, "| id | chain | type: segments | nodes | leaves | supply edges | file |\n|---|---|---|---|---|---|---|\n")
	for i, ch := range chains {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %d | %d | %d | `%s` |\n", ch.ID, ch.ID, ch.Name, typeAndSegments(ch),
			per[i].nodes, per[i].leaves, per[i].edges, files[ch.ID])
	}
	for _, ch := range chains {
		writeChainSection(&b, x, ch, files[ch.ID])
	}
	return b.Bytes(), nil
}

// chainFiles maps each chain of the library to the file that defines it,
// reading the chain files again with the library's own reader.
func chainFiles(x *readmodel.Index, fsys fs.FS) (map[graph.ChainID]string, error) {
	paths, err := loaders.ChainFilesIn(fsys, "chains")
	if err != nil {
		return nil, err
	}
	out := map[graph.ChainID]string{}
	for _, p := range paths {
		var sink chainSink
		// The files are the library's own: read as its source, they are not
		// rejected as defined by another. Reading a few small files needs no
		// deadline of its own.
		in := loaders.Input{FS: fsys, Paths: []string{p}, Source: loaders.ChainLibrarySource, Lookups: loaders.LookupsOf(x)}
		if _, err := loaders.ReadChainFiles(context.Background(), in, &sink); err != nil {
			return nil, err
		}
		for _, id := range sink {
			out[id] = p
		}
	}
	for _, ch := range x.Chains() {
		if out[ch.ID] == "" {
			return nil, fmt.Errorf("chain %s: no file under chains/ defines it", ch.ID)
		}
	}
	return out, nil
}

// chainSink keeps the ids of the chains put into it and drops other facts.
type chainSink []graph.ChainID

func (s *chainSink) Put(facts ...graph.Fact) error {
	for _, f := range facts {
		if ch, ok := f.(graph.Chain); ok {
			*s = append(*s, ch.ID)
		}
	}
	return nil
}

func typeAndSegments(ch graph.Chain) string {
	names := make([]string, len(ch.Segments))
	for i, sg := range ch.Segments {
		names[i] = sg.Name
	}
	return string(ch.Type) + ": " + strings.Join(names, " / ")
}

// writeChainSection writes one chain: what it is, where its structure comes
// from, and its tree by segment, each node with its GB/T 4754 classes and
// the nodes it supplies.
func writeChainSection(b *bytes.Buffer, x *readmodel.Index, ch graph.Chain, file string) {
	fmt.Fprintf(b, "\n## %s\n\n", ch.ID)
	fmt.Fprintf(b, "**%s** (`%s`, %s)", ch.Name, file, typeAndSegments(ch))
	if len(ch.Aliases) > 0 {
		fmt.Fprintf(b, "; also %s", strings.Join(ch.Aliases, ", "))
	}
	b.WriteString(".\n")
	if ch.Description != "" {
		fmt.Fprintf(b, "\n%s\n", oneLine(ch.Description))
	}
	if ch.Note != "" {
		fmt.Fprintf(b, "\nBasis: %s\n", oneLine(ch.Note))
	}
	nodes := x.ChainNodes(ch.ID)
	children := map[graph.NodeID][]graph.ChainNode{}
	for _, n := range nodes {
		children[n.Parent] = append(children[n.Parent], n)
	}
	var write func(n graph.ChainNode, depth int)
	write = func(n graph.ChainNode, depth int) {
		fmt.Fprintf(b, "%s- %s `%s`", strings.Repeat("  ", depth), n.Name, n.ID)
		var parts []string
		if len(n.Codes) > 0 {
			codes := make([]string, len(n.Codes))
			for i, c := range n.Codes {
				codes[i] = string(c)
				if ic, ok := x.IndustryClass(c); ok && ic.Name != "" {
					codes[i] += " " + ic.Name
				}
			}
			parts = append(parts, strings.Join(codes, ", "))
		}
		if len(n.SuppliesTo) > 0 {
			to := make([]string, len(n.SuppliesTo))
			for i, t := range n.SuppliesTo {
				to[i] = string(t)
				if m, ok := x.Node(t); ok {
					to[i] = m.Name
					if t.Chain() != ch.ID {
						to[i] += " (" + string(t) + ")"
					}
				}
			}
			parts = append(parts, "supplies "+strings.Join(to, ", "))
		}
		if n.Weight != 0 && n.Weight != 1 {
			parts = append(parts, fmt.Sprintf("weight %g", n.Weight))
		}
		if len(parts) > 0 {
			b.WriteString(": " + strings.Join(parts, "; "))
		}
		b.WriteString("\n")
		for _, c := range children[n.ID] {
			write(c, depth+1)
		}
	}
	for _, sg := range ch.Segments {
		fmt.Fprintf(b, "\n### %s\n\n", sg.Name)
		for _, n := range children[""] {
			if n.Segment == sg.ID {
				write(n, 0)
			}
		}
	}
}

// oneLine joins the lines of a continued value into one paragraph: with a
// space between two ASCII letters or digits, with nothing where Chinese text
// was broken (a space inside Chinese text reads as a gap).
func oneLine(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(line)
			if prev < utf8.RuneSelf && next < utf8.RuneSelf {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	return b.String()
}
