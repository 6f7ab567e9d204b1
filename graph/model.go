package graph

import (
	"fmt"
	"strconv"
	"strings"

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

// Region is an administrative division (行政区划).
type Region struct {
	Code      RegionCode
	Name      string      // 烟台市
	ShortName string      // 烟台: the form used in running text
	Aliases   []string    // other forms: former names, abbreviations
	Level     RegionLevel // province, city, county or town
	Parent    RegionCode  // empty for a province
}

func (r Region) encode(e *encoder) {
	s := r.Code.IRI()
	e.add(s, PredType, ClassRegion)
	e.str(s, PredName, r.Name)
	e.str(s, PredShortName, r.ShortName)
	e.strs(s, PredAlias, r.Aliases)
	e.str(s, PredLevel, string(r.Level))
	if r.Parent != "" {
		e.add(s, PredParent, r.Parent.IRI())
	}
}

// IndustryClass is one entry of GB/T 4754-2017 (国民经济行业分类), with the
// special classifications that cover it.
type IndustryClass struct {
	Code        IndustryCode
	Name        string
	Parent      IndustryCode // empty for a section
	Description string
	// Tags name the special classifications the class belongs to
	// (strategic, highTech_mfg, highTech_svc, digital …).
	Tags []string
	// Categories are the category paths within those classifications
	// ("strategic:新一代信息技术产业 > 下一代信息网络产业").
	Categories []string
}

func (c IndustryClass) encode(e *encoder) {
	s := c.Code.IRI()
	e.add(s, PredType, ClassIndustryCode)
	e.str(s, PredName, c.Name)
	e.str(s, PredLevel, string(c.Code.Level()))
	if c.Parent != "" {
		e.add(s, PredParent, c.Parent.IRI())
	}
	e.str(s, PredDescription, c.Description)
	e.strs(s, PredTag, c.Tags)
	e.strs(s, PredCategory, c.Categories)
}

// ChainType is the structure of a chain: not every chain runs up-, mid- and downstream.
type ChainType string

// Chain types.
const (
	ChainUpDown  ChainType = "updown"  // 上游 / 中游 / 下游
	ChainSerial  ChainType = "serial"  // stages in sequence
	ChainLayered ChainType = "layered" // parallel layers (基础层, 技术层, 应用层)
)

// Segment is one segment (上游, 中游 …, or a layer) of a chain, in order.
type Segment struct {
	ID   string // a slug, unique in the chain: "up", "mid", "down", "base" …
	Name string // 上游
}

// Chain is an industrial chain (产业链) of the chain library.
type Chain struct {
	ID          ChainID
	Name        string   // 新能源汽车
	Aliases     []string // 新能源汽车产业链, 智能网联汽车 …
	Type        ChainType
	Segments    []Segment
	Description string
	Note        string // where the chain's structure comes from
	// Source is the source that defines the chain; the read model sets it.
	Source SourceID
}

func (c Chain) encode(e *encoder) {
	s := c.ID.IRI()
	e.add(s, PredType, ClassChain)
	e.str(s, PredName, c.Name)
	e.strs(s, PredAlias, c.Aliases)
	e.str(s, PredChainType, string(c.Type))
	for i, sg := range c.Segments {
		e.str(s, PredSegments, fmt.Sprintf("%d|%s|%s", i, sg.ID, sg.Name))
	}
	e.str(s, PredDescription, c.Description)
	e.str(s, PredNote, c.Note)
}

// ParseSegment reads a PredSegments value written by Chain.encode.
func ParseSegment(v string) (int, Segment, bool) {
	parts := strings.SplitN(v, "|", 3)
	if len(parts) != 3 {
		return 0, Segment{}, false
	}
	i, err := strconv.Atoi(parts[0])
	if err != nil {
		return 0, Segment{}, false
	}
	return i, Segment{ID: parts[1], Name: parts[2]}, true
}

// ChainNode is a link (环节) of a chain. Leaves carry the codes, keywords and
// exclusion words that classify firms into them.
type ChainNode struct {
	ID          NodeID
	Name        string   // 动力电池
	Aliases     []string // 锂电池 …
	Parent      NodeID   // empty for a top-level node
	Segment     string   // a Segment.ID of the chain
	Order       int      // position among siblings
	Codes       []IndustryCode
	Keywords    []string
	Excludes    []string
	Products    []string
	SuppliesTo  []NodeID
	Weight      float64 // weight in the chain's completeness; 0 means 1
	Description string
}

func (n ChainNode) encode(e *encoder) {
	s := n.ID.IRI()
	e.add(s, PredType, ClassChainNode)
	e.add(s, PredChain, n.ID.Chain().IRI())
	e.str(s, PredName, n.Name)
	e.strs(s, PredAlias, n.Aliases)
	if n.Parent != "" {
		e.add(s, PredParent, n.Parent.IRI())
	}
	e.str(s, PredSegment, n.Segment)
	e.int(s, PredOrder, n.Order)
	for _, c := range n.Codes {
		e.add(s, PredIndustryCode, c.IRI())
	}
	e.strs(s, PredKeyword, n.Keywords)
	e.strs(s, PredExclude, n.Excludes)
	e.strs(s, PredProduct, n.Products)
	for _, t := range n.SuppliesTo {
		e.add(s, PredSuppliesTo, t.IRI())
	}
	e.num(s, PredWeight, n.Weight)
	e.str(s, PredDescription, n.Description)
}

// Park is a park or zone (园区).
type Park struct {
	ID        ParkID
	Name      string
	ShortName string
	Aliases   []string
	Region    RegionCode
	Level     string   // national, provincial, municipal
	Kind      string   // 经开区, 高新区, 自贸片区, 综保区, 保税港区, 产业园, 走廊 …
	Focus     []string // focus industries in the source's words
	Chains    []ChainID
	Address   string
	Note      string // the source of these facts
}

func (p Park) encode(e *encoder) {
	s := p.ID.IRI()
	e.add(s, PredType, ClassPark)
	e.str(s, PredName, p.Name)
	e.str(s, PredShortName, p.ShortName)
	e.strs(s, PredAlias, p.Aliases)
	if p.Region != "" {
		e.add(s, PredRegion, p.Region.IRI())
	}
	e.str(s, PredLevel, p.Level)
	e.str(s, PredParkKind, p.Kind)
	e.strs(s, PredFocus, p.Focus)
	for _, c := range p.Chains {
		e.add(s, PredChain, c.IRI())
	}
	e.str(s, PredAddress, p.Address)
	e.str(s, PredNote, p.Note)
}

// CrosswalkEntry maps a plan's wording of an industry (大数据与新一代信息技术,
// 五能一网 …) to the chains it covers.
type CrosswalkEntry struct {
	Phrase     string
	Chains     []ChainID
	Confidence float64
	Note       string
}

func (c CrosswalkEntry) encode(e *encoder) {
	s := quad.IRI(prefixCrosswalk + Slugify(c.Phrase))
	e.add(s, PredType, ClassCrosswalk)
	e.str(s, PredPhrase, c.Phrase)
	for _, ch := range c.Chains {
		e.add(s, PredChain, ch.IRI())
	}
	e.num(s, PredConfidence, c.Confidence)
	e.str(s, PredNote, c.Note)
}

// Placeholder reports whether a region is a statistical placeholder
// (市辖区, 县, 省直辖县级行政区划 …) rather than a place a user would pick.
func (r Region) Placeholder() bool { return placeholderRegion(r.Name) }

func placeholderRegion(name string) bool {
	switch name {
	case "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划":
		return true
	}
	return false
}
