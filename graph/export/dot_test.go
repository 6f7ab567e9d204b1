package export_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph/graphtest"
)

// TestDOTRanksUpstreamFirst renders the DOT of 烟台市 × 新能源汽车 with
// Graphviz and checks the segments read in chain order, left to right:
// every 上游 node left of every 中游 node, and those left of 下游.
func TestDOTRanksUpstreamFirst(t *testing.T) {
	dot := graphtest.Tool(t, "dot", "graphviz")
	st := nevStore(t)
	s := nevChainMap(t, st)
	f, _ := lookup(t, "dot")
	cmd := exec.Command(dot, "-Tplain")
	cmd.Stdin = bytes.NewReader(encode(t, st, f, s))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot: %v", err)
	}
	x := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) > 3 && fs[0] == "node" {
			v, _ := strconv.ParseFloat(fs[2], 64)
			x[strings.Trim(fs[1], `"`)] = v
		}
	}
	lo, hi := map[string]float64{}, map[string]float64{}
	for _, n := range s.Nodes {
		if n.Kind != "chain_node" {
			continue
		}
		v, ok := x[n.ID]
		if !ok {
			t.Fatalf("%s is not in dot's output", n.ID)
		}
		seg := n.Attrs.Segment
		if _, ok := lo[seg]; !ok || v < lo[seg] {
			lo[seg] = v
		}
		if v > hi[seg] {
			hi[seg] = v
		}
	}
	if !(hi["up"] < lo["mid"] && hi["mid"] < lo["down"]) {
		t.Errorf("segments out of order, left to right: 上游 %.1f–%.1f, 中游 %.1f–%.1f, 下游 %.1f–%.1f",
			lo["up"], hi["up"], lo["mid"], hi["mid"], lo["down"], hi["down"])
	}
}
