package loaders

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

func TestParseCapital(t *testing.T) {
	tests := []struct {
		in, unit string
		hcur     string // the header's currency
		want     float64
		cur      string
		bad      bool
	}{
		{in: "5000万元人民币", want: 5000},
		{in: "5000万人民币", want: 5000},
		{in: "1,200万美元", want: 1200, cur: "USD"},
		{in: "3.5亿", want: 35000},
		{in: "3.5亿元人民币", want: 35000},
		{in: "100万(元)", want: 100},
		{in: "50000000元", want: 5000},
		{in: "500", want: 500},
		{in: "500", unit: "元", want: 0.05},
		{in: "2", unit: "亿", want: 20000},
		{in: "２００万港元", want: 200, cur: "HKD"},
		{in: "800万欧元", want: 800, cur: "EUR"},
		{in: "USD 300万", want: 300, cur: "USD"},
		{in: "1.5千万", want: 1500},
		{in: "万元", bad: true},
		{in: "5000万卢比X", bad: true},
		{in: "-5万", bad: true},
		{in: "50 万人民币", want: 50},
		{in: "13,400万元", want: 13400},
		{in: "500", unit: "万", hcur: "USD", want: 500, cur: "USD"}, // 注册资本（万美元）
		{in: "500万人民币", unit: "万", hcur: "USD", want: 500},         // the cell's currency wins
		{in: "1.2E+7", unit: "元", want: 1200},
		{in: "1e20万元", bad: true},
		{in: "100000000000000000000万元", bad: true},
		{in: "2", unit: "亿", want: 20000},
	}
	for _, tt := range tests {
		got, cur, err := parseCapital(tt.in, tt.unit, tt.hcur)
		if tt.bad {
			if err == nil {
				t.Errorf("parseCapital(%q) = %v %q, want an error", tt.in, got, cur)
			}
			continue
		}
		if err != nil || got != tt.want || cur != tt.cur {
			t.Errorf("parseCapital(%q, %q) = %v %q %v, want %v %q", tt.in, tt.unit, got, cur, err, tt.want, tt.cur)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2019-03-01", "2019-03-01"},
		{"2019/3/1", "2019-03-01"},
		{"2019.3.1", "2019-03-01"},
		{"2019年3月1日", "2019-03-01"},
		{"２０１９年０３月０１日", "2019-03-01"},
		{"20190301", "2019-03-01"},
		{"2019-03-01 00:00:00", "2019-03-01"},
		{"2019-03-01T08:00:00+08:00", "2019-03-01"},
		{"43525", "2019-03-01"}, // an Excel serial
		{"43525.5", "2019-03-01"},
		{"2019年3月", "partial 2019-03"},
		{"2019", "partial 2019"}, // a year, not the Excel serial of 1905-07-11
		{"2019年", "partial 2019"},
		{"1799", "1904-12-03"}, // outside the years a firm was founded in: a serial
		{"2019-02-29", ""},
		{"2019-13-01", ""},
		{"三月", ""},
		{"12", "1900-01-11"}, // a tiny serial is still a serial …
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in)
		if p, ok := strings.CutPrefix(tt.want, "partial "); ok {
			var pd *partialDate
			if !errors.As(err, &pd) || pd.text != p {
				t.Errorf("parseDate(%q) = %q, %v; want the partial date %s", tt.in, got, err, p)
			}
			continue
		}
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseDate(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("parseDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseStatus(t *testing.T) {
	tests := map[string]graph.FirmStatus{
		"存续":           graph.StatusActive,
		"在业":           graph.StatusActive,
		"开业":           graph.StatusActive,
		"存续（在营、开业、在册）": graph.StatusActive,
		"注销":           graph.StatusCancelled,
		"已注销":          graph.StatusCancelled,
		"吊销，未注销":       graph.StatusRevoked,
		"吊销，已注销":       graph.StatusCancelled,
		"迁出":           graph.StatusMovedOut,
		"停业":           graph.StatusOther,
		"清算":           graph.StatusOther,
		"撤销":           graph.StatusOther,
	}
	for in, want := range tests {
		if got, err := parseStatus(in); err != nil || got != want {
			t.Errorf("parseStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := parseStatus("神秘状态"); err == nil || got != graph.StatusOther {
		t.Errorf("unknown status = %q, %v", got, err)
	}
}

func TestParseTags(t *testing.T) {
	got := parseTags("国家级专精特新小巨人企业；高新企业、瞪羚企业,专精特新中小企业| 独角兽 ;单项冠军示范企业；科技型中小企业；上市公司；绿色工厂")
	want := []string{"专精特新小巨人", "高新技术企业", "瞪羚", "专精特新", "独角兽", "单项冠军", "科技型中小企业", "上市", "绿色工厂"}
	if !slices.Equal(got, want) {
		t.Errorf("parseTags = %q, want %q", got, want)
	}
}

func TestParseStock(t *testing.T) {
	tests := map[string]string{
		"600309.SH": "600309.SH", "600309": "600309.SH", "sz000001": "000001.SZ", "002353": "002353.SZ",
		"300054": "300054.SZ", "430047": "430047.BJ", "00700.HK": "00700.HK", "60030": "",
	}
	for in, want := range tests {
		got, err := parseStock(in)
		if want == "" {
			if err == nil {
				t.Errorf("parseStock(%q) = %q, want an error", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("parseStock(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestIndustryOf(t *testing.T) {
	st := fixtureStore(t)
	w := &worker{l: newRegistryLoader(&Report{}, "x.csv", Input{Lookups: LookupsOf(st.Index())}, registryOptions{}, nil), industry: map[string]graph.IndustryCode{}}
	tests := map[string]graph.IndustryCode{
		"C3841":         "3841",
		"3841":          "3841",
		"C":             "C",
		"锂离子电池制造":       "3841",
		"C3841 锂离子电池制造": "3841",
		"制造业>电气机械和器材制造业>电池制造": "384",
		"制造业/汽车制造业/新能源车整车制造":  "3612",
		"软件开发": "",
	}
	for in, want := range tests {
		got, ok := w.industryOf(in)
		if got != want || ok != (want != "") {
			t.Errorf("industryOf(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestNormalizeHeader(t *testing.T) {
	tests := map[string]field{
		"企业名称":      fName,
		" 注册资本（万元）": fCapital,
		"注册资本(元)":   fCapital,
		"统一社会信用代码":  fCreditCode,
		"参保人数(人)":   fEmployees,
		"经营状态":      fStatus,
		"ts_code":   fStock,
		"NAME":      fName,
	}
	for h, want := range tests {
		if got := headerAliases[normalizeHeader(h)]; got != want {
			t.Errorf("header %q → %q, want %q", h, got, want)
		}
	}
}

func TestParseTerm(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1997-01-28 至 无固定期限", "1997-01-28 至 无固定期限"},
		{"2001/5/10至2031/5/9", "2001-05-10 至 2031-05-09"},
		{"2001-05-10~长期", "2001-05-10 至 长期"},
		{"2001-05-10 至 -", "2001-05-10 至 "},
		{"无固定期限", ""},
		{"2001-05-10 至 明年", ""},
	}
	for _, tt := range tests {
		got, err := parseTerm(tt.in)
		if (err != nil) != (tt.want == "") || got != tt.want {
			t.Errorf("parseTerm(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCapitalUnitOf(t *testing.T) {
	tests := []struct{ h, unit, cur string }{
		{"注册资本（万美元）", "万", "USD"},
		{"注册资本(万元)", "万", ""},
		{"注册资本(元)", "元", ""},
		{"注册资本（元）", "元", ""},
		{"注册资本（亿元人民币）", "亿", ""},
		{"注册资本(港元)", "", "HKD"},
		{"注册资本", "", ""},
		{"企业(机构)类型", "", ""},
	}
	for _, tt := range tests {
		if u, c := capitalUnitOf(tt.h); u != tt.unit || c != tt.cur {
			t.Errorf("capitalUnitOf(%q) = %q %q, want %q %q", tt.h, u, c, tt.unit, tt.cur)
		}
	}
}
