package graph

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// creditAlphabet is the character set of 统一社会信用代码 (GB 32100-2015):
// digits and upper-case letters without I, O, S, V and Z. A character's
// value is its position.
const creditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights are the weights of positions 1–17 for the check character.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCode is a validated 统一社会信用代码: 18 characters, GB 32100-2015
// check character correct.
type CreditCode string

// ParseCreditCode validates s as a 统一社会信用代码. It trims spaces and folds
// full-width characters and lower case (as registry exports and pasted text
// have them) before checking length, alphabet and check character.
func ParseCreditCode(s string) (CreditCode, error) {
	n := FoldWidth(strings.TrimSpace(s))
	n = strings.ToUpper(n)
	if utf8.RuneCountInString(n) != 18 {
		return "", fmt.Errorf("%w: credit code %q has %d characters, want 18", ErrInvalid, s, utf8.RuneCountInString(n))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, n[i])
		if v < 0 {
			return "", fmt.Errorf("%w: credit code %q: character %d %q is not allowed", ErrInvalid, s, i+1, n[i])
		}
		sum += v * creditWeights[i]
	}
	want := creditAlphabet[(31-sum%31)%31]
	if n[17] != want {
		return "", fmt.Errorf("%w: credit code %q: check character is %q, want %q", ErrInvalid, s, n[17], want)
	}
	return CreditCode(n), nil
}

// CreditCheckChar returns the check character that completes the 17-character
// prefix p, for generators of test and benchmark data. p must be 17 characters
// of the credit-code alphabet.
func CreditCheckChar(p string) (byte, error) {
	if len(p) != 17 {
		return 0, fmt.Errorf("%w: credit code prefix %q has %d characters, want 17", ErrInvalid, p, len(p))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditAlphabet, p[i])
		if v < 0 {
			return 0, fmt.Errorf("%w: credit code prefix %q: character %d is not allowed", ErrInvalid, p, i+1)
		}
		sum += v * creditWeights[i]
	}
	return creditAlphabet[(31-sum%31)%31], nil
}

// RegisteringRegion returns the region code in characters 3–8: the
// administrative division of the authority that registered the entity.
func (c CreditCode) RegisteringRegion() (RegionCode, error) {
	return ParseRegionCode(string(c[2:8]))
}

// String returns the code.
func (c CreditCode) String() string { return string(c) }

// FoldWidth maps full-width ASCII variants (ＡＢＣ１２３, U+FF01–U+FF5E) and the
// ideographic space to their ASCII forms.
func FoldWidth(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFF01 && r <= 0xFF5E || r == 0x3000 }) {
		return s // nothing to fold: no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			b.WriteRune(r - 0xFEE0)
		case r == 0x3000:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RegionCode is a GB/T 2260 administrative division code: six digits
// (province 370000, city 370600, county 370613), or nine for a town (370613001).
type RegionCode string

// RegionLevel is the level of a division.
type RegionLevel string

// Region levels.
const (
	LevelProvince RegionLevel = "province"
	LevelCity     RegionLevel = "city"
	LevelCounty   RegionLevel = "county"
	LevelTown     RegionLevel = "town"
)

// ParseRegionCode validates s as a six- or nine-digit division code whose
// province part is not 00.
func ParseRegionCode(s string) (RegionCode, error) {
	s = FoldWidth(strings.TrimSpace(s))
	if len(s) != 6 && len(s) != 9 {
		return "", fmt.Errorf("%w: region code %q: want 6 digits (or 9 for a town)", ErrInvalid, s)
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", fmt.Errorf("%w: region code %q: not all digits", ErrInvalid, s)
		}
	}
	if s[:2] == "00" || s[0] == '0' {
		return "", fmt.Errorf("%w: region code %q: no province has code %s", ErrInvalid, s, s[:2])
	}
	if len(s) == 6 && s[2:4] == "00" && s[4:6] != "00" {
		return "", fmt.Errorf("%w: region code %q: a county code needs a city part", ErrInvalid, s)
	}
	return RegionCode(s), nil
}

// Level returns the division level the code's shape implies.
func (c RegionCode) Level() RegionLevel {
	switch {
	case len(c) == 9:
		return LevelTown
	case c[2:] == "0000":
		return LevelProvince
	case c[4:] == "00":
		return LevelCity
	default:
		return LevelCounty
	}
}

// Province returns the code of the province the division is in.
func (c RegionCode) Province() RegionCode { return c[:2] + "0000" }

// City returns the code of the city-level division the division is in, or the
// province code for a province.
func (c RegionCode) City() RegionCode {
	if c.Level() == LevelProvince {
		return c
	}
	return c[:4] + "00"
}

// Contains reports whether o lies within c (or is c), judged by the code.
func (c RegionCode) Contains(o RegionCode) bool {
	switch c.Level() {
	case LevelProvince:
		return len(o) >= 2 && o[:2] == c[:2]
	case LevelCity:
		return len(o) >= 4 && o[:4] == c[:4]
	case LevelCounty:
		return len(o) >= 6 && o[:6] == c[:6]
	default:
		return o == c
	}
}

// IRI returns the region's IRI.
func (c RegionCode) IRI() quad.IRI { return quad.IRI(prefixRegion + string(c)) }

// String returns the code.
func (c RegionCode) String() string { return string(c) }

// IndustryCode is a GB/T 4754-2017 code: a section letter (门类, "C"), or
// two, three or four digits (大类 "38", 中类 "384", 小类 "3841").
type IndustryCode string

// IndustryLevel is the level of an industry code.
type IndustryLevel string

// Industry code levels (门类, 大类, 中类, 小类).
const (
	CodeSection  IndustryLevel = "section"
	CodeDivision IndustryLevel = "division"
	CodeGroup    IndustryLevel = "group"
	CodeClass    IndustryLevel = "class"
)

// ParseIndustryCode validates s as a GB/T 4754 code. A letter prefix on a
// numeric code, as some exports write it ("C3841"), is dropped.
func ParseIndustryCode(s string) (IndustryCode, error) {
	n := strings.ToUpper(FoldWidth(strings.TrimSpace(s)))
	if len(n) == 1 && n[0] >= 'A' && n[0] <= 'T' {
		return IndustryCode(n), nil
	}
	if len(n) >= 3 && n[0] >= 'A' && n[0] <= 'T' {
		n = n[1:]
	}
	if len(n) < 2 || len(n) > 4 {
		return "", fmt.Errorf("%w: industry code %q: want a section letter A–T or 2, 3 or 4 digits", ErrInvalid, s)
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return "", fmt.Errorf("%w: industry code %q: want a section letter A–T or 2, 3 or 4 digits", ErrInvalid, s)
		}
	}
	if n[:2] == "00" {
		return "", fmt.Errorf("%w: industry code %q: no division 00", ErrInvalid, s)
	}
	return IndustryCode(n), nil
}

// Level returns the code's level.
func (c IndustryCode) Level() IndustryLevel {
	switch len(c) {
	case 1:
		return CodeSection
	case 2:
		return CodeDivision
	case 3:
		return CodeGroup
	default:
		return CodeClass
	}
}

// Division returns the two-digit 大类 of a numeric code ("" for a section).
func (c IndustryCode) Division() IndustryCode {
	if len(c) < 2 {
		return ""
	}
	return c[:2]
}

// IRI returns the code's IRI.
func (c IndustryCode) IRI() quad.IRI { return quad.IRI(prefixCode + string(c)) }

// String returns the code.
func (c IndustryCode) String() string { return string(c) }

// ChainID is a chain's slug: lower-case ASCII letters, digits and '-', such as "nev".
type ChainID string

// ParseChainID validates s as a chain slug.
func ParseChainID(s string) (ChainID, error) {
	if err := checkSlug(s); err != nil {
		return "", fmt.Errorf("%w: chain id %q: %v", ErrInvalid, s, err)
	}
	return ChainID(s), nil
}

// IRI returns the chain's IRI.
func (c ChainID) IRI() quad.IRI { return quad.IRI(prefixChain + string(c)) }

// String returns the slug.
func (c ChainID) String() string { return string(c) }

// NodeID is a chain node's chain-scoped id, "chain/node" ("nev/battery-cell").
type NodeID string

// ParseNodeID validates s as "chain/node" with two slugs.
func ParseNodeID(s string) (NodeID, error) {
	c, n, ok := strings.Cut(s, "/")
	if !ok {
		return "", fmt.Errorf("%w: node id %q: want chain/node", ErrInvalid, s)
	}
	if err := checkSlug(c); err != nil {
		return "", fmt.Errorf("%w: node id %q: chain part: %v", ErrInvalid, s, err)
	}
	if err := checkSlug(n); err != nil {
		return "", fmt.Errorf("%w: node id %q: node part: %v", ErrInvalid, s, err)
	}
	return NodeID(s), nil
}

// NewNodeID joins a chain and a node slug.
func NewNodeID(c ChainID, slug string) (NodeID, error) {
	return ParseNodeID(string(c) + "/" + slug)
}

// Chain returns the chain the node belongs to.
func (n NodeID) Chain() ChainID {
	c, _, _ := strings.Cut(string(n), "/")
	return ChainID(c)
}

// Slug returns the node's part of the id.
func (n NodeID) Slug() string {
	_, s, _ := strings.Cut(string(n), "/")
	return s
}

// IRI returns the node's IRI.
func (n NodeID) IRI() quad.IRI { return quad.IRI(prefixNode + string(n)) }

// String returns the id.
func (n NodeID) String() string { return string(n) }

// ParkID is a park's slug ("yantai-hitech-zone").
type ParkID string

// ParseParkID validates s as a park slug.
func ParseParkID(s string) (ParkID, error) {
	if err := checkSlug(s); err != nil {
		return "", fmt.Errorf("%w: park id %q: %v", ErrInvalid, s, err)
	}
	return ParkID(s), nil
}

// IRI returns the park's IRI.
func (p ParkID) IRI() quad.IRI { return quad.IRI(prefixPark + string(p)) }

// String returns the slug.
func (p ParkID) String() string { return string(p) }

// PlanID is a plan's slug, derived from its document ("jinan-14th-fyp-industry").
type PlanID string

// ParsePlanID validates s as a plan slug.
func ParsePlanID(s string) (PlanID, error) {
	if err := checkSlug(s); err != nil {
		return "", fmt.Errorf("%w: plan id %q: %v", ErrInvalid, s, err)
	}
	return PlanID(s), nil
}

// IRI returns the plan's IRI.
func (p PlanID) IRI() quad.IRI { return quad.IRI(prefixPlan + string(p)) }

// String returns the slug.
func (p PlanID) String() string { return string(p) }

// FirmID identifies a firm: its credit code, or for a registry without one a
// surrogate "x-" + a slug of the registry's own key. Never a display name.
type FirmID string

// FirmIDFromCode returns the id of the firm with credit code c.
func FirmIDFromCode(c CreditCode) FirmID { return FirmID(c) }

// SurrogateFirmID makes a stable id from a registry's own key (a stock code,
// a row key), for firms whose registry gives no credit code.
func SurrogateFirmID(key string) (FirmID, error) {
	k := strings.ToLower(FoldWidth(strings.TrimSpace(key)))
	k = strings.NewReplacer(".", "-", "_", "-", " ", "-").Replace(k)
	if err := checkSlug(k); err != nil {
		return "", fmt.Errorf("%w: surrogate firm key %q: %v", ErrInvalid, key, err)
	}
	return FirmID("x-" + k), nil
}

// ParseFirmID validates s as a credit code or a surrogate id.
func ParseFirmID(s string) (FirmID, error) {
	if strings.HasPrefix(s, "x-") {
		if err := checkSlug(s[2:]); err != nil {
			return "", fmt.Errorf("%w: firm id %q: %v", ErrInvalid, s, err)
		}
		return FirmID(s), nil
	}
	c, err := ParseCreditCode(s)
	if err != nil {
		return "", err
	}
	return FirmID(c), nil
}

// CreditCode returns the firm's credit code, if its id is one.
func (f FirmID) CreditCode() (CreditCode, bool) {
	if strings.HasPrefix(string(f), "x-") {
		return "", false
	}
	return CreditCode(f), true
}

// IRI returns the firm's IRI.
func (f FirmID) IRI() quad.IRI { return quad.IRI(prefixFirm + string(f)) }

// String returns the id.
func (f FirmID) String() string { return string(f) }

// SourceID names a source: a kind and a slug of its origin ("registry/a-share-stock-basic").
type SourceID string

// ParseSourceID validates s as "kind/name": the kind a slug, the name
// lower-case letters of any script, digits, '-' and '.'.
func ParseSourceID(s string) (SourceID, error) {
	k, n, ok := strings.Cut(s, "/")
	if !ok || checkSlug(k) != nil || checkSourceName(n) != nil {
		return "", fmt.Errorf("%w: source id %q: want kind/name of lower-case letters, digits, '-' and '.'", ErrInvalid, s)
	}
	return SourceID(s), nil
}

// NewSourceID builds a source id from a kind and any name (a file name,
// say): SourceName keeps it readable, Chinese included. Names that differ
// only in case, width or punctuation other than '.' give one id;
// the loads that name sources from files refuse a second file whose name
// folds onto a source loaded from another name.
func NewSourceID(kind SourceKind, name string) (SourceID, error) {
	return ParseSourceID(string(kind) + "/" + SourceName(name))
}

// SourceName reduces a file name to the name part of a source id: letters
// (of any script, lower case), digits and '.' kept, any other run of
// characters ('_', spaces, brackets, '、' …) one '-'. ASCII names give the
// ids Slugify gave them, so sources loaded before keep their ids;
// 烟台 企业名录.csv gives 烟台-企业名录.csv.
func SourceName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(FoldWidth(name)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) && b.Len() > 0 || r == '.' && b.Len() > 0:
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	s := b.String()
	for len(s) > maxSourceName {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	s = strings.Trim(s, "-.")
	if s == "" {
		s = "x"
	}
	return s
}

// maxSourceName bounds the name part of a source id, in bytes.
const maxSourceName = 180

// checkSourceName accepts what SourceName makes: 1–200 bytes of lower-case
// letters of any script, digits, marks, '-' and '.', starting with a letter
// or digit.
func checkSourceName(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	if len(s) > 200 {
		return fmt.Errorf("longer than 200 bytes")
	}
	for i, r := range s {
		ok := unicode.IsLetter(r) && !unicode.IsUpper(r) && !unicode.IsTitle(r) || unicode.IsDigit(r) ||
			i > 0 && (unicode.IsMark(r) || r == '-' || r == '.')
		if !ok {
			return fmt.Errorf("character %q at %d", r, i)
		}
	}
	return nil
}

// IRI returns the source's IRI.
func (s SourceID) IRI() quad.IRI { return quad.IRI(prefixSource + string(s)) }

// String returns the id.
func (s SourceID) String() string { return string(s) }

// checkSlug accepts 1–200 characters of a–z, 0–9, '-' and '.', not starting with '-' or '.'.
func checkSlug(s string) error {
	if s == "" {
		return fmt.Errorf("empty")
	}
	if len(s) > 200 {
		return fmt.Errorf("longer than 200 characters")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || (c == '-' || c == '.') && i > 0
		if !ok {
			return fmt.Errorf("character %q at %d: want a–z, 0–9, '-' or '.'", c, i)
		}
	}
	return nil
}

// Slugify reduces any name to a slug: ASCII letters and digits kept (lower
// case), other ASCII runs become '-'. A name with any non-ASCII text also
// gets the hex of a short hash of the whole name, so Chinese names give
// distinct, stable slugs even when they differ only in punctuation
// (人工智能 and 人工智能+).
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	nonASCII := false
	for _, r := range strings.ToLower(FoldWidth(name)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' && b.Len() > 0:
			b.WriteRune(r)
			dash = false
		case r < utf8.RuneSelf:
			if b.Len() > 0 && !dash {
				b.WriteByte('-')
				dash = true
			}
		default:
			nonASCII = true
		}
	}
	s := strings.Trim(b.String(), "-.")
	if len(s) > 180 {
		s = strings.Trim(s[:180], "-.")
	}
	if nonASCII {
		if s != "" {
			s += "-"
		}
		s += fmt.Sprintf("u%08x", fnv32(name))
	}
	if s == "" {
		s = "x"
	}
	return s
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
