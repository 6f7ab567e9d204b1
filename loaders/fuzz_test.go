package loaders

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

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

// FuzzRegistry feeds any bytes to the registry loader, seeded with the
// shapes a hostile tester and the vendors' exports have (title rows above
// the header, a stray byte in UTF-8, years, header units and currencies,
// shifted rows, implausible capitals, conflicting duplicates, combined
// 注册号/信用代码 cells, batch rows that matched nothing, an XLSX with a
// merged title and a two-row header, the 爱企查 .xls). It never panics; it refuses a file
// only with ErrRejected; and what it stores is well formed: a name, an id,
// valid UTF-8, a capital within bounds, a founding date that is a day.
func FuzzRegistry(f *testing.F) {
	for _, s := range []string{
		"企业名称,统一社会信用代码\n烟台甲新能源汽车有限公司,913706021000025056\n",
		"\n\n   \n",
		"foo,bar\n1,2\n",
		"企查查数据使用声明\n企业名称,统一社会信用代码\n烟台甲新能源汽车有限公司,913706021000025056\n",
		"企业名称,统一社会信用代码\n烟台甲新能源汽车有限公司\xa0,913706021000025056\n",
		"企业名称,统一社会信用代码,成立日期,成立年份\n甲,913706021000025056,2019,2019\n",
		"企业名称,注册资本（万美元）,注册资本(元),实缴资本(亿元)\n甲,500,1.2E+7,3\n",
		"企业名称,统一社会信用代码,注册地址,经营范围\n甲,913706021000025056,烟台市芝罘区1号,2楼,电池\n",
		"企业名称,注册资本\n甲,1e20万元\n乙,100000000000000000000万元\n丙,***\n",
		"企业名称,统一社会信用代码,注册资本\n甲,913706021000025056,5000\n甲,913706021000025056,6000\n",
		"企业名称,注册号/统一社会信用代码,住所,营业期限自,营业期限至\n甲,370611200012345,山东省烟台市福山区,1995年05月05日,长期\n乙,91370602100002548K,烟台市,2001-01-01,2031-01-01\n",
		"原文件导入名称,系统匹配企业名称,统一社会信用代码\n丙,未匹配到相关企业,-\n",
		"企业名称,所属行业,营业期限,有效手机号\n甲,制造业 > 电池制造 > 锂离子电池制造（C3841）,1997-01-28 至 无固定期限,0535-1;138\n",
		"序号,企业名称\n,\n1,甲\n数据来源：某局\n序号,企业名称\n2,乙\n",
		"\xd5\xc5\xc8\xfd,\xb4\xfa\xc2\xeb\n\xbc\xd7,1\n",
	} {
		f.Add([]byte(s))
	}
	var xb bytes.Buffer
	x := excelize.NewFile()
	for i, r := range [][]any{{"重点企业名单"}, {"序号", "企业名称", "基本信息", nil, "注册资本(万元)"}, {nil, nil, "统一社会信用代码", "成立日期", nil},
		{1, "烟台甲电池有限公司", "913706021000025056", 43525, 13400}, {"数据来源：某局"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow("Sheet1", cell, &r)
	}
	x.MergeCell("Sheet1", "A1", "E1")
	x.MergeCell("Sheet1", "C2", "D2")
	if err := x.Write(&xb); err != nil {
		f.Fatal(err)
	}
	x.Close()
	f.Add(xb.Bytes())
	if b, err := os.ReadFile(filepath.Join("testdata", "xls", "【爱企查】-新能源.xls")); err == nil {
		f.Add(b)
	} else {
		f.Fatal(err)
	}
	st := fixtureStore(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		var c collect
		rep, err := ReadRegistry(t.Context(), Input{R: bytes.NewReader(b), File: "fuzz.csv", Lookups: LookupsOf(st.Index())}, &c)
		if err != nil {
			if !errors.Is(err, ErrRejected) {
				t.Fatalf("ReadRegistry: %v is not a rejection", err)
			}
			return
		}
		fs := firmsOf(&c)
		if rep.Loaded != len(fs) || rep.Loaded > rep.Rows {
			t.Fatalf("loaded %d, put %d, rows %d", rep.Loaded, len(fs), rep.Rows)
		}
		for _, fm := range fs {
			if fm.Name == "" || fm.ID == "" || !utf8.ValidString(fm.Name) || !utf8.ValidString(fm.Address) || !utf8.ValidString(fm.Scope) {
				t.Fatalf("firm %+v", fm)
			}
			for _, a := range fm.Attrs {
				if !utf8.ValidString(a.Key) || !utf8.ValidString(a.Value) {
					t.Fatalf("attribute %q: not UTF-8", a)
				}
			}
			for _, v := range []float64{fm.Capital, fm.PaidIn, fm.Revenue} {
				if v < 0 || v > maxCapital || math.IsNaN(v) {
					t.Fatalf("firm %s: amount %v", fm.Name, v)
				}
			}
			if fm.Founded != "" {
				if _, err := time.Parse(time.DateOnly, fm.Founded); err != nil {
					t.Fatalf("firm %s: founded %q", fm.Name, fm.Founded)
				}
			}
			if cc, ok := fm.ID.CreditCode(); ok {
				if _, err := graph.ParseCreditCode(string(cc)); err != nil {
					t.Fatalf("firm %s: id %s: %v", fm.Name, fm.ID, err)
				}
			}
		}
	})
}

// FuzzXLS feeds any bytes to the .xls reader, seeded with the LibreOffice
// fixtures and cuts of them: it never panics, always ends, and refuses
// what it cannot read with errXLS.
func FuzzXLS(f *testing.F) {
	for _, name := range []string{"many-strings.xls", "【爱企查】-新能源.xls"} {
		b, err := os.ReadFile(filepath.Join("testdata", "xls", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		sh, err := readXLS(bytesReaderAt(b), int64(len(b)))
		if err != nil {
			if !errors.Is(err, errXLS) {
				t.Fatalf("readXLS: %v is not errXLS", err)
			}
			return
		}
		for _, r := range sh.rows {
			if len(r) > 256 {
				t.Fatalf("a row of %d cells", len(r))
			}
		}
	})
}
