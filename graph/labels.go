package graph

import "strings"

// This file names, in Chinese, the codes a person reads: how a link or a
// region was found, and the kinds of sources. The API keeps the codes for
// scripts and puts these labels beside them.

var methodLabels = map[string]string{
	"sw2021":          "申万行业对照",
	"tushare":         "tushare行业对照",
	"code":            "国标行业代码",
	"codes":           "国标行业代码",
	"scope":           "经营范围关键词",
	"keyword":         "企业名称与经营范围关键词",
	"keywords":        "企业名称与经营范围关键词",
	"name":            "企业名称关键词",
	"products":        "主营产品",
	"column":          "登记地区列",
	"address":         "注册地址",
	"creditcode":      "信用代码行政区划码",
	"listing":         "上市公司资料",
	"controller":      "实际控制人所在地",
	"override":        "人工校正",
	"named-in-source": "新闻点名",
	"named-in-plan":   "规划点名",
	"named":           "网页点名",
	"landed":          "招商落地",
	"given":           "人工指定",
	"declared":        "文件声明",
	"issuer":          "发文机关",
	"crosswalk":       "表述对照表",
	"alias":           "别名对照",
	"short-form":      "简称对照",
	"reference":       "参考数据",
	"library":         "产业链图谱库",
	"registry":        "企业名录",
}

// MethodLabel names a method in Chinese; a compound method (code+scope)
// joins its parts' names, and an unknown one is returned as it is.
func MethodLabel(method string) string {
	if method == "" {
		return ""
	}
	parts := strings.Split(method, "+")
	for i, p := range parts {
		if l, ok := methodLabels[p]; ok {
			parts[i] = l
		}
	}
	return strings.Join(parts, "＋")
}

// WeakMethod reports whether a link rests on a firm's name alone, the
// weakest evidence the classifier has.
func WeakMethod(method string) bool { return method == "name" }

var kindLabels = map[SourceKind]string{
	KindReference: "参考数据",
	KindChains:    "产业链图谱库",
	KindRegistry:  "企业名录",
	KindPlan:      "规划文件",
	KindOverride:  "人工校正",
}

// KindLabel names a source kind in Chinese.
func KindLabel(k SourceKind) string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}
