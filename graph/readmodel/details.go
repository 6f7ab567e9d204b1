package readmodel

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// RegionCount is a number of firms in a region.
type RegionCount struct {
	Region graph.RegionCode
	Name   string
	Count  int
}

// NodeDetail is a chain node with its place in the chain and where its
// firms are.
type NodeDetail struct {
	Node       graph.ChainNode
	Chain      graph.Chain
	Parent     *graph.ChainNode
	Children   []graph.ChainNode
	Suppliers  []graph.ChainNode
	Customers  []graph.ChainNode
	National   int           // active firms nationwide
	Provinces  []RegionCount // active firms per province, most first
	CodeNames  map[graph.IndustryCode]string
	TopFirms   []FirmRef // nationwide
	Leaf       bool
	ChainOrder int // position in the chain's tree order
}

// NodeDetail answers a node's page.
func (x *Index) NodeDetail(id graph.NodeID, topK int) (*NodeDetail, error) {
	ni, ok := x.nodeAt[id]
	if !ok {
		return nil, fmt.Errorf("%w: node %s", graph.ErrNotFound, id)
	}
	an := x.an
	n := x.nodes[ni]
	d := &NodeDetail{Node: n, Chain: x.chains[an.nodeChain[ni]], Leaf: len(an.nodeKids[ni]) == 0,
		National: len(an.nodes[ni].members), CodeNames: map[graph.IndustryCode]string{}}
	d.ChainOrder = slices.Index(x.chainNodes[an.nodeChain[ni]], ni)
	if p := an.nodeParent[ni]; p >= 0 {
		pn := x.nodes[p]
		d.Parent = &pn
	}
	for _, k := range an.nodeKids[ni] {
		d.Children = append(d.Children, x.nodes[k])
	}
	for _, p := range an.nodePred[ni] {
		d.Suppliers = append(d.Suppliers, x.nodes[p])
	}
	for _, s := range an.nodeSucc[ni] {
		d.Customers = append(d.Customers, x.nodes[s])
	}
	for _, c := range n.Codes {
		if ic, ok := x.IndustryClass(c); ok {
			d.CodeNames[c] = ic.Name
		}
	}
	byProv := map[graph.RegionCode]int{}
	for _, m := range an.nodes[ni].members {
		if m.region != 0 {
			byProv[graph.RegionCode(fmt.Sprintf("%06d", m.region)).Province()]++
		}
	}
	for p, c := range byProv {
		rc := RegionCount{Region: p, Count: c}
		if r, ok := x.Region(p); ok {
			rc.Name = r.Name
		}
		d.Provinces = append(d.Provinces, rc)
	}
	slices.SortFunc(d.Provinces, func(a, b RegionCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Region, b.Region))
	})
	members := an.nodes[ni].members
	idx := make([]int32, len(members))
	for i, m := range members {
		idx[i] = m.firm
	}
	slices.SortFunc(idx, func(a, b int32) int {
		return cmp.Or(compareFloat(x.firms[b].size(), x.firms[a].size()), cmp.Compare(a, b))
	})
	for _, fi := range idx[:min(topK, len(idx))] {
		d.TopFirms = append(d.TopFirms, x.firmRef(fi))
	}
	return d, nil
}

// ParkDetail is a park with the firms located in it.
type ParkDetail struct {
	Park   graph.Park
	Region graph.Region
	Chains []graph.Chain
	Firms  []FirmRef // firms whose registry places them in the park
}

// ParkDetail answers a park's page.
func (x *Index) ParkDetail(id graph.ParkID) (*ParkDetail, error) {
	p, ok := x.Park(id)
	if !ok {
		return nil, fmt.Errorf("%w: park %s", graph.ErrNotFound, id)
	}
	d := &ParkDetail{Park: p}
	d.Region, _ = x.Region(p.Region)
	for _, c := range p.Chains {
		if ch, ok := x.Chain(c); ok {
			d.Chains = append(d.Chains, ch)
		}
	}
	for fi := range x.firms {
		if x.firms[fi].Park == id {
			d.Firms = append(d.Firms, x.firmRef(int32(fi)))
		}
	}
	return d, nil
}
