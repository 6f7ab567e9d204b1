package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph/export"
)

// filterKeys are the attributes users filter on: every node and every edge
// of every export carries each, with a value or an explicit unknown.
var filterKeys = []string{"level", "segment", "chain_node", "confidence", "method", "data_source"}

// records reads back the attribute maps of an export's nodes and edges by
// the format's own structure; ok is false for formats without per-element
// attributes (the RDF formats, the picture), which other tests read.
// A JSON null is returned as "null": present and explicitly unknown.
func records(t *testing.T, name string, b []byte) (nodes, edges []map[string]string, ok bool) {
	t.Helper()
	switch {
	case strings.HasPrefix(name, "gexf"):
		d := xml.NewDecoder(bytes.NewReader(b))
		var cur map[string]string
		var inEdges bool
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			se, isStart := tok.(xml.StartElement)
			if !isStart {
				continue
			}
			switch se.Name.Local {
			case "edges":
				inEdges = true
			case "node", "edge":
				cur = map[string]string{}
				if se.Name.Local == "node" && !inEdges {
					nodes = append(nodes, cur)
				} else {
					edges = append(edges, cur)
				}
			case "attvalue":
				var k, v string
				for _, a := range se.Attr {
					switch a.Name.Local {
					case "for":
						k = a.Value
					case "value":
						v = a.Value
					}
				}
				cur[k] = v
			}
		}
		return nodes, edges, true
	case name == "graphml":
		var doc struct {
			Keys []struct {
				ID   string `xml:"id,attr"`
				Name string `xml:"attr.name,attr"`
			} `xml:"key"`
			Graph struct {
				Nodes []struct {
					Data []struct {
						Key string `xml:"key,attr"`
						V   string `xml:",chardata"`
					} `xml:"data"`
				} `xml:"node"`
				Edges []struct {
					Data []struct {
						Key string `xml:"key,attr"`
						V   string `xml:",chardata"`
					} `xml:"data"`
				} `xml:"edge"`
			} `xml:"graph"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		names := map[string]string{}
		for _, k := range doc.Keys {
			names[k.ID] = k.Name
		}
		for _, n := range doc.Graph.Nodes {
			m := map[string]string{}
			for _, d := range n.Data {
				m[names[d.Key]] = d.V
			}
			nodes = append(nodes, m)
		}
		for _, e := range doc.Graph.Edges {
			m := map[string]string{}
			for _, d := range e.Data {
				m[names[d.Key]] = d.V
			}
			edges = append(edges, m)
		}
		return nodes, edges, true
	case name == "cyjs":
		var d struct {
			Elements struct {
				Nodes []struct {
					Data    map[string]any `json:"data"`
					Classes string         `json:"classes"`
				} `json:"nodes"`
				Edges []struct {
					Data map[string]any `json:"data"`
				} `json:"edges"`
			} `json:"elements"`
		}
		mustJSON(t, b, &d)
		for _, n := range d.Elements.Nodes {
			if n.Data["kind"] != "segment" {
				nodes = append(nodes, textMap(n.Data))
			}
		}
		for _, e := range d.Elements.Edges {
			edges = append(edges, textMap(e.Data))
		}
		return nodes, edges, true
	case name == "echarts":
		var d struct {
			Series []struct {
				Data []struct {
					Attrs map[string]any `json:"attrs"`
				} `json:"data"`
				Links []struct {
					Attrs map[string]any `json:"attrs"`
				} `json:"links"`
			} `json:"series"`
		}
		mustJSON(t, b, &d)
		for _, n := range d.Series[0].Data {
			nodes = append(nodes, textMap(n.Attrs))
		}
		for _, e := range d.Series[0].Links {
			edges = append(edges, textMap(e.Attrs))
		}
		return nodes, edges, true
	case name == "g6":
		var d struct {
			Nodes []struct {
				Data map[string]any `json:"data"`
			} `json:"nodes"`
			Edges []struct {
				Data map[string]any `json:"data"`
			} `json:"edges"`
		}
		mustJSON(t, b, &d)
		for _, n := range d.Nodes {
			nodes = append(nodes, textMap(n.Data))
		}
		for _, e := range d.Edges {
			edges = append(edges, textMap(e.Data))
		}
		return nodes, edges, true
	case name == "json":
		var d struct {
			Nodes []struct {
				Attrs map[string]any `json:"attrs"`
			} `json:"nodes"`
			Edges []struct {
				Attrs map[string]any `json:"attrs"`
			} `json:"edges"`
		}
		mustJSON(t, b, &d)
		for _, n := range d.Nodes {
			nodes = append(nodes, textMap(n.Attrs))
		}
		for _, e := range d.Edges {
			edges = append(edges, textMap(e.Attrs))
		}
		return nodes, edges, true
	case name == "dot":
		attr := regexp.MustCompile(`([a-z_]+)="((?:[^"\\]|\\.)*)"`)
		for _, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if strings.Contains(l, "[style=invis]") {
				continue // the rank spine: layout, not graph
			}
			isEdge := strings.Contains(l, " -> ")
			if !isEdge && !(strings.HasPrefix(l, `"`) && strings.Contains(l, "[label=")) {
				continue
			}
			m := map[string]string{}
			for _, sm := range attr.FindAllStringSubmatch(l, -1) {
				m[sm[1]] = sm[2]
			}
			if isEdge {
				edges = append(edges, m)
			} else {
				nodes = append(nodes, m)
			}
		}
		return nodes, edges, true
	case name == "gephi-csv" || name == "neo4j-csv":
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range z.File {
			if !strings.HasSuffix(f.Name, ".csv") {
				continue
			}
			r, _ := f.Open()
			rows, err := csv.NewReader(r).ReadAll()
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			var out []map[string]string
			for _, row := range rows[1:] {
				m := map[string]string{}
				for i, h := range rows[0] {
					h, _, _ = strings.Cut(h, ":")
					if row[i] != "" {
						m[h] = row[i]
					}
				}
				out = append(out, m)
			}
			if f.Name == "nodes.csv" {
				nodes = out
			} else {
				edges = out
			}
		}
		return nodes, edges, true
	case name == "xlsx":
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		// The generic workbook's node and edge sheets, titled in Chinese.
		title := map[string]string{"等级": "level", "环节段": "segment", "环节": "chain_node", "置信度": "confidence", "识别方法": "method", "数据来源": "data_source"}
		sheet := func(name string) []map[string]string {
			rows, err := f.GetRows(name)
			if err != nil {
				return nil
			}
			var out []map[string]string
			for _, row := range rows[1:] {
				m := map[string]string{}
				for i, h := range rows[0] {
					if k, ok := title[h]; ok && i < len(row) && row[i] != "" {
						m[k] = row[i]
					}
				}
				out = append(out, m)
			}
			return out
		}
		if slicesContains(f.GetSheetList(), "节点") {
			return sheet("节点"), sheet("关系"), true
		}
		// The region × chain workbook: its firm sheets carry them.
		return append(sheet("本地企业"), sheet("招商目标")...), nil, true
	}
	return nil, nil, false
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func textMap(m map[string]any) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v == nil {
			out[k] = "null"
			continue
		}
		out[k] = fmt.Sprint(v)
	}
	return out
}

// TestFilterFieldsEverywhere checks that every node and edge of every
// format of every scope carries level, segment, chain node, confidence,
// method and source, each a value or an explicit unknown (未细分, unknown,
// NaN, JSON null, 未知), so a filter on any of them drops nothing silently.
func TestFilterFieldsEverywhere(t *testing.T) {
	st, sc := scopes(t)
	for scope, s := range sc {
		wn, _ := s.Counts()
		for _, f := range exportFormatsFor(s) {
			nodes, edges, ok := records(t, f.Name, encode(t, st, f, s))
			if !ok {
				continue
			}
			if f.Name != "xlsx" && len(nodes) != wn {
				t.Errorf("%s of %s: read %d nodes, the scope has %d", f.Name, scope, len(nodes), wn)
			}
			if len(nodes) == 0 {
				t.Errorf("%s of %s: no nodes read", f.Name, scope)
			}
			for what, recs := range map[string][]map[string]string{"node": nodes, "edge": edges} {
				missing := map[string]int{}
				for _, r := range recs {
					for _, k := range filterKeys {
						if r[k] == "" {
							missing[k]++
						}
					}
				}
				if len(missing) > 0 {
					t.Errorf("%s of %s: %ss without a value: %v (of %d)", f.Name, scope, what, missing, len(recs))
				}
			}
		}
	}
}

// TestGroupOnlyTargetsPlaced checks that a target linked only to a group
// node above its gap (a firm in 关键零部件 filling 热管理) carries that group
// as its chain node, its segment, and the confidence and method of that
// link, and that its fills_gap edges carry the link's source.
func TestGroupOnlyTargetsPlaced(t *testing.T) {
	st := nevStore(t)
	s := nevChainMap(t, st)
	found := 0
	for _, n := range s.Nodes {
		if n.Kind != "target" {
			continue
		}
		a := n.Attrs
		if a.ChainNode == "未细分" || a.Segment == "未细分" || !a.Confidence.OK || a.Confidence.V != a.Confidence.V || a.Method == "unknown" {
			t.Errorf("target %s: chain node %q, segment %q, confidence %v, method %q", n.Label, a.ChainNode, a.Segment, a.Confidence, a.Method)
		}
		found++
	}
	if found == 0 {
		t.Fatal("no targets")
	}
	for _, e := range s.Edges {
		if e.Kind == "fills_gap" && (e.Attrs.DataSource == "unknown" || e.Attrs.Confidence.V != e.Attrs.Confidence.V) {
			t.Errorf("fills_gap %s → %s: source %q, confidence %v", e.From, e.To, e.Attrs.DataSource, e.Attrs.Confidence)
		}
	}
}

// TestAnchorStarInGroup checks that the picture draws the star of a 链主
// linked only to a group node (整车制造, drawn as a card of tiles).
func TestAnchorStarInGroup(t *testing.T) {
	st := nevStore(t)
	s := nevChainMap(t, st)
	var anchored bool
	for _, a := range s.Anchors.Anchors {
		if a.Firm.Name == "烟台整车集团有限公司" {
			anchored = true
		}
	}
	if !anchored {
		t.Fatalf("烟台整车集团 is not a 链主: %+v", s.Anchors.Anchors)
	}
	svg, _ := export.Lookup("svg")
	b := encode(t, st, svg, s)
	if !strings.Contains(string(b), "★ 烟台整车集团有限公司") {
		t.Error("the picture draws no star for the 链主 of 整车制造")
	}
}
