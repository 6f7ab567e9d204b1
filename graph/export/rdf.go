package export

import (
	"context"
	"fmt"
	"io"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// writeNQuads writes the quads about the scope's entities, each labelled
// with the version of the source that asserts it, and the quads that
// describe those sources.
func writeNQuads(ctx context.Context, w io.Writer, s *Scope, q Quads) error {
	return writeQuads(ctx, w, s, q, store.QuadsNQuads)
}

// writeJSONLD writes the same quads as JSON-LD, one named graph per source version.
func writeJSONLD(ctx context.Context, w io.Writer, s *Scope, q Quads) error {
	return writeQuads(ctx, w, s, q, store.QuadsJSONLD)
}

func writeQuads(ctx context.Context, w io.Writer, s *Scope, q Quads, f store.QuadFormat) error {
	if q == nil {
		return fmt.Errorf("%w: %s needs the store", graph.ErrUnsupported, f)
	}
	return q.WriteQuads(ctx, w, f, s.Subjects)
}
