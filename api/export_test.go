package api

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/graphtest"
)

// exportRoutes are the four export scopes on the analytics fixture.
var exportRoutes = map[string]string{
	"chainmap": "/api/v1/regions/370600/chains/ev/export",
	"chain":    "/api/v1/chains/ev/export",
	"firm":     "/api/v1/firms/" + graphtest.CreditCode(2) + "/export",
	"graph":    "/api/v1/export",
}

func TestExportEveryFormat(t *testing.T) {
	s := fixtureServer(t)
	for scope, route := range exportRoutes {
		var js export.JSONScope
		getInto(t, s.Handler(), route+"?format=json", http.StatusOK, &js)
		if js.Counts.Nodes != len(js.Nodes) || js.Counts.Edges != len(js.Edges) || js.Counts.Nodes == 0 {
			t.Errorf("%s json counts = %+v", scope, js.Counts)
		}
		for _, f := range export.Formats() {
			rec := do(t, s.Handler(), "GET", route+"?format="+f.Name)
			if !f.Accepts(export.ScopeKind(js.Kind)) {
				// The picture draws a region × chain only: a clear 400 elsewhere.
				if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), f.Name) {
					t.Errorf("%s %s: %d %s, want 400 naming the format", scope, f.Name, rec.Code, rec.Body)
				}
				continue
			}
			if rec.Code != http.StatusOK {
				t.Errorf("%s %s: %d %s", scope, f.Name, rec.Code, rec.Body)
				continue
			}
			if ct := rec.Header().Get("Content-Type"); ct != f.ContentType {
				t.Errorf("%s %s: Content-Type %q, want %q", scope, f.Name, ct, f.ContentType)
			}
			if rec.Header().Get("X-Chainkg-Nodes") != strconv.Itoa(js.Counts.Nodes) || rec.Header().Get("X-Chainkg-Edges") != strconv.Itoa(js.Counts.Edges) {
				t.Errorf("%s %s: count headers %s/%s, JSON %d/%d", scope, f.Name,
					rec.Header().Get("X-Chainkg-Nodes"), rec.Header().Get("X-Chainkg-Edges"), js.Counts.Nodes, js.Counts.Edges)
			}
			if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, `filename="chainkg-`+scope) || !strings.Contains(cd, "filename*=UTF-8''") {
				t.Errorf("%s %s: Content-Disposition %q", scope, f.Name, cd)
			}
			if rec.Body.Len() == 0 {
				t.Errorf("%s %s: empty body", scope, f.Name)
			}
		}
	}
}

// TestExportMatchesAnalytics checks the region × chain export against the
// API's own answers for the same region and chain.
func TestExportMatchesAnalytics(t *testing.T) {
	s := fixtureServer(t)
	var m ChainMapResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/map", http.StatusOK, &m)
	var tg TargetsResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/targets?size=500", http.StatusOK, &tg)
	var js export.JSONScope
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/export?format=json", http.StatusOK, &js)
	kinds := map[string]int{}
	for _, n := range js.Nodes {
		kinds[n.Kind]++
	}
	if kinds["chain_node"] != len(m.Nodes) || kinds["target"] != tg.Total {
		t.Errorf("export has %d chain nodes and %d targets; the API answers %d nodes and %d targets", kinds["chain_node"], kinds["target"], len(m.Nodes), tg.Total)
	}
	for _, n := range m.Nodes {
		found := false
		for _, e := range js.Nodes {
			if e.ID == "node:"+n.ID {
				found = e.Attrs["level"] == n.Level && e.Attrs["local_firms"] == float64(n.Count)
			}
		}
		if !found {
			t.Errorf("node %s: not in the export with level %s and %d local firms", n.ID, n.Level, n.Count)
		}
	}
	// Target filters are those of …/targets.
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/export?format=json&tags="+url.QueryEscape("专精特新小巨人"), http.StatusOK, &js)
	kinds = map[string]int{}
	for _, n := range js.Nodes {
		kinds[n.Kind]++
	}
	if kinds["target"] != 1 {
		t.Errorf("filtered export: %d targets, want 1 (F7)", kinds["target"])
	}
}

func TestExportErrors(t *testing.T) {
	s := fixtureServer(t)
	tests := []struct {
		path   string
		status int
	}{
		{"/api/v1/regions/370600/chains/ev/export", 400},
		{"/api/v1/regions/370600/chains/ev/export?format=pdf", 400},
		{"/api/v1/regions/370600/chains/ev/export?format=gexf&color=rainbow", 400},
		{"/api/v1/regions/370600/chains/ev/export?format=gexf&size=501", 400},
		{"/api/v1/regions/370600/chains/ev/export?format=gexf&cfg.bogus=1", 400},
		{"/api/v1/regions/999900/chains/ev/export?format=gexf", 404},
		{"/api/v1/regions/370600/chains/nope/export?format=gexf", 404},
		{"/api/v1/chains/nope/export?format=gexf", 404},
		{"/api/v1/firms/123/export?format=gexf", 400},
		{"/api/v1/firms/914403001922038216/export?format=gexf", 404},
		{"/api/v1/firms/" + graphtest.CreditCode(2) + "/export?format=gexf&neighbours=51", 400},
		{"/api/v1/export?format=nope", 400},
		{"/api/v1/regions/370600/chains/ev/map.svg?download=maybe", 400},
		{"/api/v1/regions/370600/chains/nope/map.svg", 404},
		{"/api/v1/picker/regions?parent=12", 400},
		{"/api/v1/picker/regions?parent=990000", 404},
		{"/api/v1/picker/names?regions=1", 400},
	}
	for _, tt := range tests {
		rec := do(t, s.Handler(), "GET", tt.path)
		if rec.Code != tt.status {
			t.Errorf("GET %s = %d, want %d: %s", tt.path, rec.Code, tt.status, rec.Body)
		}
		if rec.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s: not a problem response", tt.path)
		}
	}
}

func TestChainMapSVG(t *testing.T) {
	s := fixtureServer(t)
	rec := do(t, s.Handler(), "GET", "/api/v1/regions/370600/chains/"+url.PathEscape("电动车")+"/map.svg")
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "image/svg+xml") {
		t.Fatalf("map.svg: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	svg := rec.Body.String()
	for _, want := range []string{"烟台市 · 电动车产业链图谱", "正极材料", "负极材料", "充电桩", "空白", "★ F2", "Noto Sans CJK SC", `data-node="ev/anode"`, "marker-end"} {
		if !strings.Contains(svg, want) {
			t.Errorf("map.svg lacks %q", want)
		}
	}
	if rec.Header().Get("Content-Disposition") != "" {
		t.Error("map.svg is a download without download=true")
	}
	rec = do(t, s.Handler(), "GET", "/api/v1/regions/370600/chains/ev/map.svg?download=true")
	if !strings.Contains(rec.Header().Get("Content-Disposition"), "chainkg-map-370600-ev.svg") {
		t.Errorf("download: Content-Disposition %q", rec.Header().Get("Content-Disposition"))
	}
}

func TestPicker(t *testing.T) {
	s := fixtureServer(t)
	var p PickerRegionsResponse
	getInto(t, s.Handler(), "/api/v1/picker/regions", http.StatusOK, &p)
	if p.Parent != nil || len(p.Regions) != 2 || p.Regions[0].Code != "320000" || p.Regions[1].Firms != 6 || p.Regions[1].Children != 3 {
		t.Errorf("provinces = %+v", p)
	}
	// 山东 holds F1–F6 and F9 (cancelled, not counted): 6 active; its cities 济南, 青岛, 烟台.
	getInto(t, s.Handler(), "/api/v1/picker/regions?parent=370000", http.StatusOK, &p)
	if p.Parent == nil || p.Parent.Name != "山东省" || len(p.Regions) != 3 || p.Regions[2].Name != "烟台市" || p.Regions[2].Firms != 4 || p.Regions[2].Children != 2 {
		t.Errorf("cities of 山东 = %+v", p)
	}
	var n RegionNamesResponse
	getInto(t, s.Handler(), "/api/v1/picker/names?regions=370613,320500,110000", http.StatusOK, &n)
	if len(n.Regions) != 2 || n.Regions[0].Path != "山东省烟台市莱山区" || n.Regions[1].Path != "江苏省苏州市" {
		t.Errorf("names = %+v", n)
	}
}

// networkxPythons returns the python3 interpreters that import networkx,
// each with its networkx version: Debian's /usr/bin/python3 (python3-networkx,
// what CI installs) is required; a python3 on PATH with another networkx
// (3.x from pip) is tested as well when there is one.
func networkxPythons(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"/usr/bin/python3", "python3"} {
		p, err := exec.LookPath(name)
		if err != nil {
			continue
		}
		v, err := exec.Command(p, "-c", "import networkx; print(networkx.__version__)").Output()
		if err != nil {
			continue
		}
		if _, dup := out[strings.TrimSpace(string(v))]; !dup {
			out[strings.TrimSpace(string(v))] = p
		}
	}
	if _, err := exec.Command("/usr/bin/python3", "-c", "import networkx").Output(); err != nil {
		graphtest.Python(t, "networkx", "python3-networkx") // skips, or fails under CI
		t.Skip("Debian's /usr/bin/python3 has no networkx (apt-get install python3-networkx)")
	}
	return out
}

// TestNetworkxReadsExports has networkx, unpatched, read the GraphML and
// the GEXF of every scope: Debian's python3-networkx (2.8.8 on Debian 12)
// and any other networkx on PATH (3.x). Node and edge counts match the
// API's JSON; the attributes users filter on are there; every GEXF node
// has a colour, a size and a position, and every GraphML node a colour.
func TestNetworkxReadsExports(t *testing.T) {
	pythons := networkxPythons(t)
	s := fixtureServer(t)
	dir := t.TempDir()
	want := map[string][2]int{}
	var files []string
	for scope, route := range exportRoutes {
		var js export.JSONScope
		getInto(t, s.Handler(), route+"?format=json", http.StatusOK, &js)
		want[scope] = [2]int{js.Counts.Nodes, js.Counts.Edges}
		for _, f := range []string{"graphml", "gexf"} {
			rec := do(t, s.Handler(), "GET", route+"?format="+f)
			p := filepath.Join(dir, scope+"."+f)
			if err := os.WriteFile(p, rec.Body.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, p)
		}
	}
	const script = `
import json, sys
import networkx as nx
out = {}
for p in sys.argv[1:]:
    g = nx.read_graphml(p) if p.endswith(".graphml") else nx.read_gexf(p)
    attrs = set()
    drawn = 0
    for _, d in g.nodes(data=True):
        attrs.update(d.keys())
        viz = d.get("viz", {})
        if p.endswith(".gexf"):
            if "color" in viz and "position" in viz and "size" in viz and "x" in viz["position"]:
                drawn += 1
        elif d.get("color", "").startswith("#"):
            drawn += 1
    for _, _, d in g.edges(data=True):
        attrs.update(d.keys())
    out[p] = {"nodes": g.number_of_nodes(), "edges": g.number_of_edges(), "attrs": sorted(attrs), "drawn": drawn}
print(json.dumps(out))
`
	for version, python := range pythons {
		t.Run("networkx-"+version, func(t *testing.T) {
			out, err := exec.Command(python, append([]string{"-c", script}, files...)...).CombinedOutput()
			if err != nil {
				t.Fatalf("networkx %s (%s): %v\n%s", version, python, err, out)
			}
			var got map[string]struct {
				Nodes, Edges, Drawn int
				Attrs               []string
			}
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("networkx output: %v\n%s", err, out)
			}
			for _, p := range files {
				scope := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
				g := got[p]
				if g.Nodes != want[scope][0] || g.Edges != want[scope][1] {
					t.Errorf("networkx reads %s as %d nodes, %d edges; the API's JSON has %d, %d", filepath.Base(p), g.Nodes, g.Edges, want[scope][0], want[scope][1])
				}
				if g.Drawn != g.Nodes {
					t.Errorf("networkx reads colour, size and position of %d of the %d nodes of %s", g.Drawn, g.Nodes, filepath.Base(p))
				}
				attrs := " " + strings.Join(g.Attrs, " ") + " "
				for _, a := range []string{"label", "kind", "level", "segment", "chain_node", "confidence", "method", "data_source"} {
					if !strings.Contains(attrs, " "+a+" ") {
						t.Errorf("networkx reads no %s attribute in %s (has %s)", a, filepath.Base(p), attrs)
					}
				}
			}
		})
	}
}

// TestExportZipsOpen checks the CSV archives hold what their importers expect.
func TestExportZipsOpen(t *testing.T) {
	s := fixtureServer(t)
	for format, files := range map[string][]string{"gephi-csv": {"nodes.csv", "edges.csv"}, "neo4j-csv": {"nodes.csv", "relationships.csv", "README.txt"}} {
		rec := do(t, s.Handler(), "GET", exportRoutes["chainmap"]+"?format="+format)
		z, err := zip.NewReader(bytes.NewReader(rec.Body.Bytes()), int64(rec.Body.Len()))
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var names []string
		for _, f := range z.File {
			names = append(names, f.Name)
		}
		if strings.Join(names, ",") != strings.Join(files, ",") {
			t.Errorf("%s holds %v, want %v", format, names, files)
		}
		r, _ := z.Open(files[1])
		var b bytes.Buffer
		b.ReadFrom(r)
		head, _, _ := strings.Cut(b.String(), "\n")
		want := map[string]string{"gephi-csv": "Source,Target,Type,Id,Label,Weight", "neo4j-csv": ":START_ID,:END_ID,:TYPE"}[format]
		if !strings.HasPrefix(head, want) {
			t.Errorf("%s %s header %q, want it to start %q", format, files[1], head, want)
		}
	}
}
