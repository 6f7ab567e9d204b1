package export_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph/graphtest"
)

// TestRDFEvidenceQueries loads the N-Quads of 烟台市 × 新能源汽车 into
// rdflib (Debian's python3-rdflib) and asks SPARQL what a user asks: the
// firms linked to a node with confidence ≥ 0.9 (through each link's
// Evidence node, by number, with its method and source), and the nodes of
// the segment labelled 上游 (a resource, not a packed string). No packed
// nodeEvidence literal is left.
func TestRDFEvidenceQueries(t *testing.T) {
	python := graphtest.Python(t, "rdflib", "python3-rdflib")
	st := nevStore(t)
	s := nevChainMap(t, st)
	f, _ := lookup(t, "nquads")
	p := filepath.Join(t.TempDir(), "map.nq")
	if err := os.WriteFile(p, encode(t, st, f, s), 0o644); err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, rdflib
ds = rdflib.Dataset()
ds.parse(sys.argv[1], format="nquads")
ns = {"ck": rdflib.Namespace("https://chainkg.org/ns#"), "prov": rdflib.Namespace("http://www.w3.org/ns/prov#"),
      "rdfs": rdflib.RDFS}
strong = ds.query("""
SELECT DISTINCT ?firm ?node WHERE { GRAPH ?g {
  ?firm ck:evidence ?e . ?e ck:inNode ?node ; ck:confidence ?c ; ck:method ?m ; prov:wasDerivedFrom ?src .
  FILTER(?c >= 0.9) } }""", initNs=ns)
up = ds.query("""
SELECT DISTINCT ?node WHERE { GRAPH ?g { ?node ck:segment ?s } GRAPH ?h { ?s rdfs:label "上游" } }""", initNs=ns)
packed = ds.query("ASK { GRAPH ?g { ?f ck:nodeEvidence ?v } }", initNs=ns)
print(json.dumps({
  "strong": sorted(str(f).rsplit("/", 1)[1] + " " + str(n).split("/node/", 1)[1] for f, n in strong),
  "up": sorted(str(n).split("/node/", 1)[1] for (n,) in up),
  "packed": bool(packed.askAnswer)}))
`
	out, err := exec.Command(python, "-c", script, p).CombinedOutput()
	if err != nil {
		t.Fatalf("rdflib: %v\n%s", err, out)
	}
	var got struct {
		Strong, Up []string
		Packed     bool
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("rdflib output: %v\n%s", err, out)
	}
	// What the graph says: the links of the scope's firms at 0.9 or more,
	// and the chain's nodes in 上游.
	x := st.Index()
	var want, wantUp []string
	for _, id := range s.Subjects.Firms {
		fm, _ := x.Firm(id)
		for _, l := range fm.Nodes {
			if l.Confidence >= 0.9 {
				want = append(want, string(id)+" "+string(l.Node))
			}
		}
	}
	for _, n := range x.ChainNodes("nev") {
		if n.Segment == "up" {
			wantUp = append(wantUp, string(n.ID))
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	if len(want) == 0 || len(wantUp) == 0 {
		t.Fatal("the fixture has no strong links or no 上游 nodes: the test would prove nothing")
	}
	slices.Sort(wantUp)
	if !slices.Equal(got.Strong, want) {
		t.Errorf("SPARQL: links with confidence ≥ 0.9 = %v\nwant %v", got.Strong, want)
	}
	if !slices.Equal(got.Up, wantUp) {
		t.Errorf("SPARQL: nodes of 上游 = %v, want %v", got.Up, wantUp)
	}
	if got.Packed {
		t.Error("the export still holds packed nodeEvidence literals")
	}
}
