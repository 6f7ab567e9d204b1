package loaders

import (
	"slices"
	"unicode/utf8"
)

// runeMatcher is an Aho-Corasick automaton over runes, built for matching
// thousands of Chinese keywords against 经营范围. The byte-level DFA of
// petar-dambovaliev/aho-corasick spends most of its time in cache misses on
// a transition table of states × byte classes (6,600 keywords of 2–10
// characters make tens of megabytes); this automaton steps once per rune,
// keeps each state's few edges in a sorted array, and sends runes that
// occur in no keyword straight to the root, so the noise between keywords
// costs one table lookup per character.
type runeMatcher struct {
	runeID  []uint16        // BMP rune → id (0: in no pattern)
	otherID map[rune]uint32 // ids of runes outside the BMP
	// Trie states; state 0 is the root. Edges of state s are
	// edgeRune/edgeNext[first[s]:first[s+1]], sorted by rune id.
	first    []int32
	edgeRune []uint32
	edgeNext []int32
	fail     []int32
	out      []int32 // pattern ending at the state, or -1
	dict     []int32 // nearest state on the failure chain with an output, or -1
	patBytes []int   // each pattern's length in bytes
}

// match is one occurrence of a pattern.
type match struct {
	start, end, pat int
}

// newRuneMatcher builds the automaton. Patterns must be distinct and
// non-empty.
func newRuneMatcher(patterns []string) *runeMatcher {
	m := &runeMatcher{runeID: make([]uint16, 1<<16), otherID: map[rune]uint32{}}
	kids := m.trie(patterns)
	m.compact(kids)
	m.link()
	return m
}

// trie builds the trie of the patterns with maps for edges, numbering
// runes as it meets them, and returns each state's edges (rune id → state).
func (m *runeMatcher) trie(patterns []string) []map[uint32]int32 {
	next := uint32(1)
	id := func(r rune) uint32 {
		if r < 1<<16 {
			if m.runeID[r] == 0 {
				if next >= 1<<16 {
					// More than 65,535 distinct BMP runes cannot happen in a
					// keyword list; fall back to the map all the same.
					return m.otherIDFor(r, &next)
				}
				m.runeID[r] = uint16(next)
				next++
			}
			return uint32(m.runeID[r])
		}
		return m.otherIDFor(r, &next)
	}
	kids := []map[uint32]int32{{}}
	m.out = []int32{-1}
	for pi, p := range patterns {
		s := int32(0)
		for _, r := range p {
			k := id(r)
			n, ok := kids[s][k]
			if !ok {
				n = int32(len(kids))
				kids = append(kids, map[uint32]int32{})
				m.out = append(m.out, -1)
				kids[s][k] = n
			}
			s = n
		}
		m.out[s] = int32(pi)
		m.patBytes = append(m.patBytes, len(p))
	}
	return kids
}

// compact turns each state's edge map into a run of the sorted edge arrays.
func (m *runeMatcher) compact(kids []map[uint32]int32) {
	n := len(kids)
	m.first = make([]int32, n+1)
	for s := 0; s < n; s++ {
		m.first[s] = int32(len(m.edgeRune))
		keys := make([]uint32, 0, len(kids[s]))
		for k := range kids[s] {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			m.edgeRune = append(m.edgeRune, k)
			m.edgeNext = append(m.edgeNext, kids[s][k])
		}
	}
	m.first[n] = int32(len(m.edgeRune))
}

// link sets the failure and dictionary links, breadth first.
func (m *runeMatcher) link() {
	n := len(m.first) - 1
	m.fail = make([]int32, n)
	m.dict = make([]int32, n)
	m.dict[0] = -1
	queue := []int32{}
	for e := m.first[0]; e < m.first[1]; e++ {
		c := m.edgeNext[e]
		m.fail[c], m.dict[c] = 0, -1
		queue = append(queue, c)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for e := m.first[s]; e < m.first[s+1]; e++ {
			k, c := m.edgeRune[e], m.edgeNext[e]
			f := m.fail[s]
			for {
				if t, ok := m.step(f, k); ok {
					m.fail[c] = t
					break
				}
				if f == 0 {
					m.fail[c] = 0
					break
				}
				f = m.fail[f]
			}
			if fc := m.fail[c]; m.out[fc] >= 0 {
				m.dict[c] = fc
			} else {
				m.dict[c] = m.dict[fc]
			}
			queue = append(queue, c)
		}
	}
}

func (m *runeMatcher) otherIDFor(r rune, next *uint32) uint32 {
	if v, ok := m.otherID[r]; ok {
		return v
	}
	m.otherID[r] = *next
	*next++
	return m.otherID[r]
}

// step follows the edge of state s for rune id k.
func (m *runeMatcher) step(s int32, k uint32) (int32, bool) {
	lo, hi := m.first[s], m.first[s+1]
	if hi-lo <= 8 {
		for e := lo; e < hi; e++ {
			if m.edgeRune[e] == k {
				return m.edgeNext[e], true
			}
		}
		return 0, false
	}
	edges := m.edgeRune[lo:hi]
	i, ok := slices.BinarySearch(edges, k)
	if !ok {
		return 0, false
	}
	return m.edgeNext[lo+int32(i)], true
}

// findAll appends every occurrence of every pattern in text, overlapping
// ones included, in order of their end.
func (m *runeMatcher) findAll(text string, out []match) []match {
	s := int32(0)
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		var k uint32
		if r < 1<<16 {
			k = uint32(m.runeID[r])
		} else {
			k = m.otherID[r]
		}
		if k == 0 {
			s = 0 // a rune of no pattern: nothing spans it
			continue
		}
		for {
			if t, ok := m.step(s, k); ok {
				s = t
				break
			}
			if s == 0 {
				break
			}
			s = m.fail[s]
		}
		for t := s; t > 0; t = m.dict[t] {
			if p := m.out[t]; p >= 0 {
				out = append(out, match{start: i - m.patBytes[p], end: i, pat: int(p)})
			}
			if m.dict[t] < 0 {
				break
			}
		}
	}
	return out
}
