package store_test

import (
	"context"
	"os"
	"runtime/debug"
	"slices"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// BenchmarkAnswers opens the store named by CHAINKG_BENCH_STORE (a bbolt
// store loaded with synthetic firms, say) and times each question in
// process for ten cities and one county of each, three chains, reporting
// the p50 and p99 per question and the most candidates a county's targets
// ranked:
//
//	CHAINKG_BENCH_STORE=bbolt:/tmp/kg1m go test ./graph/store -run '^$' -bench Answers -benchtime 5x
func BenchmarkAnswers(b *testing.B) {
	ctx := context.Background()
	x := benchIndex(b)
	var regions []graph.RegionCode
	for _, c := range benchCities {
		regions = append(regions, c)
		if kids := x.Children(c); len(kids) > 0 {
			regions = append(regions, kids[0])
		}
	}
	chains := []graph.ChainID{"nev", "ic", "biopharma"}
	cfg := graph.DefaultConfig()
	questions := []struct {
		name string
		ask  func(r graph.RegionCode, c graph.ChainID) error
	}{
		{"map", func(r graph.RegionCode, c graph.ChainID) error { _, err := x.ChainMap(ctx, r, c, cfg); return err }},
		{"gaps", func(r graph.RegionCode, c graph.ChainID) error { _, err := x.Gaps(ctx, r, c, nil, cfg); return err }},
		{"anchors", func(r graph.RegionCode, c graph.ChainID) error {
			_, err := x.Anchors(ctx, r, c, cfg, false)
			return err
		}},
		{"targets", func(r graph.RegionCode, c graph.ChainID) error {
			_, err := x.Targets(ctx, r, c, readmodel.TargetQuery{}, cfg)
			return err
		}},
	}
	took := make([][]time.Duration, len(questions)+1)
	queries := []string{"万华", "宁德时代", "新能源", "电池", "烟台", "半导体", "海洋", "生物医药"}
	for b.Loop() {
		for qi, q := range questions {
			for _, r := range regions {
				for _, c := range chains {
					start := time.Now()
					if err := q.ask(r, c); err != nil {
						b.Fatalf("%s %s %s: %v", q.name, r, c, err)
					}
					took[qi] = append(took[qi], time.Since(start))
				}
			}
		}
		for _, q := range queries {
			start := time.Now()
			if _, err := x.Search(ctx, readmodel.SearchQuery{Q: q}); err != nil {
				b.Fatal(err)
			}
			took[len(questions)] = append(took[len(questions)], time.Since(start))
		}
	}
	for qi, name := range []string{"map", "gaps", "anchors", "targets", "search"} {
		reportPercentiles(b, took[qi], name+"-", time.Millisecond, "ms")
	}
	most := 0
	for _, r := range regions {
		if r.Level() != graph.LevelCounty {
			continue
		}
		for _, c := range chains {
			t, err := x.Targets(ctx, r, c, readmodel.TargetQuery{}, cfg)
			if err != nil {
				b.Fatal(err)
			}
			most = max(most, t.Total)
		}
	}
	b.ReportMetric(float64(most), "county-candidates-max")
	b.ReportMetric(float64(x.FirmCount()), "firms")
}

// BenchmarkCountyTargets times the slowest question alone, a county's
// targets (page 1) over the ten counties × three chains of BenchmarkAnswers,
// so a profile of it shows the ranking and not the store's open:
//
//	CHAINKG_BENCH_STORE=bbolt:/tmp/kg1m go test ./graph/store -run '^$' -bench CountyTargets -benchtime 5x -cpuprofile cpu.out
func BenchmarkCountyTargets(b *testing.B) {
	ctx := context.Background()
	x := benchIndex(b)
	var counties []graph.RegionCode
	for _, c := range benchCities {
		if kids := x.Children(c); len(kids) > 0 {
			counties = append(counties, kids[0])
		}
	}
	cfg := graph.DefaultConfig()
	var took []time.Duration
	b.ResetTimer()
	for b.Loop() {
		for _, r := range counties {
			for _, c := range []graph.ChainID{"nev", "ic", "biopharma"} {
				start := time.Now()
				if _, err := x.Targets(ctx, r, c, readmodel.TargetQuery{}, cfg); err != nil {
					b.Fatalf("targets %s %s: %v", r, c, err)
				}
				took = append(took, time.Since(start))
			}
		}
	}
	reportPercentiles(b, took, "", time.Millisecond, "ms")
}

// BenchmarkSearch opens the store named by CHAINKG_BENCH_STORE and times
// Search on each query — short names, common words that match tens of
// thousands of names at a million firms, one character, typos — reporting the
// p50 and p99 of each over the rounds:
//
//	CHAINKG_BENCH_STORE=bbolt:/tmp/kg1m go test ./graph/store -run '^$' -bench Search -benchtime 200x
func BenchmarkSearch(b *testing.B) {
	ctx := context.Background()
	x := benchIndex(b)
	// Open leaves gigabytes of garbage that it returns to the system in
	// the background: return it before timing, or the first queries
	// measure the collector.
	debug.FreeOSMemory()
	queries := []string{"万华", "万华化学", "宁德时代", "比亚迪", "新能源", "电池", "烟台", "半导体", "海洋", "生物医药", "烟台华鑫", "苏州恒通", "新能源科技", "宁德时代新能原", "新能源科拔", "宁"}
	for _, q := range queries {
		b.Run(q, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := x.Search(ctx, readmodel.SearchQuery{Q: q}); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			reportPercentiles(b, took, "", time.Microsecond, "µs")
		})
	}
}

// benchCities are the cities the benchmarks ask about (and the first
// county of each).
var benchCities = []graph.RegionCode{"370600", "370100", "370200", "320500", "440300", "310000", "330100", "420100", "510100", "610100"}

// benchIndex opens the store named by CHAINKG_BENCH_STORE for the
// benchmark and returns its read model; it skips the benchmark when none
// is named.
func benchIndex(b *testing.B) *readmodel.Index {
	url := os.Getenv("CHAINKG_BENCH_STORE")
	if url == "" {
		b.Skip("set CHAINKG_BENCH_STORE to a store URL to measure")
	}
	s, err := store.Open(context.Background(), url, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s.Index()
}

// reportPercentiles reports the p50 and p99 of took in unit, the metrics
// named prefix+"p50-"+name and prefix+"p99-"+name.
func reportPercentiles(b *testing.B, took []time.Duration, prefix string, unit time.Duration, name string) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2])/float64(unit), prefix+"p50-"+name)
	b.ReportMetric(float64(took[len(took)*99/100])/float64(unit), prefix+"p99-"+name)
}
