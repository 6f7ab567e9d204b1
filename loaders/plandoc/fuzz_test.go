package plandoc

import (
	"bytes"
	"testing"
)

// FuzzExtract feeds arbitrary bytes through reading, normalising and
// extraction: bad input gives an error or facts, never a panic, and every
// piece of evidence lies within the original text.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{simpSentence, tradSentence, twinMirror, twinTraditional, savedPage,
		"到年，达到.8亿元，建设绿色工厂家，“四园两区”、“2+4”", "序号\t指标\t2020年\t2025年\n1\t产值（亿元）\t≥10\t[20]", "(ā)(", "、、等八大产业"} {
		f.Add([]byte(s), "plan.txt")
	}
	f.Add([]byte(savedPage), "page.html")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		txt, err := Read(bytes.NewReader(b), name)
		if err != nil {
			return
		}
		d, err := Extract(txt, Options{})
		if err != nil {
			return
		}
		n := len([]rune(txt.Raw))
		check := func(e *Evidence) {
			if e.Start < 0 || e.End > n || e.Start > e.End {
				t.Fatalf("evidence [%d,%d) outside a text of %d characters", e.Start, e.End, n)
			}
		}
		for _, x := range d.Industries {
			check(x.Evidence)
		}
		for _, x := range d.Indicators {
			check(x.Evidence)
		}
		for _, x := range d.Parks {
			check(x.Evidence)
		}
		for _, x := range d.CountedGroups {
			check(x.Evidence)
		}
	})
}
