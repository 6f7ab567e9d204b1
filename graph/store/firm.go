package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// FirmFact is one attribute of a firm as one source states it.
type FirmFact struct {
	Predicate string // the predicate's local name: name, capital, inNode …
	Value     string
	Source    graph.SourceID
}

// FirmDetail is a firm with everything the store knows of it: the read
// model's record, the long texts, each attribute with its source, and each
// node link with its evidence.
type FirmDetail struct {
	Firm    graph.Firm
	Address string
	Scope   string
	Facts   []FirmFact
	Links   []FirmLink
	Sources []graph.SourceID
}

// FirmLink is a firm's node link with its evidence and the source that made it.
type FirmLink struct {
	graph.NodeLink
	NodeName  string
	ChainName string
	Source    graph.SourceID
	// Excluded says an override took the firm out of the node: the link is
	// shown, but the read model and the analytics leave it out.
	Excluded     bool
	ExcludedBy   graph.SourceID // the override source
	ExcludedNote string         // the override's note, in the user's words
}

// FirmDetail reads a firm's quads from the store (one subject lookup) and
// describes them with the read model x (the caller's snapshot; nil for the
// current one), so the firm and its sources come from one version.
func (s *Store) FirmDetail(ctx context.Context, x *readmodel.Index, id graph.FirmID) (*FirmDetail, error) {
	if s.closed.Load() {
		return nil, graph.ErrClosed
	}
	if x == nil {
		x = s.Index()
	}
	f, ok := x.Firm(id)
	if !ok {
		return nil, fmt.Errorf("%w: firm %s", graph.ErrNotFound, id)
	}
	s.mu.RLock()
	quads, err := s.quadsAbout(ctx, quad.Subject, id.IRI())
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	var facts []quad.Quad // a typed value's fields each on its own, as the page lists them
	for _, q := range quads {
		facts = append(facts, graph.ExpandFirmQuad(q)...)
	}
	quads = facts
	d := &FirmDetail{Firm: f, Sources: x.FirmSources(id)}
	long := graph.FirmMerge{Long: true}     // the long texts, by the codec's merge rules
	excluded := map[graph.NodeID]FirmLink{} // by the nodes an override took the firm out of
	for _, q := range quads {
		src, ok := x.SourceOfLabel(graph.IRIOf(q.Label))
		if !ok {
			continue // a version that is not current
		}
		si, _ := x.Source(src)
		long.Add(q, int8(si.Kind.Rank()), 0)
		switch q.Predicate {
		case graph.PredNodeEvidence:
			ls, _ := graph.NodeLinksOf(q.Object)
			for _, l := range ls {
				d.Links = append(d.Links, firmLink(x, l, src))
			}
			continue
		case graph.PredNotInNode:
			n := graph.NodeOf(q.Object)
			ex := excluded[n]
			ex.Excluded, ex.ExcludedBy, ex.Node = true, src, n
			excluded[n] = ex
		case graph.PredExclusionNote:
			ls, _ := graph.NodeLinksOf(q.Object)
			for _, l := range ls {
				ex := excluded[l.Node]
				ex.ExcludedNote = l.Matched
				excluded[l.Node] = ex
			}
			continue
		case graph.PredType:
			continue
		}
		d.Facts = append(d.Facts, FirmFact{Predicate: factPredicate(q.Predicate), Value: factValue(q.Object), Source: src})
	}
	merged := long.Result()
	d.Address, d.Scope = merged.Address, merged.Scope
	slices.SortFunc(d.Facts, func(a, b FirmFact) int {
		return strings.Compare(a.Predicate+"\x00"+a.Value+"\x00"+string(a.Source), b.Predicate+"\x00"+b.Value+"\x00"+string(b.Source))
	})
	d.Links = markExcluded(x, d.Links, excluded)
	slices.SortFunc(d.Links, func(a, b FirmLink) int {
		return strings.Compare(string(a.Node)+string(a.Source), string(b.Node)+string(b.Source))
	})
	return d, nil
}

// firmLink describes a firm's link to a node with the node's and chain's
// names, when the read model has them.
func firmLink(x *readmodel.Index, l graph.NodeLink, src graph.SourceID) FirmLink {
	fl := FirmLink{NodeLink: l, Source: src}
	if n, ok := x.Node(l.Node); ok {
		fl.NodeName = n.Name
		if c, ok := x.Chain(l.Node.Chain()); ok {
			fl.ChainName = c.Name
		}
	}
	return fl
}

// factPredicate names a predicate as a firm's facts list it: its local
// name in our vocabulary (or RDF's), "name" for the name.
func factPredicate(pred quad.Value) string {
	p := strings.TrimPrefix(strings.TrimPrefix(graph.IRIOf(pred), graph.NS), "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
	if p == string(graph.PredName) {
		p = "name"
	}
	return p
}

// factValue writes an object as a firm's facts list it: an id without its
// base, a number as written, not as a typed literal.
func factValue(o quad.Value) string {
	switch o := o.(type) {
	case quad.IRI:
		return strings.TrimPrefix(string(o), graph.IDBase)
	case quad.Float:
		return strconv.FormatFloat(float64(o), 'f', -1, 64) // not "1.2E+05"^^<xsd:double>
	case quad.Int:
		return strconv.Itoa(int(o))
	case quad.Bool:
		return strconv.FormatBool(bool(o))
	}
	return graph.StrOf(o)
}

// markExcluded marks the links to nodes an override excluded, and lists an
// exclusion that no link matches as a link of its own, so a firm's page
// shows every override that applies to it.
func markExcluded(x *readmodel.Index, links []FirmLink, excluded map[graph.NodeID]FirmLink) []FirmLink {
	for i, l := range links {
		if ex, ok := excluded[l.Node]; ok && ex.Excluded {
			links[i].Excluded, links[i].ExcludedBy, links[i].ExcludedNote = true, ex.ExcludedBy, ex.ExcludedNote
			ex.Node = "" // matched
			excluded[l.Node] = ex
		}
	}
	for n, ex := range excluded {
		if !ex.Excluded || ex.Node == "" {
			continue
		}
		fl := firmLink(x, graph.NodeLink{Node: n, Method: "override"}, ex.ExcludedBy)
		fl.Excluded, fl.ExcludedBy, fl.ExcludedNote = true, ex.ExcludedBy, ex.ExcludedNote
		links = append(links, fl)
	}
	return links
}
