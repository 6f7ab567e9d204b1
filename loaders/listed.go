package loaders

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// The listed companies of the default data: tushare's stock_basic (all
// A-shares: short name, province-level area, tushare industry, controller,
// full name where known) joined with each firm's 申万 2021 industry. The
// tushare file has no credit codes, so firms are keyed by stock code
// (x-600309-sh).
//
// A listed firm has no 经营范围, so its industry is the main evidence of
// its chain links: the curated crosswalks data/chains/sw2021.txt (申万
// level 3, else level 2) and, for firms listed after the 申万 table was
// taken, data/chains/tushare.txt give its nodes (methods "sw2021" and
// "tushare"), and the keywords found in its full name add to them. The
// industry labels themselves are kept as attributes and are not scanned
// for keywords: the crosswalk is the curated reading of the same words.

// Files of the listed-company source in the data filesystem.
const (
	listedFile     = "registry/a_share_stock_basic.csv"
	swCompanyFile  = "registry/sw2021_company_industry.csv"
	swTreeFile     = "registry/sw2021_industry_tree.csv"
	swMapFile      = "chains/sw2021.txt"
	tushareMapFile = "chains/tushare.txt"
	swLabelColumn  = "申万行业"
	formerColumn   = "曾用名"
	addressColumn  = "注册地址"
	tushareColumn  = "industry"
	listedProvince = graph.RegionCode("370000")
)

// Link methods of the listed-company loader.
const (
	methodSW      = "sw2021"
	methodTushare = "tushare"
)

// ReadListed reads the listed companies from fsys and puts one firm each,
// linked to the nodes of its industry and of the keywords in its name. Its
// report counts, beside the usual, which crosswalk placed each firm
// ("industry:sw2021" …), the name links it dropped ("dropped:…"), and how
// precisely the Shandong firms were placed ("shandong:region:city" …).
// Rows of the crosswalks that do not check out are reported as warnings
// and left out; 'chainkg validate' rejects them. It reads the files of the
// default data's layout from in.FS, writes them as in.Source, and resolves
// as ReadRegistry does.
func ReadListed(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	d, err := readListedData(ctx, in.FS, in.Chains)
	if err != nil {
		return nil, err
	}
	// The joined table is small (a megabyte): build it whole, then read it
	// as any registry.
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(append(d.header, swLabelColumn, formerColumn, addressColumn))
	former := 0
	for _, rec := range d.records {
		label := ""
		if d.ts < len(rec) {
			label = d.tree.path(d.industry[rec[d.ts]])
		}
		old := ""
		if d.full >= 0 && d.full < len(rec) && d.short >= 0 && d.short < len(rec) && !namesAgree(rec[d.short], rec[d.full]) {
			old, rec[d.full] = rec[d.full], ""
			former++
		}
		addr := ""
		if d.ts < len(rec) {
			addr = d.address[rec[d.ts]]
		}
		w.Write(append(rec, label, old, addr))
	}
	w.Flush()
	counter := &shandongCounter{sink: sink, counts: map[string]int{}}
	reg := in
	reg.R, reg.File = &buf, "a_share_stock_basic.csv"
	reg.Mapping = map[string]string{swLabelColumn: "attr", tushareColumn: "attr"}
	rep, err := readRegistry(ctx, reg, registryOptions{refine: d.refine(in.Chains)}, counter)
	if rep != nil {
		for k, v := range counter.counts {
			rep.Count(k, v)
		}
		for _, m := range d.mapReports {
			rep.Warnings = append(rep.Warnings, m.Rejected...)
		}
		rep.Count("name:full-name-is-former", former)
	}
	return rep, err
}

// CheckListedCrosswalks reads the industry crosswalks of a data filesystem
// in.FS against its 申万 tree, its listed-company file and the chain library
// in.Chains,
// and returns one report per crosswalk: rejected rows, and as warnings the
// industries that have firms but no row. A filesystem without the
// crosswalks has nothing to check.
func CheckListedCrosswalks(ctx context.Context, in Input) ([]*Report, error) {
	if _, err := fs.Stat(in.FS, swMapFile); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	d, err := readListedData(ctx, in.FS, in.Chains)
	if err != nil {
		return nil, err
	}
	sw, ts := d.mapReports[0], d.mapReports[1]
	seen := map[string]bool{}
	for _, ind := range d.industry {
		if !seen[ind] && d.swRow(ind) == nil {
			sw.Warn(0, "industry", fmt.Errorf("申万 industry %s has firms but no row (neither its own nor its level-2 industry's)", ind))
		}
		seen[ind] = true
	}
	for _, c := range d.classes {
		if _, ok := d.tushare.Row(c); !ok {
			ts.Warn(0, "industry", fmt.Errorf("tushare industry %s has firms but no row", c))
		}
	}
	return d.mapReports, nil
}

// listedData is what the listed-company loader reads before the firms.
type listedData struct {
	header   []string
	records  [][]string
	ts       int               // the ts_code column
	short    int               // the short name column (tushare's name: the current 简称), -1 if none
	full     int               // the full name column (fullname_ckg2021, of 2021), -1 if none
	classes  []string          // tushare industries, in file order
	tree     swTree            // the 申万 hierarchy
	industry map[string]string // stock code → 申万 level-3 industry
	// address is the registered address of 2016 by ts_code (addressesFile),
	// the address the firm's region is read from: more reliable than the
	// region names in its name or its controller's.
	address map[string]string
	sw      *IndustryMap
	tushare *IndustryMap
	// mapReports are the reports of the two crosswalks (申万, tushare).
	mapReports []*Report
}

func readListedData(ctx context.Context, fsys fs.FS, chains Chains) (*listedData, error) {
	d := &listedData{industry: map[string]string{}, address: map[string]string{}}
	var err error
	if d.tree, err = readSWTree(ctx, fsys); err != nil {
		return nil, err
	}
	// The firms' file names two industries differently from the tree
	// (其他能源设备Ⅲ for 其他电源设备Ⅲ, 其他建材Ⅲ for 其他建材); their
	// codes agree, so a name the tree lacks is looked up by its code. Other
	// codes differ between the two files (610102 is 水泥制造 in one, 水泥制品
	// in the other), so names come first.
	if err := eachCSV(ctx, fsys, swCompanyFile, func(get func(string) string) {
		name := get("industry_name")
		if d.tree.level(name) == 0 && d.tree.named[get("industry_code")] != "" {
			name = d.tree.named[get("industry_code")]
		}
		d.industry[get("company_code")] = name
	}, "company_code", "industry_name", "industry_code"); err != nil {
		return nil, err
	}
	if _, err := fs.Stat(fsys, addressesFile); err == nil {
		if err := eachCSV(ctx, fsys, addressesFile, func(get func(string) string) {
			if ts := get("ts_code_current"); ts != "" {
				d.address[ts] = get("reg_address")
				if get("parsed_from") == "addr_work" {
					d.address[ts] = get("office_address")
				}
			}
		}, "ts_code_current", "reg_address", "office_address", "parsed_from"); err != nil {
			return nil, err
		}
	}
	if err := d.readStocks(fsys); err != nil {
		return nil, err
	}
	var nodes func(graph.NodeID) bool
	if (Lookups{Chains: chains}).chainsLoaded() {
		nodes = func(id graph.NodeID) bool { return hasNode(chains, id) }
	}
	var rep *Report
	if d.sw, rep, err = readIndustryMapFile(ctx, fsys, swMapFile, d.tree.mappable, nodes); err != nil {
		return nil, err
	}
	d.mapReports = append(d.mapReports, rep)
	known := map[string]bool{}
	for _, c := range d.classes {
		known[c] = true
	}
	tushareClass := func(c string) error {
		if !known[c] {
			return fmt.Errorf("%q is not an industry of %s", c, listedFile)
		}
		return nil
	}
	if d.tushare, rep, err = readIndustryMapFile(ctx, fsys, tushareMapFile, tushareClass, nodes); err != nil {
		return nil, err
	}
	d.mapReports = append(d.mapReports, rep)
	return d, nil
}

// readStocks reads the listed-company file whole, noting its ts_code
// column and its tushare industries.
func (d *listedData) readStocks(fsys fs.FS) error {
	f, err := fsys.Open(listedFile)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	if d.header, err = cr.Read(); err != nil {
		return &ParseError{File: listedFile, Line: 1, Err: fmt.Errorf("%w: no header: %w", ErrRejected, err)}
	}
	d.ts, d.short, d.full = -1, -1, -1
	class := -1
	for i, h := range d.header {
		switch strings.TrimPrefix(h, "\ufeff") {
		case "ts_code":
			d.ts = i
		case tushareColumn:
			class = i
		case "name":
			d.short = i
		case "fullname_ckg2021", "fullname":
			d.full = i
		}
	}
	if d.ts < 0 {
		return &ParseError{File: listedFile, Line: 1, Err: fmt.Errorf("%w: no ts_code column", ErrRejected)}
	}
	seen := map[string]bool{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &ParseError{File: listedFile, Err: err}
		}
		if d.short >= 0 && d.short < len(rec) {
			rec[d.short] = stripTradingMarker(rec[d.short])
		}
		d.records = append(d.records, rec)
		if class >= 0 && class < len(rec) {
			if c := strings.TrimSpace(rec[class]); c != "" && !seen[c] {
				seen[c] = true
				d.classes = append(d.classes, c)
			}
		}
	}
}

// namesAgree reports whether a full name can be the full name of a firm
// with this short name: at least half the short name's characters, and at
// least two, appear in the full name in order (万华化学 in 万华化学集团股份有限
// 公司, 航发动力 in 中国航发动力股份有限公司), a risk marker (ST, *ST) and a
// share-class letter aside. The short name is tushare's current one and
// the full name the 2021 ChainKnowledgeGraph one: when they disagree the
// firm was renamed (罗欣药业, formerly 浙江东音泵业股份有限公司), and the full
// name is a former name, not the firm's name. A full name is empty when the
// file has none.
func namesAgree(short, full string) bool {
	if full == "" {
		return true
	}
	for _, p := range []string{"*ST", "ST", "S"} {
		if t, ok := strings.CutPrefix(short, p); ok && t != "" && t[0] >= 0x80 {
			short = t
			break
		}
	}
	short = strings.TrimRight(short, "AB")
	rs := []rune(short)
	n, rest := 0, full
	for _, r := range rs {
		if i := strings.IndexRune(rest, r); i >= 0 {
			n++
			rest = rest[i+utf8.RuneLen(r):]
		}
	}
	return n >= 2 && 2*n >= len(rs)
}

// stripTradingMarker removes the marker of an ex-dividend or ex-rights
// day (XD, XR, DR) that tushare's snapshot put before 44 short names
// (XD中直股, DR诺唯赞): it is no part of the name, and DR would read as a
// keyword (digital radiography). The snapshot had also cut those names to
// fit (中直股 for 中直股份); that cannot be undone here.
func stripTradingMarker(name string) string {
	for _, m := range []string{"XD", "XR", "DR"} {
		if rest, ok := strings.CutPrefix(name, m); ok && rest != "" && rest[0] >= 0x80 {
			return rest
		}
	}
	return name
}

func readIndustryMapFile(ctx context.Context, fsys fs.FS, path string, industry func(string) error, nodes func(graph.NodeID) bool) (*IndustryMap, *Report, error) {
	f, err := fsys.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return readIndustryMap(ctx, f, path, industry, nodes)
}

// swRow returns the crosswalk row of a 申万 industry: its own, else its
// level-2 parent's.
func (d *listedData) swRow(industry string) *IndustryRow {
	for ind := industry; ind != ""; ind = d.tree.parent[ind] {
		if d.tree.level(ind) < 2 {
			break
		}
		if r, ok := d.sw.Row(ind); ok {
			return &r
		}
	}
	return nil
}

// refine returns the registry loader's Refine for listed firms: it adds
// the nodes of the firm's industry row and drops name links that the
// industry contradicts. The rules, in order:
//
//  1. The row: the firm's 申万 industry's (level 3, else level 2); for a
//     firm without a 申万 industry, its tushare industry's.
//  2. A name link that agrees with a row node — the same node, or one above
//     or below it — stays and merges with it: methods joined ("name+sw2021"),
//     the stronger confidence kept.
//  3. Otherwise a name link is dropped when it matched only the two-character
//     name of a segment group (应用, 原料, 整车, 冶炼 in 应用材料, 化工原料,
//     整车厂, 锌冶炼): such words name a group of links, not a product;
//  4. or when the row says the industry lies outside every chain ("-" with
//     confidence 1: banks, real estate, retail, gas supply, testing
//     services): the word is read in another sense or names a business the
//     firm has left (中粮资本 is no 特钢 maker, 陕天然气 distributes gas and
//     extracts none, 铁龙物流 carries containers and makes none).
//
// Every other name link stays, even in another chain or at another node
// than the row's (太钢不锈: 特钢 by its industry, 不锈钢 by its name; 中集集团:
// 金属制品 by its industry, 集装箱 by its name): the name is the firm's own
// word, the industry a classifier's. An earlier rule that dropped name links
// into chains no industry of the firm's 申万 sector maps to was tried and
// dropped: it removed as many right links (轴承, 阀门, 模具 makers filed
// under 汽车 or 机械) as wrong ones.
func (d *listedData) refine(x Chains) func(*graph.Firm, func(string)) {
	return func(f *graph.Firm, count func(string)) {
		var stock, class string
		if len(f.Stocks) > 0 {
			stock = f.Stocks[0]
		}
		for _, a := range f.Attrs {
			if a.Key == tushareColumn {
				class = a.Value
			}
		}
		ind := d.industry[stock]
		var row *IndustryRow
		method, matched := "", ""
		if ind != "" {
			row, method, matched = d.swRow(ind), methodSW, d.tree.path(ind)
		}
		if row == nil && class != "" {
			if r, ok := d.tushare.Row(class); ok {
				row, method, matched = &r, methodTushare, "tushare "+class
			}
		}
		switch {
		case row == nil:
			count("industry:none")
		case len(row.Targets) == 0:
			count("industry:" + method + ":unmapped")
		default:
			count("industry:" + method)
		}
		var targets []IndustryTarget
		if row != nil {
			targets = row.Targets
		}
		out := f.Nodes[:0]
		for _, l := range f.Nodes {
			switch {
			case slices.ContainsFunc(targets, func(t IndustryTarget) bool { return nested(x, t.Node, l.Node) }):
			case !x.IsLeaf(l.Node) && shortWords(l.Matched):
				count("dropped:group-name")
				continue
			case row != nil && row.Outside():
				count("dropped:outside-library")
				continue
			}
			out = append(out, l)
		}
		for _, t := range targets {
			if _, ok := x.Node(t.Node); !ok {
				continue // no chain library: the crosswalk's nodes are not loaded
			}
			if i := slices.IndexFunc(out, func(l graph.NodeLink) bool { return l.Node == t.Node }); i >= 0 {
				l := &out[i]
				l.Method += "+" + method
				l.Confidence = max(l.Confidence, t.Confidence)
				l.Matched = joinClauses(l.Matched, matched)
				count("links:" + method + "+name")
				continue
			}
			out = append(out, graph.NodeLink{Node: t.Node, Method: method, Confidence: t.Confidence, Matched: matched})
			count("links:" + method)
		}
		slices.SortFunc(out, func(a, b graph.NodeLink) int { return cmp.Compare(a.Node, b.Node) })
		f.Nodes = out
	}
}

// nested reports whether a and b are the same node or one lies below the
// other.
func nested(x Chains, a, b graph.NodeID) bool {
	return a == b || below(x, a, b) || below(x, b, a)
}

// below reports whether n lies below anc in its chain's tree.
func below(x Chains, n, anc graph.NodeID) bool {
	for {
		node, ok := x.Node(n)
		if !ok || node.Parent == "" {
			return false
		}
		if node.Parent == anc {
			return true
		}
		n = node.Parent
	}
}

// shortWords reports whether every word a link matched (joined by ；) is
// at most two characters.
func shortWords(matched string) bool {
	for _, w := range strings.Split(matched, "；") {
		if utf8.RuneCountInString(w) > 2 {
			return false
		}
	}
	return true
}

// swTree is the 申万 2021 hierarchy: level-3 industries under level-2
// under level-1 sectors.
type swTree struct {
	parent  map[string]string // industry → its parent; sectors have none
	sectors map[string]bool
	named   map[string]string // code → industry
}

func readSWTree(ctx context.Context, fsys fs.FS) (swTree, error) {
	t := swTree{parent: map[string]string{}, sectors: map[string]bool{}, named: map[string]string{}}
	err := eachCSV(ctx, fsys, swTreeFile, func(get func(string) string) {
		t.parent[get("from_industry")] = get("to_industry")
		t.named[get("from_code")] = get("from_industry")
		t.named[get("to_code")] = get("to_industry")
	}, "from_industry", "to_industry", "from_code", "to_code")
	for _, p := range t.parent {
		if _, ok := t.parent[p]; !ok {
			t.sectors[p] = true
		}
	}
	return t, err
}

// level returns an industry's level: 1 for a sector, 2, 3; 0 for a name
// the tree does not know.
func (t swTree) level(name string) int {
	if name == "" {
		return 0
	}
	p, ok := t.parent[name]
	switch {
	case !ok && t.sectors[name]:
		return 1
	case !ok:
		return 0
	case t.parent[p] == "":
		return 2
	default:
		return 3
	}
}

// sector returns an industry's level-1 sector.
func (t swTree) sector(name string) string {
	for name != "" && t.parent[name] != "" {
		name = t.parent[name]
	}
	return name
}

// path writes an industry with its level-2 parent ("电池 > 锂电池"); level 1
// (电力设备, 基础化工) is too broad to say anything.
func (t swTree) path(name string) string {
	if t.level(name) == 3 {
		return t.parent[name] + " > " + name
	}
	return name
}

// mappable says whether a crosswalk may have a row for an industry: a
// level-2 or level-3 industry of the tree.
func (t swTree) mappable(name string) error {
	switch t.level(name) {
	case 0:
		return fmt.Errorf("%q is not an industry of the 申万 2021 tree (%s)", name, swTreeFile)
	case 1:
		return fmt.Errorf("%q is a 申万 level-1 sector: too broad to map; map its level-2 or level-3 industries", name)
	}
	return nil
}

// eachCSV calls fn for each row of a CSV file with the given columns.
func eachCSV(ctx context.Context, fsys fs.FS, path string, fn func(get func(string) string), cols ...string) error {
	f, err := fsys.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return readCSVTable(ctx, f, path, cols, func(_ int, get func(string) string) error {
		fn(get)
		return nil
	})
}

// shandongCounter passes firms on and counts how precisely the Shandong
// ones were placed.
type shandongCounter struct {
	sink   graph.FactSink
	counts map[string]int
}

func (s *shandongCounter) Put(facts ...graph.Fact) error {
	for _, f := range facts {
		if fm, ok := f.(graph.Firm); ok && fm.Region != "" && listedProvince.Contains(fm.Region) {
			s.counts["shandong:firms"]++
			s.counts["shandong:region:"+string(fm.Region.Level())]++
			s.counts["shandong:region-method:"+fm.RegionMethod]++
		}
	}
	return s.sink.Put(facts...)
}
