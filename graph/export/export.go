// Package export writes parts of the graph — a region × chain map, a chain
// template, a firm's neighbourhood, or the whole graph — in the formats that
// visualisation tools and spreadsheets open without hand-fixing: GEXF 1.3
// (Gephi), GraphML with yEd labels, Cytoscape.js JSON, ECharts and AntV G6
// data, Graphviz DOT, CSV for Gephi and for Neo4j bulk import, XLSX for
// 招商 teams, and N-Quads and JSON-LD with provenance labels. It also draws
// the chain-map picture (SVG) a team pastes into a slide.
//
// A Scope is built from graph's typed answers (ChainMapScope, ChainScope,
// FirmScope, GraphScope); every format then encodes the same nodes, edges
// and attributes (columns.go), so counts agree across formats and with the
// API. One file per format.
package export

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// Format is an export format.
type Format struct {
	Name        string // gexf, graphml …: the value of ?format= and --format
	Title       string // what it is for
	ContentType string
	Ext         string // file extension, without the dot
	write       func(ctx context.Context, w io.Writer, s *Scope, q Quads) error
}

// Quads writes the RDF of a scope's subjects with their provenance labels;
// *store.Store satisfies it.
type Quads interface {
	WriteQuads(ctx context.Context, w io.Writer, f store.QuadFormat, subj *store.Subjects) error
}

// formats lists every format, in the order documentation shows them.
var formats = []Format{
	{"gexf", "GEXF 1.2 with viz colours, sizes and positions: the file Gephi, Gephi Lite (graphology) and networkx 2.x and 3.x all read", "application/gexf+xml", "gexf", writeGEXF},
	{"gexf-1.3", "GEXF 1.3 for Gephi 0.10 and schema checks (networkx 2.x cannot read it; networkx 3.x drops its colours)", "application/gexf+xml", "1.3.gexf", writeGEXF13},
	{"graphml", "GraphML with typed keys and yEd node labels (yEd, networkx, Cytoscape)", "application/graphml+xml", "graphml", writeGraphML},
	{"cyjs", "Cytoscape.js JSON: segments as compound parents, positions", "application/json", "cyjs", writeCyJS},
	{"cytoscape-style", "Cytoscape desktop style file (File → Import → Styles from File) that draws a cyjs or GraphML import with its colours, sizes, labels and shapes", "application/xml", "cytoscape-style.xml", writeCytoscapeStyle},
	{"echarts", "ECharts graph option: categories, layout none with x/y", "application/json", "echarts.json", writeECharts},
	{"g6", "AntV G6 v5 graph data: combos for segments, custom fields under data", "application/json", "g6.json", writeG6},
	{"dot", "Graphviz DOT: one cluster per segment in chain order (上游 first; invisible style=invis rank edges keep the order), quoted Chinese labels", "text/vnd.graphviz; charset=utf-8", "dot", writeDOT},
	{"gephi-csv", "Gephi spreadsheet import: nodes.csv (Id, Label …) and edges.csv (Source, Target …) in a zip", "application/zip", "gephi.zip", writeGephiCSV},
	{"neo4j-csv", "neo4j-admin bulk import: nodes.csv (:ID, :LABEL) and relationships.csv (:START_ID, :END_ID, :TYPE) in a zip", "application/zip", "neo4j.zip", writeNeo4jCSV},
	{"xlsx", "Excel workbook with Chinese headers: chain map, gaps, anchors and targets of a region × chain; nodes and edges otherwise", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", writeXLSX},
	{"nquads", "N-Quads of the scope's entities, each quad labelled with its source version, and the sources' descriptions", "application/n-quads; charset=utf-8", "nq", writeNQuads},
	{"jsonld", "JSON-LD of the same quads, one named graph per source version", "application/ld+json", "jsonld", writeJSONLD},
	{"svg", "the chain-map picture of a region × chain (the SVG of …/map.svg): levels, gaps and 链主, ready for a slide", "image/svg+xml; charset=utf-8", "svg", writeSVG},
	{"json", "the scope as chainkg JSON: nodes, edges, groups and attributes (what the counts of every other format match)", "application/json", "json", writeJSON},
}

// onlyFor restricts a format to some scope kinds; formats absent here
// encode every scope.
var onlyFor = map[string][]ScopeKind{"svg": {ScopeChainMap}}

// Accepts reports whether f encodes scopes of kind k.
func (f Format) Accepts(k ScopeKind) bool {
	only, ok := onlyFor[f.Name]
	return !ok || slices.Contains(only, k)
}

// limits are the most nodes a drawing tool shows usably, by format: G6 v5
// stalls above about 2,000 nodes (the whole graph of 2,700 never finished
// drawing), Graphviz dot takes minutes and shrinks labels to nothing above
// about 1,500, Cytoscape.js and ECharts (canvas, preset positions) stay
// usable to about 10,000 and 20,000. Formats absent here are for desktop
// tools and databases that take any size.
var limits = map[string]struct {
	tool string
	max  int
}{
	"g6": {"AntV G6", 2000}, "dot": {"Graphviz dot", 1500}, "cyjs": {"Cytoscape.js", 10000}, "echarts": {"ECharts", 20000},
}

// MaxNodes returns the most nodes f's tool draws usably, 0 for no limit.
func (f Format) MaxNodes() int { return limits[f.Name].max }

// TooLargeError is an export larger than its format's tool draws: the
// error says so and what to export instead, rather than a file the tool
// cannot open.
type TooLargeError struct {
	Format string
	Tool   string
	Nodes  int
	Max    int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: this export has %d nodes, and %s draws at most %d usably; export a filtered scope instead "+
		"(one chain, one region × chain with size= for its top N targets, or one firm's neighbourhood), "+
		"or use gexf (Gephi) or echarts for a scope this large", e.Format, e.Nodes, e.Tool, e.Max)
}

// Unwrap makes a TooLargeError an ErrUnsupported.
func (e *TooLargeError) Unwrap() error { return graph.ErrUnsupported }

// Fits returns a *TooLargeError when s has more nodes than f's tool draws.
func (f Format) Fits(s *Scope) error {
	if l, ok := limits[f.Name]; ok && len(s.Nodes) > l.max {
		return &TooLargeError{Format: f.Name, Tool: l.tool, Nodes: len(s.Nodes), Max: l.max}
	}
	return nil
}

// Formats returns every format.
func Formats() []Format { return slices.Clone(formats) }

// FormatNames returns the formats' names.
func FormatNames() []string {
	out := make([]string, len(formats))
	for i, f := range formats {
		out[i] = f.Name
	}
	return out
}

// Lookup finds a format by name.
func Lookup(name string) (Format, error) {
	for _, f := range formats {
		if f.Name == name {
			return f, nil
		}
	}
	return Format{}, fmt.Errorf("%w: export format %q: want one of %v", graph.ErrInvalid, name, FormatNames())
}

// Write encodes s. q is needed by nquads and jsonld only.
func (f Format) Write(ctx context.Context, w io.Writer, s *Scope, q Quads) error {
	if !f.Accepts(s.Kind) {
		return fmt.Errorf("%w: format %s encodes %v scopes only, not %s; gexf, cyjs, echarts and g6 encode every scope", graph.ErrUnsupported, f.Name, onlyFor[f.Name], s.Kind)
	}
	if err := f.Fits(s); err != nil {
		return err
	}
	return f.write(ctx, w, s, q)
}

// FileName returns a file name for an export of s in f: ASCII, so every
// browser and shell keeps it.
func (f Format) FileName(s *Scope, stem string) string {
	return "chainkg-" + string(s.Kind) + "-" + graph.Slugify(stem) + "." + f.Ext
}

// writeSVG draws a region × chain's picture from its scope.
func writeSVG(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	if s.Map == nil {
		return fmt.Errorf("%w: svg needs a region × chain", graph.ErrUnsupported)
	}
	return WriteChainMapSVG(w, s.Map, s.Anchors)
}
