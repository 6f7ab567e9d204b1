package graph

import (
	"fmt"
	"strconv"

	"github.com/cayleygraph/quad"
)

// Fact is a domain value the store can write: a Region, a Firm, a ChainNode …
// Each fact encodes itself to quads; the store labels them with the source.
type Fact interface {
	encode(e *encoder)
}

// Encode appends the unlabelled quads of a fact to dst.
func Encode(dst []quad.Quad, f Fact) []quad.Quad {
	e := encoder{out: dst}
	f.encode(&e)
	return e.out
}

// encoder collects the unlabelled quads of facts.
type encoder struct {
	out []quad.Quad
}

func (e *encoder) add(s quad.IRI, p quad.IRI, o quad.Value) {
	e.out = append(e.out, quad.Quad{Subject: s, Predicate: p, Object: o})
}

func (e *encoder) str(s, p quad.IRI, v string) {
	if v != "" {
		e.add(s, p, quad.String(v))
	}
}

func (e *encoder) strs(s, p quad.IRI, vs []string) {
	for _, v := range vs {
		e.str(s, p, v)
	}
}

func (e *encoder) num(s, p quad.IRI, v float64) {
	if v != 0 {
		e.add(s, p, quad.Float(v))
	}
}

func (e *encoder) int(s, p quad.IRI, v int) {
	if v != 0 {
		e.add(s, p, quad.Int(v))
	}
}

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

// planPart mints the IRI of a fact a plan states: plan/<id>/<kind>/<n>.
func planPart(p PlanID, kind string, n int) quad.IRI {
	return quad.IRI(prefixPlan + string(p) + "/" + kind + "/" + strconv.Itoa(n))
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
func (v Evidence) IRI() quad.IRI { return planPart(v.Plan, "ev", v.N) }

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

// ChainLink is an inferred link from a plan's wording to a chain.
type ChainLink struct {
	Chain      ChainID
	Method     string // crosswalk, name, alias …
	Confidence float64
}

func (e *encoder) chainLinks(s quad.IRI, ls []ChainLink) {
	for _, l := range ls {
		e.add(s, PredChain, l.Chain.IRI())
		e.str(s, PredMethod, fmt.Sprintf("%s\t%s\t%.3f", l.Chain, l.Method, l.Confidence))
	}
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
	Chains   []ChainLink
	Evidence int // Evidence.N
}

func (d Designation) encode(e *encoder) {
	s := planPart(d.Plan, "industry", d.N)
	e.add(s, PredType, ClassIndustry)
	e.add(s, PredPlan, d.Plan.IRI())
	e.str(s, PredName, d.Name)
	e.str(s, PredRole, string(d.Role))
	e.chainLinks(s, d.Chains)
	e.add(s, PredEvidence, planPart(d.Plan, "ev", d.Evidence))
}

// Cluster is an industry cluster a plan names, with its level.
type Cluster struct {
	Plan     PlanID
	N        int
	Name     string
	Level    string // national, provincial, municipal, or ""
	Chains   []ChainLink
	Evidence int
}

func (c Cluster) encode(e *encoder) {
	s := planPart(c.Plan, "cluster", c.N)
	e.add(s, PredType, ClassCluster)
	e.add(s, PredPlan, c.Plan.IRI())
	e.str(s, PredName, c.Name)
	e.str(s, PredLevel, c.Level)
	e.chainLinks(s, c.Chains)
	e.add(s, PredEvidence, planPart(c.Plan, "ev", c.Evidence))
}

// Indicator is a number a plan states: a target or a baseline.
type Indicator struct {
	Plan       PlanID
	N          int
	Metric     string
	Value      *float64 // nil when the page lost the number
	Unit       string
	Comparator string // ">=", "<=", "~", "="
	Year       int
	Kind       string // target, baseline
	Evidence   int
}

func (in Indicator) encode(e *encoder) {
	s := planPart(in.Plan, "indicator", in.N)
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
	e.add(s, PredEvidence, planPart(in.Plan, "ev", in.Evidence))
}

// Mention is a firm or park a plan names, matched to an entity where possible.
type Mention struct {
	Plan       PlanID
	N          int
	Kind       string // firm, park
	Name       string
	Firm       FirmID // set when a firm mention resolved
	Park       ParkID // set when a park mention resolved
	Method     string
	Confidence float64
	Evidence   int
}

func (m Mention) encode(e *encoder) {
	s := planPart(m.Plan, "mention", m.N)
	e.add(s, PredType, ClassMention)
	e.add(s, PredPlan, m.Plan.IRI())
	e.str(s, PredMentionKind, m.Kind)
	e.str(s, PredName, m.Name)
	switch {
	case m.Firm != "":
		e.add(s, PredResolvesTo, m.Firm.IRI())
	case m.Park != "":
		e.add(s, PredResolvesTo, m.Park.IRI())
	}
	e.str(s, PredMethod, m.Method)
	e.num(s, PredConfidence, m.Confidence)
	e.add(s, PredEvidence, planPart(m.Plan, "ev", m.Evidence))
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
	Open     bool // the list ends in 等: its items are examples
	Evidence int
}

// Mismatch reports whether the items listed are not as many as stated.
func (g CountedGroup) Mismatch() bool { return g.Listed > 0 && g.Listed != g.Stated }

func (g CountedGroup) encode(e *encoder) {
	s := planPart(g.Plan, "group", g.N)
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
	e.add(s, PredEvidence, planPart(g.Plan, "ev", g.Evidence))
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
	s := planPart(c.Plan, "conflict", c.N)
	e.add(s, PredType, ClassConflict)
	e.add(s, PredPlan, c.Plan.IRI())
	e.str(s, PredConflictKind, c.Kind)
	e.str(s, PredDescription, c.Text)
	for _, g := range c.Groups {
		e.add(s, PredInvolves, planPart(c.Plan, "group", g))
	}
}
