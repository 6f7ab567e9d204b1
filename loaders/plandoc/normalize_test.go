package plandoc

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func normText(t *testing.T, raw string, f Format) *Norm {
	t.Helper()
	n, err := Normalise(&Text{Name: "x", Format: f, Raw: raw})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNormalise(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"full-width digits and punctuation", "到２０２５年，达到１０％以上；", "到2025年,达到10%以上;"},
		{"traditional to simplified", "重點發展集成電路產業", "重点发展集成电路产业"},
		{"stray spaces inside words", "優 質 企 業總數達到 8000 家以上", "优质企业总数达到8000家以上"},
		{"spaces around Latin words", "占 GDP 比重達到 50 %以上", "占GDP比重达到50%以上"},
		{"pinyin annotations", "產(chǎn)業(yè)鏈(liàn)群", "产业链群"},
		{"pinyin after a lost character", "項?(jī)?(chǔ)備", "项\uFFFD\uFFFD备"},
		{"pinyin whose opening bracket was lost too", "項目?jī)?chū)備", "项目备"},
		{"pinyin after a garbled Latin letter", "靶向M(jìn)項目", "靶向M项目"},
		{"pinyin without tone marks once marked ones appear", "發(fā)展(zhǎn)的(de)產(chǎn)業(yè)", "发展的产业"},
		{"a bracketed Latin word stays", "依托AI(ai)平台", "依托AI(ai)平台"},
		{"Latin words keep their space", "Produced By 大汉", "Produced By大汉"},
		{"corner brackets become quotes", "「五能一網」", "“五能一网”"},
		{"a field label keeps its space", "发布机构: 某区工业和信息化局 组配分类: 解读", "发布机构:某区工业和信息化局 组配分类:解读"},
		{"zero-width and carriage returns go", "数字\u200b经济\r\n", "数字经济\n"},
		{"a question mark ends a question", "为什么?\n因为", "为什么?\n因为"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normText(t, tt.raw, FormatText).Text; got != tt.want {
				t.Errorf("Normalise(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestNormaliseJoinsPDFLines(t *testing.T) {
	raw := "到2025年，全市规模以上工业营业收入突破一千亿元，战略性新兴\n产业产值占比达到40%以上。\n二、重点任务\n"
	got := normText(t, raw, FormatPDF).Text
	if want := "到2025年,全市规模以上工业营业收入突破一千亿元,战略性新兴产业产值占比达到40%以上。\n二、重点任务\n"; got != want {
		t.Errorf("PDF lines = %q, want %q", got, want)
	}
}

// TestNormaliseMapsBack checks that every normalised span maps back to the
// characters of the original it came from.
func TestNormaliseMapsBack(t *testing.T) {
	raw := "　重(zhòng)點 發 展「集成電路」，規模達到１０００億元。"
	n := normText(t, raw, FormatText)
	for _, tt := range []struct{ norm, orig string }{
		{"集成电路", "集成電路"},
		{"发展", "發 展"},
		{"1000亿元", "１０００億元"},
		{"重点", "重(zhòng)點"},
	} {
		i := strings.Index(n.Text, tt.norm)
		if i < 0 {
			t.Fatalf("%q not in %q", tt.norm, n.Text)
		}
		start, end, text := n.Raw(i, i+len(tt.norm))
		if text != tt.orig || string([]rune(raw)[start:end]) != tt.orig {
			t.Errorf("%q maps to %q [%d,%d), want %q", tt.norm, text, start, end, tt.orig)
		}
	}
}

// The same plan three ways: simplified; traditional; traditional with
// stray spaces and pinyin as a mirror site prints it. All give the same facts.
const (
	twinSimplified = `某市先进制造业强市建设行动计划解读
到2025年，全市规模以上工业营业收入突破1万亿元，数字经济核心产业增加值占地区生产总值比重达到15%以上。
聚焦高端装备、新一代信息技术、生物医药与大健康三大主导产业，重点打造集成电路、工业互联网、人工智能等12个产业链群。
前瞻布局量子信息、元宇宙等6个未来产业。
推动纺织服装、食品加工等传统产业转型升级。
依托某市高新区、某市综合保税区和中德产业园，建设储能、氢能、智能电网“两能一网”的新能源装备产业体系。`
	twinTraditional = `某市先進製造業強市建設行動計劃解讀
到2025年，全市規模以上工業營業收入突破1萬億元，數字經濟核心產業增加值佔地區生產總值比重達到15%以上。
聚焦高端裝備、新一代信息技術、生物醫藥與大健康三大主導產業，重點打造集成電路、工業互聯網、人工智能等12個產業鏈群。
前瞻佈局量子信息、元宇宙等6個未來產業。
推動紡織服裝、食品加工等傳統產業轉型升級。
依託某市高新區、某市綜合保稅區和中德產業園，建設儲能、氫能、智能電網「兩能一網」的新能源裝備產業體系。`
	twinMirror = `某市先進製造業強市建設行動計劃解讀
到 2025 年，全市規(guī)模以上工業(yè)營業(yè)收入突破 1 萬億元，數字經濟核心產業(yè)增加值佔地區生產總值比重達到 15%以上。
聚焦高端裝備、新一代信息技術、生物醫藥與大 健康三大主導產(chǎn)業，重點打造集成電路、工業互聯網、人工 智能等 12 個產業鏈群。
前瞻佈局量子信息、元宇宙等 6 個未來產業(yè)。
推動紡織服裝、食品加工等傳統產業轉型升級。
依託某市高新區、某市綜合保稅區和中德產業(yè)園，建設儲能、氫能、智能電網「兩能一網」的新能源裝備產業體系。`
)

// facts reduces a document to its facts without evidence.
func facts(d *Document) map[string][]string {
	out := map[string][]string{"title": {d.Title}}
	for _, x := range d.Industries {
		out["industries"] = append(out["industries"], x.Name+"/"+string(x.Role))
	}
	for _, x := range d.Clusters {
		out["clusters"] = append(out["clusters"], x.Name+"/"+x.Level)
	}
	for _, x := range d.Chains {
		out["chains"] = append(out["chains"], x.Name)
	}
	for _, x := range d.Parks {
		out["parks"] = append(out["parks"], x.Name+"/"+x.ParkKind)
	}
	for _, x := range d.Firms {
		out["firms"] = append(out["firms"], x.Name)
	}
	for _, x := range d.Indicators {
		out["indicators"] = append(out["indicators"], indicatorKey(x))
	}
	for _, g := range d.CountedGroups {
		out["groups"] = append(out["groups"], g.Text+"/"+strings.Join(g.Items, ","))
	}
	return out
}

func indicatorKey(x graph.Indicator) string {
	v := "lost"
	if x.Value != nil {
		v = strconvF(*x.Value)
	}
	return x.Metric + "=" + v + x.Unit + x.Comparator + "@" + strconv.Itoa(x.Year)
}

func TestTwinsGiveTheSameFacts(t *testing.T) {
	var want map[string][]string
	for i, raw := range []string{twinSimplified, twinTraditional, twinMirror} {
		d, err := Extract(&Text{Name: "twin.txt", Format: FormatText, Raw: raw}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got := facts(d)
		if i == 0 {
			want = got
			if len(got["industries"]) < 8 || len(got["parks"]) != 3 || len(got["indicators"]) != 2 || len(got["chains"]) != 3 {
				t.Fatalf("the simplified plan gives too little: %v", got)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("twin %d gives other facts:\n got %v\nwant %v", i, got, want)
		}
		// Evidence quotes the twin's own characters.
		for _, in := range d.Industries {
			if in.Name == "生物医药与大健康" && in.Evidence.Quote != "生物醫藥與大 健康" && in.Evidence.Quote != "生物醫藥與大健康" {
				t.Errorf("twin %d: evidence of 生物医药与大健康 = %q", i, in.Evidence.Quote)
			}
			if got := string([]rune(raw)[in.Evidence.Start:in.Evidence.End]); got != in.Evidence.Quote {
				t.Errorf("twin %d: evidence offsets [%d,%d) give %q, text says %q", i, in.Evidence.Start, in.Evidence.End, got, in.Evidence.Quote)
			}
		}
	}
}

func strconvF(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
