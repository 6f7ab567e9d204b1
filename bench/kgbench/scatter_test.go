package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
)

func TestAssignProvinces(t *testing.T) {
	// Largest first, each to the lighter partition: 37 → 1, 32 → 2,
	// 44 → 2 (40 < 50), 11 → 1 (50 < 70).
	got := assignProvinces(map[string]int{"37": 50, "32": 40, "44": 30, "11": 20}, 2)
	want := [][]string{{"11", "37"}, {"32", "44"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// creditCode is a valid credit code of a firm registered in region.
func creditCode(t *testing.T, region, serial string) string {
	t.Helper()
	p := "91" + region + serial
	c, err := graph.CreditCheckChar(p)
	if err != nil {
		t.Fatal(err)
	}
	return p + string(c)
}

func TestProvinceOf(t *testing.T) {
	valid := creditCode(t, "370600", "MA3C00000")
	for _, tc := range []struct{ code, want string }{
		{valid, "37"},
		{creditCode(t, "110105", "MA3C00000"), "11"},
		{valid[:17] + "Z", ""}, // a wrong check character
		{"91x", ""},
		{"91AB0000MA3C000000", ""},
	} {
		if got := provinceOf(tc.code); got != tc.want {
			t.Errorf("provinceOf(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

func TestSplitRegistry(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "firms.csv")
	a, b, c, d := creditCode(t, "370600", "AAAAAAAAA"), creditCode(t, "370200", "BBBBBBBBB"), creditCode(t, "320500", "CCCCCCCCC"), creditCode(t, "110105", "DDDDDDDDD")
	rows := "\ufeff企业名称,统一社会信用代码\n甲," + a + "\n乙," + b + "\n丙," + c + "\n丁," + d + "\n"
	if err := os.WriteFile(in, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"split", "--registry", in, "--parts", "2", "--out", dir}, &out); err != nil {
		t.Fatal(err)
	}
	routes, _ := os.ReadFile(filepath.Join(dir, "routes.txt"))
	if got, want := string(routes), "37\n11,32\n"; got != want {
		t.Errorf("routes %q, want %q", got, want)
	}
	part2, _ := os.ReadFile(filepath.Join(dir, "part-2.csv"))
	if got, want := string(part2), "\ufeff企业名称,统一社会信用代码\n丙,"+c+"\n丁,"+d+"\n"; got != want {
		t.Errorf("part-2.csv %q, want %q", got, want)
	}
	// A firm whose credit code names no province belongs to no partition.
	if err := os.WriteFile(in, []byte(rows+"戊,91\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"split", "--registry", in, "--parts", "2", "--out", dir}, &out); err == nil || !strings.Contains(err.Error(), "row 6") {
		t.Errorf("a row without a province: %v", err)
	}
}

func TestParseScatterArgs(t *testing.T) {
	routes := filepath.Join(t.TempDir(), "routes.txt")
	if err := os.WriteFile(routes, []byte("37,11\n32\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ok := []string{"--all", "http://127.0.0.1:8090", "--parts", "http://127.0.0.1:8091,http://localhost:8092", "--routes", routes}
	a, err := parseScatterArgs(ok)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.routes, [][]string{{"37", "11"}, {"32"}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("routes %v, want %v", got, want)
	}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"all elsewhere":    {[]string{"--all", "http://10.0.0.1:8090", "--parts", "http://127.0.0.1:8091,http://127.0.0.1:8092", "--routes", routes}, "not a loopback"},
		"a part elsewhere": {[]string{"--all", "http://127.0.0.1:8090", "--parts", "http://127.0.0.1:8091,http://example.com", "--routes", routes}, "not a loopback"},
		"one part":         {[]string{"--all", "http://127.0.0.1:8090", "--parts", "http://127.0.0.1:8091", "--routes", routes}, "two or more"},
		"no routes":        {[]string{"--all", "http://127.0.0.1:8090", "--parts", "http://127.0.0.1:8091,http://127.0.0.1:8092"}, "required"},
		"three parts":      {[]string{"--all", "http://127.0.0.1:8090", "--parts", "http://127.0.0.1:8091,http://127.0.0.1:8092,http://127.0.0.1:8093", "--routes", routes}, "routes has 2 partitions"},
		"no repetition":    {append(slices.Clone(ok), "--n", "0"), "--n 0"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := parseScatterArgs(tc.args); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

func TestParseRoutes(t *testing.T) {
	for _, tc := range []struct {
		text, want string
	}{
		{"37,11\n37\n", "province 37 in partitions 1 and 2"},
		{"37\n3\n", `"3" is not a province prefix`},
		{"37\n00\n", `"00" is not a province prefix`},
	} {
		if _, err := parseRoutes(tc.text, 2); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got %v, want %q", tc.text, err, tc.want)
		}
	}
}

// owner37 is the routing of the merge tests: 37 in partition 1, 32 in
// partition 2, no one owns 11.
func owner37(region string) (int, bool) {
	switch region[:2] {
	case "37":
		return 0, true
	case "32":
		return 1, true
	}
	return 0, false
}

func TestMergeSearch(t *testing.T) {
	hit := func(id, name string, score float64) api.SearchHitResponse {
		return api.SearchHitResponse{Kind: "firm", ID: id, Name: name, Score: score}
	}
	// D is a default firm both partitions hold; it is kept once.
	p1 := &api.SearchResponse{Query: "q", Hits: []api.SearchHitResponse{hit("A", "烟台甲公司", 0.9), hit("D", "丁", 0.75), hit("C", "烟台丙有限公司", 0.75)}}
	p2 := &api.SearchResponse{Query: "q", Hits: []api.SearchHitResponse{hit("B", "苏州乙公司", 1), hit("D", "丁", 0.75), hit("E", "戊公司", 0.75)}}
	got := mergeSearch([]*api.SearchResponse{p1, p2}, 4)
	var ids []string
	for _, h := range got.Hits {
		ids = append(ids, h.ID)
	}
	// Score, then the shorter name, then the id; C falls off the page.
	if want := []string{"B", "A", "D", "E"}; !slices.Equal(ids, want) {
		t.Errorf("merged %v, want %v", ids, want)
	}
	// The one process chose C over E at 0.75 (by size, which a hit does
	// not carry): the merge cannot know it, and the difference is reported
	// as lying in the lowest score only.
	single := &api.SearchResponse{Hits: []api.SearchHitResponse{hit("B", "苏州乙公司", 1), hit("A", "烟台甲公司", 0.9), hit("D", "丁", 0.75), hit("C", "烟台丙有限公司", 0.75)}}
	d := diffSearchPages(single, got)
	if len(d) == 0 || !strings.Contains(d[0], "same firms: false; same firms above the page's lowest score 0.75: true") {
		t.Errorf("diff %q", d)
	}
	if d := diffSearchPages(got, got); d != nil {
		t.Errorf("a page differs from itself: %q", d)
	}
}

func TestMergePicker(t *testing.T) {
	picker := func(firms37, firms32, firms11 int) *api.PickerRegionsResponse {
		return &api.PickerRegionsResponse{Regions: []api.PickerRegionResponse{
			{Code: "110000", Firms: firms11}, {Code: "320000", Firms: firms32}, {Code: "370000", Firms: firms37}}}
	}
	// Partition 1 holds 37's 100 firms, partition 2 32's 80; each also
	// holds the default data's 5 firms in every province.
	got, err := mergePicker([]*api.PickerRegionsResponse{picker(105, 5, 5), picker(5, 85, 5)}, owner37)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffPicker(picker(105, 85, 5), got); d != nil {
		t.Errorf("merged differs: %q", d)
	}
	if d := diffPicker(picker(105, 85, 6), got); len(d) != 1 {
		t.Errorf("a wrong count gave %q", d)
	}
	// A province no one owns must look the same in every partition.
	if _, err := mergePicker([]*api.PickerRegionsResponse{picker(105, 5, 5), picker(5, 85, 7)}, owner37); err == nil {
		t.Error("partitions disagreeing on an unowned province were merged")
	}
}

func TestMergeNode(t *testing.T) {
	firm := func(id string, capital, revenue float64) api.FirmRefResponse {
		return api.FirmRefResponse{ID: id, Capital: capital, Revenue: revenue}
	}
	counts := func(cs ...any) []api.RegionCountResponse {
		var out []api.RegionCountResponse
		for i := 0; i < len(cs); i += 2 {
			out = append(out, api.RegionCountResponse{Region: cs[i].(string), Count: cs[i+1].(int)})
		}
		return out
	}
	// Each partition holds 2 default firms in 370000 and 1 in 110000, and 3
	// with no province; partition 1 has 10 of its own in 37, partition 2 6 in 32.
	p1 := &api.NodeDetailResponse{National: 16, Provinces: counts("370000", 12, "110000", 1),
		TopFirms: []api.FirmRefResponse{firm("A", 0, 50), firm("D", 9000, 0)}}
	p2 := &api.NodeDetailResponse{National: 12, Provinces: counts("320000", 6, "370000", 2, "110000", 1),
		TopFirms: []api.FirmRefResponse{firm("D", 9000, 0), firm("B", 10000, 0)}}
	got, err := mergeNode([]*api.NodeDetailResponse{p1, p2}, owner37)
	if err != nil {
		t.Fatal(err)
	}
	want := &api.NodeDetailResponse{National: 22, Provinces: counts("370000", 12, "320000", 6, "110000", 1),
		TopFirms: []api.FirmRefResponse{firm("A", 0, 50), firm("B", 10000, 0)}}
	if d := diffNode(want, got); d != nil {
		t.Errorf("merged differs: %q", d)
	}
	// Partitions that disagree on the firms in no province cannot be merged.
	p2.National++
	if _, err := mergeNode([]*api.NodeDetailResponse{p1, p2}, owner37); err == nil {
		t.Error("partitions disagreeing on the firms in no province were merged")
	}
}

func TestNationwideCounts(t *testing.T) {
	m := func(nodes ...api.MapNodeResponse) *api.ChainMapResponse { return &api.ChainMapResponse{Nodes: nodes} }
	shandong := m(api.MapNodeResponse{ID: "ev/cell", Count: 3}, api.MapNodeResponse{ID: "ev/anode", Count: 1})
	jiangsu := m(api.MapNodeResponse{ID: "ev/cell", Count: 2})
	got := sumNodeCounts([]*api.ChainMapResponse{shandong, jiangsu})
	single := nationalCounts(m(api.MapNodeResponse{ID: "ev/cell", National: 5}, api.MapNodeResponse{ID: "ev/anode", National: 1}))
	if d := diffCounts(single, got); d != nil {
		t.Errorf("sums differ: %q", d)
	}
	single["ev/anode"] = 2
	if d := diffCounts(single, got); len(d) != 1 {
		t.Errorf("a wrong sum gave %q", d)
	}
}

func TestLocalPart(t *testing.T) {
	a := &mapAnswer{RegionFirms: 10, Completeness: 0.5, Levels: map[string]int{"优势": 1},
		Nodes: map[string]mapNode{"ev/cell": {Count: 3, National: 50, Level: "优势", Top: []string{"A"}}}}
	b := &mapAnswer{RegionFirms: 10, Completeness: 0.4, Levels: map[string]int{"潜力": 1},
		Nodes: map[string]mapNode{"ev/cell": {Count: 3, National: 20, Level: "潜力", Top: []string{"A"}}}}
	if d := diffMap(localPart(a), localPart(b)); d != nil {
		t.Errorf("local parts differ: %q", d)
	}
	if d := diffMapRouted(a, b); len(d) == 0 || d[0] != "local part (counts, capital, revenue, tags, top firms) the same: true; level differs on 1 of 1 nodes" {
		t.Errorf("routed diff %q", d)
	}
	b.Nodes["ev/cell"] = mapNode{Count: 4, National: 50, Level: "优势", Top: []string{"A"}}
	if d := diffMap(localPart(a), localPart(b)); len(d) != 1 {
		t.Errorf("a local count that differs gave %q", d)
	}
}

func TestDiffGapsRouted(t *testing.T) {
	a := &gapsAnswer{Gaps: []gapAnswer{{Node: "ev/cell", Severity: 90}, {Node: "ev/anode", Severity: 80}}}
	b := &gapsAnswer{Gaps: []gapAnswer{{Node: "ev/anode", Severity: 91}, {Node: "ev/cell", Severity: 80}}}
	if d := diffGapsRouted(a, b); len(d) == 0 || d[0] != "the same nodes are gaps: true (2 and 2 gaps)" {
		t.Errorf("reordered gaps gave %q", d)
	}
	b.Gaps = b.Gaps[:1]
	if d := diffGapsRouted(a, b); len(d) == 0 || d[0] != "the same nodes are gaps: false (2 and 1 gaps)" {
		t.Errorf("a missing gap gave %q", d)
	}
	if d := diffGapsRouted(a, a); d != nil {
		t.Errorf("gaps differ from themselves: %q", d)
	}
}

// TestScatterAgainstFixture runs the mode end to end with every
// "partition" holding the whole fixture: each province then comes from its
// owner whole, so every merged answer must equal the one process's.
func TestScatterAgainstFixture(t *testing.T) {
	var urls []string
	for range 3 {
		s := api.New(api.Config{})
		s.SetStore(graphtest.Analytics(t))
		srv := httptest.NewServer(s.Handler())
		defer srv.Close()
		urls = append(urls, srv.URL)
	}
	routes := filepath.Join(t.TempDir(), "routes.txt")
	if err := os.WriteFile(routes, []byte("37\n11,31,32,33,44\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := run(context.Background(), []string{"scatter", "--all", urls[0], "--parts", urls[1] + "," + urls[2], "--routes", routes,
		"--regions", "370600,370100", "--chains", "ev", "--search", "F1,负极", "--n", "3"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"search F1", "provinces' firm counts", "nationwide", "map 370600 ev", "routed to partition 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
