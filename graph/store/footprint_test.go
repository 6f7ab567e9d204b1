package store

import (
	"context"
	"os"
	"runtime"
	"testing"
	"time"
)

// BenchmarkFootprint opens the store named by CHAINKG_BENCH_STORE (say, a
// bbolt file loaded with a million synthetic firms) and reports the open
// time and the memory the read model and the journal hold per firm:
//
//	CHAINKG_BENCH_STORE=bbolt:/tmp/kg1m.db go test ./graph/store -run '^$' -bench Footprint -benchtime 1x
func BenchmarkFootprint(b *testing.B) {
	url := os.Getenv("CHAINKG_BENCH_STORE")
	if url == "" {
		b.Skip("set CHAINKG_BENCH_STORE to a store URL to measure")
	}
	heap := func() float64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.HeapAlloc)
	}
	for b.Loop() {
		h0 := heap()
		start := time.Now()
		s, err := Open(context.Background(), url, Options{})
		if err != nil {
			b.Fatal(err)
		}
		open := time.Since(start)
		firms := float64(s.Index().FirmCount())
		h1 := heap()
		s.j = nil
		h2 := heap()
		s.idx.Store(nil)
		h3 := heap()
		b.ReportMetric(firms, "firms")
		b.ReportMetric(open.Seconds(), "open-s")
		b.ReportMetric((h2-h3)/firms, "readmodel-B/firm")
		b.ReportMetric((h1-h2)/firms, "journal-B/firm")
		b.ReportMetric((h1-h0)/firms, "total-B/firm")
		s.Close()
	}
}
