package plandoc

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// Indicator tables: a plan's 主要指标 often stand in a table, one row per
// metric, a column per year. Read from a .docx, a web page, or a text with
// tab-separated cells:
//
//	序号  指标                       单位  2020年  2025年  属性
//	1     规模以上工业增加值          亿元  4200    6000    预期性
//	2     数字经济核心产业增加值占比（%）      8.5     ≥15     预期性
var (
	yearColRe  = regexp.MustCompile(`^(?:(?:19|20)\d{2})年?(?:目标值?|基期值?|现状值?|预期值?|末)?$|^(?:基期|目标|现状)(?:值|年)?[(（]?((?:19|20)\d{2})年?[)）]?$`)
	serialRe   = regexp.MustCompile(`^(?:[0-9]+[.、]?|[(（][0-9一二三四五六七八九十]+[)）])`)
	unitParen  = regexp.MustCompile(`[(（]([^()（）]{1,8})[)）]$`)
	cellNumRe  = regexp.MustCompile(`^(≥|>|≤|<|约|~|＞|＜)?([0-9]+(?:\.[0-9]+)?)(以上|左右|以内|以下)?$`)
	attributes = []string{"预期性", "约束性", "指导性", "属性"}
)

// tableCol describes a header: which columns hold years, the unit and the
// metric.
type tableCol struct {
	years      map[int]int // column → year
	baseline   map[int]bool
	unit       int // -1 when none
	metric     int // -1 when the first Chinese cell is the metric
	minYear    int
	yearsCount int
	n          int // cells in the header
}

// tables reads the indicator tables of the text and returns the spans of
// their rows, which the reading of sentences leaves alone.
func (d *doc) tables() []span {
	var rows []span
	var head *tableCol
	off := 0
	for _, line := range strings.SplitAfter(d.s, "\n") {
		a := off
		off += len(line)
		text := strings.TrimRight(line, "\n")
		cells := strings.Split(text, "\t")
		if len(cells) < 3 {
			head = nil
			continue
		}
		if h := tableHeader(cells); h != nil {
			head = h
			rows = append(rows, span{a, a + len(text)})
			continue
		}
		if head == nil {
			continue
		}
		if d.tableRow(head, cells, a, a+len(text)) {
			rows = append(rows, span{a, a + len(text)})
		}
	}
	return rows
}

func tableHeader(cells []string) *tableCol {
	h := &tableCol{years: map[int]int{}, baseline: map[int]bool{}, unit: -1, metric: -1}
	for i, c := range cells {
		c = strings.TrimSpace(c)
		switch {
		case c == "单位" || c == "计量单位":
			h.unit = i
		case c == "指标" || c == "指标名称" || c == "名称" || c == "主要指标":
			h.metric = i
		default:
			m := yearColRe.FindStringSubmatch(c)
			if m == nil {
				continue
			}
			ys := m[1]
			if ys == "" {
				ys = c[:4]
			}
			y, _ := strconv.Atoi(ys)
			h.years[i] = y
			if strings.Contains(c, "基期") || strings.Contains(c, "现状") {
				h.baseline[i] = true
			}
			if h.minYear == 0 || y < h.minYear {
				h.minYear = y
			}
		}
	}
	if len(h.years) == 0 {
		return nil
	}
	h.yearsCount, h.n = len(h.years), len(cells)
	return h
}

// tableRow reads one row of an indicator table; it reports whether the row
// held an indicator.
func (d *doc) tableRow(h *tableCol, cells []string, a, b int) bool {
	metric := ""
	if h.metric >= 0 && h.metric < len(cells) && len(cells) == h.n {
		metric = strings.TrimSpace(cells[h.metric])
	} else {
		for _, c := range cells {
			if c = strings.TrimSpace(c); hasHan(c) && !hasAny(c, attributes) && !yearColRe.MatchString(c) {
				metric = c
				break
			}
		}
	}
	// A row of a table laid out with spaces loses its empty cells; its
	// values then line up with the header from the right.
	if len(cells) < h.n {
		cells = append(make([]string, h.n-len(cells)), cells...)
	}
	metric = strings.TrimSpace(serialRe.ReplaceAllString(metric, ""))
	unit := ""
	if h.unit >= 0 && h.unit < len(cells) {
		unit = strings.TrimSpace(cells[h.unit])
		if strings.ContainsAny(unit, "0123456789") || runeLen(unit) > 6 || strings.Contains(metric, unit) {
			unit = "" // not a unit: the row does not line up
		}
	}
	if m := unitParen.FindStringSubmatch(metric); m != nil {
		if unit == "" {
			unit = m[1]
		}
		metric = strings.TrimSpace(metric[:len(metric)-len(m[0])])
	}
	if runeLen(metric) < 2 {
		return false
	}
	got := false
	for _, col := range h.cols() {
		year := h.years[col]
		if col >= len(cells) {
			continue
		}
		cell := strings.Trim(strings.TrimSpace(cells[col]), "[]［］【】")
		m := cellNumRe.FindStringSubmatch(cell)
		if m == nil {
			continue
		}
		in := graph.Indicator{Metric: metric, Year: year, Comparator: "=", Kind: "target"}
		if q, ok := readQuantity(m[2]+unit, 0); ok && q.value != nil && q.b == len(m[2]+unit) {
			in.Value, in.Unit = q.value, q.unit
		} else {
			// A unit the reader does not know (个/万人) stays as written.
			v, err := strconv.ParseFloat(m[2], 64)
			if err != nil {
				continue
			}
			in.Value, in.Unit = &v, unit
		}
		switch {
		case m[1] == "≥" || m[1] == ">" || m[1] == "＞" || m[3] == "以上":
			in.Comparator = ">="
		case m[1] == "≤" || m[1] == "<" || m[1] == "＜" || m[3] == "以内" || m[3] == "以下":
			in.Comparator = "<="
		case m[1] == "约" || m[1] == "~" || m[3] == "左右":
			in.Comparator = "~"
		}
		if h.baseline[col] || h.yearsCount > 1 && year == h.minYear && len(h.baseline) == 0 {
			in.Kind = "baseline"
		}
		in.Evidence = d.ev(a, b)
		d.keepIndicator(in)
		got = true
	}
	return got
}

// cols returns the year columns in order.
func (h *tableCol) cols() []int {
	var cs []int
	for c := range h.years {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

func hasHan(s string) bool {
	for _, r := range s {
		if isHan(r) {
			return true
		}
	}
	return false
}
