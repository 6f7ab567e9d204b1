package loaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// A chain file describes one chain of the library in the record format
// (records.go):
//
//	[chain nev] 新能源汽车
//	aliases:  新能源汽车产业链, 电动汽车
//	type:     updown                       # updown, serial or layered
//	segments: up 上游, mid 中游, down 下游   # segment id, then its name
//	note:     where the structure comes from
//
//	[node materials] 关键材料              # a top-level node
//	segment:  up
//
//	[node materials/cathode] 正极材料      # a child: its path names its parent
//	codes:    2613 无机盐制造, 3985         # GB/T 4754 小类, the name optional but checked
//	keywords: 正极材料, 磷酸铁锂            # what classifies a firm's 经营范围 into the node
//	excludes: 正极材料检测                  # words that veto a keyword match (wrong senses)
//	products: 磷酸铁锂正极材料, 三元前驱体
//	supplies: cells, other-chain/node      # supply edges: this node supplies those
//	weight:   1.5                          # importance for completeness; default 1
//
// Node ids are "chain/slug"; a slug is unique within its chain. A node's
// segment defaults to its parent's. Leaves must have codes, keywords and
// products.

// maxDepth and minDepth bound a chain's node tree.
const (
	minDepth = 2
	maxDepth = 4
)

// chainDoc is one chain file as read, with the lines its values came from.
type chainDoc struct {
	file   string
	line   int
	chain  graph.Chain
	nodes  []*nodeDoc // file order, which is tree order: parents come first
	bySlug map[string]*nodeDoc
	names  map[string]int // chain name and aliases → line
	errs   []*ParseError
}

type nodeDoc struct {
	graph.ChainNode
	line     int
	slug     string
	depth    int
	children int
	parent   *nodeDoc
	codes    []codeRef
	supplies []supplyRef
	kwLine   int
	prodLine int
}

type codeRef struct {
	code graph.IndustryCode
	name string
	line int
}

type supplyRef struct {
	target string // slug, or chain/slug
	line   int
}

func (d *chainDoc) fail(line int, col string, err error) {
	d.errs = append(d.errs, &ParseError{File: d.file, Line: line, Column: col, Err: err})
}

// parseChain reads one chain file and checks what can be checked within it:
// the tree, segments, leaf completeness, keyword sets, and supply edges
// within the chain (targets exist, no cycle).
func parseChain(r io.Reader, file string) (*chainDoc, error) {
	d := &chainDoc{file: file, bySlug: map[string]*nodeDoc{}, names: map[string]int{}}
	recs, errs, err := readRecords(r, file)
	d.errs = append(d.errs, errs...)
	if err != nil {
		return d, err
	}
	if len(recs) == 0 || !strings.HasPrefix(recs[0].Header, "chain") {
		line := 1
		if len(recs) > 0 {
			line = recs[0].Line
		}
		d.fail(line, "", errors.New("a chain file starts with a [chain ID] section"))
		return d, nil
	}
	d.readChain(&recs[0])
	for i := range recs[1:] {
		rec := &recs[i+1]
		kind, rest, _ := strings.Cut(rec.Header, " ")
		switch kind {
		case "node":
			d.readNode(rec, rest)
		case "chain":
			d.fail(rec.Line, "", errors.New("a second [chain] section: one chain per file"))
		default:
			d.fail(rec.Line, "", fmt.Errorf("unknown section [%s]: want [chain ID] or [node PATH]", rec.Header))
		}
	}
	d.checkTree()
	d.checkSupplies()
	return d, nil
}

const chainFields = "aliases, type, segments, description, note"

func (d *chainDoc) readChain(rec *record) {
	d.line = rec.Line
	fs := newFieldSet(d.file, rec, &d.errs)
	_, idText, _ := strings.Cut(rec.Header, " ")
	id, err := graph.ParseChainID(strings.TrimSpace(idText))
	if err != nil {
		d.fail(rec.Line, "id", err)
	}
	c := graph.Chain{ID: id, Name: rec.Title}
	if c.Name == "" {
		d.fail(rec.Line, "name", errors.New("the chain needs a name after the header: [chain ID] 名称"))
	} else {
		d.names[c.Name] = rec.Line
	}
	var line int
	c.Aliases, line = fs.list("aliases")
	for _, a := range c.Aliases {
		if at, dup := d.names[a]; dup {
			d.fail(line, "aliases", fmt.Errorf("%q is already a name of this chain (line %d)", a, at))
		}
		d.names[a] = line
	}
	t, line, ok := fs.get("type")
	switch c.Type = graph.ChainType(t); c.Type {
	case graph.ChainUpDown, graph.ChainSerial, graph.ChainLayered:
	default:
		if !ok {
			d.fail(line, "type", errors.New("missing: want updown, serial or layered"))
		} else {
			d.fail(line, "type", fmt.Errorf("%q: want updown, serial or layered", t))
		}
	}
	segs, line := fs.list("segments")
	if len(segs) == 0 {
		d.fail(line, "segments", errors.New("missing: list the segments in order, each as \"id 名称\" (up 上游, mid 中游 …)"))
	}
	seen := map[string]bool{}
	for _, s := range segs {
		sid, name, _ := strings.Cut(s, " ")
		name = strings.TrimSpace(name)
		if err := checkSlugText(sid); err != nil || name == "" {
			d.fail(line, "segments", fmt.Errorf("%q: want \"id 名称\" with a lower-case ASCII id", s))
			continue
		}
		if seen[sid] {
			d.fail(line, "segments", fmt.Errorf("segment %q given twice", sid))
			continue
		}
		seen[sid] = true
		c.Segments = append(c.Segments, graph.Segment{ID: sid, Name: name})
	}
	c.Description = fs.text("description")
	c.Note = fs.text("note")
	fs.unknown(chainFields)
	d.chain = c
}

const nodeFields = "aliases, segment, codes, keywords, excludes, products, supplies, weight, description"

// readNode reads one [node PATH] record into the chain's nodes.
func (d *chainDoc) readNode(rec *record, pathText string) {
	fs := newFieldSet(d.file, rec, &d.errs)
	n, ok := d.placeNode(rec.Line, pathText)
	if !ok {
		return
	}
	n.Name = rec.Title
	if n.Name == "" {
		d.fail(rec.Line, "name", errors.New("the node needs a name after the header: [node PATH] 名称"))
	}
	n.Aliases, _ = fs.list("aliases")
	d.nodeSegment(fs, rec.Line, n)
	d.nodeCodes(fs, n)
	d.nodeWords(fs, n)
	sup, line := fs.list("supplies")
	for _, s := range sup {
		if slices.ContainsFunc(n.supplies, func(r supplyRef) bool { return r.target == s }) {
			d.fail(line, "supplies", fmt.Errorf("%q given twice", s))
			continue
		}
		n.supplies = append(n.supplies, supplyRef{target: s, line: line})
	}
	if w, line, ok := fs.get("weight"); ok {
		v, err := strconv.ParseFloat(w, 64)
		if err != nil || v <= 0 || v > 10 {
			d.fail(line, "weight", fmt.Errorf("%q: want a number above 0 and at most 10", w))
		} else {
			n.Weight = v
		}
	}
	n.Description = fs.text("description")
	fs.unknown(nodeFields)
}

// placeNode reads a node's path, finds its parent (defined above it) and
// adds the node to the chain; false when the path is not one or names a
// node defined before.
func (d *chainDoc) placeNode(line int, pathText string) (*nodeDoc, bool) {
	n := &nodeDoc{line: line}
	parts := strings.Split(strings.TrimSpace(pathText), "/")
	for _, p := range parts {
		if err := checkSlugText(p); err != nil {
			d.fail(line, "path", fmt.Errorf("%q: each part of a node path is a slug of a–z, 0–9, '-' and '.': %v", pathText, err))
			return nil, false
		}
	}
	n.slug = parts[len(parts)-1]
	n.depth = len(parts)
	if len(parts) > 1 {
		parentSlug := parts[len(parts)-2]
		p, ok := d.bySlug[parentSlug]
		switch {
		case !ok:
			d.fail(line, "path", fmt.Errorf("parent %q is not defined above this node: define each node after its parent", parentSlug))
		case strings.Join(p.path(), "/") != strings.Join(parts[:len(parts)-1], "/"):
			d.fail(line, "path", fmt.Errorf("parent %q is at %q, not %q", parentSlug, strings.Join(p.path(), "/"), strings.Join(parts[:len(parts)-1], "/")))
		default:
			n.parent = p
			p.children++
		}
	}
	if prev, dup := d.bySlug[n.slug]; dup {
		d.fail(line, "path", fmt.Errorf("node %q is already defined on line %d: slugs are unique within a chain", n.slug, prev.line))
		return nil, false
	}
	if n.depth > maxDepth {
		d.fail(line, "path", fmt.Errorf("%d levels deep; a chain's tree has at most %d", n.depth, maxDepth))
	}
	d.bySlug[n.slug] = n
	d.nodes = append(d.nodes, n)
	return n, true
}

// nodeSegment reads the node's segment: its own, else its parent's, else
// the chain's only one; a top-level node of a chain of several names it.
func (d *chainDoc) nodeSegment(fs *fieldSet, recLine int, n *nodeDoc) {
	seg, line, ok := fs.get("segment")
	switch {
	case ok:
		n.Segment = seg
		if !slices.ContainsFunc(d.chain.Segments, func(s graph.Segment) bool { return s.ID == seg }) {
			d.fail(line, "segment", fmt.Errorf("%q is not a segment of chain %s", seg, d.chain.ID))
		}
	case n.parent != nil:
		n.Segment = n.parent.Segment
	case len(d.chain.Segments) == 1:
		n.Segment = d.chain.Segments[0].ID
	case n.depth > 1:
		// The parent is missing, which is reported; its segment is unknown.
	default:
		d.fail(recLine, "segment", errors.New("missing: a top-level node names its segment"))
	}
}

// nodeCodes reads the node's industry codes: 4-digit 小类, each once.
func (d *chainDoc) nodeCodes(fs *fieldSet, n *nodeDoc) {
	codeText, line, _ := fs.get("codes")
	for _, c := range splitCodes(codeText) {
		code, name, _ := strings.Cut(c, " ")
		ic, err := graph.ParseIndustryCode(code)
		if err == nil && ic.Level() != graph.CodeClass {
			err = fmt.Errorf("%q is a %s code: chain nodes take 4-digit 小类 codes", code, ic.Level())
		}
		if err != nil {
			d.fail(line, "codes", err)
			continue
		}
		if slices.ContainsFunc(n.codes, func(r codeRef) bool { return r.code == ic }) {
			d.fail(line, "codes", fmt.Errorf("code %s given twice", ic))
			continue
		}
		n.codes = append(n.codes, codeRef{code: ic, name: strings.TrimSpace(name), line: line})
		n.Codes = append(n.Codes, ic)
	}
}

// nodeWords reads the node's keywords, exclusions (never a keyword too)
// and products.
func (d *chainDoc) nodeWords(fs *fieldSet, n *nodeDoc) {
	var line int
	n.Keywords, n.kwLine = fs.list("keywords")
	n.Excludes, line = fs.list("excludes")
	d.checkWords(n.Keywords, n.kwLine, "keywords")
	d.checkWords(n.Excludes, line, "excludes")
	for _, x := range n.Excludes {
		if slices.Contains(n.Keywords, x) {
			d.fail(line, "excludes", fmt.Errorf("%q is both a keyword and an exclusion", x))
		}
	}
	n.Products, n.prodLine = fs.list("products")
}

func (n *nodeDoc) path() []string {
	if n.parent == nil {
		return []string{n.slug}
	}
	return append(n.parent.path(), n.slug)
}

// checkWords rejects keyword or exclusion lists with repeats or one-character
// words (a single character matches far too much of any 经营范围).
func (d *chainDoc) checkWords(ws []string, line int, col string) {
	seen := map[string]bool{}
	for _, w := range ws {
		if seen[w] {
			d.fail(line, col, fmt.Errorf("%q given twice", w))
		}
		seen[w] = true
		if utf8.RuneCountInString(w) < 2 {
			d.fail(line, col, fmt.Errorf("%q: a word needs at least two characters", w))
		}
	}
}

// checkTree checks what needs the whole tree: leaves are complete, and the
// tree has between minDepth and maxDepth levels.
func (d *chainDoc) checkTree() {
	if len(d.nodes) == 0 {
		d.fail(d.line, "", errors.New("the chain has no [node] sections"))
		return
	}
	depth := 0
	for i, n := range d.nodes {
		depth = max(depth, n.depth)
		order := 1
		for _, m := range d.nodes[:i] {
			if m.parent == n.parent {
				order++
			}
		}
		n.Order = order
		if n.children > 0 {
			continue
		}
		if len(n.codes) == 0 {
			d.fail(n.line, "codes", fmt.Errorf("leaf %q has no GB/T 4754 codes", n.slug))
		}
		if len(n.Keywords) == 0 {
			d.fail(n.line, "keywords", fmt.Errorf("leaf %q has no keywords", n.slug))
		}
		if len(n.Products) == 0 {
			d.fail(n.line, "products", fmt.Errorf("leaf %q has no key products", n.slug))
		}
	}
	if depth < minDepth {
		d.fail(d.line, "", fmt.Errorf("the node tree is %d level deep; a chain has %d to %d levels", depth, minDepth, maxDepth))
	}
}

// checkSupplies resolves supply edges within the chain and rejects unknown
// targets, edges to a node's own ancestors or descendants, and cycles.
// Edges into other chains are left to checkLibrary.
func (d *chainDoc) checkSupplies() {
	for _, n := range d.nodes {
		for _, s := range n.supplies {
			if strings.Contains(s.target, "/") {
				id, err := graph.ParseNodeID(s.target)
				if err != nil {
					d.fail(s.line, "supplies", err)
				} else if id.Chain() == d.chain.ID {
					d.fail(s.line, "supplies", fmt.Errorf("%q: name a node of this chain by its slug alone", s.target))
				}
				continue
			}
			t, ok := d.bySlug[s.target]
			switch {
			case !ok:
				d.fail(s.line, "supplies", fmt.Errorf("no node %q in chain %s", s.target, d.chain.ID))
				continue
			case t == n:
				d.fail(s.line, "supplies", fmt.Errorf("node %q supplies itself", n.slug))
				continue
			case t.isAncestorOf(n) || n.isAncestorOf(t):
				d.fail(s.line, "supplies", fmt.Errorf("%q and %q are in one branch of the tree; supply edges join different branches", n.slug, t.slug))
				continue
			}
		}
	}
	// Cycles: depth-first search over edges within the chain.
	const (
		white = iota
		grey
		black
	)
	color := map[*nodeDoc]int{}
	var stack []*nodeDoc
	var visit func(n *nodeDoc) bool
	visit = func(n *nodeDoc) bool {
		color[n] = grey
		stack = append(stack, n)
		for _, s := range n.supplies {
			t, ok := d.bySlug[s.target]
			if !ok || t == n {
				continue
			}
			switch color[t] {
			case grey:
				i := slices.Index(stack, t)
				var names []string
				for _, m := range stack[i:] {
					names = append(names, m.slug)
				}
				names = append(names, t.slug)
				d.fail(s.line, "supplies", fmt.Errorf("supply edges form a cycle: %s", strings.Join(names, " → ")))
				return true
			case white:
				if visit(t) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[n] = black
		return false
	}
	for _, n := range d.nodes {
		if color[n] == white && visit(n) {
			return // one cycle is enough to fix first
		}
	}
}

func (n *nodeDoc) isAncestorOf(m *nodeDoc) bool {
	for p := m.parent; p != nil; p = p.parent {
		if p == n {
			return true
		}
	}
	return false
}

// facts returns the chain and its nodes as graph values.
func (d *chainDoc) facts() []graph.Fact {
	out := []graph.Fact{d.chain}
	for _, n := range d.nodes {
		node := n.ChainNode
		node.ID = graph.NodeID(string(d.chain.ID) + "/" + n.slug)
		if n.parent != nil {
			node.Parent = graph.NodeID(string(d.chain.ID) + "/" + n.parent.slug)
		}
		for _, s := range n.supplies {
			if strings.Contains(s.target, "/") {
				node.SuppliesTo = append(node.SuppliesTo, graph.NodeID(s.target))
			} else {
				node.SuppliesTo = append(node.SuppliesTo, graph.NodeID(string(d.chain.ID)+"/"+s.target))
			}
		}
		out = append(out, node)
	}
	return out
}

// checkLibrary checks what spans files: chain ids and names are unique,
// supply edges into other chains land on existing nodes, and every code is
// a GB/T 4754 小类 under its stated name. codes may be nil (no table
// loaded): the codes are then left unchecked, and the caller says so.
// known answers for nodes outside docs (already loaded); it may be nil.
func checkLibrary(docs []*chainDoc, codes Codes, known Chains) {
	ids := map[graph.ChainID]*chainDoc{}
	names := map[string]*chainDoc{}
	nodes := map[graph.NodeID]bool{}
	for _, d := range docs {
		if d.chain.ID == "" {
			continue
		}
		if prev, dup := ids[d.chain.ID]; dup {
			d.fail(d.line, "id", fmt.Errorf("chain %s is also defined in %s", d.chain.ID, prev.file))
			continue
		}
		ids[d.chain.ID] = d
		for name, line := range d.names {
			if prev, dup := names[name]; dup {
				d.fail(line, "aliases", fmt.Errorf("%q also names chain %s (%s)", name, prev.chain.ID, prev.file))
				continue
			}
			names[name] = d
		}
		for _, n := range d.nodes {
			nodes[graph.NodeID(string(d.chain.ID)+"/"+n.slug)] = true
		}
	}
	for _, d := range docs {
		for _, n := range d.nodes {
			for _, s := range n.supplies {
				id, err := graph.ParseNodeID(s.target)
				if err != nil || id.Chain() == d.chain.ID {
					continue // a slug of this chain, or already reported
				}
				if !nodes[id] && (known == nil || !hasNode(known, id)) {
					d.fail(s.line, "supplies", fmt.Errorf("no node %s in the library", id))
				}
			}
			if codes == nil {
				continue
			}
			for _, c := range n.codes {
				name, ok := codeName(codes, c.code)
				switch {
				case !ok:
					d.fail(c.line, "codes", fmt.Errorf("%s is not a GB/T 4754-2017 小类", c.code))
				case c.name != "" && c.name != name:
					d.fail(c.line, "codes", fmt.Errorf("%s is %s, not %s", c.code, name, c.name))
				}
			}
		}
	}
}

// ReadChainFiles reads the chain files in.Paths of in.FS (a directory
// stands for its chain files), checks them one by one and together, and
// puts the chains that have no error. A chain file with any error is not
// loaded at all — half a chain would mislead a gap analysis — and each
// error is a rejection with its file and line.
//
// Codes are checked against in.Codes (when no table is loaded they are
// not, and a warning says so); supply edges into other chains against the
// nodes of in.Chains. A chain in.Chains has from a source other than
// in.Source is rejected: two sources defining one chain would merge into a
// tree neither of them wrote.
func ReadChainFiles(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	fsys := in.FS
	paths, err := chainPaths(fsys, in.Paths)
	if err != nil {
		return &Report{}, err
	}
	codes, known := in.Codes, in.Chains
	if !in.codesLoaded() {
		codes = nil
	}
	rep := &Report{File: strings.Join(paths, ", ")}
	if len(paths) == 1 {
		rep.File = paths[0]
	}
	var docs []*chainDoc
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		f, err := fsys.Open(p)
		if err != nil {
			return rep, err
		}
		d, err := parseChain(f, p)
		f.Close()
		if err != nil {
			return rep, err
		}
		docs = append(docs, d)
	}
	checkLibrary(docs, codes, known)
	if known != nil {
		for _, d := range docs {
			if c, ok := known.Chain(d.chain.ID); ok && c.Source != "" && c.Source != in.Source {
				src := c.Source
				d.fail(d.line, "id", fmt.Errorf("chain %s is defined by source %s: edit it there and reload that source, or delete it first", d.chain.ID, src))
			}
		}
	}
	if codes == nil {
		rep.Warn(0, "codes", errors.New("no GB/T 4754 table is loaded: node codes were not checked"))
	}
	for _, d := range docs {
		rep.Rows += len(d.nodes)
		if len(d.errs) > 0 {
			rep.Rejected = append(rep.Rejected, d.errs...)
			rep.Count("chains rejected", 1)
			continue
		}
		if err := sink.Put(d.facts()...); err != nil {
			return rep, err
		}
		rep.Loaded += len(d.nodes)
		rep.Count("chains", 1)
		for _, n := range d.nodes {
			rep.Count("supply edges", len(n.supplies))
			if n.children == 0 {
				rep.Count("leaf nodes", 1)
			}
		}
	}
	return rep, nil
}

// ChainFilesIn lists the chain files (*.chain) of a directory of fsys, in name order.
func ChainFilesIn(fsys fs.FS, dir string) ([]string, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ChainFileExt) {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// ChainFileExt is the extension of chain files.
const ChainFileExt = ".chain"

// chainPaths expands the directories among paths into their chain files.
func chainPaths(fsys fs.FS, paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := fs.Stat(fsys, p)
		if err != nil || !fi.IsDir() {
			out = append(out, p) // a file, or an error that opening it reports
			continue
		}
		files, err := ChainFilesIn(fsys, p)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// codeName is a GB/T 4754 code's name, and whether the table has it.
func codeName(codes Codes, c graph.IndustryCode) (string, bool) {
	ic, ok := codes.IndustryClass(c)
	return ic.Name, ok && ic.Name != ""
}

// hasNode tells whether a chain node is loaded.
func hasNode(chains Chains, id graph.NodeID) bool {
	_, ok := chains.Node(id)
	return ok
}

// checkSlugText checks a slug with graph's rule.
func checkSlugText(s string) error {
	_, err := graph.ParseChainID(s)
	return err
}
