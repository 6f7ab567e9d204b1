package loaders

import (
	"bytes"
	"errors"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chainkg/chainkg/graph"
)

// Fuzz tests of the registry's value parsers and its row readers. Seeds are
// here and in testdata/fuzz (inputs the fuzzer found that reach new code),
// so `go test` runs them all; to look for more:
//
//	go test ./loaders -run '^$' -fuzz FuzzParseCapital -fuzztime 2m

// FuzzParseCapital: never panics; an accepted amount is a finite number ≥ 0
// in a known currency.
func FuzzParseCapital(f *testing.F) {
	for _, s := range []string{"5000万元人民币", "1,200万美元", "3.5亿", "50000000元", "100", "1e400亿", "9" + strings.Repeat("9", 320),
		"１２００万港元", "-5万", "万元", "5000万欧元整", "(100)万", "USD 100万", "100万RMB", ".", "1.2.3万", "+7千", "0.0001元", "百万", "1亿日元",
		"1e20万元", "1.2E+7", "1E+5亿", "50 万人民币", "13,400万元", "9e-3万"} {
		for _, unit := range []string{"", "元", "万", "亿"} {
			f.Add(s, unit)
		}
	}
	f.Fuzz(func(t *testing.T, s, unit string) {
		v, cur, err := parseCapital(s, unit, "")
		if err != nil {
			return
		}
		if v < 0 || v > maxCapital || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("parseCapital(%q, %q) = %v", s, unit, v)
		}
		if cur != "" && !currencyCode.MatchString(cur) {
			t.Fatalf("parseCapital(%q, %q): currency %q", s, unit, cur)
		}
	})
}

var (
	currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)
	partialForm  = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2})?$`)
)

// FuzzParseDate: never panics; an accepted date is a real calendar date
// written YYYY-MM-DD that parses to itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2019-03-01", "2019/3/1", "2019.3.1", "2019年3月1日", "20190301", "2019-03-01 00:00:00",
		"43525", "43525.5", "2019-02-29", "2020-02-29", "2019", "2019-03", "０２０１９年", "1", "2958465", "2958466",
		"99999999", "-1", "2019--03--01", "T", " 2019-03-01T08:00", "1799-12-31", "2100-12-31", "2101-01-01", "1800", "2101", "2019年"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s)
		var p *partialDate
		if errors.As(err, &p) {
			if !partialForm.MatchString(p.text) {
				t.Fatalf("parseDate(%q): partial date %q", s, p.text)
			}
			return
		}
		if err != nil {
			return
		}
		tm, perr := time.Parse(time.DateOnly, d)
		if perr != nil || tm.Format(time.DateOnly) != d {
			t.Fatalf("parseDate(%q) = %q: not YYYY-MM-DD", s, d)
		}
		if again, err := parseDate(d); err != nil || again != d {
			t.Fatalf("parseDate(%q) = %q, which parses to %q, %v", s, d, again, err)
		}
	})
}

// FuzzParseNumbers: the count, stock-code, status and tag parsers never
// panic, and what they accept is canonical.
func FuzzParseNumbers(f *testing.F) {
	for _, s := range []string{"35", "35人", "1,200", "50-99人", "少于50人", "1e3", "1e30", "-3", "3.5", "NaN", "Inf",
		"600309.SH", "sz000001", "000001", "430047.BJ", "00700.HK", "SH6003", "60030X", ".", "６００３０９",
		"存续（在营、开业、在册）", "吊销，未注销", "吊销，已注销", "注销", "迁出", "active", "专精特新；高新技术企业、瞪羚企业", "上市,上市", "“小巨人”"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, err := parseCount(s); err == nil && n < 0 {
			t.Fatalf("parseCount(%q) = %d", s, n)
		}
		if c, err := parseStock(s); err == nil {
			if again, err := parseStock(c); err != nil || again != c {
				t.Fatalf("parseStock(%q) = %q, which parses to %q, %v", s, c, again, err)
			}
		}
		st, _ := parseStatus(s)
		switch st {
		case "", graph.StatusActive, graph.StatusCancelled, graph.StatusRevoked, graph.StatusMovedOut, graph.StatusOther:
		default:
			t.Fatalf("parseStatus(%q) = %q", s, st)
		}
		seen := map[string]bool{}
		for _, tag := range parseTags(s) {
			if tag == "" || seen[tag] {
				t.Fatalf("parseTags(%q): empty or repeated tag %q", s, tag)
			}
			seen[tag] = true
		}
	})
}

// FuzzTable feeds any bytes to the row reader of registry files (format
// and encoding detection, CSV, TSV, JSON Lines): it never panics, always
// ends, moves forward line by line, and refuses what it cannot read with
// ErrRejected or a row error, never a bare error.
func FuzzTable(f *testing.F) {
	for _, s := range []string{
		"企业名称,统一社会信用代码\n甲公司,91370613MA3C4X1Y2E\n",
		"\ufeff企业名称\t注册资本\n乙\t5000万\n",
		"名称;代码\n丙;1\n",
		"企业名称,经营范围\n\"甲\n公司\",\"电池\"\"正极\"\"材料\"\n",
		"企业名称,代码\n\"未闭合,1\n",
		"企业名称,代码\n甲\n",
		`{"企业名称":"甲","标签":["a","b"]}` + "\n" + `{"注册资本":5000,"x":{"y":1}}` + "\n",
		"{not json\n",
		"\xff\xfe\x00\x00",
		"\xff\xfea\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00",
		"\xd5\xc5\xc8\xfd,\xb4\xfa\xc2\xeb\n\xbc\xd7,1\n",
		"PK\x03\x04",
		"\xd0\xcf\x11\xe0",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := openTable(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("openTable: %v is not a rejection", err)
			}
			return
		}
		defer tb.Close()
		last := 0
		for i := 0; ; i++ {
			if i > len(b)+2 {
				t.Fatalf("more rows than bytes: Next does not end")
			}
			err := tb.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			var re *rowError
			switch {
			case errors.As(err, &re):
				if re.line < last {
					t.Fatalf("row error at line %d after line %d", re.line, last)
				}
				last = re.line
				continue
			case err != nil:
				if !errors.Is(err, ErrRejected) {
					t.Fatalf("Next: %v is not a rejection", err)
				}
				return
			}
			if tb.Line() < last {
				t.Fatalf("line %d after line %d", tb.Line(), last)
			}
			last = tb.Line()
			if _, ok := tb.(*jsonlTable); ok && len(tb.Values()) != len(tb.Header()) {
				t.Fatalf("JSON Lines row of %d values under %d headers", len(tb.Values()), len(tb.Header()))
			}
		}
	})
}

// FuzzSheetXML feeds any bytes to the streaming sheet reader as the XML of
// a worksheet: it never panics and always ends.
func FuzzSheetXML(f *testing.F) {
	for _, s := range []string{
		sheetHead + inlineRow(1, "企业名称", "代码") + inlineRow(2, "甲&amp;乙", "&#x4E2D;") + sheetTail,
		sheetHead + `<row r="1"><c r="B1" t="s"><v>0</v></c><c t="b"><v>1</v></c><c r="XFD1"><v>3</v></c></row>` + sheetTail,
		sheetHead + `<row r="1"><c t="inlineStr"><is><r><t>a</t></r><rPh><t>x</t></rPh><t><![CDATA[<b>]]></t></is></c></row>` + sheetTail,
		sheetHead + `<row r="1"><c t="inlineStr"><is><t>&bogus;</t></is></c></row>` + sheetTail,
		sheetHead + `<row r="1"><!-- a comment > with --><c r="A1"><v>1</v></c></row><row/>` + sheetTail,
		`<sheetData/>`,
		`<row r="1"><c r="ZZZZZZZZ1"><v>1</v></c>`,
		`<x a='>'>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x := &xlsxReader{tok: newXMLScanner(bytes.NewReader(b)), sst: &memStrings{buf: []byte("甲"), offs: []uint32{0, 3}}}
		for i := 0; ; i++ {
			if i > len(b)+2 {
				t.Fatalf("more rows than bytes: Next does not end")
			}
			row, err := x.Next()
			if err != nil {
				return
			}
			if len(row) > maxColumns {
				t.Fatalf("a row of %d cells", len(row))
			}
		}
	})
}
