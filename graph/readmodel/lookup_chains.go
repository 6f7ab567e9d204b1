package readmodel

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// libraryLookup maps the names the chain library and the parks go by to
// their ids, and GB/T 4754 codes to the leaves that carry them.
type libraryLookup struct {
	chainByName map[string]graph.ChainID              // id, name, alias, and each without 产业链/产业/链
	byCode      map[graph.IndustryCode][]graph.NodeID // a 小类 → the leaf nodes that carry it
	leaves      map[graph.NodeID]bool
	children    map[graph.NodeID][]graph.NodeID // in sibling order
	crosswalk   map[string]int                  // phrase, and reduced phrase → index into Index.crosswalk
	parkByName  map[string]graph.ParkID         // name, short name, alias
	// codeChildren lists each GB/T 4754 code's children (indexes into Index.codes).
	codeChildren map[graph.IndustryCode][]int32
}

func buildLibraryLookup(x *Index) libraryLookup {
	l := libraryLookup{
		chainByName:  map[string]graph.ChainID{},
		byCode:       map[graph.IndustryCode][]graph.NodeID{},
		leaves:       map[graph.NodeID]bool{},
		children:     map[graph.NodeID][]graph.NodeID{},
		crosswalk:    map[string]int{},
		parkByName:   map[string]graph.ParkID{},
		codeChildren: map[graph.IndustryCode][]int32{},
	}
	for i, c := range x.codes {
		if c.Parent != "" {
			l.codeChildren[c.Parent] = append(l.codeChildren[c.Parent], int32(i))
		}
	}
	for _, c := range x.chains {
		l.chainByName[string(c.ID)] = c.ID
	}
	// Exact names before reduced forms, so a reduced form never hides a name.
	for _, reduce := range []bool{false, true} {
		for _, c := range x.chains {
			for _, n := range append([]string{c.Name}, c.Aliases...) {
				if reduce {
					n = reduceIndustryName(n)
				}
				if _, taken := l.chainByName[n]; !taken && n != "" {
					l.chainByName[n] = c.ID
				}
			}
		}
	}
	for _, n := range x.nodes { // tree order: siblings in order
		if n.Parent != "" {
			l.children[n.Parent] = append(l.children[n.Parent], n.ID)
		}
	}
	for _, n := range x.nodes {
		if len(l.children[n.ID]) > 0 {
			continue
		}
		l.leaves[n.ID] = true
		for _, c := range n.Codes {
			l.byCode[c] = append(l.byCode[c], n.ID)
		}
	}
	for i, e := range x.crosswalk {
		l.crosswalk[e.Phrase] = i
	}
	for i, e := range x.crosswalk {
		if r := reduceIndustryName(e.Phrase); r != e.Phrase {
			if _, taken := l.crosswalk[r]; !taken {
				l.crosswalk[r] = i
			}
		}
	}
	for _, p := range x.parks {
		for _, n := range append([]string{p.Name, p.ShortName}, p.Aliases...) {
			if _, taken := l.parkByName[n]; !taken && n != "" {
				l.parkByName[n] = p.ID
			}
		}
	}
	return l
}

// reduceIndustryName drops the words that name an industry or chain as such:
// 新能源汽车产业链 → 新能源汽车, 高端化工产业集群 → 高端化工.
func reduceIndustryName(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"产业链群", "产业链", "产业集群", "产业", "链群", "集群", "链"} {
		if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
			return t
		}
	}
	return s
}

// ChainByRef returns the chain a reference names: its id ("nev"), its name
// or an alias (新能源汽车, 智能网联汽车), with or without 产业链 after it. Ids
// match case-insensitively.
func (x *Index) ChainByRef(ref string) (graph.Chain, bool) {
	ref = strings.TrimSpace(ref)
	for _, k := range []string{ref, strings.ToLower(ref), reduceIndustryName(ref)} {
		if id, ok := x.library.chainByName[k]; ok {
			return x.Chain(id)
		}
	}
	return graph.Chain{}, false
}

// CrosswalkFor returns the crosswalk row for a plan's wording of an
// industry: the row for the phrase, else for the phrase without 产业/产业链/
// 集群 (高端化工产业 → 高端化工), else — when the wording names a chain of the
// library by its name or an alias — a row made for that chain with
// confidence 0.9 and a note saying so.
func (x *Index) CrosswalkFor(phrase string) (graph.CrosswalkEntry, bool) {
	phrase = strings.TrimSpace(phrase)
	for _, k := range []string{phrase, reduceIndustryName(phrase)} {
		if i, ok := x.library.crosswalk[k]; ok {
			e := x.crosswalk[i]
			e.Chains = slices.Clone(e.Chains)
			return e, true
		}
	}
	if c, ok := x.ChainByRef(phrase); ok && phrase != "" {
		return graph.CrosswalkEntry{Phrase: phrase, Chains: []graph.ChainID{c.ID}, Confidence: 0.9,
			Note: "the name or an alias of chain " + string(c.ID)}, true
	}
	return graph.CrosswalkEntry{}, false
}

// ParkByName returns the park a name, short name or alias denotes.
func (x *Index) ParkByName(name string) (graph.Park, bool) {
	id, ok := x.library.parkByName[strings.TrimSpace(name)]
	if !ok {
		return graph.Park{}, false
	}
	return x.Park(id)
}

// NodesWithCode returns the leaf nodes that carry a GB/T 4754 小类, in id order.
func (x *Index) NodesWithCode(c graph.IndustryCode) []graph.NodeID {
	out := slices.Clone(x.library.byCode[c])
	slices.Sort(out)
	return out
}

// IsLeaf reports whether a node is a leaf of its chain's tree: the nodes
// that firms are classified into.
func (x *Index) IsLeaf(id graph.NodeID) bool { return x.library.leaves[id] }

// NodeChildren returns the ids of a node's children in sibling order.
func (x *Index) NodeChildren(id graph.NodeID) []graph.NodeID {
	return slices.Clone(x.library.children[id])
}

// IndustryCodes returns every GB/T 4754 entry, ordered by code (sections
// first, as letters sort before digits).
func (x *Index) IndustryCodes() []graph.IndustryClass { return slices.Clone(x.codes) }

// IndustryChildren returns the entries one level below a GB/T 4754 code, in
// code order: the 大类 of a 门类, the 中类 of a 大类, the 小类 of a 中类.
func (x *Index) IndustryChildren(c graph.IndustryCode) []graph.IndustryClass {
	var out []graph.IndustryClass
	for _, k := range x.library.codeChildren[c] {
		out = append(out, x.codes[k])
	}
	return out
}

// ResolveChain is ChainByRef for callers that want an error: ErrNotFound,
// naming the reference, when no chain goes by it.
func (x *Index) ResolveChain(ref string) (graph.ChainID, error) {
	c, ok := x.ChainByRef(ref)
	if !ok {
		return "", fmt.Errorf("%w: chain %q", graph.ErrNotFound, ref)
	}
	return c.ID, nil
}
