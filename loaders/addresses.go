package loaders

import (
	"context"
	"fmt"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// The registered addresses of listed firms (和讯 公司资料, a 2016 snapshot:
// shared/reference/enterprises/a_share_company_address_hexun2016.csv), with
// the city and county already parsed from them. The table is keyed by stock
// code and read into the listed firms the listed-company loader wrote.
//
// It is dated evidence, older than the listing table (tushare, 2026) and
// than the news and honours pages: it may only narrow what the firm's
// region already is (山东省 → 烟台市 莱山区). Where it names a region
// outside the firm's current one (a firm that moved its seat since), the
// newer source stands and the row is counted as a contradiction. Names
// that have changed since 2016 become former names.

// addressesAsOf is the date of the address snapshot: the commit of the
// source file (hoyoung2015/wfp@7cf5c272, 2016-06-30).
const addressesAsOf = "2016-06-30"

// regionByAddress2016 is the region method of a region read from the dated
// address table.
const regionByAddress2016 = "address"

// ReadListedAddresses reads the address table and adds, to each listed firm
// in.Firms holds, the region its registered address gives (when it narrows
// the firm's region and in.Regions knows it), the address, and the names it
// had in 2016. It reads in.R and in.File.
func ReadListedAddresses(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	rep := &Report{File: in.File}
	cols := []string{"symbol", "ts_code_current", "name_in_source", "name_current", "fullname", "reg_address",
		"office_address", "province_code", "city_code", "county_code"}
	err := readCSVTable(ctx, in.R, in.File, cols, func(line int, get func(string) string) error {
		rep.Rows++
		ts := get("ts_code_current")
		if ts == "" {
			rep.Count("delisted-or-renamed-code", 1)
			return nil
		}
		id, err := graph.SurrogateFirmID(ts)
		if err != nil {
			rep.Reject(line, "ts_code_current", err)
			return nil
		}
		cur, ok := in.Firms.Firm(id)
		if !ok {
			rep.Warn(line, "ts_code_current", fmt.Errorf("%s is no loaded firm", ts))
			return nil
		}
		f := graph.Firm{ID: id, Address: get("reg_address")}
		if o := get("office_address"); o != "" && o != f.Address {
			f.Attrs = append(f.Attrs, graph.Attr{Key: "办公地址(" + addressesAsOf[:4] + ")", Value: o})
		}
		for _, n := range []string{get("name_in_source"), get("fullname")} {
			if n != "" && n != cur.Name && n != cur.ShortName && !contains(cur.Aliases, n) && !contains(f.Aliases, n) {
				f.Aliases = append(f.Aliases, n)
				rep.Count("alias:2016-name", 1)
			}
		}
		region := graph.RegionCode(firstNonEmpty(get("county_code"), get("city_code")))
		switch {
		case region == "":
			rep.Count("region:none-in-address", 1)
		case !knownRegion(in.Regions, region):
			rep.Warn(line, "county_code", fmt.Errorf("%s is not a region the region table knows", region))
		default:
			switch placeFirm(cur.Region, region) {
			case placeFiner:
				f.Region, f.RegionMethod, f.RegionAsOf = region, regionByAddress2016, addressesAsOf
				rep.Count("region:placed:"+string(region.Level()), 1)
				if listedProvince.Contains(region) {
					rep.Count("shandong:placed:"+string(region.Level()), 1)
				}
			case placeKnown:
				if cur.Region == region && cur.RegionMethod == regionByAddress2016 {
					// The listed-company loader read this address: the
					// region is this table's, with its date.
					f.Region, f.RegionMethod, f.RegionAsOf = region, regionByAddress2016, addressesAsOf
					rep.Count("region:dated", 1)
				} else {
					rep.Count("region:already-as-fine", 1)
				}
			case placeElsewhere:
				rep.Count("region:contradiction", 1)
				rep.Warn(line, "reg_address", fmt.Errorf("%s %s: the %s address is in %s, the firm is in %s (by %s): left as it is",
					ts, cur.ShortName, addressesAsOf[:4], region, cur.Region, cur.RegionMethod))
			}
		}
		if err := sink.Put(f); err != nil {
			return err
		}
		rep.Loaded++
		rep.Merged++
		return nil
	})
	return rep, err
}

func knownRegion(regions Regions, c graph.RegionCode) bool {
	if _, err := graph.ParseRegionCode(string(c)); err != nil || regions == nil {
		return false
	}
	_, ok := regions.Region(c)
	return ok
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
