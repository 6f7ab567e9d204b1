package graph

import (
	"fmt"

	"github.com/cayleygraph/quad"
	json "github.com/goccy/go-json"
)

// Typed values. A fact whose parts are read together and never traversed
// one by one (the evidence of a firm's link to a chain node, of a plan
// part's link to a chain) is stored as one literal whose datatype is an IRI
// of this vocabulary and whose lexical form is the JSON of the Go value. The
// datatype names the codec that reads it, so a reader never guesses a
// layout from separators, and a field added to the value is one struct
// field: old values decode with it zero.

// Datatypes of typed values.
const (
	// TypeNodeLink is the datatype of a NodeLink (PredNodeEvidence).
	TypeNodeLink = quad.IRI(NS + "NodeLinkValue")
	// TypeFirmData is the datatype of a firm's inline fields (PredFirmData,
	// PredFirmText): a JSON object keyed by their predicates' local names.
	TypeFirmData = quad.IRI(NS + "FirmDataValue")
	// TypeChainLink is the datatype of a ChainLink (a plan part's PredMethod).
	TypeChainLink = quad.IRI(NS + "ChainLinkValue")
	// TypeSegment is the datatype of a chain's Segment with its position
	// (PredSegments).
	TypeSegment = quad.IRI(NS + "SegmentValue")
)

// typedValue encodes v, a struct of plain fields, as a literal of datatype
// dt. Marshalling such a struct cannot fail; if it ever did the value would
// be unreadable, so it panics instead of storing garbage.
func typedValue(dt quad.IRI, v any) quad.Value {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("graph: encoding %s: %v", dt, err))
	}
	return quad.TypedString{Value: quad.String(b), Type: dt}
}

// decodeTyped reads a literal written by typedValue into dst. It reports
// false when v is not of datatype dt; a value of the right datatype that
// does not decode is an error, so a damaged store is reported, not read as
// an empty value.
func decodeTyped(v quad.Value, dt quad.IRI, dst any) (bool, error) {
	ts, ok := v.(quad.TypedString)
	if !ok || ts.Type != dt {
		return false, nil
	}
	if err := json.Unmarshal([]byte(ts.Value), dst); err != nil {
		return true, fmt.Errorf("%w: %s value %q: %v", ErrInvalid, dt, ts.Value, err)
	}
	return true, nil
}
