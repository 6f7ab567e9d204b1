package zipguard

import (
	"archive/zip"
	"errors"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	lim := Limits{Entries: 3, EntrySize: 1000, TotalSize: 1500, Ratio: 10, RatioFloor: 100}
	entry := func(name string, compressed, size uint64) *zip.File {
		return &zip.File{FileHeader: zip.FileHeader{Name: name, CompressedSize64: compressed, UncompressedSize64: size}}
	}
	for _, tc := range []struct {
		name  string
		files []*zip.File
		want  string // "" for accepted
	}{
		{"small and plain", []*zip.File{entry("a", 50, 100), entry("b", 10, 90)}, ""},
		{"high ratio below the floor", []*zip.File{entry("a", 1, 100)}, ""},
		{"at the ratio", []*zip.File{entry("a", 50, 500)}, ""},
		{"too many entries", []*zip.File{entry("a", 1, 1), entry("b", 1, 1), entry("c", 1, 1), entry("d", 1, 1)}, "4 entries"},
		{"an entry too large", []*zip.File{entry("big", 900, 1001)}, "big inflates to 1001"},
		{"too large in all", []*zip.File{entry("a", 900, 900), entry("b", 900, 900)}, "in all"},
		{"a bomb", []*zip.File{entry("bomb", 10, 500)}, "more than 10×"},
		{"nothing compressed to something", []*zip.File{entry("z", 0, 500)}, "more than 10×"},
	} {
		err := Check(tc.files, lim)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (!errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
