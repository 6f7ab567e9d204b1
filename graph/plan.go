package graph

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// This file is the plan's codec: the plan and every part it states
// (evidence, designations, clusters, indicators, mentions, counted groups,
// conflicts), their identifiers, their encoding to quads, and PlanMerge,
// which decodes them by the tables planFields … conflictFields. Everything
// that reads a plan's quads goes through PlanMerge; adding an attribute to
// a part is one struct field, one line of its encode and one row.

// PlanPartID identifies a plan or a fact a plan states: its IRI is
// plan/<plan> for the plan itself (Kind empty) and plan/<plan>/<kind>/<n>
// for a part, n unique among the plan's parts of that kind.
type PlanPartID struct {
	Plan PlanID
	Kind PlanPartKind // empty for the plan itself
	N    int
}

// IRI returns the IRI of the plan or part.
func (id PlanPartID) IRI() quad.IRI {
	if id.Kind == "" {
		return id.Plan.IRI()
	}
	return quad.IRI(prefixPlan + string(id.Plan) + "/" + string(id.Kind) + "/" + strconv.Itoa(id.N))
}

// String returns the IRI's local part: <plan>/<kind>/<n>.
func (id PlanPartID) String() string { return strings.TrimPrefix(string(id.IRI()), prefixPlan) }

// ParsePlanPart reads the IRI of a plan or of a part a plan states (the
// inverse of PlanPartID.IRI); ok is false for any other IRI, a part of an
// unknown kind or a number that is not one.
func ParsePlanPart(iri string) (PlanPartID, bool) {
	rest, ok := strings.CutPrefix(iri, prefixPlan)
	if !ok {
		return PlanPartID{}, false
	}
	plan, part, isPart := strings.Cut(rest, "/")
	if checkSlug(plan) != nil {
		return PlanPartID{}, false
	}
	if !isPart {
		return PlanPartID{Plan: PlanID(plan)}, true
	}
	kind, num, _ := strings.Cut(part, "/")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || strconv.Itoa(n) != num || !slices.Contains(planPartKinds, PlanPartKind(kind)) {
		return PlanPartID{}, false
	}
	return PlanPartID{Plan: PlanID(plan), Kind: PlanPartKind(kind), N: n}, true
}

// PlanPartOf reads an IRI value naming a plan or a plan's part.
func PlanPartOf(v quad.Value) (PlanPartID, bool) { return ParsePlanPart(IRIOf(v)) }

// Plan is a plan document: 规划, 行动计划, 工作方案 or an official 解读.
type Plan struct {
	ID           PlanID
	Title        string
	Issuer       string
	Published    string // YYYY-MM-DD, or YYYY-MM, or YYYY
	Period       string // "2021-2025"
	Region       RegionCode
	RegionMethod string // how the region was found: named, issuer, index, context, given
	Document     string // the file's base name
	// Text is the document's text as read (a web page's without its markup);
	// evidence offsets count its characters.
	Text string
	// NormText is the text the facts were read from: simplified, without
	// pinyin, broken characters or markup. Evidence's NormStart and NormEnd
	// count its characters.
	NormText string
}

func (p Plan) encode(e *encoder) {
	s := p.ID.IRI()
	e.add(s, PredType, ClassPlan)
	e.str(s, PredTitle, p.Title)
	e.str(s, PredName, p.Title)
	e.str(s, PredIssuer, p.Issuer)
	e.str(s, PredPublished, p.Published)
	e.str(s, PredPeriod, p.Period)
	if p.Region != "" {
		e.add(s, PredRegion, p.Region.IRI())
		e.str(s, PredMethod, p.RegionMethod)
	}
	e.str(s, PredDocument, p.Document)
	e.str(s, PredText, p.Text)
	e.str(s, PredNormText, p.NormText)
}

// PlanCorrection is a writer's correction of what a plan's text gave it:
// its region (when the text names none, or the wrong one) or its title.
// Corrections are one override source, so they outrank the plan's own
// source and survive reloads of the plan.
type PlanCorrection struct {
	Plan   PlanID
	Region RegionCode // "" leaves the region as read
	Title  string     // "" leaves the title as read
	Note   string
}

func (c PlanCorrection) encode(e *encoder) {
	s := c.Plan.IRI()
	if c.Region != "" {
		e.add(s, PredRegion, c.Region.IRI())
		e.str(s, PredMethod, "given")
	}
	e.str(s, PredTitle, c.Title)
	e.str(s, PredNote, c.Note)
}

// Evidence is the sentence of a plan a fact was read from. Start and End
// are the span of the words the fact was read from (Quote), in characters
// (runes) of the original document; Text is the sentence around them.
type Evidence struct {
	Plan       PlanID
	N          int // unique within the plan
	Text       string
	Start, End int
	Quote      string
	// NormStart and NormEnd are the span in the plan's normalised text
	// (Plan.NormText), where the page marks the fact.
	NormStart, NormEnd int
}

// IRI returns the evidence's IRI.
func (v Evidence) IRI() quad.IRI { return PlanPartID{v.Plan, PartEvidence, v.N}.IRI() }

func (v Evidence) encode(e *encoder) {
	s := v.IRI()
	e.add(s, PredType, ClassEvidence)
	e.add(s, PredPlan, v.Plan.IRI())
	e.str(s, PredText, v.Text)
	e.add(s, PredStart, quad.Int(v.Start))
	e.add(s, PredEnd, quad.Int(v.End))
	e.str(s, PredQuote, v.Quote)
	if v.NormEnd > 0 {
		e.add(s, PredNormStart, quad.Int(v.NormStart))
		e.add(s, PredNormEnd, quad.Int(v.NormEnd))
	}
}

// evidence writes a part's evidence (numbered in plan p) and the part's
// link to it; a part without evidence has no link.
func (e *encoder) evidence(s quad.IRI, p PlanID, v *Evidence) {
	if v == nil {
		return
	}
	ev := *v
	ev.Plan = p
	ev.encode(e)
	e.add(s, PredEvidence, ev.IRI())
}

// ChainLink is an inferred link from a plan's wording to a chain. It is
// stored as a typed value (TypeChainLink), the part's PredMethod.
type ChainLink struct {
	Chain      ChainID `json:"chain"`
	Method     string  `json:"method"` // crosswalk, name, alias …
	Confidence float64 `json:"confidence"`
}

func (e *encoder) chainLinks(s quad.IRI, ls []ChainLink) {
	for _, l := range ls {
		e.add(s, PredChain, l.Chain.IRI())
		l.Confidence = math.Round(l.Confidence*1000) / 1000 // three decimals, as the read model keeps it
		e.add(s, PredMethod, typedValue(TypeChainLink, l))
	}
}

// decodeChainLink reads a part's PredMethod: a TypeChainLink value, or the
// tab-joined "chain\tmethod\tconfidence" of stores written before typed
// values.
func decodeChainLink(v quad.Value) (ChainLink, bool) {
	var l ChainLink
	if typed, err := decodeTyped(v, TypeChainLink, &l); typed {
		return l, err == nil && l.Chain != ""
	}
	p := strings.SplitN(StrOf(v), "\t", 3)
	if len(p) != 3 {
		return ChainLink{}, false
	}
	c, err := strconv.ParseFloat(p[2], 64)
	if err != nil {
		return ChainLink{}, false
	}
	return ChainLink{Chain: ChainID(p[0]), Method: p[1], Confidence: c}, true
}

// IndustryRole is the role a plan gives an industry.
type IndustryRole string

// Industry roles (主导/支柱, 重点, 战略性新兴, 未来, 传统, 优势).
const (
	RolePillar      IndustryRole = "pillar"
	RoleKey         IndustryRole = "key"
	RoleEmerging    IndustryRole = "emerging"
	RoleFuture      IndustryRole = "future"
	RoleTraditional IndustryRole = "traditional"
	RoleAdvantage   IndustryRole = "advantage"
	// RoleChain marks a chain or chain group (产业链, 产业链群) the plan names to build.
	RoleChain IndustryRole = "chain"
)

// Designation is an industry as a plan designates it: its words, its role,
// and the chains it lands on.
type Designation struct {
	Plan     PlanID
	N        int
	Name     string // the plan's words: 高端装备
	Role     IndustryRole
	Note     string // a qualifier dropped from the name: 含箱包皮具
	Chains   []ChainLink
	Evidence *Evidence // nil when unknown
}

func (d Designation) encode(e *encoder) {
	s := PlanPartID{d.Plan, PartIndustry, d.N}.IRI()
	e.add(s, PredType, ClassIndustry)
	e.add(s, PredPlan, d.Plan.IRI())
	e.str(s, PredName, d.Name)
	e.str(s, PredRole, string(d.Role))
	e.str(s, PredNote, d.Note)
	e.chainLinks(s, d.Chains)
	e.evidence(s, d.Plan, d.Evidence)
}

// Cluster is an industry cluster a plan names, with its level.
type Cluster struct {
	Plan     PlanID
	N        int
	Name     string
	Level    string // national, provincial, municipal, county, or "" when unknown
	Note     string // a qualifier dropped from the name
	Chains   []ChainLink
	Evidence *Evidence
}

func (c Cluster) encode(e *encoder) {
	s := PlanPartID{c.Plan, PartCluster, c.N}.IRI()
	e.add(s, PredType, ClassCluster)
	e.add(s, PredPlan, c.Plan.IRI())
	e.str(s, PredName, c.Name)
	e.str(s, PredLevel, c.Level)
	e.str(s, PredNote, c.Note)
	e.chainLinks(s, c.Chains)
	e.evidence(s, c.Plan, c.Evidence)
}

// Indicator is a number a plan states: a target or a baseline. Value is
// nil when the page lost the number ("达到.8亿元"); Year is 0 when the text
// gives none (or lost it: "到年").
type Indicator struct {
	Plan       PlanID
	N          int
	Metric     string
	Value      *float64
	Unit       string
	Comparator string // ">=", "<=", "~", "="
	Year       int
	Kind       string // target, baseline
	Note       string // what was lost, when something was
	Evidence   *Evidence
}

func (in Indicator) encode(e *encoder) {
	s := PlanPartID{in.Plan, PartIndicator, in.N}.IRI()
	e.add(s, PredType, ClassIndicator)
	e.add(s, PredPlan, in.Plan.IRI())
	e.str(s, PredMetric, in.Metric)
	if in.Value != nil {
		e.add(s, PredValue, quad.Float(*in.Value))
	}
	e.str(s, PredUnit, in.Unit)
	e.str(s, PredComparator, in.Comparator)
	e.int(s, PredYear, in.Year)
	e.str(s, PredIndicatorKind, in.Kind)
	e.str(s, PredNote, in.Note)
	e.evidence(s, in.Plan, in.Evidence)
}

// Mention kinds.
const (
	MentionFirm = "firm"
	MentionPark = "park"
)

// Mention is a firm or park a plan names, matched to an entity where possible.
type Mention struct {
	Plan       PlanID
	N          int
	Kind       string // MentionFirm, MentionPark
	Name       string
	ParkKind   string // a park's kind in the plan's words: 产业园, 高新区, 自贸片区 …
	Note       string // a qualifier dropped from the name
	Firm       FirmID // set when a firm mention resolved
	Park       ParkID // set when a park mention resolved
	Method     string
	Confidence float64
	Evidence   *Evidence
}

func (m Mention) encode(e *encoder) {
	s := PlanPartID{m.Plan, PartMention, m.N}.IRI()
	e.add(s, PredType, ClassMention)
	e.add(s, PredPlan, m.Plan.IRI())
	e.str(s, PredMentionKind, m.Kind)
	e.str(s, PredName, m.Name)
	e.str(s, PredParkKind, m.ParkKind)
	e.str(s, PredNote, m.Note)
	switch {
	case m.Firm != "":
		e.add(s, PredResolvesTo, m.Firm.IRI())
	case m.Park != "":
		e.add(s, PredResolvesTo, m.Park.IRI())
	}
	e.str(s, PredMethod, m.Method)
	e.num(s, PredConfidence, m.Confidence)
	e.evidence(s, m.Plan, m.Evidence)
}

// CountedGroup is a group a plan counts: "八大产业", "21个产业链群",
// "“四园两区”". Stated is the number the plan gives; Items are what it lists
// with it. Role is what is counted: an industry role (pillar, key …),
// cluster, chain, park, indicator or task.
type CountedGroup struct {
	Plan     PlanID
	N        int
	Text     string
	Stated   int
	Listed   int
	Items    []string
	Role     string
	Open     bool // the list ends in 等: its items are examples, and fewer than stated is expected
	Evidence *Evidence
}

// Mismatch reports whether the items listed are not as many as stated:
// the one rule every reader of counts (extraction, loader, API) applies.
func (g CountedGroup) Mismatch() bool { return g.Listed > 0 && g.Listed != g.Stated }

func (g CountedGroup) encode(e *encoder) {
	s := PlanPartID{g.Plan, PartGroup, g.N}.IRI()
	e.add(s, PredType, ClassCountedGroup)
	e.add(s, PredPlan, g.Plan.IRI())
	e.str(s, PredName, g.Text)
	e.add(s, PredStated, quad.Int(g.Stated))
	e.add(s, PredListed, quad.Int(g.Listed))
	for i, it := range g.Items {
		e.str(s, PredItem, strconv.Itoa(i)+"|"+it)
	}
	e.str(s, PredRole, g.Role)
	if g.Open {
		e.add(s, PredOpen, quad.Bool(true))
	}
	e.evidence(s, g.Plan, g.Evidence)
}

// Conflict is statements of a plan that disagree: Groups (CountedGroup.N)
// count the same group with different numbers.
type Conflict struct {
	Plan   PlanID
	N      int
	Kind   string // count
	Text   string
	Groups []int
}

func (c Conflict) encode(e *encoder) {
	s := PlanPartID{c.Plan, PartConflict, c.N}.IRI()
	e.add(s, PredType, ClassConflict)
	e.add(s, PredPlan, c.Plan.IRI())
	e.str(s, PredConflictKind, c.Kind)
	e.str(s, PredDescription, c.Text)
	for _, g := range c.Groups {
		e.add(s, PredInvolves, PlanPartID{c.Plan, PartGroup, g}.IRI())
	}
}

// planField is one row of the codec's tables: a predicate, the rule that
// merges its values across sources (mergeFirst: one value, the
// best-ranked source's, then the smaller; mergeAll: every value), and how a
// value is read into T. set reports false, leaving T as it was, for a
// value it cannot read; a nil set marks a predicate written for traversal
// and read elsewhere (a part's PredChain: its ChainLink carries the chain).
type planField[T any] struct {
	pred quad.IRI
	rule mergeRule
	set  func(x *T, v quad.Value) bool
}

// planStrRow, planIntRow and planNumRow are single-valued rows of text, integers and
// numbers; a number that does not parse is not read as 0 but reported.
func planStrRow[T any](pred quad.IRI, f func(*T) *string) planField[T] {
	return planField[T]{pred, mergeFirst, func(x *T, v quad.Value) bool { *f(x) = StrOf(v); return true }}
}

func planIntRow[T any](pred quad.IRI, f func(*T) *int) planField[T] {
	return planField[T]{pred, mergeFirst, func(x *T, v quad.Value) bool {
		n, ok := NumberOf(v)
		if ok = ok && n == math.Trunc(n) && math.Abs(n) < 1<<53; ok {
			*f(x) = int(n)
		}
		return ok
	}}
}

func planNumRow[T any](pred quad.IRI, f func(*T) *float64) planField[T] {
	return planField[T]{pred, mergeFirst, func(x *T, v quad.Value) bool {
		n, ok := NumberOf(v)
		if ok {
			*f(x) = n
		}
		return ok
	}}
}

// planLinkRow reads a part's chain links (PredMethod).
func planLinkRow[T any](f func(*T) *[]ChainLink) planField[T] {
	return planField[T]{PredMethod, mergeAll, func(x *T, v quad.Value) bool {
		l, ok := decodeChainLink(v)
		if ok {
			*f(x) = append(*f(x), l)
		}
		return ok
	}}
}

var planFields = []planField[Plan]{
	planStrRow(PredTitle, func(p *Plan) *string { return &p.Title }),
	planStrRow(PredIssuer, func(p *Plan) *string { return &p.Issuer }),
	planStrRow(PredPublished, func(p *Plan) *string { return &p.Published }),
	planStrRow(PredPeriod, func(p *Plan) *string { return &p.Period }),
	{PredRegion, mergeFirst, func(p *Plan, v quad.Value) bool { p.Region = RegionOf(v); return true }},
	planStrRow(PredMethod, func(p *Plan) *string { return &p.RegionMethod }),
	planStrRow(PredDocument, func(p *Plan) *string { return &p.Document }),
	planStrRow(PredText, func(p *Plan) *string { return &p.Text }),
	planStrRow(PredNormText, func(p *Plan) *string { return &p.NormText }),
	{PredName, mergeFirst, nil}, // the title again, for search
	{PredNote, mergeFirst, nil}, // a correction's (correctionFields)
}

// correctionFields read what an override source states of a plan.
var correctionFields = []planField[PlanCorrection]{
	{PredRegion, mergeFirst, func(c *PlanCorrection, v quad.Value) bool { c.Region = RegionOf(v); return true }},
	planStrRow(PredTitle, func(c *PlanCorrection) *string { return &c.Title }),
	planStrRow(PredNote, func(c *PlanCorrection) *string { return &c.Note }),
	{PredMethod, mergeFirst, nil}, // "given"
}

var evidenceFields = []planField[Evidence]{
	planStrRow(PredText, func(x *Evidence) *string { return &x.Text }),
	planIntRow(PredStart, func(x *Evidence) *int { return &x.Start }),
	planIntRow(PredEnd, func(x *Evidence) *int { return &x.End }),
	planStrRow(PredQuote, func(x *Evidence) *string { return &x.Quote }),
	planIntRow(PredNormStart, func(x *Evidence) *int { return &x.NormStart }),
	planIntRow(PredNormEnd, func(x *Evidence) *int { return &x.NormEnd }),
}

var designationFields = []planField[Designation]{
	planStrRow(PredName, func(x *Designation) *string { return &x.Name }),
	{PredRole, mergeFirst, func(x *Designation, v quad.Value) bool { x.Role = IndustryRole(StrOf(v)); return true }},
	planStrRow(PredNote, func(x *Designation) *string { return &x.Note }),
	planLinkRow(func(x *Designation) *[]ChainLink { return &x.Chains }),
	{PredChain, mergeAll, nil},
}

var clusterFields = []planField[Cluster]{
	planStrRow(PredName, func(x *Cluster) *string { return &x.Name }),
	planStrRow(PredLevel, func(x *Cluster) *string { return &x.Level }),
	planStrRow(PredNote, func(x *Cluster) *string { return &x.Note }),
	planLinkRow(func(x *Cluster) *[]ChainLink { return &x.Chains }),
	{PredChain, mergeAll, nil},
}

var indicatorFields = []planField[Indicator]{
	planStrRow(PredMetric, func(x *Indicator) *string { return &x.Metric }),
	{PredValue, mergeFirst, func(x *Indicator, v quad.Value) bool {
		f, ok := NumberOf(v)
		if ok {
			x.Value = &f
		}
		return ok
	}},
	planStrRow(PredUnit, func(x *Indicator) *string { return &x.Unit }),
	planStrRow(PredComparator, func(x *Indicator) *string { return &x.Comparator }),
	planIntRow(PredYear, func(x *Indicator) *int { return &x.Year }),
	planStrRow(PredIndicatorKind, func(x *Indicator) *string { return &x.Kind }),
	planStrRow(PredNote, func(x *Indicator) *string { return &x.Note }),
}

var mentionFields = []planField[Mention]{
	planStrRow(PredMentionKind, func(x *Mention) *string { return &x.Kind }),
	planStrRow(PredName, func(x *Mention) *string { return &x.Name }),
	planStrRow(PredParkKind, func(x *Mention) *string { return &x.ParkKind }),
	planStrRow(PredNote, func(x *Mention) *string { return &x.Note }),
	{PredResolvesTo, mergeFirst, func(x *Mention, v quad.Value) bool {
		switch kind, id := ParseIRI(IRIOf(v)); kind {
		case EntityFirm:
			x.Firm = FirmID(id)
		case EntityPark:
			x.Park = ParkID(id)
		default:
			return false
		}
		return true
	}},
	planStrRow(PredMethod, func(x *Mention) *string { return &x.Method }),
	planNumRow(PredConfidence, func(x *Mention) *float64 { return &x.Confidence }),
}

var groupFields = []planField[CountedGroup]{
	planStrRow(PredName, func(x *CountedGroup) *string { return &x.Text }),
	planIntRow(PredStated, func(x *CountedGroup) *int { return &x.Stated }),
	planIntRow(PredListed, func(x *CountedGroup) *int { return &x.Listed }),
	// Items arrive in any order; "position|name" puts them back (PlanMerge.Parts).
	{PredItem, mergeAll, func(x *CountedGroup, v quad.Value) bool {
		s := StrOf(v)
		pos, _, ok := strings.Cut(s, "|")
		if _, err := strconv.Atoi(pos); !ok || err != nil {
			return false
		}
		x.Items = append(x.Items, s)
		return true
	}},
	planStrRow(PredRole, func(x *CountedGroup) *string { return &x.Role }),
	{PredOpen, mergeFirst, func(x *CountedGroup, _ quad.Value) bool { x.Open = true; return true }},
}

var conflictFields = []planField[Conflict]{
	planStrRow(PredConflictKind, func(x *Conflict) *string { return &x.Kind }),
	planStrRow(PredDescription, func(x *Conflict) *string { return &x.Text }),
	{PredInvolves, mergeAll, func(x *Conflict, v quad.Value) bool {
		g, ok := PlanPartOf(v)
		if ok = ok && g.Kind == PartGroup && g.Plan == x.Plan; ok {
			x.Groups = append(x.Groups, g.N)
		}
		return ok
	}},
}

// PlanParts are the facts a plan states, decoded, each list ordered by N.
type PlanParts struct {
	Designations  []Designation
	Clusters      []Cluster
	Indicators    []Indicator
	Mentions      []Mention
	Evidence      []Evidence
	CountedGroups []CountedGroup
	Conflicts     []Conflict
}

// PlanMerge decodes the quads of one plan and its parts, from any number of
// sources in any order, by the tables above: a single-valued field keeps
// the best-ranked source's value (a writer's correction, an override, wins
// over the plan's text), then the smaller, so the result does not depend on
// the order quads are read in.
type PlanMerge struct {
	// Source is the plan's own source (the one that states its type), not
	// a correction's.
	Source SourceID
	// Bad are stored values that could not be read; they are left out.
	Bad []BadValue

	plan partState[Plan]
	fix  *partState[PlanCorrection]
	kept map[keptKey]keptValue
	evs  map[int]*partState[Evidence]
	des  map[int]*partState[Designation]
	cls  map[int]*partState[Cluster]
	ind  map[int]*partState[Indicator]
	men  map[int]*partState[Mention]
	grp  map[int]*partState[CountedGroup]
	cfl  map[int]*partState[Conflict]
}

// partState is a part being decoded and the number of its evidence (-1: none).
type partState[T any] struct {
	v  T
	ev int
}

type keptKey struct {
	part PlanPartID
	pred quad.IRI
}

// keptValue is the rank of the source of a kept value and its lexical form.
type keptValue struct {
	rank int8
	lex  string
}

// Plan returns the plan as merged so far.
func (m *PlanMerge) Plan() Plan { return m.plan.v }

// Correction returns what an override source states of the plan, or nil.
func (m *PlanMerge) Correction() *PlanCorrection {
	if m.fix == nil {
		return nil
	}
	c := m.fix.v
	return &c
}

// Add merges one quad of the plan or one of its parts, stated by source
// src of the given rank (SourceKind.Rank: 0 is an override). It reports
// false for a subject that is not the plan's or a predicate the codec does
// not know.
func (m *PlanMerge) Add(q quad.Quad, rank int8, src SourceID) bool {
	id, ok := PlanPartOf(q.Subject)
	if !ok || m.plan.v.ID != "" && id.Plan != m.plan.v.ID {
		return false
	}
	if m.kept == nil {
		m.plan.v.ID, m.Source, m.kept = id.Plan, src, map[keptKey]keptValue{}
	}
	switch id.Kind {
	case "":
		if q.Predicate == PredType {
			m.Source = src // the plan's own source, not a correction's
			return true
		}
		if rank == 0 { // an override: a writer's correction
			if m.fix == nil {
				m.fix = &partState[PlanCorrection]{v: PlanCorrection{Plan: id.Plan}, ev: -1}
			}
			// N -1 keeps its values apart from the plan's: no part has it.
			mergeField(m, correctionFields, m.fix, PlanPartID{Plan: id.Plan, N: -1}, q, rank)
		}
		return mergeField(m, planFields, &m.plan, id, q, rank)
	case PartEvidence:
		return mergeField(m, evidenceFields, part(&m.evs, id, Evidence{Plan: id.Plan, N: id.N}), id, q, rank)
	case PartIndustry:
		return mergeField(m, designationFields, part(&m.des, id, Designation{Plan: id.Plan, N: id.N}), id, q, rank)
	case PartCluster:
		return mergeField(m, clusterFields, part(&m.cls, id, Cluster{Plan: id.Plan, N: id.N}), id, q, rank)
	case PartIndicator:
		return mergeField(m, indicatorFields, part(&m.ind, id, Indicator{Plan: id.Plan, N: id.N}), id, q, rank)
	case PartMention:
		return mergeField(m, mentionFields, part(&m.men, id, Mention{Plan: id.Plan, N: id.N}), id, q, rank)
	case PartGroup:
		return mergeField(m, groupFields, part(&m.grp, id, CountedGroup{Plan: id.Plan, N: id.N}), id, q, rank)
	case PartConflict:
		return mergeField(m, conflictFields, part(&m.cfl, id, Conflict{Plan: id.Plan, N: id.N}), id, q, rank)
	}
	return false
}

// part returns the state of part id, starting it as zero on first sight.
func part[T any](parts *map[int]*partState[T], id PlanPartID, zero T) *partState[T] {
	if *parts == nil {
		*parts = map[int]*partState[T]{}
	}
	p, ok := (*parts)[id.N]
	if !ok {
		p = &partState[T]{v: zero, ev: -1}
		(*parts)[id.N] = p
	}
	return p
}

// mergeField applies the row for q's predicate to part p. The predicates
// every part shares (its class, its plan, its evidence) are read here.
func mergeField[T any](m *PlanMerge, fields []planField[T], p *partState[T], id PlanPartID, q quad.Quad, rank int8) bool {
	switch q.Predicate {
	case PredType, PredPlan:
		return true
	case PredEvidence:
		if ev, ok := PlanPartOf(q.Object); ok && ev.Kind == PartEvidence && ev.Plan == id.Plan {
			p.ev = ev.N
		} else {
			m.Bad = append(m.Bad, BadValueOf(q))
		}
		return true
	}
	i := slices.IndexFunc(fields, func(f planField[T]) bool { return f.pred == q.Predicate })
	if i < 0 {
		return false
	}
	f := &fields[i]
	switch {
	case f.set == nil:
	case f.rule == mergeAll:
		if !f.set(&p.v, q.Object) {
			m.Bad = append(m.Bad, BadValueOf(q))
		}
	default: // mergeFirst
		probe := p.v
		if !f.set(&probe, q.Object) {
			m.Bad = append(m.Bad, BadValueOf(q))
			break
		}
		k, lex := keptKey{id, f.pred}, q.Object.String()
		if cur, ok := m.kept[k]; ok && (rank > cur.rank || rank == cur.rank && lex >= cur.lex) {
			break
		}
		m.kept[k] = keptValue{rank, lex}
		p.v = probe
	}
	return true
}

// Parts finishes the merge: each part with its evidence (nil when the
// store has none for it), a group's items in their order, a conflict's
// groups in order.
func (m *PlanMerge) Parts() PlanParts {
	var out PlanParts
	evAt := map[int]int{}
	for i, p := range sortedParts(m.evs) {
		out.Evidence = append(out.Evidence, p.v)
		evAt[p.v.N] = i
	}
	ev := func(n int) *Evidence {
		if i, ok := evAt[n]; ok {
			return &out.Evidence[i]
		}
		return nil
	}
	for _, p := range sortedParts(m.des) {
		p.v.Evidence = ev(p.ev)
		out.Designations = append(out.Designations, p.v)
	}
	for _, p := range sortedParts(m.cls) {
		p.v.Evidence = ev(p.ev)
		out.Clusters = append(out.Clusters, p.v)
	}
	for _, p := range sortedParts(m.ind) {
		p.v.Evidence = ev(p.ev)
		out.Indicators = append(out.Indicators, p.v)
	}
	for _, p := range sortedParts(m.men) {
		p.v.Evidence = ev(p.ev)
		out.Mentions = append(out.Mentions, p.v)
	}
	for _, p := range sortedParts(m.grp) {
		g := p.v
		g.Evidence = ev(p.ev)
		g.Items = slices.Clone(g.Items)
		slices.SortStableFunc(g.Items, func(a, b string) int { return cmp.Compare(itemPos(a), itemPos(b)) })
		for j, it := range g.Items {
			_, g.Items[j], _ = strings.Cut(it, "|")
		}
		out.CountedGroups = append(out.CountedGroups, g)
	}
	for _, p := range sortedParts(m.cfl) {
		c := p.v
		c.Groups = slices.Clone(c.Groups)
		slices.Sort(c.Groups)
		out.Conflicts = append(out.Conflicts, c)
	}
	return out
}

func itemPos(s string) int {
	pos, _, _ := strings.Cut(s, "|")
	n, _ := strconv.Atoi(pos)
	return n
}

func sortedParts[T any](m map[int]*partState[T]) []*partState[T] {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*partState[T], len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
