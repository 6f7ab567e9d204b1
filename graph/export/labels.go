package export

import (
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// This file gives the codes exports carry their Chinese labels, for the
// spreadsheet a 招商 team reads: node and edge kinds, link methods, sources.

var kindLabels = map[NodeKind]string{
	KindChainNode: "环节", KindFirm: "企业", KindTarget: "招商目标", KindChain: "产业链", KindPark: "园区", KindRegion: "地区",
}

// methodLabels name how a link or a fact was made.
var methodLabels = map[string]string{
	"keyword": "关键词匹配", "name": "企业名称匹配", "code": "行业代码对照", "override": "人工校正",
	"library": "产业链库", "declared": "产业链库声明", "inherited": "上级环节的供应关系", "reference": "参考表",
	"registry": "企业登记", "column": "登记地区字段", "address": "地址解析", "creditcode": "信用代码地区段",
	"listing": "上市公司表", "manual": "人工", Unknown: "未知",
}

// sourceKindLabels name a source by the kind its id starts with.
var sourceKindLabels = map[string]string{
	"registry": "企业登记数据", "chains": "产业链库", "override": "人工校正", "reference": "参考表", "plans": "规划文件", "plan": "规划文件",
}

func kindLabel(k NodeKind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// methodLabel labels a method, or each of a "; "-list; an unlabelled code
// stays as it is rather than guessed at.
func methodLabel(m string) string {
	parts := strings.Split(m, "; ")
	for i, p := range parts {
		if l, ok := methodLabels[p]; ok {
			parts[i] = l
		}
	}
	return strings.Join(parts, "、")
}

// sourceLabel names each source of a "; "-list by its title, else by its
// kind, with its id in brackets so it can be found again.
func sourceLabel(titles map[string]string, ids string) string {
	if ids == Unknown || ids == "" {
		return "未知"
	}
	parts := strings.Split(ids, "; ")
	for i, id := range parts {
		name := titles[id]
		if name == "" {
			kind, _, _ := strings.Cut(id, "/")
			name = sourceKindLabels[kind]
		}
		if name != "" {
			parts[i] = name + "（" + id + "）"
		}
	}
	return strings.Join(parts, "；")
}

// unknownLabel writes an unknown level or segment in Chinese.
func unknownLabel(s string) string {
	if s == Unknown {
		return "未知"
	}
	return s
}

// creditCode returns a firm's 统一社会信用代码, or "" when its id is a
// surrogate (a listed firm known by its stock code, say): a cell holds a
// real credit code or nothing.
func creditCode(id graph.FirmID) string {
	if c, err := graph.ParseCreditCode(string(id)); err == nil {
		return string(c)
	}
	return ""
}
