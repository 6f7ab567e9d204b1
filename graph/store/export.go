package store

import (
	"context"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/chainkg/chainkg/graph"
)

// WriteNQuads writes the quads of the current versions as N-Quads, each with
// its version label as provenance: all sources when src is empty, else one.
// The meta graph that describes the sources is included with all sources.
func (s *Store) WriteNQuads(ctx context.Context, w io.Writer, src graph.SourceID) error {
	if s.closed.Load() {
		return graph.ErrClosed
	}
	x := s.Index()
	labels := map[string]bool{}
	if src != "" {
		si, ok := x.Source(src)
		if !ok {
			return fmt.Errorf("%w: source %s", graph.ErrNotFound, src)
		}
		labels[si.Version] = true
	} else {
		labels[string(graph.MetaLabel)] = true
		for _, si := range x.Sources() {
			labels[si.Version] = true
		}
	}
	nw := nquads.NewWriter(w)
	err := s.scan(ctx, func(q quad.Quad) error {
		if labels[graph.IRIOf(q.Label)] {
			return nw.WriteQuad(standardQuad(q))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return nw.Close()
}
