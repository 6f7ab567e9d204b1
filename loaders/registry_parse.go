package loaders

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chainkg/chainkg/graph"
)

// Parsers for the values of registry exports. Each takes the cell as the
// export has it and returns the normalised value, or an error that says
// what was wrong. An empty or placeholder cell ("-", "--", "暂无") is "not
// given", never an error.

// isBlank reports a cell that says nothing.
func isBlank(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "-", "--", "—", "——", "/", "null", "NULL", "None", "nan", "NaN", "暂无", "无", "未公开", "未知", "不公示":
		return true
	}
	return false
}

// isMasked reports a cell the export masked whole ("***"): the vendor
// has the value but did not give it.
func isMasked(s string) bool {
	if s == "" || s[0] != '*' && !strings.HasPrefix(s, "＊") {
		return false // the common case, without trimming
	}
	s = strings.TrimSpace(s)
	return s != "" && strings.Trim(s, "*＊") == ""
}

// currencies maps the currency words of registries to ISO 4217 codes;
// yuan is the default and stays "" in the model.
var currencies = []struct{ word, code string }{
	{"人民币", ""}, {"美元", "USD"}, {"港元", "HKD"}, {"港币", "HKD"}, {"欧元", "EUR"}, {"日元", "JPY"},
	{"英镑", "GBP"}, {"新台币", "TWD"}, {"台币", "TWD"}, {"澳门元", "MOP"}, {"新加坡元", "SGD"},
	{"澳大利亚元", "AUD"}, {"澳元", "AUD"}, {"加拿大元", "CAD"}, {"加元", "CAD"}, {"瑞士法郎", "CHF"},
	{"韩元", "KRW"}, {"卢布", "RUB"},
}

// maxCapital is the largest amount, in 万 of its currency, that a
// registered capital, paid-in capital or revenue may have: 10 万亿. The
// largest registered capitals are under 2 万亿元 (国家电网, 国铁集团), so a
// larger number is a unit or typing error (1e20万元), refused rather than
// stored.
const maxCapital = 1e9

// parseCapital reads a capital or money amount ("5000万元人民币", "1,200万美元",
// "3.5亿", "50000000元", "50 万人民币") into 万 of its currency. unit and
// cur are what the header says ("注册资本（万美元）": unit "万", cur "USD"):
// a bare number is in the header's unit (万 when it names none, the unit
// registry columns use), and an amount that names no currency is in the
// header's.
func parseCapital(s, unit, cur string) (float64, string, error) {
	orig := s
	s = strings.TrimSpace(graph.FoldWidth(s))
	s = capitalNoise.Replace(s)
	s, cur = takeCurrency(s, cur)
	i := numberPrefix(s)
	if i == 0 {
		return 0, "", fmt.Errorf("%q has no number", orig)
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return 0, "", fmt.Errorf("%q: %v", orig, err)
	}
	if v < 0 {
		return 0, "", fmt.Errorf("%q is negative", orig)
	}
	if v, err = inWan(v, s[i:], unit, orig); err != nil {
		return 0, "", err
	}
	if v > maxCapital {
		return 0, "", fmt.Errorf("%q is %.3g 万, more than any firm's capital (the largest are under 2 万亿元): a unit or typing error", orig, v)
	}
	return v, cur, nil
}

// takeCurrency removes the currency an amount names (in Chinese, else as
// an ISO code) and returns what is left with that currency; an amount that
// names none keeps cur.
func takeCurrency(s, cur string) (string, string) {
	for _, c := range currencies {
		if strings.Contains(s, c.word) {
			return strings.Replace(s, c.word, "", 1), c.code
		}
	}
	if !hasLetter(s) {
		return s, cur
	}
	up := strings.ToUpper(s)
	for _, c := range []struct{ word, code string }{{"USD", "USD"}, {"HKD", "HKD"}, {"EUR", "EUR"}, {"CNY", ""}, {"RMB", ""}} {
		if i := strings.Index(up, c.word); i >= 0 {
			cur = c.code
			s = s[:i] + s[i+len(c.word):]
			up = up[:i] + up[i+len(c.word):]
		}
	}
	return s, cur
}

// numberPrefix gives the length of the number an amount starts with: the
// leading run of digits, '.', a sign, and an exponent (1.2E+7, as
// spreadsheets write large numbers).
func numberPrefix(s string) int {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.' || i == 0 && (s[i] == '-' || s[i] == '+')) {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if s[j] == '+' || s[j] == '-' {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > j {
			i = k
		}
	}
	return i
}

// inWan converts v, written with the unit words rest ("亿元", "元", "" …),
// into 万; a bare number is in unit, or in 万 when unit is empty. orig is
// the amount as written, for errors.
func inWan(v float64, rest, unit, orig string) (float64, error) {
	rest = strings.TrimSuffix(rest, "整")
	if rest != "元" {
		rest = strings.TrimSuffix(rest, "元")
	}
	switch {
	case rest == "" && unit != "":
		rest = unit
	case rest == "":
		rest = "万"
	}
	switch rest {
	case "万", "万元":
	case "亿", "亿元":
		v *= 10000
	case "千万":
		v *= 1000
	case "百万":
		v *= 100
	case "十万":
		v *= 10
	case "千":
		v /= 10
	case "元":
		v /= 10000
	default:
		if strings.HasPrefix(rest, "万") || strings.HasPrefix(rest, "亿") {
			return 0, fmt.Errorf("%q: unknown currency %q", orig, rest[len("万"):])
		}
		return 0, fmt.Errorf("%q: unknown unit %q", orig, rest)
	}
	return v, nil
}

var (
	capitalNoise   = strings.NewReplacer(",", "", " ", "", "，", "", "(", "", ")", "")
	dateSeparators = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-")
)

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// excelEpoch is day 0 of Excel's 1900 date system (which counts the
// nonexistent 1900-02-29, so serials from 61 on are one day ahead).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// errPartialDate is wrapped by parseDate's error for a date that gives
// only a year or a month (2019, 2019年3月): right as far as it goes, but
// not a day, which the model's dates are.
var errPartialDate = errors.New("a year or month, not a day")

// partialDate is a date known to the year or month: "2019" or "2019-03".
type partialDate struct{ text string }

func (p *partialDate) Error() string { return fmt.Sprintf("%s is %v", p.text, errPartialDate) }
func (p *partialDate) Unwrap() error { return errPartialDate }

// parseDate reads a date as exports write it — 2019-03-01, 2019/3/1,
// 2019.3.1, 2019年3月1日, 20190301, "2019-03-01 00:00:00", or an Excel
// serial (43525) — and returns YYYY-MM-DD. A year alone (2019, 2019年) or
// a year and month is a *partialDate error holding "2019" or "2019-03":
// four digits between 1800 and 2100 are a year, never the Excel serial of
// a day in 1904 or 1905.
func parseDate(s string) (string, error) {
	orig := s
	s = strings.TrimSpace(graph.FoldWidth(s))
	if i := strings.IndexAny(s, " T"); i > 0 {
		s = s[:i] // a time of day
	}
	if isNumeric(s) {
		if len(s) == 8 && !strings.Contains(s, ".") {
			return checkYMD(orig, s[:4], s[4:6], s[6:])
		}
		if len(s) == 4 {
			if y, _ := strconv.Atoi(s); y >= 1800 && y <= 2100 {
				return "", &partialDate{s}
			}
		}
		n, _ := strconv.ParseFloat(s, 64)
		if n >= 1 && n < 73416 { // Excel serials up to 2100-12-31, the last year a written date may have
			return excelEpoch.AddDate(0, 0, int(n)).Format(time.DateOnly), nil
		}
		return "", fmt.Errorf("%q is not a date", orig)
	}
	s = dateSeparators.Replace(s)
	parts := strings.Split(strings.Trim(s, "-"), "-")
	switch len(parts) {
	case 3:
		return checkYMD(orig, parts[0], parts[1], parts[2])
	case 2:
		d, err := checkYMD(orig, parts[0], parts[1], "1")
		if err != nil {
			return "", err
		}
		return "", &partialDate{d[:7]}
	case 1:
		if len(parts[0]) == 4 {
			d, err := checkYMD(orig, parts[0], "1", "1")
			if err != nil {
				return "", err
			}
			return "", &partialDate{d[:4]}
		}
	}
	return "", fmt.Errorf("%q is not a date", orig)
}

// parseYear reads a year alone, as a 成立年份 column has it: 2019, 2019年.
func parseYear(s string) (string, error) {
	t := strings.TrimSuffix(strings.TrimSpace(graph.FoldWidth(s)), "年")
	if y, err := strconv.Atoi(t); err == nil && len(t) == 4 && y >= 1800 && y <= 2100 {
		return t, nil
	}
	return "", fmt.Errorf("%q is not a year", s)
}

// openEnded are the words of a term that has no end (营业期限至 长期).
var openEnded = []string{"无固定期限", "长期", "永久", "永续经营", "不约定期限", "无期限"}

// parseTerm reads a term of operation (营业期限) as the exports write it —
// "1997-01-28 至 无固定期限", "2001-05-10至2031-05-09", "2001-05-10~长期" —
// into its normalised form "1997-01-28 至 无固定期限".
func parseTerm(s string) (string, error) {
	t := strings.TrimSpace(graph.FoldWidth(s))
	var from, to string
	for _, sep := range []string{"至", "到", "~", "—", "--"} {
		if a, b, ok := strings.Cut(t, sep); ok {
			from, to = strings.TrimSpace(a), strings.TrimSpace(b)
			break
		}
	}
	if from == "" && to == "" {
		return "", fmt.Errorf("%q is not a term (want \"2001-05-10 至 2031-05-09\" or \"… 至 无固定期限\")", s)
	}
	f, err := termEnd(from)
	if err != nil {
		return "", fmt.Errorf("term %q: start: %v", s, err)
	}
	e, err := termEnd(to)
	if err != nil {
		return "", fmt.Errorf("term %q: end: %v", s, err)
	}
	if f == "" {
		f = "?"
	}
	return f + " 至 " + e, nil
}

// termEnd reads one end of a term: a date, an open-ended word, or nothing.
func termEnd(s string) (string, error) {
	if s == "" || isBlank(s) {
		return "", nil
	}
	if slices.Contains(openEnded, s) {
		return s, nil
	}
	return parseDate(s)
}

func checkYMD(orig, y, m, d string) (string, error) {
	yi, e1 := strconv.Atoi(y)
	mi, e2 := strconv.Atoi(m)
	di, e3 := strconv.Atoi(d)
	if e1 != nil || e2 != nil || e3 != nil || len(y) != 4 {
		return "", fmt.Errorf("%q is not a date", orig)
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di || yi < 1800 || yi > 2100 {
		return "", fmt.Errorf("%q is not a calendar date", orig)
	}
	return t.Format(time.DateOnly), nil
}

// parseStatus normalises a registration status. Registries write the same
// state many ways: 存续（在营、开业、在册）, 在业, 吊销，未注销 …
func parseStatus(s string) (graph.FirmStatus, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", nil
	case strings.Contains(s, "吊销"):
		if strings.Contains(s, "已注销") {
			return graph.StatusCancelled, nil
		}
		return graph.StatusRevoked, nil // 吊销，未注销
	case strings.Contains(s, "注销") && !strings.Contains(s, "未注销"):
		return graph.StatusCancelled, nil
	case strings.Contains(s, "迁出") || strings.Contains(s, "迁往"):
		return graph.StatusMovedOut, nil
	case strings.Contains(s, "存续") || strings.Contains(s, "在业") || strings.Contains(s, "开业") ||
		strings.Contains(s, "在营") || strings.Contains(s, "正常") || strings.Contains(s, "登记成立") ||
		strings.Contains(s, "在册") || strings.Contains(s, "迁入") || strings.Contains(s, "设立"):
		return graph.StatusActive, nil
	case strings.Contains(s, "停业") || strings.Contains(s, "清算") || strings.Contains(s, "撤销") ||
		strings.Contains(s, "歇业") || strings.Contains(s, "责令关闭") || strings.Contains(s, "除名") ||
		strings.Contains(s, "破产") || strings.Contains(s, "解散"):
		return graph.StatusOther, nil
	}
	switch strings.ToLower(s) {
	case "active", "in business", "存活":
		return graph.StatusActive, nil
	case "cancelled", "canceled", "deregistered":
		return graph.StatusCancelled, nil
	case "revoked":
		return graph.StatusRevoked, nil
	}
	return graph.StatusOther, fmt.Errorf("unknown status %q (kept as other)", s)
}

// canonicalTags maps the ways exports write quality tags to the model's
// tags. Order matters: the longer, more specific forms come first.
var canonicalTags = []struct{ has, tag string }{
	{"小巨人", "专精特新小巨人"},
	{"专精特新", "专精特新"},
	{"单项冠军", "单项冠军"},
	{"高新技术企业", "高新技术企业"},
	{"高新企业", "高新技术企业"},
	{"瞪羚", "瞪羚"},
	{"独角兽", "独角兽"},
	{"科技型中小企业", "科技型中小企业"},
	{"规上", "规上"},
	{"规模以上", "规上"},
	{"上市", "上市"},
}

// parseTags splits a tag cell ("专精特新；高新技术企业、瞪羚企业") and
// normalises each tag; tags the model does not know are kept as written.
func parseTags(s string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(",，;；、|/ \t\n", r)
	}) {
		t = strings.Trim(strings.TrimSpace(t), "\"'“”")
		if t == "" || isBlank(t) {
			continue
		}
		tag := t
		for _, c := range canonicalTags {
			if strings.Contains(t, c.has) {
				tag = c.tag
				break
			}
		}
		if !contains(out, tag) {
			out = append(out, tag)
		}
	}
	return out
}

// parseStock normalises a stock code: "600309.SH", "sz000001", "000001"
// (the exchange inferred from the code's range), "430047.BJ".
func parseStock(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(graph.FoldWidth(s)))
	var code, ex string
	switch {
	case len(s) == 9 && s[6] == '.':
		code, ex = s[:6], s[7:]
	case len(s) == 8 && (strings.HasPrefix(s, "SH") || strings.HasPrefix(s, "SZ") || strings.HasPrefix(s, "BJ")):
		code, ex = s[2:], s[:2]
	case len(s) == 6:
		code = s
		switch {
		case s[0] == '6':
			ex = "SH"
		case s[0] == '0' || s[0] == '3':
			ex = "SZ"
		case s[0] == '4' || s[0] == '8' || s[0] == '9':
			ex = "BJ"
		}
	default:
		// Hong Kong and overseas codes ("00700.HK") are kept as written.
		if s != "" && strings.Contains(s, ".") {
			return s, nil
		}
		return "", fmt.Errorf("%q is not a stock code", s)
	}
	if _, err := strconv.Atoi(code); err != nil || ex == "" {
		return "", fmt.Errorf("%q is not a stock code", s)
	}
	return code + "." + ex, nil
}

// parseCount reads a head count or similar whole number ("35", "35人");
// ranges ("50-99人", "少于50人") are not numbers and give an error.
func parseCount(s string) (int, error) {
	s = strings.TrimSpace(graph.FoldWidth(s))
	s = strings.TrimSuffix(strings.ReplaceAll(s, ",", ""), "人")
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 || n != float64(int(n)) {
		return 0, fmt.Errorf("%q is not a count", s)
	}
	return int(n), nil
}

// splitNames splits a list of former names (曾用名) as exports write them.
func splitNames(s string) []string {
	var out []string
	for _, n := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(";；、,，\n|", r) }) {
		if n = strings.TrimSpace(n); n != "" && !isBlank(n) {
			out = append(out, n)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// isNumeric reports digits with at most one decimal point.
func isNumeric(s string) bool {
	dots := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '.':
			dots++
		case s[i] < '0' || s[i] > '9':
			return false
		}
	}
	return s != "" && dots <= 1 && s != "."
}
