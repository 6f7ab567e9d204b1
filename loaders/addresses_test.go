package loaders

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// addressFixture is fixtureStore with listed firms whose regions came from
// sources newer than the 2016 address table (the listing of 2026, a news
// page of 2024) or from the address itself:
//
//	x-000001-sz 甲 山东省 (listing)        x-000005-sz 戊 莱山区 (address, undated)
//	x-000002-sz 乙 山东省 (listing)        x-000006-sz 己 芝罘区 (listing)
//	x-000003-sz 丙 烟台市 (listing)        x-000007-sz 庚 深圳市 (listing)
//	x-000004-sz 丁 莱山区 (news, 2024)     x-000008-sz 辛 山东省 (listing)
//	                                      x-000011-sz 壬 山东省 (listing)
func addressFixture(t *testing.T) *store.Store {
	t.Helper()
	st := fixtureStore(t)
	firm := func(code, short string, region graph.RegionCode, method, asOf string) graph.Fact {
		return graph.Firm{ID: graph.FirmID("x-" + code + "-sz"), Name: short + "股份有限公司", ShortName: short,
			Stocks: []string{code + ".SZ"}, Region: region, RegionMethod: method, RegionAsOf: asOf}
	}
	if _, err := st.Replace(context.Background(), graph.Source{ID: "registry/listed-fixture", Kind: graph.KindRegistry}, graph.Facts(
		firm("000001", "甲", "370000", "listing", "2026"),
		firm("000002", "乙", "370000", "listing", "2026"),
		firm("000003", "丙", "370600", "listing", "2026"),
		firm("000004", "丁", "370613", methodNamedInSource, "2024"),
		firm("000005", "戊", "370613", regionByAddress2016, ""),
		firm("000006", "己", "370602", "listing", "2026"),
		firm("000007", "庚", "440300", "listing", "2026"),
		firm("000008", "辛", "370000", "listing", "2026"),
		firm("000011", "壬", "370000", "listing", "2026"),
	)); err != nil {
		t.Fatal(err)
	}
	return st
}

const addressesCSV = `symbol,ts_code_current,name_in_source,name_current,fullname,area,reg_address,office_address,province_code,city_code,county_code
000001,000001.SZ,旧甲,甲,甲股份有限公司,山东,山东省烟台市莱山区观海路1号,山东省烟台市莱山区观海路2号,370000,370600,370613
000002,000002.SZ,乙,乙,乙股份有限公司,山东,山东省烟台市,,370000,370600,
000003,000003.SZ,丙,丙,丙股份有限公司,山东,山东省烟台市莱山区港城路3号,,370000,370600,370613
000004,000004.SZ,丁,丁,丁股份有限公司,山东,山东省烟台市莱山区,,370000,370600,370613
000005,000005.SZ,戊,戊,戊股份有限公司,山东,山东省烟台市莱山区,,370000,370600,370613
000006,000006.SZ,己,己,己股份有限公司,山东,山东省烟台市莱山区,,370000,370600,370613
000007,000007.SZ,庚,庚,庚股份有限公司,山东,山东省烟台市,,370000,370600,
000008,000008.SZ,辛,辛,辛股份有限公司,山东,山东省烟台市某区,,370000,370600,370699
000009,,退,,退股份有限公司,山东,山东省,,370000,,
000010,000010.SZ,无,无,无股份有限公司,山东,山东省,,370000,,
000011,000011.SZ,壬,壬,壬股份有限公司,山东,山东省,,370000,,
`

// TestReadListedAddresses: the address narrows a firm's region (to the
// county, or the city when the county is not parsed); a region as fine
// from a newer source stands, with its date; a region the address
// contradicts stands and the row is counted and warned with its line.
func TestReadListedAddresses(t *testing.T) {
	st := addressFixture(t)
	var c collect
	rep, err := ReadListedAddresses(t.Context(), Input{R: strings.NewReader(addressesCSV), File: "addresses.csv", Lookups: LookupsOf(st.Index())}, &c)
	if err != nil {
		t.Fatal(err)
	}
	put := map[graph.FirmID]graph.Firm{}
	for _, f := range firmsOf(&c) {
		put[f.ID] = f
	}
	tests := []struct {
		name    string
		id      graph.FirmID
		region  graph.RegionCode // "" when the row must not state a region
		aliases []string
	}{
		{"province → county, the 2016 name a former name", "x-000001-sz", "370613", []string{"旧甲"}},
		{"province → city when no county", "x-000002-sz", "370600", nil},
		{"city → county: finer and consistent", "x-000003-sz", "370613", nil},
		{"as fine from a newer page: not restated", "x-000004-sz", "", nil},
		{"the address the listing read: dated", "x-000005-sz", "370613", nil},
		{"another county: contradiction", "x-000006-sz", "", nil},
		{"another province: contradiction", "x-000007-sz", "", nil},
		{"unknown county code", "x-000008-sz", "", nil},
		{"no city in the address", "x-000011-sz", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, ok := put[tt.id]
			if !ok {
				t.Fatalf("no firm %s put", tt.id)
			}
			want := graph.Firm{ID: tt.id, Region: tt.region, Aliases: tt.aliases}
			if tt.region != "" {
				want.RegionMethod, want.RegionAsOf = regionByAddress2016, addressesAsOf
			}
			if f.Region != want.Region || f.RegionMethod != want.RegionMethod || f.RegionAsOf != want.RegionAsOf {
				t.Errorf("region %q (%q, %q), want %q (%q, %q)", f.Region, f.RegionMethod, f.RegionAsOf, want.Region, want.RegionMethod, want.RegionAsOf)
			}
			if !slices.Equal(f.Aliases, want.Aliases) {
				t.Errorf("aliases %v, want %v", f.Aliases, want.Aliases)
			}
			if f.Address == "" {
				t.Error("no address")
			}
		})
	}
	if f := put["x-000001-sz"]; !slices.Contains(f.Attrs, graph.Attr{Key: "办公地址(2016)", Value: "山东省烟台市莱山区观海路2号"}) {
		t.Errorf("office address not kept: %v", f.Attrs)
	}
	type pos struct {
		line   int
		column string
	}
	var warned []pos
	for _, w := range rep.Warnings {
		if w.File != "addresses.csv" {
			t.Errorf("%v: file %q", w, w.File)
		}
		warned = append(warned, pos{w.Line, w.Column})
	}
	if want := []pos{{7, "reg_address"}, {8, "reg_address"}, {9, "county_code"}, {11, "ts_code_current"}}; !slices.Equal(warned, want) {
		t.Errorf("warnings at %v, want %v: %v", warned, want, rep.Warnings)
	}
	if len(rep.Rejected) != 0 {
		t.Errorf("rejected %v", rep.Rejected)
	}
	for k, want := range map[string]int{
		"region:placed:county": 2, "region:placed:city": 1, "shandong:placed:county": 2, "region:dated": 1,
		"region:already-as-fine": 1, "region:contradiction": 2, "region:none-in-address": 1,
		"delisted-or-renamed-code": 1, "alias:2016-name": 1,
	} {
		if got := rep.Counts[k]; got != want {
			t.Errorf("count %s = %d, want %d (%v)", k, got, want, rep.Counts)
		}
	}
	if _, ok := put["x-000010-sz"]; ok {
		t.Error("a firm that is not loaded was put")
	}
}

// TestListedAddressesInStore loads the rows as a source of their own and
// reads the merged firms back: the finer, consistent 2016 address wins
// over the listing's city with its method and date; a newer page's region
// as fine as the address keeps the page's method and date; a contradicted
// region is left as the newer source has it. (x-000005-sz is left out: two
// sources of one rank stating the same region keep whichever the store
// reads first, a rule of the firm codec, not of this loader.)
func TestListedAddressesInStore(t *testing.T) {
	st := addressFixture(t)
	ctx := context.Background()
	if _, err := st.Replace(ctx, graph.Source{ID: "registry/addresses-2016", Kind: graph.KindRegistry}, func(sink graph.FactSink) error {
		_, err := ReadListedAddresses(t.Context(), Input{R: strings.NewReader(addressesCSV), File: "addresses.csv", Lookups: LookupsOf(st.Index())}, sink)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id           graph.FirmID
		region       graph.RegionCode
		method, asOf string
	}{
		{"x-000001-sz", "370613", regionByAddress2016, addressesAsOf},
		{"x-000003-sz", "370613", regionByAddress2016, addressesAsOf},
		{"x-000004-sz", "370613", methodNamedInSource, "2024"},
		{"x-000006-sz", "370602", "listing", "2026"},
		{"x-000007-sz", "440300", "listing", "2026"},
	} {
		f, ok := st.Index().Firm(tt.id)
		if !ok {
			t.Errorf("no firm %s", tt.id)
			continue
		}
		if f.Region != tt.region || f.RegionMethod != tt.method || f.RegionAsOf != tt.asOf {
			t.Errorf("%s: region %s (%s, %s), want %s (%s, %s)", tt.id, f.Region, f.RegionMethod, f.RegionAsOf, tt.region, tt.method, tt.asOf)
		}
	}
}

func TestReadListedAddressesHeader(t *testing.T) {
	st := addressFixture(t)
	var c collect
	_, err := ReadListedAddresses(t.Context(), Input{R: strings.NewReader("symbol,ts_code_current\n000001,000001.SZ\n"), File: "addresses.csv", Lookups: LookupsOf(st.Index())}, &c)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != "addresses.csv" || pe.Line != 1 || !strings.Contains(err.Error(), "county_code") {
		t.Errorf("err = %v, want the header of addresses.csv rejected, naming the missing columns", err)
	}
	if len(c.facts) != 0 {
		t.Errorf("a rejected file put %d facts", len(c.facts))
	}
}
