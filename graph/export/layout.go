package export

import (
	"cmp"
	"math"
	"slices"

	"github.com/chainkg/chainkg/graph"
)

// Colours. Levels go from red (空白) through amber and blue to green (优势);
// firms are neutral, anchors violet, targets teal, so the eye finds gaps
// and who fills them.
var (
	levelColors = map[string]Color{
		string(graph.LevelBlank):     {0xd6, 0x45, 0x41},
		string(graph.LevelWeak):      {0xe8, 0xa3, 0x3d},
		string(graph.LevelPotential): {0x3b, 0x82, 0xc4},
		string(graph.LevelStrongest): {0x2e, 0x8b, 0x57},
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

// Layout geometry, in the units ECharts, G6, Cytoscape and Gephi read as pixels.
const (
	colWidth    = 760.0 // a segment's column
	firmX       = 260.0 // where a node's firms start, right of the node
	firmCols    = 4     // firms per row
	firmDX      = 120.0
	firmDY      = 42.0
	blockMin    = 70.0 // the least height of a node's block
	blockGap    = 24.0
	indent      = 28.0 // per depth level
	bandGap     = 200.0
	sideColumns = 3 // columns for regions, parks and unattached firms, left of the chains
)

// layout places nodes: each chain a band, each segment of it a column,
// each chain node a block in tree order with its firms in a grid to its
// right; regions, parks and firms without a node of the scope go in columns
// to the left. Force layouts stall on thousands of nodes; this one is
// linear and readable as it is.
func layout(s *Scope) {
	colOf := map[string]int{} // group → column within its band
	bandOf := map[string]int{}
	var bands []string
	for _, g := range s.Groups {
		if !slices.Contains(bands, g.Chain) {
			bands = append(bands, g.Chain)
		}
		bandOf[g.ID] = slices.Index(bands, g.Chain)
		n := 0
		for _, o := range s.Groups {
			if o.ID == g.ID {
				break
			}
			if o.Chain == g.Chain {
				n++
			}
		}
		colOf[g.ID] = n
	}
	// Attach firms to their node; the rest go to the side.
	attached := map[string][]int{}
	var side [sideColumns][]int
	chainAt := map[string]int{}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		if n.Kind == KindChainNode {
			chainAt[n.Attrs.ChainNode] = i
		}
	}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		switch n.Kind {
		case KindChainNode:
		case KindFirm, KindTarget:
			if _, ok := chainAt[n.Attrs.ChainNode]; ok {
				attached[n.Attrs.ChainNode] = append(attached[n.Attrs.ChainNode], i)
			} else {
				side[2] = append(side[2], i)
			}
		case KindRegion:
			side[0] = append(side[0], i)
		case KindPark, KindChain:
			side[1] = append(side[1], i)
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
	// Walk chain nodes in scope order (tree order), stacking blocks per column.
	colY := map[string]float64{} // group → next y
	bandHeight := make([]float64, len(bands))
	for i := range s.Nodes {
		n := &s.Nodes[i]
		if n.Kind != KindChainNode {
			continue
		}
		band := bandOf[n.Group]
		x0 := float64(colOf[n.Group]) * colWidth
		y := colY[n.Group]
		n.X, n.Y = x0+indent*float64(n.Attrs.Depth.V), y
		firms := attached[n.Attrs.ChainNode]
		rows := (len(firms) + firmCols - 1) / firmCols
		for k, fi := range firms {
			f := &s.Nodes[fi]
			f.X = x0 + firmX + firmDX*float64(k%firmCols)
			f.Y = y + firmDY*float64(k/firmCols)
		}
		h := math.Max(blockMin, firmDY*float64(rows)+blockGap)
		colY[n.Group] = y + h
		bandHeight[band] = math.Max(bandHeight[band], y+h)
	}
	// Offset bands vertically.
	offset := make([]float64, len(bands))
	for i := 1; i < len(bands); i++ {
		offset[i] = offset[i-1] + bandHeight[i-1] + bandGap
	}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		var g string
		switch n.Kind {
		case KindChainNode:
			g = n.Group
		case KindFirm, KindTarget:
			if ci, ok := chainAt[n.Attrs.ChainNode]; ok {
				g = s.Nodes[ci].Group
			}
		}
		if b, ok := bandOf[g]; ok && g != "" {
			n.Y += offset[b]
		}
	}
	// Side columns, left of the bands; a chain node of the whole graph sits
	// at the top of its band.
	for c, idx := range side {
		x := -float64(sideColumns-c) * colWidth / 2
		y := 0.0
		for _, i := range idx {
			n := &s.Nodes[i]
			if n.Kind == KindChain {
				if b := slices.Index(bands, n.Attrs.Chain); b >= 0 {
					n.X, n.Y = -indent*4, offset[b]
					continue
				}
			}
			n.X, n.Y = x, y
			y += firmDY
		}
	}
	for i := range s.Nodes {
		s.Nodes[i].X, s.Nodes[i].Y = round1(s.Nodes[i].X), round1(s.Nodes[i].Y)
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
