package readmodel

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// searchFixture is firms whose names share a few places and words, so a
// two-character query (烟台) or a common word (新能源) holds hundreds of
// names, with short names and former names that begin with or hold the
// same words as the name (a firm found twice must be listed once), firms
// named exactly as a query, and sizes with a long tail and many ties
// (the page orders equal sizes by index).
func searchFixture(t *testing.T) *Index {
	t.Helper()
	s := openTestStore(t, "mem:")
	places := []string{"烟台", "济南", "苏州", "青岛", "武汉", "深圳"}
	words := []string{"新能源科技", "华鑫电子", "恒通机械", "新材料", "能源装备", "科技发展"}
	kinds := []string{"有限公司", "股份有限公司", "集团有限公司"}
	// Sizes with a long tail, so that a page of the largest is found
	// early and most blocks of firms are passed, and with many ties.
	rng := rand.New(rand.NewPCG(18, 4))
	var facts []graph.Fact
	for i := range 3000 {
		place, word := places[i%6], words[(i/6)%6]
		capital := math.Floor(1 / (1 - rng.Float64()) / (1 - rng.Float64()))
		f := graph.Firm{ID: graph.FirmID(syntheticCode(i + 1)), Name: place + word + kinds[(i/36)%3], Region: "370600", Capital: capital}
		switch {
		case i%7 == 0:
			f.Name = places[(i/7)%6] + fmt.Sprintf("第%d", i) + words[i%6] + kinds[0]
		case i%50 == 1:
			f.Name = word // named exactly as a query
		}
		if i%5 == 0 {
			f.ShortName = place + string([]rune(word)[:2])
		}
		if i%11 == 0 {
			f.Aliases = []string{place + "老" + word, "ＡＢＣ " + word}
		}
		if i%97 == 0 {
			f.Revenue = float64(i % 29)
		}
		if i%17 == 0 {
			f.Currency = "USD"
		}
		facts = append(facts, f)
	}
	mustReplace(t, s, graph.Source{ID: "registry/names", Kind: graph.KindRegistry}, facts...)
	return s.Index()
}

// bruteSearchFirms is searchFirms by its definition: every firm scored by
// the nameScore of its best name form; one character finds prefixes only;
// a fuzzy match counts when its name holds one of the query's two rarest
// bigrams that some name has; best score first, then largest, then lowest
// index.
func bruteSearchFirms(x *Index, query string, limit int) []SearchHit {
	si := &x.an.search
	holders := func(g string) (n int) {
		for fi := range x.firms {
			if si.holds(int32(fi), g) {
				n++
			}
		}
		return n
	}
	var rare []string
	if utf8.RuneCountInString(query) >= 2 {
		grams := appendBigrams(nil, query)
		slices.Sort(grams)
		grams = slices.Compact(grams)
		slices.SortStableFunc(grams, func(a, b string) int { return cmp.Compare(holders(a), holders(b)) })
		for _, g := range grams {
			if len(rare) < 2 && holders(g) > 0 {
				rare = append(rare, g)
			}
		}
	}
	type ranked struct {
		fi      int32
		score   float64
		matched string
	}
	var all []ranked
	for fi := range x.firms {
		best, matched := 0.0, ""
		for k := si.formAt[fi]; k < si.formAt[fi+1]; k++ {
			if s := nameScore(query, si.forms[k]); s > best {
				best, matched = s, si.forms[k]
			}
		}
		found := best >= scoreSubstring
		if len(rare) == 0 {
			found = best >= 0.9
		}
		for _, g := range rare {
			found = found || best > 0 && si.holds(int32(fi), g)
		}
		if found {
			all = append(all, ranked{int32(fi), best, matched})
		}
	}
	slices.SortFunc(all, func(a, b ranked) int {
		return cmp.Or(compareFloat(b.score, a.score), compareFloat(x.firms[b.fi].size(), x.firms[a.fi].size()), cmp.Compare(a.fi, b.fi))
	})
	var out []SearchHit
	for _, r := range all[:min(limit, len(all))] {
		f := &x.firms[r.fi]
		out = append(out, SearchHit{Kind: HitFirm, ID: string(f.ID), Name: f.Name, Matched: r.matched, Score: r.score, Region: f.Region})
	}
	return out
}

// TestSearchFirmsMatchesBruteForce checks that searchFirms — the prefix
// range, the postings of the rarest gram read in firm order with the page
// ranked as it goes, the two-rarest-grams union — gives bruteSearchFirms's
// page, for common words (hundreds of names), rare ones, one and two
// characters, exact names, prefixes and typos, and for random pieces of
// names with and without a typo.
func TestSearchFirmsMatchesBruteForce(t *testing.T) {
	x := searchFixture(t)
	queries := []string{"新能源科技", "烟台华鑫", "苏州恒通机械", "新能源", "能源科", "华鑫电", "烟台新能原科技", "第700", "青岛", "集团",
		"烟", "新", "第", "老", "烟台", "电子", "华鑫", "有限", "新材料", "烟台老", "abc", "ａｂｃ华鑫", "苏州恒通机戒", "青岛第7", "无此名", "源源源", "公司"}
	rng := rand.New(rand.NewPCG(18, 1))
	for range 300 {
		name := []rune(x.firms[rng.IntN(len(x.firms))].Name)
		i := rng.IntN(len(name))
		q := name[i:min(len(name), i+1+rng.IntN(6))]
		if len(q) > 2 && rng.IntN(3) == 0 {
			q[rng.IntN(len(q))] = '错'
		}
		queries = append(queries, string(q))
	}
	for _, q := range queries {
		for _, limit := range []int{1, 5, 20, 200} {
			query := normName(q)
			got, want := x.searchFirms(query, q, limit), bruteSearchFirms(x, query, limit)
			if len(got) != len(want) {
				t.Errorf("%s (%d): %d hits, brute force %d", q, limit, len(got), len(want))
				continue
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s (%d): hit %d is %+v, brute force %+v", q, limit, i, got[i], want[i])
					break
				}
			}
		}
	}
}

// TestSearchFirmsListsAFirmOnce: a firm whose name and short name both
// begin with a one-character query is one hit.
func TestSearchFirmsListsAFirmOnce(t *testing.T) {
	x := searchFixture(t)
	hits := x.searchFirms("烟", "烟", 200)
	seen := map[string]bool{}
	for _, h := range hits {
		if seen[h.ID] {
			t.Fatalf("%s listed twice", h.Name)
		}
		seen[h.ID] = true
	}
	if len(hits) < 20 || !strings.HasPrefix(hits[0].Matched, "烟") {
		t.Errorf("got %d hits, first %+v", len(hits), hits[:min(1, len(hits))])
	}
}

// TestSkipTo compares skipTo with a walk, from every index of sorted
// lists to every firm.
func TestSkipTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 5))
	for range 50 {
		l := make([]int32, rng.IntN(300))
		for i := range l {
			l[i] = rng.Int32N(1000)
		}
		slices.Sort(l)
		l = slices.Compact(l)
		for i := range l {
			for fi := l[i]; fi <= 1000; fi += 1 + rng.Int32N(20) {
				want := i
				for want < len(l) && l[want] < fi {
					want++
				}
				if got := skipTo(l, i, fi); got != want {
					t.Fatalf("skipTo(%v, %d, %d) = %d, want %d", l, i, fi, got, want)
				}
			}
		}
	}
}
