package plandoc

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// cnValue maps Chinese numerals to their values; multipliers are handled
// by parseCN.
var cnValue = map[rune]float64{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

var cnMult = map[rune]float64{'十': 10, '百': 100, '千': 1000, '万': 1e4, '亿': 1e8}

// parseCN reads a Chinese numeral: 二十一 = 21, 两千 = 2000, 一万二千 =
// 12000, 万亿 = 1e12 (a bare multiplier counts one of it).
func parseCN(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	var total, section, digit float64
	seenDigit := false
	for _, r := range s {
		if v, ok := cnValue[r]; ok {
			digit, seenDigit = v, true
			continue
		}
		m, ok := cnMult[r]
		if !ok {
			return 0, false
		}
		switch {
		case m >= 1e4:
			if !seenDigit && section == 0 {
				if total == 0 {
					total = 1
				}
				total *= m
			} else {
				total = (total + section + digit) * m
			}
			section, digit, seenDigit = 0, 0, false
		default:
			if !seenDigit {
				digit = 1
			}
			section += digit * m
			digit, seenDigit = 0, false
		}
	}
	return total + section + digit, true
}

// parseCount reads the number of a count: "八大" → 8, "21个" → 21, "两" → 2.
func parseCount(s string) (int, bool) {
	s = strings.TrimRight(s, "大个类项条家")
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	v, ok := parseCN(s)
	if !ok || v != math.Trunc(v) {
		return 0, false
	}
	return int(v), true
}

// unitKind says how a unit's value is normalised.
type unitKind int

const (
	unitMoney   unitKind = iota // to 亿 of its currency
	unitPercent                 // as written
	unitCount                   // multipliers folded in: 5万个 → 50000 个
	unitMeasure                 // as written: 300万吨 → 300 万吨
	unitTimes                   // 倍
	unitRatio                   // a ratio to one, as written: 2.3:1
)

// units are the unit words of indicators, longest first.
var units = []struct {
	word string
	kind unitKind
}{
	{"个百分点", unitPercent}, {"百分点", unitPercent}, {"%", unitPercent}, {"‰", unitPercent},
	{"美元", unitMoney}, {"欧元", unitMoney}, {"元", unitMoney},
	{"千瓦时", unitMeasure}, {"平方公里", unitMeasure}, {"平方米", unitMeasure}, {"立方米", unitMeasure}, {"标准箱", unitMeasure},
	{"千瓦", unitMeasure}, {"兆瓦", unitMeasure}, {"吉瓦", unitMeasure}, {"公里", unitMeasure}, {"公顷", unitMeasure},
	{"标箱", unitMeasure}, {"吨", unitMeasure}, {"亩", unitMeasure}, {"GW", unitMeasure}, {"MW", unitMeasure}, {"TEU", unitMeasure},
	{"人次", unitCount}, {"台套", unitCount}, {"个", unitCount}, {"家", unitCount}, {"项", unitCount}, {"座", unitCount},
	{"所", unitCount}, {"条", unitCount}, {"台", unitCount}, {"套", unitCount}, {"名", unitCount}, {"人", unitCount},
	{"户", unitCount}, {"件", unitCount}, {"款", unitCount}, {"种", unitCount}, {"处", unitCount}, {"辆", unitCount},
	{"艘", unitCount}, {"架", unitCount}, {"张", unitCount}, {"部", unitCount}, {"栋", unitCount}, {"床", unitCount},
	{"倍", unitTimes},
}

// quantity is a number with its unit, as found in the text.
type quantity struct {
	a, b       int      // bytes of the number, multipliers, unit and comparator
	numA, numB int      // bytes of the number
	value      *float64 // nil: the number was lost
	unit       string
	kind       unitKind
	comparator string
	note       string
	countUnit  bool
}

// multipliers of a number: 5万, 1.2亿, 1万亿.
const multChars = "十百千万亿"

// readQuantity reads a quantity whose number starts at byte a (digits, a
// Chinese numeral, or a '.' left of a number the page lost). It returns
// false when no unit follows.
func readQuantity(s string, a int) (quantity, bool) {
	q := quantity{a: a, numA: a}
	v, i, lost, ok := readNumber(s, a, &q)
	if !ok {
		return q, false
	}
	q.numB = i
	// 100多家, 1000余家
	more := false
	if strings.HasPrefix(s[i:], "多") || strings.HasPrefix(s[i:], "余") {
		more, i = true, i+len("多")
	}
	mult, multText, i := readMultiplier(s, i)
	if i, ok = q.readUnit(s, i, multText == "" && !lost); !ok {
		return q, false
	}
	q.countUnit = q.kind == unitCount
	if i, ok = q.scale(s, i, v, mult, multText, lost); !ok {
		return q, false
	}
	q.b = i
	for _, c := range []struct{ word, cmp string }{
		{"以上", ">="}, {"以下", "<="}, {"以内", "<="}, {"左右", "~"}, {"上下", "~"}, {"之内", "<="},
	} {
		if strings.HasPrefix(s[i:], c.word) {
			q.comparator = c.cmp
			q.b = i + len(c.word)
			break
		}
	}
	if q.comparator == "" && more {
		q.comparator = ">="
	}
	return q, true
}

// readNumber reads the number starting at byte a: digits, a Chinese
// numeral (without the 万/亿 that multiply its unit), or the '.' and
// digits of a number the page lost (lost, with a note in q). It returns
// the value and the byte after the number.
func readNumber(s string, a int, q *quantity) (v float64, end int, lost, ok bool) {
	i := a
	switch r, _ := utf8.DecodeRuneInString(s[i:]); {
	case r >= '0' && r <= '9':
		j := i
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
			j++
		}
		f, err := strconv.ParseFloat(s[i:j], 64)
		return f, j, false, err == nil
	case r == '.':
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i+1 {
			return 0, i, false, false
		}
		q.note = "the number was lost from the page: " + s[a:j]
		return 0, j, true, true
	}
	j := i
	for j < len(s) {
		r, sz := utf8.DecodeRuneInString(s[j:])
		if _, ok := cnValue[r]; !ok && !strings.ContainsRune(multChars, r) {
			break
		}
		j += sz
	}
	if j == i {
		return 0, i, false, false
	}
	// Trailing 万/亿 are multipliers of the unit, read by readMultiplier.
	k := j
	for k > i {
		r, sz := utf8.DecodeLastRuneInString(s[i:k])
		if r != '万' && r != '亿' {
			break
		}
		k -= sz
	}
	if k == i {
		return 1, k, false, true // 突破万亿元: a bare multiplier
	}
	f, ok := parseCN(s[i:k])
	return f, k, false, ok
}

// readMultiplier reads the multipliers after a number (万, 亿, 万亿; not
// 十, nor the 百 of 百分点) and returns their product, their text and the
// byte after them.
func readMultiplier(s string, i int) (float64, string, int) {
	mult, text := 1.0, ""
	for i < len(s) && !strings.HasPrefix(s[i:], "百分点") {
		r, sz := utf8.DecodeRuneInString(s[i:])
		m, ok := cnMult[r]
		if !ok || r == '十' {
			break
		}
		mult *= m
		text += string(r)
		i += sz
	}
	return mult, text, i
}

// readUnit reads the unit at byte i into q: a ratio to one ("2.3:1", when
// ratioOK; a ratio of three parts, 23:53:24, is none) or a unit word. It
// returns the byte after it, false when there is none.
func (q *quantity) readUnit(s string, i int, ratioOK bool) (int, bool) {
	if ratioOK && strings.HasPrefix(s[i:], ":1") {
		r, _ := utf8.DecodeRuneInString(s[i+2:])
		if !(r >= '0' && r <= '9') && r != ':' && r != '.' {
			q.unit, q.kind = ":1", unitRatio
			return i + 2, true
		}
	}
	for _, u := range units {
		if strings.HasPrefix(s[i:], u.word) {
			q.unit, q.kind = u.word, u.kind
			return i + len(u.word), true
		}
	}
	return i, false
}

// scale sets q's value and unit from the number v and its multipliers, by
// the kind of unit: money in 亿元 (a rate per something as written),
// percentages as they are, measures and people as written, counts folded.
// It returns the byte after the unit, false for a percentage multiplied.
func (q *quantity) scale(s string, i int, v, mult float64, multText string, lost bool) (int, bool) {
	set := func(x float64) {
		if !lost {
			x = round(x)
			q.value = &x
		}
	}
	switch q.kind {
	case unitMoney:
		// A rate in money per something (万元/亩) stays as written.
		if strings.HasPrefix(s[i:], "/") {
			r, sz := utf8.DecodeRuneInString(s[i+1:])
			if isHan(r) {
				q.unit = multText + q.unit + "/" + string(r)
				set(v)
				return i + 1 + sz, true
			}
		}
		cur := strings.TrimSuffix(q.unit, "元")
		cur = strings.TrimPrefix(cur, "亿")
		q.unit = "亿" + cur + "元"
		set(v * mult / 1e8)
	case unitPercent:
		q.unit = "%"
		if strings.HasSuffix(s[q.numB:i], "百分点") {
			q.unit = "百分点"
		}
		if multText != "" {
			return i, false
		}
		set(v)
	default:
		// Measures and people stay as written (21万吨, 30万人), as plans
		// state them; counts of things fold their multiplier (3万个 → 30000 个).
		if q.kind == unitMeasure || q.unit == "人" || q.unit == "人次" {
			q.unit, mult = multText+q.unit, 1
		}
		set(v * mult)
	}
	return i, true
}

func round(v float64) float64 { return math.Round(v*1e6) / 1e6 }
