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
	"github.com/chainkg/chainkg/graph/readmodel"
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
	var err error
	if subj == nil {
		labels := map[string]bool{string(graph.MetaLabel): true}
		for _, si := range x.Sources() {
			labels[si.Version] = true
		}
		if f == QuadsNQuads {
			// The whole store streams, unsorted: it may not fit in memory twice.
			return s.streamNQuads(ctx, w, x, labels)
		}
		out, err = s.quadsOfLabels(ctx, labels)
	} else {
		out, err = s.quadsOfSubjects(ctx, x, subj)
	}
	if err != nil {
		return err
	}
	return writeSortedQuads(w, f, x, out)
}

// streamNQuads writes, as N-Quads in store order, the quads under labels.
func (s *Store) streamNQuads(ctx context.Context, w io.Writer, x *readmodel.Index, labels map[string]bool) error {
	nw := nquads.NewWriter(w)
	err := s.scan(ctx, func(q quad.Quad) error {
		if q.Label == nil || !labels[graph.IRIOf(q.Label)] {
			return nil
		}
		for _, eq := range exportQuads(x, q) {
			if err := nw.WriteQuad(standardQuad(eq)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return nw.Close()
}

// quadsOfSubjects gives the current quads about the subjects, then the
// meta quads of the sources they come from: kind, origin, current version,
// and the version's load time and hash.
func (s *Store) quadsOfSubjects(ctx context.Context, x *readmodel.Index, subj *Subjects) ([]quad.Quad, error) {
	var out []quad.Quad
	used := map[graph.SourceID]bool{}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, iri := range subj.iris() {
		qs, err := s.quadsAbout(ctx, quad.Subject, iri)
		if err != nil {
			return nil, err
		}
		for _, q := range qs {
			if src, ok := x.SourceOfLabel(graph.IRIOf(q.Label)); ok {
				used[src] = true
				out = append(out, q)
			}
		}
	}
	for _, si := range x.Sources() {
		if !used[si.ID] {
			continue
		}
		for _, v := range []quad.IRI{si.ID.IRI(), quad.IRI(si.Version)} {
			qs, err := s.quadsAbout(ctx, quad.Subject, v)
			if err != nil {
				return nil, err
			}
			for _, q := range qs {
				if graph.IRIOf(q.Label) == string(graph.MetaLabel) {
					out = append(out, q)
				}
			}
		}
	}
	return out, nil
}

// writeSortedQuads writes quads, expanded for export and sorted by their
// N-Quads line, in format f.
func writeSortedQuads(w io.Writer, f QuadFormat, x *readmodel.Index, quads []quad.Quad) error {
	var out []quad.Quad
	for _, q := range quads {
		out = append(out, exportQuads(x, q)...)
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

// exportQuads rewrites the two packed literals of the store as data, so a
// SPARQL user can filter on them:
//
//   - a firm's typed values (firmData, firmText) become a quad per field;
//   - a firm's nodeEvidence (a list of links: node, method, confidence,
//     role, matched text) becomes an Evidence node per link — firm ck:evidence E; E ck:inNode
//     the node, ck:method, ck:confidence (xsd:double), ck:role, ck:quote
//     the matched text, prov:wasDerivedFrom the Source;
//   - a chain's segments (typed values; "0|up|上游" in older stores) and a
//     node's segment ("up") become Segment resources (<chain>/segment/up)
//     with their label, order and chain, which chains and nodes point to.
//
// Every new quad keeps the label of the quad it replaces. Other quads pass
// through.
func exportQuads(x *readmodel.Index, q quad.Quad) []quad.Quad {
	pred := quad.IRI(graph.IRIOf(q.Predicate))
	switch pred {
	case graph.PredFirmData, graph.PredFirmText:
		return graph.ExpandFirmQuad(q)
	case graph.PredNodeEvidence:
		return evidenceQuads(x, q)
	}
	lit, isString := q.Object.(quad.String)
	if !isString && pred != graph.PredSegments { // a segment is a typed value
		return []quad.Quad{q}
	}
	at := func(s quad.Value, p quad.IRI, o quad.Value) quad.Quad {
		return quad.Quad{Subject: s, Predicate: p, Object: o, Label: q.Label}
	}
	segIRI := func(c graph.ChainID, seg string) quad.IRI { return quad.IRI(string(c.IRI()) + "/segment/" + seg) }
	switch pred {
	case graph.PredSegments:
		i, sg, ok := graph.SegmentOf(q.Object)
		kind, id := graph.ParseIRI(graph.IRIOf(q.Subject))
		if !ok || kind != graph.EntityChain {
			return []quad.Quad{q}
		}
		c := graph.ChainID(id)
		s := segIRI(c, sg.ID)
		return []quad.Quad{
			at(q.Subject, graph.PredSegments, s),
			at(s, graph.PredType, graph.ClassSegment),
			at(s, graph.PredName, quad.String(sg.Name)),
			at(s, graph.PredOrder, quad.Int(i)),
			at(s, graph.PredChain, c.IRI()),
		}
	case graph.PredSegment:
		kind, id := graph.ParseIRI(graph.IRIOf(q.Subject))
		if kind != graph.EntityNode {
			return []quad.Quad{q}
		}
		return []quad.Quad{at(q.Subject, graph.PredSegment, segIRI(graph.NodeID(id).Chain(), string(lit)))}
	}
	return []quad.Quad{q}
}

// evidenceQuads makes each link's evidence of a firm an Evidence node of
// its own (see exportQuads).
func evidenceQuads(x *readmodel.Index, q quad.Quad) []quad.Quad {
	ls, ok := graph.NodeLinksOf(q.Object)
	if !ok {
		return []quad.Quad{q}
	}
	var out []quad.Quad
	for _, l := range ls {
		out = append(out, linkEvidenceQuads(x, q, l)...)
	}
	return out
}

// linkEvidenceQuads are the quads of one link's Evidence node.
func linkEvidenceQuads(x *readmodel.Index, q quad.Quad, l graph.NodeLink) []quad.Quad {
	at := func(s quad.Value, p quad.IRI, o quad.Value) quad.Quad {
		return quad.Quad{Subject: s, Predicate: p, Object: o, Label: q.Label}
	}
	src, _ := x.SourceOfLabel(graph.IRIOf(q.Label))
	e := quad.IRI(graph.IRIOf(q.Subject) + "/evidence/" + string(l.Node) + "@" + string(src))
	out := []quad.Quad{
		at(q.Subject, graph.PredEvidence, e),
		at(e, graph.PredType, graph.ClassEvidence),
		at(e, graph.PredInNode, l.Node.IRI()),
		at(e, graph.PredMethod, quad.String(l.Method)),
		at(e, graph.PredConfidence, quad.Float(l.Confidence)),
	}
	if l.Role != "" {
		out = append(out, at(e, graph.PredRole, quad.String(l.Role)))
	}
	if l.Matched != "" {
		out = append(out, at(e, graph.PredQuote, quad.String(l.Matched)))
	}
	if src != "" {
		out = append(out, at(e, graph.PredWasDerivedFrom, src.IRI()))
	}
	return out
}
