package loaders

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// The .xls fixtures in testdata/xls are written by LibreOffice from
// workbooks excelize writes here; to write them again (LibreOffice's
// soffice on the PATH):
//
//	go test ./loaders -run TestXLSFixtures -update-xls
var updateXLS = flag.Bool("update-xls", false, "rewrite testdata/xls with LibreOffice")

// xlsFixtures are the workbooks behind the .xls fixtures.
func xlsFixtures(t *testing.T) map[string]sheetSpec {
	a, b := creditCode(t, "91370613MA3C40001"), creditCode(t, "91370602MA3C40002")
	aqc := sheetSpec{name: "企业列表", rows: [][]any{
		{"爱企查 企业查询结果"},
		{"查询条件：新能源 山东省"},
		{"导出时间：2024-05-01 10:00"},
		{"企业名称", "法定代表人", "注册资本", "成立日期", "统一社会信用代码", "企业地址", "经营状态", "参保人数", "核对"},
		{"烟台甲电池有限公司", "张三", "13400万人民币", 35486, a, "山东省烟台市莱山区观海路1号", "开业", 35, nil},
		{"烟台乙新能源有限公司", "李四", "500万(美元)", "2015-06-01", b, "山东省烟台市芝罘区南大街2号", "开业", 3500.5, nil},
		{"数据来源：爱企查"},
	}, dates: []string{"D5"}, links: []string{"A5", "A6"}}
	// Enough distinct strings that the shared-string table continues
	// over several records.
	many := sheetSpec{rows: [][]any{{"企业名称", "统一社会信用代码", "注册资本", "经营范围"}}}
	for i := 0; i < 300; i++ {
		code := creditCode(t, fmt.Sprintf("913706135%08d", i))
		many.rows = append(many.rows, []any{fmt.Sprintf("烟台第%03d号新能源电池材料科技有限公司", i), code, 100 + i,
			fmt.Sprintf("锂离子电池正极材料第%d批次的研发、生产和销售；Ltd. No.%d", i, i)})
	}
	return map[string]sheetSpec{"【爱企查】-新能源.xls": aqc, "many-strings.xls": many}
}

func TestXLSFixtures(t *testing.T) {
	dir := filepath.Join("testdata", "xls")
	specs := xlsFixtures(t)
	if *updateXLS {
		tmp := t.TempDir()
		for name, s := range specs {
			src := filepath.Join(tmp, strings.TrimSuffix(name, ".xls")+".xlsx")
			writeSheet(t, src, s)
			cmd := exec.Command("soffice", "-env:UserInstallation=file://"+tmp+"/profile", "--headless", "--convert-to", "xls", "--outdir", dir, src)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("soffice: %v\n%s", err, out)
			}
		}
	}
	st := fixtureStore(t)

	t.Run("aiqicha", func(t *testing.T) {
		name := "【爱企查】-新能源.xls"
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var c collect
		rep, err := ReadRegistry(t.Context(), Input{R: f, File: name, Lookups: LookupsOf(st.Index())}, &c)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Counts["layout:爱企查"] != 1 || rep.Counts["format:XLS (BIFF8)"] != 1 || rep.Loaded != 2 || len(rep.Rejected) != 0 {
			t.Fatalf("report %+v", rep)
		}
		fs := map[string]graph.Firm{}
		for _, f := range firmsOf(&c) {
			fs[f.Name] = f
		}
		a := fs["烟台甲电池有限公司"]
		if code, _ := a.ID.CreditCode(); code != graph.CreditCode(creditCode(t, "91370613MA3C40001")) || a.Region != "370613" ||
			a.Capital != 13400 || a.Founded != "1997-02-25" || a.Employees != 35 {
			t.Errorf("firm A %+v", a)
		}
		b := fs["烟台乙新能源有限公司"]
		if b.Region != "370602" || b.Capital != 500 || b.Currency != "USD" || b.Founded != "2015-06-01" {
			t.Errorf("firm B %+v", b)
		}
		for line, word := range map[int]string{1: "爱企查", 3: "导出时间", 7: "数据来源"} {
			if !slices.ContainsFunc(rep.Warnings, func(w *ParseError) bool { return w.Line == line && strings.Contains(w.Error(), word) }) {
				t.Errorf("no warning at line %d with %q: %v", line, word, rep.Warnings)
			}
		}
	})

	t.Run("many-strings", func(t *testing.T) {
		data, err := os.ReadFile(filepath.Join(dir, "many-strings.xls"))
		if err != nil {
			t.Fatal(err)
		}
		// Read from memory this time (an upload that is not a file).
		var c collect
		rep, err := ReadRegistry(t.Context(), Input{R: bytes.NewReader(data), File: "many-strings.xls", Lookups: LookupsOf(st.Index())}, &c)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Loaded != 300 || len(rep.Rejected) != 0 {
			t.Fatalf("loaded %d rejected %v", rep.Loaded, rep.Rejected)
		}
		for i, f := range firmsOf(&c) {
			want := specs["many-strings.xls"].rows[i+1]
			if f.Name != want[0] || f.Scope != want[3] || f.Capital != float64(want[2].(int)) {
				t.Fatalf("row %d: %q %q %v; want %v", i+2, f.Name, f.Scope, f.Capital, want)
			}
		}
	})
}

// Broken .xls files are refused with the file's name, never a panic.
func TestXLSBroken(t *testing.T) {
	st := fixtureStore(t)
	good, err := os.ReadFile(filepath.Join("testdata", "xls", "many-strings.xls"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"header-only.xls": append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...),
		"half.xls":        good[:len(good)/2],
		"short.xls":       good[:600],
		"difat-cut.xls":   difatCut(),
	}
	for name, data := range cases {
		_, err := ReadRegistry(t.Context(), Input{R: bytes.NewReader(data), File: name, Lookups: LookupsOf(st.Index())}, &collect{})
		if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// difatCut is a compound file whose DIFAT chain starts at its last sector,
// which the file cuts to two bytes.
func difatCut() []byte {
	b := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504+2)...)
	binary.LittleEndian.PutUint16(b[30:], 9) // 512-byte sectors
	for i := 0; i < 109; i++ {
		binary.LittleEndian.PutUint32(b[76+4*i:], 0xFFFFFFFF)
	}
	binary.LittleEndian.PutUint32(b[68:], 0) // the DIFAT starts at sector 0
	return b
}
