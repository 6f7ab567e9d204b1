package api

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
)

func TestPageServed(t *testing.T) {
	s := New(Config{})
	for _, tt := range []struct {
		path, typ, contains string
		status              int
	}{
		{"/", "text/html; charset=utf-8", "产业链招商图谱", 200},
		{"/static/app.js", "text/javascript; charset=utf-8", "loadReport", 200},
		{"/static/app.css", "text/css; charset=utf-8", "Noto Sans CJK SC", 200},
		{"/static/nope.js", "application/problem+json", "", 404},
		{"/static/../web.go", "application/problem+json", "", 404},
	} {
		rec := do(t, s.Handler(), "GET", tt.path)
		if rec.Code != tt.status || rec.Header().Get("Content-Type") != tt.typ || !strings.Contains(rec.Body.String(), tt.contains) {
			t.Errorf("GET %s: %d %s", tt.path, rec.Code, rec.Header().Get("Content-Type"))
		}
	}
	// The page loads nothing from another host.
	for _, f := range []string{"/", "/static/app.js", "/static/app.css"} {
		body := do(t, s.Handler(), "GET", f).Body.String()
		for _, ext := range []string{"http://", "https://", "//cdn"} {
			if i := strings.Index(body, ext); i >= 0 && !strings.Contains(body[i:min(len(body), i+40)], "www.w3.org") {
				t.Errorf("%s refers to another host: %q", f, body[i:min(len(body), i+60)])
			}
		}
	}
}

func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return graphtest.Tool(t, "chromium", "chromium")
}

// TestWebPageInBrowser drives the page in headless Chromium: it picks 山东省,
// 烟台市 and 新能源汽车, sees the chain map and the target table, downloads
// the Excel file and reads it back, opens a node, searches a firm and opens
// its page, reads a plan with its facts marked, and checks a screenshot is
// not blank. Set CHAINKG_SCREENSHOTS=DIR to keep the screenshots.
func TestWebPageInBrowser(t *testing.T) {
	exe := chromium(t)
	graphtest.Tool(t, "fc-list", "fontconfig") // Chinese glyphs need fonts-noto-cjk; see .ci/run
	s := New(Config{})
	st := graphtest.NEV(t)
	// An exclusion of a node the firm has no link to: the firm page shows
	// it as excluded with its note, and no analytics figure changes.
	if _, err := st.Replace(t.Context(), graph.Source{ID: "override/browser", Kind: graph.KindOverride, Title: "排除测试"},
		graph.Facts(graph.NodeOverride{Firm: graph.FirmID(graphtest.CreditCode(103)), Node: "nev/separator", Note: "核实后不生产隔膜"})); err != nil {
		t.Fatal(err)
	}
	s.SetStore(st)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1440, 1000),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("lang", "zh-CN"))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	// The first Run starts the browser and owns it: no timeout on it.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var exceptions []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			d := e.ExceptionDetails
			msg := fmt.Sprintf("%s at %s:%d", d.Text, d.URL, d.LineNumber+1)
			if d.Exception != nil {
				msg += ": " + d.Exception.Description
			}
			exceptions = append(exceptions, msg)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("CHAINKG_SCREENSHOTS")
	shoot := func(name string) []byte {
		t.Helper()
		b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if shots != "" {
			os.WriteFile(filepath.Join(shots, name+".png"), b, 0o644)
		}
		return b
	}
	pick := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`%s option[value="%s"]`, sel, value))),
			chromedp.SetValue(chromedp.CSS(sel), value),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event('change'))`, sel))(ctx, tg)
				return err
			}),
		)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
		if err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}

	// Pick the region and the chain.
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		pick("#pick-province", "370000"),
		pick("#pick-city", "370600"),
		// The chain list is refilled for each region picked: wait for the
		// city's, not the province's, before picking from it.
		pick(`#pick-chain[data-region="370600"]`, "nev"),
		chromedp.WaitVisible(chromedp.CSS(`#map svg g.card`)),
		chromedp.WaitVisible(chromedp.CSS(`#targets tbody tr td.firm-name a`)),
	)
	if err != nil {
		t.Fatalf("picking 烟台市 and 新能源汽车: %v", err)
	}
	if got := text("#map-title"); got != "烟台市 · 新能源汽车产业链图谱" {
		t.Errorf("map title %q", got)
	}
	if n := count(`#map svg g.card`); n != 10 {
		t.Errorf("the map shows %d cards, want the chain's 10 top-level nodes", n)
	}
	if n := count(`#targets tbody tr`); n != 14 {
		t.Errorf("the target table has %d rows, want the 14 targets", n)
	}
	if n := count(`#gaps tbody tr`); n != 6 {
		t.Errorf("the gap table has %d rows, want 6", n)
	}
	if !strings.Contains(text("#kpis"), "71%") {
		t.Errorf("KPIs: %q", text("#kpis"))
	}
	shot := shoot("map")
	checkNotBlank(t, shot)

	// Sort the targets by capital: the largest first.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#targets th[data-sort="capital"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('#targets th[data-sort="capital"]').classList.contains('sorted')`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.querySelector('#targets tbody tr td.firm-name').textContent === '宁德锂源矿业有限公司'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("sorted by capital, the first target is %q, want 宁德锂源矿业有限公司", text("#targets tbody tr td.firm-name"))
	}

	// Download the Excel file; excelize reads it back.
	dir := t.TempDir()
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptrTo(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS("#download-xlsx")),
	)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("waiting for the download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the download was canceled")
		}
	}
	xl, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("excelize cannot read the download: %v", err)
	}
	rows, err := xl.GetRows("招商目标")
	xl.Close()
	if err != nil || len(rows) != 15 || rows[0][1] != "企业名称" {
		t.Errorf("the downloaded workbook's 招商目标: %d rows, %v", len(rows), err)
	} else if rows[1][1] != "宁德锂源矿业有限公司" {
		t.Errorf("the workbook's first target is %q; it should follow the table's sort (capital)", rows[1][1])
	}

	// Open a blank node: its reason, then its targets.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#map g.node[data-node="nev/separator"]`)),
		chromedp.WaitVisible(chromedp.CSS("#node-panel h3")),
		chromedp.Click(chromedp.CSS("#node-targets")),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#targets tbody tr').length === 3`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if err != nil {
		t.Errorf("node panel and its targets: %v (panel %q)", err, text("#node-panel"))
	}

	// Search a firm and open its page.
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#search"), "蓝海动力"),
		chromedp.WaitVisible(chromedp.CSS(`#search-results a[data-kind="firm"]`)),
		chromedp.Click(chromedp.CSS(`#search-results a[data-kind="firm"]`)),
		chromedp.WaitVisible(chromedp.CSS("#view-firm h1")),
	)
	if err != nil {
		t.Fatalf("search and firm page: %v", err)
	}
	if got := text("#view-firm h1"); got != "烟台蓝海动力电池有限公司" {
		t.Errorf("firm page title %q", got)
	}
	// Sources by their titles, fields and methods in Chinese.
	if page := text("#view-firm"); !strings.Contains(page, "人工校正\t1.00") || !strings.Contains(page, "电池管理系统") || strings.Contains(page, "override/manual") ||
		!strings.Contains(page, "所在环节\t新能源汽车 · 电池管理系统") || strings.Contains(page, "inNode") {
		t.Errorf("the firm page does not show the override's link and source in Chinese: %q", page)
	}
	if row := text("#view-firm tr.excluded"); !strings.Contains(row, "已排除") || !strings.Contains(row, "核实后不生产隔膜") || !strings.Contains(row, "排除测试") {
		t.Errorf("the firm page does not show the excluded node with its note: %q", row)
	}
	shoot("firm")

	// A plan, its facts marked in the text.
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/#/plans"),
		chromedp.WaitVisible(chromedp.CSS(`#view-plans a[href^="#/plan/"]`)),
		chromedp.Click(chromedp.CSS(`#view-plans a[href^="#/plan/"]`)),
		chromedp.WaitVisible(chromedp.CSS("#plan-text mark.indicator")),
	)
	if err != nil {
		t.Fatalf("plan page: %v", err)
	}
	for kind, words := range map[string]string{"industry": "新能源汽车", "indicator": "新能源汽车产量达到20万辆", "mention": "烟台海岳汽车有限公司"} {
		if got := text("#plan-text mark." + kind); got != words {
			t.Errorf("plan text: mark.%s = %q, want %q", kind, got, words)
		}
	}
	shoot("plan")

	// A firm that is not there: a Chinese sentence saying what to do.
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/#/firm/913706021000025056"),
		chromedp.Poll[chromedp.Void](`document.querySelector('#view-firm').textContent.includes('没有找到编号为「913706021000025056」的企业。请用右上角的搜索框')`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if err != nil {
		t.Errorf("a firm that is not there: %v; the page says %q", err, text("#view-firm"))
	}

	mu.Lock()
	defer mu.Unlock()
	if len(exceptions) > 0 {
		t.Errorf("the page threw: %v", exceptions)
	}
}

func ptrTo[T any](v T) *T { return &v }

// checkNotBlank decodes a screenshot and checks that a fair share of it is
// not background and that it has many colours: a map, tables and text.
func checkNotBlank(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	bg := img.At(0, img.Bounds().Dy()-1)
	colors := map[[3]uint32]bool{}
	ink, all := 0, 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			c := img.At(x, y)
			r, g, bl, _ := c.RGBA()
			colors[[3]uint32{r >> 11, g >> 11, bl >> 11}] = true
			if c != bg {
				ink++
			}
			all++
		}
	}
	if share := float64(ink) / float64(all); share < 0.2 || len(colors) < 50 {
		t.Errorf("screenshot looks blank: %.0f%% differs from the background, %d colours", 100*share, len(colors))
	}
	if img.Bounds().Dx() < 1000 {
		t.Errorf("screenshot is %v", img.Bounds())
	}
}
