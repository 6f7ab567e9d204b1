package plandoc

import (
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// The shapes of designation lists beyond "A、B等N大产业", each in words of
// our own: the rules must read the grammar, not a document.
func TestDesignationShapes(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		industries map[string]string // name → role
		chains     []string
		clusters   []string
	}{
		{"head after 等为主的, chain with a role word",
			"推动以纸浆造纸、竹木加工等为主的优势产业链提质。",
			map[string]string{"纸浆造纸": "advantage", "竹木加工": "advantage"}, []string{"竹木加工", "纸浆造纸"}, nil},
		{"one-character materials, the verb opens the list",
			"针对锌、锡、陶瓷等传统产业链,推进改造。",
			map[string]string{"锌": "traditional", "锡": "traditional", "陶瓷": "traditional"}, []string{"锌", "锡", "陶瓷"}, nil},
		{"a typed head is no role",
			"其中“3”即风电装备(含塔筒)、储能电池、氢能应用等领跑型产业链。",
			map[string]string{}, []string{"储能电池", "氢能应用", "风电装备"}, nil},
		{"head first with 包括",
			"这六大重点产业链包括智能家电产业链、现代种业产业链、绿色建材产业链、精细化工产业链、医疗器械产业链、航空装备产业链。",
			map[string]string{}, []string{"现代种业", "智能家电", "精细化工", "绿色建材", "航空装备", "医疗器械"}, nil},
		{"head first with a colon and parts opening with names",
			"全省确立了四大未来产业链:量子通信产业链依托高校布局;脑机接口产业链在省会集聚;合成生物产业链培育龙头;深海装备产业链向南延伸。",
			map[string]string{"量子通信": "future", "脑机接口": "future", "合成生物": "future", "深海装备": "future"},
			[]string{"量子通信", "脑机接口", "合成生物", "深海装备"}, nil},
		{"numbered lines under a counted heading",
			"(二)壮大三大支柱产业\n1.高端纺织(含家纺)\n2.绿色食品\n3.精密仪器\n(三)其他",
			map[string]string{"高端纺织": "pillar", "绿色食品": "pillar", "精密仪器": "pillar"}, nil, nil},
		{"an official's role verb before the list",
			"3名副区长分别担任船舶修造、海洋渔业等2条特色产业链的链长。",
			map[string]string{"船舶修造": "advantage", "海洋渔业": "advantage"}, []string{"海洋渔业", "船舶修造"}, nil},
		{"a cluster with its type word",
			"打造具有国际竞争力的高端仪器先进制造业集群。",
			map[string]string{}, nil, []string{"高端仪器"}},
		{"clusters each carrying the noun",
			"推动光学镜头产业集群、激光装备产业集群协同发展。",
			map[string]string{}, nil, []string{"光学镜头", "激光装备"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := extract(t, tt.text, Options{})
			got := map[string]string{}
			for _, in := range d.Industries {
				got[in.Name] = string(in.Role)
			}
			if !maps.Equal(got, tt.industries) {
				t.Errorf("industries = %v, want %v", got, tt.industries)
			}
			var chains, clusters []string
			for _, c := range d.Chains {
				chains = append(chains, c.Name)
			}
			for _, c := range d.Clusters {
				clusters = append(clusters, c.Name)
			}
			if !slices.Equal(sorted(chains), sorted(tt.chains)) {
				t.Errorf("chains = %v, want %v", chains, tt.chains)
			}
			if !slices.Equal(sorted(clusters), sorted(tt.clusters)) {
				t.Errorf("clusters = %v, want %v", clusters, tt.clusters)
			}
		})
	}
}

func TestQualifierNotes(t *testing.T) {
	d := extract(t, "培育壮大电子元件(含被动元件、连接器)、新型储能等两大优势产业。", Options{})
	if len(d.Industries) != 2 || d.Industries[0].Name != "电子元件" || d.Industries[0].Note != "含被动元件、连接器" {
		t.Errorf("industries = %+v, want 电子元件 with its bracket as a note, and 新型储能", d.Industries)
	}
}

func TestFirmsAndParksShapes(t *testing.T) {
	d := extract(t, "星辰光学(688001)、远航材料(300999.SZ)等上市公司加快布局。"+
		"市委常委、滨江经开区党工委书记介绍,渔港新城主要负责同志出席。", Options{})
	var firms, parks []string
	for _, f := range d.Firms {
		firms = append(firms, f.Name)
	}
	for _, p := range d.Parks {
		parks = append(parks, p.Name)
	}
	if want := []string{"星辰光学", "远航材料"}; !slices.Equal(sorted(firms), want) {
		t.Errorf("firms = %v, want %v", firms, want)
	}
	if want := []string{"渔港新城", "滨江经开区"}; !slices.Equal(sorted(parks), sorted(want)) {
		t.Errorf("parks = %v, want %v", parks, want)
	}
}

func TestTieredCounts(t *testing.T) {
	d := extract(t, "到2027年,全省新增2个千亿级产业集群、3条五百亿级产业链。已有电机、泵阀两个百亿级产业集群。", Options{})
	var got []string
	for _, in := range d.Indicators {
		got = append(got, indicatorKey(in))
	}
	want := []string{"全省新增千亿级产业集群=2个=@2027", "全省新增五百亿级产业链=3条=@2027"}
	if !slices.Equal(got, want) {
		t.Errorf("indicators = %q, want %q (a count closing a list of names is none)", got, want)
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		name, text      string
		published, page string
	}{
		{"a notice's date line, the page's date apart",
			"发布时间:2024-03-09\n某市人民政府关于印发《某市产业规划》的通知\n现将《某市产业规划》印发给你们。\n某市人民政府\n2024年2月1日\n",
			"2024-02-01", "2024-03-09"},
		{"a date line that lost its separators",
			"发布时间:2025-01-05\n关于印发《某县行动方案》的通知\n现将方案印发给你们。\n2024915\n", "2024-09-15", "2025-01-05"},
		{"an issue date with the year from context",
			"2023年,某省推进产业链建设。该省于8月3日印发《某省链长制方案》。", "2023-08-03", ""},
		{"only the page's date", "发布日期:2022年05月06日\n某市召开产业大会。", "2022-05-06", "2022-05-06"},
		{"no date", "某市召开产业大会。", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := extract(t, tt.text, Options{})
			if d.Published != tt.published || d.PageDate != tt.page {
				t.Errorf("published %q page %q, want %q and %q", d.Published, d.PageDate, tt.published, tt.page)
			}
		})
	}
}

func TestSubjectRunsAndDistributedValues(t *testing.T) {
	text := "全省重视传统优势产业的焕新。陶瓷产业链提升窑炉水平;造纸产业链推动林纸一体化;皮革产业链强化环保。\n" +
		"前5月,锂电、光学2个产业链群产值增长较快,分别增长21.5%、12.4%。"
	d := extract(t, text, Options{})
	got := map[string]string{}
	for _, in := range d.Industries {
		got[in.Name] = string(in.Role)
	}
	want := map[string]string{"陶瓷": "traditional", "造纸": "traditional", "皮革": "traditional"}
	if !maps.Equal(got, want) {
		t.Errorf("industries = %v, want %v", got, want)
	}
	var inds []string
	for _, in := range d.Indicators {
		inds = append(inds, in.Metric+"="+formatValue(in))
	}
	wantInds := []string{"锂电产业链群产值增长=21.5%", "光学产业链群产值增长=12.4%"}
	if !slices.Equal(inds, wantInds) {
		t.Errorf("indicators = %q, want %q", inds, wantInds)
	}
}

func TestProjectLists(t *testing.T) {
	d := extract(t, "远帆机电智能传动系统、青禾生物医用材料、华信芯片12英寸产线等项目开工建设。", Options{})
	var firms []string
	for _, f := range d.Firms {
		firms = append(firms, f.Name)
	}
	if want := []string{"华信芯片", "远帆机电", "青禾生物"}; !slices.Equal(sorted(firms), want) {
		t.Errorf("firms = %v, want %v", firms, want)
	}
}

func formatValue(in graph.Indicator) string {
	if in.Value == nil {
		return "?" + in.Unit
	}
	return strconv.FormatFloat(*in.Value, 'f', -1, 64) + in.Unit
}
