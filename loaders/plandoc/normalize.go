package plandoc

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Norm is a document's text normalised for extraction — simplified
// characters, half-width digits and punctuation, no stray spaces inside
// words, no pinyin annotations — with a map from every normalised character
// back to the character of the original text it came from, so evidence
// points at the original.
type Norm struct {
	// Text is the normalised text. Extraction works on it; its offsets are
	// bytes.
	Text string
	raw  []rune // the original text
	src  []int  // src[i] is the index in raw of the i-th rune of Text
	off  []int  // off[i] is the byte offset in Text of its i-th rune; off[len] = len(Text)
}

// runeBuf is text under normalisation: its runes and, for each, the index
// of the original rune it stands for.
type runeBuf struct {
	r   []rune
	src []int
}

func (b *runeBuf) add(r rune, src int) {
	b.r = append(b.r, r)
	b.src = append(b.src, src)
}

// Normalise normalises a document's text.
func Normalise(t *Text) (*Norm, error) {
	raw := []rune(t.Raw)
	b := runeBuf{r: make([]rune, 0, len(raw)), src: make([]int, 0, len(raw))}
	for i, r := range raw {
		b.add(r, i)
	}
	if t.Format == FormatMarkdown {
		b = stripMarkdown(b)
	}
	b = foldWidth(b)
	b = dropPinyin(b)
	var err error
	if b, err = toSimplified(b); err != nil {
		return nil, err
	}
	b = dropStraySpaces(b, t.Format == FormatPDF)
	n := &Norm{Text: string(b.r), raw: raw, src: b.src, off: make([]int, 0, len(b.r)+1)}
	o := 0
	for _, r := range b.r {
		n.off = append(n.off, o)
		o += utf8.RuneLen(r)
	}
	n.off = append(n.off, o)
	return n, nil
}

// runeIndex returns the rune index of byte offset o of Text.
func (n *Norm) runeIndex(o int) int {
	lo, hi := 0, len(n.off)-1
	for lo < hi {
		m := (lo + hi) / 2
		if n.off[m] < o {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Raw returns the span of the original text that bytes [start, end) of
// Text came from, as rune offsets, and its text.
func (n *Norm) Raw(start, end int) (int, int, string) {
	if len(n.src) == 0 {
		return 0, 0, ""
	}
	a, z := n.runeIndex(start), n.runeIndex(end)
	if z <= a {
		z = a + 1
	}
	a, z = min(a, len(n.src)-1), min(z, len(n.src))
	rs, re := n.src[a], n.src[z-1]+1
	return rs, re, string(n.raw[rs:re])
}

// stripMarkdown drops Markdown markup that is not text: emphasis and code
// marks, heading and quote marks at line starts, link targets.
func stripMarkdown(b runeBuf) runeBuf {
	var out runeBuf
	lineStart := true
	for i := 0; i < len(b.r); i++ {
		r := b.r[i]
		switch {
		case lineStart && (r == '#' || r == '>'):
			continue
		case r == '*' || r == '`':
			continue
		case r == ']' && i+1 < len(b.r) && b.r[i+1] == '(':
			// [text](target): keep text, drop the target.
			j := i + 1
			for j < len(b.r) && b.r[j] != ')' && b.r[j] != '\n' {
				j++
			}
			if j < len(b.r) && b.r[j] == ')' {
				i = j
				continue
			}
		case r == '[' && i+1 < len(b.r) && b.r[i+1] != ' ':
			continue
		}
		if r != ' ' && r != '#' {
			lineStart = r == '\n'
		}
		out.add(r, b.src[i])
	}
	return out
}

// foldWidth maps full-width ASCII (，１２３％) to ASCII, spaces of every kind
// to ' ', corner brackets to curly quotes, and drops zero-width characters
// and carriage returns.
func foldWidth(b runeBuf) runeBuf {
	var out runeBuf
	out.r, out.src = make([]rune, 0, len(b.r)), make([]int, 0, len(b.r))
	for i, r := range b.r {
		switch {
		case r == '?' && i+1 < len(b.r) && (isHan(b.r[i+1]) || b.r[i+1] == '?' || b.r[i+1] == '('):
			// An ASCII '?' inside Chinese text stands for a character the
			// page lost in a wrong encoding, not for a question.
			r = utf8.RuneError
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000 || r == 0xA0 || r >= 0x2000 && r <= 0x200A || r == 0x202F || r == 0x205F:
			r = ' '
		case r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF || r == '\r':
			continue
		case r == '「' || r == '『':
			r = '“'
		case r == '」' || r == '』':
			r = '”'
		case r == '〔' || r == '【':
			r = '('
		case r == '〕' || r == '】':
			r = ')'
		}
		out.add(r, b.src[i])
	}
	return out
}

// toneMarked holds the vowels with tone marks of Hanyu Pinyin.
const toneMarked = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"

func pinyinLetter(r rune) bool {
	return r >= 'a' && r <= 'z' || r == 'ü' || strings.ContainsRune(toneMarked, r)
}

// pinyinAt reports whether an annotation "(pīn)" starts at b.r[i] after a
// Chinese character, and its length; marked says whether it has a tone mark.
func pinyinAt(b runeBuf, i int) (n int, marked bool) {
	// The annotated character may itself be lost ("?(jī)") or garbled
	// ("M(jìn)"), and the opening bracket may be lost too ("?jī)"): a
	// syllable with a tone mark in brackets is pinyin after any character.
	lostOpen := b.r[i] == '?' || b.r[i] == utf8.RuneError
	if b.r[i] != '(' && !lostOpen || i == 0 {
		return 0, false
	}
	afterASCII := b.r[i-1] < 0x80 && (unicode.IsLetter(b.r[i-1]) || unicode.IsDigit(b.r[i-1]) || unicode.IsSpace(b.r[i-1]))
	j := i + 1
	for j < len(b.r) && j-i <= 7 && pinyinLetter(b.r[j]) {
		if strings.ContainsRune(toneMarked, b.r[j]) {
			marked = true
		}
		j++
	}
	if j == i+1 || j >= len(b.r) || b.r[j] != ')' {
		return 0, false
	}
	if (lostOpen || afterASCII) && !marked {
		return 0, false
	}
	return j - i + 1, marked
}

// dropPinyin removes the pinyin some mirror sites insert after characters:
// 業(yè) → 業. An annotation without a tone mark (de) is removed only in a
// text that has marked ones.
func dropPinyin(b runeBuf) runeBuf {
	marked := 0
	for i := range b.r {
		if _, m := pinyinAt(b, i); m {
			marked++
		}
	}
	if marked == 0 {
		return b
	}
	var out runeBuf
	for i := 0; i < len(b.r); i++ {
		if n, m := pinyinAt(b, i); n > 0 && (m || marked >= 3) {
			i += n - 1
			continue
		}
		out.add(b.r[i], b.src[i])
	}
	return out
}

var (
	t2sOnce sync.Once
	t2s     *opencc.OpenCC
	t2sErr  error
	t2sMu   sync.Mutex
)

func convertT2S(s string) (string, error) {
	t2sOnce.Do(func() { t2s, t2sErr = opencc.New("t2s") })
	if t2sErr != nil {
		return "", fmt.Errorf("plandoc: traditional-to-simplified converter: %w", t2sErr)
	}
	t2sMu.Lock()
	defer t2sMu.Unlock()
	return t2s.Convert(s)
}

// toSimplified converts traditional characters to simplified ones, line by
// line. The conversion keeps a line's length almost always; where it does
// not (a phrase of another length), the line is converted character by
// character so each character keeps its place.
func toSimplified(b runeBuf) (runeBuf, error) {
	hasHan := false
	for _, r := range b.r {
		if r >= 0x3400 {
			hasHan = true
			break
		}
	}
	if !hasHan {
		return b, nil
	}
	out := runeBuf{r: make([]rune, 0, len(b.r)), src: b.src}
	for start := 0; start < len(b.r); {
		end := start
		for end < len(b.r) && b.r[end] != '\n' {
			end++
		}
		line := b.r[start:end]
		conv, err := convertT2S(string(line))
		if err != nil {
			return b, err
		}
		if cr := []rune(conv); len(cr) == len(line) {
			out.r = append(out.r, cr...)
		} else {
			for _, r := range line {
				c, err := convertT2S(string(r))
				if err != nil {
					return b, err
				}
				if cr := []rune(c); len(cr) == 1 {
					r = cr[0]
				}
				out.r = append(out.r, r)
			}
		}
		if end < len(b.r) {
			out.r = append(out.r, '\n')
		}
		start = end + 1
	}
	return out, nil
}

// wide reports whether r is a Chinese character or CJK punctuation: a space
// next to one is a stray space, not a word break.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF ||
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·'
}

// tabulate turns the wide gaps of a table's row into tabs: a line with two
// or more runs of two or more spaces between words ("1  规模以上工业增加值
// 亿元  4200  6000") is a row of cells.
func tabulate(b runeBuf) runeBuf {
	var out runeBuf
	for start := 0; start < len(b.r); {
		end := start
		for end < len(b.r) && b.r[end] != '\n' {
			end++
		}
		gaps := 0
		for i := start; i < end; {
			j := i
			for j < end && b.r[j] == ' ' {
				j++
			}
			if j-i >= 2 && i > start && j < end {
				gaps++
			}
			i = max(j, i+1)
		}
		for i := start; i < end; {
			j := i
			for j < end && b.r[j] == ' ' {
				j++
			}
			if gaps >= 2 && j-i >= 2 && i > start && j < end {
				out.add('\t', b.src[i])
				i = j
				continue
			}
			out.add(b.r[i], b.src[i])
			i++
		}
		if end < len(b.r) {
			out.add('\n', b.src[end])
		}
		start = end + 1
	}
	return out
}

// labelAhead reports whether a field label ("组配分类:") starts the text: a
// space before it separates two fields of a page header and stays.
func labelAhead(r []rune) bool {
	for i := 0; i < len(r) && i <= 6; i++ {
		switch {
		case r[i] == ':' || r[i] == '：':
			return i >= 2
		case !isHan(r[i]):
			return false
		}
	}
	return false
}

// statingChars end the words that state a number (超, 达, 为, 突破 …).
const statingChars = "超达为至过破约近逾"

// dropStraySpaces removes spaces inside Chinese text (優 質 → 優質, 占 GDP
// 比重 → 占GDP比重, 50 % → 50%) and at line ends; spaces between Latin words
// stay. In a PDF it also joins lines broken inside a sentence.
func dropStraySpaces(b runeBuf, joinLines bool) runeBuf {
	b = tabulate(b)
	var out runeBuf
	out.r, out.src = make([]rune, 0, len(b.r)), make([]int, 0, len(b.r))
	n := len(b.r)
	lineLen := 0
	for i := 0; i < n; i++ {
		r := b.r[i]
		if r == ' ' {
			j := i
			for j < n && b.r[j] == ' ' {
				j++
			}
			var prev, next rune = '\n', '\n'
			if len(out.r) > 0 {
				prev = out.r[len(out.r)-1]
			}
			if j < n {
				next = b.r[j]
			}
			keep := !(prev == '\n' || next == '\n' || wide(prev) || wide(next) ||
				unicode.IsDigit(prev) && (next == '%' || next == '.') || prev == '.' && unicode.IsDigit(next)) ||
				prev != '\n' && labelAhead(b.r[j:])
			if keep {
				out.add(' ', b.src[i])
			}
			i = j - 1
			continue
		}
		// A number broken from the word that states it ("超\n\n70%")
		// continues its line.
		if r == '\n' && len(out.r) > 0 && strings.ContainsRune(statingChars, out.r[len(out.r)-1]) {
			j := i
			for j < n && (b.r[j] == '\n' || b.r[j] == ' ') {
				j++
			}
			if j < n && unicode.IsDigit(b.r[j]) {
				i = j - 1
				continue
			}
		}
		if r == '\n' && joinLines && len(out.r) > 0 && i+1 < n && lineLen >= 20 {
			prev, next := out.r[len(out.r)-1], b.r[i+1]
			if !strings.ContainsRune("。!?:;”", prev) && (unicode.Is(unicode.Han, next) || unicode.IsDigit(next) || next == '“') {
				lineLen = 0
				continue
			}
		}
		if r == '\n' {
			lineLen = 0
		} else {
			lineLen++
		}
		out.add(r, b.src[i])
	}
	return out
}
