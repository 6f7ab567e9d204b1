package export

import (
	"cmp"
	"math"
	"slices"

	"github.com/chainkg/chainkg/graph/readmodel"
)

// Colours. Levels go from red (空白) through amber and blue to green (优势);
// firms are neutral, anchors violet, targets teal, so the eye finds gaps
// and who fills them.
var (
	levelColors = map[string]Color{
		string(readmodel.LevelBlank):     {0xd6, 0x45, 0x41},
		string(readmodel.LevelWeak):      {0xe8, 0xa3, 0x3d},
		string(readmodel.LevelPotential): {0x3b, 0x82, 0xc4},
		string(readmodel.LevelStrongest): {0x2e, 0x8b, 0x57},
	}
	noLevelColor   = Color{0x9a, 0xa5, 0xb1}
	firmColor      = Color{0x5b, 0x6b, 0x7f}
	anchorColor    = Color{0x7b, 0x4f, 0xc9}
	targetColor    = Color{0x0e, 0x9a, 0xa7}
	chainColor     = Color{0x1f, 0x2d, 0x3d}
	parkColor      = Color{0xb5, 0x7f, 0x50}
	regionColor    = Color{0xc8, 0xcf, 0xd6}
	segmentPalette = []Color{
		{0x4c, 0x78, 0xa8}, {0xf5, 0x85, 0x18}, {0x54, 0xa2, 0x4b},
		{0xb2, 0x79, 0xa2}, {0x9d, 0x75, 0x5d}, {0xe4, 0x57, 0x56}, {0x72, 0xb7, 0xb2},
	}
)

// segmentColor picks a colour by a segment's position: 上游, 中游 and 下游 get
// the same colours in every chain.
func segmentColor(seg string) Color {
	switch seg {
	case "up":
		return segmentPalette[0]
	case "mid":
		return segmentPalette[1]
	case "down":
		return segmentPalette[2]
	case "", Unsegmented:
		return noLevelColor
	}
	h := 0
	for _, r := range seg {
		h = h*31 + int(r)
	}
	return segmentPalette[3+(h%4+4)%4]
}

func nodeColor(by ColorBy, n *Node) Color {
	switch n.Kind {
	case KindChainNode:
		if by == ColorByLevel {
			if c, ok := levelColors[n.Attrs.Level]; ok {
				return c
			}
			return noLevelColor
		}
		return segmentColor(n.Attrs.Segment)
	case KindTarget:
		return targetColor
	case KindFirm:
		if n.Attrs.Anchor.V {
			return anchorColor
		}
		if by == ColorBySegment && n.Attrs.Segment != "" && n.Attrs.Segment != Unsegmented {
			return segmentColor(n.Attrs.Segment)
		}
		return firmColor
	case KindChain:
		return chainColor
	case KindPark:
		return parkColor
	default:
		return regionColor
	}
}

// Layout geometry, in the units ECharts, G6, Cytoscape and Gephi read as
// pixels. Labels are drawn at labelSize under firms and inside chain nodes;
// cells are as wide as the longest label they hold, so names never overlap.
const (
	labelSize   = 11.0 // a firm's label
	nodeLabel   = 12.0 // a chain node's label, inside its box
	nodeBoxH    = 26.0
	firmGap     = 16.0 // between a chain node's box and its firms, and between columns
	cellMinW    = 90.0
	cellPad     = 14.0 // between two labels side by side
	cellH       = 44.0 // a row of firms: the disc, its label under it, a gap
	blockMin    = 70.0 // the least height of a node's block
	blockGap    = 24.0
	indent      = 28.0 // per depth level
	segmentGap  = 80.0 // between two segments' columns
	packGap     = 200.0
	minFirmCols = 4
)

// nodeBoxWidth is the width of a chain node's box: its label and a margin.
func nodeBoxWidth(label string) float64 {
	return math.Max(60, textWidth(label, nodeLabel)+16)
}

// labelWidth is the width of a firm's label.
func labelWidth(label string) float64 { return textWidth(label, labelSize) }

// firmGrid is how a block of firms is laid out: columns and cell width.
func firmGrid(s *Scope, idx []int) (cols int, cellW float64) {
	cellW = cellMinW
	for _, i := range idx {
		cellW = math.Max(cellW, labelWidth(s.Nodes[i].Label)+cellPad)
	}
	// About square blocks for many firms, at least four abreast for few.
	cols = max(minFirmCols, int(math.Ceil(math.Sqrt(float64(len(idx))*cellH/cellW))))
	return min(cols, max(1, len(idx))), cellW
}

// box is a rectangle of the layout that packing moves as one.
type box struct {
	nodes []int // nodes placed relative to the box's top left
	w, h  float64
}

// layout places nodes so that a person can read them at the exported
// size. Each chain is a band with one column per segment; each chain node
// of a column is a block in tree order with its firms in a grid to its
// right. Firms without a node of the scope are grouped by province, each
// group a square grid; regions, parks and chains have their own grids. The
// bands and grids are then packed in rows about as wide as the whole is
// tall. Linear in the nodes: force layouts stall on thousands.
func layout(s *Scope) {
	chainAt := map[string]int{}
	for i := range s.Nodes {
		if n := &s.Nodes[i]; n.Kind == KindChainNode {
			chainAt[n.Attrs.ChainNode] = i
		}
	}
	attached := map[string][]int{}
	unattached := map[string][]int{} // province → firms
	var provinces []string
	var regions, parks, chains []int
	for i := range s.Nodes {
		n := &s.Nodes[i]
		switch n.Kind {
		case KindFirm, KindTarget:
			if _, ok := chainAt[n.Attrs.ChainNode]; ok {
				attached[n.Attrs.ChainNode] = append(attached[n.Attrs.ChainNode], i)
				continue
			}
			p := n.Attrs.Region
			if len(p) == 6 {
				p = p[:2] + "0000"
			}
			if _, ok := unattached[p]; !ok {
				provinces = append(provinces, p)
			}
			unattached[p] = append(unattached[p], i)
		case KindRegion:
			regions = append(regions, i)
		case KindPark:
			parks = append(parks, i)
		case KindChain:
			chains = append(chains, i)
		}
	}
	// Within a node's firms: local firms first, anchors leading, then targets by score.
	for k, idx := range attached {
		slices.SortStableFunc(idx, func(a, b int) int {
			na, nb := &s.Nodes[a], &s.Nodes[b]
			return cmp.Or(cmp.Compare(kindRank(na), kindRank(nb)), cmp.Compare(nb.Attrs.Score.V, na.Attrs.Score.V))
		})
		attached[k] = idx
	}
	boxes := chainBands(s, attached, chains)
	slices.Sort(provinces)
	for _, p := range provinces {
		boxes = append(boxes, gridBox(s, unattached[p]))
	}
	for _, idx := range [][]int{regions, parks} {
		if len(idx) > 0 {
			boxes = append(boxes, gridBox(s, idx))
		}
	}
	pack(s, boxes)
	for i := range s.Nodes {
		s.Nodes[i].X, s.Nodes[i].Y = round1(s.Nodes[i].X), round1(s.Nodes[i].Y)
	}
}

// chainBands lays out each chain of the scope as a band: its chain node
// (whole graph only) on top, then one column per segment.
func chainBands(s *Scope, attached map[string][]int, chains []int) []box {
	var bandOrder []string
	groupsOf := map[string][]Group{}
	for _, g := range s.Groups {
		if _, ok := groupsOf[g.Chain]; !ok {
			bandOrder = append(bandOrder, g.Chain)
		}
		groupsOf[g.Chain] = append(groupsOf[g.Chain], g)
	}
	membersOf := map[string][]int{} // group → its chain nodes in scope order
	for i := range s.Nodes {
		if n := &s.Nodes[i]; n.Kind == KindChainNode {
			membersOf[n.Group] = append(membersOf[n.Group], i)
		}
	}
	chainNode := map[string]int{}
	for _, i := range chains {
		chainNode[s.Nodes[i].Attrs.Chain] = i
	}
	var out []box
	for _, c := range bandOrder {
		var b box
		top := 0.0
		if i, ok := chainNode[c]; ok {
			s.Nodes[i].X, s.Nodes[i].Y = nodeBoxWidth(s.Nodes[i].Label)/2, 0
			b.nodes = append(b.nodes, i)
			top = blockMin
			delete(chainNode, c)
		}
		x0 := 0.0
		for _, g := range groupsOf[c] {
			members := membersOf[g.ID]
			if len(members) == 0 {
				continue
			}
			// Firms start right of the widest box of the column.
			firmX := 0.0
			for _, i := range members {
				n := &s.Nodes[i]
				firmX = math.Max(firmX, indent*float64(n.Attrs.Depth.V)+nodeBoxWidth(n.Label))
			}
			firmX += firmGap
			y, right := top, firmX
			for _, i := range members {
				n := &s.Nodes[i]
				n.X, n.Y = x0+indent*float64(n.Attrs.Depth.V)+nodeBoxWidth(n.Label)/2, y
				b.nodes = append(b.nodes, i)
				firms := attached[n.Attrs.ChainNode]
				cols, cellW := firmGrid(s, firms)
				for k, fi := range firms {
					f := &s.Nodes[fi]
					f.X = x0 + firmX + cellW*(float64(k%cols)+0.5)
					f.Y = y + cellH*float64(k/cols)
					b.nodes = append(b.nodes, fi)
				}
				rows := (len(firms) + max(cols, 1) - 1) / max(cols, 1)
				right = math.Max(right, firmX+cellW*float64(cols))
				y += math.Max(blockMin, cellH*float64(rows)+blockGap)
			}
			b.h = math.Max(b.h, y)
			x0 += right + segmentGap
		}
		b.w = math.Max(x0-segmentGap, 0)
		out = append(out, b)
	}
	// Chains without a node in scope sit in a grid of their own.
	var rest []int
	for _, i := range chains {
		if _, ok := chainNode[s.Nodes[i].Attrs.Chain]; ok {
			rest = append(rest, i)
		}
	}
	if len(rest) > 0 {
		out = append(out, gridBox(s, rest))
	}
	return out
}

// gridBox lays out nodes in a square grid of cells as wide as their labels.
func gridBox(s *Scope, idx []int) box {
	cols, cellW := firmGrid(s, idx)
	for _, i := range idx {
		if k := s.Nodes[i].Kind; k == KindChain {
			cellW = math.Max(cellW, nodeBoxWidth(s.Nodes[i].Label)+cellPad)
		}
	}
	b := box{nodes: idx}
	for k, i := range idx {
		s.Nodes[i].X = cellW * (float64(k%cols) + 0.5)
		s.Nodes[i].Y = cellH * float64(k/cols)
	}
	rows := (len(idx) + cols - 1) / cols
	b.w, b.h = cellW*float64(cols), cellH*float64(rows)
	return b
}

// pack places boxes in rows, left to right, each row about as wide as the
// square root of the total area (and never narrower than the widest box),
// so the whole is about as wide as it is tall.
func pack(s *Scope, boxes []box) {
	area, widest := 0.0, 0.0
	for _, b := range boxes {
		area += (b.w + packGap) * (b.h + packGap)
		widest = math.Max(widest, b.w)
	}
	width := math.Max(widest, math.Sqrt(area))
	x, y, rowH := 0.0, 0.0, 0.0
	for _, b := range boxes {
		if x > 0 && x+b.w > width {
			x, y, rowH = 0, y+rowH+packGap, 0
		}
		for _, i := range b.nodes {
			s.Nodes[i].X += x
			s.Nodes[i].Y += y
		}
		x += b.w + packGap
		rowH = math.Max(rowH, b.h)
	}
}

func kindRank(n *Node) int {
	switch {
	case n.Kind == KindFirm && n.Attrs.Anchor.V:
		return 0
	case n.Kind == KindFirm:
		return 1
	default:
		return 2
	}
}
