package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// scopes builds the four scopes on the analytics fixture:
//
//	chainmap: 烟台市 (370600) × ev — 6 chain nodes, local active firms F1–F4
//	          (F9 is cancelled), targets F5, F6, F7 (负极材料) and F8 (充电桩);
//	chain:    ev — 6 nodes;
//	firm:     F2 (电芯) — its node, the node it buys from (电池材料, by the
//	          edge 电池材料 → 电芯) and the one it sells to (整车), the 烟台
//	          firms there (F1 in 正极材料 under 电池材料; F3, F4 in 整车);
//	graph:    everything.
func scopes(t *testing.T) (*store.Store, map[string]*export.Scope) {
	t.Helper()
	st := graphtest.Analytics(t)
	x := st.Index()
	opt := export.Options{Config: graph.DefaultConfig()}
	out := map[string]*export.Scope{}
	var err error
	if out["chainmap"], err = export.ChainMapScope(context.Background(), x, "370600", "ev", opt); err != nil {
		t.Fatal(err)
	}
	if out["chain"], err = export.ChainScope(context.Background(), x, "ev", opt); err != nil {
		t.Fatal(err)
	}
	if out["firm"], err = export.FirmScope(context.Background(), x, graph.FirmID(graphtest.CreditCode(2)), opt); err != nil {
		t.Fatal(err)
	}
	if out["graph"], err = export.GraphScope(context.Background(), x, opt); err != nil {
		t.Fatal(err)
	}
	return st, out
}

func TestScopeCountsByHand(t *testing.T) {
	_, sc := scopes(t)
	kinds := func(s *export.Scope) map[string]int {
		m := map[string]int{}
		for _, n := range s.Nodes {
			m[string(n.Kind)]++
		}
		for _, e := range s.Edges {
			m["edge:"+string(e.Kind)]++
		}
		return m
	}
	tests := []struct {
		scope string
		want  map[string]int
	}{
		// contains: 电池材料 → 正极, 负极; supplies: 电池材料 → 电芯 → 整车;
		// in_node: F1 正极, F2 电芯, F3 F4 整车; fills_gap: F5 F6 F7 → 负极, F8 → 充电桩.
		{"chainmap", map[string]int{"chain_node": 6, "firm": 4, "target": 4,
			"edge:contains": 2, "edge:supplies": 2, "edge:in_node": 4, "edge:fills_gap": 4}},
		{"chain", map[string]int{"chain_node": 6, "edge:contains": 2, "edge:supplies": 2}},
		// 电芯, 电池材料 (supplier), 整车 (customer); F2 itself, F1 (in 电池材料
		// through 正极材料), F3 and F4 (整车); supplies 电池材料 → 电芯 → 整车;
		// in_node F2 → 电芯, F3 F4 → 整车 (F1's link is to 正极材料, not in scope).
		{"firm", map[string]int{"chain_node": 3, "firm": 4, "edge:supplies": 2, "edge:in_node": 3}},
		// 1 chain, 6 nodes, 9 firms, 3 parks, regions holding them with
		// ancestors: 370000 370600 370613 370602 370100 370200 320000 320500;
		// contains: the chain to its 4 top-level nodes, 2 sub-nodes, 6 region parents.
		{"graph", map[string]int{"chain": 1, "chain_node": 6, "firm": 9, "park": 3, "region": 8,
			"edge:contains": 4 + 2 + 6, "edge:supplies": 2, "edge:in_node": 9, "edge:in_region": 9 + 3, "edge:park_chain": 3}},
	}
	for _, tt := range tests {
		got := kinds(sc[tt.scope])
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.scope, got, tt.want)
		}
	}
	// The chain map's figures are the analytics' own.
	cm := sc["chainmap"]
	byID := map[string]export.Node{}
	for _, n := range cm.Nodes {
		byID[n.ID] = n
	}
	anode := byID["node:ev/anode"]
	if anode.Attrs.Level != "空白" || !anode.Attrs.Gap.V || anode.Attrs.Severity.V <= 0 || anode.Attrs.Reason == "" || anode.Attrs.DataSource != "chains/library" {
		t.Errorf("anode = %+v", anode.Attrs)
	}
	f2 := byID["firm:"+graphtest.CreditCode(2)]
	if !f2.Attrs.Anchor.V || f2.Attrs.Method != "keyword" || f2.Attrs.Confidence.V != 1 || f2.Attrs.RegionName != "山东省烟台市芝罘区" || f2.Attrs.DataSource != "registry/firms" {
		t.Errorf("F2 = %+v", f2.Attrs)
	}
	f5 := byID["firm:"+graphtest.CreditCode(5)]
	if f5.Kind != export.KindTarget || f5.Attrs.Reason == "" || f5.Attrs.Park == "" || f5.Attrs.ChainNode != "ev/anode" {
		t.Errorf("F5 = %+v", f5)
	}
}

// TestProvenanceOfLinks checks that an edge names the source of its own
// evidence: the override's link, not the registry's.
func TestProvenanceOfLinks(t *testing.T) {
	st := graphtest.NEV(t)
	s, err := export.FirmScope(context.Background(), st.Index(), graph.FirmID(graphtest.CreditCode(103)), export.Options{Config: graph.DefaultConfig()})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range s.Edges {
		if e.Kind == export.EdgeInNode && e.From == "firm:"+graphtest.CreditCode(103) {
			got[e.To] = e.Attrs.DataSource + " " + e.Attrs.Method
		}
	}
	want := map[string]string{"node:nev/bms": "override/manual override", "node:nev/cell": "registry/nev-firms keyword"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("link sources = %v, want %v", got, want)
	}
}

// encode writes a scope in a format.
func encode(t *testing.T, st *store.Store, f export.Format, s *export.Scope) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(context.Background(), &b, s, st); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	return b.Bytes()
}

var (
	versionRe  = regexp.MustCompile(`(source/[a-z0-9.-]+/[a-z0-9.-]+)@[a-z0-9]+`)
	loadedAtRe = regexp.MustCompile(`\d{4}-\d\d-\d\dT[0-9:.]+Z`)
)

// textOf renders an export as stable text for a golden file: zip members
// and spreadsheet cells listed, load times and version stamps masked.
func textOf(t *testing.T, name string, b []byte) string {
	t.Helper()
	switch name {
	case "gephi-csv", "neo4j-csv":
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		for _, f := range z.File {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			buf.ReadFrom(r)
			r.Close()
			fmt.Fprintf(&out, "== %s\n%s", f.Name, buf.String())
		}
		return out.String()
	case "xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out strings.Builder
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&out, "== %s\n", sh)
			for _, r := range rows {
				out.WriteString(strings.Join(r, "\t") + "\n")
			}
		}
		return out.String()
	case "nquads", "jsonld":
		s := versionRe.ReplaceAllString(string(b), "$1@VERSION")
		return loadedAtRe.ReplaceAllString(s, "LOADED-AT")
	}
	return string(b)
}

func goldenCompare(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", file)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Errorf("%s differs from the golden file at line %d:\n got: %s\nwant: %s\n(go test -update rewrites it)", file, i+1, g, w)
				return
			}
		}
	}
}

// TestGolden writes every format of the region × chain scope, and the JSON
// of the other scopes, and compares them with the golden files.
func TestGolden(t *testing.T) {
	st, sc := scopes(t)
	for _, f := range export.Formats() {
		t.Run(f.Name, func(t *testing.T) {
			b := encode(t, st, f, sc["chainmap"])
			if f.Name == "svg" {
				goldenCompare(t, "chainmap.svg", string(b)) // the picture of …/map.svg, the same bytes
				return
			}
			goldenCompare(t, "chainmap."+f.Name+".txt", textOf(t, f.Name, b))
		})
	}
	json, _ := export.Lookup("json")
	for _, name := range []string{"chain", "firm", "graph"} {
		goldenCompare(t, name+".json.txt", string(encode(t, st, json, sc[name])))
	}
	x := st.Index()
	m, err := x.ChainMap(context.Background(), "370600", "ev", graph.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	a, err := x.Anchors(context.Background(), "370600", "ev", graph.DefaultConfig(), false)
	if err != nil {
		t.Fatal(err)
	}
	var svg bytes.Buffer
	if err := export.WriteChainMapSVG(&svg, m, a); err != nil {
		t.Fatal(err)
	}
	goldenCompare(t, "chainmap.svg", svg.String())
}

// TestDeterministic writes each format twice: same scope, same bytes.
func TestDeterministic(t *testing.T) {
	st, sc := scopes(t)
	for name, s := range sc {
		for _, f := range exportFormatsFor(s) {
			if f.Name == "xlsx" {
				continue // the workbook stamps its creation time; its cells are compared in TestGolden
			}
			if a, b := encode(t, st, f, s), encode(t, st, f, s); !bytes.Equal(a, b) {
				t.Errorf("%s of %s differs between two writes", f.Name, name)
			}
		}
	}
}

// counted reads back the numbers of nodes and edges each format holds, by
// the format's own structure.
func counted(t *testing.T, name string, b []byte) (nodes, edges int) {
	t.Helper()
	switch name {
	case "gexf", "gexf-1.3", "graphml":
		d := xml.NewDecoder(bytes.NewReader(b))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok {
				switch se.Name.Local {
				case "node":
					nodes++
				case "edge":
					edges++
				}
			}
		}
	case "cyjs":
		var d struct {
			Elements struct {
				Nodes []struct {
					Classes string `json:"classes"`
				} `json:"nodes"`
				Edges []json.RawMessage `json:"edges"`
			} `json:"elements"`
		}
		mustJSON(t, b, &d)
		for _, n := range d.Elements.Nodes {
			if n.Classes != "segment" {
				nodes++
			}
		}
		edges = len(d.Elements.Edges)
	case "echarts":
		var d struct {
			Series []struct {
				Data  []json.RawMessage `json:"data"`
				Links []json.RawMessage `json:"links"`
			} `json:"series"`
		}
		mustJSON(t, b, &d)
		nodes, edges = len(d.Series[0].Data), len(d.Series[0].Links)
	case "g6", "json":
		var d struct {
			Nodes []json.RawMessage `json:"nodes"`
			Edges []json.RawMessage `json:"edges"`
		}
		mustJSON(t, b, &d)
		nodes, edges = len(d.Nodes), len(d.Edges)
	case "dot":
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			switch {
			case strings.Contains(l, "[style=invis]"):
				// the rank spine (dotRanks): layout, not graph
			case strings.Contains(l, " -> "):
				edges++
			case strings.HasPrefix(l, `"`) && strings.Contains(l, "[label="):
				nodes++
			}
		}
	case "gephi-csv", "neo4j-csv":
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range z.File {
			if !strings.HasSuffix(f.Name, ".csv") {
				continue
			}
			r, _ := f.Open()
			rows, err := csv.NewReader(r).ReadAll()
			r.Close()
			if err != nil {
				t.Fatalf("%s %s: %v", name, f.Name, err)
			}
			if f.Name == "nodes.csv" {
				nodes = len(rows) - 1
			} else {
				edges = len(rows) - 1
			}
		}
	default:
		return -1, -1
	}
	return nodes, edges
}

func mustJSON(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
}

// TestCountsAgree checks that every graph format holds exactly the scope's
// nodes and edges, and carries the attributes users filter on.
func TestCountsAgree(t *testing.T) {
	st, sc := scopes(t)
	for name, s := range sc {
		wn, we := s.Counts()
		for _, f := range exportFormatsFor(s) {
			b := encode(t, st, f, s)
			gn, ge := counted(t, f.Name, b)
			if gn < 0 {
				continue
			}
			if gn != wn || ge != we {
				t.Errorf("%s of %s: %d nodes, %d edges; the scope has %d, %d", f.Name, name, gn, ge, wn, we)
			}
			text := textOf(t, f.Name, b)
			for _, key := range []string{"segment", "method", "data_source"} {
				if !strings.Contains(text, key) {
					t.Errorf("%s of %s: no attribute %s", f.Name, name, key)
				}
			}
		}
	}
	// The chain map carries levels and confidences; the spreadsheet lists
	// one row per node, per gap, per anchor, per target and per local firm.
	xl, _ := export.Lookup("xlsx")
	b := encode(t, st, xl, sc["chainmap"])
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	s := sc["chainmap"]
	want := map[string]int{"产业链图谱": len(s.Map.Nodes), "缺口清单": len(s.Gaps.Gaps), "链主企业": len(s.Anchors.Anchors),
		"招商目标": len(s.Targets.Targets), "本地企业": 4}
	for sheet, n := range want {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("sheet %s: %v", sheet, err)
		}
		if len(rows)-1 != n {
			t.Errorf("sheet %s: %d rows, want %d", sheet, len(rows)-1, n)
		}
	}
	rows, _ := f.GetRows("招商目标")
	if !slices.Contains(rows[0], "推荐理由") || !slices.Contains(rows[0], "关联分(以商招商)") || rows[1][len(rows[1])-1] == "" {
		t.Errorf("targets sheet: header %q, first row %q", rows[0], rows[1])
	}
}

// TestGEXFValidates validates every scope's GEXF 1.3 against the GEXF 1.3
// schema. (The default gexf is 1.2draft, for which no schema is at hand:
// the real readers check it, in api's TestNetworkxReadsExports and the
// graphology test.)
func TestGEXFValidates(t *testing.T) {
	xmllint := graphtest.Tool(t, "xmllint", "libxml2-utils")
	schema := graphtest.Shared(t, "schemas/gexf-1.3/gexf.xsd")
	st, sc := scopes(t)
	gexf, _ := export.Lookup("gexf-1.3")
	dir := t.TempDir()
	for name, s := range sc {
		p := filepath.Join(dir, name+".gexf")
		if err := os.WriteFile(p, encode(t, st, gexf, s), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--schema", schema, p).CombinedOutput()
		if err != nil {
			t.Errorf("%s.gexf does not validate: %v\n%s", name, err, out)
		}
	}
	// The Cytoscape desktop style file is well-formed XML.
	cs, _ := export.Lookup("cytoscape-style")
	p0 := filepath.Join(dir, "style.xml")
	os.WriteFile(p0, encode(t, st, cs, sc["chainmap"]), 0o644)
	if out, err := exec.Command(xmllint, "--noout", p0).CombinedOutput(); err != nil {
		t.Errorf("the Cytoscape style file is not well-formed: %v\n%s", err, out)
	}
	// The picture is well-formed XML too.
	x := st.Index()
	m, _ := x.ChainMap(context.Background(), "370600", "ev", graph.DefaultConfig())
	var svg bytes.Buffer
	if err := export.WriteChainMapSVG(&svg, m, nil); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "map.svg")
	os.WriteFile(p, svg.Bytes(), 0o644)
	if out, err := exec.Command(xmllint, "--noout", p).CombinedOutput(); err != nil {
		t.Errorf("map.svg is not well-formed: %v\n%s", err, out)
	}
}

// TestDOTRenders renders every scope's DOT with Graphviz.
func TestDOTRenders(t *testing.T) {
	dot := graphtest.Tool(t, "dot", "graphviz")
	st, sc := scopes(t)
	f, _ := export.Lookup("dot")
	for name, s := range sc {
		cmd := exec.Command(dot, "-Tsvg")
		cmd.Stdin = bytes.NewReader(encode(t, st, f, s))
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Errorf("dot -Tsvg %s: %v\n%s", name, err, errb.String())
			continue
		}
		if errb.Len() > 0 {
			t.Errorf("dot -Tsvg %s warns: %s", name, errb.String())
		}
		// Every label is in the drawing, in Chinese.
		for _, n := range s.Nodes {
			if !strings.Contains(out.String(), n.Label) {
				t.Errorf("dot -Tsvg %s: label %q is missing from the drawing", name, n.Label)
			}
		}
	}
}

func TestLookupAndOptions(t *testing.T) {
	if _, err := export.Lookup("pdf"); err == nil {
		t.Error("Lookup(pdf) = nil error")
	}
	if _, err := export.ParseColorBy("rainbow"); err == nil {
		t.Error("ParseColorBy(rainbow) = nil error")
	}
	st := graphtest.Analytics(t)
	x := st.Index()
	if _, err := export.ChainMapScope(context.Background(), x, "370600", "nope", export.Options{Config: graph.DefaultConfig()}); err == nil {
		t.Error("ChainMapScope of an unknown chain = nil error")
	}
	if _, err := export.FirmScope(context.Background(), x, "x-nobody", export.Options{}); err == nil {
		t.Error("FirmScope of an unknown firm = nil error")
	}
	// Colour by segment: chain nodes take their segment's colour.
	s, err := export.ChainMapScope(context.Background(), x, "370600", "ev", export.Options{Config: graph.DefaultConfig(), ColorBy: export.ColorBySegment})
	if err != nil {
		t.Fatal(err)
	}
	colors := map[string]string{}
	for _, n := range s.Nodes {
		if n.Kind == export.KindChainNode {
			colors[n.Attrs.Segment] = n.Color.Hex()
		}
	}
	if len(colors) != 3 || colors["up"] == colors["mid"] {
		t.Errorf("segment colours = %v", colors)
	}
	// A scope's quads without a store is an error, not a panic.
	nq, _ := export.Lookup("nquads")
	if err := nq.Write(context.Background(), &bytes.Buffer{}, s, nil); err == nil {
		t.Error("nquads without a store = nil error")
	}
}

// TestAbsentIsEmpty checks that an attribute a node does not have is left
// out (or an empty field), never written as 0 or false: 电池材料 is not a
// leaf, so it is neither a gap nor not one, and has no capital. (Its
// confidence is 1: the chain library declares it.)
func TestAbsentIsEmpty(t *testing.T) {
	st, sc := scopes(t)
	f, _ := export.Lookup("gephi-csv")
	b := encode(t, st, f, sc["chainmap"])
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := z.Open("nodes.csv")
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, row := range rows[1:] {
		if row[0] != "node:ev/materials" {
			continue
		}
		for _, k := range []string{"gap", "capital_wan", "anchor", "severity"} {
			if row[col[k]] != "" {
				t.Errorf("materials: %s = %q, want empty", k, row[col[k]])
			}
		}
		if row[col["level"]] != "优势" || row[col["local_firms"]] != "1" || row[col["confidence"]] != "1" || row[col["method"]] != "library" {
			t.Errorf("materials: level %q, local_firms %q", row[col["level"]], row[col["local_firms"]])
		}
	}
	gexf, _ := export.Lookup("gexf")
	if n := strings.Count(string(encode(t, st, gexf, sc["chainmap"])), `<attvalue for="gap"`); n != 5 {
		t.Errorf("GEXF has %d gap values, want one per leaf (5)", n)
	}
}

// nevStore is the 新能源汽车 fixture plus one firm in 潍坊 linked only to
// the group 电驱系统 (above the gap 电机控制器 of 烟台): the shape of the
// targets a registry classifies no finer than a group; and one large firm
// of 烟台 linked only to the group 整车制造, a 链主 that sits in a group.
func nevStore(t testing.TB) *store.Store {
	t.Helper()
	st := graphtest.NEV(t)
	_, err := st.Replace(context.Background(), graph.Source{ID: "registry/group-only", Kind: graph.KindRegistry, Title: "只分到大类的企业（测试用）"},
		graph.Facts(graph.Firm{ID: graph.FirmID(graphtest.CreditCode(900)), Name: "潍坊动力总成股份有限公司", Region: "370700", RegionMethod: "column",
			Capital: 90000, Revenue: 800000, Status: graph.StatusActive, Stocks: []string{"000338.SZ"},
			Nodes: []graph.NodeLink{{Node: "nev/e-drive", Method: "keyword", Confidence: 0.7, Role: "producer", Matched: "电驱"}}},
			graph.Firm{ID: graph.FirmID(graphtest.CreditCode(901)), Name: "烟台整车集团有限公司", Region: "370613", RegionMethod: "column",
				Capital: 900000, Revenue: 20000000, Status: graph.StatusActive,
				Nodes: []graph.NodeLink{{Node: "nev/vehicle", Method: "name", Confidence: 1, Role: "producer", Matched: "整车"}}}))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// nevChainMap is the region × chain scope of 烟台市 × 新能源汽车.
func nevChainMap(t testing.TB, st *store.Store) *export.Scope {
	t.Helper()
	s, err := export.ChainMapScope(context.Background(), st.Index(), "370600", "nev", export.Options{Config: graph.DefaultConfig()})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// exportFormatsFor lists the formats that encode a scope of s's kind.
func exportFormatsFor(s *export.Scope) []export.Format {
	var out []export.Format
	for _, f := range export.Formats() {
		if f.Accepts(s.Kind) {
			out = append(out, f)
		}
	}
	return out
}

func lookup(t *testing.T, name string) (export.Format, error) {
	t.Helper()
	f, err := export.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return f, nil
}
