// Package store keeps chainkg's facts in cayley — memstore, bbolt or
// PostgreSQL — under a versioned-source discipline, and serves the read
// model built from them. It is the only package that imports cayley.
//
// # Provenance
//
// Every quad's label is a version of the source that asserted it. A source's
// current version is named by one quad in the meta graph; Store.Replace
// writes a new version beside the old and flips that quad in one
// transaction, so readers see one version or the other, never a mix. A fact
// asserted by two sources is two quads with two labels, and survives until
// both sources are gone.
//
// # Read model
//
// The Index (graph/readmodel) is built from the current versions at Open
// and made again after each committed write from the journal of current
// versions kept in memory (journal.go), then swapped in atomically: updated
// from the firms the write named when it changed firms only (a registry
// upload; readmodel.Index.Update), rebuilt from every quad otherwise. API
// reads go to the Index only; the store is read for exports, firm details
// and ad-hoc queries.
//
// A bbolt store also keeps that journal on disk beside cayley's file, as a
// snapshot tied to the set of current versions (snapshot.go): a restart
// whose store matches it builds the Index from it instead of scanning
// cayley, and falls back to the scan when it is stale or damaged.
package store
