package graph

import (
	"reflect"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
)

// fullFirm sets every field of a Firm to a value that is not zero, by
// reflection, so a field added to Firm is set here without editing the test.
func fullFirm(t *testing.T) Firm {
	t.Helper()
	f := Firm{ID: "91370600MA3C4LTQ2N", Region: "370602", Industry: "3841", Park: "yantai-etdz",
		Status: StatusActive, Nodes: []NodeLink{{Node: "nev/cell", Method: "keyword", Confidence: 0.8, Role: "producer", Matched: "电芯"}},
		Attrs: []Attr{{Key: "参保人数所属年报", Value: "2023"}}, Founded: "2001-02-03"}
	v := reflect.ValueOf(&f).Elem()
	for i := range v.NumField() {
		fv := v.Field(i)
		if !fv.IsZero() {
			continue
		}
		name := v.Type().Field(i).Name
		switch fv.Kind() {
		case reflect.String:
			fv.SetString("值" + name)
		case reflect.Float64:
			fv.SetFloat(float64(i) + 0.5)
		case reflect.Int:
			fv.SetInt(int64(i))
		case reflect.Bool:
			fv.SetBool(true)
		case reflect.Slice:
			if fv.Type().Elem().Kind() != reflect.String {
				t.Fatalf("Firm.%s: the test cannot fill a slice of %s; set it in fullFirm", name, fv.Type().Elem())
			}
			s := reflect.MakeSlice(fv.Type(), 2, 2)
			s.Index(0).SetString("甲" + name)
			s.Index(1).SetString("乙" + name)
			fv.Set(s)
		default:
			t.Fatalf("Firm.%s: the test cannot fill a %s; set it in fullFirm", name, fv.Kind())
		}
	}
	return f
}

// TestFirmCodecRoundTrip writes a firm with every field set and reads it
// back through FirmMerge. A field added to Firm without a row in
// firmFields (or a case in FirmMerge.Add) fails here — and that row is all
// the read model needs, since it keeps the merged Firm.
func TestFirmCodecRoundTrip(t *testing.T) {
	want := fullFirm(t)
	m := FirmMerge{Long: true}
	for _, q := range Encode(nil, want) {
		if !m.Add(q, 1, 0) {
			t.Errorf("FirmMerge.Add does not know %s", q.Predicate)
		}
	}
	got := m.Result()
	if !reflect.DeepEqual(got, want) {
		gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
		for i := range gv.NumField() {
			if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
				t.Errorf("Firm.%s: got %v, want %v (is it in firmFields?)", gv.Type().Field(i).Name, gv.Field(i), wv.Field(i))
			}
		}
	}
}

// TestFirmMergeRules checks each rule of the table between two sources.
func TestFirmMergeRules(t *testing.T) {
	const registry, reference = 1, 2 // SourceKind ranks: lower wins
	a := Firm{ID: "91370600MA3C4LTQ2N", Name: "甲公司", Region: "370000", RegionMethod: "name", Capital: 100, Tags: []string{"高新技术企业"}}
	b := Firm{ID: "91370600MA3C4LTQ2N", Name: "乙公司", Region: "370602", RegionMethod: "address", Capital: 500, Tags: []string{"高新技术企业", "瞪羚"}}
	for _, tc := range []struct {
		name               string
		rankA, rankB       int8
		wantName           string
		wantRegion, method string
		wantCapital        float64
	}{
		{"registry over reference", registry, reference, "甲公司", "370000", "name", 100},
		{"equal ranks: smaller name, finer region, larger capital", registry, registry, "乙公司", "370602", "address", 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, order := range [][2]int{{0, 1}, {1, 0}} {
				var m FirmMerge
				firms, ranks := [2]Firm{a, b}, [2]int8{tc.rankA, tc.rankB}
				for _, i := range order {
					for _, q := range Encode(nil, firms[i]) {
						m.Add(q, ranks[i], uint16(i))
					}
				}
				got := m.Result()
				if got.Name != tc.wantName || string(got.Region) != tc.wantRegion || got.RegionMethod != tc.method || got.Capital != tc.wantCapital {
					t.Errorf("order %v: got %s %s %s %v, want %s %s %s %v", order, got.Name, got.Region, got.RegionMethod, got.Capital,
						tc.wantName, tc.wantRegion, tc.method, tc.wantCapital)
				}
				if want := []string{"瞪羚", "高新技术企业"}; !reflect.DeepEqual(slices.Sorted(slices.Values(got.Tags)), want) {
					t.Errorf("order %v: tags %v, want %v", order, got.Tags, want)
				}
			}
		})
	}
}

// TestFirmMergeLeavesLongTextsOut: the read model's merge keeps no long texts.
func TestFirmMergeLeavesLongTextsOut(t *testing.T) {
	var m FirmMerge
	for _, q := range Encode(nil, Firm{ID: "91370600MA3C4LTQ2N", Name: "甲", Address: "烟台市芝罘区", Scope: "电池", Nodes: []NodeLink{{Node: "nev/cell", Method: "keyword", Confidence: 0.5, Matched: "电池"}}}) {
		m.Add(q, 1, 0)
	}
	got := m.Result()
	if got.Address != "" || got.Scope != "" || got.Nodes[0].Matched != "" {
		t.Errorf("long texts kept: %q %q %q", got.Address, got.Scope, got.Nodes[0].Matched)
	}
	if m.Add(quad.Quad{Subject: quad.IRI("x"), Predicate: quad.IRI("urn:unknown"), Object: quad.String("v")}, 1, 0) {
		t.Error("an unknown predicate was accepted")
	}
}
