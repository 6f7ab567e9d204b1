package loaders

import (
	"context"
	"io"
	"io/fs"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// Loader is the one shape of every loader: it reads in, puts the facts it
// makes into sink, and returns a Report of what it loaded and rejected. It
// stops between rows (or batches of rows) once ctx is done, returning
// ctx's error.
type Loader func(ctx context.Context, in Input, sink graph.FactSink) (*Report, error)

// Input is what a loader is given: its file, the options of the load and
// the lookups it resolves names against. Each loader's doc says which of
// the fields it reads.
type Input struct {
	// R is the file of a single-file loader; File is its name in reports.
	R    io.Reader
	File string
	// FS and Paths are the files of a loader that reads several (the chain
	// library, the listed companies, a directory of plans).
	FS    fs.FS
	Paths []string
	// Source is the id of the source being written.
	Source graph.SourceID
	Options
	Lookups
}

// Options tune a load.
type Options struct {
	// Region is the region of a plan whose text does not say (--region),
	// or the region a list of firms is about (the honours of one province).
	Region graph.RegionCode
	// Mapping maps a registry's unknown headers to fields (see
	// ReadColumnMapping); it takes precedence over the built-in aliases.
	Mapping map[string]string
	// MaxRows refuses a registry file with more rows; 0 means no limit.
	MaxRows int
}

// Lookups are what loaders resolve names against: the tables already
// loaded. A nil lookup means there is no read model at all; a loader then
// resolves nothing against it (and says so where it matters). A lookup
// whose table is empty is not nil: the library's loaders (chains, parks,
// crosswalk) check nothing against an empty table and warn instead.
// *readmodel.Index satisfies every one of them; LookupsOf fills them from it.
type Lookups struct {
	Regions Regions
	Chains  Chains
	Codes   Codes
	Firms   Firms
	Parks   Parks
}

// Regions is the GB/T 2260 division table: codes, names, and the region
// names found in a text.
type Regions interface {
	Region(graph.RegionCode) (graph.Region, bool)
	Regions() []graph.Region
	RegionsNamed(name string) []graph.RegionCode
	RegionMentions(text string) []readmodel.RegionMention
}

// Chains is the chain library: chains, their nodes, and the crosswalk from
// plan wording to chains.
type Chains interface {
	Chains() []graph.Chain
	Chain(graph.ChainID) (graph.Chain, bool)
	ChainNodes(graph.ChainID) []graph.ChainNode
	Node(graph.NodeID) (graph.ChainNode, bool)
	IsLeaf(graph.NodeID) bool
	Crosswalk() []graph.CrosswalkEntry
}

// Codes is the GB/T 4754 industry table.
type Codes interface {
	IndustryClass(graph.IndustryCode) (graph.IndustryClass, bool)
	IndustryNamed(name string) (graph.IndustryCode, bool)
	IndustryCodes() []graph.IndustryClass
}

// Firms are the firms already loaded, by id and by name.
type Firms interface {
	Firm(graph.FirmID) (graph.Firm, bool)
	FirmCount() int
	FirmSources(graph.FirmID) []graph.SourceID
	FirmsNamed(name string) []graph.FirmID
	FirmsMentioned(name string) (ids []graph.FirmID, exact bool)
	EachFirm(func(graph.Firm) bool)
}

// Parks are the parks, zones and corridors already loaded.
type Parks interface {
	Parks() []graph.Park
}

// LookupsOf gives every lookup from a read model; a nil read model gives
// none.
func LookupsOf(x *readmodel.Index) Lookups {
	if x == nil {
		return Lookups{}
	}
	return Lookups{Regions: x, Chains: x, Codes: x, Firms: x, Parks: x}
}

// regionsLoaded, chainsLoaded and codesLoaded say whether a table holds
// anything: checking against an empty one would reject everything.
func (l Lookups) regionsLoaded() bool { return l.Regions != nil && len(l.Regions.Regions()) > 0 }
func (l Lookups) chainsLoaded() bool  { return l.Chains != nil && len(l.Chains.Chains()) > 0 }
func (l Lookups) codesLoaded() bool   { return l.Codes != nil && len(l.Codes.IndustryCodes()) > 0 }
