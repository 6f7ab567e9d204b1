package export_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unicode"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

// labelBox is where a node and its label are drawn, by the tools' own
// rules: a chain node's label inside its box, a firm's under its disc (G6's
// labelPlacement bottom, Cytoscape's text-valign bottom), a CJK glyph one
// em wide, Latin letters and digits 0.6 em.
type rect struct{ x0, y0, x1, y1 float64 }

func textW(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || r >= 0x2E80 {
			w += size
		} else {
			w += 0.6 * size
		}
	}
	return w
}

func labelBox(n export.Node) rect {
	if n.Kind == export.KindChainNode || n.Kind == export.KindChain {
		w := textW(n.Label, 12) + 16
		return rect{n.X - w/2, n.Y - 13, n.X + w/2, n.Y + 13}
	}
	w := math.Max(textW(n.Label, 11), n.Size)
	return rect{n.X - w/2, n.Y - n.Size/2, n.X + w/2, n.Y + n.Size/2 + 4 + 13}
}

func overlap(a, b rect) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// TestLabelsApart checks that no two nodes' labels (or boxes) overlap at
// the exported size, in every scope of both fixtures.
func TestLabelsApart(t *testing.T) {
	_, sc := scopes(t)
	st := nevStore(t)
	sc["nev-chainmap"] = nevChainMap(t, st)
	for name, s := range sc {
		boxes := make([]rect, len(s.Nodes))
		for i, n := range s.Nodes {
			boxes[i] = labelBox(n)
		}
		bad := 0
		for i := range boxes {
			for j := i + 1; j < len(boxes); j++ {
				if overlap(boxes[i], boxes[j]) {
					if bad < 5 {
						t.Errorf("%s: %s (%v,%v) and %s (%v,%v) overlap", name, s.Nodes[i].Label, s.Nodes[i].X, s.Nodes[i].Y, s.Nodes[j].Label, s.Nodes[j].X, s.Nodes[j].Y)
					}
					bad++
				}
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d overlapping pairs", name, bad)
		}
	}
}

// largeStore is the 新能源汽车 fixture with n more firms over 19 provinces:
// one in five classified into a leaf of the chain, the rest into no node
// (the shape of a registry: most firms of a region belong to no chain).
func largeStore(t testing.TB, n int) *store.Store {
	t.Helper()
	s := graphtest.NEV(t)
	ctx := context.Background()
	if _, err := s.Replace(ctx, graph.Source{ID: "reference/bench-regions", Kind: graph.KindReference}, graph.Facts(graphtest.BenchRegions()...)); err != nil {
		t.Fatal(err)
	}
	x := s.Index()
	var leaves []graph.NodeID
	for _, cn := range x.ChainNodes("nev") {
		if d, _ := x.NodeDetail(cn.ID, 0); d.Leaf {
			leaves = append(leaves, cn.ID)
		}
	}
	rng := rand.New(rand.NewPCG(3, 5))
	_, err := s.Replace(ctx, graph.Source{ID: "registry/large", Kind: graph.KindRegistry}, func(w graph.FactSink) error {
		for i := range n {
			f := graph.Firm{ID: graph.FirmID(graphtest.CreditCode(20000 + i)), Name: fmt.Sprintf("合成企业%d有限公司", i),
				Region: graph.RegionCode(fmt.Sprintf("%02d%02d00", 11+3*rng.IntN(19), 1+rng.IntN(16))), Capital: float64(rng.IntN(100000)),
				Status: graph.StatusActive, Synthetic: true}
			if i%5 == 0 {
				f.Nodes = []graph.NodeLink{{Node: leaves[rng.IntN(len(leaves))], Method: "keyword", Confidence: 0.8}}
			}
			if err := w.Put(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLargeScopeLayout lays out the whole graph of 3,000 firms, 2,400 of
// them in no node: the picture is about square (its sides differ by less
// than 4×, where one column of unlinked firms made a strip 100,000 units
// tall), and no two labels overlap.
func TestLargeScopeLayout(t *testing.T) {
	st := largeStore(t, 3000)
	s, err := export.GraphScope(context.Background(), st.Index(), export.Options{})
	if err != nil {
		t.Fatal(err)
	}
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, n := range s.Nodes {
		x0, y0, x1, y1 = min(x0, n.X), min(y0, n.Y), max(x1, n.X), max(y1, n.Y)
	}
	w, h := x1-x0, y1-y0
	if r := max(w, h) / min(w, h); r >= 4 {
		t.Errorf("the whole graph is %.0f × %.0f: sides differ by %.1f×", w, h, r)
	}
	// Overlaps, by a grid of buckets: pairs in neighbouring cells only.
	const cell = 400.0
	buckets := map[[2]int][]int{}
	boxes := make([]rect, len(s.Nodes))
	for i, n := range s.Nodes {
		boxes[i] = labelBox(n)
		k := [2]int{int(math.Floor(n.X / cell)), int(math.Floor(n.Y / cell))}
		buckets[k] = append(buckets[k], i)
	}
	bad := 0
	for k, idx := range buckets {
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				for _, i := range idx {
					for _, j := range buckets[[2]int{k[0] + dx, k[1] + dy}] {
						if i < j && overlap(boxes[i], boxes[j]) {
							if bad < 3 {
								t.Errorf("%s and %s overlap", s.Nodes[i].Label, s.Nodes[j].Label)
							}
							bad++
						}
					}
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d overlapping pairs in the whole graph", bad)
	}
	t.Logf("whole graph: %d nodes in %.0f × %.0f", len(s.Nodes), w, h)
}
