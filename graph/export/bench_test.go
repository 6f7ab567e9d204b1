package export_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/store"
)

// benchStore adds n synthetic firms to the 新能源汽车 fixture, spread over
// 19 provinces of 16 cities each and the chain's leaves, with one firm in
// ten tagged.
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	s := graphtest.NEV(b)
	rng := rand.New(rand.NewPCG(7, 11))
	regions := graphtest.BenchRegions()
	ctx := context.Background()
	if _, err := s.Replace(ctx, graph.Source{ID: "reference/bench-regions", Kind: graph.KindReference}, graph.Facts(regions...)); err != nil {
		b.Fatal(err)
	}
	var leaves []graph.NodeID
	x := s.Index()
	for _, n := range x.ChainNodes("nev") {
		if d, _ := x.NodeDetail(n.ID, 0); d.Leaf {
			leaves = append(leaves, n.ID)
		}
	}
	_, err := s.Replace(ctx, graph.Source{ID: "registry/bench", Kind: graph.KindRegistry}, func(w graph.FactSink) error {
		for i := 0; i < n; i++ {
			p, c := 11+3*rng.IntN(19), 1+rng.IntN(16)
			f := graph.Firm{ID: graph.FirmID(graphtest.CreditCode(10000 + i)), Name: fmt.Sprintf("合成企业%d有限公司", i),
				Region: graph.RegionCode(fmt.Sprintf("%02d%02d00", p, c)), Capital: float64(rng.IntN(100000)), Status: graph.StatusActive,
				Synthetic: true, Nodes: []graph.NodeLink{{Node: leaves[rng.IntN(len(leaves))], Method: "keyword", Confidence: 0.8}}}
			if rng.IntN(10) == 0 {
				f.Tags = []string{"专精特新"}
			}
			if err := w.Put(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkChainMapExport builds the scope of a province × chain (about
// n/19 local firms and 100 targets: 河南 410000 is one of the 19) and writes it in each format.
//
//	go test ./graph/export -run - -bench ChainMapExport -benchmem
func BenchmarkChainMapExport(b *testing.B) {
	st := benchStore(b, 100_000)
	x := st.Index()
	opt := export.Options{Config: graph.DefaultConfig()}
	var s *export.Scope
	b.Run("scope", func(b *testing.B) {
		for b.Loop() {
			var err error
			if s, err = export.ChainMapScope(context.Background(), x, "410000", "nev", opt); err != nil {
				b.Fatal(err)
			}
		}
		nodes, edges := s.Counts()
		b.ReportMetric(float64(nodes), "nodes")
		b.ReportMetric(float64(edges), "edges")
	})
	for _, f := range export.Formats() {
		b.Run(f.Name, func(b *testing.B) {
			if err := f.Fits(s); err != nil {
				b.Skip(err) // larger than the tool draws: the export refuses it
			}
			cw := &countWriter{}
			for b.Loop() {
				cw.n = 0
				if err := f.Write(context.Background(), cw, s, st); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cw.n)/1e6, "MB")
		})
	}
}

// BenchmarkGraphExport builds the whole graph of 100,000 firms and writes
// it as GEXF.
//
//	go test ./graph/export -run - -bench GraphExport -benchmem
func BenchmarkGraphExport(b *testing.B) {
	st := benchStore(b, 100_000)
	x := st.Index()
	gexf, _ := export.Lookup("gexf")
	for b.Loop() {
		s, err := export.GraphScope(context.Background(), x, export.Options{})
		if err != nil {
			b.Fatal(err)
		}
		cw := &countWriter{}
		if err := gexf.Write(context.Background(), cw, s, st); err != nil {
			b.Fatal(err)
		}
		nodes, _ := s.Counts()
		b.ReportMetric(float64(nodes), "nodes")
		b.ReportMetric(float64(cw.n)/1e6, "MB")
	}
}

type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

var _ io.Writer = (*countWriter)(nil)
