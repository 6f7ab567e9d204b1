package loaders

import (
	"archive/zip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeZip writes an archive of the given parts.
func writeZip(t *testing.T, path string, parts map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// A workbook as other writers make them: a namespace prefix, the sheet
// not named sheet1, rich-text and phonetic runs in shared strings,
// entities, CDATA, sparse and unreferenced cells, booleans, a formula.
var handWorkbook = map[string]string{
	"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
	"xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:sheets><x:sheet name="企业名单" sheetId="1" r:id="rId7"/><x:sheet name="说明" sheetId="2" r:id="rId8"/></x:sheets></x:workbook>`,
	"xl/_rels/workbook.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId8" Type="worksheet" Target="worksheets/other.xml"/>
<Relationship Id="rId7" Type="worksheet" Target="/xl/worksheets/data.xml"/></Relationships>`,
	"xl/sharedStrings.xml": `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5">
<si><t>企业名称</t></si><si><t xml:space="preserve">注册资本 </t></si>
<si><r><rPr><b/></rPr><t>烟台</t></r><r><t>某某&amp;有限公司</t></r><rPh sb="0" eb="2"><t>ヤンタイ</t></rPh></si>
<si><t/></si><si><t>标签</t></si></sst>`,
	"xl/worksheets/data.xml": `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<x:dimension ref="A1:D4"/><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="D1" t="s"><x:v>4</x:v></x:c></x:row>
<!-- a comment <row> -->
<x:row r="3" spans="1:4"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="B3"><x:f>100*50</x:f><x:v>5000</x:v></x:c><x:c r="D3" t="inlineStr"><x:is><x:t><![CDATA[专精特新<小巨人>]]></x:t></x:is></x:c></x:row>
<x:row r="4"><x:c t="inlineStr"><x:is><x:t>&#x4E2D;&#20013;&quot;公司&quot;</x:t></x:is></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c/><x:c t="s"><x:v>3</x:v></x:c></x:row>
<x:row r="5"/>
</x:sheetData></x:worksheet>`,
	"xl/worksheets/other.xml": `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>`,
}

func TestXLSXReader(t *testing.T) {
	for _, limit := range []uint64{64 << 20, 0} { // in memory, then spilled to disk
		sstInMemory = limit
		p := filepath.Join(t.TempDir(), "hand.xlsx")
		writeZip(t, p, handWorkbook)
		x, err := openXLSXFile(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		var rows [][]string
		var lines []int
		for {
			r, err := x.Next()
			if err != nil {
				break
			}
			rows = append(rows, slices.Clone(r))
			lines = append(lines, x.Line())
		}
		x.Close()
		want := [][]string{
			{"企业名称", "注册资本 ", "", "标签"},
			{"烟台某某&有限公司", "5000", "", "专精特新<小巨人>"},
			{"中中\"公司\"", "TRUE", "", ""},
		}
		if !slices.EqualFunc(rows, want, slices.Equal[[]string]) || !slices.Equal(lines, []int{1, 3, 4}) {
			t.Errorf("limit %d: rows %q lines %v, want %q", limit, rows, lines, want)
		}
	}
	sstInMemory = 64 << 20
}

func TestXLSXReaderBroken(t *testing.T) {
	dir := t.TempDir()
	for name, parts := range map[string]map[string]string{
		"no workbook": {"xl/worksheets/sheet1.xml": "<worksheet/>"},
		"missing sheet": {"xl/workbook.xml": handWorkbook["xl/workbook.xml"],
			"xl/_rels/workbook.xml.rels": handWorkbook["xl/_rels/workbook.xml.rels"]},
	} {
		p := filepath.Join(dir, "b.xlsx")
		writeZip(t, p, parts)
		if x, err := openXLSXFile(p, nil); err == nil {
			x.Close()
			t.Errorf("%s: opened", name)
		}
	}
	// A sheet cut off mid-row.
	parts := map[string]string{}
	for k, v := range handWorkbook {
		parts[k] = v
	}
	sheet := handWorkbook["xl/worksheets/data.xml"]
	parts["xl/worksheets/data.xml"] = sheet[:strings.Index(sheet, "<x:row r=\"3\"")] // cut between rows
	p := filepath.Join(dir, "cut.xlsx")
	writeZip(t, p, parts)
	x, err := openXLSXFile(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var last error
	for i := 0; i < 10 && last == nil; i++ {
		_, last = x.Next()
	}
	if last == nil || last.Error() == "EOF" {
		t.Errorf("a cut sheet read to a clean end: %v", last)
	}
}
