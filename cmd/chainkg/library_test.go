package main

import (
	"bytes"
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeChainLibrary checks the done-when on the default data,
// through the running binary: a region with its ancestors, the chain list
// with node counts, one chain by its Chinese name.
func TestServeChainLibrary(t *testing.T) {
	base, _, stop := startServe(t, "mem:")
	defer stop()
	var region struct {
		Name      string `json:"name"`
		Ancestors []struct {
			Code string `json:"code"`
		} `json:"ancestors"`
	}
	getJSON(t, base+"/api/v1/regions/370613", &region)
	if region.Name != "莱山区" || len(region.Ancestors) != 2 || region.Ancestors[1].Code != "370600" {
		t.Errorf("370613 = %+v", region)
	}
	var chains struct {
		Chains []struct {
			ID    string `json:"id"`
			Nodes int    `json:"nodes"`
		} `json:"chains"`
	}
	getJSON(t, base+"/api/v1/chains", &chains)
	if len(chains.Chains) < 24 {
		t.Errorf("%d chains", len(chains.Chains))
	}
	for _, c := range chains.Chains {
		if c.Nodes < 20 {
			t.Errorf("chain %s: %d nodes", c.ID, c.Nodes)
		}
	}
	var nev struct {
		ID   string `json:"id"`
		Tree []struct {
			ID string `json:"id"`
		} `json:"tree"`
		Edges []struct {
			From string `json:"from"`
		} `json:"edges"`
		Segs []struct {
			ID string `json:"id"`
		} `json:"segments"`
	}
	getJSON(t, base+"/api/v1/chains/"+url.PathEscape("新能源汽车"), &nev)
	if nev.ID != "nev" || len(nev.Tree) == 0 || len(nev.Edges) == 0 || len(nev.Segs) != 3 {
		t.Errorf("新能源汽车 = id %s, %d top nodes, %d edges, %d segments", nev.ID, len(nev.Tree), len(nev.Edges), len(nev.Segs))
	}
}

// TestLoadChains loads a directory of chain files as the library, then
// refuses a single file that redefines one of its chains.
func TestLoadChains(t *testing.T) {
	dir := t.TempDir()
	store := "bbolt:" + filepath.Join(dir, "kg.db")
	lib := filepath.Join(dir, "lib")
	writeFileAll(t, filepath.Join(lib, "good.chain"), goodChain)
	ctx := context.Background()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"load", "chains", lib, "--store", store}, &out, &errb); err != nil {
		t.Fatalf("load chains dir: %v\n%s%s", err, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "chains/library: loaded") || !strings.Contains(out.String(), "codes were not checked") {
		t.Errorf("load report:\n%s", out.String())
	}
	out.Reset()
	err := run(ctx, []string{"load", "chains", filepath.Join(lib, "good.chain"), "--store", store, "--strict"}, &out, &errb)
	if err == nil || !strings.Contains(out.String(), "chain good is defined by source chains/library") {
		t.Errorf("a file redefining a library chain: err %v\n%s", err, out.String())
	}
}
