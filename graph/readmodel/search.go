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
	// chunkMax[g][c] is at least the size of every firm of
	// postings[g][c*chunk:(c+1)*chunk] (+Inf when one of theirs is NaN),
	// for the long lists: the largest firms holding a common gram are
	// found by reading the chunks that hold them, not the whole list.
	chunkMax map[string][]float32
	chunk    int
}

// sizeBlock is how many firms, in index order, share an entry of
// blockMax: at a million firms 64 was slower for common words, 256 no
// faster than 128.
const sizeBlock = 128

// postChunk is how many postings share an entry of chunkMax, and
// chunkedList the length of the shortest list that has them: at a
// million firms they cost 0.5 MB, and a shorter list is read whole in a
// few µs.
const (
	postChunk   = 64
	chunkedList = 1024
)

// setBlockMax sets blockMax, and chunkMax for lists of chunkedList firms
// or more in chunks of postChunk, from size and postings.
func (si *searchIndex) setBlockMax() {
	si.blockMax = make([]float64, (len(si.size)+sizeBlock-1)/sizeBlock)
	for b := range si.blockMax {
		m := math.Inf(-1)
		for _, s := range si.size[b*sizeBlock : min((b+1)*sizeBlock, len(si.size))] {
			m = max(m, s) // a NaN stays: no block is passed by comparing with it
		}
		si.blockMax[b] = m
	}
	si.setChunkMax(postChunk, chunkedList)
}

// setChunkMax sets chunkMax for the lists of shortest firms or more, in
// chunks of chunk postings.
func (si *searchIndex) setChunkMax(chunk, shortest int) {
	si.chunkMax, si.chunk = map[string][]float32{}, chunk
	for g, l := range si.postings {
		if len(l) < shortest {
			continue
		}
		bounds := make([]float32, (len(l)+chunk-1)/chunk)
		for c := range bounds {
			m := math.Inf(-1)
			for _, fi := range l[c*chunk : min((c+1)*chunk, len(l))] {
				m = max(m, si.size[fi])
			}
			bounds[c] = roundUp32(m)
		}
		si.chunkMax[g] = bounds
	}
}

// roundUp32 returns the least float32 not below x, +Inf for NaN.
func roundUp32(x float64) float32 {
	if math.IsNaN(x) {
		return float32(math.Inf(1))
	}
	f := float32(x)
	if float64(f) < x {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return f
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
		hits = x.searchFirms(query, q.Q, limit)
	}
	hits = append(hits, x.an.search.others.search(query, want)...)
	return pageOfHits(hits, limit)
}

// pageOfHits returns the first limit hits, best score first, then
// shortest name, then id; the names' lengths are counted once, not at
// each comparison.
func pageOfHits(hits []SearchHit, limit int) []SearchHit {
	if len(hits) == 0 {
		return nil
	}
	type key struct{ hit, runes int32 }
	keys := make([]key, len(hits))
	for i := range hits {
		keys[i] = key{int32(i), int32(utf8.RuneCountInString(hits[i].Name))}
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		x, y := &hits[a.hit], &hits[b.hit]
		return cmp.Or(compareFloat(y.Score, x.Score), cmp.Compare(a.runes, b.runes), strings.Compare(x.ID, y.ID))
	})
	out := make([]SearchHit, 0, min(limit, len(keys)))
	for _, k := range keys[:min(limit, len(keys))] {
		out = append(out, hits[k.hit])
	}
	return out
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
	// A credit code has 18 characters (ParseCreditCode folds width and
	// case character for character): a name is not asked, which would
	// make an error to throw away.
	if utf8.RuneCountInString(strings.TrimSpace(raw)) == 18 {
		if c, err := graph.ParseCreditCode(raw); err == nil {
			if fi, ok := x.firmAt[graph.FirmID(c)]; ok {
				f := &x.firms[fi]
				return []SearchHit{{Kind: HitFirm, ID: string(f.ID), Name: f.Name, Matched: string(c), Score: 1, Region: f.Region}}
			}
			return nil
		}
	}
	if fi, ok := x.firmAt[graph.FirmID(strings.TrimSpace(raw))]; ok {
		f := &x.firms[fi]
		return []SearchHit{{Kind: HitFirm, ID: string(f.ID), Name: f.Name, Matched: raw, Score: 1, Region: f.Region}}
	}
	si := &x.an.search
	ns := newNameScorer(query)
	p := firmPage{si: si}
	p.top = kept[scoredFirm]{less: p.order, size: limit, list: make([]scoredFirm, 0, limit)}
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
		score, form := b.score, b.form-1
		if b.form == 0 {
			score, form = si.bestForm(ns, b.fi)
		}
		matched := ""
		if form >= 0 {
			matched = si.forms[form]
		}
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

// bestForm returns the best score of firm fi's name forms, and the index
// in forms of the first form that has it (-1 when none scores).
func (si *searchIndex) bestForm(ns nameScorer, fi int32) (float64, int32) {
	s, m := 0.0, int32(-1)
	for k := si.formAt[fi]; k < si.formAt[fi+1]; k++ {
		if v := ns.score(si.forms[k]); v > s {
			s, m = v, k
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
	form  int32 // 1 + the index in forms of its first best form, when read
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
		p.add(scoredFirm{fi: e.firm, score: s})
	}
}

// substrings offers the firms with a name that holds q (score 0.75,
// unless already on the page with a prefix), read from the postings of
// its rarest gram: a firm that cannot rank by size is passed without
// reading its names, and the postings of a common gram (新能源, held by
// 67,000 names of a million) are read only in the chunks that hold a firm
// large enough, the largest first (byBound). It reports whether the page
// is full; if not, every firm whose name holds q is on it.
func (p *firmPage) substrings(q string, grams []string) bool {
	si := p.si
	w := substringWalk{p: p, q: q, verify: q != grams[0], post: si.postings[grams[0]]}
	for _, g := range grams[1:] {
		w.others = append(w.others, si.postings[g])
	}
	p.byBound([]boundedList{{w.post, si.chunkMax[grams[0]]}}, scoreSubstring, w.visit, nil)
	return p.full()
}

// substringWalk offers the firms of stretches of a posting list whose
// names hold q.
type substringWalk struct {
	p      *firmPage
	q      string
	verify bool // a name holding a query of one gram holds the query
	post   []int32
	others [][]int32 // the postings of q's other grams
	rest   [][]int32 // others, cut to the firms from the last visited on
	at     int32     // the last firm visited
}

// visit offers the firms of post[from:to] in the size band that hold q.
func (w *substringWalk) visit(_, from, to int, band sizeBand) {
	p, si := w.p, w.p.si
	if w.rest == nil || w.post[from] < w.at {
		w.rest = append(w.rest[:0], w.others...)
	}
	for _, fi := range w.post[from:to] {
		f := scoredFirm{fi: fi, score: scoreSubstring}
		if !p.inBand(f, band) {
			continue
		}
		if p.admits(f) && holdsAll(w.rest, fi) && (!w.verify || si.holds(fi, w.q)) {
			p.add(f)
		}
	}
	w.at = w.post[to-1]
}

// inBand reports whether a firm's size is in the band and it may rank
// with f's score, reading its block's largest size (blockMax, in the
// cache) first, and its own (a read of memory, most often) only when
// that leaves it in doubt.
func (p *firmPage) inBand(f scoredFirm, band sizeBand) bool {
	if band == anySize && !p.full() {
		return true
	}
	bm := p.si.blockMax[f.fi/sizeBlock]
	if bm < band.lo || p.outranked(f, bm) {
		return false
	}
	if math.IsInf(band.lo, -1) && (band.first || bm < band.hi) {
		return true // the band holds every size of the block
	}
	return band.has(p.si.size[f.fi])
}

// sizeBand is the sizes of the firms a round of byBound reads: from lo
// up, and below hi but in the first round, which reads NaNs too.
type sizeBand struct {
	lo, hi float64
	first  bool
}

// has reports whether the band holds a size.
func (b sizeBand) has(size float64) bool {
	if math.IsNaN(size) {
		return b.first
	}
	return size >= b.lo && (b.first || size < b.hi)
}

// outranked reports whether the page is full of firms that rank before
// any scoring as f does, from f's index on, none larger than size: it
// spares reading a firm's own size (or a chunk's postings) when its
// block's (or chunk's) bound is too small.
func (p *firmPage) outranked(f scoredFirm, size float64) bool {
	if !p.full() {
		return false
	}
	last := p.top.last()
	if f.score != last.score {
		return f.score < last.score
	}
	ls := p.si.size[last.fi]
	return size < ls || size == ls && f.fi > last.fi
}

// boundedList is a posting list and its chunkMax (nil for a short list,
// read whole).
type boundedList struct {
	post   []int32
	bounds []float32
}

// byBound calls visit(list, from, to, band) for the stretches of posting
// lists that may hold a firm to rank with score (none of theirs scores
// more), the largest firms first, and flush (if not nil) after each
// round. Round r reads the firms of sizes from the need·4ʳ-th largest
// chunk bound up (and below round r-1's), in the chunks bounded by that
// much or more and in the short lists whole, until the page is full of
// firms that none left can outrank. The page of a common gram is found in
// about as many chunks as it has firms, and a firm of such a chunk is
// passed on its block's largest size unless it is one of the few that
// large.
func (p *firmPage) byBound(lists []boundedList, score float64, visit func(list, from, to int, band sizeBand), flush func()) {
	chunk := p.si.chunk
	band := sizeBand{hi: math.Inf(1), first: true}
	for k := max(p.top.size-len(p.top.list), 1); ; k *= 4 {
		band.lo = kthLargest(lists, k)
		for li, l := range lists {
			if l.bounds == nil && len(l.post) > 0 {
				visit(li, 0, len(l.post), band)
			}
			for c, b := range l.bounds {
				start := c * chunk
				if b := float64(b); b >= band.lo && !p.outranked(scoredFirm{fi: l.post[start], score: score}, b) {
					visit(li, start, min(start+chunk, len(l.post)), band)
				}
			}
		}
		if flush != nil {
			flush()
		}
		// The firms left are smaller than lo: one as large ranks after the
		// last, whatever its index, when lo is not above the last's size
		// (as when the page holds firms of the bands read).
		if math.IsInf(band.lo, -1) || p.outranked(scoredFirm{fi: math.MaxInt32, score: score}, band.lo) {
			return
		}
		band = sizeBand{lo: band.lo, hi: band.lo}
	}
}

// kthLargest returns the k-th largest chunk bound of the lists, -Inf when
// they have no more than k.
func kthLargest(lists []boundedList, k int) float64 {
	n := 0
	for _, l := range lists {
		n += len(l.bounds)
	}
	if k >= n {
		return math.Inf(-1)
	}
	h := make([]float32, 0, k) // a min-heap of the k largest so far
	for _, l := range lists {
		for _, b := range l.bounds {
			switch {
			case len(h) < k:
				h = append(h, b)
				if len(h) == k {
					for i := k/2 - 1; i >= 0; i-- {
						siftDown(h, i)
					}
				}
			case b > h[0]:
				h[0] = b
				siftDown(h, 0)
			}
		}
	}
	return float64(h[0])
}

// siftDown moves h[i] down the min-heap h to its place.
func siftDown(h []float32, i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1] < h[c] {
			c++
		}
		if h[i] <= h[c] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// skipTo returns the index of the first firm from l[i] on that is fi or
// after it: a few steps, then galloping, as most skips are short and the
// list may be long.
func skipTo(l []int32, i int, fi int32) int {
	for end := min(i+4, len(l)); i < end; i++ {
		if l[i] >= fi {
			return i
		}
	}
	step := 1
	for i+step < len(l) && l[i+step] < fi {
		i += step
		step *= 2
	}
	if i >= len(l) || l[i] >= fi {
		return i
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
// has): a name missing one of them is still found. A firm's names are
// read only when the grams they hold (the posting lists say which) could
// rank it, the largest such firms first (fuzzyBatch). A typo in a common
// word (新能源科拔) makes those hundreds of thousands of names: their
// chunks are read the largest first (byBound).
func (p *firmPage) fuzzy(ns nameScorer, grams []string) {
	si := p.si
	w := fuzzyWalk{p: p, batch: fuzzyBatch{p: p, ns: ns}}
	var held []string
	held, w.lists, w.weights = si.heldGrams(ns, grams)
	if len(held) == 0 {
		return
	}
	if len(held) == 1 {
		held, w.lists, w.weights = append(held, ""), append(w.lists, nil), append(w.weights, 0)
	}
	sum := 0
	for _, wt := range w.weights {
		sum += wt
	}
	w.score = make([]float64, sum+1)
	for k := range w.score {
		w.score[k] = ns.fuzzy(k)
	}
	if w.score[sum] == 0 {
		return // the names share too few of the query's grams
	}
	// A batch as long as the firms it may hold, up to batchSize.
	w.batch.score = w.score
	w.batch.firms = make([]batchedFirm, 0, min(len(w.lists[0])+len(w.lists[1]), batchSize))
	w.restWeight = sum - w.weights[0] - w.weights[1]
	a, b := boundedList{w.lists[0], si.chunkMax[held[0]]}, boundedList{w.lists[1], si.chunkMax[held[1]]}
	if a.bounds == nil && b.bounds == nil {
		w.union()
		return
	}
	p.byBound([]boundedList{a, b}, w.score[sum], w.visit, w.batch.flush)
}

// heldGrams returns the grams some name holds, in the order of grams,
// their posting lists, and each one's weight: how many times the query
// has it (nameScore counts each).
func (si *searchIndex) heldGrams(ns nameScorer, grams []string) (held []string, lists [][]int32, weights []int) {
	held, lists, weights = make([]string, 0, len(grams)+1), make([][]int32, 0, len(grams)+1), make([]int, 0, len(grams)+1)
	for _, g := range grams {
		if l := si.postings[g]; len(l) > 0 {
			w := 0
			for _, qg := range ns.grams {
				if qg == g {
					w++
				}
			}
			held, lists, weights = append(held, g), append(lists, l), append(weights, w)
		}
	}
	return held, lists, weights
}

// fuzzyWalk offers the firms of a fuzzy search.
type fuzzyWalk struct {
	p          *firmPage
	lists      [][]int32 // the postings of the grams some name holds, rarest first
	weights    []int
	score      []float64 // score[k] is the score of a name sharing k grams
	restWeight int       // the weight of lists[2:]
	// cut[i] are, for a walk of lists[i], the other lists cut to the
	// firms from at[i] on.
	cut   [2][][]int32
	at    [2]int32
	batch fuzzyBatch
}

// union offers the firms of the two short lists, read together in firm
// order.
func (w *fuzzyWalk) union() {
	p := w.p
	a, b, rest := w.lists[0], w.lists[1], slices.Clone(w.lists[2:])
	score, restWeight := w.score, w.restWeight
	for i, j := 0, 0; i < len(a) || j < len(b); {
		// Which list the next firm comes from is a toss: the merge is
		// written without branches on it.
		x, y := int32(math.MaxInt32), int32(math.MaxInt32)
		if i < len(a) {
			x = a[i]
		}
		if j < len(b) {
			y = b[j]
		}
		fi := min(x, y)
		inA, inB := b2i(x == fi), b2i(y == fi)
		i, j = i+inA, j+inB
		shared := inA*w.weights[0] + inB*w.weights[1]
		// Most firms hold one of the two rarest grams: ranked as if they
		// held all the others, they need not be looked up in those.
		if f := (scoredFirm{fi: fi, score: score[shared+restWeight]}); f.score == 0 || p.full() && (!p.inBand(f, anySize) || !p.admits(f)) {
			continue
		}
		for k := range rest {
			if holds(&rest[k], fi) {
				shared += w.weights[2+k]
			}
		}
		if f := (scoredFirm{fi: fi, score: score[shared]}); f.score > 0 && (!p.full() || p.admits(f)) {
			w.batch.add(fi, shared)
		}
	}
	w.batch.flush()
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// anySize is the band of every size.
var anySize = sizeBand{lo: math.Inf(-1), hi: math.Inf(1), first: true}

// visit offers the firms of lists[li][from:to] in the size band; a firm
// of both lists is offered from the first.
func (w *fuzzyWalk) visit(li, from, to int, band sizeBand) {
	p, own := w.p, w.lists[li]
	if w.cut[li] == nil || own[from] < w.at[li] {
		w.cut[li] = append(append(w.cut[li][:0], w.lists[1-li]), w.lists[2:]...)
	}
	cut := w.cut[li]
	for _, fi := range own[from:to] {
		if f := (scoredFirm{fi: fi, score: w.score[len(w.score)-1]}); !p.inBand(f, band) || !p.admits(f) {
			continue
		}
		shared := w.weights[li]
		if holds(&cut[0], fi) {
			if li == 1 {
				continue
			}
			shared += w.weights[1]
		}
		for i := range cut[1:] {
			if holds(&cut[1+i], fi) {
				shared += w.weights[2+i]
			}
		}
		if f := (scoredFirm{fi: fi, score: w.score[shared]}); f.score > 0 && p.admits(f) {
			w.batch.add(fi, shared)
		}
	}
	w.at[li] = own[to-1]
}

// fuzzyBatch holds firms a fuzzy search found that may rank, each with
// the number of grams it shares, to read their names in page order: of
// the seventy firms that share two grams of 苏州恒通, the names of the
// twenty largest are read, not those of the first twenty found.
type fuzzyBatch struct {
	p     *firmPage
	ns    nameScorer
	score []float64 // score[k] is the score of a name sharing k grams
	firms []batchedFirm
}

type batchedFirm struct {
	fi, shared int32
	size       float64
}

// batchSize is how many firms a fuzzyBatch holds before reading them.
const batchSize = 128

// add holds firm fi, whose names share this many grams.
func (fb *fuzzyBatch) add(fi int32, shared int) {
	fb.firms = append(fb.firms, batchedFirm{fi, int32(shared), fb.p.si.size[fi]})
	if len(fb.firms) == batchSize {
		fb.flush()
	}
}

// flush offers the firms held, best bound first, each scored by its
// names if it may still rank.
func (fb *fuzzyBatch) flush() {
	p := fb.p
	slices.SortFunc(fb.firms, func(a, b batchedFirm) int {
		if a.shared != b.shared {
			return cmp.Compare(b.shared, a.shared)
		}
		if c := compareFloat(b.size, a.size); c != 0 {
			return c
		}
		return cmp.Compare(a.fi, b.fi)
	})
	for _, f := range fb.firms {
		if !p.admits(scoredFirm{fi: f.fi, score: fb.score[f.shared]}) {
			continue // in page order, so are the rest, unless a size is NaN
		}
		if s, form := p.si.bestForm(fb.ns, f.fi); s > 0 {
			p.add(scoredFirm{fi: f.fi, score: s, form: form + 1})
		}
	}
	fb.firms = fb.firms[:0]
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
