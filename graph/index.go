package graph

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
)

// Index is the read model: every entity of the current versions of all
// sources, decoded into compact typed records with the lookups the queries
// need. It is immutable; the store builds a new one after each write and
// swaps it in, so readers never lock and never see half a write.
type Index struct {
	sources []SourceInfo
	srcByID map[SourceID]int
	stats   Stats

	regions     []Region
	regionAt    map[RegionCode]int32
	children    map[RegionCode][]RegionCode
	regionNames regionNames

	codes  []IndustryClass
	codeAt map[IndustryCode]int32

	chains  []Chain
	chainAt map[ChainID]int32
	nodes   []ChainNode
	nodeAt  map[NodeID]int32
	// chainNodes lists each chain's nodes (indexes into nodes) in tree order.
	chainNodes [][]int32
	library    libraryLookup

	firms  []firmRec
	firmAt map[FirmID]int32

	parks  []Park
	parkAt map[ParkID]int32

	plans     []PlanRecord
	planAt    map[PlanID]int32
	crosswalk []CrosswalkEntry

	an *analytics // precomputed structures of the analytics (analytics.go)

	// words are the short strings firm links share (methods, roles),
	// numbered: a link holds their indexes.
	words  []string
	wordAt map[string]uint16

	prov provenance // the sources of chains, nodes, parks and regions (provenance.go)

	names nameLookups // firm and industry-class names (lookup_names.go)
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
func (x *Index) nodeLinks(r *firmRec) []NodeLink {
	if len(r.links) == 0 {
		return nil
	}
	out := make([]NodeLink, len(r.links))
	for i, l := range r.links {
		out[i] = NodeLink{Node: x.nodes[l.node].ID, Method: x.words[l.method], Confidence: l.confidence(), Role: x.words[l.role]}
	}
	return out
}

// Stats counts what the read model holds.
type Stats struct {
	Quads   int            // quads of current versions
	Sources int            // loaded sources
	ByClass map[string]int // entities per class name (Region, Firm …)
}

// firmRec is a firm as the read model keeps it: what the queries rank and
// filter on, without the long texts (经营范围, address), which stay in the store.
type firmRec struct {
	id           FirmID
	name         string
	short        string
	aliases      []string
	region       RegionCode
	regionMethod string
	status       FirmStatus
	capital      float64
	paidIn       float64
	currency     string
	revenue      float64
	employees    int32
	founded      string
	firmType     string
	industry     IndustryCode
	stocks       []string
	tags         []string
	group        string
	park         ParkID
	links        []firmLink // its chain nodes, ordered by node id
	sources      []uint16
	synthetic    bool
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
	Plan
	Source       SourceID
	Designations []Designation
	Clusters     []Cluster
	Indicators   []Indicator
	Mentions     []Mention
	Evidence     []Evidence
	// CountedGroups and Conflicts are the plan's counts and where they disagree.
	CountedGroups []CountedGroup
	Conflicts     []Conflict
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
func (x *Index) Sources() []SourceInfo { return slices.Clone(x.sources) }

func (x *Index) Source(id SourceID) (SourceInfo, bool) {
	i, ok := x.srcByID[id]
	if !ok {
		return SourceInfo{}, false
	}
	return x.sources[i], true
}

// Region returns a region by code.
func (x *Index) Region(c RegionCode) (Region, bool) {
	i, ok := x.regionAt[c]
	if !ok {
		return Region{}, false
	}
	return x.regions[i], true
}

// Ancestors returns a region's ancestors, the province first.
func (x *Index) Ancestors(c RegionCode) []Region {
	var out []Region
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
func (x *Index) Children(c RegionCode) []RegionCode { return slices.Clone(x.children[c]) }

// Chains returns the chains of the library, ordered by id.
func (x *Index) Chains() []Chain { return slices.Clone(x.chains) }

// Chain returns a chain by id.
func (x *Index) Chain(id ChainID) (Chain, bool) {
	i, ok := x.chainAt[id]
	if !ok {
		return Chain{}, false
	}
	return x.chains[i], true
}

// ChainNodes returns a chain's nodes in tree order (each parent before its children).
func (x *Index) ChainNodes(id ChainID) []ChainNode {
	i, ok := x.chainAt[id]
	if !ok {
		return nil
	}
	out := make([]ChainNode, len(x.chainNodes[i]))
	for j, n := range x.chainNodes[i] {
		out[j] = x.nodes[n]
	}
	return out
}

// Node returns a chain node by id.
func (x *Index) Node(id NodeID) (ChainNode, bool) {
	i, ok := x.nodeAt[id]
	if !ok {
		return ChainNode{}, false
	}
	return x.nodes[i], true
}

// IndustryClass returns a GB/T 4754 entry by code.
func (x *Index) IndustryClass(c IndustryCode) (IndustryClass, bool) {
	i, ok := x.codeAt[c]
	if !ok {
		return IndustryClass{}, false
	}
	return x.codes[i], true
}

// Park returns a park by id.
func (x *Index) Park(id ParkID) (Park, bool) {
	i, ok := x.parkAt[id]
	if !ok {
		return Park{}, false
	}
	return x.parks[i], true
}

// Parks returns all parks, ordered by id.
func (x *Index) Parks() []Park { return slices.Clone(x.parks) }

// Plan returns a plan with its facts.
func (x *Index) Plan(id PlanID) (PlanRecord, bool) {
	i, ok := x.planAt[id]
	if !ok {
		return PlanRecord{}, false
	}
	return x.plans[i], true
}

// Plans returns all plans, ordered by id.
func (x *Index) Plans() []PlanRecord { return slices.Clone(x.plans) }

// Crosswalk returns the rows mapping plan wording to chains.
func (x *Index) Crosswalk() []CrosswalkEntry { return slices.Clone(x.crosswalk) }

// Firm returns a firm as the read model holds it (long texts such as 经营范围
// are left in the store).
func (x *Index) Firm(id FirmID) (Firm, bool) {
	i, ok := x.firmAt[id]
	if !ok {
		return Firm{}, false
	}
	return x.firms[i].firm(x), true
}

// FirmSources returns the ids of the sources that assert facts about a firm.
func (x *Index) FirmSources(id FirmID) []SourceID {
	i, ok := x.firmAt[id]
	if !ok {
		return nil
	}
	out := make([]SourceID, len(x.firms[i].sources))
	for j, s := range x.firms[i].sources {
		out[j] = x.sources[s].ID
	}
	return out
}

// FirmCount returns the number of firms.
func (x *Index) FirmCount() int { return len(x.firms) }

func (r *firmRec) firm(x *Index) Firm {
	return Firm{
		ID: r.id, Name: r.name, ShortName: r.short, Aliases: r.aliases,
		Status: r.status, Region: r.region, RegionMethod: r.regionMethod,
		Capital: r.capital, PaidIn: r.paidIn, Currency: r.currency, Revenue: r.revenue,
		Employees: int(r.employees), Founded: r.founded, Type: r.firmType, Industry: r.industry,
		Stocks: r.stocks, Tags: r.tags, Group: r.group, Park: r.park, Nodes: x.nodeLinks(r),
		Synthetic: r.synthetic,
	}
}

// Builder decodes quads into the next Index. Entities are recognised by
// the prefix of their IRI, so quads can arrive in any order.
type Builder struct {
	sources map[SourceID]*SourceInfo
	current map[string]SourceID // version label → source
	srcNum  map[SourceID]uint16
	rankOf  map[string]int8 // version label → rank of its source kind
	quads   int

	regions map[RegionCode]*regionB
	codes   map[IndustryCode]*IndustryClass
	chains  map[ChainID]*chainB
	nodes   map[NodeID]*ChainNode
	firms   map[FirmID]*firmB
	parks   map[ParkID]*Park
	plans   map[PlanID]*planB
	xwalk   map[string]*CrosswalkEntry
	strs    map[string]string // interned short strings
	prov    provenanceBuilder
}

type regionB struct {
	Region
	rk [3]int8
}

type chainB struct {
	Chain
	segs map[int]Segment
}

type firmB struct {
	firmRec
	rk       [16]int8
	linkSet  map[NodeID]NodeLink
	linkFrom map[NodeID]uint16 // the source of the kept evidence of each link
	excluded map[NodeID]bool   // nodes an override took the firm out of
	// regionSrc is the source whose region was kept; regionMethods holds
	// each source's region method, so the method matches the region.
	regionSrc     uint16
	regionMethods []srcString
}

// srcString is a value one source gave; a firm has few sources, so a slice
// is lighter than a map.
type srcString struct {
	src uint16
	v   string
}

type planB struct {
	PlanRecord
	des map[int]*Designation
	cls map[int]*Cluster
	ind map[int]*Indicator
	men map[int]*Mention
	evs map[int]*Evidence
	grp map[int]*CountedGroup
	cfl map[int]*Conflict
}

func NewBuilder() *Builder {
	return &Builder{
		sources: map[SourceID]*SourceInfo{},
		current: map[string]SourceID{},
		srcNum:  map[SourceID]uint16{},
		rankOf:  map[string]int8{},
		regions: map[RegionCode]*regionB{},
		codes:   map[IndustryCode]*IndustryClass{},
		chains:  map[ChainID]*chainB{},
		nodes:   map[NodeID]*ChainNode{},
		firms:   map[FirmID]*firmB{},
		parks:   map[ParkID]*Park{},
		plans:   map[PlanID]*planB{},
		xwalk:   map[string]*CrosswalkEntry{},
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
	subj := IRIOf(q.Subject)
	if kind, id := ParseIRI(subj); kind == EntitySource && !strings.Contains(id, "@") {
		src := b.sourceInfo(SourceID(id))
		switch q.Predicate {
		case PredSourceKind:
			src.Kind = SourceKind(StrOf(q.Object))
		case PredName:
			src.Title = StrOf(q.Object)
		case PredOrigin:
			src.Origin = StrOf(q.Object)
		case PredCurrent:
			src.Version = IRIOf(q.Object)
		}
		return
	}
	// A version's own quads: find the source it belongs to.
	base, _, ok := strings.Cut(subj, "@")
	if !ok {
		return
	}
	_, id := ParseIRI(base)
	src := b.sourceInfo(SourceID(id))
	if src.Version != "" && src.Version != subj {
		return // an older version's leftovers
	}
	switch q.Predicate {
	case PredLoadedAt:
		if t, err := time.Parse(time.RFC3339Nano, StrOf(q.Object)); err == nil {
			src.LoadedAt = t
		}
	case PredHash:
		src.Hash = StrOf(q.Object)
	}
}

func (b *Builder) sourceInfo(id SourceID) *SourceInfo {
	s, ok := b.sources[id]
	if !ok {
		s = &SourceInfo{Source: Source{ID: id}}
		b.sources[id] = s
	}
	return s
}

// StartFacts fixes the set of current versions before facts are read.
func (b *Builder) StartFacts() {
	ids := make([]SourceID, 0, len(b.sources))
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
	label := IRIOf(q.Label)
	src, ok := b.current[label]
	if !ok {
		return false
	}
	b.quads++
	b.sources[src].Facts++
	rk := b.rankOf[label]
	subj := IRIOf(q.Subject)
	b.prov.note(subj, b.srcNum[src])
	kind, id := ParseIRI(subj)
	switch kind {
	case EntityFirm:
		b.firmFact(FirmID(id), q, rk, b.srcNum[src])
	case EntityRegion:
		b.regionFact(RegionCode(id), q, rk)
	case EntityNode:
		b.nodeFact(NodeID(id), q)
	case EntityChain:
		b.chainFact(ChainID(id), q, src)
	case EntityCode:
		b.codeFact(IndustryCode(id), q)
	case EntityPark:
		b.parkFact(ParkID(id), q)
	case EntityPlan:
		b.planFact(id, q, src)
	case EntityCrosswalk:
		b.crosswalkFact(subj, q)
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

func setNum(dst *float64, have *int8, v float64, rk int8) {
	if *dst == 0 || rk < *have || rk == *have && v > *dst {
		*dst, *have = v, rk
	}
}

func (b *Builder) regionFact(c RegionCode, q quad.Quad, rk int8) {
	r, ok := b.regions[c]
	if !ok {
		r = &regionB{Region: Region{Code: c}, rk: [3]int8{127, 127, 127}}
		b.regions[c] = r
	}
	switch q.Predicate {
	case PredName:
		setStr(&r.Name, &r.rk[0], StrOf(q.Object), rk)
	case PredShortName:
		setStr(&r.ShortName, &r.rk[1], StrOf(q.Object), rk)
	case PredAlias:
		r.Aliases = append(r.Aliases, StrOf(q.Object))
	case PredLevel:
		r.Level = RegionLevel(b.intern(StrOf(q.Object)))
	case PredParent:
		r.Parent = RegionOf(q.Object)
	}
}

func (b *Builder) codeFact(c IndustryCode, q quad.Quad) {
	r, ok := b.codes[c]
	if !ok {
		r = &IndustryClass{Code: c}
		b.codes[c] = r
	}
	switch q.Predicate {
	case PredName:
		r.Name = StrOf(q.Object)
	case PredParent:
		r.Parent = CodeOf(q.Object)
	case PredDescription:
		r.Description = StrOf(q.Object)
	case PredTag:
		r.Tags = append(r.Tags, b.intern(StrOf(q.Object)))
	case PredCategory:
		r.Categories = append(r.Categories, StrOf(q.Object))
	}
}

func (b *Builder) chainFact(id ChainID, q quad.Quad, src SourceID) {
	c, ok := b.chains[id]
	if !ok {
		c = &chainB{Chain: Chain{ID: id}, segs: map[int]Segment{}}
		b.chains[id] = c
	}
	switch q.Predicate {
	case PredType:
		c.Source = src
	case PredName:
		c.Name = StrOf(q.Object)
	case PredAlias:
		c.Aliases = append(c.Aliases, StrOf(q.Object))
	case PredChainType:
		c.Type = ChainType(StrOf(q.Object))
	case PredSegments:
		if i, sg, ok := ParseSegment(StrOf(q.Object)); ok {
			c.segs[i] = sg
		}
	case PredDescription:
		c.Description = StrOf(q.Object)
	case PredNote:
		c.Note = StrOf(q.Object)
	}
}

func (b *Builder) nodeFact(id NodeID, q quad.Quad) {
	n, ok := b.nodes[id]
	if !ok {
		n = &ChainNode{ID: id}
		b.nodes[id] = n
	}
	switch q.Predicate {
	case PredName:
		n.Name = StrOf(q.Object)
	case PredAlias:
		n.Aliases = append(n.Aliases, StrOf(q.Object))
	case PredParent:
		n.Parent = NodeOf(q.Object)
	case PredSegment:
		n.Segment = b.intern(StrOf(q.Object))
	case PredOrder:
		n.Order = IntOf(q.Object)
	case PredIndustryCode:
		n.Codes = append(n.Codes, CodeOf(q.Object))
	case PredKeyword:
		n.Keywords = append(n.Keywords, StrOf(q.Object))
	case PredExclude:
		n.Excludes = append(n.Excludes, StrOf(q.Object))
	case PredProduct:
		n.Products = append(n.Products, StrOf(q.Object))
	case PredSuppliesTo:
		n.SuppliesTo = append(n.SuppliesTo, NodeOf(q.Object))
	case PredWeight:
		n.Weight = FloatOf(q.Object)
	case PredDescription:
		n.Description = StrOf(q.Object)
	}
}

// Indexes into firmB.rk, one per single-valued field.
const (
	fkName = iota
	fkShort
	fkStatus
	fkRegion
	fkCapital
	fkPaidIn
	fkCurrency
	fkRevenue
	fkFounded
	fkType
	fkIndustry
	fkGroup
	fkPark
	fkEmployees
)

func (b *Builder) firmFact(id FirmID, q quad.Quad, rk int8, src uint16) {
	f, ok := b.firms[id]
	if !ok {
		f = &firmB{firmRec: firmRec{id: id}}
		for i := range f.rk {
			f.rk[i] = 127
		}
		b.firms[id] = f
	}
	if n := len(f.sources); n == 0 || f.sources[n-1] != src {
		if !slices.Contains(f.sources, src) {
			f.sources = append(f.sources, src)
		}
	}
	switch q.Predicate {
	case PredName:
		setStr(&f.name, &f.rk[fkName], StrOf(q.Object), rk)
	case PredShortName:
		setStr(&f.short, &f.rk[fkShort], StrOf(q.Object), rk)
	case PredAlias:
		f.aliases = append(f.aliases, StrOf(q.Object))
	case PredStatus:
		v := string(f.status)
		setStr(&v, &f.rk[fkStatus], StrOf(q.Object), rk)
		f.status = FirmStatus(b.intern(v))
	case PredRegion:
		// Between sources of one rank, the finer of two nested regions wins
		// (烟台市 over 山东省); the method recorded is that source's.
		v := RegionOf(q.Object)
		if f.region == "" || rk < f.rk[fkRegion] || rk == f.rk[fkRegion] && FinerRegion(v, f.region) {
			f.region, f.rk[fkRegion], f.regionSrc = RegionCode(b.intern(string(v))), rk, src
		}
	case PredRegionMethod:
		f.regionMethods = append(f.regionMethods, srcString{src, b.intern(StrOf(q.Object))})
	case PredCapital:
		setNum(&f.capital, &f.rk[fkCapital], FloatOf(q.Object), rk)
	case PredPaidIn:
		setNum(&f.paidIn, &f.rk[fkPaidIn], FloatOf(q.Object), rk)
	case PredCurrency:
		setStr(&f.currency, &f.rk[fkCurrency], b.intern(StrOf(q.Object)), rk)
	case PredRevenue:
		setNum(&f.revenue, &f.rk[fkRevenue], FloatOf(q.Object), rk)
	case PredEmployees:
		v := float64(f.employees)
		setNum(&v, &f.rk[fkEmployees], FloatOf(q.Object), rk)
		f.employees = int32(v)
	case PredFounded:
		setStr(&f.founded, &f.rk[fkFounded], StrOf(q.Object), rk)
	case PredFirmType:
		setStr(&f.firmType, &f.rk[fkType], b.intern(StrOf(q.Object)), rk)
	case PredIndustryCode:
		v := string(f.industry)
		setStr(&v, &f.rk[fkIndustry], string(CodeOf(q.Object)), rk)
		f.industry = IndustryCode(b.intern(v))
	case PredStock:
		f.stocks = append(f.stocks, StrOf(q.Object))
	case PredTag:
		f.tags = append(f.tags, b.intern(StrOf(q.Object)))
	case PredGroup:
		setStr(&f.group, &f.rk[fkGroup], StrOf(q.Object), rk)
	case PredPark:
		v := string(f.park)
		setStr(&v, &f.rk[fkPark], string(ParkOf(q.Object)), rk)
		f.park = ParkID(v)
	case PredInNode:
		n := NodeOf(q.Object)
		if f.linkSet == nil {
			f.linkSet = map[NodeID]NodeLink{}
		}
		if _, ok := f.linkSet[n]; !ok {
			f.linkSet[n] = NodeLink{Node: n, Confidence: 1}
			f.noteLinkSource(n, src)
		}
	case PredNodeEvidence:
		if l, ok := DecodeNodeLink(StrOf(q.Object)); ok {
			if f.linkSet == nil {
				f.linkSet = map[NodeID]NodeLink{}
			}
			// Of two sources' evidence for one link, keep the more confident.
			if cur, ok := f.linkSet[l.Node]; !ok || cur.Method == "" || l.Confidence > cur.Confidence {
				l.Method = b.intern(l.Method)
				l.Role = b.intern(l.Role)
				l.Matched = "" // the store keeps the text; the read model need not
				f.linkSet[l.Node] = l
				f.noteLinkSource(l.Node, src)
			}
		}
	case PredNotInNode:
		if f.excluded == nil {
			f.excluded = map[NodeID]bool{}
		}
		f.excluded[NodeOf(q.Object)] = true
	case PredSynthetic:
		f.synthetic = true
	}
}

func (b *Builder) parkFact(id ParkID, q quad.Quad) {
	p, ok := b.parks[id]
	if !ok {
		p = &Park{ID: id}
		b.parks[id] = p
	}
	switch q.Predicate {
	case PredName:
		p.Name = StrOf(q.Object)
	case PredShortName:
		p.ShortName = StrOf(q.Object)
	case PredAlias:
		p.Aliases = append(p.Aliases, StrOf(q.Object))
	case PredRegion:
		p.Region = RegionOf(q.Object)
	case PredLevel:
		p.Level = StrOf(q.Object)
	case PredParkKind:
		p.Kind = StrOf(q.Object)
	case PredFocus:
		p.Focus = append(p.Focus, StrOf(q.Object))
	case PredChain:
		p.Chains = append(p.Chains, ChainOf(q.Object))
	case PredAddress:
		p.Address = StrOf(q.Object)
	case PredNote:
		p.Note = StrOf(q.Object)
	}
}

func (b *Builder) crosswalkFact(subj string, q quad.Quad) {
	c, ok := b.xwalk[subj]
	if !ok {
		c = &CrosswalkEntry{}
		b.xwalk[subj] = c
	}
	switch q.Predicate {
	case PredPhrase:
		c.Phrase = StrOf(q.Object)
	case PredChain:
		c.Chains = append(c.Chains, ChainOf(q.Object))
	case PredConfidence:
		c.Confidence = FloatOf(q.Object)
	case PredNote:
		c.Note = StrOf(q.Object)
	}
}

func (b *Builder) planFact(rest string, q quad.Quad, src SourceID) {
	id, part, _ := strings.Cut(rest, "/")
	p, ok := b.plans[PlanID(id)]
	if !ok {
		p = &planB{PlanRecord: PlanRecord{Plan: Plan{ID: PlanID(id)}, Source: src},
			des: map[int]*Designation{}, cls: map[int]*Cluster{}, ind: map[int]*Indicator{},
			men: map[int]*Mention{}, evs: map[int]*Evidence{}, grp: map[int]*CountedGroup{}, cfl: map[int]*Conflict{}}
		b.plans[PlanID(id)] = p
	}
	if part == "" {
		switch q.Predicate {
		case PredTitle:
			p.Title = StrOf(q.Object)
		case PredIssuer:
			p.Issuer = StrOf(q.Object)
		case PredPublished:
			p.Published = StrOf(q.Object)
		case PredPeriod:
			p.Period = StrOf(q.Object)
		case PredRegion:
			p.Region = RegionOf(q.Object)
		case PredMethod:
			p.RegionMethod = StrOf(q.Object)
		case PredDocument:
			p.Document = StrOf(q.Object)
		case PredText:
			p.Text = StrOf(q.Object)
		}
		return
	}
	kind, num, _ := strings.Cut(part, "/")
	n, err := strconv.Atoi(num)
	if err != nil {
		return
	}
	evN := func() int {
		_, _, n, _ := PlanPartOf(q.Object)
		return n
	}
	switch kind {
	case "ev":
		v := getOr(p.evs, n, func() *Evidence { return &Evidence{Plan: p.ID, N: n} })
		switch q.Predicate {
		case PredText:
			v.Text = StrOf(q.Object)
		case PredStart:
			v.Start = IntOf(q.Object)
		case PredEnd:
			v.End = IntOf(q.Object)
		case PredQuote:
			v.Quote = StrOf(q.Object)
		}
	case "industry":
		d := getOr(p.des, n, func() *Designation { return &Designation{Plan: p.ID, N: n} })
		switch q.Predicate {
		case PredName:
			d.Name = StrOf(q.Object)
		case PredRole:
			d.Role = IndustryRole(StrOf(q.Object))
		case PredMethod:
			if l, ok := parseChainLink(StrOf(q.Object)); ok {
				d.Chains = append(d.Chains, l)
			}
		case PredEvidence:
			d.Evidence = evN()
		}
	case "cluster":
		c := getOr(p.cls, n, func() *Cluster { return &Cluster{Plan: p.ID, N: n} })
		switch q.Predicate {
		case PredName:
			c.Name = StrOf(q.Object)
		case PredLevel:
			c.Level = StrOf(q.Object)
		case PredMethod:
			if l, ok := parseChainLink(StrOf(q.Object)); ok {
				c.Chains = append(c.Chains, l)
			}
		case PredEvidence:
			c.Evidence = evN()
		}
	case "indicator":
		in := getOr(p.ind, n, func() *Indicator { return &Indicator{Plan: p.ID, N: n} })
		switch q.Predicate {
		case PredMetric:
			in.Metric = StrOf(q.Object)
		case PredValue:
			v := FloatOf(q.Object)
			in.Value = &v
		case PredUnit:
			in.Unit = StrOf(q.Object)
		case PredComparator:
			in.Comparator = StrOf(q.Object)
		case PredYear:
			in.Year = IntOf(q.Object)
		case PredIndicatorKind:
			in.Kind = StrOf(q.Object)
		case PredEvidence:
			in.Evidence = evN()
		}
	case "group", "conflict":
		p.groupFact(kind, n, q, evN)
	case "mention":
		m := getOr(p.men, n, func() *Mention { return &Mention{Plan: p.ID, N: n} })
		switch q.Predicate {
		case PredMentionKind:
			m.Kind = StrOf(q.Object)
		case PredName:
			m.Name = StrOf(q.Object)
		case PredResolvesTo:
			o := IRIOf(q.Object)
			switch kind, id := ParseIRI(o); kind {
			case EntityFirm:
				m.Firm = FirmID(id)
			case EntityPark:
				m.Park = ParkID(id)
			}
		case PredMethod:
			m.Method = StrOf(q.Object)
		case PredConfidence:
			m.Confidence = FloatOf(q.Object)
		case PredEvidence:
			m.Evidence = evN()
		}
	}
}

func parseChainLink(v string) (ChainLink, bool) {
	p := strings.SplitN(v, "\t", 3)
	if len(p) != 3 {
		return ChainLink{}, false
	}
	c, err := strconv.ParseFloat(p[2], 64)
	if err != nil {
		return ChainLink{}, false
	}
	return ChainLink{Chain: ChainID(p[0]), Method: p[1], Confidence: c}, true
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
		srcByID: map[SourceID]int{},
		stats:   Stats{Quads: b.quads, ByClass: map[string]int{}},
	}
	for _, s := range b.sources {
		x.sources = append(x.sources, *s)
	}
	slices.SortFunc(x.sources, func(a, c SourceInfo) int { return cmp.Compare(a.ID, c.ID) })
	for i, s := range x.sources {
		x.srcByID[s.ID] = i
	}
	x.stats.Sources = len(x.sources)

	// Regions.
	x.regionAt = make(map[RegionCode]int32, len(b.regions))
	x.children = map[RegionCode][]RegionCode{}
	for _, r := range sortedValues(b.regions) {
		r.Aliases = uniq(r.Aliases)
		x.regionAt[r.Code] = int32(len(x.regions))
		x.regions = append(x.regions, r.Region)
		if r.Parent != "" {
			x.children[r.Parent] = append(x.children[r.Parent], r.Code)
		}
	}

	x.regionNames = buildRegionNames(x.regions)

	// Industry codes.
	x.codeAt = make(map[IndustryCode]int32, len(b.codes))
	for _, c := range sortedValues(b.codes) {
		c.Tags, c.Categories = uniq(c.Tags), uniq(c.Categories)
		x.codeAt[c.Code] = int32(len(x.codes))
		x.codes = append(x.codes, *c)
	}

	// Chains and their nodes, in tree order.
	x.chainAt = make(map[ChainID]int32, len(b.chains))
	x.nodeAt = make(map[NodeID]int32, len(b.nodes))
	kids := map[NodeID][]*ChainNode{}
	roots := map[ChainID][]*ChainNode{}
	for _, n := range sortedValues(b.nodes) {
		n.Aliases, n.Keywords, n.Excludes, n.Products = uniq(n.Aliases), uniq(n.Keywords), uniq(n.Excludes), uniq(n.Products)
		n.Codes, n.SuppliesTo = uniq(n.Codes), uniq(n.SuppliesTo)
		if n.Parent == "" {
			roots[n.ID.Chain()] = append(roots[n.ID.Chain()], n)
		} else {
			kids[n.Parent] = append(kids[n.Parent], n)
		}
	}
	bySibling := func(a, c *ChainNode) int {
		return cmp.Or(cmp.Compare(a.Order, c.Order), cmp.Compare(a.ID, c.ID))
	}
	for _, c := range sortedValues(b.chains) {
		if c.Name == "" {
			continue // nodes of a chain whose own facts are gone
		}
		c.Aliases = uniq(c.Aliases)
		idx := make([]int, 0, len(c.segs))
		for i := range c.segs {
			idx = append(idx, i)
		}
		slices.Sort(idx)
		c.Segments = c.Segments[:0]
		for _, i := range idx {
			c.Segments = append(c.Segments, c.segs[i])
		}
		ci := int32(len(x.chains))
		x.chainAt[c.ID] = ci
		x.chains = append(x.chains, c.Chain)
		var order []int32
		var walk func(ns []*ChainNode)
		walk = func(ns []*ChainNode) {
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

	// Firms.
	x.firmAt = make(map[FirmID]int32, len(b.firms))
	x.firms = make([]firmRec, 0, len(b.firms))
	for _, f := range sortedValues(b.firms) {
		if f.name == "" {
			continue // only stray facts (a link, a tag) without the firm itself
		}
		f.aliases, f.stocks, f.tags = uniq(f.aliases), uniq(f.stocks), uniq(f.tags)
		for _, m := range f.regionMethods {
			if m.src == f.regionSrc {
				f.regionMethod = m.v
			}
		}
		for _, l := range f.linkSet {
			ni, ok := x.nodeAt[l.Node]
			if !ok || f.excluded[l.Node] {
				continue // a node the library no longer has, or one an override excluded
			}
			f.links = append(f.links, firmLink{node: ni, conf: uint16(math.Round(min(max(l.Confidence, 0), 1) * 1000)),
				method: x.word(l.Method), role: x.word(l.Role), src: f.linkFrom[l.Node]})
		}
		slices.SortFunc(f.links, func(a, c firmLink) int { return cmp.Compare(x.nodes[a.node].ID, x.nodes[c.node].ID) })
		f.regionMethods, f.excluded, f.linkSet, f.linkFrom = nil, nil, nil, nil
		slices.Sort(f.sources)
		x.firmAt[f.id] = int32(len(x.firms))
		x.firms = append(x.firms, f.firmRec)
	}

	// Parks.
	x.parkAt = make(map[ParkID]int32, len(b.parks))
	for _, p := range sortedValues(b.parks) {
		p.Aliases, p.Focus, p.Chains = uniq(p.Aliases), uniq(p.Focus), uniq(p.Chains)
		x.parkAt[p.ID] = int32(len(x.parks))
		x.parks = append(x.parks, *p)
	}

	// Plans.
	x.planAt = make(map[PlanID]int32, len(b.plans))
	for _, p := range sortedValues(b.plans) {
		p.Designations = derefSorted(p.des)
		p.Clusters = derefSorted(p.cls)
		p.Indicators = derefSorted(p.ind)
		p.Mentions = derefSorted(p.men)
		p.Evidence = derefSorted(p.evs)
		p.CountedGroups, p.Conflicts = p.groups()
		x.planAt[p.ID] = int32(len(x.plans))
		x.plans = append(x.plans, p.PlanRecord)
	}

	// Crosswalk.
	for _, c := range sortedValues(b.xwalk) {
		c.Chains = uniq(c.Chains)
		x.crosswalk = append(x.crosswalk, *c)
	}
	slices.SortFunc(x.crosswalk, func(a, c CrosswalkEntry) int { return cmp.Compare(a.Phrase, c.Phrase) })

	x.library = buildLibraryLookup(x)
	x.names = buildNameLookups(x)

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
	x.an = buildAnalytics(x)
	x.prov = b.prov.build()
	return x
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

func derefSorted[V any](m map[int]*V) []V {
	out := make([]V, 0, len(m))
	for _, v := range sortedValues(m) {
		out = append(out, *v)
	}
	return out
}

// uniq removes repeated values, keeping first occurrences in order.
func uniq[T comparable](s []T) []T {
	if len(s) < 2 {
		return s
	}
	seen := make(map[T]bool, len(s))
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// SetSources gives a builder the sources of the read model to build, as
// the meta graph would: their versions become the current labels.
func (b *Builder) SetSources(infos []SourceInfo) {
	for _, si := range infos {
		si.Facts = 0
		c := si
		b.sources[si.ID] = &c
	}
}

// Source returns a source of the read model being built.
func (b *Builder) Source(id SourceID) (SourceInfo, bool) {
	s, ok := b.sources[id]
	if !ok {
		return SourceInfo{}, false
	}
	return *s, true
}

// SourceList returns the sources read so far, current or not.
func (b *Builder) SourceList() []SourceInfo {
	out := make([]SourceInfo, 0, len(b.sources))
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
