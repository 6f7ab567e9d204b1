package loaders

import (
	"errors"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func TestReadIndustryMap(t *testing.T) {
	known := map[string]bool{"锂电池": true, "电池化学品": true, "银行": true, "白酒Ⅲ": true, "锂电专用设备": true, "燃料电池": true}
	industry := func(s string) error {
		if s == "电力设备" {
			return errors.New("a level-1 sector")
		}
		if !known[s] {
			return errors.New("not an industry")
		}
		return nil
	}
	nodes := func(n graph.NodeID) bool { return n == "nev/cell" || n == "es/cell" || n == "nev/materials" }
	const text = "\ufeff# industry | nodes | confidence | note\n" +
		"锂电池 | nev/cell, es/cell=0.6 | 0.8 | 动力与储能\n" + // 2: good, with a node's own confidence
		"\n" +
		"银行 | - | 1 | 链库无对应链  # a comment\n" + // 4: good, outside the library
		"电池化学品 | nev/materials | 0.85\n" + // 5: three fields
		"锂电池 | nev/cell | 0.8 | again\n" + // 6: given twice
		"电力设备 | nev/cell | 0.5 | sector\n" + // 7: a level-1 sector
		"白酒Ⅲ | nev/nope | 0.8 |\n" + // 8: a node the library lacks
		"锂电专用设备 | nev/cell=1.5 | 0.8 |\n" + // 9: a node's confidence out of range
		"燃料电池 | nev/cell | high |\n" + // 10: a confidence that is no number
		"未知行业 |  | 0.5 |\n" // 11: unknown industry, empty nodes
	m, rep, err := readIndustryMap(t.Context(), strings.NewReader(text), "sw.txt", industry, nodes)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 9 || rep.Loaded != 2 || m.Len() != 2 {
		t.Errorf("rows %d loaded %d len %d, want 9, 2, 2", rep.Rows, rep.Loaded, m.Len())
	}
	got := map[string]bool{}
	for _, e := range rep.Rejected {
		got[e.Error()] = true
	}
	for _, want := range []string{
		"sw.txt:5: 3 fields; want industry | nodes | confidence | note",
		"sw.txt:6: industry: \"锂电池\" is already mapped on line 2",
		"sw.txt:7: industry: a level-1 sector",
		"sw.txt:8: nodes: no node nev/nope in the chain library",
		"sw.txt:9: nodes: nev/cell: confidence \"1.5\": want a number in (0, 1]",
		"sw.txt:10: confidence: \"high\": want a number in (0, 1]",
		"sw.txt:11: industry: not an industry",
		"sw.txt:11: nodes: empty: list node ids, or write - for an industry no node covers",
	} {
		if !got[want] {
			t.Errorf("no rejection %q in %v", want, rep.Rejected)
		}
	}
	if len(rep.Rejected) != 8 {
		t.Errorf("%d rejections, want 8: %v", len(rep.Rejected), rep.Rejected)
	}
	r, ok := m.Row("锂电池")
	want := []IndustryTarget{{"nev/cell", 0.8}, {"es/cell", 0.6}}
	if !ok || len(r.Targets) != 2 || r.Targets[0] != want[0] || r.Targets[1] != want[1] || r.Line != 2 || r.Note != "动力与储能" {
		t.Errorf("锂电池 = %+v", r)
	}
	if r.Outside() {
		t.Error("a mapped row is outside the library")
	}
	if b, ok := m.Row("银行"); !ok || len(b.Targets) != 0 || !b.Outside() || b.Note != "链库无对应链" {
		t.Errorf("银行 = %+v", b)
	}
}

func TestReadIndustryMapWithoutLibrary(t *testing.T) {
	m, rep, err := readIndustryMap(t.Context(), strings.NewReader("锂电池 | nev/cell | 0.8 |\n其他专用设备 | - | 0.5 | 太杂\n"), "sw.txt", nil, nil)
	if err != nil || m.Len() != 2 || len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0].Error(), "node ids were not checked") {
		t.Fatalf("len %d, warnings %v, err %v", m.Len(), rep.Warnings, err)
	}
	if r, _ := m.Row("其他专用设备"); r.Outside() {
		t.Error("a row too broad to place (confidence 0.5) reads as outside the library")
	}
}
