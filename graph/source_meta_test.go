package graph

import (
	"testing"
	"time"

	"github.com/cayleygraph/quad"
)

// TestSourceMetaRoundTrip writes a source's meta quads and reads them back
// through the source's codec, in both orders; a load time that is not a
// time is reported, not read as the zero time.
func TestSourceMetaRoundTrip(t *testing.T) {
	src := Source{ID: "registry/firms.csv", Kind: KindRegistry, Title: "企业名录", Origin: "upload"}
	version := quad.IRI(string(src.ID.IRI()) + "@v1")
	at := time.Date(2026, 12, 4, 10, 0, 0, 5, time.UTC)
	quads := src.MetaQuads(version, at, "sha256:abc")
	for _, order := range []string{"forward", "backward"} {
		infos := map[SourceID]*SourceInfo{}
		info := func(id SourceID) *SourceInfo {
			if infos[id] == nil {
				infos[id] = &SourceInfo{Source: Source{ID: id}}
			}
			return infos[id]
		}
		for i := range quads {
			q := quads[i]
			if order == "backward" {
				q = quads[len(quads)-1-i]
			}
			if bv := DecodeSourceMeta(q, info); bv != nil {
				t.Fatalf("%s: %v reported bad", order, bv)
			}
		}
		got := infos[src.ID]
		want := SourceInfo{Source: src, Version: string(version), LoadedAt: at, Hash: "sha256:abc"}
		if got == nil || got.Source != want.Source || got.Version != want.Version || !got.LoadedAt.Equal(at) || got.Hash != want.Hash {
			t.Errorf("%s: got %+v, want %+v", order, got, want)
		}
	}
	bad := quad.Quad{Subject: version, Predicate: PredLoadedAt, Object: quad.String("昨天"), Label: MetaLabel}
	if bv := DecodeSourceMeta(bad, func(id SourceID) *SourceInfo { return &SourceInfo{} }); bv == nil {
		t.Error("a load time that is not a time was not reported")
	}
}
