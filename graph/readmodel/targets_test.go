package readmodel_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// randomFirms loads the analytics fixture and 3,000 random firms whose
// scores and sizes tie often, in few nodes where the asked regions are
// (so they have gaps the rest of the country fills), some in groups.
func randomFirms(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	s := graphtest.Analytics(t)
	if _, err := s.Replace(ctx, graph.Source{ID: "reference/bench-regions", Kind: graph.KindReference}, graph.Facts(graphtest.BenchRegions()...)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 18))
	nodes := []graph.NodeID{"ev/materials", "ev/cathode", "ev/anode", "ev/cell", "ev/vehicle", "ev/charging"}
	places := []graph.RegionCode{"370613", "370602", "370600", "370000", "370100", "370200", "320500", ""}
	pick := func(xs []float64) float64 { return xs[rng.IntN(len(xs))] }
	_, err := s.Replace(ctx, graph.Source{ID: "registry/random", Kind: graph.KindRegistry}, func(w graph.FactSink) error {
		for i := range 3000 {
			f := graph.Firm{ID: graph.FirmID(graphtest.CreditCode(100 + i)), Name: fmt.Sprintf("随机企业%d", i),
				Capital: pick([]float64{0, 0, 5, 500, 5000, 1e5, 1e6}), Revenue: pick([]float64{0, 0, 0, 2e4})}
			if rng.IntN(3) == 0 {
				f.Region = places[rng.IntN(len(places))]
			} else {
				f.Region = graph.RegionCode(fmt.Sprintf("%02d%02d%02d", 11+3*rng.IntN(19), 1+rng.IntN(16), 1+rng.IntN(3)))
			}
			switch rng.IntN(10) {
			case 0:
				f.Status = graph.StatusCancelled
			case 1:
				f.Status = graph.StatusRevoked
			}
			if rng.IntN(4) == 0 {
				f.Tags = []string{[]string{"专精特新", "高新技术企业", "专精特新小巨人", "上市"}[rng.IntN(4)]}
			}
			if rng.IntN(8) == 0 {
				f.Group = fmt.Sprintf("集团%d", rng.IntN(5))
			}
			if i > 0 && rng.IntN(20) == 0 {
				f.MemberOf = []graph.FirmID{graph.FirmID(graphtest.CreditCode(100 + rng.IntN(i)))}
			}
			// The asked regions work in a few nodes only, so they have
			// gaps that the rest of the country fills.
			can := nodes
			switch {
			case f.Region == "" || f.Region.Province() == "370000" || f.Region == "320500":
				can = nodes[3:5]
			case f.Region.Province() == "140000":
				can = nodes[3:4]
			}
			for range 1 + rng.IntN(3) {
				f.Nodes = append(f.Nodes, graph.NodeLink{Node: can[rng.IntN(len(can))], Method: "keyword", Confidence: 0.8})
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

// TestTargetsKeptEqualSortingAll compares the targets ranked from the best
// candidates alone (scored only when their bound could reach the page)
// with scoring and sorting every candidate, over random firms whose
// scores tie often, several regions, queries and weights.
func TestTargetsKeptEqualSortingAll(t *testing.T) {
	ctx := context.Background()
	s := randomFirms(t)
	x := s.Index()
	weights := map[string]func(*graph.Config){
		"default":     func(*graph.Config) {},
		"no affinity": func(c *graph.Config) { c.WTAffinity = 0 },
		"scale heavy": func(c *graph.Config) { c.WTScale, c.CapitalFull = 0.6, 1000 },
		"no risk":     func(c *graph.Config) { c.WTRisk = 0 },
		"negative":    func(c *graph.Config) { c.WTRisk, c.WTAffinity = -0.3, -0.1 },
	}
	queries := []readmodel.TargetQuery{
		{},
		{Page: 2},
		{Page: 3, Size: 7},
		{Size: 1},
		{LeafOnly: true},
		{Statuses: []graph.FirmStatus{graph.StatusActive, graph.StatusCancelled}},
		{Tags: []string{"专精特新"}},
		{Province: "370000", Size: 50},
		{Nodes: []graph.NodeID{"ev/anode"}},
		{Sort: "capital"},
		{Page: 40, Size: 100},
	}
	compared := 0
	for _, region := range []graph.RegionCode{"370613", "370600", "370000", "140100", "320500"} {
		for name, set := range weights {
			cfg := graph.DefaultConfig()
			set(&cfg)
			for _, q := range queries {
				got, err := x.Targets(ctx, region, "ev", q, cfg)
				if err != nil {
					t.Fatal(err)
				}
				want, err := x.TargetsSortingAll(ctx, region, "ev", q, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, %s weights, %+v: kept\n%+v\nwant (sorting all)\n%+v", region, name, q, got, want)
				}
				compared += len(got.Targets)
			}
		}
	}
	if compared < 1000 {
		t.Fatalf("only %d targets compared: the fixture no longer has gaps with many candidates", compared)
	}
}

// TestTopFirmsMergedEqualSorted compares a chain map's largest firms per
// node, merged from the runs of the region's numbers, with sorting every
// local member, over random firms whose sizes tie often and some of which
// belong to a group that is local too.
func TestTopFirmsMergedEqualSorted(t *testing.T) {
	s := randomFirms(t)
	x := s.Index()
	compared := 0
	for _, region := range []graph.RegionCode{"370000", "370600", "370613", "140000", "140100", "320500", "110000"} {
		for _, node := range []graph.NodeID{"ev/materials", "ev/cathode", "ev/anode", "ev/cell", "ev/vehicle", "ev/charging"} {
			for _, k := range []int{1, 5, 50} {
				got, want := x.TopFirms(node, region, k), x.TopFirmsSortingAll(node, region, k)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s %s top %d: merged\n%v\nwant (sorting all)\n%v", region, node, k, got, want)
				}
				compared += len(got)
			}
		}
	}
	if compared < 500 {
		t.Fatalf("only %d firms compared: the fixture no longer has many firms per node and region", compared)
	}
}
