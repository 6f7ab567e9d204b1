package loaders

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// This file reads the small line-oriented format of the hand-curated data
// (chain files, parks): sections with a header in brackets, fields as
// "key: value", comments, and continuation lines. It is ours rather than
// YAML so that a domain expert can edit it in any text editor without
// knowing YAML's quoting and indentation rules, and so that every value
// keeps the line it was written on for error reports.
//
//	# a comment: a line whose first non-blank character is '#'
//	[node materials/cathode] 正极材料     ← a section: header, then an optional title
//	codes:    3985 电子专用材料制造         ← a field
//	keywords: 正极材料, 磷酸铁锂            ← a list: items split on , ， 、 ; ；
//	          三元材料                      ← a continuation: starts with a blank
//	products: 磷酸铁锂 # text after " #" is a comment too

// record is one section of a record file.
type record struct {
	Header string // the text in brackets: "node materials/cathode"
	Title  string // the text after the closing bracket: 正极材料
	Line   int
	Fields []recordField
}

// recordField is one "key: value" of a record; Value joins its continuation lines
// with a newline.
type recordField struct {
	Key   string
	Value string
	Line  int
}

// readRecords splits a record file into sections. Lines that are neither a
// section, a field, a continuation, a comment nor blank are reported with
// their line; text before the first section is an error too.
func readRecords(r io.Reader, file string) ([]record, []*ParseError, error) {
	var (
		recs []record
		errs []*ParseError
		last *recordField
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		raw := sc.Text()
		if n == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		if !utf8.ValidString(raw) {
			errs = append(errs, &ParseError{File: file, Line: n, Err: fmt.Errorf("not valid UTF-8")})
			last = nil
			continue
		}
		line := stripComment(raw)
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			if strings.TrimSpace(raw) == "" {
				last = nil // a blank line ends a continuation; a comment line does not
			}
			continue
		}
		switch {
		case line[0] == ' ' || line[0] == '\t':
			if last == nil {
				errs = append(errs, &ParseError{File: file, Line: n, Err: fmt.Errorf("indented line continues no field")})
				continue
			}
			last.Value += "\n" + trimmed
		case line[0] == '[':
			end := strings.IndexByte(line, ']')
			if end < 0 {
				errs = append(errs, &ParseError{File: file, Line: n, Err: fmt.Errorf("section header without ']'")})
				last = nil
				continue
			}
			recs = append(recs, record{
				Header: strings.Join(strings.Fields(line[1:end]), " "),
				Title:  strings.TrimSpace(line[end+1:]),
				Line:   n,
			})
			last = nil
		default:
			key, val, ok := strings.Cut(trimmed, ":")
			if !ok {
				key, val, ok = strings.Cut(trimmed, "：")
			}
			key = strings.TrimSpace(key)
			if !ok || !isKey(key) {
				errs = append(errs, &ParseError{File: file, Line: n, Err: fmt.Errorf("want \"key: value\", a [section], a # comment or an indented continuation; got %q", trimmed)})
				last = nil
				continue
			}
			if len(recs) == 0 {
				errs = append(errs, &ParseError{File: file, Line: n, Column: key, Err: fmt.Errorf("field before the first [section]")})
				last = nil
				continue
			}
			rec := &recs[len(recs)-1]
			rec.Fields = append(rec.Fields, recordField{Key: key, Value: strings.TrimSpace(val), Line: n})
			last = &rec.Fields[len(rec.Fields)-1]
		}
	}
	if err := sc.Err(); err != nil {
		return recs, errs, &ParseError{File: file, Line: n + 1, Err: err}
	}
	return recs, errs, nil
}

// readPipeTable reads the hand-curated tables (crosswalk, industry maps): a
// row per line, fields split on "|" and trimmed, comments and blank lines
// skipped. A row with another number of fields than columns is rejected with
// its line; fn gets the others with their line and returns an error only to
// stop the read.
func readPipeTable(ctx context.Context, r io.Reader, file string, columns []string, rep *Report, fn func(line int, fields []string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		line = stripComment(line)
		if strings.TrimSpace(line) == "" {
			continue
		}
		rep.Rows++
		parts := strings.Split(line, "|")
		if len(parts) != len(columns) {
			rep.Reject(n, "", fmt.Errorf("%d fields; want %s", len(parts), strings.Join(columns, " | ")))
			continue
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		if err := fn(n, parts); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return &ParseError{File: file, Line: n + 1, Err: err}
	}
	return nil
}

// stripComment removes a whole-line comment and a trailing " # …" comment.
func stripComment(s string) string {
	if t := strings.TrimSpace(s); strings.HasPrefix(t, "#") {
		return ""
	}
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return strings.TrimRight(s[:i], " \t")
		}
	}
	return strings.TrimRight(s, " \t")
}

func isKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// splitList splits a list value on commas (half- and full-width), 、, semicolons
// and newlines, trimming each item and dropping empty ones.
func splitList(v string) []string { return splitOn(v, "，、;；\n,") }

// splitCodes splits a list of codes, whose official names may hold 、
// (1092 石墨、滑石采选), on commas, semicolons and newlines only.
func splitCodes(v string) []string { return splitOn(v, "，;；\n,") }

func splitOn(v, seps string) []string {
	parts := strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(seps, r) })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// joinText joins a text value's continuation lines: without a space between
// Chinese characters, with one between words.
func joinText(v string) string {
	lines := strings.Split(v, "\n")
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(b.String())
			next, _ := utf8.DecodeRuneInString(l)
			if prev < utf8.RuneSelf || next < utf8.RuneSelf {
				b.WriteByte(' ')
			}
		}
		b.WriteString(l)
	}
	return b.String()
}

// fieldSet gives checked access to a record's fields: each key may appear
// once, and keys nobody asked for are reported by unknown.
type fieldSet struct {
	file string
	rec  *record
	used map[string]bool
	errs *[]*ParseError
}

func newFieldSet(file string, rec *record, errs *[]*ParseError) *fieldSet {
	fs := &fieldSet{file: file, rec: rec, used: map[string]bool{}, errs: errs}
	seen := map[string]int{}
	for _, f := range rec.Fields {
		if at, dup := seen[f.Key]; dup {
			fs.fail(f.Line, f.Key, fmt.Errorf("given twice (first on line %d)", at))
			continue
		}
		seen[f.Key] = f.Line
	}
	return fs
}

func (fs *fieldSet) fail(line int, key string, err error) {
	*fs.errs = append(*fs.errs, &ParseError{File: fs.file, Line: line, Column: key, Err: err})
}

// get returns the first value of key and its line (the record's line when absent).
func (fs *fieldSet) get(key string) (string, int, bool) {
	fs.used[key] = true
	for _, f := range fs.rec.Fields {
		if f.Key == key {
			return f.Value, f.Line, true
		}
	}
	return "", fs.rec.Line, false
}

func (fs *fieldSet) text(key string) string {
	v, _, _ := fs.get(key)
	return joinText(v)
}

func (fs *fieldSet) list(key string) ([]string, int) {
	v, line, _ := fs.get(key)
	return splitList(v), line
}

// unknown reports the fields that no get asked for.
func (fs *fieldSet) unknown(allowed string) {
	for _, f := range fs.rec.Fields {
		if !fs.used[f.Key] {
			fs.fail(f.Line, f.Key, fmt.Errorf("unknown field; want one of %s", allowed))
		}
	}
}
