package loaders

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph"
)

// Registry exports laid out as the vendors ship them, each workbook written
// by excelize (a real XLSX writer), each loaded as uploaded: every firm
// that should load does, with its credit code, region and capital, and
// every row that should not is reported.

// sheetSpec is a workbook to write: one sheet, its rows, merged ranges,
// cells to style as dates and cells that are hyperlinks.
type sheetSpec struct {
	name   string
	rows   [][]any
	merges [][2]string
	dates  []string
	links  []string
}

func writeSheet(t *testing.T, path string, s sheetSpec) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	if s.name != "" {
		if err := f.SetSheetName(sh, s.name); err != nil {
			t.Fatal(err)
		}
		sh = s.name
	}
	for i, r := range s.rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		row := slices.Clone(r)
		if err := f.SetSheetRow(sh, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range s.merges {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.dates) > 0 {
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		for _, c := range s.dates {
			f.SetCellStyle(sh, c, c, style)
		}
	}
	for _, c := range s.links {
		if err := f.SetCellHyperLink(sh, c, "https://example.invalid/firm", "External"); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// wrongDimension rewrites a workbook's <dimension> to a range smaller than
// its data, as 天眼查's exports have it.
func wrongDimension(t *testing.T, path string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	re := regexp.MustCompile(`<dimension ref="[^"]*"(/>|></dimension>)`)
	changed := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasPrefix(f.Name, "xl/worksheets/") && re.Match(b) {
			b = re.ReplaceAll(b, []byte(`<dimension ref="A1:B2"/>`))
			changed = true
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zr.Close()
	zw.Close()
	if !changed {
		t.Fatal("excelize wrote no <dimension>")
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// wantFirm is what a firm must load as.
type wantFirm struct {
	name, code string // code: the credit code, or "" for a firm keyed otherwise
	region     graph.RegionCode
	capital    float64
	currency   string
}

// vendorCase is one export and what loading it must give.
type vendorCase struct {
	file   string
	sheet  sheetSpec // written when data is nil
	data   []byte
	layout string
	firms  []wantFirm
	// rejected are the rejected rows: line → a word of the reason.
	rejected map[int]string
	// warned are warnings that must be there: line → a word of the warning.
	warned map[int]string
	check  func(t *testing.T, fs map[string]graph.Firm)
}

func TestRegistryVendorLayouts(t *testing.T) {
	st := fixtureStore(t)
	cc := func(p string) string { return creditCode(t, p) }
	a, b, c := cc("91370613MA3C40001"), cc("91370602MA3C40002"), cc("91370102MA3C40003")
	d := cc("91440305MA5F40004")
	qccHeader := []any{"企业名称", "登记状态", "法定代表人", "注册资本", "成立日期", "统一社会信用代码", "注册地址", "所属省份", "所属城市", "所属区县",
		"有效手机号", "更多电话", "邮箱", "企业(机构)类型", "纳税人识别号", "注册号", "组织机构代码", "参保人数", "参保人数所属年报", "营业期限",
		"国标行业门类", "国标行业大类", "国标行业中类", "国标行业小类", "企查查行业门类", "企查查行业大类", "企查查行业中类", "企查查行业小类",
		"企业规模", "曾用名", "英文名", "官网网址", "通信地址", "企业简介", "经营范围"}
	qccRow := func(name, status, capital, founded, code, addr, prov, city, county, phones, former, english string) []any {
		return []any{name, status, "张三", capital, founded, code, addr, prov, city, county,
			phones, "-", "***", "有限责任公司", code, "-", "-", "35", "2023年报", "1997-01-28 至 无固定期限",
			"制造业", "电气机械和器材制造业", "电池制造", "锂离子电池制造", "制造业", "电气机械", "电池", "锂电池",
			"小型", former, english, "-", addr, "-", "锂离子电池的研发、生产和销售"}
	}
	cases := []vendorCase{
		{
			file: "企查查-新能源.xlsx", layout: "企查查",
			sheet: sheetSpec{rows: [][]any{
				{"数据使用声明：本数据由企查查提供，仅供参考"},
				qccHeader,
				qccRow("烟台甲电池有限公司", "存续（在营、开业、在册）", "13,400万元", "1997-01-28", a, "山东省烟台市莱山区观海路1号", "山东省", "烟台市", "莱山区",
					"0535-1234567;13800000000", "烟台甲实业有限公司,\n烟台甲科技有限公司", "Yantai Jia Battery"),
				qccRow("烟台乙新能源有限公司", "在业", "500万美元", "2015-06-01", b, "山东省烟台市芝罘区南大街2号", "山东省", "烟台市", "芝罘区", "-", "-", "-"),
			}, merges: [][2]string{{"A1", "AI1"}}},
			firms:  []wantFirm{{"烟台甲电池有限公司", a, "370613", 13400, ""}, {"烟台乙新能源有限公司", b, "370602", 500, "USD"}},
			warned: map[int]string{1: "数据使用声明"},
			check: func(t *testing.T, fs map[string]graph.Firm) {
				f := fs["烟台甲电池有限公司"]
				if !slices.Contains(f.Attrs, graph.Attr{Key: "营业期限", Value: "1997-01-28 至 无固定期限"}) ||
					!slices.Contains(f.Attrs, graph.Attr{Key: "有效手机号", Value: "0535-1234567；13800000000"}) {
					t.Errorf("term or phones: %v", f.Attrs)
				}
				if !slices.Equal(f.Aliases, []string{"烟台甲实业有限公司", "烟台甲科技有限公司", "Yantai Jia Battery"}) {
					t.Errorf("aliases %q", f.Aliases)
				}
				if f.Industry != "3841" || f.Founded != "1997-01-28" || f.Employees != 35 {
					t.Errorf("industry %q founded %q employees %d", f.Industry, f.Founded, f.Employees)
				}
				for _, at := range f.Attrs {
					if at.Key == "邮箱" || at.Value == "***" || at.Value == "-" {
						t.Errorf("a masked or missing cell was kept: %v", at)
					}
				}
			},
		},
		{
			file: "batch.xlsx", layout: "企查查批量查询导出",
			sheet: sheetSpec{rows: [][]any{
				{"企查查批量查询结果"},
				{"原文件导入名称", "系统匹配企业名称", "统一社会信用代码", "登记状态", "注册资本", "所属省份", "所属城市", "所属区县"},
				{"烟台甲电池", "烟台甲电池有限公司", a, "存续", "13,400万元", "山东省", "烟台市", "莱山区"},
				{"烟台丙公司", "未匹配到相关企业", "-", "-", "-", "-", "-", "-"},
				{"济南丁汽车", "济南丁汽车销售有限公司", c, "存续", "1,200万元人民币", "山东省", "济南市", "历下区"},
			}},
			firms:    []wantFirm{{"烟台甲电池有限公司", a, "370613", 13400, ""}, {"济南丁汽车销售有限公司", c, "370102", 1200, ""}},
			rejected: map[int]string{4: "烟台丙公司"},
		},
		{
			file: "batch-variant.csv", layout: "企查查批量查询导出",
			data: csvBytes([][]string{
				{"原文件导入名称", "公司名称", "信用代码", "注册金额", "注册地址"},
				{"甲", "烟台甲电池有限公司", a, "13,400万元", "山东省烟台市莱山区观海路1号"},
				{"丙", "未匹配到相关企业", "-", "-", "-"},
			}, ","),
			firms:    []wantFirm{{"烟台甲电池有限公司", a, "370613", 13400, ""}},
			rejected: map[int]string{3: "未匹配"},
		},
		{
			file: "tianyancha.xlsx", layout: "天眼查",
			sheet: sheetSpec{name: "高级搜索", rows: [][]any{
				{"温馨提示：以下数据来源于公开信息，仅供参考"},
				{"公司名称", "登记状态", "企业规模", "成立日期", "所属省份", "所属城市", "所属区县", "国标行业门类", "国标行业大类", "国标行业中类",
					"统一社会信用代码", "参保人数", "经营范围", "注册资本", "实缴资本", "企业(机构)类型"},
				{"烟台甲电池有限公司", "存续", "小型", 35486, "山东省", "烟台市", "莱山区", "制造业", "电气机械和器材制造业", "电池制造",
					a, 35, "锂离子电池生产", "13400万人民币", "1000万人民币", "有限责任公司"},
				{"深圳戊充电科技有限公司", "存续", "微型", "2018-05-20", "广东省", "深圳市", "南山区", "制造业", "", "",
					d, "-", "充电桩销售", "800万港元", "-", "有限责任公司(港澳台法人独资)"},
			}, dates: []string{"D3"}},
			firms: []wantFirm{{"烟台甲电池有限公司", a, "370613", 13400, ""}, {"深圳戊充电科技有限公司", d, "440305", 800, "HKD"}},
			check: func(t *testing.T, fs map[string]graph.Firm) {
				if f := fs["烟台甲电池有限公司"]; f.Founded != "1997-02-25" || f.Industry != "384" || f.PaidIn != 1000 {
					t.Errorf("founded %q industry %q paid-in %v", f.Founded, f.Industry, f.PaidIn)
				}
				if f := fs["深圳戊充电科技有限公司"]; f.Founded != "2018-05-20" {
					t.Errorf("founded %q", f.Founded)
				}
			},
		},
		{
			file: "【爱企查】-新能源.xlsx", layout: "爱企查",
			sheet: sheetSpec{rows: [][]any{
				{"爱企查 企业查询结果"},
				{"查询条件：新能源 山东省"},
				{"导出时间：2024-05-01"},
				{"企业名称", "法定代表人", "注册资本", "成立日期", "统一社会信用代码", "企业地址", "经营状态"},
				{"烟台乙新能源有限公司", "李四", "500万(美元)", "2015-06-01", b, "山东省烟台市芝罘区南大街2号", "开业"},
			}, links: []string{"A5"}},
			firms:  []wantFirm{{"烟台乙新能源有限公司", b, "370602", 500, "USD"}},
			warned: map[int]string{1: "爱企查", 2: "查询条件", 3: "导出时间"},
		},
		{
			file: "qixin.xlsx", layout: "启信宝",
			sheet: sheetSpec{rows: [][]any{
				{"启信宝 - 企业列表"},
				{"企业名称", "统一社会信用代码", "法定代表人", "注册资本", "成立日期", "所属行业", "注册地址"},
				{"烟台甲电池有限公司", a, "张三", "50 万人民币", "1997-01-28", "制造业 > 电气机械和器材制造业 > 电池制造 > 锂离子电池制造（C3841）", "山东省烟台市莱山区观海路1号"},
			}},
			firms: []wantFirm{{"烟台甲电池有限公司", a, "370613", 50, ""}},
			check: func(t *testing.T, fs map[string]graph.Firm) {
				if f := fs["烟台甲电池有限公司"]; f.Industry != "3841" {
					t.Errorf("industry %q from a 启信宝 path", f.Industry)
				}
			},
		},
		{
			file: "gsxt.xlsx", layout: "国家企业信用信息公示系统",
			sheet: sheetSpec{rows: [][]any{
				{"企业名称", "注册号/统一社会信用代码", "类型", "法定代表人", "注册资本", "成立日期", "营业期限自", "营业期限至", "登记机关", "核准日期", "登记状态", "住所", "经营范围"},
				{"烟台甲电池有限公司", a, "有限责任公司", "张三", "13400万元人民币", "1997年01月28日", "1997年01月28日", "长期", "烟台市莱山区市场监督管理局", "2023年03月01日",
					"存续（在营、开业、在册）", "山东省烟台市莱山区观海路1号", "锂离子电池"},
				{"烟台福山老字号食品厂", "370611200012345", "集体所有制", "王五", "50万元", "1995年05月05日", "1995年05月05日", "2025年05月04日", "烟台市福山区市场监督管理局", "2019年01月01日",
					"存续（在营、开业、在册）", "山东省烟台市福山区河滨路3号", "食品加工"},
			}},
			firms: []wantFirm{{"烟台甲电池有限公司", a, "370613", 13400, ""}, {"烟台福山老字号食品厂", "", "370611", 50, ""}},
			check: func(t *testing.T, fs map[string]graph.Firm) {
				f := fs["烟台福山老字号食品厂"]
				if _, isCode := f.ID.CreditCode(); isCode || !slices.Contains(f.Attrs, graph.Attr{Key: "注册号", Value: "370611200012345"}) {
					t.Errorf("a 15-digit 注册号: id %s attrs %v", f.ID, f.Attrs)
				}
				if f.Address != "山东省烟台市福山区河滨路3号" || f.Status != graph.StatusActive {
					t.Errorf("住所 %q status %q", f.Address, f.Status)
				}
				if !slices.Contains(fs["烟台甲电池有限公司"].Attrs, graph.Attr{Key: "营业期限至", Value: "长期"}) {
					t.Errorf("营业期限至: %v", fs["烟台甲电池有限公司"].Attrs)
				}
			},
		},
		{
			file: "名单.xlsx", layout: genericLayout,
			sheet: sheetSpec{rows: [][]any{
				{"烟台市新能源汽车产业链重点企业名单"},
				{"序号", "企业名称", "基本信息", nil, nil, "注册资本(万元)"},
				{nil, nil, "统一社会信用代码", "成立日期", "所属区县", nil},
				{1, "烟台甲电池有限公司", a, "1997-01-28", "莱山区", 13400},
				{},
				{2, "烟台乙新能源有限公司", b, "2015-06-01", "芝罘区", 3500.5},
				{"数据来源：烟台市工业和信息化局"},
			}, merges: [][2]string{{"A1", "F1"}, {"A2", "A3"}, {"B2", "B3"}, {"C2", "E2"}, {"F2", "F3"}}},
			firms:  []wantFirm{{"烟台甲电池有限公司", a, "370613", 13400, ""}, {"烟台乙新能源有限公司", b, "370602", 3500.5, ""}},
			warned: map[int]string{1: "重点企业名单", 7: "数据来源"},
		},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			data := tc.data
			if data == nil {
				p := filepath.Join(dir, tc.file)
				writeSheet(t, p, tc.sheet)
				if tc.layout == "天眼查" {
					wrongDimension(t, p)
				}
				data, _ = os.ReadFile(p)
			}
			var col collect
			rep, err := ReadRegistry(t.Context(), Input{R: bytes.NewReader(data), File: tc.file, Lookups: LookupsOf(st.Index())}, &col)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Counts["layout:"+tc.layout] != 1 {
				t.Errorf("layout: counts %v, want %s", rep.Counts, tc.layout)
			}
			fs := map[string]graph.Firm{}
			for _, f := range firmsOf(&col) {
				fs[f.Name] = f
			}
			if rep.Loaded != len(tc.firms) || len(fs) != len(tc.firms) {
				t.Errorf("loaded %d firms, want %d; rejected %v", rep.Loaded, len(tc.firms), rep.Rejected)
			}
			for _, w := range tc.firms {
				f, ok := fs[w.name]
				if !ok {
					t.Errorf("%s did not load", w.name)
					continue
				}
				code, _ := f.ID.CreditCode()
				if string(code) != w.code || f.Region != w.region || f.Capital != w.capital || f.Currency != w.currency {
					t.Errorf("%s: code %q region %s capital %v %q; want %q %s %v %q", w.name, code, f.Region, f.Capital, f.Currency, w.code, w.region, w.capital, w.currency)
				}
			}
			if len(rep.Rejected) != len(tc.rejected) {
				t.Errorf("rejected %v, want lines %v", rep.Rejected, tc.rejected)
			}
			for _, r := range rep.Rejected {
				if word, ok := tc.rejected[r.Line]; !ok || !strings.Contains(r.Error(), word) {
					t.Errorf("rejection %v, want line %d with %q", r, r.Line, word)
				}
			}
			for line, word := range tc.warned {
				if !slices.ContainsFunc(rep.Warnings, func(w *ParseError) bool { return w.Line == line && strings.Contains(w.Error(), word) }) {
					t.Errorf("no warning at line %d with %q: %v", line, word, rep.Warnings)
				}
			}
			if tc.check != nil {
				tc.check(t, fs)
			}
		})
	}
}

// An export whose columns the loader cannot map is refused with the
// columns it could not map and a pointer to --mapping, and nothing is
// loaded.
func TestRegistryUnknownLayout(t *testing.T) {
	st := fixtureStore(t)
	var col collect
	data := csvBytes([][]string{{"Company", "Code", "Amount"}, {"Yantai Jia", "913706021000025056", "5000"}}, ",")
	_, err := ReadRegistry(t.Context(), Input{R: bytes.NewReader(data), File: "en.csv", Lookups: LookupsOf(st.Index())}, &col)
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "Company, Code, Amount") || !strings.Contains(err.Error(), "--mapping") {
		t.Fatalf("err = %v", err)
	}
	if len(col.facts) != 0 {
		t.Fatalf("facts put: %v", col.facts)
	}
	// With a mapping it loads, and columns left unmapped are named.
	col = collect{}
	rep, err := ReadRegistry(t.Context(), Input{R: bytes.NewReader(data), File: "en.csv", Options: Options{Mapping: map[string]string{"Company": "name", "Code": "credit_code"}}, Lookups: LookupsOf(st.Index())}, &col)
	if err != nil || rep.Loaded != 1 {
		t.Fatalf("with a mapping: %v, %+v", err, rep)
	}
	if !slices.ContainsFunc(rep.Warnings, func(w *ParseError) bool { return w.Line == 1 && strings.Contains(w.Error(), "Amount") }) {
		t.Errorf("unmapped column not reported: %v", rep.Warnings)
	}
}
