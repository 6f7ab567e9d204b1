package export

import (
	"strconv"
)

// This file declares the attributes every format writes, once: their keys,
// their Chinese titles (spreadsheet and CSV headers) and their types. Every
// encoder walks these tables, so a new attribute appears in all formats.

// attrType is an attribute's type; encoders map it to their own type names.
type attrType int

const (
	typeString attrType = iota
	typeInt
	typeDouble
	typeBool
)

// column is one declared attribute.
type column[T any] struct {
	Key   string // the attribute's name in every format
	Title string // its Chinese title
	Type  attrType
	get   func(*T) (string, bool) // the value as text in its type's canonical form
}

func str[T any](f func(*T) string) func(*T) (string, bool) {
	return func(v *T) (string, bool) { s := f(v); return s, s != "" }
}

func optInt[T any](f func(*T) Opt[int]) func(*T) (string, bool) {
	return func(v *T) (string, bool) { o := f(v); return strconv.Itoa(o.V), o.OK }
}

func optFloat[T any](f func(*T) Opt[float64]) func(*T) (string, bool) {
	return func(v *T) (string, bool) { o := f(v); return formatFloat(o.V), o.OK }
}

func optBool[T any](f func(*T) Opt[bool]) func(*T) (string, bool) {
	return func(v *T) (string, bool) { o := f(v); return strconv.FormatBool(o.V), o.OK }
}

// formatFloat writes a number with at most four decimals, no exponent, and
// no trailing zeros, so files stay stable and readable.
func formatFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 4, 64)
	for len(s) > 1 && s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// nodeColumns are the node attributes, in the order formats write them.
var nodeColumns = []column[Node]{
	{"kind", "类型", typeString, str(func(n *Node) string { return string(n.Kind) })},
	{"level", "等级", typeString, str(func(n *Node) string { return n.Attrs.Level })},
	{"segment", "环节段", typeString, str(func(n *Node) string { return n.Attrs.Segment })},
	{"segment_name", "环节段名称", typeString, str(func(n *Node) string { return n.Attrs.SegmentName })},
	{"chain", "产业链", typeString, str(func(n *Node) string { return n.Attrs.Chain })},
	{"chain_node", "环节", typeString, str(func(n *Node) string { return n.Attrs.ChainNode })},
	{"depth", "层级", typeInt, optInt(func(n *Node) Opt[int] { return n.Attrs.Depth })},
	{"region", "地区代码", typeString, str(func(n *Node) string { return n.Attrs.Region })},
	{"region_name", "地区", typeString, str(func(n *Node) string { return n.Attrs.RegionName })},
	{"local_firms", "本地企业数", typeInt, optInt(func(n *Node) Opt[int] { return n.Attrs.LocalFirms })},
	{"national_firms", "全国企业数", typeInt, optInt(func(n *Node) Opt[int] { return n.Attrs.NationalFirms })},
	{"score", "评分", typeDouble, optFloat(func(n *Node) Opt[float64] { return n.Attrs.Score })},
	{"severity", "缺口严重度", typeDouble, optFloat(func(n *Node) Opt[float64] { return n.Attrs.Severity })},
	{"gap", "是否缺口", typeBool, optBool(func(n *Node) Opt[bool] { return n.Attrs.Gap })},
	{"anchor", "是否链主", typeBool, optBool(func(n *Node) Opt[bool] { return n.Attrs.Anchor })},
	{"capital_wan", "注册资本(万元)", typeDouble, optFloat(func(n *Node) Opt[float64] { return n.Attrs.Capital })},
	{"revenue_wan", "营业收入(万元)", typeDouble, optFloat(func(n *Node) Opt[float64] { return n.Attrs.Revenue })},
	{"tags", "企业标签", typeString, str(func(n *Node) string { return n.Attrs.Tags })},
	{"stocks", "股票代码", typeString, str(func(n *Node) string { return n.Attrs.Stocks })},
	{"status", "登记状态", typeString, str(func(n *Node) string { return n.Attrs.Status })},
	{"confidence", "置信度", typeDouble, optFloat(func(n *Node) Opt[float64] { return n.Attrs.Confidence })},
	{"method", "识别方法", typeString, str(func(n *Node) string { return n.Attrs.Method })},
	{"data_source", "数据来源", typeString, str(func(n *Node) string { return n.Attrs.DataSource })},
	{"park", "园区", typeString, str(func(n *Node) string { return n.Attrs.Park })},
	{"reason", "说明", typeString, str(func(n *Node) string { return n.Attrs.Reason })},
}

// edgeColumns are the edge attributes. Weight is written by each format in
// its own place (GEXF's weight, Gephi's Weight column …) as well.
var edgeColumns = []column[Edge]{
	{"kind", "关系类型", typeString, str(func(e *Edge) string { return string(e.Kind) })},
	{"label", "关系", typeString, str(func(e *Edge) string { return e.Label() })},
	{"weight", "权重", typeDouble, func(e *Edge) (string, bool) { return formatFloat(e.Attrs.Weight), true }},
	{"level", "等级", typeString, str(func(e *Edge) string { return e.Attrs.Level })},
	{"segment", "环节段", typeString, str(func(e *Edge) string { return e.Attrs.Segment })},
	{"chain_node", "环节", typeString, str(func(e *Edge) string { return e.Attrs.ChainNode })},
	{"confidence", "置信度", typeDouble, optFloat(func(e *Edge) Opt[float64] { return e.Attrs.Confidence })},
	{"method", "识别方法", typeString, str(func(e *Edge) string { return e.Attrs.Method })},
	{"data_source", "数据来源", typeString, str(func(e *Edge) string { return e.Attrs.DataSource })},
}
