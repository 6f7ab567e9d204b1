package readmodel

import (
	"cmp"
	"maps"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// This file makes the next read model after a write that changed facts
// about firms only — a registry upload replaced or deleted — without
// decoding the rest again: the firms the write touched are decoded afresh,
// every other record is carried over, and the structures that number firms
// are renumbered and patched where those firms are. The result is the
// model Build would give from all the quads, field for field (graph/store's
// tests compare them by reflection after every write).
//
// A rebuild at a million firms spends ~30 s decoding quads and merging
// firms; the update's cost is the changed firms plus a few linear passes
// over the arrays.

// Update returns the read model after a write that changed only the firms
// in changed (sorted): b holds the current sources (SetSources,
// StartFacts), every current quad about those firms and nothing else, and
// the journal's counts (SetCounts). ok is false when the write is not one
// an update can follow exactly (see updatable); the caller then builds the
// model whole.
func (x *Index) Update(b *Builder, changed []graph.FirmID) (y *Index, ok bool) {
	if !x.updatable(b) {
		return nil, false
	}
	y = &Index{}
	*y = *x
	y.firmAt = nil // made beside the analytics, below
	y.srcByID, y.sources = map[graph.SourceID]int{}, nil
	y.stats = Stats{Quads: b.quads, ByClass: map[string]int{}}
	b.buildSources(y)
	remap, same := sourceRemap(x.sources, y.sources)
	if !same && !remapProvenance(y, x, remap) {
		return nil, false
	}
	y.words, y.wordAt = slices.Clip(x.words), maps.Clone(x.wordAt)
	d, ok := y.mergeFirms(x, b, changed, remap, same)
	if !ok || len(y.words) != len(x.words) || !y.allWordsUsed() || len(b.bad) > 0 {
		return nil, false
	}
	// The firms by id, beside the rest (which reads none of it).
	at := make(chan map[graph.FirmID]int32, 1)
	go func() {
		m := make(map[graph.FirmID]int32, len(y.firms))
		for i := range y.firms {
			m[y.firms[i].ID] = int32(i)
		}
		at <- m
	}()
	y.countClasses()
	y.an = updateAnalytics(x, y, d)
	y.an.chainCov = buildChainCoverage(y)
	y.covCache = &coverageCache{}
	y.firmAt = <-at
	return y, true
}

// updatable reports whether an update can give what Build would: the
// builder decoded firms only, no value of the model or of the changed
// firms is unreadable (the list of bad values keeps the order they were
// read in), and no lead has landed (a landing adds members that depend
// on the firms around it).
func (x *Index) updatable(b *Builder) bool {
	if len(b.regions)+len(b.codes)+len(b.chains)+len(b.nodes)+len(b.parks)+len(b.plans)+len(b.xwalk)+len(b.marks)+len(b.leads) > 0 {
		return false
	}
	if len(x.badValues) > 0 || b.badCount > 0 {
		return false
	}
	for _, l := range x.leads {
		if _, landed := l.LandedOn(); landed {
			return false
		}
	}
	return true
}

// noSource marks a source of the old model that the new one lacks.
const noSource = ^uint16(0)

// sourceRemap maps the old model's source numbers (indexes into its
// sources, by id) to the new one's; same reports that none moved.
func sourceRemap(old, cur []graph.SourceInfo) ([]uint16, bool) {
	remap := make([]uint16, len(old))
	same := true
	k := 0
	for i, s := range old {
		for k < len(cur) && cur[k].ID < s.ID {
			k++
		}
		if k < len(cur) && cur[k].ID == s.ID {
			remap[i] = uint16(k)
		} else {
			remap[i] = noSource
		}
		same = same && remap[i] == uint16(i)
	}
	return remap, same
}

// remapProvenance renumbers the sources of chains, nodes, parks and
// regions; false when one of them came from a source that went (the write
// was not about firms only).
func remapProvenance(y, x *Index, remap []uint16) bool {
	y.prov = provenance{bySubject: make(map[string][]uint16, len(x.prov.bySubject))}
	for subj, nums := range x.prov.bySubject {
		out := make([]uint16, len(nums))
		for i, n := range nums {
			if out[i] = remap[n]; out[i] == noSource {
				return false
			}
		}
		y.prov.bySubject[subj] = out
	}
	return true
}

// firmDelta says how the firms of the new model relate to the old: from[i]
// is the old index of new firm i (-1 for a firm decoded afresh), to[k] the
// new index of old firm k (-1 for a changed or removed firm), fresh the
// new indexes of the firms decoded afresh.
type firmDelta struct {
	from, to []int32
	fresh    []int32
}

// moved reports whether an old firm index maps to another, or to none.
func (d *firmDelta) moved(old int32) bool { return d.to[old] != old }

// mergeFirms sets y's firms: x's, in id order, with the changed ones
// replaced by their records from b (or gone), sources renumbered.
func (y *Index) mergeFirms(x *Index, b *Builder, changed []graph.FirmID, remap []uint16, same bool) (firmDelta, bool) {
	fresh := make([]firmRec, 0, len(changed))
	freshConflicts := map[graph.FirmID][]graph.RegionCode{}
	for _, m := range sortedValues(b.firms) {
		if r, conflicts, ok := b.firmRecord(y, m); ok {
			fresh = append(fresh, r)
			if len(conflicts) > 0 {
				freshConflicts[r.ID] = conflicts
			}
		}
	}
	n := len(x.firms) + len(fresh)
	y.firms = make([]firmRec, 0, n)
	d := firmDelta{from: make([]int32, 0, n), to: make([]int32, len(x.firms))}
	y.regionConflicts = nil
	addFresh := func(r firmRec) {
		d.fresh = append(d.fresh, int32(len(y.firms)))
		if c := freshConflicts[r.ID]; len(c) > 0 {
			y.noteConflicts(int32(len(y.firms)), c)
		}
		d.from = append(d.from, -1)
		y.firms = append(y.firms, r)
	}
	k, c := 0, 0 // next fresh firm, next changed id
	for i := range x.firms {
		r := x.firms[i]
		for k < len(fresh) && fresh[k].ID < r.ID {
			addFresh(fresh[k])
			k++
		}
		for c < len(changed) && changed[c] < r.ID {
			c++
		}
		if c < len(changed) && changed[c] == r.ID {
			d.to[i] = -1
			continue
		}
		if !same && !renumberSources(&r, remap) {
			return d, false
		}
		d.to[i] = int32(len(y.firms))
		if c := x.regionConflicts[int32(i)]; len(c) > 0 {
			y.noteConflicts(d.to[i], c)
		}
		d.from = append(d.from, int32(i))
		y.firms = append(y.firms, r)
	}
	for ; k < len(fresh); k++ {
		addFresh(fresh[k])
	}
	return d, true
}

func (y *Index) noteConflicts(fi int32, c []graph.RegionCode) {
	if y.regionConflicts == nil {
		y.regionConflicts = map[int32][]graph.RegionCode{}
	}
	y.regionConflicts[fi] = c
}

// renumberSources gives a carried-over firm the new model's source
// numbers, in new slices when any moved (the old model's stay as they
// are); false when one of its sources went, which only a changed firm may
// have.
func renumberSources(r *firmRec, remap []uint16) bool {
	moved := func(s uint16) bool { return remap[s] != s }
	if !slices.ContainsFunc(r.sources, moved) && !slices.ContainsFunc(r.links, func(l firmLink) bool { return moved(l.src) }) {
		return true // its sources kept their numbers: the old slices serve
	}
	srcs := make([]uint16, len(r.sources))
	for i, s := range r.sources {
		if srcs[i] = remap[s]; srcs[i] == noSource {
			return false
		}
	}
	links := slices.Clone(r.links)
	for i := range links {
		if links[i].src = remap[links[i].src]; links[i].src == noSource {
			return false
		}
	}
	r.sources, r.links = srcs, links
	return true
}

// allWordsUsed reports whether some firm link uses each of the short
// strings links share. Build numbers the words in sorted order
// (sortWords); a word the changed firms brought, or one only they used,
// would number them otherwise, and the update gives way to a rebuild.
func (y *Index) allWordsUsed() bool {
	used := make([]bool, len(y.words))
	n := 0
	use := func(w uint16) {
		if !used[w] {
			used[w] = true
			n++
		}
	}
	for i := range y.firms {
		for _, l := range y.firms[i].links {
			use(l.method)
			use(l.role)
		}
		if n == len(used) {
			return true
		}
	}
	return n == len(used)
}

// updateAnalytics carries x's analytics over to y: the per-firm arrays are
// filled again (a pass over the firms), the node lists renumbered and, in
// the nodes the changed firms were or are in, patched.
func updateAnalytics(x, y *Index, d firmDelta) *analytics {
	xa := x.an
	an := &analytics{regionTotal: map[uint32]int32{},
		nodeChain: xa.nodeChain, nodeParent: xa.nodeParent, nodeKids: xa.nodeKids, nodeDepth: xa.nodeDepth,
		nodePred: xa.nodePred, nodeSucc: xa.nodeSucc, leaves: xa.leaves}
	search := make(chan searchIndex, 1)
	go func() { search <- updateSearch(x, y, d) }()
	names := make(chan nameLookups, 1)
	go func() { names <- updateNames(x, y, d) }()
	an.firmArrays(y)

	nn := len(y.nodes)
	touched := make([]bool, nn)
	for k, to := range d.to {
		if to < 0 {
			for _, l := range x.firms[k].links {
				for a := l.node; a >= 0; a = an.nodeParent[a] {
					touched[a] = true
				}
			}
		}
	}
	p := newPlacement(nn)
	for _, fi := range d.fresh {
		an.place(y, fi, &p)
		for _, l := range y.firms[fi].links {
			for a := l.node; a >= 0; a = an.nodeParent[a] {
				touched[a] = true
			}
		}
	}
	an.landed = addLanded(y, an, p.members) // none: updatable refuses a landed lead
	an.nodes = make([]nodeAgg, nn)
	an.nodeInactive, an.nodeDirect = make([][]int32, nn), make([][]int32, nn)
	parallel(nn, func(ni int) {
		an.nodes[ni] = an.patchNode(y, int32(ni), xa.nodes[ni], &d, touched[ni], p.members[ni])
		an.nodeInactive[ni] = patchList(xa.nodeInactive[ni], &d, p.inactive[ni], cmp.Compare[int32])
		an.nodeDirect[ni] = patchList(xa.nodeDirect[ni], &d, p.direct[ni], func(a, b int32) int {
			return cmp.Or(cmp.Compare(an.firmRegion[a], an.firmRegion[b]), cmp.Compare(a, b))
		})
	})
	an.search = <-search
	y.names = <-names
	return an
}

// patchNode gives a node's aggregate in y: the old members renumbered,
// without the changed firms, with the fresh members merged in order, and
// the sums made again when its members changed.
func (an *analytics) patchNode(y *Index, ni int32, old nodeAgg, d *firmDelta, touched bool, fresh []member) nodeAgg {
	if !touched {
		ms, same := renumberMembers(old.members, d)
		if same {
			return old
		}
		agg := old
		agg.members = ms
		return agg
	}
	kept := make([]member, 0, len(old.members)+len(fresh))
	for _, m := range old.members {
		if to := d.to[m.firm]; to >= 0 {
			m.firm = to
			kept = append(kept, m)
		}
	}
	slices.SortFunc(fresh, y.memberOrder)
	return an.sums(y, ni, mergeSorted(kept, fresh, y.memberOrder))
}

// renumberMembers returns members with the new firm numbers; same when
// none changed (the slice is then the old one).
func renumberMembers(ms []member, d *firmDelta) ([]member, bool) {
	i := slices.IndexFunc(ms, func(m member) bool { return d.moved(m.firm) })
	if i < 0 {
		return ms, true
	}
	out := slices.Clone(ms)
	for k := i; k < len(out); k++ {
		out[k].firm = d.to[out[k].firm]
	}
	return out, false
}

// patchList renumbers a node's list of firms (in the order cmp gives),
// drops the changed ones and merges in the fresh ones.
func patchList(old []int32, d *firmDelta, fresh []int32, order func(a, b int32) int) []int32 {
	if len(fresh) == 0 && !slices.ContainsFunc(old, d.moved) {
		return old
	}
	kept := make([]int32, 0, len(old)+len(fresh))
	for _, fi := range old {
		if to := d.to[fi]; to >= 0 {
			kept = append(kept, to)
		}
	}
	slices.SortFunc(fresh, order)
	out := mergeSorted(kept, fresh, order)
	if len(out) == 0 {
		return nil
	}
	return out
}

// mergeSorted merges two lists sorted by order.
func mergeSorted[T any](a, b []T, order func(x, y T) int) []T {
	if len(b) == 0 {
		return a
	}
	out := make([]T, 0, len(a)+len(b))
	i, k := 0, 0
	for i < len(a) && k < len(b) {
		if order(b[k], a[i]) < 0 {
			out = append(out, b[k])
			k++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[k:]...)
}

// updateSearch carries the search index over: the name forms and sizes
// of kept firms copied (a kept firm's record is the old one), those of
// fresh firms made, the posting lists renumbered and patched.
func updateSearch(x, y *Index, d firmDelta) searchIndex {
	xs := &x.an.search
	si := searchIndex{formAt: make([]int32, len(y.firms)+1), forms: make([]string, 0, len(xs.forms)), size: make([]float64, len(y.firms))}
	freshPost := map[string][]int32{}
	var grams []string
	for fi, o := range d.from {
		if o < 0 {
			si.size[fi] = y.firms[fi].size()
			grams = si.addForms(&y.firms[fi], int32(fi), grams[:0])
			for _, g := range grams {
				freshPost[g] = append(freshPost[g], int32(fi))
			}
			continue
		}
		si.size[fi] = xs.size[o]
		si.forms = append(si.forms, xs.forms[xs.formAt[o]:xs.formAt[o+1]]...)
		si.formAt[fi+1] = int32(len(si.forms))
	}
	fresh := si.sorted
	slices.SortFunc(fresh, nameOrder)
	kept := make([]nameEntry, 0, len(xs.sorted))
	for _, e := range xs.sorted {
		if to := d.to[e.firm]; to >= 0 {
			kept = append(kept, nameEntry{e.name, to})
		}
	}
	si.sorted = mergeSorted(kept, fresh, nameOrder)
	si.postings = patchLists(xs.postings, &d, freshPost)
	si.setBlockMax()
	si.others = xs.others // an update changes firms only
	return si
}

// updateNames carries the firm-name lookups over, renumbered and patched.
func updateNames(x, y *Index, d firmDelta) nameLookups {
	add := nameLookups{firms: map[string][]int32{}, short: map[string][]int32{}}
	for _, fi := range d.fresh {
		add.addFirm(y, fi)
	}
	return nameLookups{firms: patchLists(x.names.firms, &d, add.firms), short: patchLists(x.names.short, &d, add.short), codes: x.names.codes}
}

// patchLists renumbers lists of firms in index order, drops the changed
// firms and merges in those of fresh (also in index order); a key left
// without firms goes, as Build never makes one.
func patchLists(old map[string][]int32, d *firmDelta, fresh map[string][]int32) map[string][]int32 {
	out := make(map[string][]int32, len(old)+len(fresh))
	for k, l := range old {
		if l = patchList(l, d, fresh[k], cmp.Compare[int32]); len(l) > 0 {
			out[k] = l
		}
	}
	for k, l := range fresh {
		if _, done := old[k]; !done {
			out[k] = l
		}
	}
	return out
}
