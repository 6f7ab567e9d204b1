package graph

import "github.com/cayleygraph/quad"

// This file is the park's codec: its type, its encoding to quads, and its
// decoding with the rules that merge what several sources say of it.

// Park is a park or zone (园区).
type Park struct {
	ID        ParkID
	Name      string
	ShortName string
	Aliases   []string
	Region    RegionCode
	Level     string   // national, provincial, municipal
	Kind      string   // 经开区, 高新区, 自贸片区, 综保区, 保税港区, 产业园, 走廊 …
	Focus     []string // focus industries in the source's words
	Chains    []ChainID
	Address   string
	Note      string // the source of these facts
}

// parkCodec is the park's table, in the order quads are written.
var parkCodec = newCodec(ClassPark, func(p *Park) quad.IRI { return p.ID.IRI() },
	textRow(PredName, mergeFirst, false, func(p *Park) *string { return &p.Name }),
	textRow(PredShortName, mergeFirst, false, func(p *Park) *string { return &p.ShortName }),
	textsRow(PredAlias, false, func(p *Park) *[]string { return &p.Aliases }),
	refRow(PredRegion, mergeFirst, func(p *Park) *RegionCode { return &p.Region }, RegionOf),
	textRow(PredLevel, mergeFirst, false, func(p *Park) *string { return &p.Level }),
	textRow(PredParkKind, mergeFirst, false, func(p *Park) *string { return &p.Kind }),
	textsRow(PredFocus, false, func(p *Park) *[]string { return &p.Focus }),
	refsRow(PredChain, func(p *Park) *[]ChainID { return &p.Chains }, ChainOf),
	textRow(PredAddress, mergeFirst, false, func(p *Park) *string { return &p.Address }),
	textRow(PredNote, mergeFirst, false, func(p *Park) *string { return &p.Note }),
)

func (p Park) encode(e *encoder) { parkCodec.encode(e, &p) }

// NewParkMerge starts the merge of the quads of park id.
func NewParkMerge(id ParkID) *Merge[Park] { return newMerge(parkCodec, Park{ID: id}) }
