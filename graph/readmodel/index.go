package readmodel

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// Index is the read model: every entity of the current versions of all
// sources, decoded into compact typed records with the lookups the queries
// need. It is immutable; the store builds a new one after each write and
// swaps it in, so readers never lock and never see half a write.
type Index struct {
	sources []graph.SourceInfo
	srcByID map[graph.SourceID]int
	stats   Stats

	regions     []graph.Region
	regionAt    map[graph.RegionCode]int32
	children    map[graph.RegionCode][]graph.RegionCode
	regionNames regionNames

	codes  []graph.IndustryClass
	codeAt map[graph.IndustryCode]int32

	chains  []graph.Chain
	chainAt map[graph.ChainID]int32
	nodes   []graph.ChainNode
	nodeAt  map[graph.NodeID]int32
	// chainNodes lists each chain's nodes (indexes into nodes) in tree order.
	chainNodes [][]int32
	library    libraryLookup

	firms  []firmRec
	firmAt map[graph.FirmID]int32

	parks  []graph.Park
	parkAt map[graph.ParkID]int32

	plans     []PlanRecord
	planAt    map[graph.PlanID]int32
	crosswalk []graph.CrosswalkEntry

	an *analytics // precomputed structures of the analytics (analytics.go)

	// words are the short strings firm links share (methods, roles),
	// numbered: a link holds their indexes.
	words  []string
	wordAt map[string]uint16

	prov provenance // the sources of chains, nodes, parks and regions (provenance.go)

	names nameLookups // firm and industry-class names (lookup_names.go)

	marks           map[string]graph.QualityMark // data-quality verdicts by item key (quality.go)
	badValues       []graph.BadValue             // the first maxBadValues values decoders could not read
	regionConflicts map[int32][]graph.RegionCode // firms whose sources give contradicting regions

	leads []graph.Lead // 招商线索 by number (leads.go)
	// covCache keeps each region × chain's coverage once computed
	// (coverage.go); a what-if copy gets a cache of its own.
	covCache *coverageCache
}

// word returns the number of a short shared string, adding it if new.
func (x *Index) word(s string) uint16 {
	if i, ok := x.wordAt[s]; ok {
		return i
	}
	if x.wordAt == nil {
		x.wordAt = map[string]uint16{}
	}
	i := uint16(len(x.words))
	x.words = append(x.words, s)
	x.wordAt[s] = i
	return i
}

// nodeLinks expands a firm's compact links into NodeLinks.
func (x *Index) nodeLinks(r *firmRec) []graph.NodeLink {
	if len(r.links) == 0 {
		return nil
	}
	out := make([]graph.NodeLink, len(r.links))
	for i, l := range r.links {
		out[i] = graph.NodeLink{Node: x.nodes[l.node].ID, Method: x.words[l.method], Confidence: l.confidence(), Role: x.words[l.role]}
	}
	return out
}

// Stats counts what the read model holds.
type Stats struct {
	Quads   int // quads of current versions
	Sources int // loaded sources
	// BadValues counts stored values a decoder could not read (a number
	// that does not parse): left out, not read as 0 (Index.BadValues).
	BadValues int
	ByClass   map[string]int // entities per class name (Region, Firm …)
}

// firmRec is a firm as the read model keeps it: what the queries rank and
// filter on, without the long texts (经营范围, address), which stay in the store.
type firmRec struct {
	firmFields            // merged by graph.FirmMerge
	links      []firmLink // its chain nodes, ordered by node id
	sources    []uint16
}

// firmFields are a graph.Firm's fields as the read model keeps them: all
// but its node links (kept as links) and what FirmMerge leaves in the
// store (the long texts and attributes), 96 bytes a firm less (92 MiB at
// a million). TestFirmFieldsKeepEveryReadField fails when a field of
// graph.Firm is in neither.
type firmFields struct {
	ID           graph.FirmID
	Name         string
	ShortName    string
	Aliases      []string
	Status       graph.FirmStatus
	Region       graph.RegionCode
	RegionMethod string
	RegionAsOf   string
	Capital      float64
	PaidIn       float64
	Currency     string
	Revenue      float64
	Employees    int
	Founded      string
	Type         string
	Industry     graph.IndustryCode
	Stocks       []string
	Tags         []string
	Group        string
	MemberOf     []graph.FirmID
	Park         graph.ParkID
	Synthetic    bool
}

// compactFirm keeps the fields of f the read model holds.
func compactFirm(f graph.Firm) firmFields {
	return firmFields{ID: f.ID, Name: f.Name, ShortName: f.ShortName, Aliases: f.Aliases, Status: f.Status, Region: f.Region,
		RegionMethod: f.RegionMethod, RegionAsOf: f.RegionAsOf, Capital: f.Capital, PaidIn: f.PaidIn, Currency: f.Currency,
		Revenue: f.Revenue, Employees: f.Employees, Founded: f.Founded, Type: f.Type, Industry: f.Industry, Stocks: f.Stocks,
		Tags: f.Tags, Group: f.Group, MemberOf: f.MemberOf, Park: f.Park, Synthetic: f.Synthetic}
}

// firm is the graph.Firm of the fields, without node links.
func (c *firmFields) firm() graph.Firm {
	return graph.Firm{ID: c.ID, Name: c.Name, ShortName: c.ShortName, Aliases: c.Aliases, Status: c.Status, Region: c.Region,
		RegionMethod: c.RegionMethod, RegionAsOf: c.RegionAsOf, Capital: c.Capital, PaidIn: c.PaidIn, Currency: c.Currency,
		Revenue: c.Revenue, Employees: c.Employees, Founded: c.Founded, Type: c.Type, Industry: c.Industry, Stocks: c.Stocks,
		Tags: c.Tags, Group: c.Group, MemberOf: c.MemberOf, Park: c.Park, Synthetic: c.Synthetic}
}

// firmLink is a firm's link to a chain node as the read model keeps it:
// 16 bytes instead of a NodeLink's strings. The matched text stays in the
// store (Store.FirmDetail reads it).
type firmLink struct {
	node   int32  // index into Index.nodes
	conf   uint16 // confidence in thousandths (evidence keeps three decimals)
	method uint16 // index into Index.words
	role   uint16 // index into Index.words
	src    uint16 // the source of the evidence kept (of two, the more confident)
}

func (l firmLink) confidence() float64 { return float64(l.conf) / 1000 }

// PlanRecord is a plan with the facts it states.
type PlanRecord struct {
	graph.Plan
	Source graph.SourceID
	// PlanParts are the facts the plan states, each with its evidence.
	graph.PlanParts
	// Correction is a writer's correction of the plan's region or title,
	// when there is one (it is already applied to Plan).
	Correction *graph.PlanCorrection
}

// Stats returns the counts of the read model.
func (x *Index) Stats() Stats {
	s := x.stats
	s.ByClass = make(map[string]int, len(x.stats.ByClass))
	for k, v := range x.stats.ByClass {
		s.ByClass[k] = v
	}
	return s
}

// Sources lists the loaded sources, ordered by id.
func (x *Index) Sources() []graph.SourceInfo { return slices.Clone(x.sources) }

func (x *Index) Source(id graph.SourceID) (graph.SourceInfo, bool) {
	i, ok := x.srcByID[id]
	if !ok {
		return graph.SourceInfo{}, false
	}
	return x.sources[i], true
}

// Region returns a region by code.
func (x *Index) Region(c graph.RegionCode) (graph.Region, bool) {
	i, ok := x.regionAt[c]
	if !ok {
		return graph.Region{}, false
	}
	return x.regions[i], true
}

// Ancestors returns a region's ancestors, the province first.
func (x *Index) Ancestors(c graph.RegionCode) []graph.Region {
	var out []graph.Region
	r, ok := x.Region(c)
	for ok && r.Parent != "" {
		r, ok = x.Region(r.Parent)
		if ok {
			out = append(out, r)
		}
	}
	slices.Reverse(out)
	return out
}

// Children returns the codes of a region's direct subdivisions, in code order.
func (x *Index) Children(c graph.RegionCode) []graph.RegionCode { return slices.Clone(x.children[c]) }

// Chains returns the chains of the library, ordered by id.
func (x *Index) Chains() []graph.Chain { return slices.Clone(x.chains) }

// Chain returns a chain by id.
func (x *Index) Chain(id graph.ChainID) (graph.Chain, bool) {
	i, ok := x.chainAt[id]
	if !ok {
		return graph.Chain{}, false
	}
	return x.chains[i], true
}

// ChainNodes returns a chain's nodes in tree order (each parent before its children).
func (x *Index) ChainNodes(id graph.ChainID) []graph.ChainNode {
	i, ok := x.chainAt[id]
	if !ok {
		return nil
	}
	out := make([]graph.ChainNode, len(x.chainNodes[i]))
	for j, n := range x.chainNodes[i] {
		out[j] = x.nodes[n]
	}
	return out
}

// Node returns a chain node by id.
func (x *Index) Node(id graph.NodeID) (graph.ChainNode, bool) {
	i, ok := x.nodeAt[id]
	if !ok {
		return graph.ChainNode{}, false
	}
	return x.nodes[i], true
}

// IndustryClass returns a GB/T 4754 entry by code.
func (x *Index) IndustryClass(c graph.IndustryCode) (graph.IndustryClass, bool) {
	i, ok := x.codeAt[c]
	if !ok {
		return graph.IndustryClass{}, false
	}
	return x.codes[i], true
}

// Park returns a park by id.
func (x *Index) Park(id graph.ParkID) (graph.Park, bool) {
	i, ok := x.parkAt[id]
	if !ok {
		return graph.Park{}, false
	}
	return x.parks[i], true
}

// Parks returns all parks, ordered by id.
func (x *Index) Parks() []graph.Park { return slices.Clone(x.parks) }

// Plan returns a plan with its facts.
func (x *Index) Plan(id graph.PlanID) (PlanRecord, bool) {
	i, ok := x.planAt[id]
	if !ok {
		return PlanRecord{}, false
	}
	return x.plans[i], true
}

// Plans returns all plans, ordered by id.
func (x *Index) Plans() []PlanRecord { return slices.Clone(x.plans) }

// Crosswalk returns the rows mapping plan wording to chains.
func (x *Index) Crosswalk() []graph.CrosswalkEntry { return slices.Clone(x.crosswalk) }

// Firm returns a firm as the read model holds it (long texts such as 经营范围
// are left in the store).
func (x *Index) Firm(id graph.FirmID) (graph.Firm, bool) {
	i, ok := x.firmAt[id]
	if !ok {
		return graph.Firm{}, false
	}
	return x.firms[i].firm(x), true
}

// FirmSources returns the ids of the sources that assert facts about a firm.
func (x *Index) FirmSources(id graph.FirmID) []graph.SourceID {
	i, ok := x.firmAt[id]
	if !ok {
		return nil
	}
	out := make([]graph.SourceID, len(x.firms[i].sources))
	for j, s := range x.firms[i].sources {
		out[j] = x.sources[s].ID
	}
	return out
}

// FirmCount returns the number of firms.
func (x *Index) FirmCount() int { return len(x.firms) }

func (r *firmRec) firm(x *Index) graph.Firm {
	f := r.firmFields.firm()
	f.Nodes = x.nodeLinks(r)
	return f
}

// Builder decodes quads into the next Index. Entities are recognised by
// the prefix of their IRI, so quads can arrive in any order.
type Builder struct {
	sources map[graph.SourceID]*graph.SourceInfo
	current map[string]graph.SourceID // version label → source
	srcNum  map[graph.SourceID]uint16
	rankOf  map[string]int8 // version label → rank of its source kind
	quads   int

	regions  map[graph.RegionCode]*graph.Merge[graph.Region]
	codes    map[graph.IndustryCode]*graph.Merge[graph.IndustryClass]
	chains   map[graph.ChainID]*chainB
	nodes    map[graph.NodeID]*graph.Merge[graph.ChainNode]
	firms    map[graph.FirmID]*graph.FirmMerge
	internFn func(string) string
	parks    map[graph.ParkID]*graph.Merge[graph.Park]
	plans    map[graph.PlanID]*graph.PlanMerge
	xwalk    map[string]*graph.Merge[graph.CrosswalkEntry]
	marks    map[string]*graph.MarkMerge
	bad      []graph.BadValue
	badCount int
	leads    map[graph.LeadID]*graph.LeadMerge
	strs     map[string]string // interned short strings
	prov     provenanceBuilder
}

// chainB is a chain being merged, with the source that defines it: the
// best-ranked (then the smallest id) of those that state its type.
type chainB struct {
	*graph.Merge[graph.Chain]
	src   graph.SourceID
	srcRk int8
}

func NewBuilder() *Builder {
	return &Builder{
		sources: map[graph.SourceID]*graph.SourceInfo{},
		current: map[string]graph.SourceID{},
		srcNum:  map[graph.SourceID]uint16{},
		rankOf:  map[string]int8{},
		regions: map[graph.RegionCode]*graph.Merge[graph.Region]{},
		codes:   map[graph.IndustryCode]*graph.Merge[graph.IndustryClass]{},
		chains:  map[graph.ChainID]*chainB{},
		nodes:   map[graph.NodeID]*graph.Merge[graph.ChainNode]{},
		firms:   map[graph.FirmID]*graph.FirmMerge{},
		parks:   map[graph.ParkID]*graph.Merge[graph.Park]{},
		plans:   map[graph.PlanID]*graph.PlanMerge{},
		xwalk:   map[string]*graph.Merge[graph.CrosswalkEntry]{},
		marks:   map[string]*graph.MarkMerge{},
		leads:   map[graph.LeadID]*graph.LeadMerge{},
		strs:    map[string]string{},
		prov:    newProvenanceBuilder(),
	}
}

func (b *Builder) intern(s string) string {
	if len(s) > 64 {
		return s
	}
	if v, ok := b.strs[s]; ok {
		return v
	}
	b.strs[s] = s
	return s
}

// Meta reads one quad of the meta graph.
func (b *Builder) Meta(q quad.Quad) {
	if bv := graph.DecodeSourceMeta(q, b.sourceInfo); bv != nil {
		b.noteBad([]graph.BadValue{*bv})
	}
}

func (b *Builder) sourceInfo(id graph.SourceID) *graph.SourceInfo {
	s, ok := b.sources[id]
	if !ok {
		s = &graph.SourceInfo{Source: graph.Source{ID: id}}
		b.sources[id] = s
	}
	return s
}

// StartFacts fixes the set of current versions before facts are read.
func (b *Builder) StartFacts() {
	ids := make([]graph.SourceID, 0, len(b.sources))
	for id, s := range b.sources {
		if s.Version == "" {
			delete(b.sources, id)
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		s := b.sources[id]
		b.current[s.Version] = id
		b.srcNum[id] = uint16(i)
		b.rankOf[s.Version] = int8(s.Kind.Rank())
	}
}

// Fact decodes one quad; it reports false when the quad's label is not a
// current version.
func (b *Builder) Fact(q quad.Quad) bool {
	label := graph.IRIOf(q.Label)
	src, ok := b.current[label]
	if !ok {
		return false
	}
	b.quads++
	b.sources[src].Facts++
	rk := b.rankOf[label]
	subj := graph.IRIOf(q.Subject)
	b.prov.note(subj, b.srcNum[src])
	kind, id := graph.ParseIRI(subj)
	switch kind {
	case graph.EntityFirm:
		b.firmFact(graph.FirmID(id), q, rk, b.srcNum[src])
	case graph.EntityRegion:
		entity(b, b.regions, graph.RegionCode(id), graph.NewRegionMerge).Add(q, rk)
	case graph.EntityNode:
		entity(b, b.nodes, graph.NodeID(id), graph.NewNodeMerge).Add(q, rk)
	case graph.EntityChain:
		b.chainFact(graph.ChainID(id), q, src, rk)
	case graph.EntityCode:
		entity(b, b.codes, graph.IndustryCode(id), graph.NewIndustryMerge).Add(q, rk)
	case graph.EntityPark:
		entity(b, b.parks, graph.ParkID(id), graph.NewParkMerge).Add(q, rk)
	case graph.EntityPlan:
		b.planFact(id, q, src, rk)
	case graph.EntityCrosswalk:
		entity(b, b.xwalk, subj, func(string) *graph.Merge[graph.CrosswalkEntry] { return graph.NewCrosswalkMerge() }).Add(q, rk)
	case graph.EntityMark:
		m := getOr(b.marks, subj, func() *graph.MarkMerge { return &graph.MarkMerge{} })
		m.Add(q)
	case graph.EntityLead:
		b.leadFact(id, q)
	}
	return true
}

// setStr sets a single-valued field unless a higher-ranked source set it;
// between equal ranks the smaller value wins, so the result does not depend
// on scan order.
func setStr(dst *string, have *int8, v string, rk int8) {
	if v == "" {
		return
	}
	if *dst == "" || rk < *have || rk == *have && v < *dst {
		*dst, *have = v, rk
	}
}

// entity returns the merge of entity k of a class, starting it with start
// when it is new: Fact feeds it the entity's quads, Build finishes it.
func entity[K comparable, T any](b *Builder, m map[K]*graph.Merge[T], k K, start func(K) *graph.Merge[T]) *graph.Merge[T] {
	e, ok := m[k]
	if !ok {
		e = start(k)
		e.Intern = b.interner()
		m[k] = e
	}
	return e
}

// interner returns b.intern as one func value, made once, that every
// merge shares.
func (b *Builder) interner() func(string) string {
	if b.internFn == nil {
		b.internFn = b.intern
	}
	return b.internFn
}

func (b *Builder) chainFact(id graph.ChainID, q quad.Quad, src graph.SourceID, rk int8) {
	c, ok := b.chains[id]
	if !ok {
		c = &chainB{Merge: graph.NewChainMerge(id), srcRk: 127}
		c.Intern = b.interner()
		b.chains[id] = c
	}
	if q.Predicate == graph.PredType && (c.src == "" || rk < c.srcRk || rk == c.srcRk && src < c.src) {
		c.src, c.srcRk = src, rk
	}
	c.Add(q, rk)
}

func (b *Builder) firmFact(id graph.FirmID, q quad.Quad, rk int8, src uint16) {
	f, ok := b.firms[id]
	if !ok {
		f = &graph.FirmMerge{Intern: b.interner()}
		f.ID = id
		b.firms[id] = f
	}
	f.Add(q, rk, src)
}

// planFact decodes one quad of a plan or of a part it states, through
// the plan's codec (graph.PlanMerge).
func (b *Builder) planFact(rest string, q quad.Quad, src graph.SourceID, rk int8) {
	id, _, _ := strings.Cut(rest, "/")
	p, ok := b.plans[graph.PlanID(id)]
	if !ok {
		p = &graph.PlanMerge{}
		b.plans[graph.PlanID(id)] = p
	}
	p.Add(q, rk, src)
}

func getOr[K comparable, V any](m map[K]*V, k K, mk func() *V) *V {
	v, ok := m[k]
	if !ok {
		v = mk()
		m[k] = v
	}
	return v
}

// build finishes the Index: sorted slices, lookups, counts.
func (b *Builder) Build() *Index {
	x := &Index{
		srcByID: map[graph.SourceID]int{},
		stats:   Stats{Quads: b.quads, ByClass: map[string]int{}},
	}
	b.buildSources(x)
	b.buildRegions(x)
	b.buildCodes(x)
	b.buildChains(x)
	b.buildFirms(x)
	x.sortWords()
	b.buildRest(x)
	x.library = buildLibraryLookup(x)
	x.names = buildNameLookups(x)
	x.countClasses()
	x.badValues, x.stats.BadValues = b.bad, b.badCount
	x.an = buildAnalytics(x)
	x.an.chainCov = buildChainCoverage(x)
	x.prov = b.prov.build()
	x.covCache = &coverageCache{}
	return x
}

// buildSources lists the sources in id order.
func (b *Builder) buildSources(x *Index) {
	for _, s := range b.sources {
		x.sources = append(x.sources, *s)
	}
	slices.SortFunc(x.sources, func(a, c graph.SourceInfo) int { return cmp.Compare(a.ID, c.ID) })
	for i, s := range x.sources {
		x.srcByID[s.ID] = i
	}
	x.stats.Sources = len(x.sources)

}

// buildRegions lists the regions by code, with their children and names.
func (b *Builder) buildRegions(x *Index) {
	x.regionAt = make(map[graph.RegionCode]int32, len(b.regions))
	x.children = map[graph.RegionCode][]graph.RegionCode{}
	x.regions = results(b, b.regions)
	for i, r := range x.regions {
		x.regionAt[r.Code] = int32(i)
		if r.Parent != "" {
			x.children[r.Parent] = append(x.children[r.Parent], r.Code)
		}
	}

	x.regionNames = buildRegionNames(x.regions)

}

// buildCodes lists the GB/T 4754 classes by code.
func (b *Builder) buildCodes(x *Index) {
	x.codeAt = make(map[graph.IndustryCode]int32, len(b.codes))
	x.codes = results(b, b.codes)
	for i, c := range x.codes {
		x.codeAt[c.Code] = int32(i)
	}

}

// buildChains lists the chains and their nodes, each chain's in tree order.
func (b *Builder) buildChains(x *Index) {
	x.chainAt = make(map[graph.ChainID]int32, len(b.chains))
	x.nodeAt = make(map[graph.NodeID]int32, len(b.nodes))
	kids := map[graph.NodeID][]*graph.ChainNode{}
	roots := map[graph.ChainID][]*graph.ChainNode{}
	nodes := results(b, b.nodes)
	for i := range nodes {
		n := &nodes[i]
		if n.Parent == "" {
			roots[n.ID.Chain()] = append(roots[n.ID.Chain()], n)
		} else {
			kids[n.Parent] = append(kids[n.Parent], n)
		}
	}
	bySibling := func(a, c *graph.ChainNode) int {
		return cmp.Or(cmp.Compare(a.Order, c.Order), cmp.Compare(a.ID, c.ID))
	}
	for _, cb := range sortedValues(b.chains) {
		b.noteBad(cb.Bad)
		c := cb.Result()
		if c.Name == "" {
			continue // nodes of a chain whose own facts are gone
		}
		c.Source = cb.src
		ci := int32(len(x.chains))
		x.chainAt[c.ID] = ci
		x.chains = append(x.chains, c)
		var order []int32
		var walk func(ns []*graph.ChainNode)
		walk = func(ns []*graph.ChainNode) {
			slices.SortFunc(ns, bySibling)
			for _, n := range ns {
				ni := int32(len(x.nodes))
				x.nodeAt[n.ID] = ni
				x.nodes = append(x.nodes, *n)
				order = append(order, ni)
				walk(kids[n.ID])
			}
		}
		walk(roots[c.ID])
		x.chainNodes = append(x.chainNodes, order)
	}

}

// buildFirms finishes each firm's merge and keeps it compact: links as
// node indexes, long texts left in the store.
func (b *Builder) buildFirms(x *Index) {
	x.firmAt = make(map[graph.FirmID]int32, len(b.firms))
	x.firms = make([]firmRec, 0, len(b.firms))
	for _, m := range sortedValues(b.firms) {
		r, conflicts, ok := b.firmRecord(x, m)
		if !ok {
			continue
		}
		if len(conflicts) > 0 {
			if x.regionConflicts == nil {
				x.regionConflicts = map[int32][]graph.RegionCode{}
			}
			x.regionConflicts[int32(len(x.firms))] = conflicts
		}
		x.firmAt[r.ID] = int32(len(x.firms))
		x.firms = append(x.firms, r)
	}
}

// firmRecord finishes one firm's merge into its record, with the regions
// its sources contradict each other on; ok is false for a firm that is
// only stray facts (a link, a tag) without the firm itself.
func (b *Builder) firmRecord(x *Index, m *graph.FirmMerge) (r firmRec, conflicts []graph.RegionCode, ok bool) {
	if m.Name == "" {
		return firmRec{}, nil, false
	}
	b.noteBad(m.Bad)
	f := m.Result()
	r = firmRec{firmFields: compactFirm(f), sources: m.Sources}
	for _, l := range f.Nodes {
		ni, ok := x.nodeAt[l.Node]
		if !ok {
			continue // a node the library no longer has
		}
		r.links = append(r.links, firmLink{node: ni, conf: uint16(math.Round(min(max(l.Confidence, 0), 1) * 1000)),
			method: x.word(l.Method), role: x.word(l.Role), src: m.LinkSource(l.Node)})
	}
	slices.Sort(r.sources)
	return r, m.RegionConflicts(), true
}

// sortWords numbers the short strings firm links share (methods, roles)
// in sorted order, so that their numbers do not depend on the order the
// firms were decoded in, and an update (Update) can keep them.
func (x *Index) sortWords() {
	if slices.IsSorted(x.words) {
		return
	}
	sorted := slices.Clone(x.words)
	slices.Sort(sorted)
	for i, w := range sorted {
		x.wordAt[w] = uint16(i)
	}
	num := make([]uint16, len(x.words))
	for i, w := range x.words {
		num[i] = x.wordAt[w]
	}
	x.words = sorted
	for fi := range x.firms {
		for k := range x.firms[fi].links {
			l := &x.firms[fi].links[k]
			l.method, l.role = num[l.method], num[l.role]
		}
	}
}

// buildRest lists parks, plans with their facts, the crosswalk and the
// data-quality marks.
func (b *Builder) buildRest(x *Index) {
	// Parks.
	x.parkAt = make(map[graph.ParkID]int32, len(b.parks))
	x.parks = results(b, b.parks)
	for i, p := range x.parks {
		x.parkAt[p.ID] = int32(i)
	}

	// Plans.
	x.planAt = make(map[graph.PlanID]int32, len(b.plans))
	for _, m := range sortedValues(b.plans) {
		p := m.Plan()
		if p.Document == "" {
			continue // a correction of a plan that is not loaded
		}
		for _, bv := range m.Bad {
			b.badCount++
			if len(b.bad) < maxBadValues {
				b.bad = append(b.bad, bv)
			}
		}
		x.planAt[p.ID] = int32(len(x.plans))
		x.plans = append(x.plans, PlanRecord{Plan: p, Source: m.Source, PlanParts: m.Parts(), Correction: m.Correction()})
	}

	// Crosswalk.
	x.crosswalk = results(b, b.xwalk)
	slices.SortFunc(x.crosswalk, func(a, c graph.CrosswalkEntry) int { return cmp.Compare(a.Phrase, c.Phrase) })

	// Data-quality marks.
	x.marks = make(map[string]graph.QualityMark, len(b.marks))
	for _, m := range b.marks {
		if m.Item != "" {
			x.marks[m.Item] = m.QualityMark
		}
	}

	x.leads = b.buildLeads()
}

// countClasses counts the entities per class for Stats.
func (x *Index) countClasses() {
	x.stats.ByClass["Region"] = len(x.regions)
	x.stats.ByClass["IndustryCode"] = len(x.codes)
	x.stats.ByClass["Chain"] = len(x.chains)
	x.stats.ByClass["ChainNode"] = len(x.nodes)
	x.stats.ByClass["Firm"] = len(x.firms)
	x.stats.ByClass["Park"] = len(x.parks)
	x.stats.ByClass["Plan"] = len(x.plans)
	x.stats.ByClass["Crosswalk"] = len(x.crosswalk)
	for _, p := range x.plans {
		x.stats.ByClass["Industry"] += len(p.Designations)
		x.stats.ByClass["Cluster"] += len(p.Clusters)
		x.stats.ByClass["Indicator"] += len(p.Indicators)
		x.stats.ByClass["Mention"] += len(p.Mentions)
		x.stats.ByClass["Evidence"] += len(p.Evidence)
	}
}

// sortedValues returns a map's values ordered by key.
func sortedValues[K cmp.Ordered, V any](m map[K]*V) []*V {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// results finishes the merges of one class, ordered by key, and records
// the stored values they could not read.
func results[K cmp.Ordered, T any](b *Builder, m map[K]*graph.Merge[T]) []T {
	out := make([]T, 0, len(m))
	for _, e := range sortedValues(m) {
		b.noteBad(e.Bad)
		out = append(out, e.Result())
	}
	return out
}

// SetSources gives a builder the sources of the read model to build, as
// the meta graph would: their versions become the current labels.
func (b *Builder) SetSources(infos []graph.SourceInfo) {
	for _, si := range infos {
		si.Facts = 0
		c := si
		b.sources[si.ID] = &c
	}
}

// Source returns a source of the read model being built.
func (b *Builder) Source(id graph.SourceID) (graph.SourceInfo, bool) {
	s, ok := b.sources[id]
	if !ok {
		return graph.SourceInfo{}, false
	}
	return *s, true
}

// SourceList returns the sources read so far, current or not.
func (b *Builder) SourceList() []graph.SourceInfo {
	out := make([]graph.SourceInfo, 0, len(b.sources))
	for _, s := range b.sources {
		out = append(out, *s)
	}
	return out
}

// IsCurrent reports whether label is the current version of a source.
func (b *Builder) IsCurrent(label string) bool {
	_, ok := b.current[label]
	return ok
}

// SetCounts sets each current version's quad count (and the total) from
// facts, label → quads, when the quads were fed from elsewhere than a scan.
func (b *Builder) SetCounts(facts map[string]int) {
	b.quads = 0
	for label, src := range b.current {
		if n, ok := facts[label]; ok {
			b.sources[src].Facts = n
			b.quads += n
		}
	}
}

// maxBadValues bounds the unreadable values the read model keeps to show.
const maxBadValues = 100

// badValue records a stored value that could not be read.
func (b *Builder) badValue(q quad.Quad) { b.noteBad([]graph.BadValue{graph.BadValueOf(q)}) }

// noteBad records stored values a merge could not read.
func (b *Builder) noteBad(bad []graph.BadValue) {
	for _, bv := range bad {
		b.badCount++
		if len(b.bad) < maxBadValues {
			b.bad = append(b.bad, bv)
		}
	}
}

// float reads a stored number, recording one that does not parse (0 then).
func (b *Builder) float(q quad.Quad) float64 {
	f, ok := graph.NumberOf(q.Object)
	if !ok {
		b.badValue(q)
		return 0
	}
	return f
}

// int reads a stored integer, recording one that does not parse (0 then).
func (b *Builder) int(q quad.Quad) int {
	f, ok := graph.NumberOf(q.Object)
	if !ok || f != float64(int(f)) {
		b.badValue(q)
		return 0
	}
	return int(f)
}

// BadValues returns the first stored values the read model could not read
// (Stats.BadValues counts them all).
func (x *Index) BadValues() []graph.BadValue { return slices.Clone(x.badValues) }
