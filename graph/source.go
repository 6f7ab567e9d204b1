package graph

import (
	"fmt"
	"time"
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
