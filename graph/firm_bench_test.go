package graph

import (
	"testing"

	"github.com/cayleygraph/quad"
)

// BenchmarkFirmDecode decodes a typical registry firm the way the read
// model does (no long texts), from its typed values and, for comparison,
// from a quad per field as stores before typed values held it:
//
//	go test ./graph -run '^$' -bench FirmDecode
func BenchmarkFirmDecode(b *testing.B) {
	f := Firm{ID: "91370600MA3C4LTQ2N", Name: "烟台某新能源科技有限公司", ShortName: "某新能源", Status: StatusActive,
		Region: "370602", RegionMethod: "column", Capital: 5000, Employees: 120, Founded: "2012-03-04",
		Type: "有限责任公司(自然人投资或控股)", Industry: "3841", Address: "山东省烟台市芝罘区某路1号",
		Scope: "锂离子电池制造；电池零配件生产；技术服务、技术开发。", LegalRep: "张三",
		Nodes: []NodeLink{{Node: "nev/cell", Method: "code", Confidence: 0.85, Matched: "3841"}, {Node: "energy-storage/cell", Method: "scope", Confidence: 0.7, Matched: "锂离子电池"}}}
	typed := Encode(nil, f)
	var perField []quad.Quad
	for _, q := range typed {
		perField = append(perField, ExpandFirmQuad(q)...)
	}
	for _, c := range []struct {
		name  string
		quads []quad.Quad
	}{{"typed", typed}, {"per-field", perField}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				var m FirmMerge
				for _, q := range c.quads {
					m.Add(q, 1, 0)
				}
				_ = m.Result()
			}
		})
	}
}
