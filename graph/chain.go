package graph

import (
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
)

// This file is the chain's codec: its type, its encoding to quads, and its
// decoding with the rules that merge what several sources say of it.

// ChainType is the structure of a chain: not every chain runs up-, mid- and downstream.
type ChainType string

// Chain types.
const (
	ChainUpDown  ChainType = "updown"  // 上游 / 中游 / 下游
	ChainSerial  ChainType = "serial"  // stages in sequence
	ChainLayered ChainType = "layered" // parallel layers (基础层, 技术层, 应用层)
)

// Segment is one segment (上游, 中游 …, or a layer) of a chain, in order.
type Segment struct {
	ID   string // a slug, unique in the chain: "up", "mid", "down", "base" …
	Name string // 上游
}

// Chain is an industrial chain (产业链) of the chain library.
type Chain struct {
	ID          ChainID
	Name        string   // 新能源汽车
	Aliases     []string // 新能源汽车产业链, 智能网联汽车 …
	Type        ChainType
	Segments    []Segment
	Description string
	Note        string // where the chain's structure comes from
	// Source is the source that defines the chain; the read model sets it.
	Source SourceID
}

// chainCodec is the chain's table, in the order quads are written.
var chainCodec = newCodec(ClassChain, func(c *Chain) quad.IRI { return c.ID.IRI() },
	textRow(PredName, mergeFirst, false, func(c *Chain) *string { return &c.Name }),
	textsRow(PredAlias, false, func(c *Chain) *[]string { return &c.Aliases }),
	textRow(PredChainType, mergeFirst, true, func(c *Chain) *ChainType { return &c.Type }),
	segmentsRow,
	textRow(PredDescription, mergeFirst, false, func(c *Chain) *string { return &c.Description }),
	textRow(PredNote, mergeFirst, false, func(c *Chain) *string { return &c.Note }),
)

func (c Chain) encode(e *encoder) { chainCodec.encode(e, &c) }

// NewChainMerge starts the merge of the quads of chain id.
func NewChainMerge(id ChainID) *Merge[Chain] { return newMerge(chainCodec, Chain{ID: id}) }

// segmentValue is a segment as stored: one typed value (TypeSegment) with
// its position, so a reader never splits a joined string.
type segmentValue struct {
	N    int    `json:"n"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

// maxSegments bounds a segment's stored position: a chain has a handful of
// segments, and a damaged position must not make a reader allocate for
// millions.
const maxSegments = 1000

// segmentsRow keeps a chain's segments in their stated order: each value
// carries its position. The library states a chain whole, so one source
// gives them all; should two give different segments at one position, the
// smaller is kept, so the result does not depend on the order of reading.
var segmentsRow = field[Chain]{pred: PredSegments, rule: mergeAll,
	get: func(c *Chain) []quad.Value {
		out := make([]quad.Value, len(c.Segments))
		for i, sg := range c.Segments {
			out[i] = typedValue(TypeSegment, segmentValue{N: i, ID: sg.ID, Name: sg.Name})
		}
		return out
	},
	valid: func(o quad.Value) bool { _, _, ok := SegmentOf(o); return ok },
	set: func(c *Chain, o quad.Value, _ func(string) string) {
		n, sg, _ := SegmentOf(o)
		for len(c.Segments) <= n {
			c.Segments = append(c.Segments, Segment{})
		}
		if cur := c.Segments[n]; cur == (Segment{}) || sg.ID < cur.ID || sg.ID == cur.ID && sg.Name < cur.Name {
			c.Segments[n] = sg
		}
	},
	done: func(c *Chain) { c.Segments = dropUnfilled(c.Segments) },
}

// SegmentOf reads a stored segment (PredSegments) with its position: the
// typed value Chain.encode writes, or the "n|id|名称" text stores written
// before it hold. ok is false for a value of neither form, or of a position
// out of range.
func SegmentOf(v quad.Value) (int, Segment, bool) {
	var sv segmentValue
	typed, err := decodeTyped(v, TypeSegment, &sv)
	switch {
	case err != nil:
		return 0, Segment{}, false
	case !typed:
		s, isText := v.(quad.String)
		if !isText {
			return 0, Segment{}, false
		}
		parts := strings.SplitN(string(s), "|", 3)
		if len(parts) != 3 {
			return 0, Segment{}, false
		}
		if sv.N, err = strconv.Atoi(parts[0]); err != nil {
			return 0, Segment{}, false
		}
		sv.ID, sv.Name = parts[1], parts[2]
	}
	if sv.N < 0 || sv.N >= maxSegments {
		return 0, Segment{}, false
	}
	return sv.N, Segment{ID: sv.ID, Name: sv.Name}, true
}

// dropUnfilled drops the positions no source filled, keeping the order of
// the rest.
func dropUnfilled(s []Segment) []Segment {
	out := s[:0]
	for _, sg := range s {
		if sg != (Segment{}) {
			out = append(out, sg)
		}
	}
	return out
}
