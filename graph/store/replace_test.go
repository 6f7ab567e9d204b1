package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/chainkg/chainkg/graph"
)

// syntheticFirms are n firms as a registry load writes them; gen changes
// every firm's capital, so two generations share their names and nodes but
// not all their quads, as a re-exported registry does.
func syntheticFirms(n, gen int) []graph.Fact {
	facts := make([]graph.Fact, n)
	for i := range facts {
		facts[i] = graph.Firm{ID: graph.FirmID(syntheticCode(i)), Name: fmt.Sprintf("合成公司%d", i), Region: "370600",
			Capital: float64(i + gen*1_000_000), Status: graph.StatusActive, Tags: []string{"专精特新"}, Scope: "锂离子电池的生产",
			Nodes: []graph.NodeLink{{Node: "ev/cell", Method: "keyword", Confidence: 0.8, Matched: "电池"}}}
	}
	return facts
}

// BenchmarkReplace times a first load of a registry and a replace of it by
// a changed version of the same size, on each backend, beside the chain
// fixture. A replace writes the new version and removes the old, so it
// should cost about twice the writing of a first load, not more.
//
//	go test ./graph/store -run '^$' -bench Replace -benchtime 1x
//	CHAINKG_TEST_POSTGRES=postgres://… go test ./graph/store -run '^$' -bench Replace/postgres -benchtime 1x
func BenchmarkReplace(b *testing.B) {
	for _, be := range []string{"mem", "bbolt", "postgres"} {
		for _, n := range []int{3000, 30000} {
			b.Run(fmt.Sprintf("%s/%dfirms", be, n), func(b *testing.B) {
				for b.Loop() {
					var url string
					switch be {
					case "mem":
						url = "mem:"
					case "bbolt":
						url = "bbolt:" + filepath.Join(b.TempDir(), "kg.db")
					case "postgres":
						url = pgDatabase(b)
					}
					s, err := Open(context.Background(), url, Options{})
					if err != nil {
						b.Fatal(err)
					}
					for _, src := range []struct {
						src   graph.Source
						facts []graph.Fact
					}{{srcRef, fixtureRegions}, {srcChains, fixtureChain}} {
						if _, err := s.Replace(context.Background(), src.src, graph.Facts(src.facts...)); err != nil {
							b.Fatal(err)
						}
					}
					start := time.Now()
					if _, err := s.Replace(context.Background(), srcReg, graph.Facts(syntheticFirms(n, 0)...)); err != nil {
						b.Fatal(err)
					}
					load := time.Since(start)
					start = time.Now()
					if _, err := s.Replace(context.Background(), srcReg, graph.Facts(syntheticFirms(n, 1)...)); err != nil {
						b.Fatal(err)
					}
					repl := time.Since(start)
					if got := s.Index().FirmCount(); got != n {
						b.Fatalf("firms after the replace = %d, want %d", got, n)
					}
					s.Close()
					b.ReportMetric(load.Seconds(), "load-s")
					b.ReportMetric(repl.Seconds(), "replace-s")
					b.ReportMetric(repl.Seconds()/load.Seconds(), "replace/load")
				}
			})
		}
	}
}

// TestReplaceCancelledKeepsOldVersion cancels a replace while it writes
// (after its first batch) and checks that the old version stays current and
// whole, and that the store takes the next replace.
func TestReplaceCancelledKeepsOldVersion(t *testing.T) {
	for name, open := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			s.batch = 500
			mustReplace(t, s, srcReg, syntheticFirms(300, 0)...)
			before, _ := s.Index().Source(srcReg.ID)
			ctx, cancel := context.WithCancel(context.Background())
			_, err := s.Replace(ctx, srcReg, func(sink graph.FactSink) error {
				for i, f := range syntheticFirms(3000, 1) {
					if i == 1000 {
						cancel() // a shutdown's grace ends while the load writes
					}
					if err := sink.Put(f); err != nil {
						return err
					}
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled replace: %v, want context.Canceled", err)
			}
			after, _ := s.Index().Source(srcReg.ID)
			if after.Version != before.Version || s.Index().FirmCount() != 300 {
				t.Fatalf("after a cancelled replace: version %s (was %s), %d firms (was 300)", after.Version, before.Version, s.Index().FirmCount())
			}
			res, err := s.Query(context.Background(), LangGizmo, `g.Emit(g.V("<`+string(graph.ClassFirm)+`>").In("<`+string(graph.PredType)+`>").Count())`, QueryLimits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Results) != 1 || fmt.Sprint(res.Results[0]) != "300" {
				t.Errorf("firms an ad-hoc query sees after the cancelled replace = %v, want 300", res.Results)
			}
			mustReplace(t, s, srcReg, syntheticFirms(200, 2)...)
			if got := s.Index().FirmCount(); got != 200 {
				t.Errorf("firms after the next replace = %d, want 200", got)
			}
		})
	}
}

// TestJournalCountsEvidenceOnce: the journal keeps a firm's evidence list
// as a quad per link (without the matched texts), yet counts the one quad
// the store holds; the count a source reports is the store's.
func TestJournalCountsEvidenceOnce(t *testing.T) {
	s, err := Open(context.Background(), "mem:", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mustReplace(t, s, graph.Source{ID: "chains/library", Kind: graph.KindChains},
		graph.Chain{ID: "ev", Name: "电动车"}, graph.ChainNode{ID: "ev/cell", Name: "电芯"},
		graph.ChainNode{ID: "ev/pack", Name: "电池包"}, graph.ChainNode{ID: "ev/bms", Name: "电池管理"})
	links := []graph.NodeLink{{Node: "ev/cell", Method: "keyword", Confidence: 0.8, Matched: "电池"},
		{Node: "ev/pack", Method: "scope", Confidence: 0.7, Matched: "电池包"}, {Node: "ev/bms", Method: "code", Confidence: 0.85}}
	var facts []graph.Fact
	for i := range 20 {
		facts = append(facts, graph.Firm{ID: graph.FirmID(syntheticCode(i)), Name: fmt.Sprintf("合成公司%d", i), Region: "370600", Nodes: links[:1+i%3]})
	}
	r := mustReplace(t, s, srcReg, facts...)
	stored, err := s.quadsAbout(context.Background(), quad.Label, quad.IRI(r.Version))
	if err != nil {
		t.Fatal(err)
	}
	if r.Facts != len(stored) {
		t.Errorf("the source reports %d facts, the store holds %d quads", r.Facts, len(stored))
	}
	for i := range 20 {
		f, ok := s.Index().Firm(graph.FirmID(syntheticCode(i)))
		if !ok || len(f.Nodes) != 1+i%3 {
			t.Fatalf("firm %d: %+v, want %d links", i, f.Nodes, 1+i%3)
		}
	}
}
