package loaders

import (
	"context"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// factList keeps the facts a loader puts.
type factList []graph.Fact

func (l *factList) Put(fs ...graph.Fact) error { *l = append(*l, fs...); return nil }

// TestHonoursProvince: a row's city and county are read within its
// province column, else within the province the list is about
// (Input.Region), never within one province written into the loader.
func TestHonoursProvince(t *testing.T) {
	st := fixtureStore(t)
	const csv = "firm_name,honour,province,city,county\n" +
		"甲科技有限公司,专精特新,,烟台市,莱山区\n" +
		"乙科技有限公司,专精特新,广东省,深圳市,南山区\n" +
		"丙科技有限公司,专精特新,,,朝阳\n"
	for _, tc := range []struct {
		name   string
		region graph.RegionCode
		want   []graph.RegionCode // per row; "" for not placed
	}{
		{"no province given", "", []graph.RegionCode{"370613", "440305", ""}},          // 朝阳: 北京 or 辽宁
		{"a list of 北京's firms", "110000", []graph.RegionCode{"", "440305", "110105"}}, // 烟台 is not in 北京
	} {
		var got factList
		in := Input{R: strings.NewReader(csv), File: "honours.csv", Options: Options{Region: tc.region}, Lookups: LookupsOf(st.Index())}
		if _, err := ReadHonours(context.Background(), in, &got); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var regions []graph.RegionCode
		for _, f := range got {
			if fm, ok := f.(graph.Firm); ok && fm.Name != "" {
				regions = append(regions, fm.Region)
			}
		}
		if len(regions) != len(tc.want) {
			t.Fatalf("%s: %d firms, want %d", tc.name, len(regions), len(tc.want))
		}
		for i := range regions {
			if regions[i] != tc.want[i] {
				t.Errorf("%s: row %d placed in %q, want %q", tc.name, i+1, regions[i], tc.want[i])
			}
		}
	}
}
