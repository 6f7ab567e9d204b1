package graph

import (
	"fmt"

	"github.com/cayleygraph/quad"
)

// This file is the merge engine the codecs of the classes share (region.go,
// industry.go, chain.go, node.go, park.go, crosswalk.go). A codec is a table
// of rows, one per predicate: the rule that merges its values across
// sources (mergeRule, in firm.go) and how a value is read from and written
// to the class's Go type. Encoding walks the rows; decoding feeds each quad
// to the row of its predicate; adding an attribute is one struct field and
// one row.

// field is one row of a codec for values of type T.
type field[T any] struct {
	pred quad.IRI
	rule mergeRule
	get  func(v *T) []quad.Value
	set  func(v *T, o quad.Value, intern func(string) string)
	// valid, when set, says whether a stored value can be read; one that
	// cannot is reported (Merge.Bad) and left out, never read as zero.
	valid func(o quad.Value) bool
	// done, when set, finishes the field once every quad is read (a list
	// drops repeated values).
	done func(v *T)
}

// codec is a class's table, numbered by predicate.
type codec[T any] struct {
	class quad.IRI
	subj  func(v *T) quad.IRI
	rows  []field[T]
	at    map[quad.IRI]int
}

// newCodec numbers a table. The engine merges by mergeFirst, mergeMax and
// mergeAll; a region refined across sources (mergeFiner, mergeWithRegion)
// needs the evidence FirmMerge keeps, so a table that asks for it is a
// programming error, caught when the package loads.
func newCodec[T any](class quad.IRI, subj func(*T) quad.IRI, rows ...field[T]) *codec[T] {
	c := &codec[T]{class: class, subj: subj, rows: rows, at: make(map[quad.IRI]int, len(rows))}
	for i, r := range rows {
		switch r.rule {
		case mergeFirst, mergeMax, mergeAll:
		default:
			panic(fmt.Sprintf("graph: codec of %s: row %s: rule %d needs FirmMerge's region evidence", class, r.pred, r.rule))
		}
		if _, dup := c.at[r.pred]; dup {
			panic(fmt.Sprintf("graph: codec of %s: two rows for %s", class, r.pred))
		}
		c.at[r.pred] = i
	}
	return c
}

// encode writes v's type and every row's values, in the order of the rows.
func (c *codec[T]) encode(e *encoder, v *T) {
	s := c.subj(v)
	e.add(s, PredType, c.class)
	for i := range c.rows {
		for _, o := range c.rows[i].get(v) {
			e.add(s, c.rows[i].pred, o)
		}
	}
}

// Merge decodes the quads of one entity of class T (a Region, a Chain …),
// from any number of sources in any order, into one value by the rules of
// its codec's table: the same quads give the same value whatever their
// order.
type Merge[T any] struct {
	codec *codec[T]
	val   T
	kept  []kept // per row of a single value: the value kept and its source's rank
	// Intern, when set, shares short repeated strings between entities.
	Intern func(string) string
	// Bad are the stored values that could not be read; they are left out
	// of the merge.
	Bad []BadValue
}

// kept is the stored value a row of a single value kept, as stored (so
// merging compares stored values and needs no encoding of the current
// one), and the rank of the source that stated it.
type kept struct {
	v    quad.Value
	rank int8
}

func newMerge[T any](c *codec[T], v T) *Merge[T] {
	return &Merge[T]{codec: c, val: v, kept: make([]kept, len(c.rows))}
}

// Add merges one quad stated by a source of the given rank (SourceKind.Rank:
// lower wins). It reports false for a predicate the codec does not know.
func (m *Merge[T]) Add(q quad.Quad, rank int8) bool {
	pred, _ := q.Predicate.(quad.IRI)
	i, ok := m.codec.at[pred]
	if !ok {
		return pred == PredType
	}
	fd := &m.codec.rows[i]
	if fd.valid != nil && !fd.valid(q.Object) {
		m.Bad = append(m.Bad, BadValueOf(q))
		return true
	}
	in := m.Intern
	if in == nil {
		in = noIntern
	}
	if fd.rule == mergeAll {
		fd.set(&m.val, q.Object, in)
		return true
	}
	if unknown(fd.rule, q.Object) {
		return true
	}
	k := &m.kept[i]
	if k.v == nil || rank < k.rank || rank == k.rank && wins(fd.rule, q.Object, k.v) {
		fd.set(&m.val, q.Object, in)
		*k = kept{q.Object, rank}
	}
	return true
}

// unknown says whether a stored value states nothing, so it never wins: an
// empty text, or a zero for the largest of numbers (zero is unknown).
func unknown(r mergeRule, v quad.Value) bool {
	if r == mergeMax {
		return FloatOf(v) == 0
	}
	s, ok := v.(quad.String)
	return ok && s == ""
}

// wins reports whether v replaces cur between sources of one rank.
func wins(r mergeRule, v, cur quad.Value) bool {
	switch r {
	case mergeMax:
		return FloatOf(v) > FloatOf(cur)
	default: // mergeFirst
		return StrOf(v) < StrOf(cur)
	}
}

// Value returns the value merged so far, before Result finishes it.
func (m *Merge[T]) Value() T { return m.val }

// Result returns the merged value, each field finished by its row.
func (m *Merge[T]) Result() T {
	v := m.val
	for i := range m.codec.rows {
		if d := m.codec.rows[i].done; d != nil {
			d(&v)
		}
	}
	return v
}

// isNumber says whether a stored value is a number (NumberOf).
func isNumber(o quad.Value) bool {
	_, ok := NumberOf(o)
	return ok
}

// isInteger says whether a stored value is a whole number.
func isInteger(o quad.Value) bool {
	f, ok := NumberOf(o)
	return ok && f == float64(int(f))
}

// Row makers for the common shapes of field; p points a value at its field.

// textRow is a string field. A short one (a level, a type: few distinct
// values) is interned by the read model.
func textRow[T any, S ~string](pred quad.IRI, rule mergeRule, short bool, p func(*T) *S) field[T] {
	return field[T]{pred: pred, rule: rule,
		get: func(v *T) []quad.Value { return strVal(string(*p(v))) },
		set: func(v *T, o quad.Value, in func(string) string) {
			s := StrOf(o)
			if short {
				s = in(s)
			}
			*p(v) = S(s)
		}}
}

// textsRow is a list of strings: every source's values, each once.
func textsRow[T any, S ~string](pred quad.IRI, short bool, p func(*T) *[]S) field[T] {
	return field[T]{pred: pred, rule: mergeAll,
		get: func(v *T) []quad.Value {
			out := make([]quad.Value, len(*p(v)))
			for i, s := range *p(v) {
				out[i] = quad.String(s)
			}
			return out
		},
		set: func(v *T, o quad.Value, in func(string) string) {
			s := StrOf(o)
			if short {
				s = in(s)
			}
			*p(v) = append(*p(v), S(s))
		},
		done: func(v *T) { *p(v) = Uniq(*p(v)) }}
}

// ref is an identifier that names an entity by IRI.
type ref interface {
	~string
	IRI() quad.IRI
}

// refRow is a link to one entity; of reads its id back from the IRI.
func refRow[T any, ID ref](pred quad.IRI, rule mergeRule, p func(*T) *ID, of func(quad.Value) ID) field[T] {
	return field[T]{pred: pred, rule: rule,
		get: func(v *T) []quad.Value { return iriVal(*p(v) != "", (*p(v)).IRI()) },
		set: func(v *T, o quad.Value, _ func(string) string) { *p(v) = of(o) }}
}

// refsRow is a list of links: every source's, each once.
func refsRow[T any, ID ref](pred quad.IRI, p func(*T) *[]ID, of func(quad.Value) ID) field[T] {
	return field[T]{pred: pred, rule: mergeAll,
		get: func(v *T) []quad.Value {
			out := make([]quad.Value, len(*p(v)))
			for i, id := range *p(v) {
				out[i] = id.IRI()
			}
			return out
		},
		set:  func(v *T, o quad.Value, _ func(string) string) { *p(v) = append(*p(v), of(o)) },
		done: func(v *T) { *p(v) = Uniq(*p(v)) }}
}

// floatRow is a number; zero is unknown and not stored.
func floatRow[T any](pred quad.IRI, rule mergeRule, p func(*T) *float64) field[T] {
	return field[T]{pred: pred, rule: rule, valid: isNumber,
		get: func(v *T) []quad.Value { return numVal(*p(v)) },
		set: func(v *T, o quad.Value, _ func(string) string) { *p(v) = FloatOf(o) }}
}

// intRow is a whole number; zero is not stored.
func intRow[T any](pred quad.IRI, rule mergeRule, p func(*T) *int) field[T] {
	return field[T]{pred: pred, rule: rule, valid: isInteger,
		get: func(v *T) []quad.Value {
			if *p(v) == 0 {
				return nil
			}
			return []quad.Value{quad.Int(*p(v))}
		},
		set: func(v *T, o quad.Value, _ func(string) string) { *p(v) = IntOf(o) }}
}

// derivedRow is a fact written for readers of the store that the value's
// other fields already give (a node's chain, a class's level): written,
// and read as nothing.
func derivedRow[T any](pred quad.IRI, get func(*T) []quad.Value) field[T] {
	return field[T]{pred: pred, rule: mergeAll, get: get,
		set: func(*T, quad.Value, func(string) string) {}}
}
