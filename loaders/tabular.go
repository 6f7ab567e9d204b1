package loaders

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/chainkg/chainkg/loaders/zipguard"
)

// This file turns a registry file of any of the formats users have — CSV,
// TSV, XLSX, JSON Lines — in any of the encodings Chinese exports come in,
// into one stream of rows. Format and encoding are detected from the bytes,
// never from the user's word.

// table is a stream of rows with a header. For JSON Lines the header grows
// as new keys appear; Values is always as long as Header.
type table interface {
	// Next reads the next row; io.EOF at the end. A *rowError rejects one
	// row and the table goes on; any other error ends the file.
	Next() error
	// Line is the 1-based line (or sheet row) of the row just read.
	Line() int
	Header() []string
	Values() []string
	// Format names the detected format and encoding, for the report.
	Format() string
	Close() error
}

// rowError is a row the table could not read, but after which it can go on.
type rowError struct {
	line int
	err  error
}

func (e *rowError) Error() string { return e.err.Error() }

// errTruncated marks a file that ends in the middle of a row.
var errTruncated = fmt.Errorf("%w: the file ends in the middle of a row: it looks truncated", ErrRejected)

// sniffLen is how many bytes detection looks at.
const sniffLen = 64 << 10

// openTable detects the format and encoding of r and returns its rows,
// the first non-empty row being the header.
func openTable(r io.Reader, file string) (table, error) {
	return openTableWith(r, file, nil)
}

// openTableWith detects the format and encoding of r and returns its rows.
// score, when not nil, rates a row as a header (how many of its cells name
// a known column): the header is the best-rated of the first rows, those
// above it skipped and noted (see headedTable). An XLSX file needs random
// access: r is used directly when it is a file, otherwise it is spooled to
// a temporary file that Close removes.
func openTableWith(r io.Reader, file string, score func([]string) int) (table, error) {
	br := bufio.NewReaderSize(r, sniffLen)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	if len(head) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrRejected)
	}
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		x, err := openXLSX(r, br, file)
		if err != nil {
			return nil, err
		}
		return newHeadedTable(x, score, true)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		x, err := openXLS(r, br, file)
		if err != nil {
			return nil, err
		}
		return newHeadedTable(x, score, true)
	}
	dec, encName := detectEncoding(head)
	var text io.Reader = br
	if dec != nil {
		text = transform.NewReader(br, dec.NewDecoder())
	} else {
		// Strip a UTF-8 BOM.
		if bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")) {
			br.Discard(3)
		}
	}
	guard := &recordGuard{r: text, max: maxRecord}
	tb := &lineTracker{r: guard}
	tbuf := bufio.NewReaderSize(tb, 64<<10)
	first, _ := tbuf.Peek(16 << 10)
	trimmed := bytes.TrimLeft(first, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		guard.max = 0 // the scanner bounds its lines itself
		return newJSONLTable(tbuf, encName), nil
	}
	c := newCSVTable(tbuf, tb, guard, first, encName)
	return newHeadedTable(c, score, false)
}

// maxRecord bounds the bytes of one CSV record (a registry row is a few KB;
// Excel's cells hold 32,767 characters). encoding/csv would otherwise hold a
// field of any length in memory. A variable so tests can lower it.
var maxRecord int64 = 8 << 20

// errRecordTooLong refuses a file with a record longer than maxRecord.
var errRecordTooLong = fmt.Errorf("%w: a record longer than any table of firms has (a field never closed, or not a table)", ErrRejected)

// recordGuard fails a read once more than max bytes have come through since
// the last reset; the CSV table resets it at every record, so it bounds a
// record, give or take the readers' buffers (~70 KB). max 0 turns it off.
type recordGuard struct {
	r   io.Reader
	n   int64
	max int64
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.max > 0 && g.n > g.max {
		return 0, errRecordTooLong
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

func (g *recordGuard) reset() { g.n = 0 }

// detectEncoding picks the decoder for the text's encoding: a BOM says
// UTF-8 or UTF-16; text that is valid UTF-8 is UTF-8; otherwise it is taken
// as GB18030, the superset of GBK and GB2312 that Chinese Excel writes. A
// nil decoder means UTF-8.
func detectEncoding(head []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		return nil, "UTF-8 with BOM"
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "UTF-16LE"
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "UTF-16BE"
	}
	// UTF-16 without a BOM: every other byte of ASCII text is zero.
	if len(head) >= 4 {
		zeroEven, zeroOdd := 0, 0
		n := min(len(head), 512) &^ 1
		for i := 0; i < n; i += 2 {
			if head[i] == 0 {
				zeroEven++
			}
			if head[i+1] == 0 {
				zeroOdd++
			}
		}
		switch {
		case zeroOdd > n/8 && zeroEven < zeroOdd/4:
			return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16LE"
		case zeroEven > n/8 && zeroOdd < zeroEven/4:
			return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "UTF-16BE"
		}
	}
	// A peeked buffer may end inside a character: judge it without the tail.
	valid := head
	if len(head) == sniffLen {
		for i := 0; i < utf8.UTFMax && len(valid) > 0 && !utf8.Valid(valid); i++ {
			valid = valid[:len(valid)-1]
		}
	}
	if utf8.Valid(valid) || mostlyUTF8(valid) {
		return nil, "UTF-8"
	}
	return simplifiedchinese.GB18030, "GB18030"
}

// mostlyUTF8 reports text that is UTF-8 but for a few stray bytes (a
// Latin-1 no-break space pasted into a cell, a cut character): at least
// eight well-formed multi-byte characters for each byte that is not. GBK
// and GB18030 text, read as UTF-8, has far more bad bytes than good
// characters. The stray bytes are read as U+FFFD and each is reported
// with its line and column (headedTable).
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n <= 1:
			bad++
		case n > 1:
			good++
		}
		b = b[n:]
	}
	return bad > 0 && good >= 8*bad
}

// lineTracker remembers the last byte that went through, so a reader can
// tell a file that ends with a line end from one cut off mid-row.
type lineTracker struct {
	r    io.Reader
	last byte
}

func (t *lineTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.last = p[n-1]
	}
	return n, err
}

// csvTable reads the records of CSV or TSV (the delimiter is whichever of
// comma, tab and semicolon the first lines have most of in one line). It
// reads one record ahead, so it knows the last record when it sees it, and
// whether the file ends without a line end after it (see cut).
type csvTable struct {
	cr      *csv.Reader
	lt      *lineTracker
	guard   *recordGuard
	cutLine int // the line of the last record, when the file ends without a line end
	line    int
	format  string
	ahead   csvRecord
}

type csvRecord struct {
	rec  []string
	line int
	err  error
}

func newCSVTable(r io.Reader, lt *lineTracker, guard *recordGuard, first []byte, encName string) *csvTable {
	// A title or notice line may stand above the header, so the delimiter
	// is judged on the line that has most of one, among the first lines.
	var tabs, commas, semis int
	for i, ln := range bytes.SplitN(first, []byte{'\n'}, 31) {
		if i == 30 {
			break
		}
		tabs = max(tabs, bytes.Count(ln, []byte{'\t'}))
		commas = max(commas, bytes.Count(ln, []byte{','}))
		semis = max(semis, bytes.Count(ln, []byte{';'}))
	}
	delim, name := ',', "CSV"
	if tabs > commas && tabs >= semis {
		delim, name = '\t', "TSV"
	} else if semis > commas {
		delim, name = ';', "CSV (;)"
	}
	cr := csv.NewReader(r)
	cr.Comma = delim
	cr.FieldsPerRecord = -1
	if delim == '\t' {
		cr.LazyQuotes = true // TSV exports rarely quote, and their quotes are text
	}
	t := &csvTable{cr: cr, lt: lt, guard: guard, format: name + ", " + encName}
	t.fetch()
	return t
}

// fetch reads the record after the current one.
func (t *csvTable) fetch() {
	t.guard.reset()
	rec, err := t.cr.Read()
	line := 0
	if err == nil {
		line, _ = t.cr.FieldPos(0)
	}
	t.ahead = csvRecord{rec: rec, line: line, err: err}
}

func (t *csvTable) next() ([]string, int, error) {
	for {
		cur := t.ahead
		if errors.Is(cur.err, io.EOF) {
			return nil, 0, io.EOF
		}
		t.fetch()
		last := errors.Is(t.ahead.err, io.EOF)
		if cur.err != nil {
			var pe *csv.ParseError
			if errors.Is(cur.err, errRecordTooLong) {
				return nil, 0, &ParseError{Line: t.line + 1, Err: cur.err}
			}
			if !errors.As(cur.err, &pe) {
				return nil, 0, cur.err
			}
			t.line = pe.StartLine
			if errors.Is(pe.Err, csv.ErrQuote) && last {
				return nil, 0, &ParseError{Line: pe.StartLine, Err: fmt.Errorf("%w: a quoted field opened on line %d never closes: %w", errTruncated, pe.StartLine, pe.Err)}
			}
			return nil, 0, &rowError{line: pe.StartLine, err: fmt.Errorf("bad CSV at line %d, column %d: %v", pe.Line, pe.Column, pe.Err)}
		}
		t.line = cur.line
		if last && t.lt.last != '\n' && t.lt.last != '\r' {
			t.cutLine = cur.line
		}
		if len(cur.rec) == 1 && strings.TrimSpace(cur.rec[0]) == "" {
			continue // a blank line
		}
		return cur.rec, cur.line, nil
	}
}

// cut returns the line of the last record when the file ends in it
// without a line end: a record that may have been cut off.
func (t *csvTable) cut() int { return t.cutLine }

func (t *csvTable) formatName() string { return t.format }
func (t *csvTable) close() error       { return nil }

// cleanHeader trims header cells and removes a BOM and line breaks.
func cleanHeader(h []string) []string {
	out := make([]string, len(h))
	for i, s := range h {
		s = strings.TrimPrefix(s, "\ufeff")
		s = strings.NewReplacer("\r", "", "\n", "").Replace(s)
		out[i] = strings.TrimSpace(s)
	}
	return out
}

// jsonlTable reads JSON Lines: one object per line. The header is the keys
// in order of first appearance.
type jsonlTable struct {
	sc     *bufio.Scanner
	header []string
	at     map[string]int
	vals   []string
	line   int
	format string
}

func newJSONLTable(r io.Reader, encName string) *jsonlTable {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	return &jsonlTable{sc: sc, at: map[string]int{}, format: "JSON Lines, " + encName}
}

func (t *jsonlTable) Next() error {
	for t.sc.Scan() {
		t.line++
		b := bytes.TrimSpace(t.sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var obj gojson.RawMessage
		if err := gojson.Unmarshal(b, &obj); err != nil {
			return &rowError{line: t.line, err: fmt.Errorf("not a JSON object: %v", err)}
		}
		d := gojson.NewDecoder(bytes.NewReader(obj))
		d.UseNumber()
		tok, err := d.Token()
		if err != nil || tok != gojson.Delim('{') {
			return &rowError{line: t.line, err: errors.New("not a JSON object")}
		}
		for i := range t.vals {
			t.vals[i] = ""
		}
		for d.More() {
			kt, err := d.Token()
			if err != nil {
				return &rowError{line: t.line, err: err}
			}
			key := strings.TrimSpace(fmt.Sprint(kt))
			var v any
			if err := d.Decode(&v); err != nil {
				return &rowError{line: t.line, err: fmt.Errorf("key %q: %v", key, err)}
			}
			i, ok := t.at[key]
			if !ok {
				i = len(t.header)
				t.at[key] = i
				t.header = append(t.header, key)
				t.vals = append(t.vals, "")
			}
			t.vals[i] = jsonText(v)
		}
		return nil
	}
	if err := t.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &ParseError{Line: t.line + 1, Err: fmt.Errorf("%w: a line longer than 16 MB", ErrRejected)}
		}
		return err
	}
	return io.EOF
}

// jsonText renders a JSON value as a cell: arrays of scalars joined by
// "；", objects as JSON.
func jsonText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case gojson.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, 0, len(v))
		for _, e := range v {
			if s := jsonText(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "；")
	default:
		b, _ := gojson.Marshal(v)
		return string(b)
	}
}

func (t *jsonlTable) Line() int        { return t.line }
func (t *jsonlTable) Header() []string { return t.header }
func (t *jsonlTable) Values() []string { return t.vals }
func (t *jsonlTable) Format() string   { return t.format }
func (t *jsonlTable) Close() error     { return nil }

// xlsxTable reads the rows of the first sheet of a workbook with the
// streaming reader of xlsx.go. Cells are read raw (no number formatting),
// so dates come as Excel serials, which the date parser reads.
type xlsxTable struct {
	x     *xlsxReader
	file  string
	spool string // temporary copy of a non-file input, removed on Close
}

// namedFile is an open file that knows its path.
type namedFile interface {
	Name() string
	Stat() (os.FileInfo, error)
}

// openXLSX opens a workbook by path, so the zip is read through its
// directory rather than into memory; an input that is not a file on disk
// is spooled to a temporary file first.
func openXLSX(r io.Reader, br *bufio.Reader, file string) (*xlsxTable, error) {
	t := &xlsxTable{file: file}
	var progress Progress
	if p, ok := r.(interface{ progressFunc() Progress }); ok {
		progress = p.progressFunc()
	}
	if u, ok := r.(interface{ underlying() io.Reader }); ok {
		r = u.underlying()
	}
	path := ""
	if nf, ok := r.(namedFile); ok {
		if fi, err := nf.Stat(); err == nil && fi.Mode().IsRegular() {
			path = nf.Name()
		}
	}
	if path == "" {
		tmp, err := os.CreateTemp("", "chainkg-xlsx-*")
		if err != nil {
			return nil, err
		}
		t.spool = tmp.Name()
		_, err = io.Copy(tmp, br)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.close()
			return nil, err
		}
		path = t.spool
	}
	x, err := openXLSXFile(path, progress)
	if errors.Is(err, zipguard.ErrLimit) {
		t.close()
		return nil, fmt.Errorf("%w: %s: %w", ErrRejected, file, err)
	}
	if err != nil {
		t.close()
		return nil, fmt.Errorf("%w: %s is not a readable XLSX workbook (corrupt or truncated?): %w", ErrRejected, file, err)
	}
	t.x = x
	return t, nil
}

func (t *xlsxTable) next() ([]string, int, error) {
	row, err := t.x.Next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		if errors.Is(err, errSheetLimit) {
			return nil, 0, &ParseError{Line: t.x.Line() + 1, Err: fmt.Errorf("%w: %v", ErrRejected, err)}
		}
		return nil, 0, &ParseError{Line: t.x.Line() + 1, Err: fmt.Errorf("%w: the sheet breaks off (corrupt or truncated?): %v", ErrRejected, err)}
	}
	return row, t.x.Line(), nil
}

func (t *xlsxTable) formatName() string { return "XLSX" }

// sheetName is the name of the sheet read.
func (t *xlsxTable) sheetName() string { return t.x.name }

func (t *xlsxTable) close() error {
	var err error
	if t.x != nil {
		err = t.x.Close()
		t.x = nil
	}
	if t.spool != "" {
		os.Remove(t.spool)
		t.spool = ""
	}
	return err
}

// headerColumns maps a table's header onto field names through names (a
// normalised header → its field): field → column index, the first column
// of a field winning.
func headerColumns(header []string, names map[string]string) map[string]int {
	at := map[string]int{}
	for i, h := range header {
		if f, ok := names[normalizeHeader(h)]; ok {
			if _, dup := at[f]; !dup {
				at[f] = i
			}
		}
	}
	return at
}

// eachRow calls fn on every row of t with its line and a getter of its
// values by field (at maps a field to its column), counting the rows in
// rep. A row the table could not read is rejected with its line and not
// passed on. It stops at the first error of ctx, of the table (with the
// file named) or of fn.
func eachRow(ctx context.Context, t table, file string, at map[string]int, rep *Report, fn func(line int, get func(string) string) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := t.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var re *rowError
		if errors.As(err, &re) {
			rep.Rows++
			rep.Reject(re.line, "", re.err)
			continue
		}
		if err != nil {
			return withFile(err, file)
		}
		rep.Rows++
		if err := fn(t.Line(), rowGetter(at, t.Values())); err != nil {
			return err
		}
	}
}

// rowGetter gives a row's trimmed value by column name; "" for a column
// the table lacks or the row does not reach.
func rowGetter(at map[string]int, vals []string) func(string) string {
	return func(name string) string {
		if i, ok := at[name]; ok && i < len(vals) {
			return strings.TrimSpace(vals[i])
		}
		return ""
	}
}
