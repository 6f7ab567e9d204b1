package graph

import (
	"math"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// This file decodes stored values: the entity an IRI names, and literals.

// EntityKind is the class of entity an IRI of ours names.
type EntityKind uint8

// Entity kinds, by the prefix of their IRIs.
const (
	EntityNone EntityKind = iota
	EntityFirm
	EntityRegion
	EntityNode
	EntityChain
	EntityCode
	EntityPark
	EntityPlan
	EntityCrosswalk
	EntitySource
	EntityMark
	EntityLead
)

var entityPrefixes = [...]struct {
	kind   EntityKind
	prefix string
}{
	{EntityFirm, prefixFirm}, {EntityRegion, prefixRegion}, {EntityNode, prefixNode},
	{EntityChain, prefixChain}, {EntityCode, prefixCode}, {EntityPark, prefixPark},
	{EntityPlan, prefixPlan}, {EntityCrosswalk, prefixCrosswalk}, {EntitySource, prefixSource},
	{EntityMark, prefixMark}, {EntityLead, prefixLead},
}

// ParseIRI splits an entity IRI into its kind and its local id (the part
// after the class prefix); an IRI of no class of ours is EntityNone.
func ParseIRI(iri string) (EntityKind, string) {
	for _, p := range entityPrefixes {
		if rest, ok := strings.CutPrefix(iri, p.prefix); ok {
			return p.kind, rest
		}
	}
	return EntityNone, ""
}

// RegionOf returns the region code an IRI value names.
func RegionOf(v quad.Value) RegionCode { return RegionCode(strings.TrimPrefix(IRIOf(v), prefixRegion)) }

// NodeOf returns the chain node an IRI value names.
func NodeOf(v quad.Value) NodeID { return NodeID(strings.TrimPrefix(IRIOf(v), prefixNode)) }

// ChainOf returns the chain an IRI value names.
func ChainOf(v quad.Value) ChainID { return ChainID(strings.TrimPrefix(IRIOf(v), prefixChain)) }

// CodeOf returns the GB/T 4754 class an IRI value names.
func CodeOf(v quad.Value) IndustryCode { return IndustryCode(strings.TrimPrefix(IRIOf(v), prefixCode)) }

// ParkOf returns the park an IRI value names.
func ParkOf(v quad.Value) ParkID { return ParkID(strings.TrimPrefix(IRIOf(v), prefixPark)) }

// FirmOf returns the firm an IRI value names, if it names one.
func FirmOf(iri string) (FirmID, bool) {
	id, ok := strings.CutPrefix(iri, prefixFirm)
	return FirmID(id), ok
}

// IRIOf returns the text of an IRI value ("" for none).
func IRIOf(v quad.Value) string {
	switch v := v.(type) {
	case quad.IRI:
		return string(v)
	case nil:
		return ""
	default:
		return v.String()
	}
}

// StrOf returns a stored value as text: a string literal's value, an IRI's text.
func StrOf(v quad.Value) string {
	switch v := v.(type) {
	case quad.String:
		return string(v)
	case quad.IRI:
		return string(v)
	case nil:
		return ""
	default:
		if n := quad.NativeOf(v); n != nil {
			if s, ok := n.(string); ok {
				return s
			}
		}
		return v.String()
	}
}

// FloatOf reads a stored number; text that is not a number reads as 0.
func FloatOf(v quad.Value) float64 {
	switch v := v.(type) {
	case quad.Float:
		return float64(v)
	case quad.Int:
		return float64(v)
	default:
		f, _ := strconv.ParseFloat(StrOf(v), 64)
		return f
	}
}

// IntOf reads a stored integer; text that is not an integer reads as 0.
func IntOf(v quad.Value) int {
	switch v := v.(type) {
	case quad.Int:
		return int(v)
	case quad.Float:
		return int(v)
	default:
		n, _ := strconv.Atoi(StrOf(v))
		return n
	}
}

// FinerRegion reports whether v should replace cur between sources of one
// rank: v lies strictly within cur, or, of two unrelated regions, v is the
// smaller code (so the result does not depend on scan order).
func FinerRegion(v, cur RegionCode) bool {
	if v == cur {
		return false
	}
	if len(v) >= 6 && len(cur) >= 6 {
		if cur.Contains(v) {
			return true
		}
		if v.Contains(cur) {
			return false
		}
	}
	return v < cur
}

// NumberOf reads a stored number: ok is false for a value that is not one
// (text that does not parse, a NaN or an infinity), which a decoder reports
// as a BadValue instead of reading it as 0.
func NumberOf(v quad.Value) (float64, bool) {
	switch v := v.(type) {
	case quad.Float:
		f := float64(v)
		return f, !math.IsNaN(f) && !math.IsInf(f, 0)
	case quad.Int:
		return float64(v), true
	case nil:
		return 0, false
	default:
		f, err := strconv.ParseFloat(strings.TrimSpace(StrOf(v)), 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	}
}

// BadValue is a stored value a decoder could not read: where it is and
// what it holds. The read model keeps the first few and counts the rest.
type BadValue struct {
	Subject   string
	Predicate string
	Value     string
}

// BadValueOf describes the value of a quad that could not be read.
func BadValueOf(q quad.Quad) BadValue {
	v := ""
	if q.Object != nil {
		v = q.Object.String()
	}
	return BadValue{Subject: IRIOf(q.Subject), Predicate: IRIOf(q.Predicate), Value: v}
}
