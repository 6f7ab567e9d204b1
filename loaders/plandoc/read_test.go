package plandoc

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// The sentences of these tests are written for them, in the style of plans.
const (
	simpSentence = "到2025年，全市规模以上工业营业收入突破1万亿元，重点发展集成电路、生物医药等六大产业。"
	tradSentence = "到2025年，全市規模以上工業營業收入突破1萬億元，重點發展集成電路、生物醫藥等六大產業。"
)

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encoding test text: %v", err)
	}
	return b
}

func TestReadEncodings(t *testing.T) {
	utf16le := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM)
	utf16be := xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM)
	tests := []struct {
		name string
		in   []byte
		want string
		enc  string
	}{
		{"utf-8", []byte(simpSentence), simpSentence, "UTF-8"},
		{"utf-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, simpSentence...), simpSentence, "UTF-8"},
		{"gb18030", encode(t, simplifiedchinese.GB18030, simpSentence), simpSentence, "GB18030"},
		{"gbk", encode(t, simplifiedchinese.GBK, simpSentence), simpSentence, "GB18030"},
		{"big5", encode(t, traditionalchinese.Big5, tradSentence), tradSentence, "Big5"},
		{"utf-16le", encode(t, utf16le, simpSentence), simpSentence, "UTF-16LE"},
		{"utf-16be", encode(t, utf16be, simpSentence), simpSentence, "UTF-16BE"},
		{"utf-16le without BOM", encode(t, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), "Plan 2025: "+simpSentence), "Plan 2025: " + simpSentence, "UTF-16LE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(bytes.NewReader(tt.in), "plan.txt")
			if err != nil {
				t.Fatal(err)
			}
			if got.Raw != tt.want || got.Encoding != tt.enc {
				t.Errorf("Read = %q (%s), want %q (%s)", got.Raw, got.Encoding, tt.want, tt.enc)
			}
		})
	}
}

// A saved page: navigation, a breadcrumb, a sidebar, a footer, a comment
// box and scripts around one article, in GB2312 as its meta tag says.
const savedPage = `<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某市工业强市行动计划解读_某市人民政府</title>
<script>var nav = "首页";</script><style>.x{}</style></head>
<body>
<header><div class="logo">某市人民政府门户网站</div></header>
<nav><a href="/">首页</a> <a href="/zw">政务公开</a> <a href="/news">新闻中心</a></nav>
<div class="breadcrumb">您当前的位置：首页 &gt; 政策解读</div>
<div class="main">
<article>
<h1>某市工业强市行动计划解读</h1>
<p>到2025年，全市规模以上工业营业收入突破<b>5000亿元</b>，</p>
<p>重点培育高端装备、新材料、生物医药等三大主导产业。</p>
<table><tr><td>指标</td><td>目标值</td></tr><tr><td>高新技术企业</td><td>800家</td></tr></table>
</article>
<aside class="sidebar"><ul><li>热门新闻：某县新能源产业园开工</li></ul></aside>
<div id="comment-box" class="comments"><p>发表评论</p><form><textarea></textarea></form></div>
</div>
<footer>主办单位：某市人民政府办公室 ICP备12345号</footer>
<script>trackPage();</script>
</body></html>`

func TestReadHTMLStripsPageFurniture(t *testing.T) {
	b := encode(t, simplifiedchinese.GB18030, savedPage)
	got, err := Read(bytes.NewReader(b), "jiedu.html")
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != FormatHTML || got.TitleHint != "某市工业强市行动计划解读" {
		t.Errorf("format %s, title hint %q", got.Format, got.TitleHint)
	}
	for _, want := range []string{"突破5000亿元", "重点培育高端装备、新材料、生物医药等三大主导产业", "高新技术企业\t800家"} {
		if !strings.Contains(got.Raw, want) {
			t.Errorf("text lacks %q:\n%s", want, got.Raw)
		}
	}
	for _, furniture := range []string{"政务公开", "您当前的位置", "热门新闻", "发表评论", "ICP备", "trackPage", "门户网站"} {
		if strings.Contains(got.Raw, furniture) {
			t.Errorf("text keeps page furniture %q:\n%s", furniture, got.Raw)
		}
	}
	doc, err := Extract(got, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Industries) != 3 || doc.Title != "某市工业强市行动计划解读" {
		t.Errorf("industries %+v, title %q", doc.Industries, doc.Title)
	}
	if len(doc.Parks) != 0 {
		t.Errorf("a park from the sidebar: %+v", doc.Parks)
	}
}

// makeDocx writes a Word document: paragraphs (one split into runs, as
// Word does), a table, and a title in the core properties.
func makeDocx(t *testing.T, title string, paras []string, table [][]string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		// Split every paragraph into two runs, as editing leaves them.
		r := []rune(p)
		half := len(r) / 2
		fmt.Fprintf(&body, `<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>%s</w:t></w:r><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`,
			string(r[:half]), string(r[half:]))
	}
	if len(table) > 0 {
		body.WriteString("<w:tbl>")
		for _, row := range table {
			body.WriteString("<w:tr>")
			for _, cell := range row {
				fmt.Fprintf(&body, "<w:tc><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>", cell)
			}
			body.WriteString("</w:tr>")
		}
		body.WriteString("</w:tbl>")
	}
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`,
		"docProps/core.xml": `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + title + `</dc:title></cp:coreProperties>`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml", "docProps/core.xml"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadDocx(t *testing.T) {
	b := makeDocx(t, "某区数字经济发展三年行动方案",
		[]string{
			"某区数字经济发展三年行动方案",
			"到2025年，全区数字经济核心产业增加值占地区生产总值比重达到12%以上。",
			"前瞻布局元宇宙、脑机接口等未来产业。",
		},
		[][]string{{"指标", "2025年目标"}, {"软件业务收入", "300亿元"}})
	got, err := Read(bytes.NewReader(b), "fangan.docx")
	if err != nil {
		t.Fatal(err)
	}
	if got.Format != FormatDocx || got.TitleHint != "某区数字经济发展三年行动方案" {
		t.Errorf("format %s, title hint %q", got.Format, got.TitleHint)
	}
	for _, want := range []string{"比重达到12%以上。", "软件业务收入\t300亿元"} {
		if !strings.Contains(got.Raw, want) {
			t.Errorf("text lacks %q:\n%s", want, got.Raw)
		}
	}
	doc, err := Extract(got, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Indicators) != 1 || *doc.Indicators[0].Value != 12 || doc.Indicators[0].Year != 2025 {
		t.Errorf("indicators = %+v", doc.Indicators)
	}
	if len(doc.Industries) != 2 || doc.Industries[0].Role != "future" {
		t.Errorf("industries = %+v", doc.Industries)
	}
	if _, err := Read(strings.NewReader("PK\x03\x04 not really a zip"), "broken.docx"); !errors.Is(err, ErrFormat) {
		t.Errorf("a broken docx: err = %v, want ErrFormat", err)
	}
}

// makePDF writes a one-page PDF whose page draws content, with the
// cross-reference table a reader needs.
func makePDF(content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestReadPDF(t *testing.T) {
	// A scan: the page only draws; there is no text to read.
	_, err := Read(bytes.NewReader(makePDF("q 0 0 m 200 200 l S Q")), "scan.pdf")
	if !errors.Is(err, ErrNoText) || !strings.Contains(err.Error(), "without a text layer") {
		t.Errorf("a PDF without text: err = %v, want ErrNoText saying so", err)
	}
	// A PDF with a text layer is read.
	got, err := Read(bytes.NewReader(makePDF("BT /F1 12 Tf 20 200 Td (Plan 2025) Tj ET")), "text.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Raw, "Plan 2025") || got.Format != FormatPDF {
		t.Errorf("text layer = %q (%s)", got.Raw, got.Format)
	}
	// Not a PDF at all.
	if _, err := Read(strings.NewReader("%PDF-1.4 garbage"), "bad.pdf"); !errors.Is(err, ErrFormat) {
		t.Errorf("a broken PDF: err = %v, want ErrFormat", err)
	}
}

func TestReadEmpty(t *testing.T) {
	if _, err := Read(strings.NewReader(" \n\t\n"), "empty.txt"); !errors.Is(err, ErrNoText) {
		t.Errorf("empty text: err = %v, want ErrNoText", err)
	}
}

func TestReadMarkdown(t *testing.T) {
	md := "# 某市先进制造业集群培育方案\n\n**重点培育**高端装备、[新材料](https://example.com/x)、生物医药等三大产业集群。\n"
	got, err := Read(strings.NewReader(md), "fangan.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Extract(got, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range doc.Clusters {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "高端装备,新材料,生物医药" {
		t.Errorf("clusters = %v", names)
	}
	if ev := doc.Clusters[1].Evidence; ev.Quote != "新材料" || string([]rune(md)[ev.Start:ev.End]) != "新材料" {
		t.Errorf("evidence of 新材料 = %+v", ev)
	}
}

func TestReadHTMLBig5(t *testing.T) {
	page := `<html><head><meta charset="big5"><title>規劃</title></head><body>` +
		`<div class="nav">首頁 | 政府資訊</div><div class="content"><h1>某縣產業發展規劃解讀</h1>` +
		`<p>重點發展綠色食品、新型建材等兩大主導產業。</p></div></body></html>`
	got, err := Read(bytes.NewReader(encode(t, traditionalchinese.Big5, page)), "page.htm")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(got.Encoding, "big5") || strings.Contains(got.Raw, "政府資訊") || !strings.Contains(got.Raw, "綠色食品") {
		t.Errorf("encoding %q, text %q", got.Encoding, got.Raw)
	}
	d, err := Extract(got, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "某县产业发展规划解读" || len(d.Industries) != 2 || d.Industries[0].Name != "绿色食品" {
		t.Errorf("title %q, industries %+v", d.Title, d.Industries)
	}
}
