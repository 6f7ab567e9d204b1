package readmodel

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chainkg/chainkg/graph"
)

// This file is the data-quality view: per source and per province, the
// firms the analytics cannot place or classify well, and the items a person
// should check — each with a key a writer can mark resolved or wrong.

// QualityKind is a kind of data-quality item.
type QualityKind string

// Kinds of item, with their Chinese names in QualityKindLabel.
const (
	QualityProvinceOnly   QualityKind = "province_only"   // region known only at a province, or not at all
	QualityRegionConflict QualityKind = "region_conflict" // sources give regions that contradict each other
	QualityDuplicate      QualityKind = "duplicate_name"  // one name under two or more ids
	QualityGroupMember    QualityKind = "group_member"    // a firm and the group it belongs to, both in the data
	QualityWeakLink       QualityKind = "weak_link"       // a chain link resting on the firm's name alone
	QualityNoNode         QualityKind = "no_node"         // a firm in no chain node
)

var qualityKinds = []QualityKind{QualityProvinceOnly, QualityRegionConflict, QualityDuplicate, QualityGroupMember, QualityWeakLink, QualityNoNode}

// QualityKindLabel names a kind in Chinese.
func QualityKindLabel(k QualityKind) string {
	switch k {
	case QualityProvinceOnly:
		return "位置仅到省或未知"
	case QualityRegionConflict:
		return "来源间地区矛盾"
	case QualityDuplicate:
		return "疑似重复企业"
	case QualityGroupMember:
		return "集团与成员企业"
	case QualityWeakLink:
		return "仅凭企业名称归入环节"
	case QualityNoNode:
		return "未归入任何环节"
	}
	return string(k)
}

// QualityQuery filters the items of the view.
type QualityQuery struct {
	Kind   QualityKind      // "" for every kind
	Region graph.RegionCode // items of firms in the region or known only above it; "" for all
	Source graph.SourceID   // items of firms this source states; "" for all
	Status string           // open (default: not marked), marked, all
	Page   int              // 1-based
	Size   int              // default 50, at most 500
}

// QualityCounts count the items of each kind in a scope.
type QualityCounts struct {
	Firms          int
	ProvinceOnly   int
	RegionConflict int
	WeakLinks      int
	NoNode         int
}

// SourceQuality is one source's part of the view.
type SourceQuality struct {
	Source  graph.SourceInfo
	AgeDays int // since it was loaded
	QualityCounts
}

// RegionQuality is one province's part of the view.
type RegionQuality struct {
	Region graph.Region
	QualityCounts
}

// QualityItem is one thing to check.
type QualityItem struct {
	Key     string // what a mark names
	Kind    QualityKind
	Firms   []FirmRef
	Node    graph.NodeID // a weak link's node
	Detail  string       // in Chinese
	Sources []graph.SourceID
	Mark    *graph.QualityMark
}

// QualityReport answers the data-quality view.
type QualityReport struct {
	Sources []SourceQuality
	Regions []RegionQuality // provinces with firms, most firms first
	Kinds   map[QualityKind]int
	Marked  int // items of the scope a writer has marked
	Total   int // items after filters
	Page    int
	Size    int
	Items   []QualityItem
}

// Quality builds the data-quality view. It reads every firm, so it is for
// a person's occasional look, not a hot path; it stops when ctx is done.
func (x *Index) Quality(ctx context.Context, q QualityQuery) (*QualityReport, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Size <= 0 {
		q.Size = 50
	}
	if q.Size > 500 {
		return nil, fmt.Errorf("%w: page size %d: at most 500", graph.ErrInvalid, q.Size)
	}
	switch q.Status {
	case "", "open", "marked", "all":
	default:
		return nil, fmt.Errorf("%w: status %q: want open, marked or all", graph.ErrInvalid, q.Status)
	}
	if q.Kind != "" && !slices.Contains(qualityKinds, q.Kind) {
		return nil, fmt.Errorf("%w: kind %q", graph.ErrInvalid, q.Kind)
	}
	sc := &qualityScan{x: x, q: q, srcFilter: -1, out: &QualityReport{Kinds: map[QualityKind]int{}, Page: q.Page, Size: q.Size},
		bySrc: make([]QualityCounts, len(x.sources)), byProv: map[graph.RegionCode]*QualityCounts{}, byName: map[string][]int32{}}
	if q.Source != "" {
		i, ok := x.srcByID[q.Source]
		if !ok {
			return nil, fmt.Errorf("%w: source %s", graph.ErrNotFound, q.Source)
		}
		sc.srcFilter = i
	}
	for i := range x.firms {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		sc.firm(int32(i))
	}
	sc.duplicates()
	sc.summaries()
	out := sc.out
	out.Total = len(sc.items)
	start := (q.Page - 1) * q.Size
	if start < len(sc.items) {
		out.Items = sc.items[start:min(len(sc.items), start+q.Size)]
	}
	return out, nil
}

// qualityScan collects the view in one pass over the firms.
type qualityScan struct {
	x         *Index
	q         QualityQuery
	srcFilter int
	out       *QualityReport
	items     []QualityItem
	bySrc     []QualityCounts
	byProv    map[graph.RegionCode]*QualityCounts
	byName    map[string][]int32
}

// add counts an item of firm fi (when it is in the query's scope) and keeps
// it when it passes the kind and status filters.
func (sc *qualityScan) add(it QualityItem, fi int32) {
	x, q := sc.x, sc.q
	if q.Region != "" && !x.inOrAbove(fi, q.Region) {
		return
	}
	if sc.srcFilter >= 0 && !slices.Contains(x.firms[fi].sources, uint16(sc.srcFilter)) {
		return
	}
	if m, ok := x.marks[it.Key]; ok {
		it.Mark = &m
	}
	sc.out.Kinds[it.Kind]++
	if it.Mark != nil {
		sc.out.Marked++
	}
	keep := false
	switch {
	case q.Kind != "" && it.Kind != q.Kind:
	case q.Status == "" || q.Status == "open":
		keep = it.Mark == nil
	case q.Status == "marked":
		keep = it.Mark != nil
	default:
		keep = true
	}
	if keep {
		sc.items = append(sc.items, it)
	}
}

// firm counts one firm in its sources and province, and adds its items.
func (sc *qualityScan) firm(fi int32) {
	x := sc.x
	f := &x.firms[fi]
	srcs := x.sourceIDs(f.sources)
	prov := graph.RegionCode("")
	if len(f.Region) >= 2 {
		prov = f.Region.Province()
	}
	pc := sc.byProv[prov]
	if pc == nil {
		pc = &QualityCounts{}
		sc.byProv[prov] = pc
	}
	count := func(fn func(c *QualityCounts)) {
		fn(pc)
		for _, s := range f.sources {
			fn(&sc.bySrc[s])
		}
	}
	count(func(c *QualityCounts) { c.Firms++ })
	sc.byName[f.Name] = append(sc.byName[f.Name], fi)
	ref := []FirmRef{x.firmRef(fi)}
	if f.Region == "" || f.Region.Level() == graph.LevelProvince {
		count(func(c *QualityCounts) { c.ProvinceOnly++ })
		where := "未知"
		if r, ok := x.Region(f.Region); ok {
			where = "仅知在" + r.Name
		}
		sc.add(QualityItem{Key: "province-only:" + string(f.ID), Kind: QualityProvinceOnly, Firms: ref,
			Detail: "所在地区" + where + "：既不计为任何地市的本地企业，也不作为其招商目标（位置待核实）", Sources: srcs}, fi)
	}
	if c := x.regionConflicts[fi]; len(c) > 0 {
		count(func(c *QualityCounts) { c.RegionConflict++ })
		sc.add(QualityItem{Key: "region-conflict:" + string(f.ID), Kind: QualityRegionConflict, Firms: ref,
			Detail: fmt.Sprintf("采用%s，另有来源给出%s", x.regionName(f.Region), x.regionList(c)), Sources: srcs}, fi)
	}
	if len(f.links) == 0 {
		count(func(c *QualityCounts) { c.NoNode++ })
		sc.add(QualityItem{Key: "no-node:" + string(f.ID), Kind: QualityNoNode, Firms: ref,
			Detail: "未归入任何产业链环节：经营范围、行业代码和名称都没有匹配", Sources: srcs}, fi)
	}
	for _, l := range f.links {
		if graph.WeakMethod(x.words[l.method]) {
			sc.bySrc[l.src].WeakLinks++
			pc.WeakLinks++
			n := x.nodes[l.node]
			sc.add(QualityItem{Key: "weak-link:" + string(f.ID) + ":" + string(n.ID), Kind: QualityWeakLink, Firms: ref,
				Node: n.ID, Detail: "仅凭企业名称归入「" + n.Name + "」，没有行业代码或经营范围佐证", Sources: srcs}, fi)
		}
	}
	for _, g := range f.MemberOf {
		if gi, ok := x.firmAt[g]; ok {
			sc.add(QualityItem{Key: "group:" + string(f.ID) + ":" + string(g), Kind: QualityGroupMember,
				Firms: []FirmRef{x.firmRef(fi), x.firmRef(gi)}, Detail: f.Name + "属于" + x.firms[gi].Name + "：地图上应视为一个集团", Sources: srcs}, fi)
		}
	}
}

// duplicates adds an item per name held by two or more firms.
func (sc *qualityScan) duplicates() {
	x := sc.x
	var names []string
	for n, ids := range sc.byName {
		if len(ids) > 1 && n != "" {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		ids := sc.byName[n]
		it := QualityItem{Key: "duplicate:" + n, Kind: QualityDuplicate, Detail: fmt.Sprintf("同名企业「%s」有%d个编号", n, len(ids))}
		for _, fi := range ids {
			it.Firms = append(it.Firms, x.firmRef(fi))
			it.Sources = append(it.Sources, x.sourceIDs(x.firms[fi].sources)...)
		}
		it.Sources = graph.Uniq(it.Sources)
		sc.add(it, ids[0])
	}
}

// summaries lists the per-source and per-province counts.
func (sc *qualityScan) summaries() {
	x, out := sc.x, sc.out
	now := time.Now()
	for i, si := range x.sources {
		if sc.bySrc[i].Firms == 0 && si.Kind != graph.KindRegistry {
			continue
		}
		out.Sources = append(out.Sources, SourceQuality{Source: si, AgeDays: int(now.Sub(si.LoadedAt).Hours() / 24), QualityCounts: sc.bySrc[i]})
	}
	for code, c := range sc.byProv {
		r, ok := x.Region(code)
		if !ok {
			r = graph.Region{Code: code, Name: "地区未知"}
		}
		out.Regions = append(out.Regions, RegionQuality{Region: r, QualityCounts: *c})
	}
	slices.SortFunc(out.Regions, func(a, b RegionQuality) int {
		return cmp.Or(cmp.Compare(b.Firms, a.Firms), cmp.Compare(a.Region.Code, b.Region.Code))
	})
}

// inOrAbove reports whether a firm lies in a region or is known only at a
// division above it (so a region's team should check it).
func (x *Index) inOrAbove(fi int32, region graph.RegionCode) bool {
	r := x.firms[fi].Region
	return r != "" && (region.Contains(r) || r.Contains(region))
}

func (x *Index) sourceIDs(srcs []uint16) []graph.SourceID {
	out := make([]graph.SourceID, len(srcs))
	for i, s := range srcs {
		out[i] = x.sources[s].ID
	}
	return out
}

func (x *Index) regionName(c graph.RegionCode) string {
	if r, ok := x.Region(c); ok {
		return r.Name
	}
	return string(c)
}

func (x *Index) regionList(cs []graph.RegionCode) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = x.regionName(c)
	}
	return strings.Join(names, "、")
}

// Mark returns the verdict a writer gave an item, if any.
func (x *Index) Mark(item string) (graph.QualityMark, bool) {
	m, ok := x.marks[item]
	return m, ok
}

// Marks returns every verdict, by item.
func (x *Index) Marks() []graph.QualityMark {
	out := make([]graph.QualityMark, 0, len(x.marks))
	for _, m := range x.marks {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b graph.QualityMark) int { return cmp.Compare(a.Item, b.Item) })
	return out
}
