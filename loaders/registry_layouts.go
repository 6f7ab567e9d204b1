package loaders

import (
	"strings"
)

// The layouts of the registry exports users upload as the vendors ship
// them. Every layout is read by the same column aliases and value parsers;
// recognising one tells the user what the loader took the file for, and
// lets the report say so. A layout is recognised by its marks — the
// vendor's name in the file name, the sheet name or the rows above the
// header — or by the headers only that vendor writes.

// registryLayout is one vendor's export layout.
type registryLayout struct {
	name string // as the report gives it
	// marks are words naming the vendor in the file name, sheet name or
	// title rows.
	marks []string
	// all are normalised headers that must all be present; any, when
	// given, at least one of.
	all, any []string
}

// registryLayouts are tried in order; the first that matches is the one.
// Headers-only rules come first where they are specific (a batch query
// export is a 企查查 export too, but reads differently).
var registryLayouts = []registryLayout{
	{name: "企查查批量查询导出", all: []string{"原文件导入名称"}},
	{name: "国家企业信用信息公示系统", any: []string{"注册号/统一社会信用代码", "统一社会信用代码/注册号"}},
	{name: "国家企业信用信息公示系统", all: []string{"住所", "登记机关", "核准日期"}},
	{name: "企查查", marks: []string{"企查查", "qichacha", "qcc"}},
	{name: "天眼查", marks: []string{"天眼查", "tianyancha", "高级搜索"}},
	{name: "爱企查", marks: []string{"爱企查", "aiqicha"}},
	{name: "启信宝", marks: []string{"启信宝", "qixin"}},
	{name: "企查查", any: []string{"有效手机号", "更多电话", "参保人数所属年报", "企查查行业门类", "企查查行业小类"}},
	{name: "天眼查", all: []string{"公司名称", "国标行业门类"}},
}

// genericLayout is the name of a table whose columns are known but whose
// vendor is not.
const genericLayout = "通用表格（按列名识别）"

// recogniseLayout names the layout of a table from its header, the file
// and sheet names, and the text of the rows above its header.
func recogniseLayout(header []string, file, sheet string, above []string) string {
	have := map[string]bool{}
	for _, h := range header {
		have[normalizeHeader(h)] = true
	}
	text := strings.ToLower(file + "\n" + sheet + "\n" + strings.Join(above, "\n"))
	for _, l := range registryLayouts {
		if len(l.marks) > 0 {
			for _, m := range l.marks {
				if strings.Contains(text, m) {
					return l.name
				}
			}
			continue
		}
		ok := true
		for _, h := range l.all {
			ok = ok && have[h]
		}
		if ok && len(l.any) > 0 {
			ok = false
			for _, h := range l.any {
				ok = ok || have[h]
			}
		}
		if ok {
			return l.name
		}
	}
	return genericLayout
}
