package graph

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	json "github.com/goccy/go-json"
)

// FirmStatus is a registration status, normalised.
type FirmStatus string

// Firm statuses. Registries' words (存续, 在业, 开业 …) map onto these.
const (
	StatusActive    FirmStatus = "active"    // 存续, 在业, 开业, 正常
	StatusCancelled FirmStatus = "cancelled" // 注销
	StatusRevoked   FirmStatus = "revoked"   // 吊销
	StatusMovedOut  FirmStatus = "moved"     // 迁出
	StatusOther     FirmStatus = "other"     // 停业, 清算 …
)

// NodeLink says that a firm belongs to a chain node, and why.
type NodeLink struct {
	Node       NodeID
	Method     string  // code, keyword, name, column, override, listing …
	Confidence float64 // in [0,1]
	Role       string  // producer, seller, service, or "" when the text does not say
	Matched    string  // the text that matched
}

// nodeLinkValue is a NodeLink as its typed value stores it (TypeNodeLink).
type nodeLinkValue struct {
	Node       string  `json:"node"`
	Method     string  `json:"method,omitempty"`
	Confidence float64 `json:"conf"`
	Role       string  `json:"role,omitempty"`
	Matched    string  `json:"matched,omitempty"`
}

// nodeLinksValueOf encodes the evidence of links as one typed value, a
// list: a firm's node edges stay quads (a query walks them), the evidence
// of all of them is one quad beside them, which a query reads whole.
func nodeLinksValueOf(ls []NodeLink) quad.Value {
	vs := make([]nodeLinkValue, len(ls))
	for i, l := range ls {
		vs[i] = linkValue(l)
	}
	return typedValue(TypeNodeLink, vs)
}

// linkValue is a link as its typed value stores it, the confidence to
// three decimals.
func linkValue(l NodeLink) nodeLinkValue {
	return nodeLinkValue{Node: string(l.Node), Method: l.Method,
		Confidence: math.Round(l.Confidence*1000) / 1000, Role: l.Role, Matched: l.Matched}
}

// LinkEvidenceValues splits an evidence value (PredNodeEvidence) into one
// value per link without the matched text, the read model's form
// (PredLinkEvidence); a value that does not read is returned as it is.
func LinkEvidenceValues(v quad.Value) []quad.Value {
	ls, ok := NodeLinksOf(v)
	if !ok {
		return []quad.Value{v}
	}
	out := make([]quad.Value, len(ls))
	for i, l := range ls {
		l.Matched = ""
		out[i] = typedValue(TypeNodeLink, linkValue(l))
	}
	return out
}

// NodeLinksOf reads link evidence: a typed value (TypeNodeLink: a list of
// links, or one link), or the tab-joined string of one link that stores
// written before typed values hold ("node, method, confidence, role,
// matched"). It reports false for anything else.
func NodeLinksOf(v quad.Value) ([]NodeLink, bool) {
	if ts, ok := v.(quad.TypedString); ok && ts.Type == TypeNodeLink {
		return scanNodeLinks(string(ts.Value))
	}
	str, ok := v.(quad.String)
	if !ok {
		return nil, false
	}
	p := strings.SplitN(string(str), "\t", 5)
	if len(p) != 5 {
		return nil, false
	}
	c, err := strconv.ParseFloat(p[2], 64)
	if err != nil {
		return nil, false
	}
	return []NodeLink{{Node: NodeID(p[0]), Method: p[1], Confidence: c, Role: p[3], Matched: p[4]}}, true
}

// Attr is a registry column kept as it was, because the model has no field for it.
type Attr struct {
	Key, Value string
}

// Firm is an enterprise. Zero numbers mean unknown.
type Firm struct {
	ID           FirmID
	Name         string
	ShortName    string   // 简称
	Aliases      []string // former names (曾用名), English name, other short names
	Status       FirmStatus
	Region       RegionCode
	RegionMethod string  // how Region was resolved: column, address, name, creditcode, listing …
	RegionAsOf   string  // the date of the evidence Region was read from (YYYY or YYYY-MM-DD); "" when unknown
	Capital      float64 // registered capital, 万元 of Currency
	PaidIn       float64 // paid-in capital, 万元 of Currency
	Currency     string  // ISO 4217; "" means CNY
	Revenue      float64 // annual revenue, 万元
	Employees    int     // 参保人数
	Founded      string  // YYYY-MM-DD
	Type         string  // 企业类型
	Industry     IndustryCode
	Address      string
	Scope        string // 经营范围
	LegalRep     string
	Stocks       []string // stock codes, "600309.SH"
	Tags         []string // quality tags: 专精特新, 专精特新小巨人, 单项冠军, 高新技术企业, 瞪羚, 独角兽, 上市 …
	Group        string
	MemberOf     []FirmID // the group firms (集团) a source says it belongs to
	Park         ParkID
	Nodes        []NodeLink
	Attrs        []Attr
	Synthetic    bool
}

// This file is the firm's codec: its type, its encoding to quads, and its
// decoding with the rules that merge what several sources say of one firm.
// Everything that reads a firm's quads (the read model, firm details) goes
// through firmFields; adding an attribute is one Firm field and one row.

// Merge rules: how one value is chosen when several sources state a field.
type mergeRule uint8

const (
	// mergeFirst keeps the value of the highest-ranked source (lowest
	// SourceKind.Rank); between equal ranks the smaller value, so the result
	// does not depend on the order quads are read in.
	mergeFirst mergeRule = iota
	// mergeMax keeps the value of the highest-ranked source; between equal
	// ranks the larger. Zero is "unknown" and never wins.
	mergeMax
	// mergeFiner keeps the region of the highest-ranked source, then
	// narrows it to the finest region any source gives within it (finer,
	// consistent evidence wins: 烟台市 from a news page refines 山东省 from
	// the stock file); between
	// equal ranks the finer of two nested regions (FinerRegion).
	mergeFiner
	// mergeAll keeps every value of every source, each once.
	mergeAll
	// mergeWithRegion keeps the value of the source whose region was kept
	// (the region's method and date go with the region).
	mergeWithRegion
)

// firmField is one row of the codec: a predicate, the rule that merges its
// values across sources, how it is read from and written to a Firm, and
// whether the read model keeps it (long texts stay in the store).
type firmField struct {
	pred    quad.IRI
	rule    mergeRule
	get     func(f *Firm) []quad.Value
	set     func(f *Firm, v quad.Value, intern func(string) string)
	short   bool // a short shared string: interned by the read model
	long    bool // left out of the read model; firm details read it from the store
	numeric bool // a number: a stored value that does not parse is reported (FirmMerge.Bad), not read as 0
	// inline stores the field inside the firm's typed value (PredFirmData,
	// or PredFirmText for a long one) instead of as a quad of its own: it is
	// read, never traversed. Fields a query walks (name, status, region,
	// industry, tags, group membership, park) stay quads.
	inline bool
}

func strVal(s string) []quad.Value {
	if s == "" {
		return nil
	}
	return []quad.Value{quad.String(s)}
}

func strVals(ss []string) []quad.Value {
	out := make([]quad.Value, len(ss))
	for i, s := range ss {
		out[i] = quad.String(s)
	}
	return out
}

func numVal(v float64) []quad.Value {
	if v == 0 {
		return nil
	}
	return []quad.Value{quad.Float(v)}
}

func iriVal(set bool, iri quad.IRI) []quad.Value {
	if !set {
		return nil
	}
	return []quad.Value{iri}
}

// firmFields is the codec's table, in the order quads are written.
var firmFields = []firmField{
	{pred: PredCreditCode, rule: mergeFirst, inline: true, long: true,
		get: func(f *Firm) []quad.Value {
			if c, ok := f.ID.CreditCode(); ok {
				return strVal(string(c))
			}
			return nil
		},
		set: func(*Firm, quad.Value, func(string) string) {}},
	{pred: PredName, rule: mergeFirst,
		get: func(f *Firm) []quad.Value { return strVal(f.Name) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Name = StrOf(v) }},
	{pred: PredShortName, rule: mergeFirst, inline: true,
		get: func(f *Firm) []quad.Value { return strVal(f.ShortName) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.ShortName = StrOf(v) }},
	{pred: PredAlias, rule: mergeAll, inline: true,
		get: func(f *Firm) []quad.Value { return strVals(f.Aliases) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Aliases = append(f.Aliases, StrOf(v)) }},
	{pred: PredStatus, rule: mergeFirst, short: true,
		get: func(f *Firm) []quad.Value { return strVal(string(f.Status)) },
		set: func(f *Firm, v quad.Value, in func(string) string) { f.Status = FirmStatus(in(StrOf(v))) }},
	{pred: PredRegion, rule: mergeFiner,
		get: func(f *Firm) []quad.Value { return iriVal(f.Region != "", f.Region.IRI()) },
		set: func(f *Firm, v quad.Value, in func(string) string) { f.Region = RegionCode(in(string(RegionOf(v)))) }},
	{pred: PredRegionMethod, rule: mergeWithRegion, inline: true, short: true,
		get: func(f *Firm) []quad.Value {
			if f.Region == "" {
				return nil
			}
			return strVal(f.RegionMethod)
		},
		set: func(f *Firm, v quad.Value, in func(string) string) { f.RegionMethod = in(StrOf(v)) }},
	{pred: PredRegionAsOf, rule: mergeWithRegion, inline: true, short: true,
		get: func(f *Firm) []quad.Value {
			if f.Region == "" {
				return nil
			}
			return strVal(f.RegionAsOf)
		},
		set: func(f *Firm, v quad.Value, in func(string) string) { f.RegionAsOf = in(StrOf(v)) }},
	{pred: PredCapital, rule: mergeMax, inline: true, numeric: true,
		get: func(f *Firm) []quad.Value { return numVal(f.Capital) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Capital = FloatOf(v) }},
	{pred: PredPaidIn, rule: mergeMax, inline: true, numeric: true,
		get: func(f *Firm) []quad.Value { return numVal(f.PaidIn) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.PaidIn = FloatOf(v) }},
	{pred: PredCurrency, rule: mergeFirst, inline: true, short: true,
		get: func(f *Firm) []quad.Value { return strVal(f.Currency) },
		set: func(f *Firm, v quad.Value, in func(string) string) { f.Currency = in(StrOf(v)) }},
	{pred: PredRevenue, rule: mergeMax, inline: true, numeric: true,
		get: func(f *Firm) []quad.Value { return numVal(f.Revenue) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Revenue = FloatOf(v) }},
	{pred: PredEmployees, rule: mergeMax, inline: true, numeric: true,
		get: func(f *Firm) []quad.Value {
			if f.Employees == 0 {
				return nil
			}
			return []quad.Value{quad.Int(f.Employees)}
		},
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Employees = IntOf(v) }},
	{pred: PredFounded, rule: mergeFirst, inline: true,
		get: func(f *Firm) []quad.Value { return strVal(f.Founded) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Founded = StrOf(v) }},
	{pred: PredFirmType, rule: mergeFirst, inline: true, short: true,
		get: func(f *Firm) []quad.Value { return strVal(f.Type) },
		set: func(f *Firm, v quad.Value, in func(string) string) { f.Type = in(StrOf(v)) }},
	{pred: PredIndustryCode, rule: mergeFirst, short: true,
		get: func(f *Firm) []quad.Value { return iriVal(f.Industry != "", f.Industry.IRI()) },
		set: func(f *Firm, v quad.Value, in func(string) string) { f.Industry = IndustryCode(in(string(CodeOf(v)))) }},
	{pred: PredAddress, rule: mergeFirst, inline: true, long: true,
		get: func(f *Firm) []quad.Value { return strVal(f.Address) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Address = StrOf(v) }},
	{pred: PredScope, rule: mergeFirst, inline: true, long: true,
		get: func(f *Firm) []quad.Value { return strVal(f.Scope) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Scope = StrOf(v) }},
	{pred: PredLegalRep, rule: mergeFirst, inline: true, long: true,
		get: func(f *Firm) []quad.Value { return strVal(f.LegalRep) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.LegalRep = StrOf(v) }},
	{pred: PredStock, rule: mergeAll, inline: true,
		get: func(f *Firm) []quad.Value { return strVals(f.Stocks) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Stocks = append(f.Stocks, StrOf(v)) }},
	{pred: PredTag, rule: mergeAll, short: true,
		get: func(f *Firm) []quad.Value { return strVals(f.Tags) },
		set: func(f *Firm, v quad.Value, in func(string) string) { f.Tags = append(f.Tags, in(StrOf(v))) }},
	{pred: PredGroup, rule: mergeFirst, inline: true,
		get: func(f *Firm) []quad.Value { return strVal(f.Group) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Group = StrOf(v) }},
	{pred: PredMemberOf, rule: mergeAll,
		get: func(f *Firm) []quad.Value {
			out := make([]quad.Value, len(f.MemberOf))
			for i, g := range f.MemberOf {
				out[i] = g.IRI()
			}
			return out
		},
		set: func(f *Firm, v quad.Value, _ func(string) string) {
			if g, ok := FirmOf(IRIOf(v)); ok {
				f.MemberOf = append(f.MemberOf, g)
			}
		}},
	{pred: PredPark, rule: mergeFirst,
		get: func(f *Firm) []quad.Value { return iriVal(f.Park != "", f.Park.IRI()) },
		set: func(f *Firm, v quad.Value, _ func(string) string) { f.Park = ParkOf(v) }},
	{pred: PredAttr, rule: mergeAll, long: true, inline: true,
		get: func(f *Firm) []quad.Value {
			out := make([]quad.Value, len(f.Attrs))
			for i, a := range f.Attrs {
				out[i] = quad.String(a.Key + "=" + a.Value)
			}
			return out
		},
		set: func(f *Firm, v quad.Value, _ func(string) string) {
			k, val, _ := strings.Cut(StrOf(v), "=")
			f.Attrs = append(f.Attrs, Attr{Key: k, Value: val})
		}},
	{pred: PredSynthetic, rule: mergeFirst, inline: true,
		get: func(f *Firm) []quad.Value {
			if !f.Synthetic {
				return nil
			}
			return []quad.Value{quad.Bool(true)}
		},
		set: func(f *Firm, v quad.Value, _ func(string) string) {
			if b, ok := v.(quad.Bool); ok {
				f.Synthetic = bool(b)
			} else {
				f.Synthetic = StrOf(v) == "true"
			}
		}},
}

// firmFieldAt numbers the rows by predicate.
var firmFieldAt = func() map[quad.IRI]int {
	m := make(map[quad.IRI]int, len(firmFields))
	for i, f := range firmFields {
		m[f.pred] = i
	}
	return m
}()

// firmFieldByKey numbers the inline rows by their key in a typed value.
var firmFieldByKey = func() map[string]int {
	m := map[string]int{}
	for i, f := range firmFields {
		if f.inline {
			m[firmFieldKey(f.pred)] = i
		}
	}
	return m
}()

// firmFieldKey is a row's key in the firm's typed values: its predicate's
// local name (capital, scope …).
func firmFieldKey(p quad.IRI) string { return strings.TrimPrefix(string(p), NS) }

// encode writes a firm as quads: its type, a quad for each value of a
// field a query walks, its node links (a node edge and the link's evidence
// each), and its other fields as two typed values, the short ones
// (PredFirmData) and the long texts (PredFirmText), so a registry row costs
// a few quads and a few new store nodes, not one of each per column.
func (f Firm) encode(e *encoder) {
	s := f.ID.IRI()
	e.add(s, PredType, ClassFirm)
	var data, text firmValueWriter
	for i := range firmFields {
		fd := &firmFields[i]
		vals := fd.get(&f)
		switch {
		case len(vals) == 0:
		case fd.inline && fd.long:
			text.field(fd, vals)
		case fd.inline:
			data.field(fd, vals)
		default:
			for _, v := range vals {
				e.add(s, fd.pred, v)
			}
		}
	}
	if v, ok := data.value(); ok {
		e.add(s, PredFirmData, v)
	}
	if v, ok := text.value(); ok {
		e.add(s, PredFirmText, v)
	}
	for _, l := range f.Nodes {
		e.add(s, PredInNode, l.Node.IRI())
	}
	if len(f.Nodes) > 0 {
		e.add(s, PredNodeEvidence, nodeLinksValueOf(f.Nodes))
	}
}

// firmValueWriter writes a firm's typed value: a JSON object of the inline
// rows' keys, in table order, a multi-valued row's values as an array.
type firmValueWriter struct{ b []byte }

func (w *firmValueWriter) field(fd *firmField, vals []quad.Value) {
	if len(w.b) == 0 {
		w.b = append(w.b, '{')
	} else {
		w.b = append(w.b, ',')
	}
	w.b = strconv.AppendQuote(w.b, firmFieldKey(fd.pred))
	w.b = append(w.b, ':')
	if fd.rule == mergeAll {
		w.b = append(w.b, '[')
	}
	for i, v := range vals {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = appendJSONScalar(w.b, v)
		if fd.rule != mergeAll {
			break
		}
	}
	if fd.rule == mergeAll {
		w.b = append(w.b, ']')
	}
}

func (w *firmValueWriter) value() (quad.Value, bool) {
	if len(w.b) == 0 {
		return nil, false
	}
	return quad.TypedString{Value: quad.String(append(w.b, '}')), Type: TypeFirmData}, true
}

// appendJSONScalar writes a stored value as a JSON number, boolean or
// string.
func appendJSONScalar(b []byte, v quad.Value) []byte {
	switch v := v.(type) {
	case quad.Float:
		return strconv.AppendFloat(b, float64(v), 'g', -1, 64)
	case quad.Int:
		return strconv.AppendInt(b, int64(v), 10)
	case quad.Bool:
		return strconv.AppendBool(b, bool(v))
	default:
		s, err := json.Marshal(StrOf(v))
		if err != nil { // a Go string always marshals
			panic(err)
		}
		return append(b, s...)
	}
}

// scanNodeLinks reads the JSON of a list of nodeLinkValues (or of one) with
// the firm value's scanner (a restart reads one per firm).
func scanNodeLinks(text string) ([]NodeLink, bool) {
	sc := jsonScanner{s: text}
	sc.skipSpace()
	if !strings.HasPrefix(sc.s[sc.i:], "[") {
		l, err := sc.nodeLink()
		return []NodeLink{l}, err == nil && sc.end() == nil
	}
	var out []NodeLink
	sc.i++
	if sc.next(']') {
		return nil, sc.end() == nil
	}
	for {
		l, err := sc.nodeLink()
		if err != nil {
			return nil, false
		}
		out = append(out, l)
		if sc.next(']') {
			return out, sc.end() == nil
		}
		if !sc.next(',') {
			return nil, false
		}
	}
}

// nodeLink reads one nodeLinkValue object.
func (sc *jsonScanner) nodeLink() (NodeLink, error) {
	var l NodeLink
	err := sc.fields(func(key string) error {
		x, err := sc.scalar()
		if err != nil {
			return err
		}
		switch key {
		case "node":
			l.Node = NodeID(StrOf(x))
		case "method":
			l.Method = StrOf(x)
		case "conf":
			if _, ok := x.(quad.Float); !ok {
				return errors.New("conf is not a number")
			}
			l.Confidence = FloatOf(x)
		case "role":
			l.Role = StrOf(x)
		case "matched":
			l.Matched = StrOf(x)
		default:
			return fmt.Errorf("unknown field %q", key)
		}
		return nil
	})
	if err == nil && l.Node == "" {
		err = errors.New("a link without a node")
	}
	return l, err
}

// firmValueFields decodes a firm's typed value (PredFirmData or
// PredFirmText) into the values of its rows, calling fn for each; a key no
// row knows, or a value that is not a string, number or boolean (or a list
// of them for a row of many values), is an error. It reads the JSON the
// encoder writes with a scanner of its own: a restart decodes one value per
// firm, and a general JSON decoder into maps costs it twice the time.
func firmValueFields(v quad.Value, fn func(row int, v quad.Value)) error {
	ts, ok := v.(quad.TypedString)
	if !ok || ts.Type != TypeFirmData {
		return fmt.Errorf("%w: not a %s value", ErrInvalid, TypeFirmData)
	}
	sc := jsonScanner{s: string(ts.Value)}
	if err := sc.object(func(key string) error {
		row, ok := firmFieldByKey[key]
		if !ok {
			return fmt.Errorf("unknown field %q", key)
		}
		if firmFields[row].rule != mergeAll {
			x, err := sc.scalar()
			if err == nil {
				fn(row, x)
			}
			return err
		}
		return sc.list(func(x quad.Value) { fn(row, x) })
	}); err != nil {
		return fmt.Errorf("%w: firm value %q: %v", ErrInvalid, ts.Value, err)
	}
	return nil
}

// jsonScanner reads the JSON a firmValueWriter writes: one object of keys
// whose values are strings, numbers, booleans or lists of them.
type jsonScanner struct {
	s string
	i int
}

func (sc *jsonScanner) skipSpace() {
	for sc.i < len(sc.s) && (sc.s[sc.i] == ' ' || sc.s[sc.i] == '\n' || sc.s[sc.i] == '\t' || sc.s[sc.i] == '\r') {
		sc.i++
	}
}

// next consumes c, after any space, or reports that it is not there.
func (sc *jsonScanner) next(c byte) bool {
	sc.skipSpace()
	if sc.i < len(sc.s) && sc.s[sc.i] == c {
		sc.i++
		return true
	}
	return false
}

// object reads an object that is the whole text.
func (sc *jsonScanner) object(field func(key string) error) error {
	if err := sc.fields(field); err != nil {
		return err
	}
	return sc.end()
}

// fields reads an object, calling field with each key; field reads the value.
func (sc *jsonScanner) fields(field func(key string) error) error {
	if !sc.next('{') {
		return errors.New("want an object")
	}
	if sc.next('}') {
		return nil
	}
	for {
		sc.skipSpace()
		key, err := sc.str()
		if err != nil {
			return err
		}
		if !sc.next(':') {
			return errors.New("want ':'")
		}
		if err := field(key); err != nil {
			return err
		}
		if sc.next('}') {
			return nil
		}
		if !sc.next(',') {
			return errors.New("want ',' or '}'")
		}
	}
}

func (sc *jsonScanner) end() error {
	sc.skipSpace()
	if sc.i != len(sc.s) {
		return errors.New("text after the object")
	}
	return nil
}

func (sc *jsonScanner) list(item func(quad.Value)) error {
	if !sc.next('[') {
		return errors.New("want a list")
	}
	if sc.next(']') {
		return nil
	}
	for {
		x, err := sc.scalar()
		if err != nil {
			return err
		}
		item(x)
		if sc.next(']') {
			return nil
		}
		if !sc.next(',') {
			return errors.New("want ',' or ']'")
		}
	}
}

func (sc *jsonScanner) scalar() (quad.Value, error) {
	sc.skipSpace()
	rest := sc.s[sc.i:]
	switch {
	case strings.HasPrefix(rest, `"`):
		s, err := sc.str()
		return quad.String(s), err
	case strings.HasPrefix(rest, "true"):
		sc.i += 4
		return quad.Bool(true), nil
	case strings.HasPrefix(rest, "false"):
		sc.i += 5
		return quad.Bool(false), nil
	}
	n := 0
	for n < len(rest) && strings.IndexByte("+-.0123456789eE", rest[n]) >= 0 {
		n++
	}
	f, err := strconv.ParseFloat(rest[:n], 64)
	if err != nil || n == 0 {
		return nil, fmt.Errorf("want a value at %d", sc.i)
	}
	sc.i += n
	return quad.Float(f), nil
}

// str reads a JSON string at the scanner's position.
func (sc *jsonScanner) str() (string, error) {
	if sc.i >= len(sc.s) || sc.s[sc.i] != '"' {
		return "", fmt.Errorf("want a string at %d", sc.i)
	}
	escaped := false
	for j := sc.i + 1; j < len(sc.s); j++ {
		switch sc.s[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			raw := sc.s[sc.i : j+1]
			sc.i = j + 1
			if !escaped {
				return raw[1 : len(raw)-1], nil
			}
			var out string
			if err := json.Unmarshal([]byte(raw), &out); err != nil {
				return "", err
			}
			return out, nil
		}
	}
	return "", errors.New("unterminated string")
}

// ExpandFirmQuad returns the quads a firm's typed value stands for, one per
// field value, as the firm's quads were written before typed values (RDF
// exports and a firm's detail list each fact on its own); any other quad
// is returned alone. A value that does not decode is returned as it is.
func ExpandFirmQuad(q quad.Quad) []quad.Quad {
	if p, _ := q.Predicate.(quad.IRI); p != PredFirmData && p != PredFirmText {
		return []quad.Quad{q}
	}
	var out []quad.Quad
	err := firmValueFields(q.Object, func(row int, v quad.Value) {
		if firmFields[row].pred == PredEmployees {
			v = quad.Int(IntOf(v))
		}
		out = append(out, quad.Quad{Subject: q.Subject, Predicate: firmFields[row].pred, Object: v, Label: q.Label})
	})
	if err != nil {
		return []quad.Quad{q}
	}
	slices.SortStableFunc(out, func(a, b quad.Quad) int {
		return firmFieldAt[a.Predicate.(quad.IRI)] - firmFieldAt[b.Predicate.(quad.IRI)]
	})
	return out
}

// FirmMerge decodes the quads of one firm, from any number of sources in
// any order, into one Firm by the rules of firmFields. Links to chain nodes
// merge by node: of two sources' evidence for one link the more confident
// is kept; a node an override excludes (PredNotInNode) is dropped.
type FirmMerge struct {
	Firm
	// Sources are the numbers of the sources that stated anything of it.
	Sources []uint16
	// links are its node links, each with the source whose evidence was
	// kept, and excluded the nodes an override took the firm out of: short
	// lists (a firm is in a few nodes), not maps, since a restart makes one
	// merge per firm.
	links    []mergedLink
	excluded []NodeID
	// Long keeps the long texts (address, scope, legal representative,
	// registry attributes); the read model leaves them in the store.
	Long bool
	// Intern, when set, shares short repeated strings (statuses, methods,
	// tags) between firms.
	Intern func(string) string
	// Bad are the stored values of numeric fields that could not be read;
	// they are left out of the merge.
	Bad []BadValue

	kept       []kept // per row of firmFields: the stored value kept and its source's rank
	regionSrc  uint16
	regions    []RegionCode  // every region a source gave, each once
	claims     []regionClaim // every (region, source) stated
	withRegion []regionFollower
}

// regionClaim is a region one source gave.
type regionClaim struct {
	region RegionCode
	rank   int8
	src    uint16
}

// regionFollower is a value of a mergeWithRegion row, kept until the region
// is chosen.
type regionFollower struct {
	src uint16
	row int
	v   quad.Value
}

func noIntern(s string) string { return s }

// Add merges one quad stated by source src of the given rank. It reports
// false for a predicate the codec does not know.
func (m *FirmMerge) Add(q quad.Quad, rank int8, src uint16) bool {
	if m.kept == nil {
		m.kept = make([]kept, len(firmFields))
	}
	if m.ID == "" {
		m.ID, _ = FirmOf(IRIOf(q.Subject))
	}
	if n := len(m.Sources); n == 0 || m.Sources[n-1] != src {
		if !slices.Contains(m.Sources, src) {
			m.Sources = append(m.Sources, src)
		}
	}
	in := m.Intern
	if in == nil {
		in = noIntern
	}
	pred, _ := q.Predicate.(quad.IRI)
	if i, ok := firmFieldAt[pred]; ok {
		if firmFields[i].numeric {
			if _, ok := NumberOf(q.Object); !ok {
				m.Bad = append(m.Bad, BadValueOf(q))
				return true
			}
		}
		m.merge(i, q.Object, rank, src, in)
		return true
	}
	switch pred {
	case PredInNode:
		if n := NodeOf(q.Object); m.link(n) == nil {
			if m.links == nil {
				m.links = make([]mergedLink, 0, 8) // most firms are in a few nodes
			}
			m.links = append(m.links, mergedLink{NodeLink{Node: n, Confidence: 1}, src})
		}
	case PredFirmData, PredFirmText:
		if pred == PredFirmText && !m.Long {
			return true // long texts only: the read model leaves them in the store
		}
		err := firmValueFields(q.Object, func(row int, v quad.Value) {
			if firmFields[row].numeric {
				if _, ok := NumberOf(v); !ok {
					m.Bad = append(m.Bad, BadValueOf(quad.Quad{Subject: q.Subject, Predicate: firmFields[row].pred, Object: v, Label: q.Label}))
					return
				}
			}
			m.merge(row, v, rank, src, in)
		})
		if err != nil {
			m.Bad = append(m.Bad, BadValueOf(q))
		}
	case PredNodeEvidence, PredLinkEvidence:
		ls, ok := NodeLinksOf(q.Object)
		if !ok {
			m.Bad = append(m.Bad, BadValueOf(q))
			return true
		}
		for _, l := range ls {
			m.addEvidence(l, src, in)
		}
	case PredNotInNode:
		if n := NodeOf(q.Object); !slices.Contains(m.excluded, n) {
			m.excluded = append(m.excluded, n)
		}
	case PredType:
	default:
		return false
	}
	return true
}

// addEvidence merges one link's evidence: of two sources' evidence for a
// link the more confident is kept.
func (m *FirmMerge) addEvidence(l NodeLink, src uint16, in func(string) string) {
	cur := m.link(l.Node)
	if cur != nil && cur.Method != "" && l.Confidence <= cur.Confidence {
		return
	}
	l.Method, l.Role = in(l.Method), in(l.Role)
	if !m.Long {
		l.Matched = "" // the store keeps the text; the read model need not
	}
	if cur == nil {
		m.links = append(m.links, mergedLink{l, src})
	} else {
		*cur = mergedLink{l, src}
	}
}

// mergedLink is a node link and the source whose evidence was kept.
type mergedLink struct {
	NodeLink
	src uint16
}

// link returns the firm's link to node n so far, or nil.
func (m *FirmMerge) link(n NodeID) *mergedLink {
	for i := range m.links {
		if m.links[i].Node == n {
			return &m.links[i]
		}
	}
	return nil
}

// LinkSource returns the source whose evidence was kept for the firm's
// link to node n.
func (m *FirmMerge) LinkSource(n NodeID) uint16 {
	if l := m.link(n); l != nil {
		return l.src
	}
	return 0
}

// merge applies row i's rule to one value.
func (m *FirmMerge) merge(i int, v quad.Value, rank int8, src uint16, in func(string) string) {
	fd := &firmFields[i]
	if fd.long && !m.Long {
		return
	}
	switch fd.rule {
	case mergeAll:
		fd.set(&m.Firm, v, in)
	case mergeWithRegion:
		m.withRegion = append(m.withRegion, regionFollower{src, i, v})
	case mergeFiner: // the region: no other row has this rule
		region := RegionCode(in(string(RegionOf(v))))
		if !slices.Contains(m.regions, region) {
			m.regions = append(m.regions, region)
		}
		m.claims = append(m.claims, regionClaim{region, rank, src})
		k := &m.kept[i]
		if k.v == nil || rank < k.rank || rank == k.rank && FinerRegion(region, m.Region) {
			fd.set(&m.Firm, v, in)
			*k, m.regionSrc = kept{v, rank}, src
		}
	default: // mergeFirst, mergeMax: the rules every codec shares (codec.go)
		if unknown(fd.rule, v) {
			return
		}
		k := &m.kept[i]
		if k.v == nil || rank < k.rank || rank == k.rank && wins(fd.rule, v, k.v) {
			fd.set(&m.Firm, v, in)
			*k = kept{v, rank}
		}
	}
}

// Result finishes the merge: repeated values of multi-valued fields go, the
// region method is the one of the source whose region was kept, and Nodes
// holds the links the overrides left, ordered by node.
func (m *FirmMerge) Result() Firm {
	m.refineRegion()
	f := m.Firm
	f.Aliases, f.Stocks, f.Tags, f.MemberOf = Uniq(f.Aliases), Uniq(f.Stocks), Uniq(f.Tags), Uniq(f.MemberOf)
	in := m.Intern
	if in == nil {
		in = noIntern
	}
	for _, rf := range m.withRegion {
		if rf.src == m.regionSrc {
			firmFields[rf.row].set(&f, rf.v, in)
		}
	}
	f.Nodes = make([]NodeLink, 0, len(m.links))
	for _, l := range m.links {
		if !slices.Contains(m.excluded, l.Node) {
			f.Nodes = append(f.Nodes, l.NodeLink)
		}
	}
	if len(f.Nodes) == 0 {
		f.Nodes = nil
	}
	slices.SortFunc(f.Nodes, func(a, b NodeLink) int { return strings.Compare(string(a.Node), string(b.Node)) })
	return f
}

// refineRegion narrows the region kept by rank to the finest region a
// source gives within it, one level at a time: of the regions strictly
// within the current one, the best-ranked (then the smaller code) wins, so
// the result does not depend on the order quads were read in. The source
// whose method and date go with the region is the best-ranked (then the
// lowest-numbered) of those that state it.
func (m *FirmMerge) refineRegion() {
	if m.Region == "" {
		return
	}
	for {
		var next *regionClaim
		for i := range m.claims {
			c := &m.claims[i]
			if c.region == m.Region || !m.Region.Contains(c.region) {
				continue
			}
			if next == nil || c.rank < next.rank || c.rank == next.rank && c.region < next.region {
				next = c
			}
		}
		if next == nil {
			break
		}
		m.Region = next.region
	}
	var by *regionClaim
	for i := range m.claims {
		c := &m.claims[i]
		if c.region == m.Region && (by == nil || c.rank < by.rank || c.rank == by.rank && c.src < by.src) {
			by = c
		}
	}
	if by != nil {
		m.regionSrc = by.src
	}
}

// Uniq drops repeated values, keeping the first of each in order (in place).
func Uniq[T comparable](s []T) []T {
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

// RegionConflicts returns the regions sources gave that contradict the one
// kept: neither within it nor containing it (烟台市 against 潍坊市, not
// 山东省 against 烟台市, which is finer evidence of the same place).
func (m *FirmMerge) RegionConflicts() []RegionCode {
	var out []RegionCode
	for _, r := range m.regions {
		if r != m.Region && !m.Region.Contains(r) && !r.Contains(m.Region) {
			out = append(out, r)
		}
	}
	return out
}
