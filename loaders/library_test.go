package loaders

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// loadDefaultData loads the repository's default dataset (../data, the files
// data.FS embeds) into an in-memory store.
func loadDefaultData(t *testing.T) *readmodel.Index {
	t.Helper()
	st, err := store.Open(context.Background(), "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	reps, err := LoadLibrary(context.Background(), st, os.DirFS("../data"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reps {
		for _, e := range append(r.Rejected, r.Warnings...) {
			t.Errorf("%s: %v", r.Source, e)
		}
	}
	return st.Index()
}

// TestDefaultLibrary holds the default chain library to what the plans need:
// every industry they name lands on chains, every park they name is known,
// and the chains are big enough to map.
func TestDefaultLibrary(t *testing.T) {
	x := loadDefaultData(t)
	chains := x.Chains()
	if len(chains) < 24 {
		t.Errorf("%d chains, want at least 24", len(chains))
	}
	big := []graph.ChainID{"nev", "ic", "biopharma", "hydrogen", "energy-storage", "high-end-equipment"}
	for _, c := range chains {
		n := len(x.ChainNodes(c.ID))
		switch {
		case slices.Contains(big, c.ID) && n < 40:
			t.Errorf("chain %s has %d nodes, want at least 40", c.ID, n)
		case n < 20:
			t.Errorf("chain %s has %d nodes, want at least 20", c.ID, n)
		}
		// A keyword in two leaves of one chain could not tell them apart.
		seen := map[string]graph.NodeID{}
		for _, node := range x.ChainNodes(c.ID) {
			if !x.IsLeaf(node.ID) {
				continue
			}
			for _, k := range node.Keywords {
				if other, dup := seen[k]; dup {
					t.Errorf("keyword %q is in both %s and %s", k, other, node.ID)
				}
				seen[k] = node.ID
			}
		}
	}

	// The industries, clusters and chains the five seed plans name, and the
	// chains the issue lists, all land on chains.
	phrases := []string{
		// 001 济南
		"大数据与新一代信息技术", "智能制造与高端装备", "生物医药与大健康", "精品钢与先进材料", "量子信息", "区块链",
		"高端化工", "绿色建材", "纺织服装", "食品加工", "高端五金", "节能环保", "软件与信息技术服务",
		"新一代信息技术装备", "信息技术应用创新", "人工智能",
		// 002 烟台
		"现代海洋", "装备制造", "电子信息", "医养健康", "新一代信息技术", "新能源", "新材料",
		"先进结构材料", "生物医药", "海洋牧场", "医药健康", "海工装备", "2+4",
		// 004 济南
		"新能源汽车", "智能网联汽车", "新能源装备", "储能", "太阳能", "风能", "核能", "氢能", "先进电网",
		"高端软件", "集成电路", "先进计算", "工业互联网", "五能一网", "4+10+17", "高端重卡",
		// the list and usual variants
		"工业软件", "云计算", "超算", "光伏", "风电", "核能装备", "智能电网装备", "医疗器械", "绿色石化",
		"海洋工程装备", "海洋食品", "高端装备", "新能源汽车产业链", "高端化工产业集群",
	}
	for _, p := range phrases {
		e, ok := x.CrosswalkFor(p)
		if !ok || len(e.Chains) == 0 {
			t.Errorf("plan wording %q lands on no chain", p)
			continue
		}
		for _, c := range e.Chains {
			if _, ok := x.Chain(c); !ok {
				t.Errorf("%q maps to unknown chain %s", p, c)
			}
		}
	}
	for _, p := range []string{"文化旅游", "现代物流"} {
		if e, ok := x.CrosswalkFor(p); !ok || len(e.Chains) != 0 {
			t.Errorf("%q: want a row that knowingly maps to no chain, got %+v %v", p, e, ok)
		}
	}
	if e, _ := x.CrosswalkFor("五能一网"); len(e.Chains) != 6 {
		t.Errorf("五能一网 = %v, want the six new-energy equipment chains", e.Chains)
	}

	// Every park, zone and corridor the plans name.
	for _, name := range []string{
		"中国算谷", "中国氢谷", "山东重工绿色智造产业城", "国家人工智能创新应用先导区", "国家新一代人工智能创新发展试验区",
		"工业互联网示范区", "国际招商产业园", "中韩产业园", "中日产业园", "中德新材料产业园", "山东自贸区烟台片区",
		"烟台保税港区", "西部沿海智造走廊", "东部沿海科创走廊",
		"济南高新区", "烟台开发区", "烟台高新区", "明水经济技术开发区", "莱芜高新区",
	} {
		p, ok := x.ParkByName(name)
		if !ok {
			t.Errorf("park %q is unknown", name)
			continue
		}
		if _, ok := x.Region(p.Region); !ok {
			t.Errorf("park %s: region %s unknown", p.ID, p.Region)
		}
	}

	// Reference tables.
	classes := 0
	for _, c := range x.IndustryCodes() {
		if c.Code.Level() == graph.CodeClass {
			classes++
		}
	}
	if classes != 1382 {
		t.Errorf("%d 小类, want 1382", classes)
	}
	if ic, _ := x.IndustryClass("3841"); !slices.Contains(ic.Tags, "strategic") || !slices.Contains(ic.Tags, "highTech_mfg") {
		t.Errorf("3841 tags = %v", ic.Tags)
	}
	if got := x.RegionsNamed("济南高新区"); !slices.Equal(got, []graph.RegionCode{"370176"}) {
		t.Errorf("济南高新区 = %v", got)
	}
	if got := x.NodesWithCode("3841"); !slices.Contains(got, "nev/cell") || !slices.Contains(got, "energy-storage/es-cell") {
		t.Errorf("nodes with 3841 = %v", got)
	}
}

// TestChainFilesHaveNotes keeps every chain file saying where its structure
// comes from.
func TestChainFilesHaveNotes(t *testing.T) {
	files, err := ChainFilesIn(os.DirFS("../data"), "chains")
	if err != nil || len(files) == 0 {
		t.Fatalf("chain files: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile("../data/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "\nnote:") || !strings.HasPrefix(string(b), "#") {
			t.Errorf("%s: want a header comment and a note: line", f)
		}
	}
}
