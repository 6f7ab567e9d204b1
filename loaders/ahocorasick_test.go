package loaders

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// bruteForce finds every occurrence of every pattern by trying each start.
func bruteForce(patterns []string, text string) []match {
	var out []match
	for i := 0; i < len(text); i++ {
		for pi, p := range patterns {
			if strings.HasPrefix(text[i:], p) {
				out = append(out, match{start: i, end: i + len(p), pat: pi})
			}
		}
	}
	return out
}

func sortMatches(ms []match) {
	slices.SortFunc(ms, func(a, b match) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return a.end - b.end
		}
		return a.pat - b.pat
	})
}

func TestRuneMatcherAgainstBruteForce(t *testing.T) {
	alphabet := []rune("锂离子电池隔膜正负极材料生产销售充电桩a1𠀀")
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := 0; round < 200; round++ {
		seen := map[string]bool{}
		var pats []string
		for len(pats) < 1+rng.IntN(40) {
			w := word(1 + rng.IntN(5))
			if !seen[w] {
				seen[w] = true
				pats = append(pats, w)
			}
		}
		m := newRuneMatcher(pats)
		text := word(rng.IntN(200)) + "，不相干的字" + word(rng.IntN(50))
		got := m.findAll(text, nil)
		want := bruteForce(pats, text)
		sortMatches(got)
		sortMatches(want)
		if !slices.Equal(got, want) {
			t.Fatalf("round %d: patterns %q text %q:\ngot  %v\nwant %v", round, pats, text, got, want)
		}
	}
	if got := newRuneMatcher([]string{"电池"}).findAll("", nil); len(got) != 0 {
		t.Errorf("empty text: %v", got)
	}
}
