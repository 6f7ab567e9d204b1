package export

import (
	"context"
	"io"

	gojson "github.com/goccy/go-json"
)

type echartsOption struct {
	Title     echartsTitle    `json:"title"`
	Tooltip   echartsTooltip  `json:"tooltip"`
	Legend    []echartsLegend `json:"legend"`
	Animation bool            `json:"animation"`
	Series    []echartsSeries `json:"series"`
}

type echartsTitle struct {
	Text    string `json:"text"`
	Subtext string `json:"subtext"`
	Left    string `json:"left"`
}

type echartsTooltip struct {
	Show bool `json:"show"`
}

type echartsLegend struct {
	Data []string `json:"data"`
	Top  string   `json:"top"`
}

type echartsLabel struct {
	Show     bool   `json:"show"`
	Position string `json:"position,omitempty"`
	FontSize int    `json:"fontSize,omitempty"`
}

type echartsSeries struct {
	Type           string            `json:"type"`
	Layout         string            `json:"layout"`
	Roam           bool              `json:"roam"`
	Label          echartsLabel      `json:"label"`
	LabelLayout    map[string]bool   `json:"labelLayout"`
	EdgeSymbol     []string          `json:"edgeSymbol"`
	EdgeSymbolSize []int             `json:"edgeSymbolSize"`
	LineStyle      echartsLineStyle  `json:"lineStyle"`
	Emphasis       map[string]string `json:"emphasis"`
	Categories     []echartsCategory `json:"categories"`
	Data           []echartsNode     `json:"data"`
	Links          []echartsLink     `json:"links"`
}

type echartsLineStyle struct {
	Color     string  `json:"color,omitempty"`
	Opacity   float64 `json:"opacity,omitempty"`
	Curveness float64 `json:"curveness"`
	Type      string  `json:"type,omitempty"`
}

type echartsItemStyle struct {
	Color       string  `json:"color"`
	BorderColor string  `json:"borderColor,omitempty"`
	BorderWidth float64 `json:"borderWidth,omitempty"`
}

type echartsCategory struct {
	Name      string           `json:"name"`
	ItemStyle echartsItemStyle `json:"itemStyle"`
}

type echartsNode struct {
	ID         string           `json:"id"`
	Name       string           `json:"name"`
	X          float64          `json:"x"`
	Y          float64          `json:"y"`
	Category   int              `json:"category"`
	Symbol     string           `json:"symbol"`
	SymbolSize any              `json:"symbolSize"`
	Value      float64          `json:"value"`
	ItemStyle  echartsItemStyle `json:"itemStyle"`
	Label      *echartsLabel    `json:"label,omitempty"`
	Attrs      map[string]any   `json:"attrs"`
}

type echartsLink struct {
	Source    string           `json:"source"`
	Target    string           `json:"target"`
	Value     float64          `json:"value"`
	LineStyle echartsLineStyle `json:"lineStyle"`
	Attrs     map[string]any   `json:"attrs"`
}

// writeECharts writes an ECharts option for a graph series: layout "none"
// with the scope's x/y (force layouts stall beyond about a thousand nodes),
// one category per level or segment and per kind of firm for the legend,
// and every attribute under each item's attrs for tooltips and filters.
func writeECharts(_ context.Context, w io.Writer, s *Scope, _ Quads) error {
	cats := categories(s)
	catAt := map[string]int{}
	opt := echartsOption{
		Title:   echartsTitle{Text: s.Title, Subtext: s.Subtitle, Left: "center"},
		Tooltip: echartsTooltip{Show: true},
		Series: []echartsSeries{{
			Type: "graph", Layout: "none", Roam: true,
			Label:          echartsLabel{Show: true, Position: "bottom", FontSize: 11}, // under the node, where the layout leaves room
			LabelLayout:    map[string]bool{"hideOverlap": true},
			EdgeSymbol:     []string{"none", "arrow"},
			EdgeSymbolSize: []int{0, 6},
			LineStyle:      echartsLineStyle{Color: "source", Opacity: 0.5, Curveness: 0.1},
			Emphasis:       map[string]string{"focus": "adjacency"},
			Data:           make([]echartsNode, 0, len(s.Nodes)),
			Links:          make([]echartsLink, 0, len(s.Edges)),
		}},
	}
	legend := echartsLegend{Top: "bottom"}
	for i, c := range cats {
		catAt[c.name] = i
		opt.Series[0].Categories = append(opt.Series[0].Categories, echartsCategory{Name: c.name, ItemStyle: echartsItemStyle{Color: c.color.Hex()}})
		legend.Data = append(legend.Data, c.name)
	}
	opt.Legend = []echartsLegend{legend}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		item := echartsNode{ID: n.ID, Name: n.Label, X: n.X, Y: n.Y, Category: catAt[categoryOf(s, n).name],
			Symbol: "circle", SymbolSize: n.Size, ItemStyle: echartsItemStyle{Color: n.Color.Hex()}, Attrs: nodeData(n)}
		switch n.Kind {
		case KindChainNode, KindChain:
			item.Symbol = "roundRect"
			item.SymbolSize = []float64{nodeBoxWidth(n.Label), nodeBoxH}
			item.Label = &echartsLabel{Show: true, Position: "inside", FontSize: 12}
			item.Value = float64(n.Attrs.LocalFirms.V)
		case KindTarget:
			item.Symbol = "diamond"
			item.Value = n.Attrs.Score.V
		default:
			item.Value = n.Attrs.Capital.V
			if !n.Attrs.Anchor.V {
				item.Label = &echartsLabel{Show: false}
			}
		}
		if n.Attrs.Level == "空白" {
			item.ItemStyle.BorderColor, item.ItemStyle.BorderWidth = "#8b1e1b", 2
		}
		opt.Series[0].Data = append(opt.Series[0].Data, item)
	}
	for i := range s.Edges {
		ed := &s.Edges[i]
		ls := echartsLineStyle{Curveness: 0.1}
		if ed.Kind == EdgeContains || ed.Kind == EdgeFillsGap {
			ls.Type = "dashed"
		}
		opt.Series[0].Links = append(opt.Series[0].Links, echartsLink{Source: ed.From, Target: ed.To, Value: ed.Attrs.Weight, LineStyle: ls, Attrs: edgeData(ed)})
	}
	enc := gojson.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(opt)
}

type category struct {
	name  string
	color Color
}

// categoryOf names the legend entry of a node: its level or segment for a
// chain node, its role for a firm.
func categoryOf(s *Scope, n *Node) category {
	switch n.Kind {
	case KindChainNode:
		if s.ColorBy == ColorByLevel {
			if n.Attrs.Level == "" || n.Attrs.Level == Unknown {
				return category{"环节", noLevelColor}
			}
			return category{n.Attrs.Level + "环节", n.Color}
		}
		name := n.Attrs.SegmentName
		if name == "" {
			name = "未分段"
		}
		return category{name, n.Color}
	case KindTarget:
		return category{"招商目标", targetColor}
	case KindFirm:
		if n.Attrs.Anchor.V {
			return category{"链主企业", anchorColor}
		}
		if s.Kind == ScopeChainMap {
			return category{"本地企业", firmColor}
		}
		return category{"企业", n.Color}
	case KindChain:
		return category{"产业链", chainColor}
	case KindPark:
		return category{"园区", parkColor}
	default:
		return category{"地区", regionColor}
	}
}

// categories lists the categories the scope uses: levels strongest first,
// then segments, then kinds of firm and the rest.
func categories(s *Scope) []category {
	used := map[string]category{}
	for i := range s.Nodes {
		c := categoryOf(s, &s.Nodes[i])
		if _, ok := used[c.name]; !ok {
			used[c.name] = c
		}
	}
	var order []string
	for _, l := range []string{"优势", "潜力", "薄弱", "空白"} {
		order = append(order, l+"环节")
	}
	order = append(order, "环节")
	for _, g := range s.Groups {
		order = append(order, g.Label)
	}
	order = append(order, "未分段", "本地企业", "企业", "链主企业", "招商目标", "产业链", "园区", "地区")
	var out []category
	for _, name := range order {
		if c, ok := used[name]; ok {
			out = append(out, c)
			delete(used, name)
		}
	}
	return out
}
