// Package readmodel is chainkg's read model: Index, the compact in-memory
// form of every entity of the current versions of all sources, built by a
// Builder from quads in any order, with the lookups, search and the query
// families (chain map, gaps, anchors, targets, compare) answered from it.
// An Index is immutable: the store builds the next one after a write (or,
// after a write of firms only, derives it from the last: update.go) and
// swaps it in, so readers never lock and never see half a write.
package readmodel
