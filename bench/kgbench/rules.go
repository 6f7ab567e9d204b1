package main

import (
	"slices"
	"strings"
	"unicode"

	"github.com/chainkg/chainkg/graph"
)

// Two rules of the read model that the alternatives need, restated here
// rather than imported, so that the comparison checks them too.

// inheritSupplies derives who supplies whom from the direct supply edges
// (direct[i]: the nodes i supplies) and the node tree (parent[i]: -1 at a
// root). A node stands for its sub-nodes: it supplies what it and its
// ancestors supply (succ), and it buys from whoever supplies it or one of
// its ancestors (pred), except from itself or from a node between it and
// that ancestor. Lists are ascending.
func inheritSupplies(direct [][]int32, parent []int32) (succ, pred [][]int32) {
	n := len(direct)
	succ = make([][]int32, n)
	for i := range n {
		set := map[int32]bool{}
		for a := int32(i); a >= 0; a = parent[a] {
			for _, t := range direct[a] {
				set[t] = true
			}
		}
		succ[i] = sortedKeys32(set)
	}
	buyers := make([][]int32, n) // buyers[t]: the nodes whose succ holds t
	for s := range n {
		for _, t := range succ[s] {
			buyers[t] = append(buyers[t], int32(s))
		}
	}
	pred = make([][]int32, n)
	for i := range n {
		set := map[int32]bool{}
		var below []int32 // i and the nodes between i and a
		for a := int32(i); a >= 0; a = parent[a] {
			for _, s := range buyers[a] {
				if a == int32(i) || !slices.Contains(below, s) {
					set[s] = true
				}
			}
			below = append(below, a)
		}
		pred[i] = sortedKeys32(set)
	}
	return succ, pred
}

// normName folds a name as search compares names: width and case folded,
// spaces, punctuation and symbols dropped.
func normName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return r
	}, strings.ToLower(graph.FoldWidth(s)))
}
