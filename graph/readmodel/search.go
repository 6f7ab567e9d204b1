package readmodel

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// searchIndex finds firms by any of their names: a posting list of firm
// indexes per character bigram of every name form (name, short name,
// former names), the names sorted for prefix search, and each firm's size
// to rank them by. It finds the chains, nodes, parks, plans and regions
// too (otherNames).
type searchIndex struct {
	postings map[string][]int32
	sorted   []nameEntry // every name form, sorted
	// forms[formAt[i]:formAt[i+1]] are firm i's normalised name forms; a form
	// that needs no normalising shares the name's string.
	formAt []int32
	forms  []string
	// others are the names of everything else search finds.
	others otherNames
	// size is each firm's firmRec.size, the page's order among equal
	// scores: ranking the tens of thousands of names that hold a common
	// word (烟台) reads it in firm order, not two firm records per
	// comparison.
	size []float64
	// blockMax[b] is the largest size of firms b*sizeBlock to
	// (b+1)*sizeBlock-1 (NaN when one of theirs is).
	blockMax []float64
}

// sizeBlock is how many firms, in index order, share an entry of
// blockMax: at a million firms 64 was slower for common words, 256 no
// faster than 128.
const sizeBlock = 128

// nextBlockAbove returns the first firm of the first block from fi's on
// that holds a firm larger than size (fi's own block's first firm when it
// does, one past the last firm when none does).
func (si *searchIndex) nextBlockAbove(fi int32, size float64) int32 {
	b := int(fi / sizeBlock)
	for b < len(si.blockMax) && si.blockMax[b] <= size {
		b++
	}
	return int32(b * sizeBlock)
}

// setBlockMax sets blockMax from size.
func (si *searchIndex) setBlockMax() {
	si.blockMax = make([]float64, (len(si.size)+sizeBlock-1)/sizeBlock)
	for b := range si.blockMax {
		m := math.Inf(-1)
		for _, s := range si.size[b*sizeBlock : min((b+1)*sizeBlock, len(si.size))] {
			m = max(m, s) // a NaN stays: no block is passed by comparing with it
		}
		si.blockMax[b] = m
	}
}

type nameEntry struct {
	name string
	firm int32
}

func buildSearch(x *Index) searchIndex {
	si := searchIndex{postings: map[string][]int32{}, formAt: make([]int32, len(x.firms)+1), size: make([]float64, len(x.firms))}
	var grams []string
	for fi := range x.firms {
		si.size[fi] = x.firms[fi].size()
		grams = si.addForms(&x.firms[fi], int32(fi), grams[:0])
		for _, g := range grams {
			si.postings[g] = append(si.postings[g], int32(fi))
		}
	}
	slices.SortFunc(si.sorted, nameOrder)
	si.setBlockMax()
	si.others = buildOtherNames(x)
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
	hits = append(hits, x.an.search.others.search(query, want)...)
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

// nameScore rates how well a name matches a query: 1 exact, 0.9 prefix,
// 0.75 substring, up to 0.6 by shared bigrams, 0 otherwise.
func nameScore(q, name string) float64 { return newNameScorer(q).score(name) }

// nameScorer is nameScore for one query, its bigrams made once rather
// than for each name.
type nameScorer struct {
	q     string
	grams []string
}

func newNameScorer(q string) nameScorer { return nameScorer{q, appendBigrams(nil, q)} }

func (ns nameScorer) score(name string) float64 {
	q := ns.q
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
	if len(ns.grams) < 2 {
		return 0
	}
	shared := 0
	for _, g := range ns.grams {
		if strings.Contains(name, g) {
			shared++
		}
	}
	return ns.fuzzy(shared)
}

// fuzzy is the score of a name that shares this many of the query's
// bigrams (each occurrence in the query counted).
func (ns nameScorer) fuzzy(shared int) float64 {
	if len(ns.grams) < 2 {
		return 0
	}
	r := float64(shared) / float64(len(ns.grams))
	if r < 0.5 {
		return 0
	}
	return 0.6 * r
}

// searchFirms finds firms: a credit code exactly, else by name. A firm
// scores the nameScore of its best name form; the page is the best
// scores, the largest firms first among equals. A query of one character
// finds the names it begins; a longer one the names that hold it and,
// when fewer than a page do, the fuzzy matches among the names holding
// either of its two rarest bigrams (so a typo in one character still
// finds the firm).
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
	si := &x.an.search
	ns := newNameScorer(query)
	p := firmPage{si: si}
	p.top = kept[scoredFirm]{less: p.order, size: limit}
	// Exact and prefix matches first: when a page of them is found, no
	// other name can reach it, and the names that merely hold a common
	// word are not looked at.
	p.prefixes(query)
	if utf8.RuneCountInString(query) >= 2 && !p.full() {
		grams := si.gramsByRarity(query)
		if !p.substrings(query, grams) {
			p.fuzzy(ns, grams)
		}
	}
	out := make([]SearchHit, 0, len(p.top.list))
	for _, b := range p.top.list {
		f := &x.firms[b.fi]
		score, matched := si.bestForm(ns, b.fi)
		out = append(out, SearchHit{Kind: HitFirm, ID: string(f.ID), Name: f.Name, Matched: matched, Score: score, Region: f.Region})
	}
	return out
}

// gramsByRarity returns the distinct bigrams of a query, those fewest
// names hold first (ties in gram order).
func (si *searchIndex) gramsByRarity(q string) []string {
	grams := appendBigrams(nil, q)
	slices.Sort(grams)
	grams = slices.Compact(grams)
	slices.SortStableFunc(grams, func(a, b string) int { return cmp.Compare(len(si.postings[a]), len(si.postings[b])) })
	return grams
}

// bestForm returns the best score of firm fi's name forms, and the first
// form that has it.
func (si *searchIndex) bestForm(ns nameScorer, fi int32) (float64, string) {
	s, m := 0.0, ""
	for k := si.formAt[fi]; k < si.formAt[fi+1]; k++ {
		if v := ns.score(si.forms[k]); v > s {
			s, m = v, si.forms[k]
		}
	}
	return s, m
}

// holds reports whether one of firm fi's name forms contains q.
func (si *searchIndex) holds(fi int32, q string) bool {
	for k := si.formAt[fi]; k < si.formAt[fi+1]; k++ {
		if strings.Contains(si.forms[k], q) {
			return true
		}
	}
	return false
}

// scoredFirm is a firm a name search found, with the score of its best
// name form.
type scoredFirm struct {
	fi    int32
	score float64
}

// firmPage collects the first k firms a search finds, in page order.
// Each step offers the firms of one kind of match, best kind first, and
// a firm is offered with its best score the first time.
type firmPage struct {
	si  *searchIndex
	top kept[scoredFirm] // in page order, at most the limit
}

// order is the page's order: best score, then largest, then lowest index.
func (p *firmPage) order(a, b scoredFirm) int {
	if a.score != b.score {
		return compareFloat(b.score, a.score)
	}
	return cmp.Or(compareFloat(p.si.size[b.fi], p.si.size[a.fi]), cmp.Compare(a.fi, b.fi))
}

func (p *firmPage) full() bool { return p.top.full() }

// admits reports whether f would be on the page as it stands.
func (p *firmPage) admits(f scoredFirm) bool {
	return !p.full() || p.order(f, p.top.last()) < 0
}

// add puts f on the page, dropping the last when it is full, unless it
// does not rank there or is there already.
func (p *firmPage) add(f scoredFirm) {
	if !p.admits(f) || slices.ContainsFunc(p.top.list, func(g scoredFirm) bool { return g.fi == f.fi }) {
		return
	}
	p.top.add(f)
}

// prefixes offers the firms with a name that is q (score 1) or begins
// with it (0.9). The sorted names give them in a range, the exact ones
// first, so a firm's best is offered first.
func (p *firmPage) prefixes(q string) {
	sorted := p.si.sorted
	i, _ := slices.BinarySearchFunc(sorted, q, func(e nameEntry, t string) int { return strings.Compare(e.name, t) })
	for _, e := range sorted[i:] {
		if !strings.HasPrefix(e.name, q) {
			break
		}
		s := 0.9
		if len(e.name) == len(q) {
			s = 1
		}
		p.add(scoredFirm{e.firm, s})
	}
}

// substrings offers the firms with a name that holds q (score 0.75,
// unless already on the page with a prefix), walking the postings of its
// rarest gram in firm order: a firm that cannot rank by size is passed
// without reading its names, and once the page is full the blocks of
// firms none of which can rank are passed whole, so a common word (新能源,
// held by 67,000 names of a million) costs a read of a size per firm
// only for the few blocks that hold a firm large enough. It reports
// whether the page is full; if not, every firm whose name holds q is on
// it.
func (p *firmPage) substrings(q string, grams []string) bool {
	si := p.si
	rest := make([][]int32, 0, len(grams)-1)
	for _, g := range grams[1:] {
		rest = append(rest, si.postings[g])
	}
	// A name holding a query of one gram holds the query.
	verify := q != grams[0]
	post := si.postings[grams[0]]
	for i := 0; i < len(post); {
		fi := post[i]
		// The firms on the page with a substring's score came before fi:
		// one as large as the last ranks after it.
		if p.full() {
			if next := si.nextBlockAbove(fi, si.size[p.top.last().fi]); next > fi {
				i = skipTo(post, i, next)
				continue
			}
		}
		f := scoredFirm{fi, scoreSubstring}
		if p.admits(f) && holdsAll(rest, fi) && (!verify || si.holds(fi, q)) {
			p.add(f)
		}
		i++
	}
	return p.full()
}

// skipTo returns the index of the first firm from l[i] on that is fi or
// after it, galloping: the firms skipped are few (a block's, a few dozen)
// and the list long.
func skipTo(l []int32, i int, fi int32) int {
	step := 1
	for i+step < len(l) && l[i+step] < fi {
		i += step
		step *= 2
	}
	j, _ := slices.BinarySearch(l[i:min(i+step+1, len(l))], fi)
	return i + j
}

// holdsAll reports whether every posting list holds fi; each list is cut
// to the firms from fi on, as the caller asks in firm order.
func holdsAll(lists [][]int32, fi int32) bool {
	for i := range lists {
		if !holds(&lists[i], fi) {
			return false
		}
	}
	return true
}

// holds reports whether a posting list holds fi, cutting it to the firms
// from fi on.
func holds(l *[]int32, fi int32) bool {
	*l = (*l)[skipTo(*l, 0, fi):]
	return len(*l) > 0 && (*l)[0] == fi
}

// fuzzy offers, when fewer than a page of names hold q (all of them on
// the page), the firms scored by nameScore among those holding either of
// its two rarest grams that some name has (a typo makes grams no name
// has): a name missing one of them is still found. A typo in a common
// word (新能源科拔) makes those hundreds of thousands of names, so a firm's
// names are scored only when the grams they hold (the posting lists say
// which) could rank it, and once the page is full of firms as good as a
// fuzzy match can be, a block of firms too small to rank is passed whole.
func (p *firmPage) fuzzy(ns nameScorer, grams []string) {
	si := p.si
	// The grams some name holds, rarest first, each weighed by how many
	// times the query has it (nameScore counts each).
	var lists [][]int32
	var weights []int
	held := 0
	for _, g := range grams {
		if l := si.postings[g]; len(l) > 0 {
			w := 0
			for _, qg := range ns.grams {
				if qg == g {
					w++
				}
			}
			lists, weights = append(lists, l), append(weights, w)
			held += w
		}
	}
	if len(lists) == 0 {
		return
	}
	if len(lists) == 1 {
		lists, weights = append(lists, nil), append(weights, 0)
	}
	best := ns.fuzzy(held) // no name shares more grams
	a, b, rest := lists[0], lists[1], lists[2:]
	restWeight := held - weights[0] - weights[1]
	for len(a) > 0 || len(b) > 0 {
		fi, shared := int32(0), 0
		switch {
		case len(b) == 0 || len(a) > 0 && a[0] < b[0]:
			fi, shared = a[0], weights[0]
		case len(a) == 0 || b[0] < a[0]:
			fi, shared = b[0], weights[1]
		default:
			fi, shared = a[0], weights[0]+weights[1]
		}
		if p.full() {
			last := p.top.last()
			if last.score > best {
				return // no fuzzy match can rank
			}
			// The firms on the page with the best score a fuzzy match can
			// have came before fi: one as large as the last ranks after it.
			if next := si.nextBlockAbove(fi, si.size[last.fi]); last.score == best && next > fi {
				a, b = a[skipTo(a, 0, next):], b[skipTo(b, 0, next):]
				continue
			}
		}
		a, b = a[skipTo(a, 0, fi+1):], b[skipTo(b, 0, fi+1):]
		// Most firms hold one of the two rarest grams: ranked as if they
		// held all the others, they need not be looked up in those.
		if !p.admits(scoredFirm{fi, ns.fuzzy(shared + restWeight)}) {
			continue
		}
		for i := range rest {
			if holds(&rest[i], fi) {
				shared += weights[2+i]
			}
		}
		if bound := ns.fuzzy(shared); bound == 0 || !p.admits(scoredFirm{fi, bound}) {
			continue
		}
		if s, _ := si.bestForm(ns, fi); s > 0 {
			p.add(scoredFirm{fi, s})
		}
	}
}

// otherNames finds chains, nodes, parks, plans and regions by name. Their
// name forms are normalised once, and a search scores only the items with
// a form that shares a character (a query of one) or a bigram with the
// query: every other form scores 0, and there are some twenty thousand of
// them (the regions and chain nodes of the library).
type otherNames struct {
	items []otherItem        // in search order
	grams map[string][]int32 // the items a form of which holds each character and bigram
}

// otherItem is a chain, node, park, plan or region as a hit shows it, with
// its name forms.
type otherItem struct {
	kind   SearchKind
	id     string
	name   string
	region graph.RegionCode
	forms  []otherForm
}

// otherForm is a name form as written (a hit's Matched) and normalised.
type otherForm struct{ raw, norm string }

func buildOtherNames(x *Index) otherNames {
	o := otherNames{grams: map[string][]int32{}}
	var grams []string
	add := func(kind SearchKind, id, name string, region graph.RegionCode, forms ...string) {
		it := otherItem{kind: kind, id: id, name: name, region: region}
		grams = grams[:0]
		for _, raw := range forms {
			n := normName(raw)
			if n == "" {
				continue // scores 0
			}
			it.forms = append(it.forms, otherForm{raw, n})
			grams = appendBigrams(grams, n)
			for _, r := range n {
				grams = append(grams, string(r))
			}
		}
		slices.Sort(grams)
		for _, g := range slices.Compact(grams) {
			o.grams[g] = append(o.grams[g], int32(len(o.items)))
		}
		o.items = append(o.items, it)
	}
	for _, c := range x.chains {
		add(HitChain, string(c.ID), c.Name, "", append([]string{c.Name}, c.Aliases...)...)
	}
	for _, n := range x.nodes {
		add(HitNode, string(n.ID), n.Name, "", append([]string{n.Name}, n.Aliases...)...)
	}
	for _, p := range x.parks {
		add(HitPark, string(p.ID), p.Name, p.Region, append([]string{p.Name, p.ShortName}, p.Aliases...)...)
	}
	for _, p := range x.plans {
		add(HitPlan, string(p.ID), p.Title, p.Region, p.Title, p.Document)
	}
	for _, r := range x.regions {
		add(HitRegion, string(r.Code), r.Name, r.Code, append([]string{r.Name, r.ShortName}, r.Aliases...)...)
	}
	return o
}

// search gives the hits of the wanted kinds, in item order, each with its
// first best-scoring form.
func (o *otherNames) search(query string, want func(SearchKind) bool) []SearchHit {
	var cands []int32
	if utf8.RuneCountInString(query) == 1 {
		cands = o.grams[query]
	} else {
		for _, g := range appendBigrams(nil, query) {
			cands = append(cands, o.grams[g]...)
		}
		slices.Sort(cands)
		cands = slices.Compact(cands)
	}
	ns := newNameScorer(query)
	var hits []SearchHit
	for _, i := range cands {
		it := &o.items[i]
		if !want(it.kind) {
			continue
		}
		best, matched := 0.0, ""
		for _, f := range it.forms {
			if s := ns.score(f.norm); s > best {
				best, matched = s, f.raw
			}
		}
		if best > 0 {
			hits = append(hits, SearchHit{Kind: it.kind, ID: it.id, Name: it.name, Matched: matched, Score: best, Region: it.region})
		}
	}
	return hits
}
