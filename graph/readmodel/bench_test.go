package readmodel_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// benchStore loads n synthetic firms spread over 300 cities into the
// analytics fixture's chain (six nodes), for benchmarks of the read model.
func benchStore(b *testing.B, n int) *store.Store {
	b.Helper()
	s := graphtest.Analytics(b)
	rng := rand.New(rand.NewPCG(1, 2))
	regions := graphtest.BenchRegions()
	if _, err := s.Replace(context.Background(), graph.Source{ID: "reference/bench-regions", Kind: graph.KindReference}, graph.Facts(regions...)); err != nil {
		b.Fatal(err)
	}
	nodes := []graph.NodeID{"ev/cathode", "ev/anode", "ev/cell", "ev/vehicle", "ev/charging"}
	tags := []string{"专精特新", "高新技术企业", "专精特新小巨人"}
	_, err := s.Replace(context.Background(), graph.Source{ID: "registry/bench", Kind: graph.KindRegistry}, func(w graph.FactSink) error {
		for i := 0; i < n; i++ {
			p := 11 + 3*rng.IntN(19)
			c := 1 + rng.IntN(16)
			f := graph.Firm{ID: graph.FirmID(graphtest.CreditCode(1000 + i)), Name: fmt.Sprintf("合成企业%d有限公司", i),
				Region: graph.RegionCode(fmt.Sprintf("%02d%02d%02d", p, c, 1+rng.IntN(20))), Capital: float64(rng.IntN(100000)),
				Status: graph.StatusActive, Synthetic: true,
				Nodes: []graph.NodeLink{{Node: nodes[rng.IntN(len(nodes))], Method: "keyword", Confidence: 0.8, Role: "producer", Matched: "电芯"}}}
			if rng.IntN(10) == 0 {
				f.Tags = []string{tags[rng.IntN(len(tags))]}
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

// BenchmarkReadModel reports the read model's memory per firm and the time
// of the analytics at 100k synthetic firms:
//
//	go test ./graph/readmodel -run '^$' -bench ReadModel -benchtime 200x
func BenchmarkReadModel(b *testing.B) {
	const n = 100_000
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	s := benchStore(b, n)
	x := s.Index()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heapB/firm(incl.store)")
	cfg := graph.DefaultConfig()
	b.Run("ChainMap", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.ChainMap(context.Background(), "370600", "ev", cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Gaps", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.Gaps(context.Background(), "370600", "ev", nil, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Anchors", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.Anchors(context.Background(), "370600", "ev", cfg, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Targets", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.Targets(context.Background(), "370600", "ev", readmodel.TargetQuery{}, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Search", func(b *testing.B) {
		for b.Loop() {
			x.Search(context.Background(), readmodel.SearchQuery{Q: "合成企业4242"})
		}
	})
}
