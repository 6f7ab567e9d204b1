package graph

import (
	"errors"
	"testing"
)

func TestParseCreditCode(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		// Real codes of well-known firms, as printed on their business licences.
		{"华为技术有限公司", "914403001922038216", "914403001922038216", true},
		{"深圳市腾讯计算机系统有限公司", "9144030071526726XG", "9144030071526726XG", true},
		{"阿里巴巴（中国）有限公司", "91330100799655058B", "91330100799655058B", true},
		{"小米科技有限责任公司", "91110108551385082Q", "91110108551385082Q", true},
		{"中国石油化工集团有限公司", "91110000100010433L", "91110000100010433L", true},
		{"surrounding spaces", "  914403001922038216 ", "914403001922038216", true},
		{"lower case folds", "9144030071526726xg", "9144030071526726XG", true},
		{"full-width folds", "９１４４０３００１９２２０３８２１６", "914403001922038216", true},
		{"full-width letters", "９１４４０３００７１５２６７２６ＸＧ", "9144030071526726XG", true},
		{"wrong checksum", "914403001922038217", "", false},
		{"one digit changed", "914403001922038316", "", false},
		{"too short", "91440300192203821", "", false},
		{"too long", "9144030019220382161", "", false},
		{"empty", "", "", false},
		{"letter I not in alphabet", "9144030019220382I6", "", false},
		{"Chinese text", "华为技术有限公司华为技术有限公司华为", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCreditCode(tt.in)
			if tt.ok {
				if err != nil {
					t.Fatalf("ParseCreditCode(%q) = %v", tt.in, err)
				}
				if string(got) != tt.want {
					t.Fatalf("ParseCreditCode(%q) = %q, want %q", tt.in, got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseCreditCode(%q) = %q, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ParseCreditCode(%q) error %v is not ErrInvalid", tt.in, err)
			}
		})
	}
}

func TestCreditCheckChar(t *testing.T) {
	for _, code := range []string{"914403001922038216", "9144030071526726XG", "91330100799655058B"} {
		c, err := CreditCheckChar(code[:17])
		if err != nil || c != code[17] {
			t.Errorf("CreditCheckChar(%q) = %q, %v; want %q", code[:17], c, err, code[17])
		}
	}
}

func TestRegisteringRegion(t *testing.T) {
	c, err := ParseCreditCode("914403001922038216")
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.RegisteringRegion()
	if err != nil || r != "440300" {
		t.Fatalf("RegisteringRegion = %q, %v; want 440300 (深圳市)", r, err)
	}
	if r.Level() != LevelCity || r.Province() != "440000" {
		t.Fatalf("440300: level %s province %s", r.Level(), r.Province())
	}
}

func TestParseRegionCode(t *testing.T) {
	tests := []struct {
		in    string
		level RegionLevel
		ok    bool
	}{
		{"370000", LevelProvince, true},
		{"370600", LevelCity, true},
		{"370613", LevelCounty, true},
		{"370613001", LevelTown, true},
		{"3706", "", false},
		{"37061a", "", false},
		{"000000", "", false},
		{"370013", "", false},
	}
	for _, tt := range tests {
		got, err := ParseRegionCode(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseRegionCode(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && got.Level() != tt.level {
			t.Errorf("ParseRegionCode(%q).Level() = %s, want %s", tt.in, got.Level(), tt.level)
		}
	}
	city := RegionCode("370600")
	if !city.Contains("370613") || city.Contains("370102") || !RegionCode("370000").Contains("370613") {
		t.Error("Contains is wrong for 烟台市 / 莱山区 / 历下区")
	}
}

func TestParseIndustryCode(t *testing.T) {
	tests := []struct {
		in, want string
		level    IndustryLevel
		ok       bool
	}{
		{"C", "C", CodeSection, true},
		{"38", "38", CodeDivision, true},
		{"384", "384", CodeGroup, true},
		{"3841", "3841", CodeClass, true},
		{"C3841", "3841", CodeClass, true},
		{" i6520 ", "6520", CodeClass, true},
		{"38411", "", "", false},
		{"Z", "", "", false},
		{"3", "", "", false},
		{"00", "", "", false},
		{"锂电池", "", "", false},
	}
	for _, tt := range tests {
		got, err := ParseIndustryCode(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("ParseIndustryCode(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && (string(got) != tt.want || got.Level() != tt.level) {
			t.Errorf("ParseIndustryCode(%q) = %q (%s), want %q (%s)", tt.in, got, got.Level(), tt.want, tt.level)
		}
	}
}

func TestSlugIDs(t *testing.T) {
	if _, err := ParseChainID("nev"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "NEV", "新能源汽车", "-nev", "nev/x"} {
		if _, err := ParseChainID(bad); err == nil {
			t.Errorf("ParseChainID(%q) accepted", bad)
		}
	}
	n, err := ParseNodeID("nev/battery-cell")
	if err != nil || n.Chain() != "nev" || n.Slug() != "battery-cell" {
		t.Errorf("ParseNodeID = %q %v", n, err)
	}
	if _, err := ParseNodeID("battery-cell"); err == nil {
		t.Error("ParseNodeID accepted a node without its chain")
	}
	f, err := SurrogateFirmID("600309.SH")
	if err != nil || f != "x-600309-sh" {
		t.Errorf("SurrogateFirmID = %q %v", f, err)
	}
	if _, err := ParseFirmID(string(f)); err != nil {
		t.Error(err)
	}
	if a, b := Slugify("烟台市企业名录.csv"), Slugify("济南市企业名录.csv"); a == b {
		t.Errorf("Slugify gives one slug %q to two Chinese names", a)
	}
	if _, err := ParseSourceID(string(KindRegistry) + "/" + Slugify("烟台市企业名录.csv")); err != nil {
		t.Error(err)
	}
}

// TestSourceName: a file name's source id stays readable in any script,
// and ASCII names keep the ids they had (issue 19, item 2).
func TestSourceName(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"firms.csv", "firms.csv"},
		{"dup x.csv", "dup-x.csv"},
		{"dup_x.csv", "dup-x.csv"},
		{"DUP-X.csv", "dup-x.csv"},
		{"烟台市企业名录.csv", "烟台市企业名录.csv"},
		{"烟台 企业名录（2024）.xlsx", "烟台-企业名录-2024-.xlsx"},
		{"ＡＢＣ１.csv", "abc1.csv"},
		{"...", "x"},
	} {
		if got := SourceName(tt.name); got != tt.want {
			t.Errorf("SourceName(%q) = %q, want %q", tt.name, got, tt.want)
		}
		id, err := NewSourceID(KindRegistry, tt.name)
		if err != nil {
			t.Errorf("NewSourceID(%q): %v", tt.name, err)
		}
		if _, err := ParseSourceID(string(id)); err != nil {
			t.Errorf("ParseSourceID(%q): %v", id, err)
		}
	}
	for _, name := range []string{"a b.csv", "firms_2024.csv", "x.csv", "A-Share (2024).CSV"} {
		if got, old := SourceName(name), Slugify(name); got != old {
			t.Errorf("SourceName(%q) = %q, Slugify gave %q: an ASCII name's id changed", name, got, old)
		}
	}
	for _, bad := range []string{"registry/Firms.csv", "registry/a_b", "registry/-a", "registry/a b", "registry/"} {
		if _, err := ParseSourceID(bad); err == nil {
			t.Errorf("ParseSourceID(%q) accepted", bad)
		}
	}
}
