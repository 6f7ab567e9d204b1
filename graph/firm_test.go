package graph

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
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
		// The name and the capital are the registry's; the region is refined
		// by the reference's finer, consistent one.
		{"registry over reference", registry, reference, "甲公司", "370602", "address", 100},
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

// TestFirmRegionFinerEvidenceWins: a source of a lower rank that places the
// firm within the region of a higher-ranked source refines it, whatever the
// order; a contradicting one does not, and is reported.
func TestFirmRegionFinerEvidenceWins(t *testing.T) {
	const registry, plan = 1, 4
	id := FirmID("91370600MA3C4LTQ2N")
	claims := []struct {
		f    Firm
		rank int8
	}{
		{Firm{ID: id, Name: "甲", Region: "370000", RegionMethod: "listing"}, registry},
		{Firm{ID: id, Region: "370600", RegionMethod: "named-in-plan", RegionAsOf: "2021-06-18"}, plan},
		{Firm{ID: id, Region: "370613", RegionMethod: "named-in-source", RegionAsOf: "2023"}, plan},
		{Firm{ID: id, Region: "370200", RegionMethod: "named-in-source"}, plan + 1},
	}
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {2, 0, 3, 1}} {
		var m FirmMerge
		for _, i := range order {
			for _, q := range Encode(nil, claims[i].f) {
				m.Add(q, claims[i].rank, uint16(i))
			}
		}
		got := m.Result()
		if got.Region != "370613" || got.RegionMethod != "named-in-source" || got.RegionAsOf != "2023" {
			t.Errorf("order %v: region %s by %s as of %s, want 370613 by named-in-source as of 2023", order, got.Region, got.RegionMethod, got.RegionAsOf)
		}
		if c := m.RegionConflicts(); !slices.Equal(c, []RegionCode{"370200"}) {
			t.Errorf("order %v: conflicts %v, want [370200]", order, c)
		}
	}
}

// TestFirmInlineFields checks that the fields a query never walks travel in
// the firm's two typed values, and that a store written before them (a quad
// per field, link evidence as a tab-joined string) reads the same.
func TestFirmInlineFields(t *testing.T) {
	want := fullFirm(t)
	quads := Encode(nil, want)
	var old []quad.Quad
	for _, q := range quads {
		p := q.Predicate.(quad.IRI)
		if i, ok := firmFieldAt[p]; ok && firmFields[i].inline {
			t.Errorf("%s is written as a quad of its own; its row says inline", p)
		}
		if p == PredNodeEvidence { // a tab-joined string per link
			ls, _ := NodeLinksOf(q.Object)
			for _, l := range ls {
				q.Object = quad.String(strings.Join([]string{string(l.Node), l.Method,
					strconv.FormatFloat(l.Confidence, 'f', 3, 64), l.Role, l.Matched}, "\t"))
				old = append(old, q)
			}
			continue
		}
		old = append(old, ExpandFirmQuad(q)...)
	}
	if len(old) <= len(quads) {
		t.Fatalf("expanding the typed values gave %d quads from %d", len(old), len(quads))
	}
	m := FirmMerge{Long: true}
	for _, q := range old {
		if !m.Add(q, 1, 0) {
			t.Errorf("FirmMerge.Add does not know %s", q.Predicate)
		}
	}
	if got := m.Result(); !reflect.DeepEqual(got, want) {
		t.Errorf("the per-field form reads back as\n%+v\nwant\n%+v", got, want)
	}
}

// TestFirmValueBad reports a typed value that does not decode, and a
// number field holding text, instead of reading them as zero.
func TestFirmValueBad(t *testing.T) {
	s := FirmID("91370600MA3C4LTQ2N").IRI()
	for _, tc := range []struct{ name, value string }{
		{"not JSON", `{"capital":`},
		{"unknown field", `{"capitol":5}`},
		{"text in a number", `{"capital":"五千万"}`},
	} {
		m := FirmMerge{}
		m.Add(quad.Quad{Subject: s, Predicate: PredFirmData, Object: quad.TypedString{Value: quad.String(tc.value), Type: TypeFirmData}}, 1, 0)
		if f := m.Result(); len(m.Bad) != 1 || f.Capital != 0 {
			t.Errorf("%s: Bad = %v, capital %v; want one bad value and no capital", tc.name, m.Bad, f.Capital)
		}
	}
}

// TestNodeLinksValue reads link evidence as a list, as one link (today's
// earlier form), and refuses damaged values.
func TestNodeLinksValue(t *testing.T) {
	ls := []NodeLink{{Node: "nev/cell", Method: "keyword", Confidence: 0.95, Role: "producer", Matched: "电芯\"18650\""}, {Node: "nev/pack", Method: "code", Confidence: 0.8}}
	got, ok := NodeLinksOf(nodeLinksValueOf(ls))
	if !ok || !reflect.DeepEqual(got, ls) {
		t.Errorf("list: got %+v %v, want %+v", got, ok, ls)
	}
	one := typedValue(TypeNodeLink, nodeLinkValue{Node: "nev/cell", Method: "scope", Confidence: 0.7})
	if got, ok := NodeLinksOf(one); !ok || len(got) != 1 || got[0].Node != "nev/cell" || got[0].Confidence != 0.7 {
		t.Errorf("one link: got %+v %v", got, ok)
	}
	for _, bad := range []string{`[{"node":"a","conf":1}`, `{"conf":1}`, `[{"node":"a","conf":"高"}]`, `[{"node":"a","conf":1,"x":2}]`, `[{"node":"a","conf":1}] x`} {
		if got, ok := NodeLinksOf(quad.TypedString{Value: quad.String(bad), Type: TypeNodeLink}); ok {
			t.Errorf("%s read as %+v", bad, got)
		}
	}
}
