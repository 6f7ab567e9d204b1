package loaders

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// How each registry field is read: one rule per field, so that what a
// column does — its parser, where the value goes, what is kept when the
// cell does not parse — is in one table rather than in a switch.

// rowState is a row being read: the firm so far and what the row says
// beyond the firm's own fields (identity cells, region evidence, text to
// classify).
type rowState struct {
	f          graph.Firm
	ev         regionEvidence
	text       FirmText
	name       string // the name column's header, for a rejection
	credit     string // the credit-code cell and its header
	creditCol  string
	stock      string // the first stock code
	regNo, key string
	query      string // the name a batch query looked up
	unmatched  string // the cell that says the vendor matched no firm
}

// fieldRule says how a column of a field is read. set puts a non-blank
// cell into the row; when it fails, the cell is kept as an attribute, and
// warned about under kind unless kind is "" (a range such as 50-99人 is a
// fact the model has no field for, not an error). attr keeps the cell as
// an attribute even when set succeeds. A setter that keeps a normalised
// attribute of its own returns errKeep.
type fieldRule struct {
	set  func(w *worker, r *rowState, c *column, v string) error
	kind string
	attr bool
}

// attrRule keeps a cell as an attribute: columns no field takes.
var attrRule = &fieldRule{attr: true}

// ruleFor returns the rule of a field.
func ruleFor(f field) *fieldRule {
	if r, ok := fieldRules[f]; ok {
		return r
	}
	return attrRule
}

// errKeep is returned by a setter that normalised a cell into an attribute
// of its own and wants nothing else kept.
var errKeep = errors.New("kept")

// fieldRules is the table of fields; a field without a rule is kept as an
// attribute.
var fieldRules = map[field]*fieldRule{
	fName: {set: func(w *worker, r *rowState, c *column, v string) error {
		if isUnmatched(v) {
			r.unmatched = v
			return nil
		}
		r.f.Name, r.name = v, c.header
		return nil
	}},
	fShortName: {set: func(w *worker, r *rowState, c *column, v string) error { r.f.ShortName = v; return nil }},
	fCreditCode: {set: func(w *worker, r *rowState, c *column, v string) error {
		r.credit, r.creditCol = v, c.header
		return nil
	}},
	fCreditOrRegNo: {kind: "credit-or-reg-no", set: setCreditOrRegNo},
	fRegNo:         {attr: true, set: func(w *worker, r *rowState, c *column, v string) error { r.regNo = v; return nil }},
	fKey:           {attr: true, set: func(w *worker, r *rowState, c *column, v string) error { r.key = v; return nil }},
	fQueryName:     {attr: true, set: func(w *worker, r *rowState, c *column, v string) error { r.query = v; return nil }},
	fStatus: {kind: "status", set: func(w *worker, r *rowState, c *column, v string) error {
		st, err := parseStatus(v)
		r.f.Status = st // an unknown status is kept as other, and the cell too
		return err
	}},
	fLegalRep: {set: func(w *worker, r *rowState, c *column, v string) error { r.f.LegalRep = v; return nil }},
	fCapital: {kind: "capital", set: func(w *worker, r *rowState, c *column, v string) error {
		amt, cur, err := parseCapital(v, c.unit, c.cur)
		if err == nil {
			r.f.Capital, r.f.Currency = amt, cur
		}
		return err
	}},
	fPaidIn: {kind: "capital", set: func(w *worker, r *rowState, c *column, v string) error {
		amt, cur, err := parseCapital(v, c.unit, c.cur)
		if err == nil {
			r.f.PaidIn = amt
			if r.f.Currency == "" {
				r.f.Currency = cur
			}
		}
		return err
	}},
	fRevenue: {set: func(w *worker, r *rowState, c *column, v string) error {
		amt, _, err := parseCapital(v, c.unit, c.cur) // a range (1亿以上) is kept as an attribute
		if err == nil {
			r.f.Revenue = amt
		}
		return err
	}},
	fFounded:    {kind: "date", set: setFounded},
	fListedDate: {set: setDateAttr},
	fDateAttr:   {kind: "date", set: setDateAttr},
	fTerm: {kind: "term", set: func(w *worker, r *rowState, c *column, v string) error {
		t, err := parseTerm(v)
		if err == nil {
			r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: t})
			return errKeep
		}
		return err
	}},
	fProvince: {set: func(w *worker, r *rowState, c *column, v string) error { r.ev.province = v; return nil }},
	fCity:     {set: func(w *worker, r *rowState, c *column, v string) error { r.ev.city = v; return nil }},
	fCounty:   {set: func(w *worker, r *rowState, c *column, v string) error { r.ev.county = v; return nil }},
	fArea:     {set: func(w *worker, r *rowState, c *column, v string) error { r.ev.area = v; return nil }},
	fRegionCode: {set: func(w *worker, r *rowState, c *column, v string) error {
		r.ev.codes = append(r.ev.codes, v)
		return nil
	}},
	fFirmType:    {set: func(w *worker, r *rowState, c *column, v string) error { r.f.Type = v; return nil }},
	fIndSection:  {kind: "industry", set: setIndustry},
	fIndDivision: {kind: "industry", set: setIndustry},
	fIndGroup:    {kind: "industry", set: setIndustry},
	fIndClass:    {kind: "industry", set: setIndustry},
	fIndustry:    {kind: "industry", set: setIndustry},
	fIndLabel: {attr: true, set: func(w *worker, r *rowState, c *column, v string) error {
		r.text.Label = joinClauses(r.text.Label, v)
		if code, ok := w.industryOf(v); ok && len(code) > len(r.f.Industry) {
			r.f.Industry = code
		}
		return nil
	}},
	fEmployees: {set: func(w *worker, r *rowState, c *column, v string) error {
		n, err := parseCount(v) // a range (50-99人) is kept as an attribute
		r.f.Employees = n
		return err
	}},
	fAddress: {set: func(w *worker, r *rowState, c *column, v string) error { r.f.Address = v; return nil }},
	fScope:   {set: func(w *worker, r *rowState, c *column, v string) error { r.f.Scope = v; return nil }},
	fProducts: {attr: true, set: func(w *worker, r *rowState, c *column, v string) error {
		r.text.Products = joinClauses(r.text.Products, v)
		return nil
	}},
	fFormerNames: {set: func(w *worker, r *rowState, c *column, v string) error {
		r.f.Aliases = append(r.f.Aliases, splitNames(v)...)
		return nil
	}},
	fEnglish: {set: func(w *worker, r *rowState, c *column, v string) error {
		r.f.Aliases = append(r.f.Aliases, v)
		return nil
	}},
	fStock: {kind: "stock", set: func(w *worker, r *rowState, c *column, v string) error {
		s, err := parseStock(v)
		if err == nil {
			r.f.Stocks = append(r.f.Stocks, s)
			if r.stock == "" {
				r.stock = s
			}
		}
		return err
	}},
	fTags: {set: func(w *worker, r *rowState, c *column, v string) error {
		for _, t := range parseTags(v) {
			if !contains(r.f.Tags, t) {
				r.f.Tags = append(r.f.Tags, t)
			}
		}
		return nil
	}},
	fNode: {set: func(w *worker, r *rowState, c *column, v string) error {
		r.text.Nodes = append(r.text.Nodes, splitNames(v)...)
		return nil
	}},
	fGroup: {set: func(w *worker, r *rowState, c *column, v string) error { r.f.Group = v; return nil }},
	fController: {attr: true, set: func(w *worker, r *rowState, c *column, v string) error {
		r.ev.controller = v
		return nil
	}},
	fPhones: {set: func(w *worker, r *rowState, c *column, v string) error {
		r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: strings.Join(splitPhones(v), "；")})
		return errKeep
	}},
	fSynthetic: {set: func(w *worker, r *rowState, c *column, v string) error {
		r.f.Synthetic = v == "true" || v == "1" || v == "是"
		return nil
	}},
}

// read puts one cell into the row by its column's rule.
func (w *worker) read(line int, r *rowState, c *column, v string) {
	rule := c.rule
	if rule == nil {
		rule = attrRule
	}
	if rule.set == nil {
		r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: v})
		return
	}
	err := rule.set(w, r, c, v)
	switch {
	case errors.Is(err, errKeep):
		return
	case err != nil && rule.kind != "":
		w.warn(rule.kind, line, c.header, err)
	}
	if err != nil || rule.attr {
		r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: v})
	}
}

func setIndustry(w *worker, r *rowState, c *column, v string) error {
	code, ok := w.industryOf(v)
	if !ok {
		return fmt.Errorf("%q is neither a GB/T 4754 code nor the name of a loaded class", v)
	}
	if len(code) > len(r.f.Industry) {
		r.f.Industry = code
	}
	return nil
}

// setFounded reads the founding date. A year or month alone (2019, under
// 成立年份 or not) is kept as an attribute with its own precision, never
// stretched to a day nor read as an Excel serial.
func setFounded(w *worker, r *rowState, c *column, v string) error {
	if c.year {
		y, err := parseYear(v)
		if err != nil {
			return err
		}
		r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: y})
		w.count("founded:year-only")
		return errKeep
	}
	d, err := parseDate(v)
	var p *partialDate
	if errors.As(err, &p) {
		r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: p.text})
		w.count("founded:year-or-month-only")
		return errKeep
	}
	if err == nil {
		r.f.Founded = d
	}
	return err
}

// setDateAttr keeps a date as an attribute, normalised when it parses;
// an open end (长期, 无固定期限) is kept as written.
func setDateAttr(w *worker, r *rowState, c *column, v string) error {
	if t := strings.TrimSpace(v); contains(openEnded, t) {
		r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: t})
		return errKeep
	}
	d, err := parseDate(v)
	var p *partialDate
	switch {
	case errors.As(err, &p):
		d, err = p.text, nil
	case err != nil:
		return err
	}
	r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: c.header, Value: d})
	return errKeep
}

// setCreditOrRegNo reads the credit system's combined column: 18
// characters are a credit code (checked like any), 15 digits an old
// 注册号, kept as the registration number and never taken for a credit code.
func setCreditOrRegNo(w *worker, r *rowState, c *column, v string) error {
	s := strings.ToUpper(strings.TrimSpace(graph.FoldWidth(v)))
	switch {
	case len(s) == 18:
		r.credit, r.creditCol = s, c.header
		return nil
	case len(s) == 15 && isDigits(s):
		r.regNo = s
		r.f.Attrs = append(r.f.Attrs, graph.Attr{Key: "注册号", Value: s})
		return errKeep
	}
	return fmt.Errorf("%q is neither an 18-character credit code nor a 15-digit 注册号", v)
}

// isUnmatched reports the cell a batch-query export puts in place of the
// firm it found none for (企查查: 未匹配到相关企业).
func isUnmatched(v string) bool {
	return strings.HasPrefix(strings.TrimSpace(v), "未匹配") || strings.Contains(v, "未查询到") || strings.Contains(v, "未找到相关企业")
}

// splitPhones splits a phone list ("0535-1234567;13800000000") on the
// separators exports use.
func splitPhones(v string) []string {
	return splitOn(v, ";；,，、 \n/")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
