package loaders

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/loaders/zipguard"
)

// A streaming reader of the first sheet of an XLSX workbook. Excelize reads
// cells through encoding/xml, which allocates per token and ran at ~14k
// registry rows/s; registry sheets are plain (one value per cell, shared or
// inline strings), so a byte scanner over the decompressed XML reads them
// several times faster, with the zip read through its directory (never
// whole into memory). The shared-string table, which random access needs,
// stays in memory while small and goes to a temporary file when large, so
// memory stays flat in the file size.

// sstInMemory is the largest shared-string table (uncompressed XML bytes)
// kept in memory; larger tables are spilled to a temporary file. A
// variable so tests can exercise the spill.
var sstInMemory uint64 = 64 << 20

// xlsxReader reads rows of one sheet.
type xlsxReader struct {
	zr    *zip.ReadCloser
	sheet io.ReadCloser
	tok   *xmlScanner
	sst   sharedStrings
	row   []string
	line  int
	done  bool
	name  string // the sheet's name
}

// openXLSXFile opens a workbook on disk and positions at its first sheet.
// progress, if not nil, hears of the sheet's uncompressed bytes read.
func openXLSXFile(p string, progress Progress) (*xlsxReader, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, fmt.Errorf("not a zip archive: %v", err)
	}
	if err := zipguard.Check(zr.File, zipguard.Default); err != nil {
		zr.Close()
		return nil, err
	}
	x := &xlsxReader{zr: zr}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	sheetPath, sheetName, err := firstSheetPath(files)
	x.name = sheetName
	if err != nil {
		x.Close()
		return nil, err
	}
	if f := files["xl/sharedstrings.xml"]; f != nil {
		if x.sst, err = readSharedStrings(f); err != nil {
			x.Close()
			return nil, fmt.Errorf("shared strings: %v", err)
		}
	}
	sf := files[strings.ToLower(sheetPath)]
	if sf == nil {
		x.Close()
		return nil, fmt.Errorf("the workbook names sheet %s, which is not in the archive", sheetPath)
	}
	if x.sheet, err = sf.Open(); err != nil {
		x.Close()
		return nil, err
	}
	var sheet io.Reader = x.sheet
	if progress != nil {
		sheet = &countingReader{r: x.sheet, total: int64(sf.UncompressedSize64), progress: progress}
	}
	x.tok = newXMLScanner(sheet)
	return x, nil
}

// firstSheetPath finds the first sheet of the workbook, and its name,
// through xl/workbook.xml and its relationships.
func firstSheetPath(files map[string]*zip.File) (string, string, error) {
	wb := files["xl/workbook.xml"]
	if wb == nil {
		return "", "", errors.New("no xl/workbook.xml: not an XLSX workbook")
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodeZipXML(wb, &book); err != nil {
		return "", "", fmt.Errorf("xl/workbook.xml: %v", err)
	}
	if len(book.Sheets) == 0 {
		return "", "", errors.New("the workbook has no sheet")
	}
	name := book.Sheets[0].Name
	if !utf8.ValidString(name) || len(name) > 200 {
		name = ""
	}
	if rels := files["xl/_rels/workbook.xml.rels"]; rels != nil {
		var r struct {
			Rels []struct {
				ID     string `xml:"Id,attr"`
				Target string `xml:"Target,attr"`
			} `xml:"Relationship"`
		}
		if err := decodeZipXML(rels, &r); err != nil {
			return "", "", fmt.Errorf("xl/_rels/workbook.xml.rels: %v", err)
		}
		for _, rel := range r.Rels {
			if rel.ID == book.Sheets[0].RID {
				if strings.HasPrefix(rel.Target, "/") {
					return strings.TrimPrefix(rel.Target, "/"), name, nil
				}
				return path.Clean("xl/" + rel.Target), name, nil
			}
		}
	}
	return "xl/worksheets/sheet1.xml", name, nil
}

func decodeZipXML(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(v)
}

// Next reads the next non-empty row. Its cells are placed by their
// references (B7 is the second cell), gaps left empty.
func (x *xlsxReader) Next() ([]string, error) {
	for !x.done {
		row, n, err := x.readRow()
		if err != nil {
			return nil, err
		}
		if row == nil {
			x.done = true
			break
		}
		x.line = n
		for _, c := range row {
			if strings.TrimSpace(c) != "" {
				return row, nil
			}
		}
	}
	return nil, io.EOF
}

// Line is the sheet row number of the row last read.
func (x *xlsxReader) Line() int { return x.line }

// readRow scans to the next <row> and reads its cells; nil at the end of
// the sheet data.
func (x *xlsxReader) readRow() ([]string, int, error) {
	t := x.tok
	for {
		name, attrs, selfClose, err := t.nextTag()
		if err != nil {
			return nil, 0, err
		}
		switch name {
		case "":
			return nil, 0, fmt.Errorf("the sheet ends before </sheetData>: %w", io.ErrUnexpectedEOF)
		case "/sheetData":
			return nil, 0, nil
		case "sheetData":
			if selfClose {
				return nil, 0, nil // an empty sheet
			}
		case "row":
			n := x.line + 1
			if v, ok := attr(attrs, "r"); ok {
				if k, err := strconv.Atoi(v); err == nil {
					n = k
				}
			}
			x.row = x.row[:0]
			if selfClose {
				return x.row, n, nil
			}
			if err := x.readCells(); err != nil {
				return nil, 0, fmt.Errorf("row %d: %w", n, err)
			}
			return x.row, n, nil
		}
	}
}

// readCells reads <c> elements up to </row>.
func (x *xlsxReader) readCells() error {
	t := x.tok
	next := 0
	for {
		name, attrs, selfClose, err := t.nextTag()
		if err != nil {
			return err
		}
		switch name {
		case "":
			return io.ErrUnexpectedEOF
		case "/row":
			return nil
		case "c":
		default:
			continue
		}
		col := next
		if ref, ok := attr(attrs, "r"); ok {
			if c, ok := columnOf(ref); ok {
				col = c
			}
		}
		if col >= maxColumns {
			return fmt.Errorf("%w: more than %d cells in a row", errSheetLimit, maxColumns)
		}
		typ, _ := attr(attrs, "t")
		val := ""
		if !selfClose {
			if val, err = x.cellValue(typ); err != nil {
				return err
			}
		}
		for len(x.row) < col {
			x.row = append(x.row, "")
		}
		if col < len(x.row) {
			x.row[col] = val
		} else {
			x.row = append(x.row, val)
		}
		next = col + 1
	}
}

// cellValue reads a cell's children up to </c>.
func (x *xlsxReader) cellValue(typ string) (string, error) {
	t := x.tok
	var v, inline strings.Builder
	inIs, inPhonetic := false, false
	for {
		name, _, selfClose, err := t.nextTag()
		if err != nil {
			return "", err
		}
		switch name {
		case "":
			return "", io.ErrUnexpectedEOF
		case "/c":
			switch typ {
			case "inlineStr":
				return inline.String(), nil
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(v.String()))
				if err != nil || x.sst == nil || i < 0 || i >= x.sst.len() {
					return "", fmt.Errorf("shared string %q is not in the table", v.String())
				}
				return x.sst.get(i)
			case "b":
				if v.String() == "1" {
					return "TRUE", nil
				}
				return "FALSE", nil
			}
			return v.String(), nil
		case "v":
			if !selfClose {
				s, err := t.textUntil("/v")
				if err != nil {
					return "", err
				}
				v.WriteString(s)
			}
		case "is":
			inIs = true
		case "/is":
			inIs = false
		case "rPh":
			inPhonetic = true
		case "/rPh":
			inPhonetic = false
		case "t":
			if selfClose {
				continue
			}
			s, err := t.textUntil("/t")
			if err != nil {
				return "", err
			}
			if inIs && !inPhonetic {
				inline.WriteString(s)
			}
		}
	}
}

// Close releases the archive and any spilled table.
func (x *xlsxReader) Close() error {
	var err error
	if x.sheet != nil {
		err = x.sheet.Close()
	}
	if x.sst != nil {
		err = errors.Join(err, x.sst.close())
	}
	if x.zr != nil {
		err = errors.Join(err, x.zr.Close())
	}
	return err
}

// maxColumns is Excel's limit of columns in a sheet (XFD).
const maxColumns = 16384

// columnOf reads the column of a cell reference: "B7" → 1.
func columnOf(ref string) (int, bool) {
	c := 0
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' && c <= maxColumns; i++ {
		c = c*26 + int(ref[i]-'A'+1)
	}
	if i == 0 || c > maxColumns {
		return 0, false
	}
	return c - 1, true
}

// sharedStrings is the workbook's shared-string table.
type sharedStrings interface {
	len() int
	get(i int) (string, error)
	close() error
}

// memStrings holds the table in one buffer with offsets.
type memStrings struct {
	buf  []byte
	offs []uint32
}

func (m *memStrings) len() int { return len(m.offs) - 1 }
func (m *memStrings) get(i int) (string, error) {
	return string(m.buf[m.offs[i]:m.offs[i+1]]), nil
}
func (m *memStrings) close() error { return nil }

// fileStrings spills the table to a temporary file: the strings, then
// their end offsets as 8-byte integers, read back with ReadAt.
type fileStrings struct {
	f     *os.File
	n     int
	index int64 // where the offsets start
}

func (s *fileStrings) len() int { return s.n }
func (s *fileStrings) get(i int) (string, error) {
	var b [16]byte
	start := int64(0)
	if i > 0 {
		if _, err := s.f.ReadAt(b[:16], s.index+int64(i-1)*8); err != nil {
			return "", err
		}
		start = int64(binary.LittleEndian.Uint64(b[:8]))
	} else if _, err := s.f.ReadAt(b[8:16], s.index); err != nil {
		return "", err
	}
	end := int64(binary.LittleEndian.Uint64(b[8:16]))
	out := make([]byte, end-start)
	if _, err := s.f.ReadAt(out, start); err != nil {
		return "", err
	}
	return string(out), nil
}
func (s *fileStrings) close() error {
	name := s.f.Name()
	err := s.f.Close()
	os.Remove(name)
	return err
}

// readSharedStrings reads xl/sharedStrings.xml: each <si> is the text of
// its <t> elements, phonetic runs (<rPh>) left out.
func readSharedStrings(f *zip.File) (sharedStrings, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if f.UncompressedSize64 <= sstInMemory {
		m := &memStrings{offs: []uint32{0}}
		err := scanSharedStrings(rc, func(s string) error {
			m.buf = append(m.buf, s...)
			if len(m.buf) > 1<<32-1 {
				return errors.New("shared strings larger than 4 GB")
			}
			m.offs = append(m.offs, uint32(len(m.buf)))
			return nil
		})
		return m, err
	}
	tmp, err := os.CreateTemp("", "chainkg-sst-*")
	if err != nil {
		return nil, err
	}
	fs := &fileStrings{f: tmp}
	idx, err := os.CreateTemp("", "chainkg-sst-index-*")
	if err != nil {
		fs.close()
		return nil, err
	}
	defer func() { n := idx.Name(); idx.Close(); os.Remove(n) }()
	bw, iw := bufio.NewWriterSize(tmp, 1<<20), bufio.NewWriterSize(idx, 1<<20)
	var off int64
	var b [8]byte
	err = scanSharedStrings(rc, func(s string) error {
		bw.WriteString(s)
		off += int64(len(s))
		binary.LittleEndian.PutUint64(b[:], uint64(off))
		_, err := iw.Write(b[:])
		fs.n++
		return err
	})
	if err == nil {
		err = errors.Join(bw.Flush(), iw.Flush())
	}
	if err == nil {
		fs.index = off
		if _, err = idx.Seek(0, io.SeekStart); err == nil {
			_, err = io.Copy(tmp, idx)
		}
	}
	if err != nil {
		fs.close()
		return nil, err
	}
	return fs, nil
}

func scanSharedStrings(r io.Reader, add func(string) error) error {
	t := newXMLScanner(r)
	var cur strings.Builder
	inSI, inPhonetic := false, false
	for {
		name, _, selfClose, err := t.nextTag()
		if err != nil {
			return err
		}
		switch name {
		case "":
			return nil
		case "si":
			inSI = true
			cur.Reset()
			if selfClose {
				inSI = false
				if err := add(""); err != nil {
					return err
				}
			}
		case "/si":
			inSI = false
			if err := add(cur.String()); err != nil {
				return err
			}
		case "rPh":
			inPhonetic = true
		case "/rPh":
			inPhonetic = false
		case "t":
			if selfClose {
				continue
			}
			s, err := t.textUntil("/t")
			if err != nil {
				return err
			}
			if inSI && !inPhonetic {
				cur.WriteString(s)
			}
		}
	}
}

// xmlScanner is a minimal pull scanner for the regular XML of OOXML parts:
// it returns tags (name without namespace prefix, raw attributes) and the
// text between them, unescaped. Comments, processing instructions and
// declarations are skipped; CDATA sections are read as text.
type xmlScanner struct {
	r    *bufio.Reader
	buf  []byte // the tag being read
	text []byte // the text being read
}

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 1<<20)}
}

// maxTag and maxText bound one tag and the text of one element. A cell
// holds at most 32,767 characters in Excel, so anything near these is not
// a workbook but an attempt to make the reader hold a whole file.
const (
	maxTag  = 1 << 20
	maxText = 4 << 20
)

// errSheetLimit is wrapped by the errors of a sheet over the reader's limits.
var (
	errSheetLimit = errors.New("over the reader's limits")
	errXMLTooLong = fmt.Errorf("%w: a tag or a cell's text is longer than any workbook has", errSheetLimit)
)

// openTags and closeTags intern the names of the tags a sheet is made of,
// so scanning a cell allocates no tag names.
var openTags, closeTags = func() (map[string]string, map[string]string) {
	o, c := map[string]string{}, map[string]string{}
	for _, n := range []string{"row", "c", "v", "is", "t", "r", "rPh", "rPr", "f", "si", "sheetData", "sst"} {
		o[n], c[n] = n, "/"+n
	}
	return o, c
}()

// nextTag skips text and returns the next tag: its local name ("row",
// "/row"), its attributes as raw bytes, and whether it closes itself. The
// name is "" at the end of input.
func (t *xmlScanner) nextTag() (string, []byte, bool, error) {
	for {
		if _, err := t.r.ReadSlice('<'); err != nil {
			if errors.Is(err, io.EOF) {
				return "", nil, false, nil
			}
			if !errors.Is(err, bufio.ErrBufferFull) {
				return "", nil, false, err
			}
			continue // long text: keep skipping
		}
		tag, err := t.readTag()
		if err != nil {
			return "", nil, false, err
		}
		if len(tag) == 0 || tag[0] == '?' || tag[0] == '!' {
			continue
		}
		selfClose := tag[len(tag)-1] == '/'
		if selfClose {
			tag = tag[:len(tag)-1]
		}
		end := bytes.IndexAny(tag, " \t\r\n")
		name, attrs := tag, []byte(nil)
		if end >= 0 {
			name, attrs = tag[:end], tag[end:]
		}
		closing := len(name) > 0 && name[0] == '/'
		if closing {
			name = name[1:]
		}
		if i := bytes.IndexByte(name, ':'); i >= 0 {
			name = name[i+1:]
		}
		if closing {
			if s, ok := closeTags[string(name)]; ok {
				return s, attrs, selfClose, nil
			}
			return "/" + string(name), attrs, selfClose, nil
		}
		if s, ok := openTags[string(name)]; ok {
			return s, attrs, selfClose, nil
		}
		return string(name), attrs, selfClose, nil
	}
}

// readTag reads up to the '>' that ends a tag (not one inside a quoted
// attribute value) and returns the tag's bytes without '<' and '>'. A
// comment is consumed whole and returned as "!".
func (t *xmlScanner) readTag() ([]byte, error) {
	t.buf = t.buf[:0]
	for {
		chunk, err := t.r.ReadSlice('>')
		t.buf = append(t.buf, chunk...)
		if len(t.buf) > maxTag {
			return nil, errXMLTooLong
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if bytes.HasPrefix(t.buf, []byte("!--")) {
			if bytes.HasSuffix(t.buf, []byte("-->")) {
				return []byte("!"), nil
			}
			continue
		}
		if quotesClosed(t.buf) {
			return t.buf[:len(t.buf)-1], nil
		}
	}
}

// quotesClosed reports whether no attribute value is open in b.
func quotesClosed(b []byte) bool {
	if bytes.IndexByte(b, '"') < 0 && bytes.IndexByte(b, '\'') < 0 {
		return true
	}
	var quote byte
	for _, c := range b {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		}
	}
	return quote == 0
}

// textUntil reads the text up to the closing tag named end ("/t") and
// returns it unescaped. Text containing elements (which OOXML does not put
// in <t> or <v>) is an error.
func (t *xmlScanner) textUntil(end string) (string, error) {
	raw := t.text[:0]
	defer func() { t.text = raw[:0] }()
	for {
		chunk, err := t.r.ReadSlice('<')
		raw = append(raw, chunk...)
		if len(raw) > maxText {
			return "", errXMLTooLong
		}
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		raw = raw[:len(raw)-1]
		// CDATA inside text.
		if next, _ := t.r.Peek(8); bytes.HasPrefix(next, []byte("![CDATA[")) {
			t.r.Discard(8)
			data, err := t.readCDATA()
			if err != nil {
				return "", err
			}
			raw = append(raw, escapeXML(data)...)
			continue
		}
		tag, err := t.readTag()
		if err != nil {
			return "", err
		}
		name := tag
		if i := bytes.IndexByte(name, ':'); i > 1 {
			name = append([]byte{'/'}, name[i+1:]...)
		}
		if string(name) != end {
			return "", fmt.Errorf("unexpected <%s> inside text", tag)
		}
		return unescapeXML(raw)
	}
}

func (t *xmlScanner) readCDATA() ([]byte, error) {
	var out []byte
	for {
		c, err := t.r.ReadByte()
		if err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		out = append(out, c)
		if len(out) > maxText {
			return nil, errXMLTooLong
		}
		if bytes.HasSuffix(out, []byte("]]>")) {
			return out[:len(out)-3], nil
		}
	}
}

func escapeXML(b []byte) []byte {
	var buf bytes.Buffer
	xml.EscapeText(&buf, b)
	return buf.Bytes()
}

// unescapeXML resolves the five entities and character references.
func unescapeXML(b []byte) (string, error) {
	i := bytes.IndexByte(b, '&')
	if i < 0 {
		return string(b), nil
	}
	var out strings.Builder
	out.Grow(len(b))
	for i >= 0 {
		out.Write(b[:i])
		b = b[i:]
		semi := bytes.IndexByte(b, ';')
		if semi < 0 {
			return "", fmt.Errorf("unterminated entity in %q", b)
		}
		ent := string(b[1:semi])
		switch {
		case ent == "lt":
			out.WriteByte('<')
		case ent == "gt":
			out.WriteByte('>')
		case ent == "amp":
			out.WriteByte('&')
		case ent == "quot":
			out.WriteByte('"')
		case ent == "apos":
			out.WriteByte('\'')
		case strings.HasPrefix(ent, "#x") || strings.HasPrefix(ent, "#X"):
			n, err := strconv.ParseUint(ent[2:], 16, 32)
			if err != nil || !utf8.ValidRune(rune(n)) {
				return "", fmt.Errorf("bad character reference &%s;", ent)
			}
			out.WriteRune(rune(n))
		case strings.HasPrefix(ent, "#"):
			n, err := strconv.ParseUint(ent[1:], 10, 32)
			if err != nil || !utf8.ValidRune(rune(n)) {
				return "", fmt.Errorf("bad character reference &%s;", ent)
			}
			out.WriteRune(rune(n))
		default:
			return "", fmt.Errorf("unknown entity &%s;", ent)
		}
		b = b[semi+1:]
		i = bytes.IndexByte(b, '&')
	}
	out.Write(b)
	return out.String(), nil
}

// attr finds an attribute's value in raw attribute bytes.
func attr(attrs []byte, name string) (string, bool) {
	for len(attrs) > 0 {
		attrs = skipSpace(attrs)
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return "", false
		}
		key := attrs[:eq]
		for len(key) > 0 && (key[len(key)-1] == ' ' || key[len(key)-1] == '\t' || key[len(key)-1] == '\n' || key[len(key)-1] == '\r') {
			key = key[:len(key)-1]
		}
		rest := skipSpace(attrs[eq+1:])
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return "", false
		}
		q := rest[0]
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return "", false
		}
		if string(key) == name {
			v, err := unescapeXML(rest[1 : 1+end])
			return v, err == nil
		}
		attrs = rest[2+end:]
	}
	return "", false
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
