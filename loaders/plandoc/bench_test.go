package plandoc

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtract measures reading and extracting one plan: the seed plans
// when ../shared is there, else the twin written for the tests.
func BenchmarkExtract(b *testing.B) {
	docs := map[string][]byte{"twin.txt": []byte(twinMirror)}
	if paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "plans", "*.txt")); len(paths) > 0 {
		docs = map[string][]byte{}
		for _, p := range paths {
			raw, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			docs[filepath.Base(p)] = raw
		}
	}
	total := 0
	for _, raw := range docs {
		total += len(raw)
	}
	b.SetBytes(int64(total))
	for b.Loop() {
		for name, raw := range docs {
			t := &Text{Name: name, Format: FormatText, Raw: string(raw)}
			if _, err := Extract(t, Options{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
