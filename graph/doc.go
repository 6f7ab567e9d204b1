// Package graph is the core of chainkg: the vocabulary, the typed domain
// values, the store and the read model that every query runs on.
//
// # Model
//
// Classes (vocab.go): Region (GB/T 2260 行政区划), IndustryCode (GB/T 4754-2017),
// Chain and ChainNode (the chain library: a node tree per chain, segments,
// supply edges, industry codes and keywords on the leaves), Firm (keyed by its
// 统一社会信用代码, or a surrogate when a registry has none), Park, Plan and
// what a plan states — Industry (a designation with a role), Cluster,
// Indicator, Mention (a firm or park it names), CountedGroup (a group it
// counts, 八大产业) and Conflict (counts that disagree), each pointing at its
// Evidence (the sentence, with character offsets) — the Crosswalk from plan
// wording to chains, and Source.
//
// # Identity
//
// Every entity IRI is minted by a typed ID (ids.go) from a stable code:
// regions by division code, industry classes by GB/T 4754 code, chains and
// nodes by chain-scoped slugs, firms by credit code, parks and plans by slug.
// Names are labels and aliases, never keys.
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
// Index is built from the current versions at Open and rebuilt after each
// committed write, then swapped in atomically. API reads go to the Index
// only; the store is read for exports and long texts.
package graph
