package export

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// Options tune how a scope is built.
type Options struct {
	// Config is the analytics configuration (levels, gaps, anchors, targets).
	Config graph.Config
	// Targets filters and sorts the targets of a region × chain; its Size is
	// how many targets the scope holds (DefaultTargets when 0).
	Targets readmodel.TargetQuery
	// ColorBy colours nodes by level or by segment; "" picks level for a
	// region × chain and segment otherwise.
	ColorBy ColorBy
	// Neighbours is how many local firms a firm's neighbourhood shows per
	// node (DefaultNeighbours when 0).
	Neighbours int
}

// Defaults of Options.
const (
	DefaultTargets    = 100
	DefaultNeighbours = 5
)

// ColorBy says what node colours stand for.
type ColorBy string

// Colourings.
const (
	ColorByLevel   ColorBy = "level"
	ColorBySegment ColorBy = "segment"
)

// ParseColorBy validates a colouring name ("" is allowed and means the default).
func ParseColorBy(s string) (ColorBy, error) {
	switch c := ColorBy(s); c {
	case "", ColorByLevel, ColorBySegment:
		return c, nil
	}
	return "", fmt.Errorf("%w: color %q: want level or segment", graph.ErrInvalid, s)
}

// builder accumulates a scope's nodes and edges, each once.
type builder struct {
	x      *readmodel.Index
	s      *Scope
	nodeAt map[string]int
	edges  map[string]bool
	groups map[string]bool
}

func newBuilder(x *readmodel.Index, kind ScopeKind) *builder {
	return &builder{x: x, s: &Scope{Kind: kind}, nodeAt: map[string]int{}, edges: map[string]bool{}, groups: map[string]bool{}}
}

func (b *builder) has(id string) bool { _, ok := b.nodeAt[id]; return ok }

func (b *builder) add(n Node) *Node {
	if i, ok := b.nodeAt[n.ID]; ok {
		return &b.s.Nodes[i]
	}
	b.nodeAt[n.ID] = len(b.s.Nodes)
	b.s.Nodes = append(b.s.Nodes, n)
	return &b.s.Nodes[len(b.s.Nodes)-1]
}

func (b *builder) node(id string) *Node {
	if i, ok := b.nodeAt[id]; ok {
		return &b.s.Nodes[i]
	}
	return nil
}

func (b *builder) edge(kind EdgeKind, from, to string, a EdgeAttrs) {
	key := string(kind) + "\x00" + from + "\x00" + to
	if b.edges[key] || !b.has(from) || !b.has(to) {
		return
	}
	b.edges[key] = true
	if a.Weight == 0 {
		a.Weight = 1
	}
	b.s.Edges = append(b.s.Edges, Edge{ID: fmt.Sprintf("e%d", len(b.s.Edges)+1), From: from, To: to, Kind: kind, Attrs: a})
}

// segmentGroups adds a group per segment of a chain, in the chain's order,
// and one for nodes whose segment the chain does not declare.
func (b *builder) segmentGroups(c graph.Chain, nodes []graph.ChainNode) {
	declared := map[string]bool{}
	for _, sg := range c.Segments {
		declared[sg.ID] = true
		b.group(Group{ID: groupID(c.ID, sg.ID), Label: sg.Name, Chain: string(c.ID)})
	}
	for _, n := range nodes {
		if !declared[n.Segment] {
			b.group(Group{ID: groupID(c.ID, n.Segment), Label: segmentName(c, n.Segment), Chain: string(c.ID)})
		}
	}
}

func (b *builder) group(g Group) {
	if !b.groups[g.ID] {
		b.groups[g.ID] = true
		b.s.Groups = append(b.s.Groups, g)
	}
}

func groupID(c graph.ChainID, segment string) string {
	if segment == "" {
		segment = "_"
	}
	return "seg:" + string(c) + "/" + segment
}

func segmentName(c graph.Chain, segment string) string {
	for _, sg := range c.Segments {
		if sg.ID == segment {
			return sg.Name
		}
	}
	if segment == "" {
		return "未分段"
	}
	return segment
}

// IDs of the nodes of an export.
func nodeKey(id graph.NodeID) string   { return "node:" + string(id) }
func firmKey(id graph.FirmID) string   { return "firm:" + string(id) }
func chainKey(id graph.ChainID) string { return "chain:" + string(id) }
func parkKey(id graph.ParkID) string   { return "park:" + string(id) }
func regionKey(c graph.RegionCode) string {
	return "region:" + string(c)
}

// regionPath names a region with its ancestors: 山东省烟台市莱山区.
func regionPath(x *readmodel.Index, c graph.RegionCode) string {
	r, ok := x.Region(c)
	if !ok {
		return ""
	}
	var b strings.Builder
	for _, a := range x.Ancestors(c) {
		b.WriteString(a.Name)
	}
	b.WriteString(r.Name)
	return b.String()
}

func joinSources(ids []graph.SourceID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, "; ")
}

// chainNode makes the node of a chain node, without region figures.
func (b *builder) chainNode(c graph.Chain, n graph.ChainNode, depth int) Node {
	return Node{
		ID: nodeKey(n.ID), Label: n.Name, Kind: KindChainNode, Group: groupID(c.ID, n.Segment),
		Attrs: NodeAttrs{
			Segment: n.Segment, SegmentName: segmentName(c, n.Segment), Chain: string(c.ID), ChainNode: string(n.ID),
			Depth: some(depth), DataSource: joinSources(b.x.NodeSources(n.ID)),
		},
	}
}

// treeEdges adds parent → child and declared supply edges among the scope's chain nodes.
func (b *builder) treeEdges(nodes []graph.ChainNode) {
	for _, n := range nodes {
		if n.Parent != "" {
			b.edge(EdgeContains, nodeKey(n.Parent), nodeKey(n.ID), EdgeAttrs{Method: "library", DataSource: joinSources(b.x.NodeSources(n.ID))})
		}
	}
	for _, n := range nodes {
		for _, t := range n.SuppliesTo {
			b.edge(EdgeSupplies, nodeKey(n.ID), nodeKey(t), EdgeAttrs{Method: "declared", DataSource: joinSources(b.x.NodeSources(n.ID))})
		}
	}
}

// firm makes a firm's node; chainNodes are the scope's chain nodes, to pick
// the firm's first node among them and its best link.
func (b *builder) firm(f graph.Firm, kind NodeKind, inScope func(graph.NodeID) bool) Node {
	n := Node{ID: firmKey(f.ID), Label: f.Name, Kind: kind,
		Attrs: NodeAttrs{
			Region: string(f.Region), Tags: strings.Join(f.Tags, "; "), Status: string(f.Status), Stocks: strings.Join(f.Stocks, "; "),
			DataSource: joinSources(b.x.FirmSources(f.ID)),
		}}
	if n.Attrs.Status == "" {
		n.Attrs.Status = string(graph.StatusActive)
	}
	n.Attrs.RegionName = regionPath(b.x, f.Region)
	if f.Capital > 0 {
		n.Attrs.Capital = some(f.Capital)
	}
	if f.Revenue > 0 {
		n.Attrs.Revenue = some(f.Revenue)
	}
	if p, ok := b.x.Park(f.Park); ok && f.Park != "" {
		n.Attrs.Park = p.Name
	}
	for _, l := range f.Nodes {
		if !inScope(l.Node) {
			continue
		}
		if n.Attrs.ChainNode == "" {
			n.Attrs.ChainNode = string(l.Node)
			if cn, ok := b.x.Node(l.Node); ok {
				// A firm sits in the segment of its node, so compound
				// parents, combos and clusters hold the firms they draw.
				n.Attrs.Chain, n.Attrs.Segment = string(l.Node.Chain()), cn.Segment
				n.Group = groupID(l.Node.Chain(), cn.Segment)
				if c, ok := b.x.Chain(l.Node.Chain()); ok {
					n.Attrs.SegmentName = segmentName(c, cn.Segment)
				}
			}
		}
		if !n.Attrs.Confidence.OK || l.Confidence > n.Attrs.Confidence.V {
			n.Attrs.Confidence, n.Attrs.Method = some(l.Confidence), l.Method
		}
	}
	return n
}

// linkEdges adds a firm's in_node edges to the scope's chain nodes.
func (b *builder) linkEdges(f graph.Firm) {
	for _, l := range f.Nodes {
		src, _ := b.x.LinkSource(f.ID, l.Node)
		b.edge(EdgeInNode, firmKey(f.ID), nodeKey(l.Node), EdgeAttrs{Confidence: some(l.Confidence), Method: l.Method, DataSource: string(src)})
	}
}

// fillsGap gives a target → gap edge the evidence of the firm's link that
// covers the gap: its link to the gap node itself or, when it is linked only
// to a group above the gap, its link to that group.
func (b *builder) fillsGap(f graph.Firm, gap, group graph.NodeID, score float64) EdgeAttrs {
	a := EdgeAttrs{Weight: score}
	for _, l := range f.Nodes {
		if l.Node != gap && (group == "" || l.Node != group) {
			continue
		}
		src, _ := b.x.LinkSource(f.ID, l.Node)
		if !a.Confidence.OK || l.Confidence > a.Confidence.V {
			a.Confidence, a.DataSource = some(l.Confidence), string(src)
			a.Method = l.Method
		}
	}
	return a
}

// ChainMapScope builds the scope of a region × chain: every node of the
// chain with its level, local firm count, score and gap severity; every
// local active firm of the chain (anchors marked, with their anchor score);
// and the top targets with the gap nodes they would fill.
func ChainMapScope(ctx context.Context, x *readmodel.Index, region graph.RegionCode, chain graph.ChainID, opt Options) (*Scope, error) {
	d, err := readChainMapScope(ctx, x, region, chain, opt)
	if err != nil {
		return nil, err
	}
	m, targets := d.m, d.targets
	b := newBuilder(x, ScopeChainMap)
	s := b.s
	s.ColorBy = opt.ColorBy
	if s.ColorBy == "" {
		s.ColorBy = ColorByLevel
	}
	s.Title = m.Region.Name + " · " + m.Chain.Name + "产业链图谱"
	s.Subtitle = fmt.Sprintf("完整度 %.0f%%，%d 个末端环节中 %d 个有本地企业；本地企业 %d 家，缺口 %d 个，招商目标 %d 家（共 %d 家）",
		100*m.Completeness, m.Leaves, m.Present, len(d.local), len(d.gaps.Gaps), len(targets.Targets), targets.Total)
	s.Map, s.Gaps, s.Targets = m, d.gaps, targets
	all := d.anchors
	s.Anchors = &readmodel.AnchorList{Region: all.Region, Chain: all.Chain, ChainRole: all.ChainRole, Candidates: all.Candidates,
		Config: all.Config, Formula: all.Formula}
	anchorOf := map[graph.FirmID]readmodel.Anchor{}
	for _, a := range all.Anchors {
		anchorOf[a.Firm.ID] = a
		if a.Gate.Passed {
			s.Anchors.Anchors = append(s.Anchors.Anchors, a)
		}
	}

	nodes := b.chainMapNodes(m, d.gaps)
	inChain := func(id graph.NodeID) bool { return id.Chain() == chain && b.has(nodeKey(id)) }
	for _, f := range d.local {
		n := b.firm(f, KindFirm, inChain)
		if a, ok := anchorOf[f.ID]; ok {
			n.Attrs.Anchor, n.Attrs.Score = some(a.Gate.Passed), some(a.Score)
		}
		b.add(n)
		b.linkEdges(f)
	}
	b.targetFirms(targets)
	s.Subjects = chainMapSubjects(region, chain, nodes, d.local, targets)
	b.finish()
	return s, nil
}

// chainMapScopeData is what the read model answers for a chain-map scope.
type chainMapScopeData struct {
	m       *readmodel.ChainMap
	gaps    *readmodel.GapList
	anchors *readmodel.AnchorList // every candidate, passed the gate or not
	targets *readmodel.TargetList
	local   []graph.Firm
}

// readChainMapScope asks the read model for a region × chain's map, gaps,
// anchor candidates, top targets and local firms.
func readChainMapScope(ctx context.Context, x *readmodel.Index, region graph.RegionCode, chain graph.ChainID, opt Options) (*chainMapScopeData, error) {
	cfg := opt.Config
	var d chainMapScopeData
	var err error
	if d.m, err = x.ChainMap(ctx, region, chain, cfg); err != nil {
		return nil, err
	}
	if d.gaps, err = x.Gaps(ctx, region, chain, opt.Targets.Peers, cfg); err != nil {
		return nil, err
	}
	if d.anchors, err = x.Anchors(ctx, region, chain, cfg, true); err != nil {
		return nil, err
	}
	q := opt.Targets
	if q.Size == 0 {
		q.Size = DefaultTargets
	}
	if d.targets, err = x.Targets(ctx, region, chain, q, cfg); err != nil {
		return nil, err
	}
	if d.local, err = x.LocalFirms(region, chain); err != nil {
		return nil, err
	}
	return &d, nil
}

// chainMapNodes adds every node of the map with its level, counts, score
// and gap, in segment groups with their tree edges, and returns the nodes.
func (b *builder) chainMapNodes(m *readmodel.ChainMap, gaps *readmodel.GapList) []graph.ChainNode {
	gapOf := map[graph.NodeID]readmodel.Gap{}
	for _, g := range gaps.Gaps {
		gapOf[g.Node.ID] = g
	}
	nodes := make([]graph.ChainNode, len(m.Nodes))
	for i, mn := range m.Nodes {
		nodes[i] = mn.Node
	}
	b.segmentGroups(m.Chain, nodes)
	for _, mn := range m.Nodes {
		n := b.chainNode(m.Chain, mn.Node, mn.Depth)
		n.Attrs.Level = string(mn.Level)
		n.Attrs.Region, n.Attrs.RegionName = string(m.Region.Code), regionPath(b.x, m.Region.Code)
		n.Attrs.LocalFirms, n.Attrs.NationalFirms = some(mn.Count), some(mn.National)
		n.Attrs.Score = some(mn.Score.Total)
		if g, ok := gapOf[mn.Node.ID]; ok {
			n.Attrs.Gap, n.Attrs.Severity, n.Attrs.Reason = some(true), some(g.Severity), g.Reason
		} else if mn.Leaf {
			n.Attrs.Gap = some(false)
		}
		b.add(n)
	}
	b.treeEdges(nodes)
	return nodes
}

// targetFirms adds each target with an edge to every gap it would fill.
func (b *builder) targetFirms(targets *readmodel.TargetList) {
	for _, t := range targets.Targets {
		f, ok := b.x.Firm(t.Firm.ID)
		if !ok {
			continue
		}
		// A target linked only to a group node above its gaps (关键零部件
		// over 热管理) sits in that group: its link is the evidence.
		covers := func(id graph.NodeID) bool { return slices.Contains(t.GapNodes, id) || (t.Group != "" && id == t.Group) }
		n := b.firm(f, KindTarget, covers)
		n.Attrs.Score, n.Attrs.Reason = some(t.Score), t.Reason
		if t.Park != nil {
			n.Attrs.Park = t.Park.Name
		}
		b.add(n)
		for _, g := range t.GapNodes {
			b.edge(EdgeFillsGap, firmKey(f.ID), nodeKey(g), b.fillsGap(f, g, t.Group, t.Score))
		}
	}
}

// chainMapSubjects lists what a chain-map scope is about, for its quads.
func chainMapSubjects(region graph.RegionCode, chain graph.ChainID, nodes []graph.ChainNode, local []graph.Firm, targets *readmodel.TargetList) *store.Subjects {
	sub := &store.Subjects{Regions: []graph.RegionCode{region}, Chains: []graph.ChainID{chain}}
	for _, n := range nodes {
		sub.Nodes = append(sub.Nodes, n.ID)
	}
	for _, f := range local {
		sub.Firms = append(sub.Firms, f.ID)
	}
	for _, t := range targets.Targets {
		sub.Firms = append(sub.Firms, t.Firm.ID)
		if t.Park != nil && !slices.Contains(sub.Parks, t.Park.ID) {
			sub.Parks = append(sub.Parks, t.Park.ID)
		}
	}
	return sub
}

// ChainScope builds a chain template: its nodes in tree order with
// parent → child and supply edges, and each node's national firm count.
func ChainScope(ctx context.Context, x *readmodel.Index, chain graph.ChainID, opt Options) (*Scope, error) {
	c, ok := x.Chain(chain)
	if !ok {
		return nil, fmt.Errorf("%w: chain %s", graph.ErrNotFound, chain)
	}
	nodes := x.ChainNodes(chain)
	b := newBuilder(x, ScopeChain)
	s := b.s
	s.ColorBy = opt.ColorBy
	if s.ColorBy == "" {
		s.ColorBy = ColorBySegment
	}
	s.Title = c.Name + "产业链"
	s.Subtitle = fmt.Sprintf("%d 个环节", len(nodes))
	b.segmentGroups(c, nodes)
	sub := &store.Subjects{Chains: []graph.ChainID{chain}}
	for _, n := range nodes {
		d, err := x.NodeDetail(n.ID, 0)
		if err != nil {
			return nil, err
		}
		cn := b.chainNode(c, n, depthOf(x, n))
		cn.Attrs.NationalFirms = some(d.National)
		b.add(cn)
		sub.Nodes = append(sub.Nodes, n.ID)
	}
	b.treeEdges(nodes)
	s.Subjects = sub
	b.finish()
	return s, nil
}

func depthOf(x *readmodel.Index, n graph.ChainNode) int {
	d := 0
	for n.Parent != "" && d < 100 {
		p, ok := x.Node(n.Parent)
		if !ok {
			break
		}
		n = p
		d++
	}
	return d
}

// FirmScope builds a firm's neighbourhood (以商招商 starts here): the firm,
// the nodes it is in and the nodes that supply them or that they supply
// (coloured by their level in the firm's city), the largest firms of its
// city in each of those nodes, and its park.
func FirmScope(ctx context.Context, x *readmodel.Index, id graph.FirmID, opt Options) (*Scope, error) {
	f, ok := x.Firm(id)
	if !ok {
		return nil, fmt.Errorf("%w: firm %s", graph.ErrNotFound, id)
	}
	k := opt.Neighbours
	if k <= 0 {
		k = DefaultNeighbours
	}
	b := newBuilder(x, ScopeFirm)
	s := b.s
	s.ColorBy = opt.ColorBy
	if s.ColorBy == "" {
		s.ColorBy = ColorByLevel
	}
	city := f.Region
	if city != "" && city.Level() == graph.LevelCounty {
		city = city.City()
	}
	cityName := ""
	if r, ok := x.Region(city); ok {
		cityName = r.Name
	}
	s.Title = f.Name + " · 上下游关系"
	s.Subtitle = "本企业所在环节及其上下游环节，与" + cityName + "在这些环节的主要企业"

	nodeIDs, adjs := supplyNeighbourhood(x, f)
	b.cityLevelNodes(ctx, nodeIDs, city, opt.Config)
	for _, a := range adjs {
		method := "inherited"
		if a.declared {
			method = "declared"
		}
		b.edge(EdgeSupplies, nodeKey(a.from), nodeKey(a.to), EdgeAttrs{Method: method, DataSource: joinSources(x.NodeSources(a.from))})
	}
	inScope := func(n graph.NodeID) bool { return b.has(nodeKey(n)) }
	b.add(b.firm(f, KindFirm, inScope))
	b.linkEdges(f)
	sub := &store.Subjects{Firms: []graph.FirmID{f.ID}, Nodes: nodeIDs}
	if city != "" {
		sub.Firms = append(sub.Firms, b.cityFirms(f, city, nodeIDs, k, inScope)...)
	}
	if p, ok := x.Park(f.Park); ok && f.Park != "" {
		b.add(Node{ID: parkKey(p.ID), Label: p.Name, Kind: KindPark,
			Attrs: NodeAttrs{Region: string(p.Region), DataSource: joinSources(x.ParkSources(p.ID))}})
		b.edge(EdgeInPark, firmKey(f.ID), parkKey(p.ID), EdgeAttrs{Method: "registry", DataSource: joinSources(x.FirmSources(f.ID))})
		sub.Parks = append(sub.Parks, p.ID)
	}
	s.Subjects = sub
	b.finish()
	return s, nil
}

// supplyAdj is a supply edge of a firm's neighbourhood; declared says the
// firm's own node has it, rather than inheriting it from an ancestor.
type supplyAdj struct {
	from, to graph.NodeID
	declared bool
}

// supplyNeighbourhood gives the nodes a firm is in and those adjacent to
// them by supply, in the order met, with the supply edges between them.
func supplyNeighbourhood(x *readmodel.Index, f graph.Firm) ([]graph.NodeID, []supplyAdj) {
	var nodeIDs []graph.NodeID
	var adjs []supplyAdj
	addNode := func(n graph.NodeID) {
		if !slices.Contains(nodeIDs, n) {
			nodeIDs = append(nodeIDs, n)
		}
	}
	for _, l := range f.Nodes {
		if _, ok := x.Node(l.Node); !ok {
			continue // a link to a node the library no longer has
		}
		addNode(l.Node)
		// A node is supplied by what supplies it or any of its ancestors
		// (a cell maker buys what the battery segment buys), and supplies
		// what it and its ancestors supply.
		for a, ok := x.Node(l.Node); ok; a, ok = x.Node(a.Parent) {
			d, err := x.NodeDetail(a.ID, 0)
			if err != nil {
				break
			}
			for _, sp := range d.Suppliers {
				if !slices.Contains(sp.SuppliesTo, a.ID) {
					continue // inherited by sp from its own parent: the parent's edge says it
				}
				addNode(sp.ID)
				adjs = append(adjs, supplyAdj{sp.ID, l.Node, a.ID == l.Node})
			}
			for _, t := range a.SuppliesTo {
				addNode(t)
				adjs = append(adjs, supplyAdj{l.Node, t, a.ID == l.Node})
			}
			if a.Parent == "" {
				break
			}
		}
	}
	return nodeIDs, adjs
}

// cityLevelNodes adds the nodes, chain by chain in segment groups, each
// with its level in the city (when the city is known and has a map).
func (b *builder) cityLevelNodes(ctx context.Context, nodeIDs []graph.NodeID, city graph.RegionCode, cfg graph.Config) {
	x := b.x
	levels := map[graph.NodeID]readmodel.MapNode{}
	chains := map[graph.ChainID]graph.Chain{}
	for _, n := range nodeIDs {
		c := n.Chain()
		if _, done := chains[c]; done {
			continue
		}
		ch, _ := x.Chain(c)
		chains[c] = ch
		if city == "" {
			continue
		}
		if m, err := x.ChainMap(ctx, city, c, cfg); err == nil {
			for _, mn := range m.Nodes {
				levels[mn.Node.ID] = mn
			}
		}
	}
	var nodes []graph.ChainNode
	for _, id := range nodeIDs {
		n, _ := x.Node(id)
		nodes = append(nodes, n)
	}
	for _, c := range sortedChains(chains) {
		var own []graph.ChainNode
		for _, n := range nodes {
			if n.ID.Chain() == c.ID {
				own = append(own, n)
			}
		}
		b.segmentGroups(c, own)
		for _, n := range own {
			cn := b.chainNode(c, n, depthOf(x, n))
			if mn, ok := levels[n.ID]; ok {
				cn.Attrs.Level = string(mn.Level)
				cn.Attrs.Region, cn.Attrs.RegionName = string(city), regionPath(x, city)
				cn.Attrs.LocalFirms, cn.Attrs.NationalFirms, cn.Attrs.Score = some(mn.Count), some(mn.National), some(mn.Score.Total)
			}
			b.add(cn)
		}
	}
}

// cityFirms adds, for each node, the k largest other firms of the city in
// it, and returns those not already in the scope.
func (b *builder) cityFirms(f graph.Firm, city graph.RegionCode, nodeIDs []graph.NodeID, k int, inScope func(graph.NodeID) bool) []graph.FirmID {
	var added []graph.FirmID
	for _, n := range nodeIDs {
		refs, err := b.x.NodeFirms(n, city, k+1)
		if err != nil {
			continue
		}
		kept := 0
		for _, r := range refs {
			if r.ID == f.ID || kept == k {
				continue
			}
			kept++
			nf, _ := b.x.Firm(r.ID)
			if !b.has(firmKey(nf.ID)) {
				added = append(added, nf.ID)
			}
			b.add(b.firm(nf, KindFirm, inScope))
			b.linkEdges(nf)
		}
	}
	return added
}

func sortedChains(m map[graph.ChainID]graph.Chain) []graph.Chain {
	out := make([]graph.Chain, 0, len(m))
	for _, c := range m {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b graph.Chain) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return out
}

// GraphScope builds the whole graph: every chain with its nodes, every firm
// with its node links, region and park, every park with its region and
// chains, and the regions they sit in with their ancestors.
func GraphScope(ctx context.Context, x *readmodel.Index, opt Options) (*Scope, error) {
	b := newBuilder(x, ScopeGraph)
	s := b.s
	s.ColorBy = opt.ColorBy
	if s.ColorBy == "" {
		s.ColorBy = ColorBySegment
	}
	s.Title = "chainkg 全图"
	st := x.Stats()
	s.Subtitle = fmt.Sprintf("%d 条产业链，%d 个环节，%d 家企业，%d 个园区", st.ByClass["Chain"], st.ByClass["ChainNode"], st.ByClass["Firm"], st.ByClass["Park"])
	for _, c := range x.Chains() {
		b.add(Node{ID: chainKey(c.ID), Label: c.Name, Kind: KindChain,
			Attrs: NodeAttrs{Chain: string(c.ID), DataSource: joinSources(x.ChainSources(c.ID))}})
		nodes := x.ChainNodes(c.ID)
		b.segmentGroups(c, nodes)
		for _, n := range nodes {
			b.add(b.chainNode(c, n, depthOf(x, n)))
			if n.Parent == "" {
				b.edge(EdgeContains, chainKey(c.ID), nodeKey(n.ID), EdgeAttrs{Method: "library", DataSource: joinSources(x.NodeSources(n.ID))})
			}
		}
		b.treeEdges(nodes)
	}
	// Regions: those that hold a firm or a park, and their ancestors.
	var regions []graph.RegionCode
	need := map[graph.RegionCode]bool{}
	mark := func(c graph.RegionCode) {
		for c != "" && !need[c] {
			r, ok := x.Region(c)
			if !ok {
				return
			}
			need[c] = true
			regions = append(regions, c)
			c = r.Parent
		}
	}
	x.EachFirm(func(f graph.Firm) bool { mark(f.Region); return true })
	for _, p := range x.Parks() {
		mark(p.Region)
	}
	slices.Sort(regions)
	for _, c := range regions {
		r, _ := x.Region(c)
		b.add(Node{ID: regionKey(c), Label: r.Name, Kind: KindRegion,
			Attrs: NodeAttrs{Region: string(c), RegionName: r.Name, DataSource: joinSources(x.RegionSources(c))}})
	}
	for _, c := range regions {
		if r, _ := x.Region(c); r.Parent != "" {
			b.edge(EdgeContains, regionKey(r.Parent), regionKey(c), EdgeAttrs{Method: "reference", DataSource: joinSources(x.RegionSources(c))})
		}
	}
	for _, p := range x.Parks() {
		n := Node{ID: parkKey(p.ID), Label: p.Name, Kind: KindPark,
			Attrs: NodeAttrs{Region: string(p.Region), DataSource: joinSources(x.ParkSources(p.ID))}}
		n.Attrs.RegionName = regionPath(x, p.Region)
		b.add(n)
		b.edge(EdgeInRegion, n.ID, regionKey(p.Region), EdgeAttrs{Method: "reference", DataSource: n.Attrs.DataSource})
		for _, c := range p.Chains {
			b.edge(EdgeParkChain, n.ID, chainKey(c), EdgeAttrs{Method: "reference", DataSource: n.Attrs.DataSource})
		}
	}
	inScope := func(n graph.NodeID) bool { return b.has(nodeKey(n)) }
	x.EachFirm(func(f graph.Firm) bool {
		n := b.add(b.firm(f, KindFirm, inScope))
		b.linkEdges(f)
		b.edge(EdgeInRegion, n.ID, regionKey(f.Region), EdgeAttrs{Method: f.RegionMethod, DataSource: n.Attrs.DataSource})
		b.edge(EdgeInPark, n.ID, parkKey(f.Park), EdgeAttrs{Method: "registry", DataSource: n.Attrs.DataSource})
		return true
	})
	b.finish()
	return s, nil
}

// finish names the sources, fills the filter attributes, colours, sizes
// and places the nodes.
func (b *builder) finish() {
	s := b.s
	s.SourceTitles = map[string]string{}
	for _, si := range b.x.Sources() {
		if si.Title != "" {
			s.SourceTitles[string(si.ID)] = si.Title
		}
	}
	complete(s)
	for i := range s.Nodes {
		n := &s.Nodes[i]
		n.Color = nodeColor(s.ColorBy, n)
		n.Size = nodeSize(n)
	}
	layout(s)
}

// nodeSize grows with a chain node's local (or national) firms and with a
// firm's capital, on log scales, so one giant does not dwarf the rest.
func nodeSize(n *Node) float64 {
	switch n.Kind {
	case KindChainNode:
		c := n.Attrs.LocalFirms
		if !c.OK {
			c = n.Attrs.NationalFirms
		}
		return round1(16 + 6*math.Log2(1+float64(c.V)))
	case KindFirm, KindTarget:
		return round1(6 + 2*math.Log10(1+n.Attrs.Capital.V))
	case KindChain:
		return 40
	default:
		return 12
	}
}

func round1(f float64) float64 { return math.Round(f*10) / 10 }
