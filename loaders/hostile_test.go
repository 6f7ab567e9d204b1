package loaders

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders/plandoc"
	"github.com/chainkg/chainkg/loaders/zipguard"
)

// Hostile inputs: each is refused with a reason that says what is wrong,
// and leaves the source it would have replaced as it was.

const (
	workbookXML = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`
	relsXML     = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
	sheetHead   = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail   = `</sheetData></worksheet>`
)

// inlineRow is a sheet row of inline strings.
func inlineRow(n int, cells ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, n)
	for i, c := range cells {
		fmt.Fprintf(&b, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, n, c)
	}
	b.WriteString(`</row>`)
	return b.String()
}

// zipFile is one entry of a hand-made archive. raw entries are written as
// they are, with the sizes given, which need not be true: only the
// directory is read before the guard refuses them.
type zipFile struct {
	name               string
	body               string
	raw                bool
	compressed, inflat uint64
}

func makeZip(t testing.TB, files ...zipFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		var err error
		if f.raw {
			var w interface{ Write([]byte) (int, error) }
			w, err = zw.CreateRaw(&zip.FileHeader{Name: f.name, Method: zip.Deflate,
				CompressedSize64: f.compressed, UncompressedSize64: f.inflat, CRC32: crc32.ChecksumIEEE(nil)})
			if err == nil {
				_, err = w.Write([]byte(f.body))
			}
		} else {
			var w interface{ Write([]byte) (int, error) }
			w, err = zw.Create(f.name)
			if err == nil {
				_, err = w.Write([]byte(f.body))
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// workbook is a workbook whose first sheet is sheet (without head and tail
// unless raw).
func workbook(t testing.TB, sheet string, extra ...zipFile) []byte {
	t.Helper()
	files := append([]zipFile{
		{name: "xl/workbook.xml", body: workbookXML},
		{name: "xl/_rels/workbook.xml.rels", body: relsXML},
		{name: "xl/worksheets/sheet1.xml", body: sheetHead + sheet + sheetTail},
	}, extra...)
	return makeZip(t, files...)
}

func manyEntries(n int) []zipFile {
	out := make([]zipFile, n)
	for i := range out {
		out[i] = zipFile{name: fmt.Sprintf("xl/media/%d.bin", i)}
	}
	return out
}

// sourceState is what must not change when a load is refused.
type sourceState struct {
	version, hash string
	quads         int
}

func stateOf(t *testing.T, st *store.Store, id graph.SourceID) sourceState {
	t.Helper()
	for _, s := range st.Index().Sources() {
		if s.ID == id {
			return sourceState{s.Version, s.Hash, st.Index().Stats().Quads}
		}
	}
	t.Fatalf("source %s not loaded", id)
	return sourceState{}
}

// TestHostileRegistryFiles loads a good registry, then hostile files under
// the same names: each load fails with its reason, the good version stays.
func TestHostileRegistryFiles(t *testing.T) {
	ctx := context.Background()
	st := fixtureStore(t)
	dir := t.TempDir()
	good := csvBytes(qccRows(t), ",")
	goodRow := qccRows(t)[1]
	header := qccRows(t)[0]
	for _, name := range []string{"firms.csv", "firms.xlsx", "firms.jsonl"} {
		p := filepath.Join(dir, name)
		data := good
		if strings.HasSuffix(name, ".xlsx") {
			writeXLSX(t, p, qccRows(t))
			data, _ = os.ReadFile(p)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadFile(ctx, st, "registry", p, FileOptions{}); err != nil && !strings.HasSuffix(name, ".jsonl") {
			t.Fatal(err)
		}
	}
	defer func(m int64) { maxRecord = m }(maxRecord)
	maxRecord = 1 << 20 // the limit is 8 MB; 1 MB keeps the test quick
	rnd := rand.New(rand.NewPCG(8, 8))
	garbage := make([]byte, 256<<10)
	for i := range garbage {
		garbage[i] = byte(rnd.IntN(256))
	}
	// letters is random text, which compresses little, so a workbook of it
	// passes the zip guard and meets the sheet reader's own limits.
	letters := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('a' + rnd.IntN(26))
		}
		return string(b)
	}
	huge := strings.Repeat("经营范围很长", int(maxRecord)/9)         // twice maxRecord
	bomb := sheetHead + strings.Repeat(" ", 4<<20) + sheetTail // inflates ~1000×
	cases := []struct {
		name string
		data []byte
		opt  FileOptions
		want string
	}{
		// CSV: a field that never closes, one that is merely huge, binary garbage, more rows than allowed.
		{"firms.csv", append(csvBytes([][]string{header}, ","), []byte(`"`+huge)...), FileOptions{}, "record longer than"},
		{"firms.csv", csvBytes([][]string{header, append([]string{huge}, goodRow[1:]...)}, ","), FileOptions{}, "record longer than"},
		{"firms.csv", garbage, FileOptions{}, ""},
		{"firms.csv", csvBytes([][]string{header, goodRow, goodRow, goodRow}, ","), FileOptions{Options: Options{MaxRows: 2}}, "more than 2 rows"},
		// XLSX: a bomb (ratio), too many entries, sizes beyond the limits (declared, never inflated).
		{"firms.xlsx", makeZip(t, zipFile{name: "xl/workbook.xml", body: workbookXML}, zipFile{name: "xl/_rels/workbook.xml.rels", body: relsXML},
			zipFile{name: "xl/worksheets/sheet1.xml", body: bomb}), FileOptions{}, "more than 200×"},
		{"firms.xlsx", workbook(t, inlineRow(1, "企业名称"), manyEntries(zipguard.Default.Entries)...), FileOptions{}, "entries"},
		{"firms.xlsx", workbook(t, inlineRow(1, "企业名称"), zipFile{name: "xl/media/a.bin", raw: true, compressed: 100 << 20, inflat: 5 << 30}), FileOptions{}, "inflates to"},
		{"firms.xlsx", workbook(t, inlineRow(1, "企业名称"),
			zipFile{name: "xl/media/a.bin", raw: true, compressed: 100 << 20, inflat: 3 << 30},
			zipFile{name: "xl/media/b.bin", raw: true, compressed: 100 << 20, inflat: 3 << 30},
			zipFile{name: "xl/media/c.bin", raw: true, compressed: 100 << 20, inflat: 3 << 30}), FileOptions{}, "in all"},
		// XLSX: external entities and entity expansion are not resolved; a cell that uses one is refused.
		{"firms.xlsx", workbook(t, `<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`+inlineRow(1, "企业名称")+inlineRow(2, "&xxe;")), FileOptions{}, "unknown entity &xxe;"},
		{"firms.xlsx", workbook(t, `<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>`+
			inlineRow(1, "企业名称")+inlineRow(2, "&c;")), FileOptions{}, "unknown entity &c;"},
		{"firms.xlsx", makeZip(t, zipFile{name: "xl/workbook.xml", body: `<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><workbook>&xxe;</workbook>`},
			zipFile{name: "xl/worksheets/sheet1.xml", body: sheetHead + sheetTail}), FileOptions{}, "entity"},
		// XLSX: a cell's text, a tag, a row past the limits.
		{"firms.xlsx", workbook(t, inlineRow(1, "企业名称")+inlineRow(2, letters(maxText+1))), FileOptions{}, "longer than any workbook"},
		{"firms.xlsx", workbook(t, inlineRow(1, "企业名称")+`<row r="2"><c r="A2" t="inlineStr" x="`+letters(maxTag)+`"/></row>`), FileOptions{}, "longer than any workbook"},
		{"firms.xlsx", workbook(t, inlineRow(1, "企业名称")+`<row r="2">`+strings.Repeat(`<c t="inlineStr"><is><t>a</t></is></c>`, maxColumns+1)+`</row>`), FileOptions{}, "cells in a row"},
		// JSON Lines: a line past the scanner's bound.
		{"firms.jsonl", []byte(`{"企业名称":"` + strings.Repeat("长", 6<<20) + `"}` + "\n"), FileOptions{}, "longer than 16 MB"},
	}
	for _, tc := range cases {
		id, _ := graph.NewSourceID(graph.KindRegistry, tc.name)
		var before sourceState
		if !strings.HasSuffix(tc.name, ".jsonl") {
			before = stateOf(t, st, id)
		}
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := LoadFile(ctx, st, "registry", p, tc.opt)
		if err == nil || !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s (%d bytes, want %q): err = %.300v", tc.name, len(tc.data), tc.want, err)
		}
		if err != nil && strings.Contains(err.Error(), "root:") {
			t.Errorf("%s: the error shows a file the input pointed at: %.300v", tc.name, err)
		}
		if !strings.HasSuffix(tc.name, ".jsonl") {
			if after := stateOf(t, st, id); after != before {
				t.Errorf("%s (want %q): the source changed: %+v → %+v", tc.name, tc.want, before, after)
			}
		}
	}
}

// TestHostileRows: rows that are hostile on their own are rejected with
// their line, and the rest of the file loads.
func TestHostileRows(t *testing.T) {
	st := fixtureStore(t)
	const nested = 100_000
	jsonl := `{"企业名称":"甲公司","统一社会信用代码":"` + creditCode(t, "91370613MA3C4X1Y2") + `"}` + "\n" +
		`{"企业名称":"乙公司","标签":` + strings.Repeat("[", nested) + strings.Repeat("]", nested) + "}\n" +
		`{"企业名称":"丙公司"}` + "\n"
	csvNUL := "企业名称,统一社会信用代码\n甲\x00公司,\n乙公司,\n"
	for _, tc := range []struct {
		name, data string
		line       int
		want       string
	}{
		{"deep.jsonl", jsonl, 2, "depth"},
		{"nul.csv", csvNUL, 2, "NUL"},
	} {
		rep, c := readAll(t, st, tc.name, []byte(tc.data))
		if len(rep.Rejected) != 1 || rep.Rejected[0].Line != tc.line || !strings.Contains(rep.Rejected[0].Error(), tc.want) {
			t.Errorf("%s: rejected %v, want line %d: %q", tc.name, rep.Rejected, tc.line, tc.want)
		}
		for _, f := range firmsOf(c) {
			if strings.ContainsRune(f.Name, 0) {
				t.Errorf("%s: a firm named %q loaded", tc.name, f.Name)
			}
		}
		if n := len(firmsOf(c)); n != 2 && tc.name == "deep.jsonl" || n != 1 && tc.name == "nul.csv" {
			t.Errorf("%s: %d firms loaded", tc.name, n)
		}
	}
}

// TestHostilePlanDocuments: a Word document that is a zip bomb, holds
// entity declarations or external entities, or is huge inside, and a page
// nested past any real page, are refused with a reason, never expanded.
func TestHostilePlanDocuments(t *testing.T) {
	doc := func(body string) string {
		return `<?xml version="1.0" encoding="UTF-8"?>` + body
	}
	para := `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>`
	cases := []struct {
		name string
		data []byte
		err  error
		want string
	}{
		{"bomb.docx", makeZip(t, zipFile{name: "word/document.xml", body: doc(fmt.Sprintf(para, strings.Repeat(" ", 8<<20)))}), plandoc.ErrFormat, "more than 200×"},
		{"many.docx", makeZip(t, append([]zipFile{{name: "word/document.xml", body: doc(fmt.Sprintf(para, "十四五规划"))}}, manyEntries(5001)...)...), plandoc.ErrFormat, "entries"},
		{"big.docx", makeZip(t, zipFile{name: "word/document.xml", raw: true, compressed: 1 << 20, inflat: 100 << 20}), plandoc.ErrFormat, "more than the 64 MB"},
		{"xxe.docx", makeZip(t, zipFile{name: "word/document.xml", body: doc(`<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>` + fmt.Sprintf(para, "&xxe;"))}), plandoc.ErrFormat, "entity"},
		{"laughs.docx", makeZip(t, zipFile{name: "word/document.xml", body: doc(`<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` + fmt.Sprintf(para, "&b;"))}), plandoc.ErrFormat, "entity"},
		// encoding/xml's Token is iterative: nesting costs no stack.
		{"deep.docx", makeZip(t, zipFile{name: "word/document.xml", body: doc(strings.Repeat("<w:p>", 60_000) + strings.Repeat("</w:p>", 60_000))}), plandoc.ErrNoText, "empty"},
		{"deep.html", []byte("<html><body>" + strings.Repeat("<div>", 100_000) + "十四五规划</body></html>"), plandoc.ErrFormat, "exceeds"},
	}
	for _, tc := range cases {
		txt, err := plandoc.Read(bytes.NewReader(tc.data), tc.name)
		if err == nil || !errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %.300v, want %q", tc.name, err, tc.want)
		}
		if txt != nil && strings.Contains(txt.Raw, "root:") {
			t.Errorf("%s: the text holds a file the document pointed at", tc.name)
		}
	}
}

// TestZipGuardDirectoryOnly: the guard judges an archive by its directory,
// and archive/zip will not inflate an entry past what the directory
// declares, so a lying directory cannot slip a bomb past it.
func TestZipGuardDirectoryOnly(t *testing.T) {
	// A 4 MB entry of zeros, its directory made to say 1 KB.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("xl/worksheets/sheet1.xml")
	w.Write(make([]byte, 4<<20))
	zw.Close()
	b := buf.Bytes()
	// Patch the central directory's uncompressed size (offset 24 of the header).
	cd := bytes.LastIndex(b, []byte("PK\x01\x02"))
	b[cd+24], b[cd+25], b[cd+26], b[cd+27] = 0, 4, 0, 0 // 1024
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := zipguard.Check(zr.File, zipguard.Default); err != nil {
		t.Fatalf("the lying directory was refused by its sizes: %v", err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	n, err := bytes.NewBuffer(nil).ReadFrom(rc)
	if !errors.Is(err, zip.ErrFormat) || n > 1024+32<<10 {
		t.Errorf("inflating past the declared size: %d bytes, err %v", n, err)
	}
}

// The values a hostile tester found stored silently wrong (issue 19) are
// each parsed right or reported with line, column and reason.
func TestRegistryValuesRightOrFlagged(t *testing.T) {
	st := fixtureStore(t)
	type want struct {
		loaded   int
		rejected map[int]string // line → a word of the reason
		warned   map[int]string // line → a word of the warning
		check    func(t *testing.T, fs []graph.Firm)
	}
	cases := []struct {
		name, data string
		want       want
	}{
		{"stray-byte", "企业名称,统一社会信用代码,注册地址\n烟台甲新能源汽车有限公司,913706021000025056,山东省烟台市芝罘区\xa0南大街1号\n",
			want{loaded: 1, warned: map[int]string{2: "U+FFFD"}, check: func(t *testing.T, fs []graph.Firm) {
				if fs[0].Name != "烟台甲新能源汽车有限公司" || fs[0].Address != "山东省烟台市芝罘区\uFFFD南大街1号" {
					t.Errorf("read as %q %q", fs[0].Name, fs[0].Address)
				}
			}}},
		{"title-row", "企查查数据使用声明：仅供参考\n企业名称,统一社会信用代码\n烟台甲新能源汽车有限公司,913706021000025056\n",
			want{loaded: 1, warned: map[int]string{1: "数据使用声明"}}},
		{"year", "企业名称,统一社会信用代码,成立日期,成立年份\n甲公司,913706021000025056,2019,2018\n",
			want{loaded: 1, check: func(t *testing.T, fs []graph.Firm) {
				f := fs[0]
				if f.Founded != "" || !slices.Contains(f.Attrs, graph.Attr{Key: "成立日期", Value: "2019"}) || !slices.Contains(f.Attrs, graph.Attr{Key: "成立年份", Value: "2018"}) {
					t.Errorf("founded %q attrs %v", f.Founded, f.Attrs)
				}
			}}},
		{"header-currency", "企业名称,统一社会信用代码,注册资本（万美元）\n甲公司,913706021000025056,500\n",
			want{loaded: 1, check: func(t *testing.T, fs []graph.Firm) {
				if fs[0].Capital != 500 || fs[0].Currency != "USD" {
					t.Errorf("capital %v %q", fs[0].Capital, fs[0].Currency)
				}
			}}},
		{"unquoted-comma", "企业名称,统一社会信用代码,注册地址,经营范围\n甲公司,913706021000025056,烟台市芝罘区南大街1号,2楼,锂离子电池生产\n乙公司,91370602100002548K,烟台市芝罘区,充电桩\n",
			want{loaded: 1, rejected: map[int]string{2: "quote"}}},
		{"magnitude", "企业名称,统一社会信用代码,注册资本\n甲公司,913706021000025056,1e20万元\n乙公司,91370602100002548K,100000000000000000000万元\n",
			want{loaded: 2, warned: map[int]string{2: "1e20万元", 3: "more than any"}, check: func(t *testing.T, fs []graph.Firm) {
				if fs[0].Capital != 0 || fs[1].Capital != 0 {
					t.Errorf("capitals %v %v", fs[0].Capital, fs[1].Capital)
				}
			}}},
		{"width", "企业名称,统一社会信用代码,注册资本\n甲公司,913706021000025056\n乙公司,91370602100002548K,100,,\n",
			want{loaded: 2, warned: map[int]string{2: "2 cells under a header of 3"}}},
		{"duplicates", "企业名称,统一社会信用代码,注册资本\n甲公司,913706021000025056,5000\n甲公司,913706021000025056,6000\n甲公司,913706021000025056,5000万元\n",
			want{loaded: 3, warned: map[int]string{3: "line 2"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c collect
			rep, err := ReadRegistry(t.Context(), Input{R: strings.NewReader(tc.data), File: tc.name + ".csv", Lookups: LookupsOf(st.Index())}, &c)
			if err != nil {
				t.Fatal(err)
			}
			fs := firmsOf(&c)
			if rep.Loaded != tc.want.loaded || len(rep.Rejected) != len(tc.want.rejected) {
				t.Fatalf("loaded %d rejected %v; want %d and %v", rep.Loaded, rep.Rejected, tc.want.loaded, tc.want.rejected)
			}
			for _, r := range rep.Rejected {
				if w, ok := tc.want.rejected[r.Line]; !ok || !strings.Contains(r.Error(), w) {
					t.Errorf("rejection %v; want %v", r, tc.want.rejected)
				}
			}
			for line, w := range tc.want.warned {
				if !slices.ContainsFunc(rep.Warnings, func(e *ParseError) bool { return e.Line == line && strings.Contains(e.Error(), w) }) {
					t.Errorf("no warning at line %d with %q: %v", line, w, rep.Warnings)
				}
			}
			if tc.name == "duplicates" && rep.Counts["warnings:duplicate-conflict"] != 1 {
				t.Errorf("conflicting duplicates warned %d times: %v", rep.Counts["warnings:duplicate-conflict"], rep.Warnings)
			}
			if tc.want.check != nil {
				tc.want.check(t, fs)
			}
		})
	}
}

// Files with no table in them are refused, naming what is missing.
func TestRegistryNoTable(t *testing.T) {
	st := fixtureStore(t)
	for name, data := range map[string]string{
		"blank.csv":   "\n\n   \n",
		"foobar.csv":  "foo,bar\n1,2\n",
		"title.csv":   "企业名单\n",
		"garbage.csv": "\x00\x01\x02\x03binary",
	} {
		_, err := ReadRegistry(t.Context(), Input{R: strings.NewReader(data), File: name, Lookups: LookupsOf(st.Index())}, &collect{})
		if !errors.Is(err, ErrRejected) {
			t.Errorf("%s: err = %v, want a rejection", name, err)
		}
	}
}
