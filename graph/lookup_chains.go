package graph

import (
	"slices"
	"strings"
)

// chainLookup maps the names of chains and the codes of their leaves to
// chains and nodes.
type chainLookup struct {
	byName map[string]ChainID        // id, name, alias, and each without 产业链/产业/链
	byCode map[IndustryCode][]NodeID // a GB/T 4754 小类 → the leaf nodes that carry it
	leaves map[NodeID]bool
}

func buildChainLookup(chains []Chain, nodes []ChainNode) chainLookup {
	l := chainLookup{byName: map[string]ChainID{}, byCode: map[IndustryCode][]NodeID{}, leaves: map[NodeID]bool{}}
	for _, c := range chains {
		l.byName[string(c.ID)] = c.ID
	}
	// Exact names before reduced forms, so a reduced form never hides a name.
	for _, reduce := range []bool{false, true} {
		for _, c := range chains {
			for _, n := range append([]string{c.Name}, c.Aliases...) {
				if reduce {
					n = reduceChainName(n)
				}
				if _, taken := l.byName[n]; !taken && n != "" {
					l.byName[n] = c.ID
				}
			}
		}
	}
	parents := map[NodeID]bool{}
	for _, n := range nodes {
		if n.Parent != "" {
			parents[n.Parent] = true
		}
	}
	for _, n := range nodes {
		if parents[n.ID] {
			continue
		}
		l.leaves[n.ID] = true
		for _, c := range n.Codes {
			l.byCode[c] = append(l.byCode[c], n.ID)
		}
	}
	return l
}

// reduceChainName drops the words that name a chain as such: 新能源汽车产业链 → 新能源汽车.
func reduceChainName(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"产业链群", "产业链", "产业集群", "产业", "链群", "链"} {
		if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
			return t
		}
	}
	return s
}

// ChainByRef returns the chain a reference names: its id ("nev"), its name
// or an alias (新能源汽车, 智能网联汽车), with or without 产业链 after it. Ids
// match case-insensitively.
func (x *Index) ChainByRef(ref string) (Chain, bool) {
	ref = strings.TrimSpace(ref)
	id, ok := x.chainLookup.byName[ref]
	if !ok {
		id, ok = x.chainLookup.byName[strings.ToLower(ref)]
	}
	if !ok {
		id, ok = x.chainLookup.byName[reduceChainName(ref)]
	}
	if !ok {
		return Chain{}, false
	}
	return x.Chain(id)
}

// NodesWithCode returns the leaf nodes that carry a GB/T 4754 小类, in id order.
func (x *Index) NodesWithCode(c IndustryCode) []NodeID {
	out := slices.Clone(x.chainLookup.byCode[c])
	slices.Sort(out)
	return out
}

// IsLeaf reports whether a node is a leaf of its chain's tree: the nodes
// that firms are classified into.
func (x *Index) IsLeaf(id NodeID) bool { return x.chainLookup.leaves[id] }

// NodeChildren returns the ids of a node's children in sibling order.
func (x *Index) NodeChildren(id NodeID) []NodeID {
	var out []NodeID
	for _, n := range x.ChainNodes(id.Chain()) {
		if n.Parent == id {
			out = append(out, n.ID)
		}
	}
	return out
}

// IndustryCodes returns every GB/T 4754 entry, ordered by code (sections
// first, as letters sort before digits).
func (x *Index) IndustryCodes() []IndustryClass { return slices.Clone(x.codes) }
