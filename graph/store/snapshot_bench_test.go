package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// BenchmarkOpen opens a bbolt store holding the default data and
// CHAINKG_BENCH_FIRMS (default 20,000) realistic synthetic firms, from its
// read-model snapshot and by a full scan of cayley (the snapshot removed):
//
//	go test ./graph/store -run '^$' -bench Open -benchtime 3x
//	CHAINKG_BENCH_FIRMS=100000 go test ./graph/store -run '^$' -bench Open -benchtime 1x
func BenchmarkOpen(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("CHAINKG_BENCH_FIRMS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	path := filepath.Join(dir, "kg.db")
	s, err := store.Open(ctx, "bbolt:"+path, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := loaders.LoadDefaults(ctx, s, data.FS); err != nil {
		b.Fatal(err)
	}
	file := writeSynth(b, s, dir, n)
	if _, _, err := loaders.LoadFile(ctx, s, "registry", file, loaders.FileOptions{}); err != nil {
		b.Fatal(err)
	}
	firms := s.Index().FirmCount()
	s.Close()
	open := func(b *testing.B) {
		s, err := store.Open(ctx, "bbolt:"+path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if s.Index().FirmCount() != firms {
			b.Fatalf("%d firms after the open, %d before", s.Index().FirmCount(), firms)
		}
		s.Close()
	}
	b.Run("snapshot", func(b *testing.B) {
		for b.Loop() {
			open(b)
		}
		b.ReportMetric(float64(firms), "firms")
	})
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if err := os.RemoveAll(filepath.Join(path, "readmodel")); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			open(b) // scans, then writes the snapshot again
		}
		b.ReportMetric(float64(firms), "firms")
	})
}

// writeSynth writes n realistic synthetic firms (seed 1) drawn against the
// store's chain library into dir/firms.csv.
func writeSynth(b *testing.B, s *store.Store, dir string, n int) string {
	b.Helper()
	return writeRows(b, dir, "firms.csv", synthRows(b, s, 1, n))
}

// BenchmarkLoadRegistry loads CHAINKG_BENCH_FIRMS (default 20,000)
// realistic synthetic firms into a bbolt store that holds the default data,
// end to end (read, classify, write, read model, snapshot), and reports
// rows per second of wall time and per CPU-second:
//
//	go test ./graph/store -run '^$' -bench LoadRegistry -benchtime 1x
//	CHAINKG_BENCH_FIRMS=100000 go test ./graph/store -run '^$' -bench LoadRegistry -benchtime 1x
func BenchmarkLoadRegistry(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("CHAINKG_BENCH_FIRMS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		s, err := store.Open(ctx, "bbolt:"+filepath.Join(dir, "kg.db"), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := loaders.LoadDefaults(ctx, s, data.FS); err != nil {
			b.Fatal(err)
		}
		file := writeSynth(b, s, dir, n)
		cpu0 := cpuSeconds()
		b.StartTimer()
		start := time.Now()
		if _, _, err := loaders.LoadFile(ctx, s, "registry", file, loaders.FileOptions{}); err != nil {
			b.Fatal(err)
		}
		wall := time.Since(start).Seconds()
		b.StopTimer()
		cpu := cpuSeconds() - cpu0
		b.ReportMetric(float64(n)/wall, "rows/s")
		b.ReportMetric(float64(n)/cpu, "rows/CPU-s")
		s.Close()
		b.StartTimer()
	}
}

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
