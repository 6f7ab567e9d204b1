package plandoc

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestJSONRoundTrip: what extraction prints reads back (FromJSON) into a
// document that prints the same, so the contract and graph's plan types
// meet in one place without losing a field.
func TestJSONRoundTrip(t *testing.T) {
	docs := map[string]string{"twin.txt": twinMirror, "twin-traditional.txt": twinTraditional}
	paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "plans*", "*.txt"))
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(p)] = string(raw)
	}
	for name, raw := range docs {
		t.Run(name, func(t *testing.T) {
			d, err := Extract(&Text{Name: name, Format: FormatText, Raw: raw}, Options{Region: "370600"})
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(d.JSON())
			if err != nil {
				t.Fatal(err)
			}
			var j JSON
			if err := json.Unmarshal(want, &j); err != nil {
				t.Fatal(err)
			}
			back, err := FromJSON(j)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.Marshal(back.JSON())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("read back, the document prints\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestFromJSONRejects(t *testing.T) {
	region := &JSONRegion{Code: "37060"}
	tests := []struct {
		name  string
		j     JSON
		field string
	}{
		{"no document", JSON{}, "document"},
		{"bad region", JSON{Document: "p.txt", Region: region}, "region"},
		{"unknown role", JSON{Document: "p.txt", Industries: []JSONIndustry{{Name: "x", Role: "key"}, {Name: "y", Role: "leading"}}}, "industries[1].role"},
		{"conflict of no group", JSON{Document: "p.txt", Conflicts: []JSONConflict{{Kind: "count", Groups: []int{0, 1}}}}, "conflicts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromJSON(tt.j)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Errorf("FromJSON = %v, want an error in field %s", err, tt.field)
			}
		})
	}
}
