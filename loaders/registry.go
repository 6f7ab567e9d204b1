package loaders

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/chainkg/chainkg/graph"
)

// registryOptions are what this package's own callers add to a registry
// load.
type registryOptions struct {
	// classifier puts firms into chain nodes; nil builds one from the chain
	// library of the lookups.
	classifier *Classifier
	// refine, when set, revises each firm's node links after classification
	// (the listed-company loader adds the links of a firm's 申万 industry);
	// count adds one to a tally of the report. It is called from several
	// goroutines at once.
	refine func(f *graph.Firm, count func(name string))
}

// maxWarningsPerKind bounds the warnings a report lists in full; the rest
// are counted ("warnings:unclassified" …), so a million-row file keeps a
// small report.
const maxWarningsPerKind = 50

// ReadRegistry reads an enterprise registry export — CSV, TSV, XLSX, XLS
// (BIFF8) or JSON Lines in UTF-8, UTF-16 or GB18030, with the headers of
// the common exports or a mapping — and puts one graph.Firm per row, with
// its region resolved and its chain nodes classified against x. The header
// is found among the first rows (title and notice rows above it are
// skipped and reported, note rows below the data too), and the report
// names the vendor layout recognised (docs/registry-formats.md); a table
// with no name column is refused, naming the columns it could not map.
// Rows without a name or with an invalid credit code are rejected with
// their line and column; values that do not parse are warnings, and the
// cell is kept as an attribute. Columns the loader does not know are kept
// as attributes.
//
// It reads in.R and in.File with in.Mapping and in.MaxRows; rows merging
// with firms of sources other than in.Source are counted as merged. It
// resolves regions against in.Regions, industries against in.Codes, firms
// against in.Firms, and classifies against in.Chains. It stops between
// batches of rows once ctx is done.
func ReadRegistry(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	return readRegistry(ctx, in, registryOptions{}, sink)
}

func readRegistry(ctx context.Context, in Input, opt registryOptions, sink graph.FactSink) (*Report, error) {
	r, file := in.R, in.File
	rep := &Report{File: file}
	mapping, err := fieldMapping(in.Mapping)
	if err != nil {
		return rep, err
	}
	l := newRegistryLoader(rep, file, in, opt, mapping)
	t, err := openTableWith(r, file, l.cols.score)
	if err != nil {
		return rep, withFile(err, file)
	}
	defer t.Close()
	rep.Count("format:"+t.Format(), 1)
	ht, _ := t.(*headedTable)
	if ht != nil {
		if err := l.start(ht); err != nil {
			return rep, err
		}
	}
	rb := newRegistryBatches(l, sink)
	rows := 0
	for {
		err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if rows++; in.MaxRows > 0 && rows > in.MaxRows {
			return rep, &ParseError{File: file, Line: t.Line(), Err: fmt.Errorf("%w: more than %d rows, the most one file may have here", ErrRejected, in.MaxRows)}
		}
		var re *rowError
		switch {
		case errors.As(err, &re):
			rb.batch = append(rb.batch, rowIn{line: re.line, err: re.err})
		case err != nil:
			return rep, withFile(err, file)
		case slices.ContainsFunc(t.Values(), hasNUL):
			// A NUL is never text: binary data in a table, or a file
			// made to test what a store does with one.
			rb.batch = append(rb.batch, rowIn{line: t.Line(), err: errors.New("binary data (a NUL byte) in a cell")})
		default:
			l.cols.resolve(t.Header())
			rb.batch = append(rb.batch, rowIn{line: t.Line(), cols: l.cols.cols, vals: slices.Clone(t.Values())})
		}
		if ht != nil {
			l.notes(ht)
		}
		if len(rb.batch) == registryBatch {
			if err := rb.flush(ctx); err != nil {
				return rep, err
			}
		}
	}
	if err := rb.flush(ctx); err != nil {
		return rep, err
	}
	if ht != nil {
		l.notes(ht)
		if ht.dropped > 0 {
			rep.Count("warnings:table-notes-not-listed", ht.dropped)
		}
	}
	l.finish()
	return rep, nil
}

// registryBatches runs the rows of a registry a batch at a time: rows are
// parsed, placed and classified in parallel, and their results applied —
// merges counted, facts put, report written — in file order, so the output
// does not depend on scheduling.
type registryBatches struct {
	l     *registryLoader
	sink  graph.FactSink
	ws    []*worker
	batch []rowIn
	outs  []rowOut
}

func newRegistryBatches(l *registryLoader, sink graph.FactSink) *registryBatches {
	workers := max(1, min(runtime.GOMAXPROCS(0), 8))
	rb := &registryBatches{l: l, sink: sink, ws: make([]*worker, workers), outs: make([]rowOut, registryBatch)}
	for i := range rb.ws {
		rb.ws[i] = &worker{l: l, industry: map[string]graph.IndustryCode{}}
	}
	return rb
}

// flush runs and applies the batch, and empties it; it stops before a
// batch once ctx is done.
func (rb *registryBatches) flush(ctx context.Context) error {
	batch, outs, workers := rb.batch, rb.outs, len(rb.ws)
	if len(batch) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if workers == 1 || len(batch) < 2*workers {
		for i := range batch {
			rb.ws[0].run(&batch[i], &outs[i])
		}
	} else {
		var wg sync.WaitGroup
		per := (len(batch) + workers - 1) / workers
		for k := 0; k < workers; k++ {
			lo, hi := k*per, min((k+1)*per, len(batch))
			w := rb.ws[k]
			wg.Go(func() {
				for i := lo; i < hi; i++ {
					w.run(&batch[i], &outs[i])
				}
			})
		}
		wg.Wait()
	}
	for i := range batch {
		if err := rb.l.apply(&outs[i], rb.sink); err != nil {
			return err
		}
	}
	rb.batch = batch[:0]
	return nil
}

// start reads a table's header: it names the layout recognised, reports
// the rows skipped above the header and the columns that map to nothing,
// and refuses a table none of whose columns holds the firm's name.
func (l *registryLoader) start(t *headedTable) error {
	var above []string
	for _, n := range t.notes {
		if n.kind == "skipped" {
			above = append(above, n.err.Error())
		}
	}
	l.notes(t)
	l.cols.resolve(t.Header())
	layout := recogniseLayout(t.Header(), l.file, t.sheetName(), above)
	l.rep.Count("layout:"+layout, 1)
	unmapped := l.cols.unmapped()
	if !l.cols.has(fName) && !l.cols.has(fShortName) {
		list := "none"
		if len(unmapped) > 0 {
			list = strings.Join(unmapped, ", ")
		}
		return &ParseError{File: l.file, Line: t.headerLine, Err: fmt.Errorf(
			"%w: no column holds the firm name (企业名称, 公司名称 …); the header found has columns the loader could not map: %s; "+
				"name them with a mapping (--mapping FILE, one \"header,field\" line each, e.g. \"Company,name\")", ErrRejected, list)}
	}
	if len(unmapped) > 0 {
		l.rep.Warn(t.headerLine, "", fmt.Errorf("columns kept as attributes, not read as fields: %s (a mapping, --mapping, can name their fields)", strings.Join(unmapped, ", ")))
	}
	return nil
}

// notes reports what the table did to the rows since the last call.
func (l *registryLoader) notes(t *headedTable) {
	for _, n := range t.drainNotes() {
		l.warn(n.kind, n.line, n.col, n.err)
	}
}

func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// registryBatch is how many rows are parsed in parallel before their
// results are applied in order.
const registryBatch = 1024

// rowIn is a row to parse: its cells and the columns they fall in, or the
// error the table met reading it.
type rowIn struct {
	line int
	cols []column
	vals []string
	err  error
}

// rowOut is what parsing a row gave: the firm, or its rejections, and the
// warnings and tallies to report.
type rowOut struct {
	line    int
	firm    graph.Firm
	ok      bool
	rejects []*ParseError
	warns   []rowWarning
	counts  []string
}

type rowWarning struct {
	kind string
	pe   ParseError
}

// worker parses rows; each has its own cache, so workers share nothing
// mutable.
type worker struct {
	l        *registryLoader
	industry map[string]graph.IndustryCode // resolved industry cells
	out      *rowOut
}

func (w *worker) run(in *rowIn, out *rowOut) {
	*out = rowOut{line: in.line, rejects: out.rejects[:0], warns: out.warns[:0], counts: out.counts[:0]}
	w.out = out
	if in.err != nil {
		w.reject(in.line, "", in.err)
		return
	}
	out.firm, out.ok = w.firm(in.line, in.cols, in.vals)
}

func (w *worker) reject(line int, col string, err error) {
	w.out.rejects = append(w.out.rejects, &ParseError{File: w.l.file, Line: line, Column: col, Err: err})
}

func (w *worker) warn(kind string, line int, col string, err error) {
	w.out.warns = append(w.out.warns, rowWarning{kind: kind, pe: ParseError{File: w.l.file, Line: line, Column: col, Err: err}})
}

func (w *worker) count(name string) { w.out.counts = append(w.out.counts, name) }

// apply reports a parsed row and puts its firm, counting it as merged when
// an earlier row of the file or another source has the same firm.
func (l *registryLoader) apply(out *rowOut, sink graph.FactSink) error {
	l.rep.Rows++
	l.rep.Rejected = append(l.rep.Rejected, out.rejects...)
	for _, c := range out.counts {
		l.rep.Count(c, 1)
	}
	for _, w := range out.warns {
		l.warn(w.kind, w.pe.Line, w.pe.Column, w.pe.Err)
	}
	if !out.ok {
		return nil
	}
	f := &out.firm
	h := fnv.New64a()
	h.Write([]byte(f.ID))
	sum := h.Sum64()
	if first, dup := l.seen[sum]; dup {
		l.rep.Merged++
		l.rep.Count("merged:same-file", 1)
		if d := first.differs(f); d != "" {
			l.warn("duplicate-conflict", out.line, "", fmt.Errorf("the same firm as line %d (%s) with another %s: both rows are merged into one firm; check which is right", first.line, f.ID, d))
		}
	} else {
		l.seen[sum] = newSeenFirm(out.line, f)
		for _, s := range l.lk.Firms.FirmSources(f.ID) {
			if s != l.source {
				l.rep.Merged++
				l.rep.Count("merged:other-source", 1)
				break
			}
		}
	}
	if err := sink.Put(*f); err != nil {
		return err
	}
	l.rep.Loaded++
	return nil
}

// seenFirm is what a file's first row of a firm said, to tell a later row
// of the same firm that says otherwise; 24 bytes, so a million-row file
// keeps it in 24 MB plus the map's own.
type seenFirm struct {
	line    int32
	cur     [3]byte // ISO 4217; zero for yuan
	capital float64
	name    uint64 // a hash of the name
}

func newSeenFirm(line int, f *graph.Firm) seenFirm {
	s := seenFirm{line: int32(min(line, math.MaxInt32)), capital: f.Capital, name: hashString(f.Name)}
	copy(s.cur[:], f.Currency)
	return s
}

// differs names what a later row of the same firm contradicts, where both
// rows give it: the capital (amount or currency) or the name.
func (s seenFirm) differs(f *graph.Firm) string {
	var d []string
	var cur [3]byte
	copy(cur[:], f.Currency)
	if s.capital != 0 && f.Capital != 0 && (s.capital != f.Capital || s.cur != cur) {
		d = append(d, fmt.Sprintf("注册资本 (%g 万%s there, %g 万%s here)", s.capital, strings.TrimRight(string(s.cur[:]), "\x00"), f.Capital, f.Currency))
	}
	if s.name != hashString(f.Name) {
		d = append(d, "name")
	}
	return strings.Join(d, "; ")
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// withFile puts the file name on a ParseError that lacks it, and makes any
// other error (an empty file, an old .xls) a ParseError of the file, so
// every error a table loader returns names its file.
func withFile(err error, file string) error {
	var pe *ParseError
	if !errors.As(err, &pe) {
		return &ParseError{File: file, Err: err}
	}
	if pe.File == "" {
		pe.File = file
	}
	return err
}

// registryLoader turns rows into firms.
type registryLoader struct {
	rep     *Report
	file    string
	lk      Lookups
	source  graph.SourceID
	opt     registryOptions
	cols    *columnMap
	cls     *Classifier
	regions *regionResolver
	seen    map[uint64]seenFirm
	warned  map[string]int
	keySlug string
}

func newRegistryLoader(rep *Report, file string, in Input, opt registryOptions, mapping map[string]field) *registryLoader {
	cls := opt.classifier
	if cls == nil {
		cls = classifierFor(in.Chains)
	}
	return &registryLoader{rep: rep, file: file, lk: in.Lookups, source: in.Source, opt: opt, cols: newColumnMap(mapping), cls: cls,
		regions: &regionResolver{regions: in.Regions}, seen: map[uint64]seenFirm{}, warned: map[string]int{},
		keySlug: graph.Slugify(strings.TrimSuffix(file, extOf(file)))}
}

// classifierFor builds a classifier over every node of a chain library.
func classifierFor(chains Chains) *Classifier {
	var nodes []graph.ChainNode
	for _, c := range chains.Chains() {
		nodes = append(nodes, chains.ChainNodes(c.ID)...)
	}
	return NewClassifier(nodes)
}

func extOf(file string) string {
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		return file[i:]
	}
	return ""
}

// warn records a warning of a kind, listing only the first few of each.
func (l *registryLoader) warn(kind string, line int, col string, err error) {
	l.rep.Count("warnings:"+kind, 1)
	if l.warned[kind] < maxWarningsPerKind {
		l.rep.Warn(line, col, err)
	}
	l.warned[kind]++
}

func (l *registryLoader) finish() {
	if l.cls.Nodes() == 0 && l.rep.Loaded > 0 {
		l.rep.Warn(0, "", errors.New("no chain library is loaded: firms were not classified into chain nodes"))
	}
}

// firm builds the firm of one row; false when the row is rejected. Each
// cell is read by its column's rule (registry_fields.go); then the firm is
// identified, placed and classified.
func (w *worker) firm(line int, cols []column, vals []string) (graph.Firm, bool) {
	var r rowState
	for i := range cols {
		if i >= len(vals) {
			break
		}
		v := strings.TrimSpace(vals[i])
		switch {
		case v == "" || isBlank(v):
			continue
		case isMasked(v):
			w.count("masked:" + cols[i].header)
			continue
		}
		w.read(line, &r, &cols[i], v)
	}
	for i := len(cols); i < len(vals); i++ {
		if v := strings.TrimSpace(vals[i]); v != "" {
			r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: "列" + strconv.Itoa(i+1), Value: v})
		}
	}
	if !w.name(line, &r) || !w.identify(line, &r) {
		return r.f, false
	}
	w.place(line, &r)
	w.classify(line, &r)
	return r.f, true
}

// name settles the firm's name; false rejects the row: no name, or a
// batch-query row the vendor matched no firm to.
func (w *worker) name(line int, r *rowState) bool {
	f := &r.f
	if r.unmatched != "" && f.Name == "" {
		q := r.query
		if q == "" {
			q = "?"
		}
		w.reject(line, r.name, fmt.Errorf("the export matched no firm to the name looked up (%s: %q)", r.unmatched, q))
		return false
	}
	if f.Name == "" {
		f.Name = f.ShortName
	}
	if f.Name == "" {
		col := r.name
		if col == "" {
			col = "企业名称"
		}
		w.reject(line, col, errors.New("no firm name"))
		return false
	}
	if f.ShortName == f.Name {
		f.ShortName = ""
	}
	if len(f.Stocks) > 0 && !contains(f.Tags, "上市") {
		f.Tags = append(f.Tags, "上市")
	}
	return true
}

// identify gives the firm its id: the credit code, else a stable key of
// the registry (stock code, 注册号, the row key), else file and line.
func (w *worker) identify(line int, r *rowState) bool {
	l, f := w.l, &r.f
	var err error
	switch {
	case r.credit != "":
		cc, perr := graph.ParseCreditCode(r.credit)
		if perr != nil {
			w.reject(line, r.creditCol, perr)
			return false
		}
		f.ID = graph.FirmIDFromCode(cc)
		r.ev.credit, r.ev.creditOK = cc, true
	case r.stock != "":
		f.ID, err = graph.SurrogateFirmID(r.stock)
	case r.regNo != "":
		f.ID, err = graph.SurrogateFirmID("regno-" + graph.Slugify(r.regNo))
	case r.key != "":
		f.ID, err = graph.SurrogateFirmID(l.keySlug + "-" + graph.Slugify(r.key))
	default:
		f.ID, err = graph.SurrogateFirmID(l.keySlug + "-line-" + strconv.Itoa(line))
		w.warn("no-key", line, "", errors.New("no credit code, stock code, registration number or key: the firm is identified by file and line"))
	}
	if err != nil {
		w.reject(line, "", err)
		return false
	}
	return true
}

// place resolves the firm's region.
func (w *worker) place(line int, r *rowState) {
	f := &r.f
	r.ev.address, r.ev.name, r.ev.short = f.Address, f.Name, f.ShortName
	res := w.l.regions.resolve(r.ev)
	f.Region, f.RegionMethod = res.code, res.method
	switch {
	case f.Region == "":
		w.count("region:none")
		w.warn("region", line, "", errors.New("region unknown: no region column, address, name or credit code resolved"))
	default:
		w.count("region:" + string(f.Region.Level()))
		w.count("region-method:" + f.RegionMethod)
	}
	if res.conflict != "" {
		w.warn("region-conflict", line, "", fmt.Errorf("%s contradicts the region %s kept", res.conflict, f.Region))
	}
}

// classify links the firm to chain nodes.
func (w *worker) classify(line int, r *rowState) {
	l, f := w.l, &r.f
	r.text.Industry, r.text.Scope, r.text.Name = f.Industry, f.Scope, f.Name
	links, unknown := l.cls.Classify(r.text)
	for _, u := range unknown {
		w.warn("node", line, "", fmt.Errorf("chain node %q is not in the chain library", u))
	}
	f.Nodes = links
	if l.opt.refine != nil {
		l.opt.refine(f, w.count)
	}
	if l.cls.Nodes() > 0 {
		if len(f.Nodes) == 0 {
			w.count("unclassified")
			w.warn("unclassified", line, "", fmt.Errorf("%s: no chain node matched its industry, scope, products or name", f.Name))
		} else {
			w.count("classified")
		}
	}
}

// industryOf reads an industry cell: a code ("C3841", "3841"), a name
// ("锂离子电池制造"), "C3841 锂离子电池制造", or a path
// ("制造业>电气机械和器材制造业>电池制造").
func (w *worker) industryOf(v string) (graph.IndustryCode, bool) {
	if c, ok := w.industry[v]; ok {
		return c, c != ""
	}
	code := graph.IndustryCode("")
	try := func(s string) bool {
		s = strings.TrimSpace(s)
		if s == "" {
			return false
		}
		if c, err := graph.ParseIndustryCode(s); err == nil {
			code = c
			return true
		}
		if c, ok := w.l.lk.Codes.IndustryNamed(s); ok {
			code = c
			return true
		}
		// "零售业（F5179）": 启信宝 ends a path with the class's code
		if in, ok := trailingBracket(s); ok {
			if c, err := graph.ParseIndustryCode(in); err == nil {
				code = c
				return true
			}
		}
		// "C3841 锂离子电池制造", "3841-锂离子电池制造"
		if f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '　' }); len(f) > 1 {
			if c, err := graph.ParseIndustryCode(f[0]); err == nil {
				code = c
				return true
			}
		}
		return false
	}
	if !try(v) {
		parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(">＞/|→", r) })
		for i := len(parts) - 1; i >= 0; i-- {
			if try(parts[i]) {
				break
			}
		}
	}
	if len(w.industry) < 100000 {
		w.industry[v] = code
	}
	return code, code != ""
}

func joinClauses(a, b string) string {
	if a == "" {
		return b
	}
	return a + "；" + b
}

// trailingBracket returns the text in the brackets that end s:
// "批发业（F5179）" → "F5179".
func trailingBracket(s string) (string, bool) {
	s = graph.FoldWidth(strings.TrimSpace(s))
	if !strings.HasSuffix(s, ")") {
		return "", false
	}
	i := strings.LastIndexByte(s, '(')
	if i < 0 {
		return "", false
	}
	return strings.TrimSpace(s[i+1 : len(s)-1]), true
}
