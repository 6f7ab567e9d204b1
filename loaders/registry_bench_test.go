package loaders

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders/synth"
)

// benchStore holds the real divisions and the fixture chain.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	st := fixtureStore(b)
	f, err := data.FS.Open("reference/regions.csv")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := st.Replace(context.Background(), graph.Source{ID: "reference/regions", Kind: graph.KindReference},
		func(s graph.FactSink) error {
			_, err := ReadRegions(context.Background(), Input{R: f, File: "regions.csv"}, s)
			return err
		}); err != nil {
		b.Fatal(err)
	}
	return st
}

// wideLibrary is the fixture chain plus one pseudo-node per 申万 2021
// industry (480, keyword = its name): a library of the size of the real
// one, for measuring how classification scales. Benchmark data only.
func wideLibrary(b *testing.B) []graph.ChainNode {
	b.Helper()
	_, nodes := fixtureChain()
	i := 0
	err := eachCSV(b.Context(), data.FS, swTreeFile, func(get func(string) string) {
		i++
		nodes = append(nodes, graph.ChainNode{ID: graph.NodeID(fmt.Sprintf("sw/n%d", i)), Name: get("from_industry"),
			Keywords: []string{get("from_industry")}})
	}, "from_industry")
	if err != nil {
		b.Fatal(err)
	}
	return nodes
}

// BenchmarkRegistryCSVWideLibrary is BenchmarkRegistryCSV against ~490
// nodes, the 经营范围 drawn from all of them.
func BenchmarkRegistryCSVWideLibrary(b *testing.B) {
	st := benchStore(b)
	nodes := wideLibrary(b)
	const rows = 100_000
	in := synthCSVWith(b, st.Index(), nodes, rows)
	cls := NewClassifier(nodes)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for b.Loop() {
		var d discard
		rep, err := readRegistry(b.Context(), Input{R: bytes.NewReader(in), File: "bench.csv", Lookups: LookupsOf(st.Index())}, registryOptions{classifier: cls}, &d)
		if err != nil || rep.Loaded != rows {
			b.Fatalf("%v %+v", err, rep)
		}
	}
	reportRows(b, rows, cpu0)
}

func synthCSV(b *testing.B, x *readmodel.Index, n int) []byte {
	_, nodes := fixtureChain()
	return synthCSVWith(b, x, nodes, n)
}

func synthCSVWith(b *testing.B, x *readmodel.Index, nodes []graph.ChainNode, n int) []byte {
	b.Helper()
	v := synth.FromIndex(x)
	v.Topics = synth.FromNodes(nodes)
	g, err := synth.New(v, 1)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(synth.Header)
	for i := 0; i < n; i++ {
		w.Write(g.Next())
	}
	w.Flush()
	return buf.Bytes()
}

// discard is a FactSink that drops what it is given.
type discard struct{ n int }

func (d *discard) Put(fs ...graph.Fact) error { d.n += len(fs); return nil }

// BenchmarkRegistryCSV measures the loader alone — decode, parse, resolve
// regions, classify — on synthetic rows, without the store.
func BenchmarkRegistryCSV(b *testing.B) {
	st := benchStore(b)
	const rows = 100_000
	in := synthCSV(b, st.Index(), rows)
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for b.Loop() {
		var d discard
		rep, err := ReadRegistry(b.Context(), Input{R: bytes.NewReader(in), File: "bench.csv", Lookups: LookupsOf(st.Index())}, &d)
		if err != nil || rep.Loaded != rows {
			b.Fatalf("%v %+v", err, rep)
		}
	}
	reportRows(b, rows, cpu0)
}

// BenchmarkRegistryXLSX is the same through an XLSX workbook.
func BenchmarkRegistryXLSX(b *testing.B) {
	st := benchStore(b)
	const rows = 20_000
	_, nodes := fixtureChain()
	v := synth.FromIndex(st.Index())
	v.Topics = synth.FromNodes(nodes)
	g, _ := synth.New(v, 1)
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	row := make([]any, len(synth.Header))
	for i, h := range synth.Header {
		row[i] = h
	}
	sw.SetRow("A1", row)
	for i := 0; i < rows; i++ {
		for j, v := range g.Next() {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, row)
	}
	sw.Flush()
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for b.Loop() {
		fh, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		var d discard
		rep, err := ReadRegistry(b.Context(), Input{R: fh, File: "bench.xlsx", Lookups: LookupsOf(st.Index())}, &d)
		fh.Close()
		if err != nil || rep.Loaded != rows {
			b.Fatalf("%v %+v", err, rep)
		}
	}
	reportRows(b, rows, cpu0)
}

// reportRows reports rows per second of wall time and per second of CPU
// time (user + system, all threads). On a machine shared with other work
// the wall figure drops; the CPU figure is what one idle core would do.
func reportRows(b *testing.B, rows int, cpu0 float64) {
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(rows*b.N)/cpu, "rows/cpu-s")
	}
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}
