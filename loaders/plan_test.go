package loaders

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// The plan of these tests, written for them.
const testPlan = `关于《青岛市“十四五”先进制造业发展规划》的解读
发布机构：青岛市工业和信息化局
到2025年，全市规模以上工业营业收入突破1万亿元，建设绿色工厂家。
聚焦新能源汽车、大数据与人工智能、高端化工三大主导产业，重点打造集成电路等10条产业链。
新材料、生物医药2个产业集群入选省级特色产业集群库。
依托青岛高新区、中德生态园产业园和胶州湾保税港区，支持海尔、海信等龙头企业做大做强。
前瞻布局元宇宙、脑机接口等5个未来产业。下一步，前瞻布局元宇宙、脑机接口等6个未来产业。`

// linkFixture is what a plan links to, as other loaders will have put it:
//
//	chains ev 新能源汽车, ai 人工智能 (alias AI), bigdata 大数据, ic 集成电路
//	crosswalk 新能源汽车 → ev (0.95); 新材料 → material (0.8)
//	parks qd-hitech 青岛高新技术产业开发区 (short 青岛高新区, region 370200)
//	      qd-sino-german 中德生态园 (region 370211)
//	firms 海尔智家 (short 海尔智家, alias 海尔), 海信集团 (short 海信集团)
//	      and 海信电子 in 广东 — 海信 is a short form of both
func linkFixture(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	put := func(src graph.Source, facts ...graph.Fact) {
		t.Helper()
		if _, err := st.Replace(ctx, src, graph.Facts(facts...)); err != nil {
			t.Fatal(err)
		}
	}
	put(graph.Source{ID: "reference/regions", Kind: graph.KindReference},
		graph.Region{Code: "370000", Name: "山东省", ShortName: "山东", Level: graph.LevelProvince},
		graph.Region{Code: "370200", Name: "青岛市", ShortName: "青岛", Level: graph.LevelCity, Parent: "370000"},
		graph.Region{Code: "370211", Name: "黄岛区", ShortName: "黄岛", Level: graph.LevelCounty, Parent: "370200"},
		graph.Region{Code: "440000", Name: "广东省", ShortName: "广东", Level: graph.LevelProvince},
	)
	put(graph.Source{ID: "chains/library", Kind: graph.KindChains},
		graph.Chain{ID: "ev", Name: "新能源汽车", Type: graph.ChainUpDown},
		graph.Chain{ID: "ai", Name: "人工智能", Aliases: []string{"AI"}, Type: graph.ChainLayered},
		graph.Chain{ID: "bigdata", Name: "大数据", Type: graph.ChainLayered},
		graph.Chain{ID: "ic", Name: "集成电路", Type: graph.ChainUpDown},
		graph.Chain{ID: "material", Name: "先进材料", Type: graph.ChainUpDown},
		graph.CrosswalkEntry{Phrase: "新能源汽车", Chains: []graph.ChainID{"ev"}, Confidence: 0.95},
		graph.CrosswalkEntry{Phrase: "新材料", Chains: []graph.ChainID{"material"}, Confidence: 0.8},
	)
	put(graph.Source{ID: "reference/parks", Kind: graph.KindReference},
		graph.Park{ID: "qd-hitech", Name: "青岛高新技术产业开发区", ShortName: "青岛高新区", Region: "370200", Kind: "高新区"},
		graph.Park{ID: "qd-sino-german", Name: "中德生态园", Region: "370211", Kind: "产业园"},
	)
	put(graph.Source{ID: "registry/firms", Kind: graph.KindRegistry},
		graph.Firm{ID: "91370200264574251E", Name: "海尔智家股份有限公司", ShortName: "海尔智家", Aliases: []string{"海尔"}, Region: "370200"},
		graph.Firm{ID: "913702001635784935", Name: "海信集团控股股份有限公司", ShortName: "海信集团", Region: "370200"},
		graph.Firm{ID: "x-hisense-gd", Name: "广东海信电子有限公司", ShortName: "海信电子", Region: "440000"},
	)
	return st
}

func writePlan(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadPlanLinks(t *testing.T) {
	st := linkFixture(t)
	path := writePlan(t, "qingdao-plan.txt", testPlan)
	rep, res, err := LoadFile(context.Background(), st, "plan", path, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ID != "plan/qingdao-plan.txt" {
		t.Errorf("source id = %s", res.ID)
	}
	p, ok := st.Index().Plan("qingdao-plan.txt")
	if !ok {
		t.Fatalf("plan not loaded; plans: %+v", st.Index().Plans())
	}
	if p.Region != "370200" || p.RegionMethod != "issuer" || p.Title != "青岛市“十四五”先进制造业发展规划" || p.Period != "2021-2025" {
		t.Errorf("plan = %+v", p.Plan)
	}

	links := map[string]string{}
	for _, d := range p.Designations {
		var ls []string
		for _, l := range d.Chains {
			ls = append(ls, string(l.Chain)+":"+l.Method)
		}
		links[d.Name+"/"+string(d.Role)] = strings.Join(ls, ",")
	}
	want := map[string]string{
		"新能源汽车/pillar":    "ev:crosswalk",
		"大数据与人工智能/pillar": "bigdata:name-part,ai:name-part",
		"高端化工/pillar":     "",
		"元宇宙/future":      "",
		"脑机接口/future":     "",
		"集成电路/chain":      "ic:name",
	}
	for k, w := range want {
		if got, ok := links[k]; !ok || got != w {
			t.Errorf("designation %s links %q, want %q (all: %v)", k, got, w, links)
		}
	}
	for _, d := range p.Designations {
		for _, l := range d.Chains {
			if l.Confidence <= 0 || l.Confidence > 1 {
				t.Errorf("%s → %s: confidence %v", d.Name, l.Chain, l.Confidence)
			}
		}
	}
	if len(p.Clusters) != 2 || p.Clusters[0].Name != "新材料" || p.Clusters[0].Level != "provincial" ||
		len(p.Clusters[0].Chains) != 1 || p.Clusters[0].Chains[0].Chain != "material" || p.Clusters[0].Chains[0].Confidence != 0.8 {
		t.Errorf("clusters = %+v", p.Clusters)
	}

	mentions := map[string]string{}
	for _, m := range p.Mentions {
		mentions[m.Kind+" "+m.Name] = string(m.Park) + string(m.Firm) + "/" + m.Method
	}
	wantMentions := map[string]string{
		"park 青岛高新区":    "qd-hitech/name",
		"park 中德生态园产业园": "qd-sino-german/contains",
		"park 胶州湾保税港区":  "/unresolved",
		"firm 海尔":       "91370200264574251E/name",
		"firm 海信":       "913702001635784935/short-form+region",
	}
	for k, w := range wantMentions {
		if mentions[k] != w {
			t.Errorf("mention %s = %q, want %q (all: %v)", k, mentions[k], w, mentions)
		}
	}

	var lost int
	for _, in := range p.Indicators {
		if in.Value == nil {
			lost++
		}
	}
	if len(p.Indicators) != 2 || lost != 1 {
		t.Errorf("indicators = %+v: want one with its value and one lost", p.Indicators)
	}
	if len(p.Conflicts) != 1 || len(p.Conflicts[0].Groups) != 2 {
		t.Errorf("conflicts = %+v", p.Conflicts)
	}
	// Every fact's evidence is in the plan.
	for _, d := range p.Designations {
		e := d.Evidence
		if e == nil {
			t.Errorf("%s: no evidence", d.Name)
			continue
		}
		if e.Quote != d.Name || !strings.Contains(e.Text, d.Name) || string([]rune(testPlan)[e.Start:e.End]) != d.Name {
			t.Errorf("evidence of %s = %+v", d.Name, e)
		}
	}

	var warned []string
	for _, w := range rep.Warnings {
		warned = append(warned, w.Error())
	}
	for _, w := range []string{"高端化工: no chain found", "胶州湾保税港区: no park found", "「5个未来产业」与「6个未来产业」"} {
		if !slices.ContainsFunc(warned, func(s string) bool { return strings.Contains(s, w) }) {
			t.Errorf("no warning %q in %v", w, warned)
		}
	}
	if rep.Counts["firm linked"] != 2 || rep.Counts["park unresolved"] != 1 {
		t.Errorf("counts = %v", rep.Counts)
	}

	// Loading it again changes nothing.
	_, res, err = LoadFile(context.Background(), st, "plan", path, FileOptions{})
	if err != nil || !res.Unchanged {
		t.Errorf("reload: unchanged = %v, err = %v", res.Unchanged, err)
	}
}

func TestLoadPlanRegion(t *testing.T) {
	st := linkFixture(t)
	text := "某行动计划解读\n到2025年，规模以上工业营业收入突破5000亿元。"
	rep, _, err := LoadFile(context.Background(), st, "plan", writePlan(t, "a.txt", text), FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Index().Plan("a.txt"); p.Region != "" {
		t.Errorf("region %s from a text that names none", p.Region)
	}
	if !slices.ContainsFunc(rep.Warnings, func(w *ParseError) bool { return strings.Contains(w.Error(), "--region") }) {
		t.Errorf("warnings %v do not ask for --region", rep.Warnings)
	}
	if _, _, err := LoadFile(context.Background(), st, "plan", writePlan(t, "a.txt", text), FileOptions{Options: Options{Region: "370200"}}); err != nil {
		t.Fatal(err)
	}
	if p, _ := st.Index().Plan("a.txt"); p.Region != "370200" || p.RegionMethod != "given" {
		t.Errorf("plan loaded with --region: %+v", p.Plan)
	}
	if got := st.Index().PlansOfRegion("370000", true); len(got) != 1 || got[0].ID != "a.txt" {
		t.Errorf("plans within 山东 = %v", got)
	}
}

func TestLoadPlanRejectsScans(t *testing.T) {
	st := linkFixture(t)
	scan := "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" // no pages, no text
	_, _, err := LoadFile(context.Background(), st, "plan", writePlan(t, "scan.pdf", scan), FileOptions{})
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrRejected) || pe.File != "scan.pdf" {
		t.Errorf("a PDF without text: err = %v, want a rejection naming the file", err)
	}
	if len(st.Index().Plans()) != 0 {
		t.Error("a rejected plan left facts")
	}
}

func TestReadPlanWithoutReadModel(t *testing.T) {
	var c collect
	rep, err := ReadPlan(t.Context(), Input{R: strings.NewReader(testPlan), File: "p.txt"}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.facts) == 0 || rep.Rows == 0 {
		t.Fatalf("no facts without a read model: %v", rep)
	}
	for _, f := range c.facts {
		if m, ok := f.(graph.Mention); ok && (m.Firm != "" || m.Park != "") {
			t.Errorf("resolved without a read model: %+v", m)
		}
	}
}

// TestPlanNormalisedText loads seed plan 003 — a mirror site's page in
// traditional characters with pinyin after them — and checks that the plan
// keeps the normalised text the page shows (simplified, no pinyin) and
// that each fact's evidence marks its words in it.
func TestPlanNormalisedText(t *testing.T) {
	src := graphtest.Shared(t, "plans/003_5fc9eafc7ee9e2ce.txt")
	st := linkFixture(t)
	if _, _, err := LoadFile(context.Background(), st, "plan", src, FileOptions{Options: Options{Region: "370000"}}); err != nil {
		t.Fatal(err)
	}
	var p readmodel.PlanRecord
	for _, pl := range st.Index().Plans() {
		p = pl
	}
	if p.NormText == "" {
		t.Fatal("the plan keeps no normalised text")
	}
	for _, bad := range []string{"國", "業", "(guó)", "(yè)", "wǎng"} {
		if strings.Contains(p.NormText, bad) {
			t.Errorf("normalised text still holds %q", bad)
		}
	}
	if !strings.Contains(p.NormText, "山东省政府办公厅印发") {
		t.Errorf("normalised text does not read as simplified Chinese: %.200q", p.NormText)
	}
	norm := []rune(p.NormText)
	marked := 0
	for _, e := range p.Evidence {
		if e.NormEnd <= e.NormStart || e.NormEnd > len(norm) {
			t.Errorf("evidence %d: span %d–%d outside the normalised text (%d characters)", e.N, e.NormStart, e.NormEnd, len(norm))
			continue
		}
		marked++
	}
	for _, d := range p.Designations {
		if e := d.Evidence; e != nil && e.NormEnd <= len(norm) && !strings.Contains(string(norm[e.NormStart:e.NormEnd]), d.Name) {
			t.Errorf("designation %q: the marked words are %q", d.Name, string(norm[e.NormStart:e.NormEnd]))
		}
	}
	if marked == 0 {
		t.Error("no evidence marks the normalised text")
	}
}
