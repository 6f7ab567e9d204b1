package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// This file is the "just use the graph database" approach: every question
// answered from cayley's quads through Gizmo programs sent to chainkg's
// ad-hoc query API (gizmoread.go), the firms' attributes read from the graph
// each time, and the formulas computed around them (engine.go).

// gizmoStore is the cayley alternative over one chainkg store.
type gizmoStore struct {
	st  *store.Store
	lib *library
}

func (g *gizmoStore) library(ctx context.Context) (*library, error) {
	raw, err := g.rawLibrary(ctx)
	if err != nil {
		return nil, err
	}
	g.lib = newLibrary(raw)
	return g.lib, nil
}

func (g *gizmoStore) nodeIDs(nodes []int32) []graph.NodeID {
	out := make([]graph.NodeID, len(nodes))
	for i, n := range nodes {
		out[i] = g.lib.nodes[n].ID
	}
	return out
}

func (g *gizmoStore) regionTotals(ctx context.Context, regions []graph.RegionCode) ([]int, error) {
	groups := make([][]graph.RegionCode, len(regions))
	for i, r := range regions {
		groups[i] = g.lib.descendants(r)
	}
	return g.countInRegions(ctx, groups)
}

func (g *gizmoStore) nationTotal(ctx context.Context) (int, error) {
	return g.countPlaced(ctx, g.lib.order)
}

// nationalCounts reads every link to the nodes' subtrees and the inactive
// firms, and counts in Go: one traversal instead of a count per node, which
// was six times slower on bbolt.
func (g *gizmoStore) nationalCounts(ctx context.Context, nodes []int32) ([]int, error) {
	var all []int32
	for _, n := range nodes {
		for _, k := range g.lib.subtree(n) {
			if !slices.Contains(all, k) {
				all = append(all, k)
			}
		}
	}
	links, err := g.links(ctx, g.nodeIDs(all))
	if err != nil {
		return nil, err
	}
	inactive, err := g.inactive(ctx)
	if err != nil {
		return nil, err
	}
	firmsOf := map[int32]map[graph.FirmID]bool{}
	for _, l := range links {
		if _, dead := slices.BinarySearch(inactive, l.Firm); dead {
			continue
		}
		ni, ok := g.lib.nodeAt[l.Node]
		if !ok {
			continue
		}
		if firmsOf[ni] == nil {
			firmsOf[ni] = map[graph.FirmID]bool{}
		}
		firmsOf[ni][l.Firm] = true
	}
	out := make([]int, len(nodes))
	for i, n := range nodes {
		seen := map[graph.FirmID]bool{}
		for _, k := range g.lib.subtree(n) {
			for f := range firmsOf[k] {
				seen[f] = true
			}
		}
		out[i] = len(seen)
	}
	return out, nil
}

// gizmoFirm is a firm read from the graph, with its links' confidences.
type gizmoFirm struct {
	firmRow
	active bool
	confs  []float64 // of links
}

// firms reads the firms linked to the subtrees of nodes, within regions
// (nil: anywhere), with their attributes.
func (g *gizmoStore) firms(ctx context.Context, nodes []int32, regions []graph.RegionCode) ([]gizmoFirm, error) {
	var all []int32
	for _, n := range nodes {
		for _, k := range g.lib.subtree(n) {
			if !slices.Contains(all, k) {
				all = append(all, k)
			}
		}
	}
	ids, err := g.firmsLinked(ctx, g.nodeIDs(all), regions)
	if err != nil {
		return nil, err
	}
	raws, err := g.rawFirms(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]gizmoFirm, 0, len(raws))
	for _, r := range raws {
		out = append(out, g.row(r))
	}
	return out, nil
}

func (g *gizmoStore) row(r rawFirm) gizmoFirm {
	capCNY := 0.0
	if r.Currency == "" || r.Currency == "CNY" {
		capCNY = r.Capital
	}
	listed := isListed(r.Tags, r.Stocks)
	f := gizmoFirm{firmRow: firmRow{id: r.ID, name: r.Name, region: regionNum(r.Region), size: size(r.Revenue, capCNY),
		capitalCNY: capCNY, revenue: r.Revenue, quality: quality(r.Tags, listed), listed: listed, group: r.Group},
		active: r.Status == "" || r.Status == graph.StatusActive}
	for _, l := range r.Links { // sorted by node id, as the library's indexes are
		if ni, ok := g.lib.nodeAt[l.Node]; ok {
			f.links = append(f.links, ni)
			f.confs = append(f.confs, l.Confidence)
		}
	}
	return f
}

// members walks a firm's links in node order up their ancestors and calls fn
// once per node of want the firm counts in, with the first link's confidence.
func (g *gizmoStore) members(f *gizmoFirm, want map[int32]bool, fn func(ni int32, conf float64)) {
	var seen []int32
	for k, ni := range f.links {
		for a := ni; a >= 0; a = g.lib.parent[a] {
			if slices.Contains(seen, a) {
				continue
			}
			seen = append(seen, a)
			if want[a] {
				fn(a, f.confs[k])
			}
		}
	}
}

func (g *gizmoStore) local(ctx context.Context, region graph.RegionCode, nodes []int32, topK int, withFirms bool) (*localView, error) {
	firms, err := g.firms(ctx, nodes, g.lib.descendants(region))
	if err != nil {
		return nil, err
	}
	want := map[int32]bool{}
	for _, n := range nodes {
		want[n] = true
	}
	v := &localView{stats: map[int32]stats{}, top: map[int32][]graph.FirmID{}}
	byNode := map[int32][]*gizmoFirm{}
	for i := range firms {
		f := &firms[i]
		if !f.active {
			continue
		}
		g.members(f, want, func(ni int32, conf float64) {
			s := v.stats[ni]
			s.count++
			s.wcount += conf
			s.capital += f.capitalCNY
			s.revenue += f.revenue
			if f.quality > 0 {
				s.tagged++
			}
			if slices.Contains(f.links, ni) && linkedOnlyAt(f.links, ni, g.lib.parent) {
				s.unsplit++
			}
			v.stats[ni] = s
			byNode[ni] = append(byNode[ni], f)
		})
		if withFirms {
			row := f.firmRow
			row.links = nil
			for _, ni := range f.links {
				if want[ni] {
					row.links = append(row.links, ni)
				}
			}
			if len(row.links) > 0 {
				v.firms = append(v.firms, row)
			}
		}
	}
	if topK > 0 {
		for ni, fs := range byNode {
			slices.SortFunc(fs, func(a, b *gizmoFirm) int {
				return cmp.Or(cmp.Compare(b.size, a.size), strings.Compare(string(a.id), string(b.id)))
			})
			for _, f := range fs[:min(topK, len(fs))] {
				v.top[ni] = append(v.top[ni], f.id)
			}
		}
	}
	return v, nil
}

// placedAt reads the firms registered at the divisions themselves (not
// below them) from the divisions' side, and counts their members in Go.
func (g *gizmoStore) placedAt(ctx context.Context, at []uint32, nodes []int32) ([]int, error) {
	codes := make([]graph.RegionCode, len(at))
	for i, n := range at {
		codes[i] = graph.RegionCode(fmt.Sprintf("%06d", n))
	}
	firms, err := g.firms(ctx, nodes, codes)
	if err != nil {
		return nil, err
	}
	want := map[int32]bool{}
	for _, n := range nodes {
		want[n] = true
	}
	count := map[int32]int{}
	for i := range firms {
		f := &firms[i]
		// The region kept is the finer one: a firm also stated inside the
		// division is placed.
		if !f.active || !slices.Contains(at, f.region) {
			continue
		}
		g.members(f, want, func(ni int32, _ float64) { count[ni]++ })
	}
	out := make([]int, len(nodes))
	for i, n := range nodes {
		out[i] = count[n]
	}
	return out, nil
}

func (g *gizmoStore) peerStats(ctx context.Context, peers []graph.RegionCode, nodes []int32) ([]map[int32]stats, error) {
	var regions []graph.RegionCode
	for _, p := range peers {
		regions = append(regions, g.lib.descendants(p)...)
	}
	firms, err := g.firms(ctx, nodes, regions)
	if err != nil {
		return nil, err
	}
	want := map[int32]bool{}
	for _, n := range nodes {
		want[n] = true
	}
	out := make([]map[int32]stats, len(peers))
	for i := range out {
		out[i] = map[int32]stats{}
	}
	for i := range firms {
		f := &firms[i]
		if !f.active {
			continue
		}
		k := slices.IndexFunc(peers, func(p graph.RegionCode) bool {
			lo, hi := regionRange(p)
			return f.region >= lo && f.region <= hi
		})
		if k < 0 {
			continue
		}
		g.members(f, want, func(ni int32, conf float64) {
			s := out[k][ni]
			s.count++
			s.wcount += conf
			if f.quality > 0 {
				s.tagged++
			}
			out[k][ni] = s
		})
	}
	return out, nil
}

func (g *gizmoStore) targets(ctx context.Context, p *targetParams) (*targetPage, error) {
	// Candidates: the firms on a gap leaf or on a group above one.
	gaps := sortedKeys32(boolKeys(p.severity))
	gaps = append(gaps, sortedKeys32(boolKeys(p.groupSev))...)
	ids, err := g.firmsLinked(ctx, g.nodeIDs(gaps), nil)
	if err != nil {
		return nil, err
	}
	raws, err := g.rawFirms(ctx, ids)
	if err != nil {
		return nil, err
	}
	anchorAdj, presentAdj, groups := map[int32]bool{}, map[int32]bool{}, map[string]bool{}
	for _, n := range p.anchorAdj {
		anchorAdj[n] = true
	}
	for _, n := range p.presentAdj {
		presentAdj[n] = true
	}
	for _, s := range p.groups {
		groups[s] = true
	}
	lo, hi := regionRange(p.region)
	page := &targetPage{}
	var rows []targetRow
	for _, r := range raws {
		f := g.row(r)
		t, ok := scoreTarget(p, &f.firmRow, f.active, lo, hi, anchorAdj, presentAdj, groups)
		switch {
		case !ok:
		case p.placeUnknown(f.region):
			page.unplaced++
		default:
			if !t.scaleKnown {
				page.scaleUnknown++
			}
			rows = append(rows, t)
		}
	}
	slices.SortFunc(rows, func(a, b targetRow) int {
		return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(string(a.id), string(b.id)))
	})
	page.total, page.rows = len(rows), rows[:min(p.size, len(rows))]
	return page, nil
}

func (g *gizmoStore) search(ctx context.Context, q string, limit int) ([]searchHit, error) {
	names, err := g.firmNames(ctx, q)
	if err != nil {
		return nil, err
	}
	best := map[graph.FirmID]float64{}
	for _, n := range names {
		if s := nameScore(q, normName(n.Form)); s > best[n.Firm] {
			best[n.Firm] = s
		}
	}
	ids := make([]graph.FirmID, 0, len(best))
	for id := range best {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	raws, err := g.rawFirms(ctx, ids)
	if err != nil {
		return nil, err
	}
	type hit struct {
		searchHit
		size float64
	}
	var hits []hit
	for _, r := range raws {
		f := g.row(r)
		hits = append(hits, hit{searchHit{id: r.ID, name: r.Name, score: best[r.ID]}, f.size})
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.size, a.size), strings.Compare(string(a.id), string(b.id)))
	})
	out := make([]searchHit, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, h.searchHit)
	}
	return out, nil
}
