package export

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// maxSheetRows is Excel's row limit less the header.
const maxSheetRows = 1<<20 - 1

// xcol is a spreadsheet column: its Chinese header, width and cell style.
type xcol struct {
	title string
	width float64
	style xstyle
}

type xstyle int

const (
	xText  xstyle = iota
	xWrap         // long text: wrapped, top-aligned
	xInt          // #,##0
	xNum          // 0.0
	xPct          // 0%
	xLevel        // a level word, filled with the level's colour
)

// xsheet is one sheet: a name, the name of its Excel table (filter buttons,
// banded rows), columns and rows.
type xsheet struct {
	name, table string
	cols        []xcol
	rows        [][]any
}

// writeXLSX writes a workbook with Chinese headers. For a region × chain:
// the chain map (one row per node with its level and score components), the
// gaps with severity components and reasons, the anchors, the targets (one
// row per firm with score components, gap nodes, park and reason), the
// local firms, and a sheet explaining formulas, configuration and sources.
// For the other scopes: the nodes and the edges with every attribute.
func writeXLSX(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	var sheets []xsheet
	if s.Kind == ScopeChainMap && s.Map != nil {
		sheets = chainMapSheets(s)
	} else {
		sheets = genericSheets(s)
	}
	for _, sh := range sheets {
		if len(sh.rows) > maxSheetRows {
			return fmt.Errorf("%w: sheet %s would have %d rows, more than Excel holds (%d); use gephi-csv or neo4j-csv",
				graph.ErrInvalid, sh.name, len(sh.rows), maxSheetRows)
		}
	}
	return writeWorkbook(w, &excelize.DocProperties{Creator: "chainkg", Title: s.Title, Description: s.Subtitle, Language: "zh-CN"}, sheets)
}

// writeWorkbook writes sheets, in order, as a workbook with the given
// properties, the first sheet active.
func writeWorkbook(w io.Writer, props *excelize.DocProperties, sheets []xsheet) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetDocProps(props); err != nil {
		return err
	}
	styles, err := newXStyles(f)
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(sh.name); err != nil {
			return err
		}
		if err := writeSheet(f, sh, styles); err != nil {
			return fmt.Errorf("sheet %s: %w", sh.name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

type xstyles struct {
	byStyle map[xstyle]int
	levels  map[string]int
	header  int
}

func newXStyles(f *excelize.File) (*xstyles, error) {
	st := &xstyles{byStyle: map[xstyle]int{}, levels: map[string]int{}}
	defs := map[xstyle]*excelize.Style{
		xText: {Alignment: &excelize.Alignment{Vertical: "top"}},
		xWrap: {Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
		xInt:  {NumFmt: 3, Alignment: &excelize.Alignment{Vertical: "top"}},
		xNum:  {CustomNumFmt: ptr("0.0"), Alignment: &excelize.Alignment{Vertical: "top"}},
		xPct:  {NumFmt: 9, Alignment: &excelize.Alignment{Vertical: "top"}},
	}
	for k, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return nil, err
		}
		st.byStyle[k] = id
	}
	// The header's look is its own cell style, not only the table's, so
	// LibreOffice and WPS (which draw table styles plainly) show it too.
	hid, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true, Color: "#FFFFFF"},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#1F4E79"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border: []excelize.Border{{Type: "left", Color: "#FFFFFF", Style: 1}, {Type: "right", Color: "#FFFFFF", Style: 1},
			{Type: "bottom", Color: "#1F2D3D", Style: 2}},
	})
	if err != nil {
		return nil, err
	}
	st.header = hid
	for level, c := range levelColors {
		id, err := f.NewStyle(&excelize.Style{
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c.Hex()}},
			Font:      &excelize.Font{Bold: true, Color: "#FFFFFF"},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "top"},
		})
		if err != nil {
			return nil, err
		}
		st.levels[level] = id
	}
	return st, nil
}

func ptr[T any](v T) *T { return &v }

func writeSheet(f *excelize.File, sh xsheet, st *xstyles) error {
	// Before the stream writer, which writes the sheet's settings as they
	// are when it starts (set after Flush, they are lost).
	if err := printSetup(f, sh.name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh.name)
	if err != nil {
		return err
	}
	for i, c := range sh.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(sh.cols))
	for i, c := range sh.cols {
		head[i] = excelize.Cell{StyleID: st.header, Value: c.title}
	}
	if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	for r, row := range sh.rows {
		cells := make([]any, len(row))
		for i, v := range row {
			style := st.byStyle[sh.cols[i].style]
			if sh.cols[i].style == xLevel {
				style = st.levels[fmt.Sprint(v)]
			}
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		cell, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if sh.table != "" && len(sh.rows) > 0 {
		end, err := excelize.CoordinatesToCellName(len(sh.cols), len(sh.rows)+1)
		if err != nil {
			return err
		}
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + end, Name: sh.table, StyleName: "TableStyleMedium2", ShowRowStripes: ptr(true)}); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// printSetup makes a sheet print as handed over: A4 landscape, all columns
// on one page width (as many pages down as the rows need), narrow margins,
// and the header row repeated on every page.
func printSetup(f *excelize.File, sheet string) error {
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.4), Right: ptr(0.4), Top: ptr(0.5), Bottom: ptr(0.5), Header: ptr(0.2), Footer: ptr(0.2),
	}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: "&L&A&R第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + sheet + "'!$1:$1", Scope: sheet})
}

// nonZero leaves a cell empty for an unknown figure instead of writing 0.
func nonZero(v float64) any {
	if v == 0 {
		return nil
	}
	return v
}

// chainMapSheets gives the sheets of a chain-map workbook, in order.
func chainMapSheets(s *Scope) []xsheet {
	l := newChainMapLookup(s)
	return []xsheet{mapSheet(s, l), gapsSheet(s, l), anchorsSheet(s, l), targetsSheet(s, l), localFirmsSheet(s, l), notesSheet(s)}
}

// chainMapLookup finds, for the sheets of a chain-map workbook, a node's
// name, a firm's attributes in the scope and a node's gap.
type chainMapLookup struct {
	nodeName map[graph.NodeID]string
	attrs    map[string]*Node
	gapOf    map[graph.NodeID]readmodel.Gap
}

// newChainMapLookup indexes a chain-map scope for its sheets.
func newChainMapLookup(s *Scope) *chainMapLookup {
	l := &chainMapLookup{nodeName: map[graph.NodeID]string{}, attrs: map[string]*Node{}, gapOf: map[graph.NodeID]readmodel.Gap{}}
	for _, n := range s.Map.Nodes {
		l.nodeName[n.Node.ID] = n.Node.Name
	}
	for i := range s.Nodes {
		l.attrs[s.Nodes[i].ID] = &s.Nodes[i]
	}
	for _, g := range s.Gaps.Gaps {
		l.gapOf[g.Node.ID] = g
	}
	return l
}

// names joins the names of nodes (a node without one by its ID).
func (l *chainMapLookup) names(ids []graph.NodeID) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = l.nodeName[id]
		if out[i] == "" {
			out[i] = string(id)
		}
	}
	return strings.Join(out, "、")
}

// firmAttr gives a firm's attributes in the scope, none when it is not in it.
func (l *chainMapLookup) firmAttr(id graph.FirmID) NodeAttrs {
	if n, ok := l.attrs[firmKey(id)]; ok {
		return n.Attrs
	}
	return NodeAttrs{}
}

// nodeLabel names a node of the map by its ID.
func (l *chainMapLookup) nodeLabel(id string) string {
	if n := l.nodeName[graph.NodeID(id)]; n != "" {
		return n
	}
	return id // 未细分
}

// mapSheet is 产业链图谱: one row per node, in tree order.
func mapSheet(s *Scope, l *chainMapLookup) xsheet {
	cm := xsheet{name: "产业链图谱", table: "ChainMap", cols: []xcol{
		{"环节", 22, xText}, {"环节段", 8, xText}, {"层级", 6, xInt}, {"末端环节", 8, xText}, {"等级", 8, xLevel},
		{"本地企业数", 10, xInt}, {"全国企业数", 10, xInt}, {"区位商", 8, xNum},
		{"规模分", 8, xNum}, {"配套分", 8, xNum}, {"质量分", 8, xNum}, {"综合评分", 9, xNum},
		{"本地注册资本(万元)", 16, xInt}, {"本地营业收入(万元)", 16, xInt}, {"质量企业数", 10, xInt},
		{"缺口严重度", 10, xNum}, {"代表企业", 40, xWrap}, {"上游环节", 24, xWrap}, {"下游环节", 24, xWrap}, {"环节ID", 20, xText},
	}}
	for _, n := range s.Map.Nodes {
		var top []string
		for _, f := range n.TopFirms {
			top = append(top, f.Name)
		}
		leaf := "否"
		if n.Leaf {
			leaf = "是"
		}
		var sev any
		if g, ok := l.gapOf[n.Node.ID]; ok {
			sev = g.Severity
		}
		cm.rows = append(cm.rows, []any{
			strings.Repeat("　", n.Depth) + n.Node.Name, segmentName(s.Map.Chain, n.Node.Segment), n.Depth, leaf, string(n.Level),
			n.Count, n.National, n.Score.LQ, n.Score.Scale, n.Score.Linkage, n.Score.Quality, n.Score.Total,
			nonZero(n.Capital), nonZero(n.Revenue), n.Tagged, sev, strings.Join(top, "、"),
			l.names(n.Suppliers), l.names(n.Customers), string(n.Node.ID),
		})
	}
	return cm
}

// gapsSheet is 缺口清单: gaps, most severe first.
func gapsSheet(s *Scope, l *chainMapLookup) xsheet {
	gp := xsheet{name: "缺口清单", table: "Gaps", cols: []xcol{
		{"排名", 6, xInt}, {"环节", 16, xText}, {"环节段", 8, xText}, {"等级", 8, xLevel}, {"本地企业数", 10, xInt},
		{"严重度", 8, xNum}, {"等级分", 8, xNum}, {"依赖分", 8, xNum}, {"对标分", 8, xNum}, {"权重分", 8, xNum},
		{"下游依赖企业数", 14, xInt}, {"下游链主", 30, xWrap}, {"对标较强地区", 24, xWrap}, {"原因", 70, xWrap}, {"环节ID", 20, xText},
	}}
	for i, g := range s.Gaps.Gaps {
		gp.rows = append(gp.rows, []any{
			i + 1, g.Node.Name, segmentName(s.Map.Chain, g.Node.Segment), string(g.Level), g.Count,
			g.Severity, g.Components.Level, g.Components.Dependence, g.Components.Peers, g.Components.Weight,
			g.DownstreamFirms, strings.Join(g.DownstreamAnchors, "、"), strings.Join(regionNames(s, g.PeersStrong), "、"), g.Reason, string(g.Node.ID),
		})
	}
	return gp
}

// anchorsSheet is 链主企业: local firms that pass the gate.
func anchorsSheet(s *Scope, l *chainMapLookup) xsheet {
	an := xsheet{name: "链主企业", table: "Anchors", cols: []xcol{
		{"排名", 6, xInt}, {"企业名称", 30, xText}, {"统一社会信用代码", 22, xText}, {"股票代码", 12, xText}, {"所在地区", 22, xText},
		{"注册资本(万元)", 14, xInt}, {"营业收入(万元)", 14, xInt}, {"企业标签", 24, xWrap}, {"上市", 6, xText},
		{"覆盖环节", 30, xWrap}, {"综合得分", 9, xNum}, {"规模分", 8, xNum}, {"广度分", 8, xNum}, {"配套分", 8, xNum}, {"质量分", 8, xNum},
		{"门槛依据", 14, xText}, {"门槛值", 10, xNum}, {"实际值", 12, xNum}, {"周边配套企业数", 14, xInt},
	}}
	for i, a := range s.Anchors.Anchors {
		listed := "否"
		if a.Listed {
			listed = "是"
		}
		by := map[string]string{"revenue": "营业收入(万元)", "capital_percentile": "注册资本百分位"}[a.Gate.By]
		an.rows = append(an.rows, []any{
			i + 1, a.Firm.Name, creditCode(a.Firm.ID), l.firmAttr(a.Firm.ID).Stocks, l.firmAttr(a.Firm.ID).RegionName, nonZero(a.Firm.Capital), nonZero(a.Firm.Revenue),
			strings.Join(a.Firm.Tags, "、"), listed, l.names(a.Nodes), a.Score, a.Scale, a.Breadth, a.Linkage, a.Quality,
			by, a.Gate.Threshold, a.Gate.Value, a.LinkFirms,
		})
	}
	return an
}

// targetsSheet is 招商目标: one row per firm.
func targetsSheet(s *Scope, l *chainMapLookup) xsheet {
	tg := xsheet{name: "招商目标", table: "Targets", cols: []xcol{
		{"排名", 6, xInt}, {"企业名称", 30, xText}, {"统一社会信用代码", 22, xText}, {"股票代码", 12, xText}, {"所在地区", 22, xText},
		{"注册资本(万元)", 14, xInt}, {"营业收入(万元)", 14, xInt}, {"企业标签", 24, xWrap}, {"登记状态", 9, xText},
		{"可补缺口环节", 24, xWrap}, {"环节", 16, xText}, {"环节段", 8, xText}, {"等级", 8, xLevel},
		{"识别方法", 10, xText}, {"置信度", 8, xNum}, {"数据来源", 26, xWrap}, {"综合得分", 9, xNum}, {"缺口分", 8, xNum}, {"关联分(以商招商)", 14, xNum},
		{"质量分", 8, xNum}, {"规模分", 8, xNum}, {"区位分", 8, xNum}, {"风险分", 8, xNum},
		{"推荐园区", 24, xWrap}, {"推荐理由", 80, xWrap},
	}}
	for i, t := range s.Targets.Targets {
		park := ""
		if t.Park != nil {
			park = t.Park.Name
		}
		c := t.Components
		fa := l.firmAttr(t.Firm.ID)
		tg.rows = append(tg.rows, []any{
			(s.Targets.Page-1)*s.Targets.Size + i + 1, t.Firm.Name, creditCode(t.Firm.ID), fa.Stocks, fa.RegionName,
			nonZero(t.Firm.Capital), nonZero(t.Firm.Revenue), strings.Join(t.Firm.Tags, "、"), statusName(t.Status),
			l.names(t.GapNodes), l.nodeLabel(fa.ChainNode), fa.SegmentName, unknownLabel(fa.Level),
			methodLabel(fa.Method), confidenceCell(fa.Confidence), sourceLabel(s.SourceTitles, fa.DataSource), t.Score, c.Gap, c.Affinity, c.Quality, c.Scale, c.Proximity, c.Risk, park, t.Reason,
		})
	}
	return tg
}

// localFirmsSheet is 本地企业: every local firm of the chain.
func localFirmsSheet(s *Scope, l *chainMapLookup) xsheet {
	lf := xsheet{name: "本地企业", table: "LocalFirms", cols: []xcol{
		{"企业名称", 30, xText}, {"统一社会信用代码", 22, xText}, {"股票代码", 12, xText}, {"所在地区", 22, xText}, {"注册资本(万元)", 14, xInt},
		{"营业收入(万元)", 14, xInt}, {"企业标签", 24, xWrap}, {"环节", 16, xText}, {"环节段", 8, xText}, {"等级", 8, xLevel}, {"识别方法", 10, xText},
		{"置信度", 8, xNum}, {"链主", 6, xText}, {"链主得分", 9, xNum}, {"所在园区", 22, xText}, {"数据来源", 26, xWrap},
	}}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		if n.Kind != KindFirm {
			continue
		}
		a := n.Attrs
		anchor := "否"
		if a.Anchor.V {
			anchor = "是"
		}
		lf.rows = append(lf.rows, []any{
			n.Label, creditCode(graph.FirmID(strings.TrimPrefix(n.ID, "firm:"))), a.Stocks, a.RegionName, nonZero(a.Capital.V), nonZero(a.Revenue.V),
			strings.ReplaceAll(a.Tags, "; ", "、"), l.nodeLabel(a.ChainNode), a.SegmentName, unknownLabel(a.Level), methodLabel(a.Method), confidenceCell(a.Confidence),
			anchor, a.Score.V, a.Park, sourceLabel(s.SourceTitles, a.DataSource),
		})
	}
	return lf
}

func statusName(s graph.FirmStatus) string {
	switch s {
	case graph.StatusActive, "":
		return "存续"
	case graph.StatusCancelled:
		return "注销"
	case graph.StatusRevoked:
		return "吊销"
	case graph.StatusMovedOut:
		return "迁出"
	}
	return "其他"
}

// regionNames names regions by the scope's own answers (the gap list's peers).
func regionNames(s *Scope, codes []graph.RegionCode) []string {
	byCode := map[graph.RegionCode]string{}
	for _, p := range s.Gaps.Peers {
		byCode[p.Code] = p.Name
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = byCode[c]
		if out[i] == "" {
			out[i] = string(c)
		}
	}
	return out
}

// notesSheet explains the workbook: what it is, the formulas, the
// configuration used, and where the data come from.
func notesSheet(s *Scope) xsheet {
	sh := xsheet{name: "说明", cols: []xcol{{"项目", 18, xText}, {"内容", 120, xWrap}}}
	add := func(k, v string) { sh.rows = append(sh.rows, []any{k, v}) }
	add("标题", s.Title)
	add("概要", s.Subtitle)
	if m := s.Map; m != nil {
		add("地区", m.Region.Name+"（"+string(m.Region.Code)+"）")
		add("产业链", m.Chain.Name+"（"+string(m.Chain.ID)+"）")
		for _, d := range m.Designations {
			add("规划定位", fmt.Sprintf("《%s》：%s（%s）；依据：%s", d.PlanTitle, d.Name, roleName(d.Role), d.Evidence))
		}
		add("等级算法", readmodel.LevelFormulaZH)
	}
	if s.Gaps != nil {
		add("缺口算法", readmodel.GapFormulaZH)
	}
	if s.Anchors != nil {
		add("链主算法", readmodel.AnchorFormulaZH)
	}
	if s.Targets != nil {
		add("招商目标算法", readmodel.TargetFormulaZH)
		add("招商目标", fmt.Sprintf("符合条件的企业共 %d 家，本表列出第 %d 页的 %d 家", s.Targets.Total, s.Targets.Page, len(s.Targets.Targets)))
	}
	if s.Map != nil {
		var cfg []string
		for _, name := range graph.ConfigNames() {
			cfg = append(cfg, fmt.Sprintf("%s=%s", name, formatFloat(s.Map.Config.Values()[name])))
		}
		add("参数", strings.Join(cfg, "，"))
	}
	var sources []string
	seen := map[string]bool{}
	for i := range s.Nodes {
		for _, src := range strings.Split(s.Nodes[i].Attrs.DataSource, "; ") {
			if src != "" && !seen[src] {
				seen[src] = true
				sources = append(sources, src)
			}
		}
	}
	add("数据来源", strings.Join(sources, "；"))
	add("生成工具", "chainkg（产业链知识图谱）；企业数为存续企业，含下级环节的企业")
	return sh
}

func roleName(r graph.IndustryRole) string {
	switch r {
	case graph.RolePillar:
		return "主导/支柱产业"
	case graph.RoleKey:
		return "重点产业"
	case graph.RoleEmerging:
		return "战略性新兴产业"
	case graph.RoleFuture:
		return "未来产业"
	case graph.RoleTraditional:
		return "传统优势产业"
	case graph.RoleAdvantage:
		return "优势产业"
	}
	return string(r)
}

// genericSheets lists nodes and edges with every attribute.
func genericSheets(s *Scope) []xsheet {
	nodes := xsheet{name: "节点", table: "Nodes", cols: []xcol{{"ID", 28, xText}, {"名称", 28, xText}}}
	for _, c := range nodeColumns {
		nodes.cols = append(nodes.cols, xcol{c.Title, colWidth2(c.Title, c.Key == "reason"), xstyleOf(c.Type, c.Key == "reason")})
	}
	label := map[string]string{}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		label[n.ID] = n.Label
		row := []any{n.ID, n.Label}
		for _, c := range nodeColumns {
			row = append(row, labelled(s, c.Key, cellValue(c.Type, c.get, n)))
		}
		nodes.rows = append(nodes.rows, row)
	}
	edges := xsheet{name: "关系", table: "Edges", cols: []xcol{{"ID", 8, xText}, {"起点", 28, xText}, {"起点名称", 28, xText}, {"终点", 28, xText}, {"终点名称", 28, xText}}}
	for _, c := range edgeColumns {
		if c.Key != "label" { // 关系类型 is written as its label
			edges.cols = append(edges.cols, xcol{c.Title, colWidth2(c.Title, false), xstyleOf(c.Type, false)})
		}
	}
	for i := range s.Edges {
		e := &s.Edges[i]
		row := []any{e.ID, e.From, label[e.From], e.To, label[e.To]}
		for _, c := range edgeColumns {
			if c.Key == "label" {
				continue
			}
			v := cellValue(c.Type, c.get, e)
			if c.Key == "kind" {
				v = e.Label()
			}
			row = append(row, labelled(s, c.Key, v))
		}
		edges.rows = append(edges.rows, row)
	}
	return []xsheet{nodes, edges, notesSheet(s)}
}

// labelled gives a code cell its Chinese label.
func labelled(s *Scope, key string, v any) any {
	str, ok := v.(string)
	if !ok {
		return v
	}
	switch key {
	case "kind":
		if l, ok := kindLabels[NodeKind(str)]; ok {
			return l
		}
	case "method":
		return methodLabel(str)
	case "data_source":
		return sourceLabel(s.SourceTitles, str)
	case "status":
		return statusName(graph.FirmStatus(str))
	case "level":
		return unknownLabel(str)
	}
	return str
}

// confidenceCell is a confidence as a number, or 未知.
func confidenceCell(c Opt[float64]) any {
	if !c.OK || c.V != c.V {
		return "未知"
	}
	return c.V
}

func colWidth2(title string, wide bool) float64 {
	if wide {
		return 60
	}
	return float64(max(10, 2*len([]rune(title))+2))
}

func xstyleOf(t attrType, wrap bool) xstyle {
	switch {
	case wrap:
		return xWrap
	case t == typeInt:
		return xInt
	case t == typeDouble:
		return xNum
	}
	return xText
}

// cellValue gives a spreadsheet a number as a number and leaves absent values empty.
func cellValue[T any](t attrType, get func(*T) (string, bool), v *T) any {
	s, ok := get(v)
	if !ok {
		return nil
	}
	switch t {
	case typeInt, typeDouble:
		if s == "NaN" {
			return "未知"
		}
		var f float64
		if _, err := fmt.Sscan(s, &f); err == nil {
			return f
		}
	case typeBool:
		if s == "true" {
			return "是"
		}
		return "否"
	}
	return s
}
