package graph

import "github.com/cayleygraph/quad"

// This file is the crosswalk's codec: its type, its encoding to quads, and
// its decoding with the rules that merge what several sources say of it.

// CrosswalkEntry maps a plan's wording of an industry (大数据与新一代信息技术,
// 五能一网 …) to the chains it covers.
type CrosswalkEntry struct {
	Phrase     string
	Chains     []ChainID
	Confidence float64
	Note       string
}

// IRI returns the entry's IRI, minted from its phrase.
func (c CrosswalkEntry) IRI() quad.IRI { return quad.IRI(prefixCrosswalk + Slugify(c.Phrase)) }

// crosswalkCodec is the entry's table, in the order quads are written.
var crosswalkCodec = newCodec(ClassCrosswalk, func(c *CrosswalkEntry) quad.IRI { return c.IRI() },
	textRow(PredPhrase, mergeFirst, false, func(c *CrosswalkEntry) *string { return &c.Phrase }),
	refsRow(PredChain, func(c *CrosswalkEntry) *[]ChainID { return &c.Chains }, ChainOf),
	floatRow(PredConfidence, mergeFirst, func(c *CrosswalkEntry) *float64 { return &c.Confidence }),
	textRow(PredNote, mergeFirst, false, func(c *CrosswalkEntry) *string { return &c.Note }),
)

func (c CrosswalkEntry) encode(e *encoder) { crosswalkCodec.encode(e, &c) }

// NewCrosswalkMerge starts the merge of the quads of one crosswalk entry
// (its phrase is read from them).
func NewCrosswalkMerge() *Merge[CrosswalkEntry] { return newMerge(crosswalkCodec, CrosswalkEntry{}) }
