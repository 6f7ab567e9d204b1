// Package loaders turns outside inputs — reference tables, the chain library,
// enterprise registries, plan documents, overrides — into graph facts with
// their evidence.
//
// Every loader has one shape, Loader:
//
//	func(ctx context.Context, in Input, sink graph.FactSink) (*Report, error)
//
// Input carries the file (an io.Reader and its name, or an fs.FS and paths
// for inputs that span files), the Options of the load, and the Lookups a
// loader resolves names against: small interfaces (Regions, Chains, Codes,
// Firms, Parks) that *readmodel.Index satisfies, so a loader sees only the
// tables it reads. A loader puts domain values into the sink, stops between
// rows once ctx is done, and returns a Report of what it loaded and what it
// rejected, each rejection a *ParseError naming the file, line and column
// (a header or field name).
//
// One file per input family:
//
//	input.go                         the loader shape: Loader, Input, Options, Lookups
//	regions.go, industry.go          GB/T 2260 divisions; GB/T 4754 and its special classifications
//	chains.go, records.go            the chain library's files and their line-oriented format
//	crosswalk.go, industrymap.go     plan wording → chains; industries (申万, tushare) → nodes
//	parks.go                         parks, zones and corridors
//	registry*.go, tabular.go, xlsx.go  registry exports: formats, columns, values, regions
//	classify.go, ahocorasick.go      a firm's words → chain nodes
//	listed.go, honours.go            the listed companies and firm honours of the default data
//	override.go                      a user's firm–node corrections
//	plan.go, planlink.go             plan documents (read by plandoc) and their links to the graph
//
// file.go maps the kinds of 'chainkg load KIND' and of uploads to their
// loaders; defaults.go and library.go list the default data in load order.
package loaders
