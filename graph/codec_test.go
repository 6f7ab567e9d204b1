package graph

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
)

// fill sets every zero field of the struct *v to a value that is not zero,
// by reflection, so a field added to a class is set here without editing
// the test. Fields the caller set (ids, typed values) are left as they are.
func fill(t *testing.T, v any) {
	t.Helper()
	rv := reflect.ValueOf(v).Elem()
	for i := range rv.NumField() {
		fv, name := rv.Field(i), rv.Type().Field(i).Name
		if !fv.IsZero() {
			continue
		}
		switch fv.Kind() {
		case reflect.String:
			fv.SetString("值" + name)
		case reflect.Float64:
			fv.SetFloat(float64(i) + 0.5)
		case reflect.Int:
			fv.SetInt(int64(i))
		case reflect.Slice:
			if fv.Type().Elem().Kind() != reflect.String {
				t.Fatalf("%s.%s: the test cannot fill a slice of %s; set it in the test", rv.Type().Name(), name, fv.Type().Elem())
			}
			s := reflect.MakeSlice(fv.Type(), 2, 2)
			s.Index(0).SetString("甲" + name)
			s.Index(1).SetString("乙" + name)
			fv.Set(s)
		default:
			t.Fatalf("%s.%s: the test cannot fill a %s; set it in the test", rv.Type().Name(), name, fv.Kind())
		}
	}
}

// roundTrip encodes want, decodes its quads through m, and reports every
// field that did not come back, except those named in notStored.
func roundTrip[T any](t *testing.T, f Fact, want T, m *Merge[T], notStored ...string) {
	t.Helper()
	for _, q := range Encode(nil, f) {
		if !m.Add(q, 2) {
			t.Errorf("the codec does not know %s", q.Predicate)
		}
	}
	if len(m.Bad) > 0 {
		t.Errorf("bad values in its own encoding: %v", m.Bad)
	}
	got := m.Result()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		if slices.Contains(notStored, name) {
			continue
		}
		if g, w := gv.Field(i).Interface(), wv.Field(i).Interface(); !reflect.DeepEqual(g, w) {
			t.Errorf("%s.%s: got %v, want %v (has it a row in the codec?)", gv.Type().Name(), name, g, w)
		}
	}
}

// TestCodecRoundTrip writes a value of each class with every field set and
// reads it back through its codec. A field added to a class without a row
// in its codec's table fails here.
func TestCodecRoundTrip(t *testing.T) {
	t.Run("Region", func(t *testing.T) {
		r := Region{Code: "370602", Parent: "370600", Level: LevelCounty}
		fill(t, &r)
		roundTrip(t, r, r, NewRegionMerge(r.Code))
	})
	t.Run("IndustryClass", func(t *testing.T) {
		c := IndustryClass{Code: "3841", Parent: "384"}
		fill(t, &c)
		roundTrip(t, c, c, NewIndustryMerge(c.Code))
	})
	t.Run("Chain", func(t *testing.T) {
		c := Chain{ID: "nev", Type: ChainUpDown, Source: "chains/library",
			Segments: []Segment{{ID: "up", Name: "上游"}, {ID: "mid", Name: "中|游\t"}, {ID: "down", Name: "下游"}}}
		fill(t, &c)
		// The read model sets Source from the source of the chain's quads.
		roundTrip(t, c, c, NewChainMerge(c.ID), "Source")
	})
	t.Run("ChainNode", func(t *testing.T) {
		n := ChainNode{ID: "nev/cell", Parent: "nev/battery", Codes: []IndustryCode{"3841", "3849"},
			SuppliesTo: []NodeID{"nev/pack", "nev/vehicle"}, Weight: 1.5, Order: 3}
		fill(t, &n)
		roundTrip(t, n, n, NewNodeMerge(n.ID))
	})
	t.Run("Park", func(t *testing.T) {
		p := Park{ID: "yt-etdz", Region: "370600", Chains: []ChainID{"nev", "hydrogen"}}
		fill(t, &p)
		roundTrip(t, p, p, NewParkMerge(p.ID))
	})
	t.Run("CrosswalkEntry", func(t *testing.T) {
		c := CrosswalkEntry{Phrase: "五能一网", Chains: []ChainID{"nev", "grid"}, Confidence: 0.8}
		fill(t, &c)
		roundTrip(t, c, c, NewCrosswalkMerge())
	})
}

// TestSegmentForms: a chain's segments are written as typed values, and
// the "n|id|名称" text of stores written before them still reads; a value
// of neither form is reported, not read as a segment.
func TestSegmentForms(t *testing.T) {
	id := ChainID("nev")
	for _, q := range Encode(nil, Chain{ID: id, Name: "新能源汽车", Segments: []Segment{{ID: "up", Name: "上游"}}}) {
		if q.Predicate == PredSegments {
			if ts, ok := q.Object.(quad.TypedString); !ok || ts.Type != TypeSegment {
				t.Errorf("segment written as %#v, want a %s value", q.Object, TypeSegment)
			}
		}
	}
	seg := func(o quad.Value) quad.Quad { return quad.Quad{Subject: id.IRI(), Predicate: PredSegments, Object: o} }
	quads := []quad.Quad{
		{Subject: id.IRI(), Predicate: PredName, Object: quad.String("新能源汽车")},
		seg(quad.String("2|down|下游")), // old form, out of order
		seg(typedValue(TypeSegment, segmentValue{N: 1, ID: "mid", Name: "中游"})),
		seg(quad.String("0|up|上|游")), // old form: the name keeps its separator
		seg(quad.String("up 上游")),
		seg(quad.String("x|up|上游")),
		seg(quad.String("-1|up|上游")),
		seg(quad.TypedString{Value: `{"n":`, Type: TypeSegment}),
		seg(quad.Int(3)),
	}
	for _, order := range [][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, 6, 5, 4, 3, 2, 1, 0}} {
		m := NewChainMerge(id)
		for _, i := range order {
			m.Add(quads[i], 3)
		}
		got := m.Result().Segments
		want := []Segment{{"up", "上|游"}, {"mid", "中游"}, {"down", "下游"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("order %v: segments %v, want %v", order, got, want)
		}
		if len(m.Bad) != 5 {
			t.Errorf("order %v: %d bad values reported, want 5: %v", order, len(m.Bad), m.Bad)
		}
	}
}

// TestCodecMergeRules: between sources, a single value is the best-ranked
// source's (of equal ranks the smaller), lists are every source's values
// once, and the result does not depend on the order quads are read in; a
// stored number that does not parse is reported and left out.
func TestCodecMergeRules(t *testing.T) {
	const override, reference = 0, 2
	a := Park{ID: "yt-etdz", Name: "烟台开发区", Region: "370600", Level: "national", Focus: []string{"汽车", "电池"}}
	b := Park{ID: "yt-etdz", Name: "烟台经济技术开发区", Region: "370613", Kind: "经开区", Focus: []string{"电池", "氢能"}}
	for _, tc := range []struct {
		name         string
		rankA, rankB int8
		wantName     string
		wantRegion   RegionCode
	}{
		{"override over reference", override, reference, "烟台开发区", "370600"},
		{"reference under override", reference, override, "烟台经济技术开发区", "370613"},
		{"equal ranks: the smaller", reference, reference, "烟台开发区", "370600"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range [][2]int{{0, 1}, {1, 0}} {
				m := NewParkMerge(a.ID)
				parks, ranks := [2]Park{a, b}, [2]int8{tc.rankA, tc.rankB}
				for _, i := range order {
					for _, q := range Encode(nil, parks[i]) {
						m.Add(q, ranks[i])
					}
				}
				got := m.Result()
				if got.Name != tc.wantName || got.Region != tc.wantRegion || got.Level != "national" || got.Kind != "经开区" {
					t.Errorf("order %v: got %s %s %s %s", order, got.Name, got.Region, got.Level, got.Kind)
				}
				if want := []string{"氢能", "汽车", "电池"}; !slices.Equal(slices.Sorted(slices.Values(got.Focus)), want) {
					t.Errorf("order %v: focus %v, want %v", order, got.Focus, want)
				}
			}
		})
	}
	t.Run("bad numbers", func(t *testing.T) {
		n := NodeID("nev/cell")
		m := NewNodeMerge(n)
		for _, q := range []quad.Quad{
			{Subject: n.IRI(), Predicate: PredWeight, Object: quad.String("heavy")},
			{Subject: n.IRI(), Predicate: PredOrder, Object: quad.Float(2.5)},
			{Subject: n.IRI(), Predicate: PredOrder, Object: quad.String("3")},
		} {
			m.Add(q, 3)
		}
		if got := m.Result(); got.Weight != 0 || got.Order != 3 || len(m.Bad) != 2 {
			t.Errorf("weight %v order %d, %d bad values: want unknown weight, order 3, 2 bad values", got.Weight, got.Order, len(m.Bad))
		}
	})
	if NewRegionMerge("370000").Add(quad.Quad{Subject: RegionCode("370000").IRI(), Predicate: quad.IRI("urn:unknown"), Object: quad.String("v")}, 1) {
		t.Error("an unknown predicate was accepted")
	}
}

// TestEngineAgreesWithFirmMerge runs the rows of the firm's table whose
// rules the shared engine implements (first, max, all) through both
// FirmMerge and Merge, on random claims of random ranks: the two must
// agree, so the firm's codec can move onto the engine without a change of
// behaviour.
func TestEngineAgreesWithFirmMerge(t *testing.T) {
	var rows []field[Firm]
	for _, f := range firmFields {
		if f.long || (f.rule != mergeFirst && f.rule != mergeMax && f.rule != mergeAll) {
			continue
		}
		r := field[Firm]{pred: f.pred, rule: f.rule, get: f.get, set: f.set}
		if f.numeric {
			r.valid = isNumber
		}
		rows = append(rows, r)
	}
	c := newCodec(ClassFirm, func(f *Firm) quad.IRI { return f.ID.IRI() }, rows...)
	rnd := rand.New(rand.NewPCG(1, 2))
	pick := func(vs ...string) string { return vs[rnd.IntN(len(vs))] }
	num := func() float64 { return float64(rnd.IntN(3) * 100) }
	for i := range 500 {
		var fm FirmMerge
		m := newMerge(c, Firm{})
		for src := range 1 + rnd.IntN(3) {
			f := Firm{ID: "91370600MA3C4LTQ2N", Name: pick("", "甲", "乙"), ShortName: pick("", "甲"), Status: FirmStatus(pick("", "active", "moved")),
				Capital: num(), Revenue: num(), Employees: int(num()), Industry: IndustryCode(pick("", "3841", "3849")),
				Tags: []string{pick("瞪羚", "独角兽")}, Aliases: []string{pick("", "丙")}[:rnd.IntN(2)], Park: ParkID(pick("", "a", "b"))}
			rank := int8(rnd.IntN(3))
			for _, q := range Encode(nil, f) {
				fm.Add(q, rank, uint16(src))
				for _, fq := range ExpandFirmQuad(q) { // the engine reads a field per quad
					m.Add(fq, rank)
				}
			}
		}
		want, got := fm.Result(), m.Result()
		got.Aliases, got.Stocks, got.Tags, got.MemberOf = Uniq(got.Aliases), Uniq(got.Stocks), Uniq(got.Tags), Uniq(got.MemberOf)
		want.Region, want.RegionMethod, want.RegionAsOf = "", "", ""
		if got.ID = want.ID; !reflect.DeepEqual(got, want) {
			t.Fatalf("case %d: engine %s, FirmMerge %s", i, fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", want))
		}
	}
}
