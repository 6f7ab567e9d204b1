package loaders

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// collect is a FactSink that keeps what it is given.
type collect struct{ facts []graph.Fact }

func (c *collect) Put(fs ...graph.Fact) error {
	c.facts = append(c.facts, fs...)
	return nil
}

func TestRegionShortName(t *testing.T) {
	tests := map[string]string{
		"烟台市":          "烟台",
		"莱山区":          "莱山",
		"山东省":          "山东",
		"内蒙古自治区":       "内蒙古",
		"广西壮族自治区":      "广西",
		"新疆维吾尔自治区":     "新疆",
		"延边朝鲜族自治州":     "延边",
		"恩施土家族苗族自治州":   "恩施",
		"长阳土家族自治县":     "长阳",
		"锡林郭勒盟":        "锡林郭勒",
		"大兴安岭地区":       "大兴安岭",
		"神农架林区":        "神农架",
		"市辖区":          "",
		"城区":           "",
		"魏县":           "",
		"香港特别行政区":      "香港",
		"济南高新技术产业开发区":  "济南高新区",
		"烟台经济技术开发区":    "烟台经开区",
		"威海火炬高技术产业开发区": "威海高新区",
		"菏泽高新技术开发区":    "菏泽高新区",
		"秦皇岛市经济技术开发区":  "秦皇岛经开区",
		"东营港经济开发区":     "东营港经开区",
	}
	for in, want := range tests {
		if got := RegionShortName(in); got != want {
			t.Errorf("RegionShortName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRegionAliases(t *testing.T) {
	tests := map[string][]string{
		"烟台经济技术开发区":    {"烟台开发区"},
		"威海火炬高技术产业开发区": {"威海火炬高新区"},
		"济南高新技术产业开发区":  nil,
		"莱山区":          nil,
	}
	for in, want := range tests {
		if got := RegionAliases(in); !slices.Equal(got, want) {
			t.Errorf("RegionAliases(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadRegions(t *testing.T) {
	in := "\ufeffcode,name,level,parent_code\n" +
		"370000,山东省,province,\n" +
		"370600,烟台市,city,370000\n" +
		"370613,莱山区,county,370600\n" +
		"3706,短码,county,370600\n" +
		"370614,,county,370600\n" +
		"370615,某区,village,370600\n"
	var c collect
	rep, err := ReadRegions(t.Context(), Input{R: strings.NewReader(in), File: "regions.csv"}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 6 || rep.Loaded != 3 || len(rep.Rejected) != 3 {
		t.Fatalf("report = rows %d loaded %d rejected %v", rep.Rows, rep.Loaded, rep.Rejected)
	}
	wantPos := []string{"regions.csv:5: code:", "regions.csv:6: name:", "regions.csv:7: level:"}
	for i, w := range wantPos {
		if !strings.HasPrefix(rep.Rejected[i].Error(), w) {
			t.Errorf("rejection %d = %q, want prefix %q", i, rep.Rejected[i], w)
		}
	}
	ls := c.facts[2].(graph.Region)
	if ls.Code != "370613" || ls.ShortName != "莱山" || ls.Parent != "370600" || ls.Level != graph.LevelCounty {
		t.Errorf("莱山区 = %+v", ls)
	}

	_, err = ReadRegions(t.Context(), Input{R: strings.NewReader("code,name\n370000,山东省\n"), File: "bad.csv"}, &c)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 1 || !strings.Contains(err.Error(), "level, parent_code") {
		t.Errorf("missing columns: %v", err)
	}
}
