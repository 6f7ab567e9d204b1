package loaders

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// A 企查查-style export: Chinese headers, messy values, one bad credit code,
// one row without a name, an unknown column.
func qccRows(t testing.TB) [][]string {
	t.Helper()
	return [][]string{
		{"企业名称", "统一社会信用代码", "登记状态", "法定代表人", "注册资本", "实缴资本", "成立日期", "所属省份", "所属城市", "所属区县",
			"企业类型", "国标行业小类", "参保人数", "注册地址", "经营范围", "曾用名", "英文名", "股票代码", "标签", "联系电话"},
		{"烟台某某新能源科技有限公司", creditCode(t, "91370613MA3C4X1Y2"), "存续（在营、开业、在册）", "张三", "5000万元人民币", "1,200万元",
			"2019/3/1", "山东省", "烟台市", "莱山区", "有限责任公司(自然人投资或控股)", "C3841", "35",
			"山东省烟台市莱山区观海路1号", "锂离子电池、电池隔膜的研发、生产和销售；充电桩销售；废旧电池回收（不含危险废物）", "烟台某某电池有限公司", "Yantai Mou Mou New Energy",
			"", "专精特新小巨人；高新技术企业", "0535-1234567"},
		{"某某汽车销售服务有限公司", creditCode(t, "91370102MA3C4X1Y3"), "在业", "李四", "1,200万美元", "", "2019年3月1日", "", "", "",
			"有限责任公司(外国法人独资)", "", "少于50人", "济南市历下区经十路100号", "新能源汽车销售；汽车维修", "", "", "", "", ""},
		{"坏代码公司", "91370613MA3C4X1Y2X", "存续", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
		{"", creditCode(t, "91370613MA3C4X1Y4"), "存续", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""},
	}
}

func csvBytes(rows [][]string, sep string) []byte {
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(c, sep+"\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

func writeXLSX(t testing.TB, path string, rows [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, c := range r {
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	// A date cell as Excel stores it: a serial number with a date format.
	if len(rows) > 1 {
		col := slices.Index(rows[0], "成立日期")
		if col >= 0 {
			cell, _ := excelize.CoordinatesToCellName(col+1, 2)
			f.SetCellValue("Sheet1", cell, 43525)
			style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
			f.SetCellStyle("Sheet1", cell, cell, style)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, st *store.Store, file string, data []byte) (*Report, *collect) {
	t.Helper()
	var c collect
	rep, err := ReadRegistry(t.Context(), Input{R: bytes.NewReader(data), File: file, Lookups: LookupsOf(st.Index())}, &c)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return rep, &c
}

func firmsOf(c *collect) []graph.Firm {
	var out []graph.Firm
	for _, f := range c.facts {
		if fm, ok := f.(graph.Firm); ok {
			out = append(out, fm)
		}
	}
	return out
}

// checkQCC checks what the 企查查 rows load to, in whatever format they came.
func checkQCC(t *testing.T, name string, rep *Report, c *collect) {
	t.Helper()
	if rep.Rows != 4 || rep.Loaded != 2 || len(rep.Rejected) != 2 {
		t.Fatalf("%s: rows %d loaded %d rejected %v", name, rep.Rows, rep.Loaded, rep.Rejected)
	}
	hdr := 1 // the header takes a line, except in JSON Lines
	if strings.HasSuffix(name, ".jsonl") {
		hdr = 0
	}
	if r := rep.Rejected[0]; r.Line != 3+hdr || r.Column != "统一社会信用代码" || !errors.Is(r, graph.ErrInvalid) {
		t.Errorf("%s: rejection 0 = %v", name, r)
	}
	if r := rep.Rejected[1]; r.Line != 4+hdr || r.Column != "企业名称" {
		t.Errorf("%s: rejection 1 = %v", name, r)
	}
	fs := firmsOf(c)
	a := fs[0]
	if a.Name != "烟台某某新能源科技有限公司" || a.Status != graph.StatusActive || a.Capital != 5000 || a.PaidIn != 1200 ||
		a.Currency != "" || a.Founded != "2019-03-01" || a.Region != "370613" || a.RegionMethod != "column" ||
		a.Industry != "3841" || a.Employees != 35 || a.LegalRep != "张三" {
		t.Errorf("%s: firm A = %+v", name, a)
	}
	if !slices.Equal(a.Tags, []string{"专精特新小巨人", "高新技术企业"}) || !slices.Equal(a.Aliases, []string{"烟台某某电池有限公司", "Yantai Mou Mou New Energy"}) {
		t.Errorf("%s: tags %q aliases %q", name, a.Tags, a.Aliases)
	}
	if !slices.Contains(a.Attrs, graph.Attr{Key: "联系电话", Value: "0535-1234567"}) {
		t.Errorf("%s: unknown column not kept: %v", name, a.Attrs)
	}
	nodes := map[graph.NodeID]graph.NodeLink{}
	for _, l := range a.Nodes {
		nodes[l.Node] = l
	}
	if l := nodes["nev/battery"]; l.Method != "code+scope" || l.Role != "producer" || l.Confidence < 0.9 || !strings.Contains(l.Matched, "锂离子电池") {
		t.Errorf("%s: battery link = %+v", name, l)
	}
	if l := nodes["nev/separator"]; l.Method != "scope" || l.Role != "producer" || l.Matched != "电池隔膜" {
		t.Errorf("%s: separator link = %+v", name, l)
	}
	if l := nodes["nev/charging"]; l.Role != "seller" {
		t.Errorf("%s: charging link = %+v", name, l)
	}
	if _, ok := nodes["nev/recycling"]; !ok {
		t.Errorf("%s: recycling link missing: %+v", name, a.Nodes)
	}
	b := fs[1]
	if b.Capital != 1200 || b.Currency != "USD" || b.Region != "370102" || b.RegionMethod != "address" ||
		b.Employees != 0 || !slices.Contains(b.Attrs, graph.Attr{Key: "参保人数", Value: "少于50人"}) {
		t.Errorf("%s: firm B = %+v", name, b)
	}
	if len(b.Nodes) != 1 || b.Nodes[0].Node != "nev/vehicle" || b.Nodes[0].Role != "seller" {
		t.Errorf("%s: firm B nodes = %+v", name, b.Nodes)
	}
}

func TestRegistryFormatsAndEncodings(t *testing.T) {
	st := fixtureStore(t)
	rows := qccRows(t)
	utf8CSV := csvBytes(rows, ",")
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(utf8CSV)
	if err != nil {
		t.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(csvBytes(rows, "\t"))
	if err != nil {
		t.Fatal(err)
	}
	u16be, err := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes(utf8CSV)
	if err != nil {
		t.Fatal(err)
	}
	var jsonl strings.Builder
	for _, r := range rows[1:] {
		jsonl.WriteString("{")
		for i, h := range rows[0] {
			if i > 0 {
				jsonl.WriteString(",")
			}
			v := `"` + strings.ReplaceAll(r[i], `"`, `\"`) + `"`
			if h == "参保人数" && r[i] == "35" {
				v = "35"
			}
			if h == "标签" && r[i] != "" {
				v = `["专精特新小巨人","高新技术企业"]`
			}
			jsonl.WriteString(`"` + h + `":` + v)
		}
		jsonl.WriteString("}\n")
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "qcc.xlsx")
	writeXLSX(t, xlsx, rows)
	xb, err := os.ReadFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, format string
		data         []byte
	}{
		{"utf8.csv", "CSV, UTF-8", utf8CSV},
		{"bom.csv", "CSV, UTF-8 with BOM", append([]byte("\xEF\xBB\xBF"), utf8CSV...)},
		{"gbk.csv", "CSV, GB18030", gbk},
		{"utf16.tsv", "TSV, UTF-16LE", u16},
		{"utf16be-nobom.csv", "CSV, UTF-16BE", u16be},
		{"qcc.jsonl", "JSON Lines, UTF-8", []byte(jsonl.String())},
		{"qcc.xlsx", "XLSX", xb}, // through a spooled copy: bytes.Reader is no file
	}
	for _, tc := range cases {
		rep, c := readAll(t, st, tc.name, tc.data)
		if rep.Counts["format:"+tc.format] != 1 {
			t.Errorf("%s: detected %v, want %s", tc.name, rep.Counts, tc.format)
		}
		checkQCC(t, tc.name, rep, c)
	}
	// XLSX straight from the file, as LoadFile gives it.
	f, err := os.Open(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var c collect
	rep, err := ReadRegistry(t.Context(), Input{R: f, File: "qcc.xlsx", Lookups: LookupsOf(st.Index())}, &c)
	if err != nil {
		t.Fatal(err)
	}
	checkQCC(t, "qcc.xlsx (file)", rep, &c)
}

func TestRegistryCorruptInputKeepsStore(t *testing.T) {
	ctx := context.Background()
	st := fixtureStore(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "firms.xlsx")
	writeXLSX(t, good, qccRows(t))
	if _, _, err := LoadFile(ctx, st, "registry", good, FileOptions{}); err != nil {
		t.Fatal(err)
	}
	before := st.Index().Stats()
	id := graph.FirmID(creditCode(t, "91370613MA3C4X1Y2"))
	if _, ok := st.Index().Firm(id); !ok {
		t.Fatal("firm not loaded")
	}

	xb, _ := os.ReadFile(good)
	csvGood := csvBytes(qccRows(t), ",")
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"firms.xlsx", xb[:len(xb)/2], "not a readable XLSX"},
		{"firms.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x42}, 500)...), "not a readable XLSX"},
		{"firms.csv", csvGood[:bytes.Index(csvGood, []byte("少于50人"))], "truncated"},
		{"firms.csv", append(csvGood[:len(csvGood)-2], []byte("\n\"烟台未完")...), "truncated"},
	}
	for _, tc := range cases {
		p := filepath.Join(dir, tc.name)
		if err := os.WriteFile(p, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := LoadFile(ctx, st, "registry", p, FileOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.name) {
			t.Errorf("%s (%d bytes): err = %v, want %q", tc.name, len(tc.data), err, tc.want)
		}
		if after := st.Index().Stats(); after.Quads != before.Quads || after.Sources != before.Sources {
			t.Errorf("%s: the store changed: %+v → %+v", tc.name, before, after)
		}
		if _, ok := st.Index().Firm(id); !ok {
			t.Errorf("%s: the firm loaded before is gone", tc.name)
		}
	}
}

func TestRegistryStrict(t *testing.T) {
	ctx := context.Background()
	st := fixtureStore(t)
	p := filepath.Join(t.TempDir(), "firms.csv")
	os.WriteFile(p, csvBytes(qccRows(t), ","), 0o644)
	if _, _, err := LoadFile(ctx, st, "registry", p, FileOptions{Strict: true}); !errors.Is(err, ErrStrict) {
		t.Errorf("strict load with bad rows: %v", err)
	}
	if st.Index().FirmCount() != 0 {
		t.Error("a strict load that failed stored firms")
	}
	rep, _, err := LoadFile(ctx, st, "registry", p, FileOptions{})
	if err != nil || rep.Loaded != 2 || st.Index().FirmCount() != 2 {
		t.Fatalf("lenient load: %v %+v", err, rep)
	}
}

func TestRegistryRegions(t *testing.T) {
	st := fixtureStore(t)
	rr := &regionResolver{regions: st.Index()}
	cc := func(p string) graph.CreditCode { return graph.CreditCode(creditCode(t, p)) }
	tests := []struct {
		name   string
		ev     regionEvidence
		want   graph.RegionCode
		method string
	}{
		{"columns", regionEvidence{province: "山东省", city: "烟台市", county: "莱山区"}, "370613", "column"},
		{"short column names", regionEvidence{province: "山东", city: "烟台"}, "370600", "column"},
		{"code column", regionEvidence{codes: []string{"370000", "370613"}}, "370613", "column"},
		{"area", regionEvidence{area: "深圳"}, "440300", "column"},
		{"address refines column", regionEvidence{province: "山东", address: "烟台市芝罘区北京路1号"}, "370602", "address"},
		{"street name is no region", regionEvidence{address: "烟台市芝罘区北京路1号"}, "370602", "address"},
		{"address with a prefix", regionEvidence{address: "中国（山东）自由贸易试验区烟台片区"}, "370000", "address"},
		{"name start", regionEvidence{name: "烟台张裕葡萄酿酒股份有限公司"}, "370600", "name"},
		{"name in brackets", regionEvidence{name: "某某电池（烟台）有限公司"}, "370600", "name"},
		{"county short form is a brand", regionEvidence{name: "东方电子股份有限公司"}, "", ""},
		{"county short form inside a province", regionEvidence{name: "中国石化山东泰山石油股份有限公司"}, "370902", "name"},
		{"name contradicts column", regionEvidence{province: "山东", name: "北京某某科技有限公司"}, "370000", "column"},
		{"ambiguous 朝阳", regionEvidence{name: "朝阳某某有限公司"}, "", ""},
		{"朝阳 within 辽宁", regionEvidence{province: "辽宁", name: "朝阳某某有限公司"}, "211300", "name"},
		{"controller", regionEvidence{province: "山东", name: "东方电子股份有限公司", controller: "烟台市人民政府国有资产监督管理委员会"}, "370600", "controller"},
		{"controller county", regionEvidence{province: "山东", controller: "龙口市东江街道南山村村民委员会"}, "370681", "controller"},
		{"private controller", regionEvidence{province: "山东", controller: "烟台人张三"}, "370000", "column"},
		{"credit code", regionEvidence{name: "某某有限公司", credit: cc("91370613MA3C4X1Y2"), creditOK: true}, "370613", "creditcode"},
		{"credit code city of unknown county", regionEvidence{name: "某某有限公司", credit: cc("91370699MA3C4X1Y2"), creditOK: true}, "370600", "creditcode"},
		{"credit code refines name", regionEvidence{name: "烟台某某有限公司", credit: cc("91370611MA3C4X1Y2"), creditOK: true}, "370611", "creditcode"},
		{"credit code contradicts name", regionEvidence{name: "烟台某某有限公司", credit: cc("91110105MA3C4X1Y2"), creditOK: true}, "370600", "name"},
	}
	for _, tt := range tests {
		got := rr.resolve(tt.ev)
		if got.code != tt.want || got.method != tt.method {
			t.Errorf("%s: got %s by %q, want %s by %q", tt.name, got.code, got.method, tt.want, tt.method)
		}
	}
}

func TestClassifier(t *testing.T) {
	_, nodes := fixtureChain()
	c := NewClassifier(nodes)
	tests := []struct {
		name string
		in   FirmText
		want map[graph.NodeID]string // node → method/role
	}{
		{"code only", FirmText{Industry: "3612"}, map[graph.NodeID]string{"nev/vehicle": "code/"}},
		{"group code", FirmText{Industry: "384"}, map[graph.NodeID]string{}},
		{"scope with role", FirmText{Scope: "磷酸铁锂正极材料的生产；动力电池销售"},
			map[graph.NodeID]string{"nev/cathode": "scope/producer", "nev/battery": "scope/seller"}},
		{"exclusion phrase overlapping the keyword", FirmText{Scope: "废旧动力电池回收，梯次利用"},
			map[graph.NodeID]string{"nev/recycling": "scope/"}},
		{"exclusion elsewhere in the clause", FirmText{Scope: "锂离子电池、电池回收"},
			map[graph.NodeID]string{"nev/recycling": "scope/", "nev/battery": "scope/"}},
		{"negation", FirmText{Scope: "汽车零部件销售（不含新能源汽车、动力电池）；充电桩安装"},
			map[graph.NodeID]string{"nev/charging": "scope/service"}},
		{"explicit column", FirmText{Nodes: []string{"nev/charging", "隔膜"}},
			map[graph.NodeID]string{"nev/charging": "column/", "nev/separator": "column/"}},
		{"name", FirmText{Name: "某某充电桩科技有限公司"}, map[graph.NodeID]string{"nev/charging": "name/"}},
		{"products beat scope", FirmText{Products: "电芯", Scope: "电池技术服务"}, map[graph.NodeID]string{"nev/battery": "products/"}},
		{"nothing", FirmText{Scope: "餐饮服务；住宿"}, map[graph.NodeID]string{}},
	}
	for _, tt := range tests {
		links, _ := c.Classify(tt.in)
		got := map[graph.NodeID]string{}
		for _, l := range links {
			got[l.Node] = l.Method + "/" + l.Role
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			continue
		}
		for n, w := range tt.want {
			if got[n] != w {
				t.Errorf("%s: %s = %q, want %q (all: %v)", tt.name, n, got[n], w, got)
			}
		}
	}
	if _, unknown := c.Classify(FirmText{Nodes: []string{"飞行汽车"}}); !slices.Equal(unknown, []string{"飞行汽车"}) {
		t.Errorf("unknown explicit node not reported: %v", unknown)
	}
}

func TestRegistryMergeAndOverride(t *testing.T) {
	ctx := context.Background()
	st := fixtureStore(t)
	dir := t.TempDir()
	code := creditCode(t, "91370613MA3C4X1Y2")
	a := filepath.Join(dir, "qcc.csv")
	os.WriteFile(a, []byte("企业名称,统一社会信用代码,注册资本,所属城市,经营范围\n"+
		"烟台某某新能源科技有限公司,"+code+",5000万元,烟台市,锂离子电池的生产\n"+
		"烟台某某新能源科技有限公司,"+code+",5000万元,烟台市,锂离子电池的生产\n"), 0o644)
	b := filepath.Join(dir, "tyc.csv")
	os.WriteFile(b, []byte("公司名称,信用代码,参保人数,企业标签\n烟台某某新能源科技有限公司,"+code+",120,瞪羚企业\n"), 0o644)
	repA, _, err := LoadFile(ctx, st, "registry", a, FileOptions{})
	if err != nil || repA.Merged != 1 || repA.Loaded != 2 {
		t.Fatalf("a: %v %+v", err, repA)
	}
	repB, _, err := LoadFile(ctx, st, "registry", b, FileOptions{})
	if err != nil || repB.Merged != 1 || repB.Counts["merged:other-source"] != 1 {
		t.Fatalf("b: %v %+v", err, repB)
	}
	x := st.Index()
	f, ok := x.Firm(graph.FirmID(code))
	if !ok || f.Capital != 5000 || f.Employees != 120 || !slices.Contains(f.Tags, "瞪羚") || f.Region != "370613" || f.RegionMethod != "creditcode" {
		t.Fatalf("merged firm = %+v", f)
	}
	if srcs := x.FirmSources(f.ID); len(srcs) != 2 {
		t.Errorf("sources of the merged firm = %v", srcs)
	}
	if len(f.Nodes) != 1 || f.Nodes[0].Node != "nev/battery" {
		t.Fatalf("nodes before override = %+v", f.Nodes)
	}

	// The override wins: out of battery, into charging.
	o := filepath.Join(dir, "override.csv")
	os.WriteFile(o, []byte("firm,node,action,note\n"+code+",nev/battery,exclude,只做电池贸易\n"+
		"烟台某某新能源科技有限公司,充换电,include,实地核实\n"+
		"没有这家公司,nev/battery,include,\n"+code+",nev/flying-car,include,\n"+code+",nev/battery,maybe,\n"), 0o644)
	rep, _, err := LoadFile(ctx, st, "override", o, FileOptions{})
	if err != nil || rep.Loaded != 2 || len(rep.Rejected) != 3 {
		t.Fatalf("override: %v %+v", err, rep)
	}
	f, _ = st.Index().Firm(graph.FirmID(code))
	if len(f.Nodes) != 1 || f.Nodes[0].Node != "nev/charging" || f.Nodes[0].Method != "override" {
		t.Errorf("nodes after override = %+v", f.Nodes)
	}
	// Reloading the registry does not undo the override.
	if _, _, err := LoadFile(ctx, st, "registry", a, FileOptions{}); err != nil {
		t.Fatal(err)
	}
	f, _ = st.Index().Firm(graph.FirmID(code))
	if len(f.Nodes) != 1 || f.Nodes[0].Node != "nev/charging" {
		t.Errorf("nodes after reloading the registry = %+v", f.Nodes)
	}
}

func TestRegistryMappingAndSurrogates(t *testing.T) {
	st := fixtureStore(t)
	m, err := ReadColumnMapping(strings.NewReader("# 某园区的台账\n单位,name\n主营,products\n所在地,address\n备用,attr\n"), "map.csv")
	if err != nil {
		t.Fatal(err)
	}
	in := "单位,主营,所在地,备用,股票代码,序号\n" +
		"某某科技股份有限公司,动力电池电芯,山东省烟台市福山区,x,600309,1\n" +
		"某某服务有限公司,充电设施运营,山东省济南市,y,,7\n" +
		"某某贸易有限公司,,山东省,z,,\n"
	var c collect
	rep, err := ReadRegistry(t.Context(), Input{R: strings.NewReader(in), File: "台账 2024.csv", Options: Options{Mapping: m}, Lookups: LookupsOf(st.Index())}, &c)
	if err != nil || rep.Loaded != 3 {
		t.Fatalf("%v %+v", err, rep)
	}
	fs := firmsOf(&c)
	if fs[0].ID != "x-600309-sh" || !slices.Contains(fs[0].Tags, "上市") || fs[0].Region != "370611" || len(fs[0].Nodes) != 1 || fs[0].Nodes[0].Method != "products" {
		t.Errorf("firm 0 = %+v", fs[0])
	}
	if !strings.HasPrefix(string(fs[1].ID), "x-2024-u") || !strings.HasSuffix(string(fs[1].ID), "-7") {
		t.Errorf("firm 1 id = %s", fs[1].ID)
	}
	if !strings.Contains(string(fs[2].ID), "-line-4") || rep.Counts["warnings:no-key"] != 1 {
		t.Errorf("firm 2 id = %s, counts %v", fs[2].ID, rep.Counts)
	}
	if _, err := ReadColumnMapping(strings.NewReader("单位,nmae\n"), "map.csv"); err == nil {
		t.Error("a mapping to an unknown field was accepted")
	}
}

// A short row in the middle of a file is a bad row, not a truncation, and
// the rows after it still load.
func TestRegistryShortRowMidFile(t *testing.T) {
	st := fixtureStore(t)
	var b strings.Builder
	b.WriteString("企业名称,统一社会信用代码,经营范围\n")
	b.WriteString("甲公司\n") // too few fields, but the line ends
	for i := 0; i < 5000; i++ {
		b.WriteString("乙公司,,充电桩销售" + strings.Repeat("；技术服务", 3) + "\n")
	}
	var c collect
	rep, err := ReadRegistry(t.Context(), Input{R: strings.NewReader(b.String()), File: "mid.csv", Lookups: LookupsOf(st.Index())}, &c)
	if err != nil || rep.Rows != 5001 || rep.Loaded != 5001 {
		t.Fatalf("%v rows %d loaded %d", err, rep.Rows, rep.Loaded)
	}
}
