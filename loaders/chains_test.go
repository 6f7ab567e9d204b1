package loaders

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// testCodes is a GB/T 4754 table small enough to read.
var testCodes = map[graph.IndustryCode]string{
	"3841": "锂离子电池制造",
	"3612": "新能源车整车制造",
	"3985": "电子专用材料制造",
	"3670": "汽车零部件及配件制造",
}

// codesIndex is a read model holding testCodes, and the facts of more
// sources when given.
func codesIndex(t *testing.T, more ...testSource) *readmodel.Index {
	t.Helper()
	var codes []graph.Fact
	for c, n := range testCodes {
		codes = append(codes, graph.IndustryClass{Code: c, Name: n})
	}
	src := graph.Source{ID: "reference/codes", Kind: graph.KindReference, Title: "codes"}
	return indexOf(t, append([]testSource{{src, codes}}, more...)...)
}

// chainsSource is a source of chains with the ids given, each with one node.
func chainsSource(ids ...graph.ChainID) testSource {
	s := testSource{src: graph.Source{ID: "chains/test", Kind: graph.KindChains, Title: "chains"}}
	for _, id := range ids {
		s.facts = append(s.facts, graph.Chain{ID: id, Name: "链" + string(id)}, graph.ChainNode{ID: graph.NodeID(string(id) + "/node"), Name: "节点" + string(id)})
	}
	return s
}

// testSource is a source and its facts, for indexOf.
type testSource struct {
	src   graph.Source
	facts []graph.Fact
}

// indexOf opens an in-memory store, writes the sources in order and
// returns its read model.
func indexOf(t *testing.T, srcs ...testSource) *readmodel.Index {
	t.Helper()
	st, err := store.Open(t.Context(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, s := range srcs {
		if _, err := st.Replace(t.Context(), s.src, graph.Facts(s.facts...)); err != nil {
			t.Fatal(err)
		}
	}
	return st.Index()
}

// goodChain is a valid chain file; the table below breaks it line by line.
//
//	materials ── cathode ─supplies→ cell (in cells) ─supplies→ vehicles/car
const goodChain = `# a small chain
[chain demo] 示例链
aliases:  示例产业链
type:     updown
segments: up 上游, mid 中游, down 下游

[node materials] 材料
segment: up

[node materials/cathode] 正极材料
codes:    3985 电子专用材料制造
keywords: 正极材料, 磷酸铁锂
excludes: 磷酸铁锂电池
products: 磷酸铁锂
supplies: cell
weight:   1.5

[node cells] 电池
segment: mid

[node cells/cell] 电芯
codes:    3841
keywords: 动力电池,
          锂离子电池
products: 电芯
supplies: car

[node vehicles] 整车
segment: down

[node vehicles/car] 乘用车
codes:    3612 新能源车整车制造
keywords: 新能源乘用车
products: 纯电动乘用车
`

func readChains(t *testing.T, files map[string]string, x *readmodel.Index) (*Report, *collect) {
	t.Helper()
	fsys := fstest.MapFS{}
	var paths []string
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
		paths = append(paths, name)
	}
	slices.Sort(paths)
	var c collect
	if x == nil {
		x = codesIndex(t)
	}
	rep, err := ReadChainFiles(t.Context(), Input{FS: fsys, Paths: paths, Lookups: LookupsOf(x)}, &c)
	if err != nil {
		t.Fatal(err)
	}
	return rep, &c
}

func TestReadChainFilesGood(t *testing.T) {
	rep, c := readChains(t, map[string]string{"demo.chain": goodChain}, nil)
	if len(rep.Rejected) > 0 || len(rep.Warnings) > 0 {
		t.Fatalf("rejected %v, warnings %v", rep.Rejected, rep.Warnings)
	}
	if rep.Rows != 6 || rep.Loaded != 6 || rep.Counts["leaf nodes"] != 3 || rep.Counts["supply edges"] != 2 {
		t.Errorf("report = %+v", rep)
	}
	ch := c.facts[0].(graph.Chain)
	if ch.ID != "demo" || ch.Name != "示例链" || ch.Type != graph.ChainUpDown || len(ch.Segments) != 3 || ch.Segments[1] != (graph.Segment{ID: "mid", Name: "中游"}) {
		t.Errorf("chain = %+v", ch)
	}
	byID := map[graph.NodeID]graph.ChainNode{}
	for _, f := range c.facts[1:] {
		n := f.(graph.ChainNode)
		byID[n.ID] = n
	}
	cell := byID["demo/cell"]
	if cell.Parent != "demo/cells" || cell.Segment != "mid" || !slices.Equal(cell.Keywords, []string{"动力电池", "锂离子电池"}) ||
		!slices.Equal(cell.SuppliesTo, []graph.NodeID{"demo/car"}) || !slices.Equal(cell.Codes, []graph.IndustryCode{"3841"}) || cell.Order != 1 {
		t.Errorf("cell = %+v", cell)
	}
	if cat := byID["demo/cathode"]; cat.Weight != 1.5 || !slices.Equal(cat.Excludes, []string{"磷酸铁锂电池"}) || cat.Segment != "up" {
		t.Errorf("cathode = %+v", cat)
	}
	if v := byID["demo/vehicles"]; v.Order != 3 || v.Parent != "" {
		t.Errorf("vehicles = %+v", v)
	}
}

// TestReadChainFilesMistakes breaks the good file one way at a time and
// checks that the mistake is reported on its line, and that the chain is
// not loaded.
func TestReadChainFilesMistakes(t *testing.T) {
	tests := []struct {
		name       string
		from, to   string // replace from with to in goodChain
		line       int
		col, match string
	}{
		{"unknown field", "weight:   1.5", "weihgt:   1.5", 16, "weihgt", "unknown field"},
		{"field twice", "segment: mid\n", "segment: mid\nsegment: up\n", 20, "segment", "given twice (first on line 19)"},
		{"bad chain type", "type:     updown", "type:     tree", 4, "type", `"tree": want updown, serial or layered`},
		{"unknown segment", "segment: down", "segment: downstream", 29, "segment", "not a segment of chain demo"},
		{"parent missing", "[node cells/cell] 电芯", "[node batteries/cell] 电芯", 21, "path", `parent "batteries" is not defined above`},
		{"duplicate slug", "[node vehicles/car] 乘用车", "[node vehicles/cell] 乘用车", 31, "path", `node "cell" is already defined on line 21`},
		{"too deep", "[node vehicles/car] 乘用车", "[node vehicles/car] 乘用车\ncodes: 3612\nkeywords: 轿车\nproducts: 轿车\n[node vehicles/car/a] a\n[node vehicles/car/a/b] b\n[node vehicles/car/a/b/c] c", 37, "path", "5 levels deep"},
		{"leaf without codes", "codes:    3612 新能源车整车制造\n", "", 31, "codes", `leaf "car" has no GB/T 4754 codes`},
		{"leaf without keywords", "keywords: 新能源乘用车\n", "", 31, "keywords", `leaf "car" has no keywords`},
		{"leaf without products", "products: 纯电动乘用车\n", "", 31, "products", `leaf "car" has no key products`},
		{"code not a class", "codes:    3841\n", "codes:    384\n", 22, "codes", "is a group code"},
		{"code not in GB/T 4754", "codes:    3841\n", "codes:    3849\n", 22, "codes", "3849 is not a GB/T 4754-2017 小类"},
		{"code name wrong", "3612 新能源车整车制造", "3612 汽柴油车整车制造", 32, "codes", "3612 is 新能源车整车制造, not 汽柴油车整车制造"},
		{"one-character keyword", "keywords: 新能源乘用车", "keywords: 新能源乘用车, 车", 33, "keywords", `"车": a word needs at least two characters`},
		{"keyword twice", "keywords: 新能源乘用车", "keywords: 新能源乘用车, 新能源乘用车", 33, "keywords", "given twice"},
		{"keyword excluded", "excludes: 磷酸铁锂电池", "excludes: 磷酸铁锂", 13, "excludes", "both a keyword and an exclusion"},
		{"supply target missing", "supplies: car", "supplies: truck", 26, "supplies", `no node "truck" in chain demo`},
		{"supply to itself", "supplies: car", "supplies: cell", 26, "supplies", "supplies itself"},
		{"supply within a branch", "supplies: car", "supplies: cells", 26, "supplies", "in one branch of the tree"},
		{"supply cycle", "products: 纯电动乘用车\n", "products: 纯电动乘用车\nsupplies: cathode\n", 35, "supplies", "cycle: cathode → cell → car → cathode"},
		{"supply twice", "supplies: car", "supplies: car, car", 26, "supplies", `"car" given twice`},
		{"supply into an unknown chain", "supplies: car", "supplies: car, other/node", 26, "supplies", "no node other/node in the library"},
		{"bad weight", "weight:   1.5", "weight:   heavy", 16, "weight", `"heavy": want a number`},
		{"not a field", "products: 电芯\n", "products: 电芯\n电芯很重要\n", 26, "", "want \"key: value\""},
		{"stray indentation", "[node materials] 材料\n", "[node materials] 材料\n   多余的一行\n", 8, "", "indented line continues no field"},
		{"no chain section", "[chain demo] 示例链", "[node demo] 示例链", 2, "", "starts with a [chain ID] section"},
		{"node without name", "[node vehicles] 整车", "[node vehicles]", 28, "name", "needs a name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(goodChain, tt.from) {
				t.Fatalf("test bug: %q not in the good chain", tt.from)
			}
			text := strings.Replace(goodChain, tt.from, tt.to, 1)
			rep, c := readChains(t, map[string]string{"demo.chain": text}, nil)
			want := fmt.Sprintf("demo.chain:%d: ", tt.line)
			if tt.col != "" {
				want += tt.col + ": "
			}
			found := false
			for _, e := range rep.Rejected {
				if strings.HasPrefix(e.Error(), want) && strings.Contains(e.Error(), tt.match) {
					found = true
				}
			}
			if !found {
				t.Errorf("want a rejection %q … %q; got %v", want, tt.match, rep.Rejected)
			}
			if len(c.facts) > 0 {
				t.Errorf("a chain with errors put %d facts", len(c.facts))
			}
		})
	}
}

func TestReadChainFilesAcrossFiles(t *testing.T) {
	other := strings.NewReplacer("[chain demo] 示例链", "[chain other] 另一链", "aliases:  示例产业链", "aliases:  示例产业链, 别名").Replace(goodChain)
	rep, _ := readChains(t, map[string]string{"a.chain": goodChain, "b.chain": other}, nil)
	if len(rep.Rejected) != 1 || !strings.HasPrefix(rep.Rejected[0].Error(), "b.chain:3: aliases: ") || !strings.Contains(rep.Rejected[0].Error(), "also names chain demo") {
		t.Errorf("alias shared by two chains: %v", rep.Rejected)
	}
	same := strings.Replace(goodChain, "aliases:  示例产业链", "aliases:  另一个名字", 1)
	rep, _ = readChains(t, map[string]string{"a.chain": goodChain, "b.chain": same}, nil)
	if len(rep.Rejected) != 1 || !strings.Contains(rep.Rejected[0].Error(), "chain demo is also defined in a.chain") {
		t.Errorf("chain id twice: %v", rep.Rejected)
	}
	// A supply edge into a chain of another file, and into one already loaded.
	cross := strings.Replace(strings.Replace(goodChain, "[chain demo] 示例链", "[chain other] 另一链", 1), "aliases:  示例产业链", "aliases:  另一链条", 1)
	cross = strings.Replace(cross, "supplies: car", "supplies: car, demo/cathode, loaded/node", 1)
	loaded := testSource{graph.Source{ID: "chains/loaded", Kind: graph.KindChains, Title: "loaded"}, []graph.Fact{
		graph.Chain{ID: "loaded", Name: "已载链"},
		graph.ChainNode{ID: "loaded/node", Name: "已载节点"},
	}}
	rep, c := readChains(t, map[string]string{"a.chain": goodChain, "b.chain": cross}, codesIndex(t, loaded))
	if len(rep.Rejected) != 0 || rep.Counts["chains"] != 2 || len(c.facts) != 14 {
		t.Errorf("cross-chain edges: %v, %v", rep.Rejected, rep.Counts)
	}
}

func TestReadChainFilesWithoutCodeBook(t *testing.T) {
	fsys := fstest.MapFS{"demo.chain": &fstest.MapFile{Data: []byte(goodChain)}}
	var c collect
	rep, err := ReadChainFiles(t.Context(), Input{FS: fsys, Paths: []string{"demo.chain"}, Lookups: LookupsOf(indexOf(t))}, &c)
	if err != nil || len(rep.Rejected) != 0 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].Error(), "codes were not checked") {
		t.Errorf("no code book: %v %v %v", err, rep.Rejected, rep.Warnings)
	}
}

func TestReadChainFilesOwner(t *testing.T) {
	fsys := fstest.MapFS{"demo.chain": &fstest.MapFile{Data: []byte(goodChain)}}
	var lib collect
	if _, err := ReadChainFiles(t.Context(), Input{FS: fsys, Paths: []string{"demo.chain"}, Lookups: LookupsOf(codesIndex(t))}, &lib); err != nil {
		t.Fatal(err)
	}
	x := codesIndex(t, testSource{graph.Source{ID: "chains/library", Kind: graph.KindChains, Title: "library"}, lib.facts})
	var c collect
	rep, _ := ReadChainFiles(t.Context(), Input{FS: fsys, Paths: []string{"demo.chain"}, Source: "chains/demo.chain", Lookups: LookupsOf(x)}, &c)
	if len(rep.Rejected) != 1 || !strings.Contains(rep.Rejected[0].Error(), "chain demo is defined by source chains/library") {
		t.Errorf("a chain another source defines: %v", rep.Rejected)
	}
	rep, _ = ReadChainFiles(t.Context(), Input{FS: fsys, Paths: []string{"demo.chain"}, Source: "chains/library", Lookups: LookupsOf(x)}, &c)
	if len(rep.Rejected) != 0 {
		t.Errorf("reloading its own source: %v", rep.Rejected)
	}
}
