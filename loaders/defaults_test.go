package loaders

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph/store"
)

// TestDefaultsListedAndHonours loads the embedded default data and checks
// the listed companies and the Shandong honours: every row loaded, the
// Shandong firms placed, and the honours attached to the listed firms they
// name.
func TestDefaultsListedAndHonours(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "mem:", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reps, err := LoadDefaults(ctx, st, data.FS)
	if err != nil {
		t.Fatal(err)
	}
	var listed, honours *Report
	for _, r := range reps {
		switch r.Source {
		case "registry/a-share-listed":
			listed = r
		case "registry/shandong-honours":
			honours = r
		}
	}
	if listed == nil || honours == nil {
		t.Fatalf("reports: %v", reps)
	}
	for k, v := range listed.Counts {
		t.Logf("listed %s: %d", k, v)
	}
	for k, v := range honours.Counts {
		t.Logf("honours %s: %d", k, v)
	}
	if listed.Rows != 5524 || listed.Loaded != 5524 || len(listed.Rejected) != 0 {
		t.Errorf("listed: rows %d loaded %d rejected %v", listed.Rows, listed.Loaded, listed.Rejected)
	}
	sd := listed.Counts["shandong:firms"]
	if sd != 315 {
		t.Errorf("Shandong listed firms = %d, want 315", sd)
	}
	x := st.Index()
	wanhua, ok := x.Firm("x-600309-sh")
	if !ok || wanhua.Name != "万华化学集团股份有限公司" || wanhua.ShortName != "万华化学" || !wanhua.Region.Contains("370600") && wanhua.Region != "370600" {
		t.Errorf("万华化学 = %+v", wanhua)
	}
	if !contains(wanhua.Tags, "单项冠军") || !contains(wanhua.Tags, "上市") {
		t.Errorf("万华化学 tags = %q", wanhua.Tags)
	}
	if honours.Rows != 66 || honours.Loaded != 66 || honours.Counts["matched:loaded-firm"] < 2 {
		t.Errorf("honours: rows %d loaded %d counts %v", honours.Rows, honours.Loaded, honours.Counts)
	}
	// 002793's 2021 full name is its former one: the firm shows as 罗欣药业.
	if f, _ := x.Firm("x-002793-sz"); f.Name != "罗欣药业" || !contains(f.Aliases, "浙江东音泵业股份有限公司") {
		t.Errorf("002793 = %q aliases %q, want 罗欣药业 formerly 浙江东音泵业股份有限公司", f.Name, f.Aliases)
	}
	// An address table keyed by stock code merges with the listed firm and
	// places it finer.
	p := filepath.Join(t.TempDir(), "addresses.csv")
	os.WriteFile(p, []byte("证券代码,公司名称,注册地址\n600309,万华化学集团股份有限公司,山东省烟台市福山区某某路17号\n"), 0o644)
	if rep, _, err := LoadFile(ctx, st, "registry", p, FileOptions{}); err != nil || rep.Merged != 1 {
		t.Fatalf("address table: %v %+v", err, rep)
	}
	x = st.Index()
	if f, _ := x.Firm("x-600309-sh"); f.Region != "370611" || f.RegionMethod != "address" {
		t.Errorf("万华化学 after the address table = %s by %s", f.Region, f.RegionMethod)
	}
	// 山东华鹏精机 is named twice: one firm, keyed by the first row.
	ids := x.FirmsNamed("山东华鹏精机股份有限公司")
	if len(ids) != 1 || ids[0] != "x-honours-shandong-row-5" {
		t.Errorf("华鹏精机 ids = %v", ids)
	}
	if f, _ := x.Firm(ids[0]); f.Region != "370613" || !contains(f.Tags, "单项冠军") {
		t.Errorf("华鹏精机 = %+v", f)
	}
}
