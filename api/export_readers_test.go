package api

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/graphtest"
)

// jsLibs returns the node_modules directory that holds the JavaScript
// libraries users open exports with (cytoscape, echarts, @antv/g6,
// graphology, graphology-gexf), named by CHAINKG_JS_LIBS; .ci/run installs
// them from npm. Without it the test skips, or fails under CI=true.
func jsLibs(t *testing.T, pkgs ...string) string {
	t.Helper()
	dir := os.Getenv("CHAINKG_JS_LIBS")
	why := ""
	if dir == "" {
		why = "CHAINKG_JS_LIBS is not set (a node_modules directory with " + fmtList(pkgs) + "; see .ci/run)"
	} else {
		for _, p := range pkgs {
			if _, err := os.Stat(filepath.Join(dir, p, "package.json")); err != nil {
				why = "CHAINKG_JS_LIBS=" + dir + " has no " + p
				break
			}
		}
	}
	if why != "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but " + why)
		}
		t.Skip(why)
	}
	return dir
}

func fmtList(s []string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestGraphologyReadsGEXF has graphology-gexf (what Gephi Lite opens GEXF
// with) parse the GEXF of every scope in Node.js: counts match the API's
// JSON, and every node has a colour, a size, x and y and the attributes
// users filter on.
func TestGraphologyReadsGEXF(t *testing.T) {
	libs := jsLibs(t, "graphology", "graphology-gexf")
	node := graphtest.Tool(t, "node", "nodejs")
	s := fixtureServer(t)
	dir := t.TempDir()
	const script = `
const fs = require('fs');
const Graph = require('graphology');
const gexf = require('graphology-gexf');
const out = {};
for (const p of process.argv.slice(1)) {
  const g = gexf.parse(Graph, fs.readFileSync(p, 'utf8'), {allowUndeclaredAttributes: true});
  let drawn = 0, filterable = 0;
  g.forEachNode((k, a) => {
    if (typeof a.color === 'string' && a.color.length > 0 && a.size > 0 && Number.isFinite(a.x) && Number.isFinite(a.y)) drawn++;
    if (['level', 'segment', 'chain_node', 'confidence', 'method', 'data_source'].every(f => f in a)) filterable++;
  });
  out[p] = {nodes: g.order, edges: g.size, drawn, filterable};
}
console.log(JSON.stringify(out));
`
	want := map[string][2]int{}
	var files []string
	for scope, route := range exportRoutes {
		var js export.JSONScope
		getInto(t, s.Handler(), route+"?format=json", http.StatusOK, &js)
		want[scope] = [2]int{js.Counts.Nodes, js.Counts.Edges}
		p := filepath.Join(dir, scope+".gexf")
		if err := os.WriteFile(p, do(t, s.Handler(), "GET", route+"?format=gexf").Body.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	cmd := exec.Command(node, append([]string{"-e", script}, files...)...)
	cmd.Env = append(os.Environ(), "NODE_PATH="+libs)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("graphology-gexf: %v\n%s", err, out)
	}
	var got map[string]struct{ Nodes, Edges, Drawn, Filterable int }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("graphology output: %v\n%s", err, out)
	}
	for _, p := range files {
		scope := filepath.Base(p[:len(p)-len(".gexf")])
		g := got[p]
		if g.Nodes != want[scope][0] || g.Edges != want[scope][1] {
			t.Errorf("graphology reads %s as %d nodes, %d edges; the API's JSON has %d, %d\n%s", scope, g.Nodes, g.Edges, want[scope][0], want[scope][1], out)
		}
		if g.Drawn != g.Nodes || g.Filterable != g.Nodes {
			t.Errorf("graphology: %s: %d of %d nodes drawn (colour, size, x, y), %d with every filter attribute", scope, g.Drawn, g.Nodes, g.Filterable)
		}
	}
}
