package graph

import (
	"fmt"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
)

// SourceKind says what kind of input a source is.
type SourceKind string

// Source kinds.
const (
	KindReference SourceKind = "reference" // a reference table: regions, industry codes, parks
	KindChains    SourceKind = "chains"    // the chain library
	KindRegistry  SourceKind = "registry"  // an enterprise registry file
	KindPlan      SourceKind = "plan"      // one plan document
	KindOverride  SourceKind = "override"  // a user's corrections; wins over the rest
)

// ParseSourceKind validates a kind name.
func ParseSourceKind(s string) (SourceKind, error) {
	switch k := SourceKind(s); k {
	case KindReference, KindChains, KindRegistry, KindPlan, KindOverride:
		return k, nil
	}
	return "", fmt.Errorf("%w: source kind %q: want reference, chains, registry, plan or override", ErrInvalid, s)
}

// Rank orders kinds for single-valued attributes asserted by several
// sources: a lower rank wins.
func (k SourceKind) Rank() int {
	switch k {
	case KindOverride:
		return 0
	case KindRegistry:
		return 1
	case KindReference:
		return 2
	case KindChains:
		return 3
	default:
		return 4
	}
}

// Source describes an input to load.
type Source struct {
	ID     SourceID
	Kind   SourceKind
	Title  string // a human name: the file name, the plan's title
	Origin string // where it was read from: a path or URL
}

// SourceInfo is a loaded source and its current version.
type SourceInfo struct {
	Source
	Version  string    // the label of its facts in the store
	Facts    int       // quads in the current version
	LoadedAt time.Time // when the current version was committed
	Hash     string    // content hash of the facts: "sha256:…"
}

// FactSink receives the facts of one source during Replace.
type FactSink interface {
	// Put adds facts to the version being written.
	Put(facts ...Fact) error
}

// Facts returns a write function for Replace that puts the given facts.
func Facts(facts ...Fact) func(FactSink) error {
	return func(s FactSink) error { return s.Put(facts...) }
}

// The source's codec. A source is described in the meta graph (MetaLabel),
// never in a version of its own: its kind, title and origin, the version
// that is current, and that version's load time and content hash. Flipping
// the current version is one transaction over these quads.

// MetaQuads are the quads that describe src and make version its current
// one, loaded at at with content hash sum.
func (src Source) MetaQuads(version quad.IRI, at time.Time, sum string) []quad.Quad {
	s := src.ID.IRI()
	qs := []quad.Quad{
		{Subject: s, Predicate: PredType, Object: ClassSource, Label: MetaLabel},
		{Subject: s, Predicate: PredSourceKind, Object: quad.String(src.Kind), Label: MetaLabel},
		{Subject: s, Predicate: PredCurrent, Object: version, Label: MetaLabel},
		{Subject: version, Predicate: PredLoadedAt, Object: quad.String(at.UTC().Format(time.RFC3339Nano)), Label: MetaLabel},
		{Subject: version, Predicate: PredHash, Object: quad.String(sum), Label: MetaLabel},
	}
	if src.Title != "" {
		qs = append(qs, quad.Quad{Subject: s, Predicate: PredName, Object: quad.String(src.Title), Label: MetaLabel})
	}
	if src.Origin != "" {
		qs = append(qs, quad.Quad{Subject: s, Predicate: PredOrigin, Object: quad.String(src.Origin), Label: MetaLabel})
	}
	return qs
}

// DecodeSourceMeta reads one quad of the meta graph into the SourceInfo
// info returns for its source. A version's quads are read only for the
// source's current version (older versions' leftovers are skipped). It
// reports a stored value it cannot read (a load time that is not a time).
func DecodeSourceMeta(q quad.Quad, info func(SourceID) *SourceInfo) *BadValue {
	subj := IRIOf(q.Subject)
	if kind, id := ParseIRI(subj); kind == EntitySource && !strings.Contains(id, "@") {
		src := info(SourceID(id))
		switch q.Predicate {
		case PredSourceKind:
			src.Kind = SourceKind(StrOf(q.Object))
		case PredName:
			src.Title = StrOf(q.Object)
		case PredOrigin:
			src.Origin = StrOf(q.Object)
		case PredCurrent:
			src.Version = IRIOf(q.Object)
		}
		return nil
	}
	base, _, ok := strings.Cut(subj, "@")
	if !ok {
		return nil
	}
	_, id := ParseIRI(base)
	src := info(SourceID(id))
	if src.Version != "" && src.Version != subj {
		return nil // an older version's leftovers
	}
	switch q.Predicate {
	case PredLoadedAt:
		t, err := time.Parse(time.RFC3339Nano, StrOf(q.Object))
		if err != nil {
			bv := BadValueOf(q)
			return &bv
		}
		src.LoadedAt = t
	case PredHash:
		src.Hash = StrOf(q.Object)
	}
	return nil
}
