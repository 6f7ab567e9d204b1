// Package graph is the leaf of chainkg's core: the vocabulary, the typed
// identifiers, the domain values with their encoding to quads and the
// decoding of stored values, errors and the analytics' configuration. It
// imports no storage: graph/store keeps the facts in cayley, and
// graph/readmodel builds from them the Index every query runs on.
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
// wording to chains, and Source. Lead (招商线索, lead.go) is a team's pursuit
// of a firm for a region × chain, with its LeadEvents (who changed what,
// when); leads are one source of their own, written anew on each change.
//
// # Identity
//
// Every entity IRI is minted by a typed ID (ids.go) from a stable code:
// regions by division code, industry classes by GB/T 4754 code, chains and
// nodes by chain-scoped slugs, firms by credit code, parks and plans by slug,
// the facts a plan states by PlanPartID (the plan, the kind of part, its
// number within the plan: plan.go), leads by a number given in order of
// creation.
// Names are labels and aliases, never keys.
//
// The store (graph/store) and the read model (graph/readmodel) document
// provenance, versions and how the Index is built.
package graph
