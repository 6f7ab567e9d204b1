package graph

import (
	"github.com/cayleygraph/quad"
)

// Fact is a domain value the store can write: a Region, a Firm, a ChainNode …
// Each fact encodes itself to quads; the store labels them with the source.
type Fact interface {
	encode(e *encoder)
}

// Encode appends the unlabelled quads of a fact to dst.
func Encode(dst []quad.Quad, f Fact) []quad.Quad {
	e := encoder{out: dst}
	f.encode(&e)
	return e.out
}

// encoder collects the unlabelled quads of facts.
type encoder struct {
	out []quad.Quad
}

func (e *encoder) add(s quad.IRI, p quad.IRI, o quad.Value) {
	e.out = append(e.out, quad.Quad{Subject: s, Predicate: p, Object: o})
}

func (e *encoder) str(s, p quad.IRI, v string) {
	if v != "" {
		e.add(s, p, quad.String(v))
	}
}

func (e *encoder) strs(s, p quad.IRI, vs []string) {
	for _, v := range vs {
		e.str(s, p, v)
	}
}

func (e *encoder) num(s, p quad.IRI, v float64) {
	if v != 0 {
		e.add(s, p, quad.Float(v))
	}
}

func (e *encoder) int(s, p quad.IRI, v int) {
	if v != 0 {
		e.add(s, p, quad.Int(v))
	}
}
