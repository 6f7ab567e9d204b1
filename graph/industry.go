package graph

import "github.com/cayleygraph/quad"

// This file is the codec of a GB/T 4754 class: its type, its encoding to
// quads, and its decoding with the rules that merge what sources say of it.

// IndustryClass is one entry of GB/T 4754-2017 (国民经济行业分类), with the
// special classifications that cover it.
type IndustryClass struct {
	Code        IndustryCode
	Name        string
	Parent      IndustryCode // empty for a section
	Description string
	// Tags name the special classifications the class belongs to
	// (strategic, highTech_mfg, highTech_svc, digital …).
	Tags []string
	// Categories are the category paths within those classifications
	// ("strategic:新一代信息技术产业 > 下一代信息网络产业").
	Categories []string
}

// industryCodec is the class's table, in the order quads are written. The
// level is written for readers of the store; the code gives it.
var industryCodec = newCodec(ClassIndustryCode, func(c *IndustryClass) quad.IRI { return c.Code.IRI() },
	textRow(PredName, mergeFirst, false, func(c *IndustryClass) *string { return &c.Name }),
	derivedRow(PredLevel, func(c *IndustryClass) []quad.Value { return strVal(string(c.Code.Level())) }),
	refRow(PredParent, mergeFirst, func(c *IndustryClass) *IndustryCode { return &c.Parent }, CodeOf),
	textRow(PredDescription, mergeFirst, false, func(c *IndustryClass) *string { return &c.Description }),
	textsRow(PredTag, true, func(c *IndustryClass) *[]string { return &c.Tags }),
	textsRow(PredCategory, false, func(c *IndustryClass) *[]string { return &c.Categories }),
)

func (c IndustryClass) encode(e *encoder) { industryCodec.encode(e, &c) }

// NewIndustryMerge starts the merge of the quads of class c.
func NewIndustryMerge(c IndustryCode) *Merge[IndustryClass] {
	return newMerge(industryCodec, IndustryClass{Code: c})
}
