package main

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// The answers every system gives, in one shape, so they can be compared:
// counts, sets (sorted), rankings (in order) and the numbers behind them.

type mapAnswer struct {
	RegionFirms  int
	Present      int
	Leaves       int
	Completeness float64
	Levels       map[string]int // leaves per level
	NoData       int            // leaves no active firm has anywhere (无数据), out of completeness
	Nodes        map[string]mapNode
}

type mapNode struct {
	Count      int
	WCount     float64
	National   int
	Capital    float64
	Revenue    float64
	Tagged     int
	Level      string
	Score      readmodel.NodeScore
	Top        []string // ids, largest first
	PresentAdj int
	Adjacent   int
	Unplaced   int // active firms known only at a division above the region (位置待核实)
	Unsplit    int // of a group node, the local firms linked to it and to none of its sub-nodes (未细分)
}

type gapsAnswer struct {
	Gaps []gapAnswer // most severe first
}

type gapAnswer struct {
	Node        string
	Level       string
	Count       int
	Severity    float64
	Comp        [4]float64 // level, dependence, peers, weight
	DownNodes   int
	DownFirms   int
	Anchors     []string // names of the local anchors downstream
	PeersStrong []string
	PeersTotal  int
	Unplaced    int
}

type anchorsAnswer struct {
	Candidates int
	Anchors    []anchorAnswer // best first, gate passed
}

type anchorAnswer struct {
	ID         string
	Score      float64
	Scale      float64
	ScaleKnown bool // false: neither revenue nor capital (规模未知)
	Breadth    float64
	Linkage    float64
	Quality    float64
	LinkFirms  int
	Passed     bool
	By         string
	Value      float64
	Nodes      []string // sorted
}

type targetsAnswer struct {
	Total        int
	Unplaced     int // firms covering a gap whose region is unknown or above the asked one (位置待核实)
	ScaleUnknown int // targets with neither capital nor revenue
	Page         []targetAnswer
}

type targetAnswer struct {
	ID         string
	Score      float64
	Comp       [6]float64 // gap, affinity, quality, scale, proximity, risk
	ScaleKnown bool
	GapNodes   []string // sorted
	Park       string
}

type searchAnswer struct {
	Hits []hitAnswer
}

type hitAnswer struct {
	ID    string
	Score float64
}

// substringHits keeps the hits the alternatives can give too: exact,
// prefix and substring matches (graph's search adds typo-tolerant hits
// below them, which no SQL or Gizmo query here selects alike).
func (a *searchAnswer) substringHits() *searchAnswer {
	out := &searchAnswer{}
	for _, h := range a.Hits {
		if h.Score >= 0.75 {
			out.Hits = append(out.Hits, h)
		}
	}
	return out
}

// From graph's answers (chainkg in process).

func mapFromGraph(m *readmodel.ChainMap) *mapAnswer {
	out := &mapAnswer{RegionFirms: m.RegionFirms, Present: m.Present, Leaves: m.Leaves, Completeness: m.Completeness,
		Levels: map[string]int{}, NoData: m.NoData, Nodes: map[string]mapNode{}}
	for l, n := range m.Levels {
		out.Levels[string(l)] = n
	}
	for _, n := range m.Nodes {
		mn := mapNode{Count: n.Count, WCount: n.WCount, National: n.National, Capital: n.Capital, Revenue: n.Revenue,
			Tagged: n.Tagged, Level: string(n.Level), Score: n.Score, PresentAdj: n.PresentAdj, Adjacent: n.AdjacentAll,
			Unplaced: n.Unplaced, Unsplit: n.Unsplit}
		for _, f := range n.TopFirms {
			mn.Top = append(mn.Top, string(f.ID))
		}
		out.Nodes[string(n.Node.ID)] = mn
	}
	return out
}

func gapsFromGraph(g *readmodel.GapList) *gapsAnswer {
	out := &gapsAnswer{}
	for _, x := range g.Gaps {
		ga := gapAnswer{Node: string(x.Node.ID), Level: string(x.Level), Count: x.Count, Severity: x.Severity,
			Comp:      [4]float64{x.Components.Level, x.Components.Dependence, x.Components.Peers, x.Components.Weight},
			DownNodes: x.DownstreamNodes, DownFirms: x.DownstreamFirms, Anchors: x.DownstreamAnchors, PeersTotal: x.PeersTotal,
			Unplaced: x.Unplaced}
		for _, p := range x.PeersStrong {
			ga.PeersStrong = append(ga.PeersStrong, string(p))
		}
		out.Gaps = append(out.Gaps, ga)
	}
	return out
}

func anchorsFromGraph(a *readmodel.AnchorList) *anchorsAnswer {
	out := &anchorsAnswer{Candidates: a.Candidates}
	for _, x := range a.Anchors {
		aa := anchorAnswer{ID: string(x.Firm.ID), Score: x.Score, Scale: x.Scale, ScaleKnown: x.ScaleKnown, Breadth: x.Breadth, Linkage: x.Linkage,
			Quality: x.Quality, LinkFirms: x.LinkFirms, Passed: x.Gate.Passed, By: x.Gate.By, Value: x.Gate.Value}
		for _, n := range x.Nodes {
			aa.Nodes = append(aa.Nodes, string(n))
		}
		slices.Sort(aa.Nodes)
		out.Anchors = append(out.Anchors, aa)
	}
	return out
}

func targetsFromGraph(t *readmodel.TargetList) *targetsAnswer {
	out := &targetsAnswer{Total: t.Total, Unplaced: t.Unplaced, ScaleUnknown: t.ScaleUnknown}
	for _, x := range t.Targets {
		c := x.Components
		ta := targetAnswer{ID: string(x.Firm.ID), Score: x.Score, Comp: [6]float64{c.Gap, c.Affinity, c.Quality, c.Scale, c.Proximity, c.Risk},
			ScaleKnown: c.ScaleKnown}
		for _, n := range x.GapNodes {
			ta.GapNodes = append(ta.GapNodes, string(n))
		}
		slices.Sort(ta.GapNodes)
		if x.Park != nil {
			ta.Park = string(x.Park.ID)
		}
		out.Page = append(out.Page, ta)
	}
	return out
}

func searchFromGraph(hits []readmodel.SearchHit) *searchAnswer {
	out := &searchAnswer{}
	for _, h := range hits {
		out.Hits = append(out.Hits, hitAnswer{ID: h.ID, Score: h.Score})
	}
	return out
}

// From the HTTP API's answers (chainkg through HTTP).

func mapFromAPI(m *api.ChainMapResponse) *mapAnswer {
	out := &mapAnswer{RegionFirms: m.RegionFirms, Present: m.Present, Leaves: m.Leaves, Completeness: m.Completeness,
		Levels: m.Levels, NoData: m.NoData, Nodes: map[string]mapNode{}}
	for _, n := range m.Nodes {
		mn := mapNode{Count: n.Count, WCount: n.WCount, National: n.National, Capital: n.Capital, Revenue: n.Revenue,
			Tagged: n.Tagged, Level: n.Level, PresentAdj: n.PresentAdj, Adjacent: n.Adjacent, Unplaced: n.Unplaced, Unsplit: n.Unsplit,
			Score: readmodel.NodeScore{Scale: n.Score.Scale, Linkage: n.Score.Linkage, Quality: n.Score.Quality, Total: n.Score.Total, LQ: n.Score.LQ}}
		for _, f := range n.TopFirms {
			mn.Top = append(mn.Top, f.ID)
		}
		out.Nodes[n.ID] = mn
	}
	return out
}

func gapsFromAPI(g *api.GapsResponse) *gapsAnswer {
	out := &gapsAnswer{}
	for _, x := range g.Gaps {
		c := x.Components
		out.Gaps = append(out.Gaps, gapAnswer{Node: x.Node, Level: x.Level, Count: x.Count, Severity: x.Severity,
			Comp:      [4]float64{c["level"], c["dependence"], c["peers"], c["weight"]},
			DownNodes: x.DownstreamNodes, DownFirms: x.DownstreamFirms, Anchors: x.DownstreamAnchors,
			PeersStrong: x.PeersStrong, PeersTotal: x.PeersTotal, Unplaced: x.Unplaced})
	}
	return out
}

func anchorsFromAPI(a *api.AnchorsResponse) *anchorsAnswer {
	out := &anchorsAnswer{Candidates: a.Candidates}
	for _, x := range a.Anchors {
		c := x.Components
		aa := anchorAnswer{ID: x.Firm.ID, Score: x.Score, Scale: c["scale"], ScaleKnown: x.ScaleKnown, Breadth: c["breadth"], Linkage: c["linkage"],
			Quality: c["quality"], LinkFirms: x.LinkFirms, Passed: x.Gate.Passed, By: x.Gate.By, Value: x.Gate.Value, Nodes: slices.Clone(x.Nodes)}
		slices.Sort(aa.Nodes)
		out.Anchors = append(out.Anchors, aa)
	}
	return out
}

func targetsFromAPI(t *api.TargetsResponse) *targetsAnswer {
	out := &targetsAnswer{Total: t.Total, Unplaced: t.Unplaced, ScaleUnknown: t.ScaleUnknown}
	for _, x := range t.Targets {
		c := x.Components
		ta := targetAnswer{ID: x.Firm.ID, Score: x.Score, GapNodes: slices.Clone(x.GapNodes), ScaleKnown: x.ScaleKnown,
			Comp: [6]float64{c["gap"], c["affinity"], c["quality"], c["scale"], c["proximity"], c["risk"]}}
		slices.Sort(ta.GapNodes)
		if x.Park != nil {
			ta.Park = x.Park.ID
		}
		out.Page = append(out.Page, ta)
	}
	return out
}

func searchFromAPI(s *api.SearchResponse) *searchAnswer {
	out := &searchAnswer{}
	for _, h := range s.Hits {
		out.Hits = append(out.Hits, hitAnswer{ID: h.ID, Score: h.Score})
	}
	return out
}

// Comparison.

// tolerance is how far two floats may differ: 1e-6, relative to their size
// when they are larger than 1 (sums of registered capital run to 1e9).
const tolerance = 1e-6

func closeTo(a, b float64) bool {
	return math.Abs(a-b) <= tolerance*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// differ collects the differences between a reference answer and another.
type differ struct {
	out []string
}

func (d *differ) add(format string, args ...any) { d.out = append(d.out, fmt.Sprintf(format, args...)) }

func (d *differ) num(what string, want, got float64) {
	if !closeTo(want, got) {
		d.add("%s: want %.9g, got %.9g", what, want, got)
	}
}

func (d *differ) eq(what string, want, got any) {
	if fmt.Sprint(want) != fmt.Sprint(got) {
		d.add("%s: want %v, got %v", what, want, got)
	}
}

func diffMap(want, got *mapAnswer) []string {
	var d differ
	d.eq("region firms", want.RegionFirms, got.RegionFirms)
	d.eq("leaves present", want.Present, got.Present)
	d.eq("leaves", want.Leaves, got.Leaves)
	d.num("completeness", want.Completeness, got.Completeness)
	d.eq("leaves no data", want.NoData, got.NoData)
	for _, l := range sortedMapKeys(levelUnion(want.Levels, got.Levels)) {
		d.eq("leaves "+l, want.Levels[l], got.Levels[l])
	}
	d.eq("nodes", len(want.Nodes), len(got.Nodes))
	for _, id := range sortedMapKeys(want.Nodes) {
		w, g := want.Nodes[id], got.Nodes[id]
		p := "node " + id + " "
		d.eq(p+"count", w.Count, g.Count)
		d.num(p+"weighted count", w.WCount, g.WCount)
		d.eq(p+"national", w.National, g.National)
		d.num(p+"capital", w.Capital, g.Capital)
		d.num(p+"revenue", w.Revenue, g.Revenue)
		d.eq(p+"tagged", w.Tagged, g.Tagged)
		d.eq(p+"level", w.Level, g.Level)
		d.num(p+"scale", w.Score.Scale, g.Score.Scale)
		d.num(p+"linkage", w.Score.Linkage, g.Score.Linkage)
		d.num(p+"quality", w.Score.Quality, g.Score.Quality)
		d.num(p+"score", w.Score.Total, g.Score.Total)
		d.num(p+"LQ", w.Score.LQ, g.Score.LQ)
		d.eq(p+"top firms", w.Top, g.Top)
		d.eq(p+"adjacent present", w.PresentAdj, g.PresentAdj)
		d.eq(p+"adjacent", w.Adjacent, g.Adjacent)
		d.eq(p+"unplaced", w.Unplaced, g.Unplaced)
		d.eq(p+"unsplit", w.Unsplit, g.Unsplit)
	}
	return d.out
}

func diffGaps(want, got *gapsAnswer) []string {
	var d differ
	d.eq("gaps", len(want.Gaps), len(got.Gaps))
	for i := range min(len(want.Gaps), len(got.Gaps)) {
		w, g := want.Gaps[i], got.Gaps[i]
		p := fmt.Sprintf("gap %d ", i+1)
		d.eq(p+"node", w.Node, g.Node)
		d.eq(p+"level", w.Level, g.Level)
		d.eq(p+"count", w.Count, g.Count)
		d.num(p+"severity", w.Severity, g.Severity)
		for k, name := range []string{"level", "dependence", "peers", "weight"} {
			d.num(p+name, w.Comp[k], g.Comp[k])
		}
		d.eq(p+"downstream nodes", w.DownNodes, g.DownNodes)
		d.eq(p+"downstream firms", w.DownFirms, g.DownFirms)
		d.eq(p+"downstream anchors", sortedCopy(w.Anchors), sortedCopy(g.Anchors))
		d.eq(p+"strong peers", sortedCopy(w.PeersStrong), sortedCopy(g.PeersStrong))
		d.eq(p+"peers", w.PeersTotal, g.PeersTotal)
		d.eq(p+"unplaced", w.Unplaced, g.Unplaced)
	}
	return d.out
}

func diffAnchors(want, got *anchorsAnswer) []string {
	var d differ
	d.eq("candidates", want.Candidates, got.Candidates)
	d.eq("anchors", len(want.Anchors), len(got.Anchors))
	for i := range min(len(want.Anchors), len(got.Anchors)) {
		w, g := want.Anchors[i], got.Anchors[i]
		p := fmt.Sprintf("anchor %d ", i+1)
		d.eq(p+"id", w.ID, g.ID)
		d.num(p+"score", w.Score, g.Score)
		d.num(p+"scale", w.Scale, g.Scale)
		d.eq(p+"scale known", w.ScaleKnown, g.ScaleKnown)
		d.num(p+"breadth", w.Breadth, g.Breadth)
		d.num(p+"linkage", w.Linkage, g.Linkage)
		d.num(p+"quality", w.Quality, g.Quality)
		d.eq(p+"adjacent local firms", w.LinkFirms, g.LinkFirms)
		d.eq(p+"gate", fmt.Sprint(w.Passed, " ", w.By), fmt.Sprint(g.Passed, " ", g.By))
		d.num(p+"gate value", w.Value, g.Value)
		d.eq(p+"nodes", w.Nodes, g.Nodes)
	}
	return d.out
}

func diffTargets(want, got *targetsAnswer) []string {
	var d differ
	d.eq("total", want.Total, got.Total)
	d.eq("unplaced", want.Unplaced, got.Unplaced)
	d.eq("scale unknown", want.ScaleUnknown, got.ScaleUnknown)
	d.eq("page", len(want.Page), len(got.Page))
	for i := range min(len(want.Page), len(got.Page)) {
		w, g := want.Page[i], got.Page[i]
		p := fmt.Sprintf("target %d ", i+1)
		d.eq(p+"id", w.ID, g.ID)
		d.num(p+"score", w.Score, g.Score)
		for k, name := range []string{"gap", "affinity", "quality", "scale", "proximity", "risk"} {
			d.num(p+name, w.Comp[k], g.Comp[k])
		}
		d.eq(p+"scale known", w.ScaleKnown, g.ScaleKnown)
		d.eq(p+"gap nodes", w.GapNodes, g.GapNodes)
		d.eq(p+"park", w.Park, g.Park)
	}
	return d.out
}

func diffSearch(want, got *searchAnswer) []string {
	var d differ
	d.eq("hits", len(want.Hits), len(got.Hits))
	for i := range min(len(want.Hits), len(got.Hits)) {
		w, g := want.Hits[i], got.Hits[i]
		d.eq(fmt.Sprintf("hit %d id", i+1), w.ID, g.ID)
		d.num(fmt.Sprintf("hit %d score", i+1), w.Score, g.Score)
	}
	return d.out
}

func sortedMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// levelUnion returns the levels either answer counts leaves in, each once.
func levelUnion(a, b map[string]int) map[string]int {
	out := map[string]int{}
	for l := range a {
		out[l] = 0
	}
	for l := range b {
		out[l] = 0
	}
	return out
}

func sortedCopy(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// firstLines keeps the first n differences and counts the rest.
func firstLines(ds []string, n int) string {
	if len(ds) <= n {
		return strings.Join(ds, "\n  ")
	}
	return strings.Join(ds[:n], "\n  ") + fmt.Sprintf("\n  … %d more", len(ds)-n)
}
