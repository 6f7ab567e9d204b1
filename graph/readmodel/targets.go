package readmodel

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// TargetFormula documents the target score; answers carry it.
const TargetFormula = "score = wt_gap·gap + wt_affinity·affinity + wt_quality·quality + wt_scale·scale + wt_proximity·proximity − wt_risk·risk; " +
	"gap = severity of the most severe local gap node the firm covers (+5 per further gap node, at most 100); " +
	"a firm linked only to a group node (电池材料) counts for the gap leaves under it at group_fit times their severity; " +
	"affinity = 100 when one of its nodes supplies or is supplied by a node where a local anchor works, or it shares a group with a local firm, " +
	"60 when adjacent to a node with local firms, else 0 (以商招商); " +
	"quality = 100·min(1, tag points/5); scale = 100·min(1, ln(1+capital)/ln(1+capital_full)), or revenue on the same scale when larger; " +
	"a firm with neither capital nor revenue has scale unknown (规模未知): it is left out and the other positive weights are scaled up to the same total; " +
	"proximity = 100 in the region's province, else 0 (city clusters are not modelled); " +
	"risk = 100 when not active, 50 when capital < tiny_capital. Targets never come from inside the region, " +
	"nor from firms whose region is unknown or only a division above it (位置待核实: counted as unplaced)."

// TargetQuery filters, sorts and pages targets.
type TargetQuery struct {
	Tags       []string           // keep firms with any of these tags
	Province   graph.RegionCode   // keep firms of this province
	MinCapital float64            // 万元; 0 for no bound
	MaxCapital float64            // 万元; 0 for no bound
	Statuses   []graph.FirmStatus // statuses to include; empty means active only
	Nodes      []graph.NodeID     // restrict to these gap nodes
	Sort       string             // score (default), capital, revenue, name
	Page       int                // 1-based
	Size       int                // default 20, at most 500
	Peers      []graph.RegionCode // peers for gap severity; nil for the default
	// LeafOnly leaves out firms linked only to a group node above a gap
	// leaf (whether they work in the leaf is not known).
	LeafOnly bool
}

// TargetComponents are the parts of a target's score, each 0–100.
type TargetComponents struct {
	Gap       float64
	Affinity  float64
	Quality   float64
	Scale     float64
	Proximity float64
	Risk      float64
	// ScaleKnown is false when the firm has neither capital nor revenue:
	// Scale is 0 and left out of the score.
	ScaleKnown bool
}

// ParkRef names a park recommended for a target.
type ParkRef struct {
	ID    graph.ParkID
	Name  string
	Level string
	Why   string
}

// Target is a firm outside the region that would fill its gaps.
type Target struct {
	Firm       FirmRef
	Status     graph.FirmStatus
	Score      float64
	Components TargetComponents
	GapNodes   []graph.NodeID // the region's gap nodes it covers
	Group      graph.NodeID   // set when the firm is linked only to this group node, above its gap leaf
	// Method is how the firm's link to its best gap node was found (申万行业
	// 对照, 新闻点名 …), so the reason can say where the evidence comes from.
	Method string
	Park   *ParkRef
	Reason string
}

// TargetList answers the targets of a region × chain, one page.
type TargetList struct {
	Region  graph.Region
	Chain   graph.Chain
	Total   int // targets after filters
	Page    int
	Size    int
	Targets []Target
	// Unplaced are firms that would cover a gap but whose region is unknown
	// or only a division above the asked one: they may be local, so they are
	// not ranked (位置待核实).
	Unplaced int
	// ScaleUnknown are the targets (after filters) with neither capital nor revenue.
	ScaleUnknown int
	Coverage     Coverage
	Config       graph.Config
	Formula      string
}

// Targets ranks firms outside the region that cover its gap nodes.
func (x *Index) Targets(ctx context.Context, region graph.RegionCode, chain graph.ChainID, q TargetQuery, cfg graph.Config) (*TargetList, error) {
	r, ci, err := x.resolveRC(region, chain)
	if err != nil {
		return nil, err
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Size <= 0 {
		q.Size = 20
	}
	if q.Size > 500 {
		return nil, fmt.Errorf("%w: page size %d: at most 500", graph.ErrInvalid, q.Size)
	}
	switch q.Sort {
	case "", "score", "capital", "revenue", "name":
	default:
		return nil, fmt.Errorf("%w: sort %q: want score, capital, revenue or name", graph.ErrInvalid, q.Sort)
	}
	gaps, err := x.gaps(ctx, region, chain, q.Peers, cfg)
	if err != nil {
		return nil, err
	}
	out := &TargetList{Region: r, Chain: x.chains[ci], Page: q.Page, Size: q.Size, Config: cfg, Formula: TargetFormula,
		Coverage: x.coverage(region, ci)}
	t := x.newTargetRun(region, ci, gaps, q, cfg)
	cands, err := t.candidates(ctx, out)
	if err != nil {
		return nil, err
	}
	out.Total = len(cands)
	start := (q.Page - 1) * q.Size
	if start >= len(cands) {
		return out, nil
	}
	end := min(len(cands), start+q.Size)
	if end < len(cands) {
		partialSort(cands, end, t.less)
	} else {
		slices.SortFunc(cands, t.less)
	}
	parks := x.parksFor(region, x.chains[ci].ID)
	for _, cd := range cands[start:end] {
		out.Targets = append(out.Targets, t.target(cd, r, parks))
	}
	return out, nil
}

// targetRun is what scoring one region × chain's candidates needs, worked
// out once per request.
type targetRun struct {
	x      *Index
	an     *analytics
	region graph.RegionCode
	// province is the region's province as a number (37 for 山东), which
	// a candidate's numeric region over 10,000 is compared with.
	province uint32
	q        TargetQuery
	cfg      graph.Config
	// severity is each node's gap severity, -1 when it is not a gap.
	severity []float64
	gapNodes []int32
	// anchorAdj marks nodes next to a local anchor's, presentAdj nodes next
	// to one with any local firm; localGroups are the local firms' groups.
	anchorAdj, presentAdj []bool
	localGroups           map[int32]bool
	// landedHere are the firms a lead landed in the region (local now, not
	// targets); landedNear those landed in a division above it (they may
	// be in it: 位置待核实).
	landedHere, landedNear map[int32]bool
	// groupSev is, for a node with sub-nodes, the most severe gap leaf under
	// it (groupLeaf) and that severity times group_fit.
	groupSev  []float64
	groupLeaf []int32
}

// cand is a scored candidate, kept small (tens of thousands of them at 1M
// firms); the page's components are computed again.
type cand struct {
	fi       int32
	bestNode int32
	group    int32 // the group node the firm is linked to, when it fills a leaf under it; -1 otherwise
	score    float64
}

func (x *Index) newTargetRun(region graph.RegionCode, ci int32, gaps *GapList, q TargetQuery, cfg graph.Config) *targetRun {
	an := x.an
	t := &targetRun{x: x, an: an, region: region, province: regionNum(region) / 10000, q: q, cfg: cfg, severity: make([]float64, len(x.nodes)),
		anchorAdj: make([]bool, len(x.nodes)), presentAdj: make([]bool, len(x.nodes)), localGroups: map[int32]bool{},
		groupSev: make([]float64, len(x.nodes)), groupLeaf: make([]int32, len(x.nodes))}
	for i := range t.severity {
		t.severity[i] = -1
	}
	for _, g := range gaps.Gaps {
		if len(q.Nodes) > 0 && !slices.Contains(q.Nodes, g.Node.ID) {
			continue
		}
		ni := x.nodeAt[g.Node.ID]
		t.severity[ni] = g.Severity
		t.gapNodes = append(t.gapNodes, ni)
	}
	for _, a := range x.scoreAnchors(region, ci, &cfg) {
		if !a.Gate.Passed {
			continue
		}
		for _, n := range a.Nodes {
			for _, adj := range adjacent(an, x.nodeAt[n]) {
				t.anchorAdj[adj] = true
			}
		}
	}
	for _, ni := range x.chainNodes[ci] {
		if an.nodes[ni].stats(region).count > 0 {
			for _, adj := range adjacent(an, ni) {
				t.presentAdj[adj] = true
			}
		}
	}
	for _, fi := range x.localChainFirms(region, ci) {
		if g := an.firmTarget[fi].group; g >= 0 {
			t.localGroups[g] = true
		}
	}
	t.noteLanded()
	for _, ni := range t.gapNodes {
		for a := an.nodeParent[ni]; a >= 0; a = an.nodeParent[a] {
			if sv := t.severity[ni] * cfg.GroupFit; sv > t.groupSev[a] {
				t.groupSev[a], t.groupLeaf[a] = sv, ni
			}
		}
	}
	return t
}

// noteLanded finds the firms whose leads landed in the region, or in a
// division above it.
func (t *targetRun) noteLanded() {
	x := t.x
	lo, hi := regionRange(t.region)
	t.landedHere, t.landedNear = map[int32]bool{}, map[int32]bool{}
	for _, l := range x.leads {
		if _, ok := l.LandedOn(); !ok {
			continue
		}
		fi, ok := x.firmAt[l.Firm]
		if !ok {
			continue
		}
		place := x.leadPlace(l)
		switch num := regionNum(place); {
		case num >= lo && num <= hi:
			t.landedHere[fi] = true
		case place.Contains(t.region):
			t.landedNear[fi] = true
		}
	}
}

// candidates scores every firm outside the region that covers a gap and
// passes the filters; firms that may be inside it are counted in out.
func (t *targetRun) candidates(ctx context.Context, out *TargetList) ([]cand, error) {
	x, an := t.x, t.an
	lo, hi := regionRange(t.region)
	anc := ancestorNums(t.region)
	wantInactive := slices.ContainsFunc(t.q.Statuses, func(s graph.FirmStatus) bool { return s != graph.StatusActive })
	seen := make([]uint64, (len(x.firms)+63)/64)
	var cands []cand
	plain := t.q.unfiltered()
	consider := func(fi int32) {
		if seen[fi/64]&(1<<(fi%64)) != 0 {
			return
		}
		seen[fi/64] |= 1 << (fi % 64)
		rec := &an.firmTarget[fi]
		if reg := rec.region; reg >= lo && reg <= hi && reg != 0 || t.landedHere[fi] {
			return // inside the region, or landed in it through a lead
		}
		if plain && !rec.active || !plain && !x.targetFilter(fi, t.q) {
			return
		}
		c, score, bestNode, group, ok := t.eval(fi, rec)
		if !ok {
			return
		}
		if uncertainAt(rec.region, anc) || t.landedNear[fi] {
			out.Unplaced++ // perhaps inside the region: not a target of it
			return
		}
		if !c.ScaleKnown {
			out.ScaleUnknown++
		}
		cands = append(cands, cand{fi: fi, bestNode: bestNode, group: group, score: score})
	}
	for ni := range t.groupSev {
		if t.groupSev[ni] > 0 && !t.q.LeafOnly {
			for _, fi := range an.nodeDirect[ni] {
				consider(fi)
			}
		}
	}
	for _, ni := range t.gapNodes {
		// A county's gaps may have tens of thousands of candidates: the
		// request's deadline is checked between nodes.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, m := range an.nodes[ni].members {
			consider(m.firm)
		}
		if wantInactive {
			for _, fi := range an.nodeInactive[ni] {
				consider(fi)
			}
		}
	}
	return cands, nil
}

// eval scores a firm outside the region that passed the filters; ok is
// false when it covers no gap.
func (t *targetRun) eval(fi int32, rec *targetRec) (c TargetComponents, score float64, bestNode, group int32, ok bool) {
	an, cfg := t.an, &t.cfg
	best, more := 0.0, 0
	bestNode, group = -1, -1
	nodes := an.firmNodes[rec.nodeLo:rec.nodeHi]
	for _, ni := range nodes {
		for a := ni; a >= 0; a = an.nodeParent[a] {
			if sv := t.severity[a]; sv >= 0 {
				if sv > best || bestNode < 0 {
					best, bestNode, group = sv, a, -1
				}
				more++
			}
		}
		// A firm linked to a group node may fill a gap leaf under it.
		if sv := t.groupSev[ni]; sv > 0 && !t.q.LeafOnly && an.linkedOnlyIn(nodes, ni) {
			if sv > best || bestNode < 0 {
				best, bestNode, group = sv, t.groupLeaf[ni], ni
			}
			more++
		}
	}
	if bestNode < 0 {
		return c, 0, -1, -1, false
	}
	c.Gap = math.Min(100, best+5*float64(more-1))
	for _, ni := range nodes {
		switch {
		case t.anchorAdj[ni]:
			c.Affinity = 100
		case t.presentAdj[ni] && c.Affinity < 60:
			c.Affinity = 60
		}
	}
	if g := rec.group; g >= 0 && t.localGroups[g] {
		c.Affinity = 100
	}
	c.Quality = 100 * math.Min(1, float64(rec.quality)/5)
	sz := rec.scale
	c.ScaleKnown = sz > 0
	if cfg.CapitalFull > 0 && c.ScaleKnown {
		c.Scale = 100 * math.Min(1, math.Log1p(sz)/math.Log1p(cfg.CapitalFull))
	}
	if r := rec.region; r != 0 && r/10000 == t.province {
		c.Proximity = 100
	}
	switch capital := rec.capital; {
	case !rec.active:
		c.Risk = 100
	case capital > 0 && capital < cfg.TinyCapital:
		c.Risk = 50
	}
	pos := cfg.WTGap*c.Gap + cfg.WTAffinity*c.Affinity + cfg.WTQuality*c.Quality + cfg.WTProximity*c.Proximity
	if c.ScaleKnown {
		pos += cfg.WTScale * c.Scale
	} else {
		pos = renormalise(pos, cfg.WTGap+cfg.WTAffinity+cfg.WTQuality+cfg.WTScale+cfg.WTProximity, cfg.WTScale)
	}
	return c, pos - cfg.WTRisk*c.Risk, bestNode, group, true
}

// less orders candidates by the query's sort. The id breaks ties only:
// cmp.Or would compare the ids of every pair, a cache miss per candidate on
// the firm records.
func (t *targetRun) less(a, b cand) int {
	fa, fb := &t.x.firms[a.fi], &t.x.firms[b.fi]
	c := 0
	switch t.q.Sort {
	case "capital":
		c = compareFloat(fb.Capital, fa.Capital)
	case "revenue":
		c = compareFloat(fb.Revenue, fa.Revenue)
	case "name":
		c = strings.Compare(fa.Name, fb.Name)
	default:
		c = compareFloat(b.score, a.score)
	}
	if c != 0 {
		return c
	}
	return cmp.Compare(fa.ID, fb.ID)
}

// target makes a candidate of the page into an answer, with its
// components, the gaps it covers, a park and the reason.
func (t *targetRun) target(cd cand, r graph.Region, parks []graph.Park) Target {
	x, an := t.x, t.an
	f := &x.firms[cd.fi]
	c, _, _, _, _ := t.eval(cd.fi, &t.an.firmTarget[cd.fi])
	tg := Target{Firm: x.firmRef(cd.fi), Status: f.Status, Score: cd.score, Components: c}
	if tg.Status == "" {
		tg.Status = graph.StatusActive
	}
	for _, ni := range an.nodesOfFirm(cd.fi) {
		for a := ni; a >= 0; a = an.nodeParent[a] {
			if t.severity[a] >= 0 && !slices.Contains(tg.GapNodes, x.nodes[a].ID) {
				tg.GapNodes = append(tg.GapNodes, x.nodes[a].ID)
			}
		}
	}
	for _, ni := range an.nodesOfFirm(cd.fi) {
		if t.groupSev[ni] > 0 && !t.q.LeafOnly && an.linkedOnlyAt(cd.fi, ni) && !slices.Contains(tg.GapNodes, x.nodes[t.groupLeaf[ni]].ID) {
			tg.GapNodes = append(tg.GapNodes, x.nodes[t.groupLeaf[ni]].ID)
		}
	}
	if cd.group >= 0 {
		tg.Group = x.nodes[cd.group].ID
		tg.Method = x.linkMethod(cd.fi, cd.group)
	} else {
		tg.Method = x.linkMethod(cd.fi, cd.bestNode)
	}
	tg.Park = bestPark(parks, x.nodes[cd.bestNode])
	tg.Reason = x.targetReason(r, tg, x.nodes[cd.bestNode])
	return tg
}

// partialSort puts the k smallest elements, in order, at the front.
func partialSort[T any](s []T, k int, less func(a, b T) int) {
	// A max-heap of the best k seen so far.
	h := s[:0:0]
	h = append(h, s[:k]...)
	slices.SortFunc(h, less)
	for _, v := range s[k:] {
		if less(v, h[k-1]) < 0 {
			i, _ := slices.BinarySearchFunc(h, v, less)
			copy(h[i+1:], h[i:k-1])
			h[i] = v
		}
	}
	copy(s, h)
}

// unfiltered reports whether the query asks for active firms with no
// other filter: targetFilter is then the firm's being active.
func (q TargetQuery) unfiltered() bool {
	return len(q.Statuses) == 0 && q.Province == "" && q.MinCapital <= 0 && q.MaxCapital <= 0 && len(q.Tags) == 0
}

// targetFilter applies a query's filters to a firm.
func (x *Index) targetFilter(fi int32, q TargetQuery) bool {
	f := &x.firms[fi]
	if len(q.Statuses) == 0 {
		if !x.an.firmActive[fi] {
			return false
		}
	} else {
		st := f.Status
		if st == "" {
			st = graph.StatusActive
		}
		if !slices.Contains(q.Statuses, st) {
			return false
		}
	}
	if q.Province != "" && (f.Region == "" || f.Region.Province() != q.Province.Province()) {
		return false
	}
	if q.MinCapital > 0 && f.Capital < q.MinCapital {
		return false
	}
	if q.MaxCapital > 0 && f.Capital > q.MaxCapital {
		return false
	}
	if len(q.Tags) > 0 {
		ok := false
		for _, t := range q.Tags {
			if slices.Contains(f.Tags, t) || t == "上市" && x.an.firmListed[fi] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// parksFor returns the parks in a region (or its sub-regions) whose focus
// includes the chain.
func (x *Index) parksFor(region graph.RegionCode, chain graph.ChainID) []graph.Park {
	var out []graph.Park
	for _, p := range x.parks {
		if p.Region != "" && region.Contains(p.Region) && slices.Contains(p.Chains, chain) {
			out = append(out, p)
		}
	}
	return out
}

// bestPark picks the park whose focus fits a node best: its focus words
// naming the node first, then the park's level.
func bestPark(parks []graph.Park, n graph.ChainNode) *ParkRef {
	var best *ParkRef
	bestScore := -1.0
	for _, p := range parks {
		s, why := 1.0, "园区主导产业包含本产业链"
		for _, f := range p.Focus {
			if strings.Contains(f, n.Name) || strings.Contains(n.Name, f) && f != "" {
				s, why = 2, "园区主导产业包含「"+n.Name+"」"
				break
			}
		}
		switch p.Level {
		case "national":
			s += 0.5
		case "provincial":
			s += 0.25
		}
		if s > bestScore {
			bestScore = s
			best = &ParkRef{ID: p.ID, Name: p.Name, Level: p.Level, Why: why}
		}
	}
	return best
}

// targetReason says in Chinese why a firm is a target.
func (x *Index) targetReason(r graph.Region, t Target, n graph.ChainNode) string {
	var b strings.Builder
	b.WriteString(t.Firm.Name)
	var facts []string
	if rr, ok := x.Region(t.Firm.Region); ok {
		place := rr.Name
		if a := x.Ancestors(rr.Code); len(a) > 0 {
			place = a[0].Name + place
			if len(a) > 1 && rr.Level == graph.LevelCounty {
				place = a[0].Name + a[1].Name + rr.Name
			}
		}
		facts = append(facts, place)
	}
	for _, tag := range t.Firm.Tags {
		if qualityPoints[tag] > 0 {
			facts = append(facts, tag)
		}
	}
	if len(facts) > 0 {
		fmt.Fprintf(&b, "（%s）", strings.Join(facts, "，"))
	}
	by := ""
	if l := graph.MethodLabel(t.Method); l != "" {
		by = "据" + l + "，"
	}
	if t.Group != "" {
		g, _ := x.Node(t.Group)
		fmt.Fprintf(&b, "%s属「%s」环节，是否覆盖%s缺口「%s」待核实", by, g.Name, r.Name, n.Name)
	} else {
		fmt.Fprintf(&b, "%s从事「%s」，可补%s该环节短板", by, n.Name, r.Name)
	}
	if len(t.GapNodes) > 1 {
		fmt.Fprintf(&b, "，并覆盖另外%d个缺口环节", len(t.GapNodes)-1)
	}
	switch {
	case t.Components.Affinity >= 100:
		b.WriteString("；与本地链主企业存在上下游或同集团关系")
	case t.Components.Affinity >= 60:
		b.WriteString("；与本地已有企业的环节上下游相邻")
	}
	if t.Components.Risk >= 100 {
		b.WriteString("；注意：企业登记状态非存续")
	} else if t.Components.Risk >= 50 {
		b.WriteString("；注意：注册资本很小")
	}
	if !t.Components.ScaleKnown {
		b.WriteString("；规模未知（注册资本与营收均无数据），评分未计规模")
	}
	if t.Park != nil {
		fmt.Fprintf(&b, "；建议落户%s（%s）", t.Park.Name, t.Park.Why)
	}
	b.WriteString("。")
	return b.String()
}

// linkMethod returns how a firm's link to a node (or to a node below it)
// was found; "" when it has none there.
func (x *Index) linkMethod(fi, ni int32) string {
	an := x.an
	for _, l := range x.firms[fi].links {
		for a := l.node; a >= 0; a = an.nodeParent[a] {
			if a == ni {
				return x.words[l.method]
			}
		}
	}
	return ""
}
