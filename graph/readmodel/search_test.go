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
// named exactly as a query, and sizes with a long tail and many ties,
// a quarter of them among a few round figures (the page orders equal
// sizes by index).
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
		if i%4 == 3 {
			capital = []float64{100, 1000, 5000}[(i/4)%3] // a page ends among equals
		}
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
	lib := searchLibrary()
	mustReplace(t, s, srcRef, lib.regions...)
	mustReplace(t, s, srcChains, lib.chains...)
	mustReplace(t, s, graph.Source{ID: "reference/parks.txt", Kind: graph.KindReference, Title: "parks"}, lib.parks...)
	x := s.Index()
	if len(x.regions) != 300 || len(x.nodes) != 200 || len(x.parks) != 40 || len(x.badValues) > 0 {
		t.Fatalf("fixture: %d regions, %d nodes, %d parks, bad values %v", len(x.regions), len(x.nodes), len(x.parks), x.badValues)
	}
	return x
}

// searchLibrary is regions, chains, nodes and parks whose names, short
// names and aliases are drawn from the words of searchFixture's firms, in
// full and half width, with spaces and punctuation, so queries find them
// by every kind of match.
func searchLibrary() (lib struct{ regions, chains, parks []graph.Fact }) {
	rng := rand.New(rand.NewPCG(18, 2))
	pieces := []string{"烟台", "新能源", "科技", "电池", "海洋", "材料", "装备", "华鑫", "生物医药", "ABC", "ａｂｃ", " ", "·", "园", "区", "市", "链", "芯"}
	name := func() string {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		return b.String()
	}
	names := func(n int) []string {
		out := make([]string, rng.IntN(n+1))
		for i := range out {
			out[i] = name()
		}
		return out
	}
	for i := range 300 {
		lib.regions = append(lib.regions, graph.Region{Code: graph.RegionCode(fmt.Sprintf("%02d0000", 11+i%60)[:2] + fmt.Sprintf("%04d", i)),
			Name: name(), ShortName: name(), Aliases: names(2), Level: graph.LevelCounty})
	}
	for c := range 5 {
		id := graph.ChainID(fmt.Sprintf("c%d", c))
		lib.chains = append(lib.chains, graph.Chain{ID: id, Name: name(), Aliases: names(2), Type: graph.ChainUpDown,
			Segments: []graph.Segment{{ID: "up", Name: "上游"}}})
		for n := range 40 {
			lib.chains = append(lib.chains, graph.ChainNode{ID: graph.NodeID(fmt.Sprintf("%s/n%d", id, n)), Name: name(), Aliases: names(3),
				Segment: "up", Order: n + 1})
		}
	}
	for i := range 40 {
		lib.parks = append(lib.parks, graph.Park{ID: graph.ParkID(fmt.Sprintf("p%d", i)), Name: name(), ShortName: name(), Aliases: names(2),
			Region: "370600"})
	}
	return lib
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
// ranked as it goes or by chunks of the largest firms first, the
// two-rarest-grams union — gives bruteSearchFirms's page, for common
// words (hundreds of names), rare ones, one and two characters, exact
// names, prefixes and typos, and for random pieces of names with and
// without a typo. The fixture's lists are too short for chunks, but for
// those of 有限 and 公司: it is searched again with chunks of 4 and of 1
// firm on every list, so that every query that reads postings reads them
// by chunks, most of which are passed, and pages end among equal sizes.
func TestSearchFirmsMatchesBruteForce(t *testing.T) {
	x := searchFixture(t)
	queries := []string{"新能源科技", "烟台华鑫", "苏州恒通机械", "新能源", "能源科", "华鑫电", "烟台新能原科技", "第700", "青岛", "集团",
		"烟", "新", "第", "老", "烟台", "电子", "华鑫", "有限", "新材料", "烟台老", "abc", "ａｂｃ华鑫", "苏州恒通机戒", "青岛第7", "无此名", "源源源", "公司",
		"有限公司", "集团有限公司", "股份有限", "限公", "新能源科拔", "有限公可", "青岛恒通", "烟台华鑫机械"}
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
	limits := []int{1, 5, 20, 200}
	want := map[string][]SearchHit{}
	for _, q := range queries {
		for _, limit := range limits {
			want[fmt.Sprint(q, limit)] = bruteSearchFirms(x, normName(q), limit)
		}
	}
	for _, c := range []struct{ chunk, shortest int }{{postChunk, chunkedList}, {4, 8}, {1, 1}} {
		x.an.search.setChunkMax(c.chunk, c.shortest)
		for _, q := range queries {
			for _, limit := range limits {
				got, want := x.searchFirms(normName(q), q, limit), want[fmt.Sprint(q, limit)]
				if len(got) != len(want) {
					t.Errorf("chunks of %d: %s (%d): %d hits, brute force %d", c.chunk, q, limit, len(got), len(want))
					continue
				}
				for i := range got {
					if got[i] != want[i] {
						t.Errorf("chunks of %d: %s (%d): hit %d is %+v, brute force %+v", c.chunk, q, limit, i, got[i], want[i])
						break
					}
				}
			}
		}
	}
}

// TestSearchFirmsSmallWorlds checks searchFirms against bruteSearchFirms
// in many small random worlds — names of four characters, so a query
// finds most firms by every kind of match, and sizes of a few values, so
// a page ends among equals — with every posting list in chunks of 1 to 4
// firms, so that chunks whose largest firm holds the rarest gram but not
// the query push the page into later rounds, and the bands of sizes meet
// among equals.
func TestSearchFirmsSmallWorlds(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 6))
	letters := []rune("甲乙丙丁")
	word := func(n int) string {
		w := make([]rune, n)
		for i := range w {
			w[i] = letters[rng.IntN(len(letters))]
		}
		return string(w)
	}
	for world := range 200 {
		var facts []graph.Fact
		sizes := 1 + rng.IntN(4)
		for i := range 10 + rng.IntN(300) {
			f := graph.Firm{ID: graph.FirmID(syntheticCode(i + 1)), Name: word(2 + rng.IntN(5)), Region: "370600", Capital: float64(1 + rng.IntN(sizes))}
			if rng.IntN(4) == 0 {
				f.ShortName = word(2 + rng.IntN(2))
			}
			if rng.IntN(5) == 0 {
				f.Aliases = []string{word(3 + rng.IntN(3))}
			}
			if rng.IntN(40) == 0 {
				f.Revenue = float64(rng.IntN(3))
			}
			facts = append(facts, f)
		}
		s := openTestStore(t, "mem:")
		mustReplace(t, s, graph.Source{ID: "registry/names", Kind: graph.KindRegistry}, facts...)
		x := s.Index()
		chunk := 1 + rng.IntN(4)
		x.an.search.setChunkMax(chunk, 1)
		for range 20 {
			q := word(1 + rng.IntN(5))
			for _, limit := range []int{1, 3, 10} {
				if got, want := x.searchFirms(q, q, limit), bruteSearchFirms(x, q, limit); !slices.Equal(got, want) {
					t.Fatalf("world %d (%d firms, chunks of %d), %s (%d):\n got %+v\nwant %+v", world, len(facts), chunk, q, limit, got, want)
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

// TestSearchFirmsByCreditCode: a credit code is found however it is
// written — full width, lower case, within spaces — and a string of 18
// characters that is not one is searched as a name.
func TestSearchFirmsByCreditCode(t *testing.T) {
	x := searchFixture(t)
	code := syntheticCode(1234)
	wide := []rune{'\u3000'}
	for _, r := range strings.ToLower(code) {
		wide = append(wide, r+0xFEE0)
	}
	for _, raw := range []string{code, " " + strings.ToLower(code) + " ", string(wide) + "\u3000"} {
		hits := x.searchFirms(normName(raw), raw, 20)
		if len(hits) != 1 || hits[0].ID != code || hits[0].Score != 1 {
			t.Errorf("%q: got %+v, want firm %s", raw, hits, code)
		}
	}
	name := "烟台第七新能源科技有限公司恒通华鑫机" // 18 characters
	if got, want := x.searchFirms(normName(name), name, 5), bruteSearchFirms(x, normName(name), 5); !slices.Equal(got, want) || len(got) == 0 {
		t.Errorf("%s: got %+v, want %+v", name, got, want)
	}
}

// bruteSearch is search by its definition: the firms as bruteSearchFirms
// finds them, then every chain, node, park, plan and region scored by the
// nameScore of its best name form, normalised afresh, all ordered by
// score, shorter name, id.
func bruteSearch(x *Index, q SearchQuery) []SearchHit {
	query := normName(q.Q)
	if query == "" {
		return nil
	}
	limit := min(cmp.Or(q.Limit, 20), 200)
	want := func(k SearchKind) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, k) }
	var hits []SearchHit
	if want(HitFirm) {
		hits = bruteSearchFirms(x, query, limit)
	}
	other := func(kind SearchKind, id, name string, region graph.RegionCode, forms ...string) {
		best, matched := 0.0, ""
		for _, f := range forms {
			if s := nameScore(query, normName(f)); s > best {
				best, matched = s, f
			}
		}
		if best > 0 && want(kind) {
			hits = append(hits, SearchHit{Kind: kind, ID: id, Name: name, Matched: matched, Score: best, Region: region})
		}
	}
	for _, c := range x.chains {
		other(HitChain, string(c.ID), c.Name, "", append([]string{c.Name}, c.Aliases...)...)
	}
	for _, n := range x.nodes {
		other(HitNode, string(n.ID), n.Name, "", append([]string{n.Name}, n.Aliases...)...)
	}
	for _, p := range x.parks {
		other(HitPark, string(p.ID), p.Name, p.Region, append([]string{p.Name, p.ShortName}, p.Aliases...)...)
	}
	for _, p := range x.plans {
		other(HitPlan, string(p.ID), p.Title, p.Region, p.Title, p.Document)
	}
	for _, r := range x.regions {
		other(HitRegion, string(r.Code), r.Name, r.Code, append([]string{r.Name, r.ShortName}, r.Aliases...)...)
	}
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		return cmp.Or(compareFloat(b.Score, a.Score), cmp.Compare(utf8.RuneCountInString(a.Name), utf8.RuneCountInString(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return hits[:min(limit, len(hits))]
}

// TestSearchMatchesBruteForce checks Search as a whole — firms, and the
// other kinds found through their grams — against bruteSearch, for all
// kinds and for some.
func TestSearchMatchesBruteForce(t *testing.T) {
	x := searchFixture(t)
	queries := []string{"烟台", "烟", "新能源", "ABC", "abc", "ａｂｃ", "·", "园区", "市", "生物医药科技", "海洋材料", "海样材料", "芯链", "电", "华鑫电子", "无此名"}
	rng := rand.New(rand.NewPCG(18, 3))
	for range 100 {
		items := x.an.search.others.items
		forms := items[rng.IntN(len(items))].forms
		if len(forms) == 0 {
			continue
		}
		q := []rune(forms[rng.IntN(len(forms))].raw)
		i := rng.IntN(len(q))
		q = q[i:min(len(q), i+1+rng.IntN(5))]
		if len(q) > 2 && rng.IntN(3) == 0 {
			q[rng.IntN(len(q))] = '错'
		}
		queries = append(queries, string(q))
	}
	for _, q := range queries {
		for _, sq := range []SearchQuery{{Q: q}, {Q: q, Limit: 200}, {Q: q, Limit: 5, Kinds: []SearchKind{HitNode, HitRegion}}, {Q: q, Kinds: []SearchKind{HitPark, HitFirm}}} {
			got, want := x.search(sq), bruteSearch(x, sq)
			if !slices.Equal(got, want) {
				t.Errorf("%+v:\n got %+v\nwant %+v", sq, got, want)
			}
		}
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
