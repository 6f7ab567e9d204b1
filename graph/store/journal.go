package store

import (
	"cmp"
	"hash/fnv"
	"slices"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// journal keeps, in memory and interned, the quads of the current versions
// that the read model decodes, grouped by version. After a write the read
// model is rebuilt by replaying it — the new version's quads are recorded
// as they are written — instead of scanning the store, whose kv read path
// (~80k quads/s on bbolt) would take minutes at a million firms.
//
// Quads the read model never decodes (a firm's 经营范围, address, legal
// representative, kept attributes, credit code) are not kept, only counted.
// The store stays the system of record: the journal is rebuilt from it at
// Open, and by a full refresh whenever another process may have written.
type journal struct {
	vals   []quad.Value          // id → value; id 0 is unused
	ids    map[quad.Value]uint32 // value → id
	byVer  map[string]*jversion  // version label → its quads
	labels map[string]quad.IRI   // version label → its IRI value, for rebuilding quads
	// dropped is set when a version is dropped: only a drop leaves values
	// no quad uses, so compact counts them only then.
	dropped bool
}

// jversion is one version's kept quads, and how many quads it has in all.
type jversion struct {
	quads   []jquad
	skipped []uint64 // hashes of the quads not kept, to count them once each
	total   int
	sorted  bool
}

type jquad struct{ s, p, o uint32 }

func newJournal() *journal {
	return &journal{vals: []quad.Value{nil, graph.PredLinkEvidence}, ids: map[quad.Value]uint32{graph.PredLinkEvidence: jLinkEvidence},
		byVer: map[string]*jversion{}, labels: map[string]quad.IRI{}}
}

// jLinkEvidence is the id every journal gives graph.PredLinkEvidence. A
// firm's evidence list (PredNodeEvidence) is counted as one quad but kept
// as a quad of this predicate per link, without the matched text the read
// model does not read: the same link of thousands of firms is then one
// value, where each firm's list would be a value of its own (at a million
// firms 0.6 GB and 4 s of every open).
const jLinkEvidence uint32 = 1

// counted is the number of a sealed version's kept quads that stand for
// quads of the store (the per-link evidence quads stand for none).
func (v *jversion) counted() int {
	n := len(v.quads)
	for _, q := range v.quads {
		if q.p == jLinkEvidence {
			n--
		}
	}
	return n
}

// notDecoded lists the firm predicates the read model ignores; their quads
// are the long texts, so leaving them out is most of the journal's saving.
var notDecoded = map[quad.IRI]bool{
	graph.PredScope: true, graph.PredAddress: true, graph.PredLegalRep: true, graph.PredAttr: true, graph.PredCreditCode: true,
	graph.PredExclusionNote: true, graph.PredFirmText: true,
}

func (j *journal) intern(v quad.Value) uint32 {
	if j.ids == nil {
		j.indexValues()
	}
	if id, ok := j.ids[v]; ok {
		return id
	}
	id := uint32(len(j.vals))
	j.vals = append(j.vals, v)
	j.ids[v] = id
	return id
}

// forgetIndex drops the map from values to ids between writes: only
// adding quads reads it, and at a million firms it is 0.2 GB of a
// process that otherwise holds the read model and the journal. The next
// add rebuilds it (indexValues), a small part of a write at that size.
func (j *journal) forgetIndex() { j.ids = nil }

// indexValues rebuilds the map from values to ids.
func (j *journal) indexValues() {
	j.ids = make(map[quad.Value]uint32, len(j.vals))
	for id, v := range j.vals {
		if v != nil {
			j.ids[v] = uint32(id)
		}
	}
}

// add records one quad of a version.
func (j *journal) add(q quad.Quad) {
	l := graph.IRIOf(q.Label)
	v := j.byVer[l]
	if v == nil {
		v = &jversion{}
		j.byVer[l] = v
		j.labels[l] = quad.IRI(l)
	}
	v.sorted = false
	p, _ := q.Predicate.(quad.IRI)
	if (notDecoded[p] || p == graph.PredNodeEvidence) && isFirm(q.Subject) {
		v.skipped = append(v.skipped, quadHash(q))
		if p == graph.PredNodeEvidence {
			s := j.intern(q.Subject)
			for _, l := range graph.LinkEvidenceValues(q.Object) {
				v.quads = append(v.quads, jquad{s, jLinkEvidence, j.intern(l)})
			}
		}
		return
	}
	v.quads = append(v.quads, jquad{j.intern(q.Subject), j.intern(q.Predicate), j.intern(q.Object)})
}

// quadHash identifies a quad the journal counts without keeping it.
func quadHash(q quad.Quad) uint64 {
	h := fnv.New64a()
	h.Write([]byte(q.Subject.String()))
	h.Write([]byte{0})
	h.Write([]byte(q.Predicate.String()))
	h.Write([]byte{0})
	h.Write([]byte(q.Object.String()))
	return h.Sum64()
}

// seal sorts a version's quads and drops repeats, so its count is exact: a
// loader may put the same fact twice, and the store keeps it once.
func (v *jversion) seal() {
	if v.sorted {
		return
	}
	slices.SortFunc(v.quads, func(a, b jquad) int {
		if a.s != b.s {
			return int(a.s) - int(b.s)
		}
		if a.p != b.p {
			return int(a.p) - int(b.p)
		}
		return int(a.o) - int(b.o)
	})
	v.quads = slices.Compact(v.quads)
	slices.Sort(v.skipped)
	v.skipped = slices.Compact(v.skipped)
	v.total = v.counted() + len(v.skipped)
	v.sorted = true
}

// drop forgets a version.
func (j *journal) drop(label string) {
	j.dropped = true
	delete(j.byVer, label)
	delete(j.labels, label)
}

// subjects returns the distinct subjects of a version.
func (j *journal) subjects(label string) []quad.Value {
	ids, _ := j.subjectIDs(label)
	out := make([]quad.Value, len(ids))
	for i, id := range ids {
		out[i] = j.vals[id]
	}
	return out
}

// quad rebuilds a kept quad of the version labelled lv.
func (j *journal) quad(q jquad, lv quad.IRI) quad.Quad {
	return quad.Quad{Subject: j.vals[q.s], Predicate: j.vals[q.p], Object: j.vals[q.o], Label: lv}
}

// replay feeds the current versions' quads to a builder, and sets each
// source's quad count from the journal.
func (j *journal) replay(b *readmodel.Builder) {
	for _, label := range j.current(b) {
		v := j.byVer[label]
		lv := j.labels[label]
		for _, q := range v.quads {
			b.Fact(j.quad(q, lv))
		}
	}
	j.setCounts(b)
}

// replaySubjects feeds a builder the current versions' quads about the
// given subjects (value ids, sorted) only, and sets each source's quad
// count from the journal: what readmodel.Index.Update reads.
func (j *journal) replaySubjects(b *readmodel.Builder, subjects []uint32) {
	for _, label := range j.current(b) {
		v := j.byVer[label]
		lv := j.labels[label]
		for _, s := range subjects {
			i, _ := slices.BinarySearchFunc(v.quads, s, func(q jquad, s uint32) int { return cmp.Compare(q.s, s) })
			for ; i < len(v.quads) && v.quads[i].s == s; i++ {
				b.Fact(j.quad(v.quads[i], lv))
			}
		}
	}
	j.setCounts(b)
}

// current lists the versions the builder holds current, sorted, each
// sealed.
func (j *journal) current(b *readmodel.Builder) []string {
	labels := make([]string, 0, len(j.byVer))
	for label := range j.byVer {
		if b.IsCurrent(label) {
			labels = append(labels, label)
		}
	}
	slices.Sort(labels)
	for _, label := range labels {
		j.byVer[label].seal()
	}
	return labels
}

// setCounts sets each current source's quad count from the journal.
func (j *journal) setCounts(b *readmodel.Builder) {
	counts := make(map[string]int, len(j.byVer))
	for label, v := range j.byVer {
		if b.IsCurrent(label) {
			v.seal()
			counts[label] = v.total
		}
	}
	b.SetCounts(counts)
}

// subjectIDs returns the distinct subjects of a version as value ids,
// sorted, and whether every one is a firm.
func (j *journal) subjectIDs(label string) (ids []uint32, firms bool) {
	v := j.byVer[label]
	if v == nil {
		return nil, true
	}
	v.seal()
	firms = true
	for i, q := range v.quads {
		if i == 0 || q.s != v.quads[i-1].s {
			ids = append(ids, q.s)
			firms = firms && isFirm(j.vals[q.s])
		}
	}
	return ids, firms
}

// compact re-interns the kept versions' values when dropped versions have
// left more dead values than live ones. (It counted the values interned
// up to the last compaction as the live ones, so a first load of a
// million firms, all of them new values, was compacted for nothing: 10
// CPU-seconds.)
func (j *journal) compact() {
	if len(j.vals) < 1<<16 || !j.dropped {
		return
	}
	j.dropped = false
	if 2*j.referenced() > len(j.vals) {
		return
	}
	nj := newJournal()
	for label, v := range j.byVer {
		nv := &jversion{skipped: v.skipped, total: v.total, quads: make([]jquad, len(v.quads))}
		for i, q := range v.quads {
			nv.quads[i] = jquad{nj.intern(j.vals[q.s]), nj.intern(j.vals[q.p]), nj.intern(j.vals[q.o])}
		}
		nj.byVer[label] = nv
		nj.labels[label] = j.labels[label]
	}
	*j = *nj
}

// referenced counts the values the versions' quads use.
func (j *journal) referenced() int {
	used := make([]bool, len(j.vals))
	n := 0
	mark := func(id uint32) {
		if !used[id] {
			used[id] = true
			n++
		}
	}
	for _, v := range j.byVer {
		for _, q := range v.quads {
			mark(q.s)
			mark(q.p)
			mark(q.o)
		}
	}
	return n
}

func isFirm(v quad.Value) bool {
	_, ok := graph.FirmOf(graph.IRIOf(v))
	return ok
}
