package plandoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/ledongthuc/pdf"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/chainkg/chainkg/loaders/zipguard"
)

// Errors of reading a document.
var (
	// ErrNoText is returned for a document with no text to read: a PDF
	// without a text layer (a scan), an empty file.
	ErrNoText = errors.New("plandoc: the document has no text")
	// ErrFormat is returned for a file that is not one of the formats read.
	ErrFormat = errors.New("plandoc: unsupported document format")
)

// maxDocument bounds the bytes read of one document. Plans are a few hundred
// KB; a file far larger is not a plan.
const maxDocument = 64 << 20

// Format is a document's file format.
type Format string

// Formats read.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
	FormatDocx     Format = "docx"
	FormatPDF      Format = "pdf"
)

// Text is a document's text as read, before normalisation. Evidence offsets
// count runes of Raw.
type Text struct {
	Name     string // the file's base name
	Format   Format
	Encoding string // the character encoding the bytes were decoded from
	Raw      string
	// TitleHint is a title the container gives (an HTML <title> or <h1>, a
	// docx's core properties), used when the text names none.
	TitleHint string
}

// Read reads a document: its format from the name's extension (or, when
// that says nothing, from the bytes), its encoding from the bytes.
func Read(r io.Reader, name string) (*Text, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxDocument+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxDocument {
		return nil, fmt.Errorf("%w: %s is larger than %d MB", ErrFormat, name, maxDocument>>20)
	}
	t := &Text{Name: filepath.Base(name), Format: sniffFormat(name, b)}
	switch t.Format {
	case FormatHTML:
		err = readHTML(t, b)
	case FormatDocx:
		err = readDocx(t, b)
	case FormatPDF:
		err = readPDF(t, b)
	default:
		t.Raw, t.Encoding = decodeText(b)
	}
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(t.Raw) == "" {
		return nil, fmt.Errorf("%w: %s is empty", ErrNoText, t.Name)
	}
	return t, nil
}

// sniffFormat decides a document's format by its extension, then its bytes.
func sniffFormat(name string, b []byte) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".html", ".htm", ".xhtml", ".shtml":
		return FormatHTML
	case ".docx":
		return FormatDocx
	case ".pdf":
		return FormatPDF
	case ".md", ".markdown":
		return FormatMarkdown
	case ".txt", ".text":
		return FormatText
	}
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return FormatPDF
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return FormatDocx
	}
	head := strings.ToLower(string(b[:min(len(b), 1024)]))
	if strings.Contains(head, "<html") || strings.Contains(head, "<!doctype html") || strings.Contains(head, "<body") {
		return FormatHTML
	}
	return FormatText
}

// decodeText turns bytes of unknown encoding into a string: a byte-order
// mark decides; valid UTF-8 is UTF-8; otherwise UTF-16 (many zero bytes),
// GB18030 or Big5, whichever yields the more common Chinese characters.
func decodeText(b []byte) (string, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:]), "UTF-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), b[2:]), "UTF-16LE"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), b[2:]), "UTF-16BE"
	}
	if utf8.Valid(b) {
		return string(b), "UTF-8"
	}
	type cand struct {
		name string
		enc  encoding.Encoding
	}
	cands := []cand{
		{"GB18030", simplifiedchinese.GB18030},
		{"Big5", traditionalchinese.Big5},
	}
	if zeros := bytes.Count(b, []byte{0}); zeros*10 > len(b) {
		cands = append([]cand{
			{"UTF-16LE", xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)},
			{"UTF-16BE", xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)},
		}, cands...)
	}
	best, bestName, bestScore := "", "", -1<<31
	for _, c := range cands {
		s := decodeWith(c.enc, b)
		if sc := chineseScore(s); sc > bestScore {
			best, bestName, bestScore = s, c.name, sc
		}
	}
	return best, bestName
}

func decodeWith(enc encoding.Encoding, b []byte) string {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(out)
}

// commonHan holds characters frequent in Chinese official prose, in both
// scripts. A decoding with the wrong code page turns them into rare ones.
const commonHan = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律且究观越织装影算低持音众书布复容须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞" +
	"這個們會對國開為與體區進務實現點設術機關動時過發產業經濟發展設計劃規劃導標業務據數質當選項總綜與強頭專單創產環節鏈協調"

var commonSet = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range commonHan {
		m[r] = true
	}
	return m
}()

func chineseScore(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case commonSet[r]:
			n += 2
		case r == utf8.RuneError:
			n -= 5
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t':
			n -= 5
		}
	}
	return n
}

// readHTML decodes a saved web page and keeps its visible text, without
// scripts, navigation, headers and footers, sidebars and comment boxes.
func readHTML(t *Text, b []byte) error {
	// A byte-order mark or a <meta charset> decides; DetermineEncoding's
	// guess otherwise is windows-1252, which no Chinese page is.
	enc, name, _ := charset.DetermineEncoding(b, "text/html")
	var s string
	if name != "windows-1252" {
		s, t.Encoding = decodeWith(enc, b), name
	} else {
		s, t.Encoding = decodeText(b)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, t.Name, err)
	}
	t.Format = FormatHTML
	t.TitleHint = strings.TrimSpace(doc.Find("h1").First().Text())
	if t.TitleHint == "" {
		t.TitleHint = strings.TrimSpace(doc.Find("title").First().Text())
	}
	doc.Find("script, style, noscript, template, iframe, svg, nav, aside, footer, form, button, select, textarea, input").Remove()
	doc.Find("[role=navigation], [role=banner], [role=contentinfo], [role=search], [role=complementary]").Remove()
	// A page's own <header> is navigation; an article's header holds its title.
	doc.Find("header").Each(func(_ int, h *goquery.Selection) {
		if h.ParentsFiltered("article, main").Length() == 0 {
			h.Remove()
		}
	})
	doc.Find("[class], [id]").Each(func(_ int, sel *goquery.Selection) {
		if boilerplate(sel.AttrOr("class", "") + " " + sel.AttrOr("id", "")) {
			sel.Remove()
		}
	})
	var w strings.Builder
	for _, n := range doc.Find("body").Nodes {
		htmlText(&w, n)
	}
	if len(doc.Find("body").Nodes) == 0 {
		for _, n := range doc.Nodes {
			htmlText(&w, n)
		}
	}
	t.Raw = tidyLines(w.String())
	return nil
}

// boilerplateWords mark the class or id of page furniture.
var boilerplateWords = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "breadcrumb": true, "breadcrumbs": true,
	"crumb": true, "crumbs": true, "footer": true, "sidebar": true, "comment": true, "comments": true,
	"share": true, "copyright": true, "login": true, "search": true, "related": true, "recommend": true,
	"advert": true, "ads": true, "banner": true, "toolbar": true, "pagination": true, "pager": true,
	"topbar": true, "position": true, "location": true, "respond": true, "reply": true,
}

func boilerplate(attr string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(attr), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_'
	}) {
		if boilerplateWords[w] {
			return true
		}
	}
	return false
}

// blockTags end a line of text.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "tr": true, "table": true, "section": true,
	"article": true, "main": true, "header": true, "blockquote": true, "pre": true, "dd": true,
	"dt": true, "dl": true, "hr": true, "figure": true, "figcaption": true,
}

func htmlText(w *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.WriteString(strings.Join(strings.Fields(n.Data), " "))
		return
	case html.CommentNode:
		return
	}
	block := n.Type == html.ElementNode && blockTags[n.Data]
	if block {
		w.WriteByte('\n')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		htmlText(w, c)
	}
	switch {
	case block:
		w.WriteByte('\n')
	case n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th"):
		w.WriteByte('\t')
	}
}

// tidyLines trims each line and drops empty ones.
func tidyLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// docxLimits bound a Word document's archive: a plan's text is a few MB
// of XML, its pictures are stored, not compressed.
var docxLimits = zipguard.Limits{Entries: 5000, EntrySize: 4 * maxDocument, TotalSize: 16 * maxDocument, Ratio: 200, RatioFloor: 1 << 20}

// readDocx reads the paragraphs and table cells of a Word document's body.
func readDocx(t *Text, b []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("%w: %s is not a docx (zip) file: %v", ErrFormat, t.Name, err)
	}
	if err := zipguard.Check(zr.File, docxLimits); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, t.Name, err)
	}
	var body, core *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			body = f
		case "docProps/core.xml":
			core = f
		}
	}
	if body == nil {
		return fmt.Errorf("%w: %s has no word/document.xml", ErrFormat, t.Name)
	}
	if body.UncompressedSize64 > maxDocument {
		return fmt.Errorf("%w: %s: word/document.xml inflates to %d bytes, more than the %d MB a plan may have", ErrFormat, t.Name, body.UncompressedSize64, maxDocument>>20)
	}
	text, err := docxText(t.Name, body)
	if err != nil {
		return err
	}
	t.Raw, t.Encoding = tidyLines(text), "UTF-8"
	if core != nil {
		t.TitleHint = docxTitle(core)
	}
	return nil
}

// docxText returns the text of word/document.xml: its runs' text, a
// paragraph a line, a table row a line with its cells tab-separated.
func docxText(name string, body *zip.File) (string, error) {
	rc, err := body.Open()
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrFormat, name, err)
	}
	defer rc.Close()
	var w bytes.Buffer
	dec := xml.NewDecoder(io.LimitReader(rc, maxDocument))
	inText, inCell := false, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%w: %s: word/document.xml: %v", ErrFormat, name, err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "t":
				inText = true
			case "tc":
				inCell++
			case "tab":
				w.WriteByte('\t')
			case "br", "cr":
				w.WriteByte('\n')
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "t":
				inText = false
			case "p":
				// A cell's paragraphs stay on its row.
				if inCell == 0 {
					w.WriteByte('\n')
				} else {
					w.WriteByte(' ')
				}
			case "tr":
				w.WriteByte('\n')
			case "tc":
				inCell--
				for w.Len() > 0 && w.Bytes()[w.Len()-1] == ' ' {
					w.Truncate(w.Len() - 1)
				}
				w.WriteByte('\t')
			}
		case xml.CharData:
			if inText {
				w.Write(e)
			}
		}
	}
	return w.String(), nil
}

func docxTitle(f *zip.File) string {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	var props struct {
		Title string `xml:"title"`
	}
	if xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&props) != nil {
		return ""
	}
	return strings.TrimSpace(props.Title)
}

// readPDF reads the text layer of a PDF. A scanned PDF has none: that is
// ErrNoText, not an empty plan.
func readPDF(t *Text, b []byte) (err error) {
	defer func() {
		// The PDF library panics on some malformed files.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: unreadable PDF: %v", ErrFormat, t.Name, r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrFormat, t.Name, err)
	}
	var w strings.Builder
	fonts := map[string]*pdf.Font{}
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		s, err := p.GetPlainText(fonts)
		if err != nil {
			return fmt.Errorf("%w: %s: page %d: %v", ErrFormat, t.Name, i, err)
		}
		w.WriteString(s)
		w.WriteByte('\n')
	}
	t.Raw, t.Encoding = tidyLines(w.String()), "PDF text layer"
	if strings.TrimSpace(t.Raw) == "" {
		return fmt.Errorf("%w: %s is a PDF without a text layer (a scan?); run OCR on it first", ErrNoText, t.Name)
	}
	if !readable(t.Raw) {
		return fmt.Errorf("%w: %s: the PDF's text layer does not decode to readable text (fonts without a Unicode map); convert it with pdftotext or OCR", ErrNoText, t.Name)
	}
	return nil
}

// readable reports whether most of s is letters, digits, punctuation or
// spaces, as decoded text is and undecodable glyph codes are not.
func readable(s string) bool {
	good, all := 0, 0
	for _, r := range s {
		all++
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			if r != utf8.RuneError && !unicode.Is(unicode.Co, r) {
				good++
			}
		}
	}
	return all > 0 && good*10 >= all*8
}
