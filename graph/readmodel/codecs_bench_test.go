package readmodel

import (
	"fmt"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// BenchmarkBuildLibrary measures decoding the classes other than firms
// (regions, industry classes, chains, nodes, parks, crosswalk) into the
// read model, at about the size of the real reference data and library:
//
//	go test ./graph/readmodel -run '^$' -bench BuildLibrary -benchmem
func BenchmarkBuildLibrary(b *testing.B) {
	var facts []graph.Fact
	for i := range 3000 {
		facts = append(facts, graph.Region{Code: graph.RegionCode(fmt.Sprintf("%06d", 110000+i*100)), Name: fmt.Sprintf("地区%d", i),
			ShortName: fmt.Sprintf("区%d", i), Aliases: []string{fmt.Sprintf("别名%d", i)}, Level: graph.LevelCounty, Parent: "110000"})
	}
	for i := range 1500 {
		facts = append(facts, graph.IndustryClass{Code: graph.IndustryCode(fmt.Sprintf("%04d", 1000+i)), Name: fmt.Sprintf("行业%d", i),
			Parent: graph.IndustryCode(fmt.Sprintf("%03d", 100+i/10)), Tags: []string{"strategic"}, Categories: []string{"strategic:新材料"}})
	}
	for c := range 60 {
		id := graph.ChainID(fmt.Sprintf("c%d", c))
		facts = append(facts, graph.Chain{ID: id, Name: fmt.Sprintf("产业链%d", c), Type: graph.ChainUpDown,
			Segments: []graph.Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中游"}, {ID: "down", Name: "下游"}}})
		for n := range 40 {
			facts = append(facts, graph.ChainNode{ID: graph.NodeID(fmt.Sprintf("%s/n%d", id, n)), Name: fmt.Sprintf("环节%d", n),
				Segment: "mid", Order: n, Codes: []graph.IndustryCode{"3841"}, Keywords: []string{"电池", "电芯"}, Weight: 1})
		}
	}
	for i := range 500 {
		facts = append(facts, graph.Park{ID: graph.ParkID(fmt.Sprintf("p%d", i)), Name: fmt.Sprintf("园区%d", i), Region: "110000",
			Level: "national", Chains: []graph.ChainID{"c1"}, Focus: []string{"汽车"}})
	}
	for i := range 200 {
		facts = append(facts, graph.CrosswalkEntry{Phrase: fmt.Sprintf("提法%d", i), Chains: []graph.ChainID{"c1"}, Confidence: 0.8})
	}
	label := "urn:bench:library"
	var qs []quad.Quad
	for _, f := range facts {
		qs = graph.Encode(qs, f)
	}
	for i := range qs {
		qs[i].Label = quad.IRI(label)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		bd := NewBuilder()
		bd.SetSources([]graph.SourceInfo{{Source: graph.Source{ID: "chains/library", Kind: graph.KindChains}, Version: label}})
		bd.StartFacts()
		for _, q := range qs {
			bd.Fact(q)
		}
		if x := bd.Build(); len(x.Chains()) != 60 {
			b.Fatalf("%d chains", len(x.Chains()))
		}
	}
}
