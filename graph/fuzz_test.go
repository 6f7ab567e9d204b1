package graph

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseCreditCode: the parser never panics, and what it accepts is a
// canonical code whose check character is right and which parses to itself.
//
//	go test ./graph -run '^$' -fuzz FuzzParseCreditCode -fuzztime 30s
func FuzzParseCreditCode(f *testing.F) {
	for _, s := range []string{"914403001922038216", "9144030071526726xg", "９１４４０３００１９２２０３８２１６",
		"914403001922038217", "", "I", "91440300192203821６", "\x00\xff", "91110000100010433L  "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCreditCode(s)
		if err != nil {
			return
		}
		if len(c) != 18 || strings.ToUpper(string(c)) != string(c) {
			t.Fatalf("ParseCreditCode(%q) = %q: not 18 upper-case characters", s, c)
		}
		want, err := CreditCheckChar(string(c[:17]))
		if err != nil || want != c[17] {
			t.Fatalf("ParseCreditCode(%q) = %q: check character %q, want %q (%v)", s, c, c[17], want, err)
		}
		if again, err := ParseCreditCode(string(c)); err != nil || again != c {
			t.Fatalf("%q does not parse to itself: %q %v", c, again, err)
		}
		if _, err := c.RegisteringRegion(); err != nil && !utf8.ValidString(string(c)) {
			t.Fatalf("%q: %v", c, err)
		}
	})
}

// FuzzParseCodes: the region and industry code parsers never panic and
// accept only canonical forms.
func FuzzParseCodes(f *testing.F) {
	for _, s := range []string{"370613", "370000", "370613001", "C3841", "3841", "Z", "00", "３７０６１３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ParseRegionCode(s); err == nil {
			_ = r.Level()
			if !r.Province().Contains(r) || !r.City().Contains(r) && r.Level() != LevelProvince {
				t.Fatalf("region %q is not within its own province and city", r)
			}
		}
		if c, err := ParseIndustryCode(s); err == nil {
			if again, err := ParseIndustryCode(string(c)); err != nil || again != c {
				t.Fatalf("industry code %q does not parse to itself", c)
			}
		}
		if id, err := ParseNodeID(s); err == nil && string(id.Chain())+"/"+id.Slug() != s {
			t.Fatalf("node id %q splits into %q and %q", s, id.Chain(), id.Slug())
		}
		if err := checkSlug(Slugify(s)); err != nil {
			t.Fatalf("Slugify(%q) = %q: %v", s, Slugify(s), err)
		}
	})
}
