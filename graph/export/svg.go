package export

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// FontFamily is the font list of the pictures: common CJK system fonts on
// Linux, macOS and Windows, so Chinese renders without web fonts.
const FontFamily = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimHei',sans-serif"

// Picture geometry.
const (
	svgWidth   = 1600.0
	svgMargin  = 40.0
	svgGutter  = 64.0
	svgTop     = 150.0 // where the columns start
	colHead    = 40.0
	cardHead   = 46.0
	cardPad    = 12.0
	tileH      = 64.0
	bodyH      = 46.0 // the body of a card without sub-nodes
	tileGap    = 10.0
	cardGap    = 22.0
	footerH    = 92.0
	titleSize  = 30.0
	bodySize   = 14.0
	smallSize  = 12.5
	cardRadius = 10.0
)

var (
	inkColor   = "#1f2d3d"
	mutedColor = "#5b6b7f"
	lineColor  = "#d0d7de"
	blankRed   = "#d64541"
)

// svgCard is a top-level node of a column with the tiles of its descendants.
type svgCard struct {
	node   readmodel.MapNode
	tiles  []readmodel.MapNode
	col    int
	x, y   float64
	w, h   float64
	perRow int
	// anchors are the 链主 linked to the card's own node when it has
	// sub-nodes (a group such as 整车制造): drawn on a line under the tiles.
	anchors []string
}

// anchorLineH is the height of a card's 链主 line.
const anchorLineH = 22.0

// WriteChainMapSVG draws a region × chain as a layered picture for a slide:
// one column per segment (上游, 中游, 下游 …), a card per top-level node with
// tiles for its sub-nodes, each coloured by level (空白 outlined in red,
// 薄弱, 潜力, 优势) with its local firm count and anchor (链主) or largest
// firm, supply arrows between cards, a legend, and a footnote on how levels
// are computed. Text uses a list of system CJK fonts, no web font.
func WriteChainMapSVG(w io.Writer, m *readmodel.ChainMap, anchors *readmodel.AnchorList) error {
	anchorOf := anchorsByNode(anchors)
	cols := svgColumns(m)
	ncol := max(1, len(cols))
	colW := (svgWidth - 2*svgMargin - float64(ncol-1)*svgGutter) / float64(ncol)
	cards, rootOf, bottom := layoutCards(m, cols, colW, anchorOf)
	height := bottom + footerH

	e := &errWriter{w: bufio.NewWriter(w)}
	writeSVGHead(e, m, anchors, height)
	writeColumnHeads(e, m, cols, colW)
	// Supply arrows between cards, drawn first so cards sit on top.
	writeArrows(e, m, cards, rootOf)
	for _, c := range cards {
		writeCard(e, c, anchorOf)
	}
	writeFootnote(e, m, bottom)
	e.s("</svg>\n")
	return e.flush()
}

// anchorsByNode lists the anchors (链主) that pass the gate by the nodes
// they cover.
func anchorsByNode(anchors *readmodel.AnchorList) map[graph.NodeID][]string {
	anchorOf := map[graph.NodeID][]string{}
	if anchors == nil {
		return anchorOf
	}
	for _, a := range anchors.Anchors {
		if !a.Gate.Passed {
			continue
		}
		for _, n := range a.Nodes {
			anchorOf[n] = append(anchorOf[n], a.Firm.Name)
		}
	}
	return anchorOf
}

// svgColumns gives the picture's columns: the chain's segments in order,
// then any undeclared ones its nodes name, without the segments that have
// no node.
func svgColumns(m *readmodel.ChainMap) []graph.Segment {
	var segs []graph.Segment
	segAt := map[string]int{}
	for _, sg := range m.Chain.Segments {
		segAt[sg.ID] = len(segs)
		segs = append(segs, sg)
	}
	for _, n := range m.Nodes {
		if _, ok := segAt[n.Node.Segment]; !ok {
			segAt[n.Node.Segment] = len(segs)
			segs = append(segs, graph.Segment{ID: n.Node.Segment, Name: segmentName(m.Chain, n.Node.Segment)})
		}
	}
	used := map[string]bool{}
	for _, n := range m.Nodes {
		used[n.Node.Segment] = true
	}
	var cols []graph.Segment
	for _, sg := range segs {
		if used[sg.ID] {
			cols = append(cols, sg)
		}
	}
	return cols
}

// layoutCards makes a card of each root node with its descendants as
// tiles, in tree order, and stacks the cards in their segment's column. It
// returns the cards, the card of every node, and the lowest card's bottom.
func layoutCards(m *readmodel.ChainMap, cols []graph.Segment, colW float64, anchorOf map[graph.NodeID][]string) ([]*svgCard, map[graph.NodeID]*svgCard, float64) {
	colOf := map[string]int{}
	for i, sg := range cols {
		colOf[sg.ID] = i
	}
	var cards []*svgCard
	rootOf := map[graph.NodeID]*svgCard{}
	for _, n := range m.Nodes {
		if n.Depth == 0 || n.Node.Parent == "" {
			c := &svgCard{node: n, col: colOf[n.Node.Segment]}
			cards = append(cards, c)
			rootOf[n.Node.ID] = c
			continue
		}
		if c, ok := rootOf[n.Node.Parent]; ok {
			c.tiles = append(c.tiles, n)
			rootOf[n.Node.ID] = c
		}
	}
	colY := make([]float64, max(1, len(cols)))
	for i := range colY {
		colY[i] = svgTop + colHead + 16
	}
	for _, c := range cards {
		c.w = colW
		c.x = svgMargin + float64(c.col)*(colW+svgGutter)
		c.y = colY[c.col]
		c.perRow = 1
		if colW >= 380 {
			c.perRow = 2
		}
		rows := (len(c.tiles) + c.perRow - 1) / c.perRow
		if len(c.tiles) == 0 {
			c.h = cardHead + bodyH + cardPad
		} else {
			c.h = cardHead + float64(rows)*(tileH+tileGap) - tileGap + cardPad
			if c.anchors = anchorOf[c.node.Node.ID]; len(c.anchors) > 0 {
				c.h += anchorLineH
			}
		}
		colY[c.col] += c.h + cardGap
	}
	bottom := svgTop + colHead + 16
	for _, y := range colY {
		bottom = math.Max(bottom, y)
	}
	return cards, rootOf, bottom
}

// writeSVGHead writes the document's start (of the given height) and its
// title, summary, plan designation and legend.
func writeSVGHead(e *errWriter, m *readmodel.ChainMap, anchors *readmodel.AnchorList, height float64) {
	e.s(`<?xml version="1.0" encoding="UTF-8"?>`, "\n",
		fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" role="img" aria-label="%s">`,
			formatFloat(svgWidth), formatFloat(height), formatFloat(svgWidth), formatFloat(height), xmlEsc(FontFamily), xmlEsc(m.Region.Name+m.Chain.Name+"产业链图谱")), "\n",
		"<defs>\n",
		`<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3b4a5a"/></marker>`, "\n",
		"</defs>\n",
		fmt.Sprintf(`<rect width="%s" height="%s" fill="#ffffff"/>`, formatFloat(svgWidth), formatFloat(height)), "\n")

	e.s(svgText(svgMargin, 60, titleSize, "700", inkColor, "start", m.Region.Name+" · "+m.Chain.Name+"产业链图谱"))
	summary := fmt.Sprintf("完整度 %.0f%%　·　%d 个末端环节中 %d 个有本地企业　·　优势 %d　潜力 %d　薄弱 %d　空白 %d",
		100*m.Completeness, m.Leaves-m.NoData, m.Present, m.Levels[readmodel.LevelStrongest], m.Levels[readmodel.LevelPotential],
		m.Levels[readmodel.LevelWeak], m.Levels[readmodel.LevelBlank])
	if m.NoData > 0 {
		summary += fmt.Sprintf("　·　另 %d 个环节无数据", m.NoData)
	}
	if anchors != nil {
		n := 0
		for _, a := range anchors.Anchors {
			if a.Gate.Passed {
				n++
			}
		}
		summary += fmt.Sprintf("　·　链主企业 %d 家", n)
	}
	e.s(svgText(svgMargin, 92, 16, "400", mutedColor, "start", summary))
	if len(m.Designations) > 0 {
		d := m.Designations[0]
		line := fmt.Sprintf("规划定位：《%s》将「%s」列为%s", d.PlanTitle, d.Name, roleName(d.Role))
		if len(m.Designations) > 1 {
			line += fmt.Sprintf("（另有 %d 项规划提及）", len(m.Designations)-1)
		}
		e.s(svgText(svgMargin, 120, 14, "400", mutedColor, "start", truncate(line, 14, svgWidth-2*svgMargin-560)))
	}
	writeLegend(e, svgWidth-svgMargin, 56)
}

// writeColumnHeads writes each column's segment name and node count.
func writeColumnHeads(e *errWriter, m *readmodel.ChainMap, cols []graph.Segment, colW float64) {
	for i, sg := range cols {
		x := svgMargin + float64(i)*(colW+svgGutter)
		c := segmentColor(sg.ID).Hex()
		n := 0
		for _, mn := range m.Nodes {
			if mn.Node.Segment == sg.ID {
				n++
			}
		}
		e.s(fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="%s"/>`, formatFloat(x), formatFloat(svgTop), formatFloat(colW), formatFloat(colHead), c), "\n",
			svgText(x+16, svgTop+27, 18, "700", "#ffffff", "start", sg.Name),
			svgText(x+colW-16, svgTop+26, 13, "400", "#ffffff", "end", fmt.Sprintf("%d 个环节", n)))
	}
}

// writeFootnote writes, under the cards, how levels and anchors are
// computed and what the picture shows.
func writeFootnote(e *errWriter, m *readmodel.ChainMap, bottom float64) {
	cfg := m.Config
	fy := bottom + 24
	e.s(fmt.Sprintf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s"/>`, formatFloat(svgMargin), formatFloat(fy-8), formatFloat(svgWidth-svgMargin), formatFloat(fy-8), lineColor), "\n")
	e.s(svgText(svgMargin, fy+14, smallSize, "400", mutedColor, "start",
		fmt.Sprintf("等级：本地无存续企业为空白；其余按规模（区位商、企业数）、上下游配套、企业质量综合评分，≥%s 为优势，≥%s 为潜力，其余为薄弱。企业数为存续企业，含下级环节。",
			formatFloat(cfg.LevelStrong), formatFloat(cfg.LevelPotential))))
	e.s(svgText(svgMargin, fy+36, smallSize, "400", mutedColor, "start",
		"链主：规模、覆盖环节、本地配套与质量综合评分，且营业收入（或注册资本分位）过门槛的本地企业；箭头为环节间的供应关系。"))
	e.s(svgText(svgWidth-svgMargin, fy+58, smallSize, "400", mutedColor, "end",
		fmt.Sprintf("%s（%s）· %s · chainkg 产业链知识图谱", m.Region.Name, m.Region.Code, m.Chain.Name)))
}

func writeLegend(e *errWriter, right, y float64) {
	items := []struct {
		label string
		level readmodel.Level
	}{{"优势", readmodel.LevelStrongest}, {"潜力", readmodel.LevelPotential}, {"薄弱", readmodel.LevelWeak}, {"空白", readmodel.LevelBlank}}
	x := right - 500
	e.s(fmt.Sprintf(`<g class="legend" transform="translate(%s,%s)">`, formatFloat(x), formatFloat(y-16)), "\n")
	cx := 0.0
	for _, it := range items {
		fill, stroke, dash := levelFill(it.level)
		e.s(fmt.Sprintf(`<rect x="%s" y="0" width="26" height="18" rx="4" fill="%s" stroke="%s" stroke-width="1.5"%s/>`, formatFloat(cx), fill, stroke, dash), "\n",
			fmt.Sprintf(`<rect x="%s" y="0" width="5" height="18" rx="2" fill="%s"/>`, formatFloat(cx), stroke), "\n",
			svgText(cx+32, 14, 14, "400", inkColor, "start", it.label))
		cx += 84
	}
	e.s(svgText(cx, 14, 14, "700", anchorColor.Hex(), "start", "★"), svgText(cx+18, 14, 14, "400", inkColor, "start", "链主"))
	cx += 70
	e.s(fmt.Sprintf(`<path d="M%s,9 L%s,9" stroke="#3b4a5a" stroke-width="2" marker-end="url(#arrow)"/>`, formatFloat(cx), formatFloat(cx+34)), "\n",
		svgText(cx+42, 14, 14, "400", inkColor, "start", "供应"))
	e.s("</g>\n")
}

// levelFill gives a level's fill, stroke and dash: a tint of the level's
// colour, or white with a dashed red outline for 空白.
func levelFill(l readmodel.Level) (fill, stroke, dash string) {
	c, ok := levelColors[string(l)]
	if !ok {
		return "#f5f7fa", noLevelColor.Hex(), ""
	}
	if l == readmodel.LevelBlank {
		return "#ffffff", blankRed, ` stroke-dasharray="5 3"`
	}
	return tint(c, 0.14), c.Hex(), ""
}

// tint mixes a colour with white.
func tint(c Color, share float64) string {
	mix := func(v uint8) uint8 { return uint8(math.Round(255 - (255-float64(v))*share)) }
	return Color{mix(c.R), mix(c.G), mix(c.B)}.Hex()
}

func writeCard(e *errWriter, c *svgCard, anchorOf map[graph.NodeID][]string) {
	n := c.node
	e.s(fmt.Sprintf(`<g class="card" data-node="%s">`, xmlEsc(string(n.Node.ID))), "\n",
		fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="#ffffff" stroke="%s" stroke-width="1.2"/>`,
			formatFloat(c.x), formatFloat(c.y), formatFloat(c.w), formatFloat(c.h), formatFloat(cardRadius), lineColor), "\n")
	// Header: name, level pill, count.
	pill := string(n.Level)
	pillW := 44.0
	px := c.x + c.w - cardPad - pillW
	fill, stroke, dash := levelFill(n.Level)
	pillFill, pillText := stroke, "#ffffff"
	if n.Level == readmodel.LevelBlank {
		pillFill, pillText = fill, blankRed
	}
	count := fmt.Sprintf("本地 %d 家", n.Count)
	countW := textWidth(count, smallSize)
	nameMax := c.w - 2*cardPad - pillW - countW - 24
	e.s(fmt.Sprintf(`<title>%s</title>`, xmlEsc(nodeTitle(n, anchorOf[n.Node.ID]))), "\n",
		svgText(c.x+cardPad, c.y+29, 17, "700", inkColor, "start", truncate(n.Node.Name, 17, nameMax)),
		svgText(px-10, c.y+28, smallSize, "400", mutedColor, "end", count),
		fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="22" rx="11" fill="%s" stroke="%s" stroke-width="1.2"%s/>`,
			formatFloat(px), formatFloat(c.y+12), formatFloat(pillW), pillFill, stroke, dash), "\n",
		svgText(px+pillW/2, c.y+28, 13, "700", pillText, "middle", pill))
	if len(c.tiles) == 0 {
		// A top-level node without sub-nodes: one tile for itself.
		writeTile(e, n, anchorOf[n.Node.ID], c.x+cardPad, c.y+cardHead, c.w-2*cardPad, false)
	} else {
		tw := (c.w - 2*cardPad - float64(c.perRow-1)*tileGap) / float64(c.perRow)
		for i, t := range c.tiles {
			tx := c.x + cardPad + float64(i%c.perRow)*(tw+tileGap)
			ty := c.y + cardHead + float64(i/c.perRow)*(tileH+tileGap)
			writeTile(e, t, anchorOf[t.Node.ID], tx, ty, tw, true)
		}
		if len(c.anchors) > 0 {
			e.s(svgText(c.x+cardPad, c.y+c.h-cardPad, smallSize, "700", anchorColor.Hex(), "start",
				truncate(anchorLine(c.anchors), smallSize, c.w-2*cardPad)))
		}
	}
	e.s("</g>\n")
}

// writeTile draws a sub-node's tile; with own false it draws the body of a
// card without sub-nodes, whose header already names the node.
func writeTile(e *errWriter, n readmodel.MapNode, anchors []string, x, y, w float64, own bool) {
	fill, stroke, dash := levelFill(n.Level)
	h, line := tileH, y+21.0
	if own {
		e.s(fmt.Sprintf(`<g class="node level-%s" data-node="%s">`, xmlEsc(string(n.Level)), xmlEsc(string(n.Node.ID))), "\n",
			fmt.Sprintf(`<title>%s</title>`, xmlEsc(nodeTitle(n, anchors))), "\n")
	} else {
		h, line = bodyH, y+3
		e.s(fmt.Sprintf(`<g class="node level-%s">`, xmlEsc(string(n.Level))), "\n")
	}
	e.s(fmt.Sprintf(`<rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="%s" stroke-width="1.4"%s/>`,
		formatFloat(x), formatFloat(y), formatFloat(w), formatFloat(h), fill, stroke, dash), "\n")
	if n.Level != readmodel.LevelBlank {
		e.s(fmt.Sprintf(`<rect x="%s" y="%s" width="5" height="%s" rx="2" fill="%s"/>`, formatFloat(x), formatFloat(y), formatFloat(h), stroke), "\n")
	}
	inner := w - 24
	if own {
		name := n.Node.Name
		if n.Depth > 1 {
			name = "· " + name
		}
		e.s(svgText(x+14, line, bodySize+1, "700", inkColor, "start", truncate(name, bodySize+1, inner)))
	}
	var line2, color2 string
	switch n.Level {
	case readmodel.LevelBlank:
		line2, color2 = "空白 · 无本地企业", blankRed
	case readmodel.LevelNoData:
		// Nothing to score: no firm in the data has this link anywhere.
		line2, color2 = "无数据 · 数据中无此环节企业", mutedColor
	case readmodel.LevelUnsplit:
		line2, color2 = fmt.Sprintf("未细分 · 本地 %d 家", n.Count), mutedColor
	default:
		line2, color2 = fmt.Sprintf("%s · 本地 %d 家 · 评分 %.0f", n.Level, n.Count, n.Score.Total), mutedColor
	}
	e.s(svgText(x+14, line+18, smallSize, "400", color2, "start", truncate(line2, smallSize, inner)))
	switch {
	case len(anchors) > 0:
		e.s(svgText(x+14, line+35, smallSize, "700", anchorColor.Hex(), "start", truncate(anchorLine(anchors), smallSize, inner)))
	case len(n.TopFirms) > 0:
		e.s(svgText(x+14, line+35, smallSize, "400", inkColor, "start", truncate(n.TopFirms[0].Name, smallSize, inner)))
	case n.Level == readmodel.LevelBlank:
		e.s(svgText(x+14, line+35, smallSize, "400", blankRed, "start", truncate(fmt.Sprintf("全国 %d 家可招引", n.National), smallSize, inner)))
	}
	e.s("</g>\n")
}

// anchorLine is the ★ line naming a node's 链主.
func anchorLine(anchors []string) string {
	l := "★ " + anchors[0]
	if len(anchors) > 1 {
		l += fmt.Sprintf(" 等%d家", len(anchors))
	}
	return l
}

// nodeTitle is the hover text of a node.
func nodeTitle(n readmodel.MapNode, anchors []string) string {
	s := fmt.Sprintf("%s：%s，本地企业 %d 家，全国 %d 家，区位商 %.2f，综合评分 %.1f（规模 %.0f、配套 %.0f、质量 %.0f）",
		n.Node.Name, n.Level, n.Count, n.National, n.Score.LQ, n.Score.Total, n.Score.Scale, n.Score.Linkage, n.Score.Quality)
	if len(anchors) > 0 {
		s += "；链主：" + strings.Join(anchors, "、")
	}
	var top []string
	for _, f := range n.TopFirms {
		top = append(top, f.Name)
	}
	if len(top) > 0 {
		s += "；主要企业：" + strings.Join(top, "、")
	}
	return s
}

// writeArrows draws one arrow per pair of cards joined by a declared supply
// edge between any of their nodes.
func writeArrows(e *errWriter, m *readmodel.ChainMap, cards []*svgCard, rootOf map[graph.NodeID]*svgCard) {
	type pair struct{ a, b *svgCard }
	var pairs []pair
	seen := map[pair]bool{}
	for _, n := range m.Nodes {
		from := rootOf[n.Node.ID]
		for _, t := range n.Node.SuppliesTo {
			to := rootOf[t]
			if from == nil || to == nil || from == to {
				continue
			}
			p := pair{from, to}
			if !seen[p] {
				seen[p] = true
				pairs = append(pairs, p)
			}
		}
	}
	// Spread the ends of several arrows on one side of a card.
	type side struct {
		c     *svgCard
		right bool
	}
	ends := map[side]int{}
	slot := func(c *svgCard, right bool) float64 {
		k := side{c, right}
		i := ends[k]
		ends[k]++
		off := []float64{0, -10, 10, -20, 20, -30, 30}[i%7]
		return c.y + cardHead/2 + 4 + off
	}
	e.s(`<g class="supply" fill="none" stroke="#3b4a5a" stroke-width="2" stroke-opacity="0.6">`, "\n")
	for _, p := range pairs {
		a, b := p.a, p.b
		var d string
		switch {
		case b.col > a.col:
			x1, y1 := a.x+a.w, slot(a, true)
			x2, y2 := b.x-2, slot(b, false)
			dx := math.Max(40, (x2-x1)/2)
			d = fmt.Sprintf("M%s,%s C%s,%s %s,%s %s,%s", formatFloat(x1), formatFloat(y1), formatFloat(x1+dx), formatFloat(y1),
				formatFloat(x2-dx), formatFloat(y2), formatFloat(x2), formatFloat(y2))
		case b.col == a.col:
			// Within a column: a bow through the gutter on the right.
			x, y1 := a.x+a.w, slot(a, true)
			y2 := slot(b, true)
			bow := math.Min(svgGutter-14, 24+math.Abs(y2-y1)/12)
			d = fmt.Sprintf("M%s,%s C%s,%s %s,%s %s,%s", formatFloat(x), formatFloat(y1), formatFloat(x+bow), formatFloat(y1),
				formatFloat(x+bow), formatFloat(y2), formatFloat(x+2), formatFloat(y2))
		default:
			// Backwards (回收 → 材料): leave left, come in from the right.
			x1, y1 := a.x, slot(a, false)
			x2, y2 := b.x+b.w+2, slot(b, true)
			d = fmt.Sprintf("M%s,%s C%s,%s %s,%s %s,%s", formatFloat(x1), formatFloat(y1), formatFloat(x1-50), formatFloat(y1),
				formatFloat(x2+50), formatFloat(y2), formatFloat(x2), formatFloat(y2))
			e.s(fmt.Sprintf(`<path d="%s" stroke-dasharray="6 4" marker-end="url(#arrow)"><title>%s 供应 %s</title></path>`, d, xmlEsc(a.node.Node.Name), xmlEsc(b.node.Node.Name)), "\n")
			continue
		}
		e.s(fmt.Sprintf(`<path d="%s" marker-end="url(#arrow)"><title>%s 供应 %s</title></path>`, d, xmlEsc(a.node.Node.Name), xmlEsc(b.node.Node.Name)), "\n")
	}
	e.s("</g>\n")
}

func svgText(x, y, size float64, weight, fill, anchor, text string) string {
	return fmt.Sprintf(`<text x="%s" y="%s" font-size="%s" font-weight="%s" fill="%s" text-anchor="%s">%s</text>`+"\n",
		formatFloat(x), formatFloat(y), formatFloat(size), weight, fill, anchor, xmlEsc(text))
}

// textWidth estimates a text's width: CJK and full-width characters take
// the font size, Latin letters and digits a little over half.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r >= 0x2E80 || unicode.Is(unicode.Han, r):
			w += size
		case r == ' ':
			w += 0.3 * size
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			w += 0.62 * size
		default:
			w += 0.55 * size
		}
	}
	return w
}

// truncate shortens s with an ellipsis to fit width.
func truncate(s string, size, width float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && textWidth(string(rs)+"…", size) > width {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}
