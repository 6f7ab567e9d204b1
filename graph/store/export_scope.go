package store

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"
	"github.com/cayleygraph/quad/nquads"
	"github.com/cayleygraph/quad/voc/xsd"

	"github.com/chainkg/chainkg/graph"
)

// Subjects names the entities of an export's scope: WriteQuads writes the
// quads whose subject is one of them.
type Subjects struct {
	Regions []graph.RegionCode
	Chains  []graph.ChainID
	Nodes   []graph.NodeID
	Firms   []graph.FirmID
	Parks   []graph.ParkID
}

func (s *Subjects) iris() []quad.IRI {
	var out []quad.IRI
	for _, r := range s.Regions {
		out = append(out, r.IRI())
	}
	for _, c := range s.Chains {
		out = append(out, c.IRI())
	}
	for _, n := range s.Nodes {
		out = append(out, n.IRI())
	}
	for _, f := range s.Firms {
		out = append(out, f.IRI())
	}
	for _, p := range s.Parks {
		out = append(out, p.IRI())
	}
	return out
}

// QuadFormat is a serialisation of quads that keeps their labels.
type QuadFormat string

// Quad formats.
const (
	QuadsNQuads QuadFormat = "nquads" // N-Quads, one quad a line, the label fourth
	QuadsJSONLD QuadFormat = "jsonld" // JSON-LD, one named graph per label
)

// WriteQuads writes the quads of the current versions whose subject is in
// subj, each labelled with its source version, followed by the meta quads
// that describe those sources and versions, so the file says where every
// fact comes from. With subj nil it writes every current quad and the whole
// meta graph. N-Quads lines are sorted, so the same store gives the same file.
func (s *Store) WriteQuads(ctx context.Context, w io.Writer, f QuadFormat, subj *Subjects) error {
	if f != QuadsNQuads && f != QuadsJSONLD {
		return fmt.Errorf("%w: quad format %q: want nquads or jsonld", graph.ErrInvalid, f)
	}
	if s.closed.Load() {
		return graph.ErrClosed
	}
	x := s.Index()
	var out []quad.Quad
	if subj == nil {
		labels := map[string]bool{string(graph.MetaLabel): true}
		for _, si := range x.Sources() {
			labels[si.Version] = true
		}
		if f == QuadsNQuads {
			// The whole store streams, unsorted: it may not fit in memory twice.
			nw := nquads.NewWriter(w)
			err := s.scan(ctx, func(q quad.Quad) error {
				if q.Label != nil && labels[graph.IRIOf(q.Label)] {
					return nw.WriteQuad(standardQuad(q))
				}
				return nil
			})
			if err != nil {
				return err
			}
			return nw.Close()
		}
		var err error
		if out, err = s.quadsOfLabels(ctx, labels); err != nil {
			return err
		}
	} else {
		used := map[graph.SourceID]bool{}
		s.mu.RLock()
		for _, iri := range subj.iris() {
			qs, err := s.quadsAbout(ctx, quad.Subject, iri)
			if err != nil {
				s.mu.RUnlock()
				return err
			}
			for _, q := range qs {
				if src, ok := x.SourceOfLabel(graph.IRIOf(q.Label)); ok {
					used[src] = true
					out = append(out, q)
				}
			}
		}
		// The meta quads of the sources used: kind, origin, current version,
		// and the version's load time and hash.
		for _, si := range x.Sources() {
			if !used[si.ID] {
				continue
			}
			for _, v := range []quad.IRI{si.ID.IRI(), quad.IRI(si.Version)} {
				qs, err := s.quadsAbout(ctx, quad.Subject, v)
				if err != nil {
					s.mu.RUnlock()
					return err
				}
				for _, q := range qs {
					if graph.IRIOf(q.Label) == string(graph.MetaLabel) {
						out = append(out, q)
					}
				}
			}
		}
		s.mu.RUnlock()
	}
	lines := make([]string, len(out))
	for i, q := range out {
		out[i] = standardQuad(q)
		lines[i] = out[i].NQuad()
	}
	order := make([]int, len(out))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(lines[a], lines[b]) })
	if f == QuadsNQuads {
		for _, i := range order {
			if _, err := io.WriteString(w, lines[i]+"\n"); err != nil {
				return err
			}
		}
		return nil
	}
	jw := jsonld.NewWriter(w)
	jw.SetLdContext(jsonldContext())
	for _, i := range order {
		if err := jw.WriteQuad(out[i]); err != nil {
			return err
		}
	}
	return jw.Close()
}

// standardQuad writes a typed literal's datatype as a full XSD IRI (cayley
// writes "xsd:double", which RDF tools read as an IRI of scheme "xsd") and a
// boolean in its canonical lower case.
func standardQuad(q quad.Quad) quad.Quad {
	switch v := q.Object.(type) {
	case quad.Bool:
		ts := v.TypedString()
		ts.Value = quad.String(strconv.FormatBool(bool(v)))
		ts.Type = ts.Type.Full()
		q.Object = ts
	case quad.TypedStringer:
		ts := v.TypedString()
		ts.Type = ts.Type.Full()
		q.Object = ts
	case quad.TypedString:
		v.Type = v.Type.Full()
		q.Object = v
	}
	return q
}

// jsonldContext shortens chainkg's IRIs in JSON-LD: predicates by the
// vocabulary, entities by the id base.
func jsonldContext() map[string]any {
	return map[string]any{
		"@vocab": graph.NS,
		"ck":     graph.IDBase,
		"rdfs":   strings.TrimSuffix(string(graph.PredName), "label"),
		"xsd":    xsd.NS,
	}
}
