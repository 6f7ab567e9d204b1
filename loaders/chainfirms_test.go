package loaders

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// placedFixture is fixtureStore (regions of 山东, 北京, 广东 …; the small
// nev chain) with what the loaders that place named firms resolve against:
//
//	crosswalk 汽车 → nev (0.8)
//	firms  x-jia   山东甲电池股份有限公司 (甲电池)   山东省 only
//	       x-byd   比亚迪股份有限公司 (比亚迪)        深圳市
//	       x-yi    烟台乙材料有限公司 (乙材料)        芝罘区
func placedFixture(t *testing.T) *store.Store {
	t.Helper()
	st := fixtureStore(t)
	ctx := context.Background()
	put := func(src graph.Source, facts ...graph.Fact) {
		t.Helper()
		if _, err := st.Replace(ctx, src, graph.Facts(facts...)); err != nil {
			t.Fatal(err)
		}
	}
	put(graph.Source{ID: "chains/crosswalk-fixture", Kind: graph.KindChains},
		graph.CrosswalkEntry{Phrase: "汽车", Chains: []graph.ChainID{"nev"}, Confidence: 0.8})
	put(graph.Source{ID: "registry/fixture-firms", Kind: graph.KindRegistry},
		graph.Firm{ID: "x-jia", Name: "山东甲电池股份有限公司", ShortName: "甲电池", Region: "370000", RegionMethod: "listing"},
		graph.Firm{ID: "x-byd", Name: "比亚迪股份有限公司", ShortName: "比亚迪", Region: "440300", RegionMethod: "listing"},
		graph.Firm{ID: "x-yi", Name: "烟台乙材料有限公司", ShortName: "乙材料", Region: "370602", RegionMethod: "column"},
	)
	return st
}

// chainFirmsCSV: each row is commented with what it tests; the line
// numbers count the header as line 1.
const chainFirmsCSV = `region_code,chain,link,node,firm_name,role,source_url,source_date,quote
370600,汽车产业,动力电池,,甲电池,龙头,http://a.example/1,2024-05-01,甲电池的动力电池
烟台市,汽车产业,整车(商用车),,比亚迪,链主,http://a.example/2,2024,比亚迪烟台基地
370600,新能源汽车,售后金融,nev/charging,乙材料,配套,,,
370600,汽车产业,汽车金融服务,,丙公司,配套,,,
370613,汽车产业,动力电池,,丙公司有限公司,配套,,,
370600,汽车产业,动力电池,,,配套,,,
朝阳,汽车产业,动力电池,,丁公司,,,,
370699,汽车产业,动力电池,,戊公司,,,,
`

// The rows of chainFirmsCSV:
//
//	2 甲电池: chain through the crosswalk (汽车产业 → 汽车 → nev 0.8), link
//	  by keyword (动力电池 → nev/battery, 0.9×0.8); known only at 山东省,
//	  so placed in 烟台 with the page's date
//	3 比亚迪 of 深圳 in 烟台's chain: not moved; a firm of 烟台 enters, member
//	  of it; link through a node's name (整车 in 整车制造, 0.8×0.9×0.8)
//	4 乙材料: an explicit node id (0.9); already in 芝罘区, within 烟台: stays
//	5 丙公司: words that reach no node: reported, still placed in 烟台
//	6 丙公司有限公司 in 莱山区: the same firm as row 5 (kind words aside,
//	  regions nest); the finer region wins, and its link is added
//	7 no firm name; 8 a region name two regions share; 9 a code no region has
func TestReadChainFirms(t *testing.T) {
	st := placedFixture(t)
	var c collect
	rep, err := ReadChainFirms(t.Context(), Input{R: strings.NewReader(chainFirmsCSV), File: "chain-firms.csv", Lookups: LookupsOf(st.Index())}, &c)
	if err != nil {
		t.Fatal(err)
	}
	firms := map[graph.FirmID]graph.Firm{}
	for _, f := range firmsOf(&c) {
		if _, dup := firms[f.ID]; dup {
			t.Errorf("firm %s put twice", f.ID)
		}
		firms[f.ID] = f
	}
	rowID := func(line string) graph.FirmID {
		id, err := graph.SurrogateFirmID("chain-firms-row-" + line)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	type link struct {
		node graph.NodeID
		conf float64
	}
	tests := []struct {
		name     string
		id       graph.FirmID
		firmName string // "" for a registry firm (the source does not restate its name)
		region   graph.RegionCode
		method   string
		asOf     string
		memberOf []graph.FirmID
		links    []link
		roles    []string
	}{
		{"crosswalk, province-only firm placed", "x-jia", "", "370600", methodNamedInSource, "2024-05-01", nil,
			[]link{{"nev/battery", 0.72}}, []string{"烟台市 汽车产业 动力电池: 龙头"}},
		{"firm of another city: a local plant", rowID("3"), "比亚迪", "370600", methodNamedInSource, "2024", []graph.FirmID{"x-byd"},
			[]link{{"nev/vehicle", 0.576}}, []string{"烟台市 汽车产业 整车(商用车): 链主"}},
		{"explicit node, firm already within the region", "x-yi", "", "", "", "", nil,
			[]link{{"nev/charging", 0.9}}, []string{"烟台市 新能源汽车 售后金融: 配套"}},
		{"unmatched link, then a finer row of the same firm", rowID("5"), "丙公司", "370613", methodNamedInSource, "", nil,
			[]link{{"nev/battery", 0.72}}, []string{"烟台市 汽车产业 汽车金融服务: 配套", "莱山区 汽车产业 动力电池: 配套"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := firms[tt.id]
			if !ok {
				t.Fatalf("no firm %s put; put %v", tt.id, firms)
			}
			if f.Name != tt.firmName {
				t.Errorf("name = %q, want %q", f.Name, tt.firmName)
			}
			if f.Region != tt.region || f.RegionMethod != tt.method || f.RegionAsOf != tt.asOf {
				t.Errorf("region = %s (%s, %s), want %s (%s, %s)", f.Region, f.RegionMethod, f.RegionAsOf, tt.region, tt.method, tt.asOf)
			}
			if !slices.Equal(f.MemberOf, tt.memberOf) {
				t.Errorf("member of %v, want %v", f.MemberOf, tt.memberOf)
			}
			var got []link
			for _, l := range f.Nodes {
				if l.Method != methodNamedInSource {
					t.Errorf("link %s: method %q, want %q", l.Node, l.Method, methodNamedInSource)
				}
				got = append(got, link{l.Node, l.Confidence})
			}
			if !slices.Equal(got, tt.links) {
				t.Errorf("links %v, want %v", got, tt.links)
			}
			for _, r := range tt.roles {
				if !slices.Contains(f.Attrs, graph.Attr{Key: "产业链角色", Value: r}) {
					t.Errorf("attrs %v: no role %q", f.Attrs, r)
				}
			}
		})
	}
	// 比亚迪 itself is not restated: its region stays 深圳's.
	if f, ok := firms["x-byd"]; ok {
		t.Errorf("比亚迪 of 深圳 restated by a 烟台 page: %+v", f)
	}
	if len(firms) != len(tests) {
		t.Errorf("%d firms put, want %d: %v", len(firms), len(tests), firms)
	}

	type pos struct {
		line   int
		column string
	}
	posOf := func(es []*ParseError) []pos {
		var out []pos
		for _, e := range es {
			if e.File != "chain-firms.csv" {
				t.Errorf("%v: file %q", e, e.File)
			}
			out = append(out, pos{e.Line, e.Column})
		}
		return out
	}
	if got, want := posOf(rep.Rejected), []pos{{7, "firm_name"}, {8, "region_code"}, {9, "region_code"}}; !slices.Equal(got, want) {
		t.Errorf("rejected at %v, want %v: %v", got, want, rep.Rejected)
	}
	if got, want := posOf(rep.Warnings), []pos{{3, "firm_name"}, {5, "link"}}; !slices.Equal(got, want) {
		t.Errorf("warnings at %v, want %v: %v", got, want, rep.Warnings)
	}
	for k, want := range map[string]int{
		"links:unmatched": 1, "links:node-name-contains": 1, "links:" + methodNamedInSource: 4,
		"region:contradiction": 1, "region:placed-finer": 1, "firm:new": 2,
	} {
		if got := rep.Counts[k]; got != want {
			t.Errorf("count %s = %d, want %d (%v)", k, got, want, rep.Counts)
		}
	}
	if rep.Rows != 8 || rep.Loaded != 5 {
		t.Errorf("rows %d, loaded %d; want 8, 5", rep.Rows, rep.Loaded)
	}
}

// TestReadChainFirmsHeader checks the layout: Chinese headers in any order,
// and a file without a column a row needs rejected whole, naming the file
// and line 1, with nothing put.
func TestReadChainFirmsHeader(t *testing.T) {
	st := placedFixture(t)
	t.Run("chinese headers", func(t *testing.T) {
		var c collect
		rep, err := ReadChainFirms(t.Context(), Input{R: strings.NewReader("企业名称,环节,地区,产业链\n甲电池,动力电池,烟台市,汽车产业\n"), File: "名单.csv", Lookups: LookupsOf(st.Index())}, &c)
		if err != nil {
			t.Fatal(err)
		}
		fs := firmsOf(&c)
		if len(fs) != 1 || fs[0].ID != "x-jia" || fs[0].Region != "370600" || len(fs[0].Nodes) != 1 || fs[0].Nodes[0].Node != "nev/battery" {
			t.Errorf("firms %+v (report %v)", fs, rep)
		}
	})
	for _, tt := range []struct {
		name, csv, want string
	}{
		{"no firm column", "region_code,link\n370600,动力电池\n", "firm_name"},
		{"no region column", "firm_name,link\n甲电池,动力电池\n", "region_code"},
		{"neither link nor node", "region_code,firm_name,chain\n370600,甲电池,汽车产业\n", "link or node"},
		{"empty file", "", "empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var c collect
			_, err := ReadChainFirms(t.Context(), Input{R: strings.NewReader(tt.csv), File: "list.csv", Lookups: LookupsOf(st.Index())}, &c)
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrRejected) || pe.File != "list.csv" || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a rejection of list.csv naming %q", err, tt.want)
			}
			if tt.csv != "" && pe.Line != 1 {
				t.Errorf("line %d, want 1 (the header)", pe.Line)
			}
			if len(c.facts) != 0 {
				t.Errorf("a rejected file put %d facts", len(c.facts))
			}
		})
	}
}
