package loaders

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Where a sheet's table starts and ends. Exports put rows above the header
// — a title (企业名单), a notice (数据使用声明), the query — and notes below
// the data (数据来源：…); hand-over workbooks merge title cells and split a
// header over two rows. headedTable finds the header among the first rows,
// skips what is not the table, and says what it skipped.

// rowSource is a stream of raw rows: a sheet or the records of a CSV file.
type rowSource interface {
	// next returns the next non-blank row and its line; io.EOF at the end;
	// a *rowError for a row that cannot be read but after which the
	// source goes on; any other error ends the file.
	next() ([]string, int, error)
	formatName() string
	close() error
}

// headerScan is how many rows the header is looked for in.
const headerScan = 30

// maxNotes bounds the notes a table keeps for its reader; the rest are
// counted.
const maxNotes = 200

// tableNote is something a table did to a row that its reader should
// report: a row skipped (kind "skipped"), a byte that was not UTF-8
// ("encoding"), a row whose width differs from the header's ("width").
type tableNote struct {
	kind string
	line int
	col  string
	err  error
}

// headedTable is a table over raw rows: it finds the header, skips title,
// notice and note rows and repeated headers, mends stray bytes that are
// not UTF-8, and checks each row's width.
type headedTable struct {
	src        rowSource
	header     []string
	headerLine int
	positional bool // cells are placed by reference (XLSX): short rows are normal
	skipNotes  bool // skip note rows and repeated headers (a reader that reports notes)
	pending    []pendingRow
	vals       []string
	line       int
	notes      []tableNote
	dropped    int // notes over maxNotes
	eof        bool
}

type pendingRow struct {
	vals []string
	line int
	err  error
}

// newHeadedTable reads the first rows of src and finds the header: the
// first of the best-rated rows by score (at least two known columns); a
// header-like row just above or below it is its other half (a two-row
// header). Without score, or when no row rates, the first row is the
// header.
func newHeadedTable(src rowSource, score func([]string) int, positional bool) (*headedTable, error) {
	t := &headedTable{src: src, positional: positional, skipNotes: score != nil}
	var rows []pendingRow
	good := 0
	for good < headerScan {
		vals, line, err := src.next()
		if errors.Is(err, io.EOF) {
			t.eof = true
			break
		}
		var re *rowError
		if err != nil && !errors.As(err, &re) {
			src.close()
			return nil, err
		}
		if err != nil {
			rows = append(rows, pendingRow{line: re.line, err: err})
			if score == nil && good == 0 {
				src.close()
				return nil, &ParseError{Line: re.line, Err: fmt.Errorf("%w: header: %v", ErrRejected, re.err)}
			}
			continue
		}
		rows = append(rows, pendingRow{vals: slices.Clone(vals), line: line})
		good++
		if score == nil {
			break
		}
	}
	if good == 0 {
		src.close()
		return nil, fmt.Errorf("%w: no header row", ErrRejected)
	}
	h, best := -1, 0
	if score != nil {
		for i, r := range rows {
			if r.err != nil {
				continue
			}
			if s := score(r.vals); s >= 2 && s > best {
				h, best = i, s
			}
		}
	}
	if h < 0 {
		h = slices.IndexFunc(rows, func(r pendingRow) bool { return r.err == nil })
	}
	header := rows[h].vals
	top := h
	if score != nil {
		// The other half of a two-row header: group titles above
		// (基本信息 over 统一社会信用代码 …) or the columns a merged cell
		// spans below.
		if h > 0 && rows[h-1].err == nil && headerLike(rows[h-1].vals, score) {
			header, top = mergeHeader(rows[h-1].vals, header), h-1
		} else if h+1 < len(rows) && rows[h+1].err == nil && headerLike(rows[h+1].vals, score) {
			header = mergeHeader(header, rows[h+1].vals)
			h++
		}
	}
	for _, r := range rows[:top] {
		if r.err == nil {
			t.note("skipped", r.line, "", fmt.Errorf("skipped above the header: %s", rowText(r.vals)))
		} else {
			t.note("skipped", r.line, "", fmt.Errorf("skipped above the header, unreadable: %v", r.err))
		}
	}
	t.header = cleanHeader(header)
	for i, c := range t.header {
		if !utf8.ValidString(c) {
			t.header[i] = strings.ToValidUTF8(c, "\uFFFD")
		}
	}
	t.headerLine = rows[h].line
	t.pending = rows[h+1:]
	return t, nil
}

// headerLike reports a row that is all header: some cells name known
// columns and at least half of its cells do.
func headerLike(vals []string, score func([]string) int) bool {
	s := score(vals)
	return s >= 1 && 2*s >= filledCells(vals)
}

// mergeHeader joins the two rows of a two-row header: the lower cell
// names the column where it is given, the upper one (a merged cell
// spanning both rows) where it is not.
func mergeHeader(upper, lower []string) []string {
	out := make([]string, max(len(upper), len(lower)))
	for i := range out {
		if i < len(lower) && strings.TrimSpace(lower[i]) != "" {
			out[i] = lower[i]
		} else if i < len(upper) {
			out[i] = upper[i]
		}
	}
	return out
}

func filledCells(vals []string) int {
	n := 0
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			n++
		}
	}
	return n
}

// rowText renders a skipped row for a report: its non-empty cells, cut
// short.
func rowText(vals []string) string {
	var parts []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	s := strings.ToValidUTF8(strings.Join(parts, " | "), "\uFFFD")
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:60]) + "…"
	}
	return strconv.Quote(s)
}

// notePrefixes start the note rows exports put below (or among) their
// data: the source, remarks, the export time, totals.
var notePrefixes = []string{"数据来源", "来源：", "来源:", "注：", "注:", "说明：", "说明:", "备注：", "备注:",
	"制表", "导出时间", "导出日期", "查询时间", "免责声明", "数据使用声明", "合计", "共计", "总计", "本数据"}

// isNoteRow reports a row that is a note, not a record: a single cell,
// starting with a note word.
func isNoteRow(vals []string) bool {
	cell := ""
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			if cell != "" {
				return false
			}
			cell = v
		}
	}
	for _, p := range notePrefixes {
		if strings.HasPrefix(cell, p) {
			return true
		}
	}
	return false
}

func (t *headedTable) note(kind string, line int, col string, err error) {
	if len(t.notes) >= maxNotes {
		t.dropped++
		return
	}
	t.notes = append(t.notes, tableNote{kind: kind, line: line, col: col, err: err})
}

// drainNotes returns the notes since the last call.
func (t *headedTable) drainNotes() []tableNote {
	n := t.notes
	t.notes = nil
	return n
}

func (t *headedTable) Next() error {
	for {
		var vals []string
		var line int
		var err error
		if len(t.pending) > 0 {
			p := t.pending[0]
			t.pending = t.pending[1:]
			vals, line, err = p.vals, p.line, p.err
		} else {
			if t.eof {
				return io.EOF
			}
			vals, line, err = t.src.next()
			if errors.Is(err, io.EOF) {
				t.eof = true
				return io.EOF
			}
		}
		if err != nil {
			return err
		}
		t.line = line
		switch {
		case !t.skipNotes:
		case isNoteRow(vals):
			t.note("skipped", line, "", fmt.Errorf("skipped a note row: %s", rowText(vals)))
			continue
		case t.isHeaderAgain(vals):
			t.note("skipped", line, "", errors.New("skipped a repeat of the header"))
			continue
		}
		for i, v := range vals {
			if !utf8.ValidString(v) {
				vals[i] = strings.ToValidUTF8(v, "\uFFFD")
				t.note("encoding", line, t.colName(i), fmt.Errorf("bytes that are not UTF-8 were read as U+FFFD: %q", vals[i]))
			}
		}
		if c, ok := t.src.(interface{ cut() int }); ok && c.cut() == line && len(vals) < len(t.header) {
			return &ParseError{Line: line, Err: fmt.Errorf("%w: line %d has %d of %d fields and no line end", errTruncated, line, len(vals), len(t.header))}
		}
		if err := t.checkWidth(vals, line); err != nil {
			return err
		}
		t.vals = vals
		return nil
	}
}

// checkWidth compares a row with the header. In CSV, a row with more
// non-empty cells than the header has an unquoted delimiter in a cell,
// which moved every cell after it: the row is rejected rather than stored
// with values under the wrong columns. A CSV row with fewer cells is
// loaded and warned about. In a sheet, cells sit in their columns:
// values beyond the header are kept (as 列N) and warned about.
func (t *headedTable) checkWidth(vals []string, line int) error {
	n := len(vals)
	for n > len(t.header) && strings.TrimSpace(vals[n-1]) == "" {
		n-- // trailing empty cells: a trailing delimiter or formatting
	}
	switch {
	case n > len(t.header) && !t.positional:
		return &rowError{line: line, err: fmt.Errorf("%d cells under a header of %d: a delimiter inside a cell that is not quoted shifts the cells after it; quote that cell (\"…\") and load again", n, len(t.header))}
	case n > len(t.header):
		t.note("width", line, t.colName(len(t.header)), fmt.Errorf("values beyond the last header column (%d cells, %d headers): kept as 列N", n, len(t.header)))
	case n < len(t.header) && !t.positional:
		t.note("width", line, "", fmt.Errorf("%d cells under a header of %d: the missing cells are read as empty", n, len(t.header)))
	}
	return nil
}

func (t *headedTable) colName(i int) string {
	if i < len(t.header) && t.header[i] != "" {
		return t.header[i]
	}
	return "列" + strconv.Itoa(i+1)
}

func (t *headedTable) isHeaderAgain(vals []string) bool {
	// Most rows differ from the header in their first cell: look there
	// before counting.
	if len(vals) == 0 || len(t.header) == 0 || strings.TrimSpace(vals[0]) != t.header[0] || filledCells(vals) < 2 {
		return false
	}
	for i, v := range vals {
		h := ""
		if i < len(t.header) {
			h = t.header[i]
		}
		if strings.TrimSpace(v) != h {
			return false
		}
	}
	return true
}

func (t *headedTable) Line() int        { return t.line }
func (t *headedTable) Header() []string { return t.header }
func (t *headedTable) Values() []string { return t.vals }
func (t *headedTable) Format() string   { return t.src.formatName() }
func (t *headedTable) Close() error     { return t.src.close() }

// sheetName is the name of the sheet read, "" for a CSV file.
func (t *headedTable) sheetName() string {
	if s, ok := t.src.(interface{ sheetName() string }); ok {
		return s.sheetName()
	}
	return ""
}
