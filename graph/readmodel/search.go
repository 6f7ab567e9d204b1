package readmodel

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// searchIndex finds firms by any of their names: a posting list of firm
// indexes per character bigram of every name form (name, short name,
// former names), and the names sorted for prefix search.
type searchIndex struct {
	postings map[string][]int32
	sorted   []nameEntry // every name form, sorted
	// forms[formAt[i]:formAt[i+1]] are firm i's normalised name forms; a form
	// that needs no normalising shares the name's string.
	formAt []int32
	forms  []string
}

type nameEntry struct {
	name string
	firm int32
}

func buildSearch(x *Index) searchIndex {
	si := searchIndex{postings: map[string][]int32{}, formAt: make([]int32, len(x.firms)+1)}
	var grams []string
	for fi := range x.firms {
		grams = si.addForms(&x.firms[fi], int32(fi), grams[:0])
		for _, g := range grams {
			si.postings[g] = append(si.postings[g], int32(fi))
		}
	}
	slices.SortFunc(si.sorted, nameOrder)
	return si
}

// addForms adds firm fi's normalised name forms to forms and sorted (left
// unsorted), sets its formAt, and returns the distinct bigrams of its
// forms, sorted, appended to grams.
func (si *searchIndex) addForms(f *firmRec, fi int32, grams []string) []string {
	forms := append([]string{f.Name, f.ShortName}, f.Aliases...)
	for _, raw := range forms {
		n := normName(raw)
		if n == "" {
			continue
		}
		si.sorted = append(si.sorted, nameEntry{n, fi})
		si.forms = append(si.forms, n)
		grams = appendBigrams(grams, n)
	}
	si.formAt[fi+1] = int32(len(si.forms))
	slices.Sort(grams)
	return slices.Compact(grams)
}

func nameOrder(a, b nameEntry) int {
	return cmp.Or(strings.Compare(a.name, b.name), cmp.Compare(a.firm, b.firm))
}

// normName folds case and width and drops spaces and punctuation.
func normName(s string) string {
	s = strings.ToLower(graph.FoldWidth(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, s)
}

func appendBigrams(out []string, s string) []string {
	prev := -1
	for i := range s {
		if prev >= 0 {
			_, sz := utf8.DecodeRuneInString(s[i:])
			out = append(out, s[prev:i+sz])
		}
		prev = i
	}
	if prev == 0 {
		out = append(out, s) // one rune: its own gram
	}
	return out
}

// SearchKind is what a search hit is.
type SearchKind string

// Search hit kinds.
const (
	HitFirm   SearchKind = "firm"
	HitChain  SearchKind = "chain"
	HitNode   SearchKind = "node"
	HitPark   SearchKind = "park"
	HitPlan   SearchKind = "plan"
	HitRegion SearchKind = "region"
)

// SearchHit is one result of Search.
type SearchHit struct {
	Kind    SearchKind
	ID      string
	Name    string
	Matched string  // the name form that matched
	Score   float64 // 0–1: 1 exact, prefix > substring > fuzzy
	Region  graph.RegionCode
}

// SearchQuery asks Search for hits of some kinds.
type SearchQuery struct {
	Q     string
	Kinds []SearchKind // empty: all kinds
	Limit int          // default 20, at most 200
}

// Search finds firms by name, short name, former name or credit code, and
// chains, nodes, parks, plans and regions by name. Matching is exact, then
// prefix, then substring, then fuzzy (shared character bigrams).
func (x *Index) Search(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	hits := x.search(q)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return hits, nil
}

func (x *Index) search(q SearchQuery) []SearchHit {
	query := normName(q.Q)
	if query == "" {
		return nil
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 200)
	want := func(k SearchKind) bool { return len(q.Kinds) == 0 || slices.Contains(q.Kinds, k) }
	var hits []SearchHit
	if want(HitFirm) {
		hits = append(hits, x.searchFirms(query, q.Q, limit)...)
	}
	small := func(kind SearchKind, id, name string, forms []string, region graph.RegionCode) {
		best := 0.0
		matched := ""
		for _, f := range append([]string{name}, forms...) {
			if s := nameScore(query, normName(f)); s > best {
				best, matched = s, f
			}
		}
		if best > 0 {
			hits = append(hits, SearchHit{Kind: kind, ID: id, Name: name, Matched: matched, Score: best, Region: region})
		}
	}
	if want(HitChain) {
		for _, c := range x.chains {
			small(HitChain, string(c.ID), c.Name, c.Aliases, "")
		}
	}
	if want(HitNode) {
		for _, n := range x.nodes {
			small(HitNode, string(n.ID), n.Name, n.Aliases, "")
		}
	}
	if want(HitPark) {
		for _, p := range x.parks {
			small(HitPark, string(p.ID), p.Name, append([]string{p.ShortName}, p.Aliases...), p.Region)
		}
	}
	if want(HitPlan) {
		for _, p := range x.plans {
			small(HitPlan, string(p.ID), p.Title, []string{p.Document}, p.Region)
		}
	}
	if want(HitRegion) {
		for _, r := range x.regions {
			small(HitRegion, string(r.Code), r.Name, append([]string{r.ShortName}, r.Aliases...), r.Code)
		}
	}
	slices.SortStableFunc(hits, func(a, b SearchHit) int {
		return cmp.Or(compareFloat(b.Score, a.Score), cmp.Compare(utf8.RuneCountInString(a.Name), utf8.RuneCountInString(b.Name)), strings.Compare(a.ID, b.ID))
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

// scoreSubstring is nameScore's score for a name that contains the query.
const scoreSubstring = 0.75

// intersectPostings returns the firms whose names hold every gram; grams
// come rarest first, so the first list bounds the work.
func intersectPostings(si *searchIndex, grams []string) []int32 {
	out := slices.Clone(si.postings[grams[0]])
	for _, g := range grams[1:] {
		p, k := si.postings[g], 0
		for _, fi := range out {
			j, found := slices.BinarySearch(p, fi)
			p = p[j:]
			if found {
				out[k] = fi
				k++
			}
		}
		out = out[:k]
		if k == 0 {
			break
		}
	}
	return out
}

// nameScore rates how well a name matches a query: 1 exact, 0.9 prefix,
// 0.75 substring, up to 0.6 by shared bigrams, 0 otherwise.
func nameScore(q, name string) float64 {
	switch {
	case name == "":
		return 0
	case name == q:
		return 1
	case strings.HasPrefix(name, q):
		return 0.9
	case strings.Contains(name, q):
		return scoreSubstring
	}
	qg := appendBigrams(nil, q)
	if len(qg) < 2 {
		return 0
	}
	shared := 0
	for _, g := range qg {
		if strings.Contains(name, g) {
			shared++
		}
	}
	r := float64(shared) / float64(len(qg))
	if r < 0.5 {
		return 0
	}
	return 0.6 * r
}

// searchFirms finds firms: a credit code exactly, else names by the
// rarest bigrams of the query (so a typo in one character still finds the
// firm), scored with nameScore.
func (x *Index) searchFirms(query, raw string, limit int) []SearchHit {
	if c, err := graph.ParseCreditCode(raw); err == nil {
		if fi, ok := x.firmAt[graph.FirmID(c)]; ok {
			f := &x.firms[fi]
			return []SearchHit{{Kind: HitFirm, ID: string(f.ID), Name: f.Name, Matched: string(c), Score: 1, Region: f.Region}}
		}
		return nil
	}
	if fi, ok := x.firmAt[graph.FirmID(strings.TrimSpace(raw))]; ok {
		f := &x.firms[fi]
		return []SearchHit{{Kind: HitFirm, ID: string(f.ID), Name: f.Name, Matched: raw, Score: 1, Region: f.Region}}
	}
	fs := &firmScorer{query: query, si: &x.an.search}
	if utf8.RuneCountInString(query) < 2 {
		// One character: prefix matches only.
		si := fs.si
		var cands []int32
		i, _ := slices.BinarySearchFunc(si.sorted, query, func(e nameEntry, t string) int { return strings.Compare(e.name, t) })
		for ; i < len(si.sorted) && strings.HasPrefix(si.sorted[i].name, query) && len(cands) < 50*limit; i++ {
			cands = append(cands, si.sorted[i].firm)
		}
		fs.score(cands)
	} else {
		fs.byBigrams(limit)
	}
	return x.firmPage(fs.best, limit)
}

// scoredFirm is a firm a name search found, with its best-matching name.
type scoredFirm struct {
	fi      int32
	score   float64
	matched string
}

// firmScorer scores the names of candidate firms against a query.
type firmScorer struct {
	query string
	si    *searchIndex
	best  []scoredFirm
}

// score keeps the candidates one of whose names matches, each with its
// best name, and counts those that contain the query.
func (fs *firmScorer) score(cands []int32) (substring int) {
	si := fs.si
	for _, fi := range cands {
		s, m := 0.0, ""
		for k := si.formAt[fi]; k < si.formAt[fi+1]; k++ {
			if v := nameScore(fs.query, si.forms[k]); v > s {
				s, m = v, si.forms[k]
			}
		}
		if s > 0 {
			fs.best = append(fs.best, scoredFirm{fi, s, m})
		}
		if s >= scoreSubstring {
			substring++
		}
	}
	return substring
}

// byBigrams scores the names holding every bigram of the query and, when
// fewer than a page of them contain it, instead the names holding either of
// its two rarest bigrams.
func (fs *firmScorer) byBigrams(limit int) {
	si := fs.si
	grams := appendBigrams(nil, fs.query)
	slices.Sort(grams)
	grams = slices.Compact(grams)
	slices.SortFunc(grams, func(a, b string) int { return cmp.Compare(len(si.postings[a]), len(si.postings[b])) })
	// First the names holding every gram. When a page of them contain
	// the query, no fuzzy match (≤ 0.6) can reach the page, and the
	// union below — tens of thousands of names for a common word such
	// as 新能源科技 at 1M firms — is not scored.
	if fs.score(intersectPostings(si, grams)) >= limit {
		return
	}
	fs.best = fs.best[:0]
	// The two rarest grams that some name has (a typo makes grams no
	// name has): a name missing one of them is still found.
	var cands []int32
	used := 0
	for _, g := range grams {
		if p := si.postings[g]; len(p) > 0 && used < 2 {
			cands = append(cands, p...)
			used++
		}
	}
	slices.Sort(cands)
	fs.score(slices.Compact(cands))
}

// firmPage ranks the found firms (best score, then largest) and gives the
// first page of them only: a common word (烟台) matches tens of thousands
// of names.
func (x *Index) firmPage(best []scoredFirm, limit int) []SearchHit {
	less := func(a, b scoredFirm) int {
		if c := compareFloat(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Or(compareFloat(x.firms[b.fi].size(), x.firms[a.fi].size()), cmp.Compare(a.fi, b.fi))
	}
	if len(best) > limit {
		partialSort(best, limit, less)
	} else {
		slices.SortFunc(best, less)
	}
	out := make([]SearchHit, 0, min(limit, len(best)))
	for _, b := range best[:min(limit, len(best))] {
		f := &x.firms[b.fi]
		out = append(out, SearchHit{Kind: HitFirm, ID: string(f.ID), Name: f.Name, Matched: b.matched, Score: b.score, Region: f.Region})
	}
	return out
}
