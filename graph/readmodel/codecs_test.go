package readmodel

import (
	"reflect"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
)

// TestChainSegmentsOldAndNewForm: a store written before segments were
// typed values holds them as "n|id|名称" text; the read model reads both,
// in their stated order, and reports a segment of neither form instead of
// dropping it silently. The chain's source is the one that states it.
func TestChainSegmentsOldAndNewForm(t *testing.T) {
	up, mid := graph.Segment{ID: "up", Name: "上游"}, graph.Segment{ID: "mid", Name: "中游"}
	typed := graph.Encode(nil, graph.Chain{ID: "ev", Name: "新能源汽车", Segments: []graph.Segment{up, mid}})
	old := []quad.Quad{
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredType, Object: graph.ClassChain},
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredName, Object: quad.String("新能源汽车")},
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredSegments, Object: quad.String("1|mid|中游")},
		{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredSegments, Object: quad.String("0|up|上游")},
	}
	damaged := append(append([]quad.Quad(nil), old...),
		quad.Quad{Subject: graph.ChainID("ev").IRI(), Predicate: graph.PredSegments, Object: quad.String("上游")})
	for _, tc := range []struct {
		name    string
		quads   []quad.Quad
		wantBad int
	}{
		{"typed", typed, 0},
		{"old text", old, 0},
		{"old text with a damaged value", damaged, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := NewBuilder()
			label := "urn:test:chains"
			b.SetSources([]graph.SourceInfo{{Source: graph.Source{ID: "chains/library", Kind: graph.KindChains}, Version: label}})
			b.StartFacts()
			for _, q := range tc.quads {
				q.Label = quad.IRI(label)
				b.Fact(q)
			}
			x := b.Build()
			c, ok := x.Chain("ev")
			if !ok {
				t.Fatal("chain ev not read")
			}
			if want := []graph.Segment{up, mid}; !reflect.DeepEqual(c.Segments, want) {
				t.Errorf("segments %v, want %v", c.Segments, want)
			}
			if c.Source != "chains/library" {
				t.Errorf("source %q, want chains/library", c.Source)
			}
			if got := x.Stats().BadValues; got != tc.wantBad {
				t.Errorf("%d bad values, want %d: %v", got, tc.wantBad, x.BadValues())
			}
		})
	}
}

// leftInStore are the graph.Firm fields the read model does not hold: the
// node links (kept as firmLinks) and what FirmMerge leaves in the store
// unless asked for long texts.
var leftInStore = map[string]bool{"Nodes": true, "Address": true, "Scope": true, "LegalRep": true, "Attrs": true}

// TestFirmFieldsKeepEveryReadField encodes a firm with every field set
// (by reflection, so a field added to graph.Firm is set too), reads it
// into a read model and compares what Index.Firm gives back field by
// field: every field is kept but the ones left in the store, which the
// merge must leave empty. A new field the compact record forgets fails
// here by name.
func TestFirmFieldsKeepEveryReadField(t *testing.T) {
	var f graph.Firm
	v := reflect.ValueOf(&f).Elem()
	for i := range v.NumField() {
		fv, name := v.Field(i), v.Type().Field(i).Name
		switch {
		case name == "ID":
			f.ID = graph.FirmID("91370600MA3C000001")
		case name == "Region":
			f.Region = "370602"
		case name == "Status":
			f.Status = graph.StatusActive
		case name == "Nodes" || name == "Attrs" || name == "MemberOf" || name == "Park" || name == "Industry":
			// set below, with values the codec accepts
		default:
			fillValue(t, name, fv)
		}
	}
	f.Attrs = []graph.Attr{{Key: "k", Value: "v"}}
	f.MemberOf = []graph.FirmID{"91370600MA3C000002"}
	f.Park, f.Industry = "park-1", "C3612"
	b := NewBuilder()
	label := "urn:test:firms"
	b.SetSources([]graph.SourceInfo{{Source: graph.Source{ID: "registry/firms", Kind: graph.KindRegistry}, Version: label}})
	b.StartFacts()
	for _, q := range graph.Encode(nil, f) {
		q.Label = quad.IRI(label)
		b.Fact(q)
	}
	got, ok := b.Build().Firm(f.ID)
	if !ok {
		t.Fatal("the firm was not read")
	}
	gv := reflect.ValueOf(got)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		want := v.Field(i).Interface()
		if leftInStore[name] {
			if !gv.Field(i).IsZero() {
				t.Errorf("%s: the read model holds %v, a field it should leave in the store", name, gv.Field(i).Interface())
			}
			continue
		}
		if !reflect.DeepEqual(gv.Field(i).Interface(), want) {
			t.Errorf("%s: read back %v, want %v (a field of graph.Firm the read model's firmFields lacks?)", name, gv.Field(i).Interface(), want)
		}
	}
}

// fillValue sets a field to a value that is not its zero.
func fillValue(t *testing.T, name string, fv reflect.Value) {
	t.Helper()
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(name + "值")
	case reflect.Float64:
		fv.SetFloat(12.5)
	case reflect.Int:
		fv.SetInt(7)
	case reflect.Bool:
		fv.SetBool(true)
	case reflect.Slice:
		if fv.Type().Elem().Kind() != reflect.String {
			t.Fatalf("field %s: a slice of %s; teach the test a value for it", name, fv.Type().Elem())
		}
		fv.Set(reflect.Append(fv, reflect.ValueOf(name+"值").Convert(fv.Type().Elem())))
	default:
		t.Fatalf("field %s of kind %s; teach the test a value for it", name, fv.Kind())
	}
}
