package loaders

import (
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func TestReadIndustryCodes(t *testing.T) {
	in := "code,name,level,parent_code,description\n" +
		"C,制造业,section,,\n" +
		"38,电气机械和器材制造业,division,C,\n" +
		"384,电池制造,group,38,\n" +
		"3841,锂离子电池制造,class,384,\"◇ 指以锂离子\n为载体\"\n" +
		"3842,镍氢电池制造,group,384,\n" + // level disagrees with the code
		"3843,铅蓄电池制造,class,385,\n" + // parent is not the code one level up
		"385,家用电力器具制造,group,,\n" // a group needs a parent
	var c collect
	rep, err := ReadIndustryCodes(t.Context(), Input{R: strings.NewReader(in), File: "gbt.csv"}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 7 || rep.Loaded != 4 || len(rep.Rejected) != 3 {
		t.Fatalf("report: rows %d loaded %d rejected %v", rep.Rows, rep.Loaded, rep.Rejected)
	}
	for i, want := range []string{"gbt.csv:7: level:", "gbt.csv:8: parent_code:", "gbt.csv:9: parent_code:"} {
		if !strings.HasPrefix(rep.Rejected[i].Error(), want) {
			t.Errorf("rejection %d = %v, want %s", i, rep.Rejected[i], want)
		}
	}
	li := c.facts[3].(graph.IndustryClass)
	if li.Code != "3841" || li.Parent != "384" || li.Name != "锂离子电池制造" || !strings.Contains(li.Description, "为载体") {
		t.Errorf("3841 = %+v", li)
	}
	if d := c.facts[1].(graph.IndustryClass); d.Parent != "C" {
		t.Errorf("38's parent = %q", d.Parent)
	}
}

func TestReadIndustryClassifications(t *testing.T) {
	in := "gbt_code,gbt_name,tag,tag_name,partial_star,category_path\n" +
		"3841,锂离子电池制造,strategic,战略性新兴产业,1,新能源汽车产业 > 新能源汽车装置、配件制造\n" +
		"3841,锂离子电池制造,strategic,战略性新兴产业,1,新一代信息技术产业 > 电子核心产业\n" +
		"3841,锂离子电池制造,highTech_mfg,高技术产业（制造业）,0,电子及通信设备制造业 > 电子器件制造\n" +
		"38x1,坏代码,strategic,战略性新兴产业,0,x\n" +
		"3612,新能源车整车制造,bad tag,,0,x\n"
	var c collect
	rep, err := ReadIndustryClassifications(t.Context(), Input{R: strings.NewReader(in), File: "special.csv"}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 5 || rep.Loaded != 1 || rep.Merged != 2 || len(rep.Rejected) != 2 {
		t.Fatalf("report: %+v %v", rep, rep.Rejected)
	}
	ic := c.facts[0].(graph.IndustryClass)
	if !slices.Equal(ic.Tags, []string{"strategic", "highTech_mfg"}) || len(ic.Categories) != 3 ||
		ic.Categories[0] != "strategic:新能源汽车产业 > 新能源汽车装置、配件制造*" || ic.Categories[2] != "highTech_mfg:电子及通信设备制造业 > 电子器件制造" {
		t.Errorf("3841 = %+v", ic)
	}
}

func TestReadCrosswalk(t *testing.T) {
	x := indexOf(t, chainsSource("nev", "pv"))
	in := "# phrase | chains | confidence | note\n" +
		"新能源汽车 | nev | 1 | 004\n" +
		"新能源 | nev, pv | 0.8 |\n" +
		"文化旅游 | - | 1 | no chain\n" +
		"新能源 | pv | 0.9 | twice\n" + // line 5
		"光伏 | solar | 1 |\n" + // line 6
		"风电 | pv | 1.5 |\n" + // line 7
		"只有两段 | pv\n" + // line 8
		"新能源+ | pv | 1 |\n" // line 9: a phrase of its own, though it differs only in punctuation
	var c collect
	rep, err := ReadCrosswalk(t.Context(), Input{R: strings.NewReader(in), File: "crosswalk.txt", Lookups: LookupsOf(x)}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Loaded != 4 || len(rep.Rejected) != 4 {
		t.Fatalf("loaded %d, rejected %v", rep.Loaded, rep.Rejected)
	}
	for i, want := range []string{"crosswalk.txt:5: phrase:", "crosswalk.txt:6: chains: no chain solar", "crosswalk.txt:7: confidence:", "crosswalk.txt:8: 2 fields"} {
		if !strings.HasPrefix(rep.Rejected[i].Error(), want) {
			t.Errorf("rejection %d = %v, want %s", i, rep.Rejected[i], want)
		}
	}
	if e := c.facts[1].(graph.CrosswalkEntry); e.Phrase != "新能源" || !slices.Equal(e.Chains, []graph.ChainID{"nev", "pv"}) || e.Confidence != 0.8 {
		t.Errorf("新能源 = %+v", e)
	}
	if e := c.facts[2].(graph.CrosswalkEntry); len(e.Chains) != 0 || e.Note != "no chain" {
		t.Errorf("文化旅游 = %+v", e)
	}
}

func TestReadParks(t *testing.T) {
	x := indexOf(t, chainsSource("ai"), testSource{graph.Source{ID: "reference/regions", Kind: graph.KindReference, Title: "regions"}, []graph.Fact{
		graph.Region{Code: "370176", Name: "济南市历城区", Level: graph.LevelCounty},
		graph.Region{Code: "370600", Name: "烟台市", Level: graph.LevelCity},
	}})
	in := `# parks
[park jinan-hitech] 济南高新技术产业开发区
short:   济南高新区
region:  370176
level:   national
kind:    高新区
focus:   电子信息, 生物医药
chains:  ai
source:  a source

[park no-source] 无来源园区
region:  370600
kind:    产业园

[park bad] 坏园区
region:  379999
level:   county
kind:    工业区
chains:  nev
source:  x

[park jinan-hitech] 重复
short:   济南高新区
region:  370176
kind:    高新区
source:  y
`
	var c collect
	rep, err := ReadParks(t.Context(), Input{R: strings.NewReader(in), File: "parks.txt", Lookups: LookupsOf(x)}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 4 || rep.Loaded != 1 {
		t.Fatalf("rows %d loaded %d rejected %v", rep.Rows, rep.Loaded, rep.Rejected)
	}
	var got []string
	for _, e := range rep.Rejected {
		got = append(got, e.Error())
	}
	for _, want := range []string{
		"parks.txt:11: source: missing",
		"parks.txt:16: region: no region 379999",
		"parks.txt:17: level: \"county\"",
		"parks.txt:18: kind: \"工业区\"",
		"parks.txt:19: chains: no chain nev",
		"parks.txt:22: id: park jinan-hitech is already defined on line 2",
		"parks.txt:23: short: \"济南高新区\" already names the park on line 2",
	} {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, want) }) {
			t.Errorf("no rejection %q in %q", want, got)
		}
	}
	p := c.facts[0].(graph.Park)
	if p.ID != "jinan-hitech" || p.Region != "370176" || p.Level != "national" || p.Kind != "高新区" ||
		!slices.Equal(p.Focus, []string{"电子信息", "生物医药"}) || !slices.Equal(p.Chains, []graph.ChainID{"ai"}) || p.Note != "a source" {
		t.Errorf("park = %+v", p)
	}
}

func TestReadRecords(t *testing.T) {
	in := "\ufeff# comment\n[chain x] 名称\nkey: 第一行\n  第二行 # trailing comment\n\n[node a]\n  orphan\nbad line\nk：全角冒号\n"
	recs, errs, err := readRecords(strings.NewReader(in), "f")
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Header != "chain x" || recs[0].Title != "名称" || recs[0].Line != 2 {
		t.Fatalf("records = %+v", recs)
	}
	if f := recs[0].Fields[0]; f.Key != "key" || f.Value != "第一行\n第二行" || f.Line != 3 {
		t.Errorf("field = %+v", f)
	}
	if f := recs[1].Fields[0]; f.Key != "k" || f.Value != "全角冒号" {
		t.Errorf("full-width colon field = %+v", f)
	}
	if len(errs) != 2 || errs[0].Line != 7 || errs[1].Line != 8 {
		t.Errorf("errors = %v", errs)
	}
	if got := joinText("第一行\n第二行\nand more\nwords"); got != "第一行第二行 and more words" {
		t.Errorf("joinText = %q", got)
	}
	if got := splitList("a, b，c、d;e\nf"); !slices.Equal(got, []string{"a", "b", "c", "d", "e", "f"}) {
		t.Errorf("splitList = %q", got)
	}
	if got := splitCodes("1092 石墨、滑石采选, 3841"); !slices.Equal(got, []string{"1092 石墨、滑石采选", "3841"}) {
		t.Errorf("splitCodes = %q", got)
	}
}
