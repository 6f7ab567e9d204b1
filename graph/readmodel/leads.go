package readmodel

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// This file is the read side of leads (招商线索): the leads with the names
// a person reads, filtered lists, the funnel per region × chain, and the
// landed leads the chain map counts as local firms (method landed).

// MethodLanded is the method of a landed lead's link to its node on the map.
const MethodLanded = "landed"

// LandedNote says how landed leads count on the map; answers that count
// them carry it.
const LandedNote = "已落地的招商线索自落地日期起计为其环节的一家本地企业（方法 landed），位于其园区所在地区；" +
	"未指定环节时按该企业在本链的环节计入。其规模与资质标签属于母公司，不计入本地规模与质量。"

func (b *Builder) leadFact(rest string, q quad.Quad) {
	id, ev, ok := graph.LeadSubject(rest)
	if !ok {
		return
	}
	m := getOr(b.leads, id, func() *graph.LeadMerge { return &graph.LeadMerge{Lead: graph.Lead{ID: id}} })
	m.Add(ev, q)
}

// buildLeads returns the decoded leads ordered by number.
func (b *Builder) buildLeads() []graph.Lead {
	out := make([]graph.Lead, 0, len(b.leads))
	for _, m := range b.leads {
		b.noteBad(m.Bad)
		if l, ok := m.Result(); ok {
			out = append(out, l)
		}
	}
	slices.SortFunc(out, func(a, c graph.Lead) int { return cmp.Compare(a.ID.Num(), c.ID.Num()) })
	return out
}

// landings are the members of node aggregates that are landed leads
// rather than registered firms, with the date each landed.
type landings struct {
	at    map[landingKey]string
	firms map[int32]bool
	// placed are the (firm, region) pairs counted among their region's
	// firms, with the date they landed.
	placed map[[2]uint32]string
}

type landingKey struct {
	node, firm int32
	region     uint32
}

// has reports whether a member of node ni is a landed lead.
func (l landings) has(ni int32, m member) bool {
	if !l.firms[m.firm] {
		return false
	}
	_, ok := l.at[landingKey{ni, m.firm, m.region}]
	return ok
}

// date returns the day a landed member landed.
func (l landings) date(ni int32, m member) (string, bool) {
	if !l.firms[m.firm] {
		return "", false
	}
	d, ok := l.at[landingKey{ni, m.firm, m.region}]
	return d, ok
}

// count returns the landed members of node ni among ms.
func (l landings) count(ni int32, ms []member) int {
	if len(l.at) == 0 {
		return 0
	}
	n := 0
	for _, m := range ms {
		if l.has(ni, m) {
			n++
		}
	}
	return n
}

// leadPlace returns where a landed lead's firm is placed: its park's
// region when the park lies within the lead's region, else the region.
func (x *Index) leadPlace(l graph.Lead) graph.RegionCode {
	if p, ok := x.Park(l.Park); ok && p.Region != "" && l.Region.Contains(p.Region) {
		return p.Region
	}
	return l.Region
}

// leadNodes returns the nodes a lead counts in once landed: its node when
// it names one of its chain, else the firm's own links in the chain.
func (x *Index) leadNodes(l graph.Lead, an *analytics) []int32 {
	if l.Node != "" {
		if ni, ok := x.nodeAt[l.Node]; ok && l.Node.Chain() == l.Chain {
			return []int32{ni}
		}
		return nil
	}
	fi, ok := x.firmAt[l.Firm]
	ci, cok := x.chainAt[l.Chain]
	if !ok || !cok {
		return nil
	}
	var out []int32
	for _, ni := range an.nodesOfFirm(fi) {
		if an.nodeChain[ni] == ci {
			out = append(out, ni)
		}
	}
	return out
}

// addLanded adds each landed lead to its nodes (and their ancestors) as a
// member at its place, unless the firm is already counted there, and
// counts it among its region's firms.
func addLanded(x *Index, an *analytics, perNode [][]member) landings {
	ls := landings{at: map[landingKey]string{}, firms: map[int32]bool{}, placed: map[[2]uint32]string{}}
	for _, l := range x.leads {
		date, ok := l.LandedOn()
		if !ok {
			continue
		}
		fi, ok := x.firmAt[l.Firm]
		if !ok {
			continue
		}
		place := x.leadPlace(l)
		num := regionNum(place)
		lo, hi := regionRange(place)
		var seen []int32
		added := false
		for _, ni := range x.leadNodes(l, an) {
			for a := ni; a >= 0; a = an.nodeParent[a] {
				if slices.Contains(seen, a) {
					continue
				}
				seen = append(seen, a)
				if slices.ContainsFunc(perNode[a], func(m member) bool { return m.firm == fi && m.region >= lo && m.region <= hi }) {
					continue // already counted: the firm is here, or landed here earlier
				}
				k := landingKey{a, fi, num}
				ls.at[k], ls.firms[fi] = date, true
				perNode[a] = append(perNode[a], member{firm: fi, region: num, conf: 1})
				added = true
			}
		}
		local := an.firmActive[fi] && an.firmRegion[fi] >= lo && an.firmRegion[fi] <= hi
		if _, done := ls.placed[[2]uint32{uint32(fi), num}]; added && !local && !done {
			ls.placed[[2]uint32{uint32(fi), num}] = date
			an.total++
			addRegionTotal(an.regionTotal, place)
		}
	}
	return ls
}

// LeadView is a lead with the names a person reads.
type LeadView struct {
	graph.Lead
	FirmName   string // "" when the firm is not in the data (any more)
	RegionName string
	ChainName  string
	NodeName   string
	ParkName   string
	// MapNodes are the nodes it counts in once landed; empty when it
	// names no node and its firm has no link in the chain.
	MapNodes []graph.NodeID
	Place    graph.RegionCode // where it counts once landed
}

func (x *Index) leadView(l graph.Lead) LeadView {
	v := LeadView{Lead: l, Place: x.leadPlace(l)}
	if f, ok := x.Firm(l.Firm); ok {
		v.FirmName = f.Name
	}
	if r, ok := x.Region(l.Region); ok {
		v.RegionName = r.Name
	}
	if c, ok := x.Chain(l.Chain); ok {
		v.ChainName = c.Name
	}
	if n, ok := x.Node(l.Node); ok {
		v.NodeName = n.Name
	}
	if p, ok := x.Park(l.Park); ok {
		v.ParkName = p.Name
	}
	for _, ni := range x.leadNodes(l, x.an) {
		v.MapNodes = append(v.MapNodes, x.nodes[ni].ID)
	}
	return v
}

// LeadQuery filters leads. Empty fields do not filter.
type LeadQuery struct {
	Region graph.RegionCode // leads of the region or of a division within it
	Chain  graph.ChainID
	Status graph.LeadStatus
	Owner  string
	Firm   graph.FirmID
}

func (q LeadQuery) match(l graph.Lead) bool {
	return (q.Region == "" || q.Region.Contains(l.Region)) && (q.Chain == "" || l.Chain == q.Chain) &&
		(q.Status == "" || l.Status == q.Status) && (q.Owner == "" || l.Owner == q.Owner) && (q.Firm == "" || l.Firm == q.Firm)
}

// Leads lists the leads q selects, by number.
func (x *Index) Leads(ctx context.Context, q LeadQuery) ([]LeadView, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []LeadView{}
	for _, l := range x.leads {
		if q.match(l) {
			out = append(out, x.leadView(l))
		}
	}
	return out, nil
}

// Lead returns a lead with its whole history.
func (x *Index) Lead(id graph.LeadID) (LeadView, bool) {
	i, ok := slices.BinarySearchFunc(x.leads, id.Num(), func(l graph.Lead, n int) int { return cmp.Compare(l.ID.Num(), n) })
	if !ok {
		return LeadView{}, false
	}
	return x.leadView(x.leads[i]), true
}

// AllLeads returns every lead as stored: what a write of the leads source
// starts from.
func (x *Index) AllLeads() []graph.Lead { return slices.Clone(x.leads) }

// NextLeadID returns the id the next lead gets.
func (x *Index) NextLeadID() graph.LeadID {
	n := 0
	if len(x.leads) > 0 {
		n = x.leads[len(x.leads)-1].ID.Num()
	}
	return graph.LeadIDOf(n + 1)
}

// FunnelStep is one status of the funnel.
type FunnelStep struct {
	Status graph.LeadStatus
	// Now are the leads at this status.
	Now int
	// Reached are the leads that reached this status or one after it
	// (a lead that skipped a step passed it); a dropped lead counts up to
	// the furthest status it reached.
	Reached int
	// Days are the days from the previous status to this one, over the
	// leads whose history dates both (skipped steps give no sample).
	Days DayStats
}

// DayStats summarise durations in days.
type DayStats struct {
	N      int
	Mean   float64
	Median float64
	Max    int
}

// Funnel counts leads by status for a region × chain.
type Funnel struct {
	Query   LeadQuery
	Leads   int
	Steps   []FunnelStep // 待接触 … 已落地
	Dropped int          // at 已放弃 now
	// DroppedFrom counts the dropped leads by the furthest status they reached.
	DroppedFrom map[graph.LeadStatus]int
}

// LeadFunnel builds the funnel of the leads q selects.
func (x *Index) LeadFunnel(ctx context.Context, q LeadQuery) (*Funnel, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	steps := graph.LeadSteps()
	f := &Funnel{Query: q, DroppedFrom: map[graph.LeadStatus]int{}}
	days := make([][]int, len(steps))
	reached := make([]int, len(steps))
	now := make([]int, len(steps))
	for _, l := range x.leads {
		if !q.match(l) {
			continue
		}
		f.Leads++
		r := l.Reached()
		furthest := 0
		for i, s := range steps {
			if _, ok := r[s]; ok {
				furthest = i
			}
		}
		for i := 0; i <= furthest; i++ {
			reached[i]++
		}
		if l.Status == graph.LeadDropped {
			f.Dropped++
			f.DroppedFrom[steps[furthest]]++
		} else if i := l.Status.Step(); i >= 0 {
			now[i]++
		}
		for i := 1; i < len(steps); i++ {
			a, aok := r[steps[i-1]]
			b, bok := r[steps[i]]
			if !aok || !bok {
				continue
			}
			ta, err1 := time.Parse(time.DateOnly, a)
			tb, err2 := time.Parse(time.DateOnly, b)
			if err1 != nil || err2 != nil || tb.Before(ta) {
				continue
			}
			days[i] = append(days[i], int(tb.Sub(ta).Hours()/24))
		}
	}
	for i, s := range steps {
		f.Steps = append(f.Steps, FunnelStep{Status: s, Now: now[i], Reached: reached[i], Days: dayStats(days[i])})
	}
	return f, nil
}

func dayStats(d []int) DayStats {
	if len(d) == 0 {
		return DayStats{}
	}
	slices.Sort(d)
	sum := 0
	for _, v := range d {
		sum += v
	}
	med := float64(d[len(d)/2])
	if len(d)%2 == 0 {
		med = float64(d[len(d)/2-1]+d[len(d)/2]) / 2
	}
	return DayStats{N: len(d), Mean: float64(sum) / float64(len(d)), Median: med, Max: d[len(d)-1]}
}

// CheckLead checks that what a lead names exists and fits together:
// the firm, region and chain; the node in the chain; the park in the
// region.
func (x *Index) CheckLead(l graph.Lead) error {
	if _, ok := x.firmAt[l.Firm]; !ok {
		return fmt.Errorf("%w: firm %s", graph.ErrNotFound, l.Firm)
	}
	return x.CheckLeadPlace(l)
}

// CheckLeadPlace checks the region, chain, node and park of a lead (not
// its firm, which a reload of a registry may have taken away since the
// lead was made).
func (x *Index) CheckLeadPlace(l graph.Lead) error {
	if _, ok := x.Region(l.Region); !ok {
		return fmt.Errorf("%w: region %s", graph.ErrNotFound, l.Region)
	}
	if _, ok := x.chainAt[l.Chain]; !ok {
		return fmt.Errorf("%w: chain %s", graph.ErrNotFound, l.Chain)
	}
	if l.Node != "" {
		if _, ok := x.nodeAt[l.Node]; !ok {
			return fmt.Errorf("%w: node %s", graph.ErrNotFound, l.Node)
		}
		if l.Node.Chain() != l.Chain {
			return fmt.Errorf("%w: node %s is not a link of chain %s", graph.ErrInvalid, l.Node, l.Chain)
		}
	}
	if l.Park != "" {
		p, ok := x.Park(l.Park)
		if !ok {
			return fmt.Errorf("%w: park %s", graph.ErrNotFound, l.Park)
		}
		if p.Region != "" && !l.Region.Contains(p.Region) && !p.Region.Contains(l.Region) {
			return fmt.Errorf("%w: park %s (%s) lies in %s, outside region %s", graph.ErrInvalid, l.Park, p.Name, p.Region, l.Region)
		}
	}
	return nil
}

// landedIn returns the landed leads among a node's members in a region.
func (an *analytics) landedIn(ni int32, region graph.RegionCode) int {
	if len(an.landed.at) == 0 {
		return 0
	}
	agg := &an.nodes[ni]
	i, j := agg.rangeOf(region)
	return an.landed.count(ni, agg.members[i:j])
}
