package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph/graphtest"
)

// walkAllowedLatin lists the Latin words a person may see on the page:
// format and tool names, units, and words in the default sources' titles.
// Upper-case acronyms and codes (A股, 000951.SZ, GB/T) and file names
// (.csv, .xlsx) pass as well; anything else — a raw id such as
// x-000951-sz or registry/a-share-listed, an English word — is reported.
var walkAllowedLatin = []string{
	"chainkg", "Excel", "SVG", "PNG", "PDF", "GEXF", "Gephi", "GraphML", "yEd", "Cytoscape.js", "ECharts", "AntV", "G6",
	"Graphviz", "DOT", "CSV", "Neo4j", "N-Quads", "JSON-LD", "JSON", "API", "tushare", "stock_basic", "extract", "km",
}

// walkCheckText returns the visible Latin words on the page that are not
// allowed: raw ids, English field names, untranslated messages.
const walkCheckText = `(() => {
  const allowed = new Set(%s);
  const bad = [];
  const check = (text, where) => {
    text = text.replace(/https?:\/\/\S+/g, '');
    for (const m of text.matchAll(/\.?[A-Za-z][A-Za-z0-9_.\-\/+]*/g)) {
      const w = m[0].replace(/[.\-\/+]+$/, '');
      if (allowed.has(w) || /\.(csv|xlsx|xls|txt)$/i.test(w)) continue;
      if (/^[A-Z0-9.\-+]+$/.test(w) || w === 'GB/T') continue;
      bad.push(w + ' «' + where.trim().slice(0, 80) + '»');
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || el.closest('script, style, select, textarea, [hidden]')) continue;
    if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
    check(n.textContent, n.textContent);
  }
  document.querySelectorAll('select').forEach(s => {
    if (s.getClientRects().length && !s.closest('[hidden]') && s.selectedIndex >= 0) check(s.options[s.selectedIndex].text, s.options[s.selectedIndex].text);
  });
  document.querySelectorAll('input[placeholder]').forEach(i => { if (i.getClientRects().length) check(i.placeholder, i.placeholder); });
  return bad;
})()`

// TestWebWalk is the 招商 team's loop on the page, against the real
// server on the default data (issue 16): sign in, upload a registry export
// with two bad rows and read the report in Chinese, see the new firms on
// 烟台 × 新能源汽车's map, compare 烟台 with 青岛 and 济南, open the
// data-quality page and mark an item, download the map as PNG and the
// Excel, open the brief and print it to one PDF page; at each view no
// visible text is a raw id or English outside walkAllowedLatin. The leads
// and what-if steps run when the server has those routes; until then the
// page must say so.
func TestWebWalk(t *testing.T) {
	exe := graphtest.Tool(t, "chromium", "chromium")
	graphtest.Tool(t, "fc-list", "fontconfig")
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	base, _, stop := startServe(t, "mem:")
	defer stop()
	dir := t.TempDir()
	export := filepath.Join(dir, "烟台企业名录.csv")
	writeFile(t, export, "企业名称,统一社会信用代码,登记状态,注册资本,成立日期,所属省份,所属城市,所属区县,经营范围\n"+
		"烟台远航动力电池有限公司,"+graphtest.CreditCode(9001)+",存续,5000万元人民币,2019-03-01,山东省,烟台市,福山区,锂离子动力电池、电池模组的研发、生产和销售\n"+
		"烟台启明电驱动科技有限公司,"+graphtest.CreditCode(9002)+",存续,3000万元人民币,2020-05-12,山东省,烟台市,芝罘区,新能源汽车驱动电机及电机控制器的研发、制造\n"+
		","+graphtest.CreditCode(9003)+",存续,100万元人民币,2021-01-01,山东省,烟台市,芝罘区,动力电池回收\n"+
		"烟台错码新材料有限公司,91370600ABCDEFGHIJ,存续,200万元人民币,2021-01-01,山东省,烟台市,芝罘区,电池隔膜生产\n")

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1440, 1000),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", "zh-CN"))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithDeadline(bctx, stateDeadline(t))
	defer cancel()

	var mu sync.Mutex
	var exceptions []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			exceptions = append(exceptions, fmt.Sprintf("%s at %s:%d", e.ExceptionDetails.Text, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber+1))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	has := func(sel, words string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](fmt.Sprintf(`(document.querySelector(%q) || {textContent: ''}).textContent.includes(%q)`, sel, words))
	}
	pick := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.WaitReady(chromedp.CSS(fmt.Sprintf(`%s option[value="%s"]`, sel, value))),
			chromedp.SetValue(chromedp.CSS(sel), value),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event('change'))`, sel)),
		)
	}
	plain := func(view string) {
		t.Helper()
		allowed := `["` + strings.Join(walkAllowedLatin, `","`) + `"]`
		bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(walkCheckText, allowed)))
		if err != nil {
			t.Fatalf("checking the text of %s: %v", view, err)
		}
		if len(bad) > 0 {
			t.Errorf("%s shows raw ids or English: %q", view, bad)
		}
	}
	downloaded := func(click string) string {
		t.Helper()
		progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress) // one subscription per download: a range ends it
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(click))); err != nil {
			t.Fatalf("clicking %s: %v", click, err)
		}
		for ev, err := range progress {
			if err != nil {
				t.Fatalf("waiting for the download of %s: %v", click, err)
			}
			switch ev.State {
			case browser.DownloadProgressStateCompleted:
				return filepath.Join(dir, ev.GUID)
			case browser.DownloadProgressStateCanceled:
				t.Fatalf("the download of %s was canceled", click)
			}
		}
		t.Fatalf("no download from %s", click)
		return ""
	}

	eventsOn := true
	// Sign in with the token, through the page's own button.
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &eventsOn})
			return err
		}),
		chromedp.Navigate(base+"/#/data"),
		chromedp.WaitVisible(chromedp.CSS("#upload-form")),
		chromedp.Click(chromedp.CSS("#sign-in")),
		chromedp.WaitVisible(chromedp.CSS("#token-input")),
		chromedp.SendKeys(chromedp.CSS("#token-input"), token),
		chromedp.Click(chromedp.CSS("#token-save")),
		has("#sign-in", "退出登录"),
	)
	if err != nil {
		t.Fatalf("signing in: %v", err)
	}

	// Upload the export: two rows loaded, two refused with line, column
	// and a Chinese reason.
	err = chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS("#upload-form")),
		chromedp.SetUploadFiles(chromedp.CSS(`#upload-form input[type=file]`), []string{export}),
		chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		has("#upload-result", "拒绝"),
	)
	if err != nil {
		t.Fatalf("uploading: %v", err)
	}
	report := text("#upload-result")
	for _, want := range []string{"读取 4 行，导入 2", "拒绝 2", "缺少企业名称", "统一社会信用代码「91370600ABCDEFGHIJ」第 17 位"} {
		if !strings.Contains(report, want) {
			t.Errorf("the load report lacks %q: %q", want, report)
		}
	}
	for _, line := range []string{"4", "5"} {
		if got, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`[...document.querySelectorAll('#upload-result tbody tr td:first-child')].some(td => td.textContent === %q)`, line))); !got {
			t.Errorf("the report does not name line %s: %q", line, report)
		}
	}

	// The new firms on 烟台 × 新能源汽车's map: the 电芯 node lists the battery maker.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/map?region=370600&chain=nev"),
		chromedp.WaitVisible(chromedp.CSS(`#targets tbody tr td.firm-name a`)),
		chromedp.Click(chromedp.CSS(`#map [data-node="nev/cell"]`)),
		has("#node-panel", "烟台远航动力电池有限公司"),
	)
	if err != nil {
		t.Fatalf("the new firm on the map: %v", err)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('#map svg > text')].filter(t => t.getClientRects().length && t.textContent === document.querySelector('#map-title').textContent).length`)); n != 0 {
		t.Errorf("the map title appears twice on the page")
	}
	plain("the map")

	// The map as PNG, drawn in the browser at twice the SVG's size.
	file := downloaded("#download-png")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the PNG download does not decode: %v", err)
	}
	if w := img.Bounds().Dx(); w != 3200 {
		t.Errorf("the PNG is %d pixels wide, want 3200 (twice the SVG's 1600)", w)
	}
	colours := map[uint32]bool{}
	for y := 0; y < img.Bounds().Dy(); y += 7 {
		for x := 0; x < img.Bounds().Dx(); x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>11<<10|g>>11<<5|bl>>11] = true
		}
	}
	if len(colours) < 20 {
		t.Errorf("the PNG has %d colours: blank", len(colours))
	}
	// The Excel, read back.
	xl, err := excelize.OpenFile(downloaded("#download-xlsx"))
	if err != nil {
		t.Fatalf("the Excel download: %v", err)
	}
	if rows, err := xl.GetRows("招商目标"); err != nil || len(rows) < 2 {
		t.Errorf("the workbook's 招商目标 sheet: %d rows, %v", len(rows), err)
	}
	xl.Close()

	// 对标: 烟台 against 青岛 and 济南, added through the pickers.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#open-compare")),
		chromedp.WaitVisible(chromedp.CSS("#cmp-chain-table")),
		// The view is drawn afresh after each region is added, its add button
		// enabled only once the city list is filled: a click before that was
		// lost, and the walk waited for a comparison that never came.
		pick("#cmp-prov", "370000"),
		pick("#cmp-city", "370200"),
		chromedp.WaitEnabled(chromedp.CSS("#cmp-add")),
		chromedp.Click(chromedp.CSS("#cmp-add")),
		chromedp.WaitVisible(chromedp.CSS(`.region-chip[data-code="370200"]`)),
		chromedp.WaitEnabled(chromedp.CSS("#cmp-add")),
		pick("#cmp-city", "370100"),
		chromedp.WaitEnabled(chromedp.CSS("#cmp-add")),
		chromedp.Click(chromedp.CSS("#cmp-add")),
		chromedp.WaitVisible(chromedp.CSS(`.region-chip[data-code="370100"]`)),
		chromedp.WaitVisible(chromedp.CSS(".compare-nodes")),
	)
	if err != nil {
		t.Fatalf("comparing: %v; the page then: %s", err, pageState(ctx))
	}
	if got := text(".compare-nodes thead"); !strings.Contains(got, "烟台市") || !strings.Contains(got, "青岛市") || !strings.Contains(got, "济南市") {
		t.Errorf("the comparison's columns: %q", got)
	}
	if got := text("#cmp-chains"); !strings.Contains(got, "最强") {
		t.Errorf("the chains of 烟台 are not ranked: %q", got)
	}
	plain("the comparison")

	// 数据质量: the picked region by default; mark the first item 已处理.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav a[data-nav="quality"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#q-items button[data-mark="resolved"]`)),
	)
	if err != nil {
		t.Fatalf("the quality page: %v", err)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#q-region"))); v != "370600" {
		t.Errorf("the quality page's region is %q, want the picked 370600", v)
	}
	plain("the quality page")
	key, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#q-items tbody tr').dataset.key`))
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`#q-items tbody tr .mark-note`), "已核实"),
		chromedp.Click(chromedp.CSS(`#q-items tbody tr button[data-mark="resolved"]`)),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`!document.querySelector('#q-items tr[data-key=%q]')`, key)),
	)
	if err != nil {
		t.Errorf("marking %s: %v", key, err)
	}
	var marked struct {
		Items []struct {
			Key  string `json:"key"`
			Mark *struct {
				Status, Note string
			} `json:"mark"`
		} `json:"items"`
	}
	getJSON(t, base+"/api/v1/quality?status=marked", &marked)
	if len(marked.Items) != 1 || marked.Items[0].Key != key || marked.Items[0].Mark == nil || marked.Items[0].Mark.Note != "已核实" {
		t.Errorf("the marked items: %+v", marked.Items)
	}

	// The brief: its own view, the site's chrome hidden in print, one A4 page.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/brief?region=370600&chain=nev"),
		chromedp.WaitVisible(chromedp.CSS(".brief-map svg")),
	)
	if err != nil {
		t.Fatalf("the brief: %v", err)
	}
	if got := text("#brief-title"); got != "烟台市 · 新能源汽车产业链招商简报" {
		t.Errorf("the brief's title: %q", got)
	}
	plain("the brief")
	var pdf []byte
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return err
		}
		r, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &eventsOn})
		pdf = r.Data
		return err
	}))
	if err != nil {
		t.Fatalf("printing the brief: %v", err)
	}
	if d := os.Getenv("CHAINKG_SCREENSHOTS"); d != "" {
		os.WriteFile(filepath.Join(d, "brief.pdf"), pdf, 0o644)
		if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(d, "brief-print.png"), shot, 0o644)
		}
	}
	if n := pdfPages(pdf); n != 1 {
		t.Errorf("the brief prints on %d pages, want 1", n)
	}
	if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector('.topbar')).display === 'none'`)); !hidden {
		t.Errorf("the printed brief shows the site's top bar")
	}
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	})); err != nil {
		t.Fatal(err)
	}

	// A listed firm's page and a plan: fields, methods and sources by name.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/firm/x-000951-sz"),
		has("#view-firm", "全部事实"),
		chromedp.WaitVisible(chromedp.CSS("#view-firm table")),
	)
	if err != nil {
		t.Fatalf("a firm's page: %v", err)
	}
	if got := text("#view-firm"); !strings.Contains(got, "申万行业对照") || !strings.Contains(got, "所在环节") || !strings.Contains(got, "新闻点名") {
		t.Errorf("the firm page does not name methods and fields in Chinese: %q", got)
	}
	plain("a firm's page")
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/plans"),
		chromedp.WaitVisible(chromedp.CSS(`#view-plans a[href^="#/plan/001"]`)),
		chromedp.Click(chromedp.CSS(`#view-plans a[href^="#/plan/001"]`)),
		chromedp.WaitVisible(chromedp.CSS("#view-plan .facts-list li")),
	)
	if err != nil {
		t.Fatalf("a plan: %v", err)
	}
	if got := text("#view-plan .facts-list"); strings.Contains(got, "→") || strings.Contains(got, "municipal") {
		t.Errorf("the plan's facts show arrows or English levels: %q", got)
	}
	plain("a plan")

	// A bad address and a bad firm say in Chinese what to do.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/map?region=999999"),
		has("#map-message", "没有行政区划代码为「999999」的地区"),
		chromedp.Navigate(base+"/#/firm/nope"),
		has("#view-firm", "请用右上角的搜索框"),
	)
	if err != nil {
		t.Errorf("bad addresses: %v", err)
	}

	walkLeads(t, ctx, base, token, has, plain)

	mu.Lock()
	defer mu.Unlock()
	if len(exceptions) > 0 {
		t.Errorf("the page threw: %v", exceptions)
	}
}

// walkLeads adds a target as a lead, moves it to 已落地 and runs a
// what-if, when the server has those routes; while it answers 404 the
// page must say the feature is missing rather than pretend.
func walkLeads(t *testing.T, ctx context.Context, base, token string, has func(sel, words string) chromedp.Action[chromedp.Void], plain func(string)) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/api/v1/leads", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	leads := resp.StatusCode != http.StatusNotFound
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/map?region=370600&chain=nev"),
		// The target table may be drawn again while names arrive: click
		// through the page's own script until the dialog is open.
		chromedp.Poll[chromedp.Void](`(() => { const b = document.querySelector('#targets tbody tr .add-lead');
			if (b && !document.querySelector('#lead-form')) b.click(); return !!document.querySelector('#lead-form'); })()`),
		chromedp.WaitVisible(chromedp.CSS(`#lead-form`)),
		chromedp.SendKeys(chromedp.CSS(`#lead-form [name=owner]`), "张三"),
		chromedp.Click(chromedp.CSS(`#lead-form button[value=save]`)),
		chromedp.WaitVisible(chromedp.CSS(`#lead-out p`)),
	)
	if err != nil {
		t.Fatalf("adding a lead: %v", err)
	}
	out, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#lead-out")))
	if !leads {
		t.Log("the server has no /api/v1/leads yet: checking the page says so")
		if !strings.Contains(out, "还没有招商线索接口") {
			t.Errorf("with no leads route, the dialog says %q", out)
		}
		err = chromedp.Do(ctx,
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#lead-dialog').close()`),
			chromedp.Click(chromedp.CSS(`#targets tbody tr .whatif-run`)),
			has("#whatif", "模拟"),
			chromedp.Navigate(base+"/#/leads"),
			chromedp.WaitVisible(chromedp.CSS("#leads-missing")),
		)
		if err != nil {
			t.Errorf("the leads view and what-if without their routes: %v", err)
		}
		return
	}
	if !strings.Contains(out, "已加入招商线索") {
		t.Fatalf("the lead was not added: %q", out)
	}
	// What-if, before the lead lands: the first target's landing changes a
	// link's level on the picture.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/map?region=370600&chain=nev"),
		chromedp.Poll[chromedp.Void](`(() => { const b = document.querySelector('#targets tbody tr .whatif-run');
			if (b && document.querySelector('#whatif').hidden) b.click(); return !document.querySelector('#whatif').hidden; })()`),
		chromedp.WaitVisible(chromedp.CSS(`#whatif-changes tbody tr`)),
		chromedp.WaitReady(chromedp.CSS(`#map .whatif-changed`)),
	)
	if err != nil {
		t.Errorf("what-if: %v", err)
	}
	// Move it to 已落地; the history shows the change.
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/leads?region=370600&chain=nev"),
		// The view may be drawn again while names arrive: set and save
		// through the page's own controls on the row as it is, until the
		// row shows the new status.
		chromedp.Poll[chromedp.Void](`(() => { const tr = document.querySelector('#leads tbody tr[data-id]');
			if (!tr) return false;
			if (tr.querySelector('.lead-status').textContent.includes('已落地')) return true;
			if (!tr.dataset.tried) { tr.dataset.tried = '1'; tr.querySelector('.l-next').value = '已落地'; tr.querySelector('.l-save').click(); }
			return false; })()`),
		chromedp.Poll[chromedp.Void](`(() => { const b = document.querySelector('#leads tbody tr[data-id] .l-history');
			if (b && !document.querySelector('#leads .lead-history li')) b.click(); return !!document.querySelector('#leads .lead-history li'); })()`),
		chromedp.WaitVisible(chromedp.CSS(`#leads .lead-history li`)),
	)
	if err != nil {
		shown, _ := chromedp.Run(context.WithoutCancel(ctx), chromedp.Evaluate[string](`(document.querySelector('#view-leads') || {innerText: ''}).innerText.slice(0, 600)`))
		t.Errorf("moving the lead to 已落地: %v; the view shows: %s", err, shown)
	}
	plain("the leads view")
}

// pdfPages counts the page objects of a PDF (/Type /Page, not /Pages).
func pdfPages(b []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page([^s]|$)`).FindAll(b, -1))
}

// pageState describes what a stuck walk was looking at: the route, the
// comparison's chosen regions and its pickers.
func pageState(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({
		hash: location.hash,
		chips: [...document.querySelectorAll('.region-chip')].map(c => c.dataset.code),
		prov: document.querySelector('#cmp-prov')?.value, city: document.querySelector('#cmp-city')?.value,
		cities: document.querySelector('#cmp-city')?.options.length,
		addDisabled: document.querySelector('#cmp-add')?.disabled,
		result: document.querySelector('#cmp-result')?.textContent.slice(0, 80)})`))
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return st
}
