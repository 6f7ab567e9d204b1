package export_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph/graphtest"
)

// pdfPages counts the pages of a PDF by its page objects.
func pdfPages(b []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(b, -1))
}

// TestWorkbookPrints has LibreOffice print the region × chain workbook of
// 烟台市 × 新能源汽车 to PDF: at most 6 pages (one a sheet: landscape, all
// columns on the page width), and, after LibreOffice reads and writes the
// workbook back, every sheet still repeats its header row (print titles
// $1:$1) — LibreOffice understood them, not just excelize.
func TestWorkbookPrints(t *testing.T) {
	soffice := graphtest.Tool(t, "soffice", "libreoffice-calc-nogui")
	st := nevStore(t)
	s := nevChainMap(t, st)
	f, _ := lookup(t, "xlsx")
	dir := t.TempDir()
	in := filepath.Join(dir, "map.xlsx")
	if err := os.WriteFile(in, encode(t, st, f, s), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(to, outDir string) {
		t.Helper()
		// A profile of its own, so a LibreOffice already running elsewhere is not used.
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
			"--convert-to", to, "--outdir", outDir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice --convert-to %s: %v\n%s", to, err, out)
		}
	}
	run("pdf", dir)
	pdf, err := os.ReadFile(filepath.Join(dir, "map.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := pdfPages(pdf); n == 0 || n > 6 {
		t.Errorf("LibreOffice prints the workbook on %d pages, want 1 to 6", n)
	} else {
		t.Logf("LibreOffice prints the workbook on %d pages", n)
	}
	back := filepath.Join(dir, "back")
	run("xlsx", back)
	wb, err := excelize.OpenFile(filepath.Join(back, "map.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	titled := map[string]bool{}
	for _, d := range wb.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && bytes.Contains([]byte(d.RefersTo), []byte("$1:$1")) {
			titled[d.Scope] = true
		}
	}
	for _, sh := range wb.GetSheetList() {
		if !titled[sh] {
			t.Errorf("after LibreOffice, sheet %s repeats no header row", sh)
		}
		l, err := wb.GetPageLayout(sh)
		if err != nil {
			t.Fatal(err)
		}
		if l.Orientation == nil || *l.Orientation != "landscape" || l.FitToWidth == nil || *l.FitToWidth != 1 {
			t.Errorf("after LibreOffice, sheet %s is not landscape and fit to one page wide: %+v", sh, l)
		}
	}
}
