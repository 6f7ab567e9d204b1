package readmodel

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/chainkg/chainkg/graph"
)

// Coverage says what data an answer rests on — which sources, how many
// firms, how much of what the scores use is known — so that a reader can
// tell a finding from a hole in the data. Every analytics answer carries one.
type Coverage struct {
	Firms       int // the chain's active firms in the region: the answer's scope
	WithCity    int // of them, placed at city level or finer
	WithCapital int // with a registered capital
	WithRevenue int // with a revenue
	LeafLinked  int // linked to a leaf of the chain, not only to a group node (未细分)
	// Unplaced are the chain's active firms known only at a division above
	// the region (山东省 when 烟台市 is asked): they may be local or not, so
	// they are neither counted as local nor offered as targets (位置待核实).
	Unplaced int
	// ChainFirms are the chain's active firms anywhere in the data, and
	// ChainScaleKnown those of them with a capital or a revenue.
	ChainFirms      int
	ChainScaleKnown int
	// NoDataLeaves are the chain's leaves no firm in the data has anywhere
	// (无数据): not gaps, since nothing says others have them.
	NoDataLeaves int
	Sources      []CoverageSource // the sources of the region's firms, most firms first
	Note         string           // the above in one Chinese sentence, for a banner
}

// CoverageSource is a source and how many of the scope's firms it states.
type CoverageSource struct {
	ID    graph.SourceID
	Title string
	Kind  graph.SourceKind
	Firms int
}

// chainCoverage is the nationwide part, computed once per read model.
type chainCoverage struct {
	firms, scaleKnown int
}

// buildChainCoverage counts each chain's active firms and those with a
// capital or a revenue, each firm once.
func buildChainCoverage(x *Index) []chainCoverage {
	an := x.an
	out := make([]chainCoverage, len(x.chains))
	seen := make([]uint64, (len(x.firms)+63)/64)
	for ci := range x.chains {
		clear(seen)
		for _, ni := range x.chainNodes[ci] {
			if an.nodeParent[ni] >= 0 {
				continue
			}
			for _, m := range an.nodes[ni].members {
				if seen[m.firm/64]&(1<<(m.firm%64)) != 0 {
					continue
				}
				seen[m.firm/64] |= 1 << (m.firm % 64)
				out[ci].firms++
				if f := &x.firms[m.firm]; f.Capital > 0 || f.Revenue > 0 {
					out[ci].scaleKnown++
				}
			}
		}
	}
	return out
}

// coverage describes the chain's firms in a region. It walks the region's
// firms of the chain and their sources, so each region × chain is computed
// once per read model and kept (the read model never changes; a write
// builds a new one).
func (x *Index) coverage(region graph.RegionCode, ci int32) Coverage {
	if x.covCache == nil {
		return x.computeCoverage(region, ci)
	}
	key := coverageKey{region, ci}
	if c, ok := x.covCache.Load(key); ok {
		cov := c.(Coverage)
		cov.Sources = slices.Clone(cov.Sources)
		return cov
	}
	cov := x.computeCoverage(region, ci)
	x.covCache.Store(key, cov)
	cov.Sources = slices.Clone(cov.Sources)
	return cov
}

// coverageCache holds coverages by coverageKey.
type coverageCache struct{ sync.Map }

// coverageKey names a region × chain of the coverage cache.
type coverageKey struct {
	region graph.RegionCode
	chain  int32
}

// computeCoverage walks the chain's firms in a region (coverage).
func (x *Index) computeCoverage(region graph.RegionCode, ci int32) Coverage {
	an := x.an
	cov := Coverage{}
	if ci < int32(len(an.chainCov)) {
		cov.ChainFirms, cov.ChainScaleKnown = an.chainCov[ci].firms, an.chainCov[ci].scaleKnown
	}
	bySource := map[uint16]int{}
	for _, fi := range x.localChainFirms(region, ci) {
		f := &x.firms[fi]
		cov.Firms++
		if f.Region.Level() == graph.LevelCity || f.Region.Level() == graph.LevelCounty {
			cov.WithCity++
		}
		if f.Capital > 0 {
			cov.WithCapital++
		}
		if f.Revenue > 0 {
			cov.WithRevenue++
		}
		for _, ni := range an.nodesOfFirm(fi) {
			if an.nodeChain[ni] == ci && len(an.nodeKids[ni]) == 0 {
				cov.LeafLinked++
				break
			}
		}
		for _, s := range f.sources {
			bySource[s]++
		}
	}
	anc := ancestorNums(region)
	seen := map[int32]bool{}
	for _, ni := range x.chainNodes[ci] {
		if an.nodeParent[ni] >= 0 {
			continue
		}
		agg := &an.nodes[ni]
		for _, a := range anc {
			for _, m := range agg.exact(a) {
				seen[m.firm] = true
			}
		}
	}
	cov.Unplaced = len(seen)
	for _, ni := range an.leaves[ci] {
		if len(an.nodes[ni].members) == 0 {
			cov.NoDataLeaves++
		}
	}
	for s, n := range bySource {
		si := x.sources[s]
		cov.Sources = append(cov.Sources, CoverageSource{ID: si.ID, Title: si.Title, Kind: si.Kind, Firms: n})
	}
	slices.SortFunc(cov.Sources, func(a, b CoverageSource) int { return cmp.Or(cmp.Compare(b.Firms, a.Firms), cmp.Compare(a.ID, b.ID)) })
	cov.Note = coverageNote(cov)
	return cov
}

// coverageNote puts a coverage in one sentence of Chinese.
func coverageNote(c Coverage) string {
	var b strings.Builder
	if c.Firms == 0 {
		b.WriteString("本地区在本产业链暂无数据中的企业")
	} else {
		fmt.Fprintf(&b, "本结果基于本地区%d家企业", c.Firms)
		var titles []string
		for _, s := range c.Sources {
			if s.Kind == graph.KindRegistry || s.Kind == graph.KindPlan || s.Kind == graph.KindOverride {
				titles = append(titles, s.Title)
			}
		}
		if len(titles) > 0 {
			fmt.Fprintf(&b, "（来源：%s）", joinNames(titles, 4))
		}
		fmt.Fprintf(&b, "；其中%d家有地市级以下位置，%d家有注册资本，%d家有营收，%d家细分到具体环节", c.WithCity, c.WithCapital, c.WithRevenue, c.LeafLinked)
	}
	if c.Unplaced > 0 {
		fmt.Fprintf(&b, "；另有%d家仅知所在上级行政区，位置待核实，未计入本地也不作为招商目标", c.Unplaced)
	}
	if c.NoDataLeaves > 0 {
		fmt.Fprintf(&b, "；%d个环节在全部数据中都没有企业（无数据），不作为缺口", c.NoDataLeaves)
	}
	if c.ChainFirms > 0 && c.ChainScaleKnown*2 < c.ChainFirms {
		fmt.Fprintf(&b, "；全国%d家本链企业中仅%d家有注册资本或营收，规模评分参考有限", c.ChainFirms, c.ChainScaleKnown)
	}
	b.WriteString("。")
	return b.String()
}
