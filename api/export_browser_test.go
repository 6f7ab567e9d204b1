package api

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
)

// jsPages are the pages that draw an export with a real library, each as
// its users would: the file's own styles and positions, nothing added. A
// page sets window.done to what the library holds, or window.failed.
var jsPages = map[string]struct{ lib, script string }{
	"cyjs": {"cytoscape/dist/cytoscape.min.js", `
const doc = await (await fetch(DATA)).json();
const cy = cytoscape(Object.assign({container: document.getElementById('c')}, doc));
cy.fit(undefined, 20);
await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
const hex = c => 'rgb(' + [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16)).join(',') + ')';
const styled = cy.nodes('[kind != "segment"]').filter(n => n.style('label') === n.data('label') && n.style('background-color') === hex(n.data('color'))).length
  + cy.edges('.supplies').filter(e => e.style('target-arrow-shape') === 'triangle').length;
window.done = {nodes: cy.nodes('[kind != "segment"]').length, edges: cy.edges().length, segments: cy.nodes('[kind = "segment"]').length,
  styled: styled - cy.edges('.supplies').length};
`},
	"echarts": {"echarts/dist/echarts.min.js", `
const opt = await (await fetch(DATA)).json();
const chart = echarts.init(document.getElementById('c'));
const t0 = performance.now();
await new Promise(r => { chart.on('finished', r); chart.setOption(opt); });
const data = chart.getModel().getSeriesByIndex(0).getData();
let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
for (let i = 0; i < data.count(); i++) {
  const [x, y] = data.getItemLayout(i);
  x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
}
window.done = {nodes: data.count(), edges: chart.getModel().getSeriesByIndex(0).getEdgeData().count(), ms: performance.now() - t0, w: x1 - x0, h: y1 - y0};
`},
	"g6": {"@antv/g6/dist/g6.min.js", `
const data = await (await fetch(DATA)).json();
const graph = new G6.Graph({container: 'c', data, autoFit: 'view', animation: false});
await graph.render();
window.done = {nodes: graph.getNodeData().length, edges: graph.getEdgeData().length,
  segments: graph.getComboData().filter(c => c.type === 'rect').length, styled: graph.getNodeData().length};
`},
}

// inkOnCanvases counts the drawn pixels of the page's 2D canvases: not
// transparent and not white.
const inkOnCanvases = `(() => {
  let ink = 0, colours = new Set();
  for (const c of document.querySelectorAll('canvas')) {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) continue;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < px.length; i += 16) {
      if (px[i+3] > 0 && (px[i] < 235 || px[i+1] < 235 || px[i+2] < 235)) { ink++; colours.add((px[i] >> 4) + ',' + (px[i+1] >> 4) + ',' + (px[i+2] >> 4)); }
    }
  }
  return {ink, colours: colours.size};
})()`

// browserExports serves the API and the npm libraries, and opens pages in
// headless Chromium; render draws one export with one library and returns
// what window.done holds, failing on any console error or exception.
type browserExports struct {
	t   *testing.T
	srv *httptest.Server
	ctx context.Context
	mu  sync.Mutex
	log []string
}

func newBrowserExports(t *testing.T, s *Server) *browserExports {
	t.Helper()
	libs := jsLibs(t, "cytoscape", "echarts", "@antv/g6")
	exe := chromium(t)
	mux := http.NewServeMux()
	mux.Handle("/lib/", http.StripPrefix("/lib/", http.FileServer(http.Dir(libs))))
	mux.HandleFunc("/page/{format}", func(w http.ResponseWriter, r *http.Request) {
		p := jsPages[r.PathValue("format")]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><meta charset="utf-8"><body style="margin:0;background:#fff">
<div id="c" style="width:1400px;height:900px"></div>
<script src="/lib/%s"></script>
<script>
const DATA = %q;
(async () => { %s })().catch(e => { window.failed = String(e && e.stack || e); });
</script>`, p.lib, r.URL.Query().Get("data"), p.script)
	})
	mux.Handle("/", s.Handler())
	b := &browserExports{t: t, srv: httptest.NewServer(mux)}
	t.Cleanup(b.srv.Close)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1400, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true))...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	b.ctx = bctx
	if err := chromedp.Listen(bctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += ": " + e.ExceptionDetails.Exception.Description
			}
			b.log = append(b.log, "exception: "+msg)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				b.log = append(b.log, string(e.Type)+": "+strings.Join(args, " "))
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

type rendered struct {
	Nodes, Edges, Segments int
	Styled                 int // nodes drawn with their label and colour (and supply arrows)
	Ms, W, H               float64
}

// render opens the page of format for the export at route and waits, up
// to within, for the library to finish.
func (b *browserExports) render(format, route string, within time.Duration) rendered {
	t := b.t
	t.Helper()
	b.mu.Lock()
	b.log = nil
	b.mu.Unlock()
	ctx, cancel := context.WithTimeout(b.ctx, within+30*time.Second)
	defer cancel()
	sep := "?"
	if strings.Contains(route, "?") {
		sep = "&"
	}
	page := b.srv.URL + "/page/" + format + "?data=" + urlQueryEscape(route+sep+"format="+format)
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`window.done !== undefined || window.failed !== undefined`,
		chromedp.WithPollingTimeout(within))); err != nil {
		t.Fatalf("%s of %s: not drawn within %v: %v", format, route, within, err)
	}
	failed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.failed || ''`))
	if err != nil {
		t.Fatal(err)
	}
	if failed != "" {
		t.Fatalf("%s of %s: the library failed: %s", format, route, failed)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[rendered](`window.done`))
	if err != nil {
		t.Fatal(err)
	}
	ink, err := chromedp.Run(ctx, chromedp.Evaluate[struct{ Ink, Colours int }](inkOnCanvases))
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CHAINKG_SCREENSHOTS"); dir != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(filepath.Join(dir, "export-"+format+".png"), png, 0o644)
		}
	}
	if ink.Ink < 500 || ink.Colours < 5 {
		t.Errorf("%s of %s: the canvas looks blank (%d drawn pixels sampled, %d colours)", format, route, ink.Ink, ink.Colours)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.log) > 0 {
		t.Errorf("%s of %s: the console says %q", format, route, b.log)
	}
	return got
}

func urlQueryEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "?", "%3F", "=", "%3D", "#", "%23", "+", "%2B").Replace(s)
}

// TestExportsRenderInBrowser draws the Cytoscape.js, ECharts and G6 exports
// of 烟台市 × 新能源汽车 with the real libraries (npm: cytoscape, echarts,
// @antv/g6) in headless Chromium: no console error or warning, a canvas
// with a drawing on it, and the library holds the export's nodes and edges
// (segment boxes apart).
func TestExportsRenderInBrowser(t *testing.T) {
	s := New(Config{})
	s.SetStore(graphtest.NEV(t))
	b := newBrowserExports(t, s)
	route := "/api/v1/regions/370600/chains/nev/export"
	rec := do(t, s.Handler(), "GET", route+"?format=json")
	var nodes, edges int
	fmt.Sscan(rec.Header().Get("X-Chainkg-Nodes"), &nodes)
	fmt.Sscan(rec.Header().Get("X-Chainkg-Edges"), &edges)
	for _, f := range []string{"cyjs", "echarts", "g6"} {
		t.Run(f, func(t *testing.T) {
			b.t = t
			got := b.render(f, route, 30*time.Second)
			if got.Nodes != nodes || got.Edges != edges {
				t.Errorf("%s holds %d nodes and %d edges; the export has %d and %d", f, got.Nodes, got.Edges, nodes, edges)
			}
			if f != "echarts" && got.Segments != 3 {
				t.Errorf("%s holds %d rect segment boxes, want 上游, 中游, 下游", f, got.Segments)
			}
			if f == "cyjs" && got.Styled != nodes {
				t.Errorf("cytoscape draws %d of %d nodes with their label and colour (or arrows are missing): the stylesheet is not applied", got.Styled, nodes)
			}
		})
	}
}

// largeServer serves the 新能源汽车 fixture with n more firms over 19
// provinces, one in five in a leaf of the chain, the rest in no node.
func largeServer(t *testing.T, n int) *Server {
	t.Helper()
	st := graphtest.NEV(t)
	ctx := context.Background()
	if _, err := st.Replace(ctx, graph.Source{ID: "reference/bench-regions", Kind: graph.KindReference}, graph.Facts(graphtest.BenchRegions()...)); err != nil {
		t.Fatal(err)
	}
	x := st.Index()
	var leaves []graph.NodeID
	for _, cn := range x.ChainNodes("nev") {
		if d, _ := x.NodeDetail(cn.ID, 0); d.Leaf {
			leaves = append(leaves, cn.ID)
		}
	}
	rng := rand.New(rand.NewPCG(3, 5))
	_, err := st.Replace(ctx, graph.Source{ID: "registry/large", Kind: graph.KindRegistry}, func(w graph.FactSink) error {
		for i := range n {
			f := graph.Firm{ID: graph.FirmID(graphtest.CreditCode(20000 + i)), Name: fmt.Sprintf("合成企业%d有限公司", i),
				Region: graph.RegionCode(fmt.Sprintf("%02d%02d00", 11+3*rng.IntN(19), 1+rng.IntN(16))), Capital: float64(rng.IntN(100000)),
				Status: graph.StatusActive, Synthetic: true}
			if i%5 == 0 {
				f.Nodes = []graph.NodeLink{{Node: leaves[rng.IntN(len(leaves))], Method: "keyword", Confidence: 0.8}}
			}
			if err := w.Put(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{})
	s.SetStore(st)
	return s
}

// TestWholeGraphInECharts draws the whole graph of 3,000 extra firms
// (2,400 in no node) with ECharts: it finishes within 10 s (the condition
// waited for has that deadline) and the drawing's sides differ by less
// than 4×.
func TestWholeGraphInECharts(t *testing.T) {
	s := largeServer(t, 3000)
	b := newBrowserExports(t, s)
	got := b.render("echarts", "/api/v1/export", 10*time.Second)
	if got.Nodes < 3000 {
		t.Errorf("ECharts holds %d nodes", got.Nodes)
	}
	if r := max(got.W, got.H) / min(got.W, got.H); r >= 4 {
		t.Errorf("the whole graph is drawn %.0f × %.0f px: sides differ by %.1f×", got.W, got.H, r)
	}
	t.Logf("ECharts drew %d nodes, %d edges in %.0f ms, %.0f × %.0f px", got.Nodes, got.Edges, got.Ms, got.W, got.H)
}

// TestExportTooLargeForTool asks for the whole graph of 3,000 extra firms
// as G6 data: a 400 that names the limit and the smaller scopes to export,
// while ECharts, which draws it, gets the file.
func TestExportTooLargeForTool(t *testing.T) {
	s := largeServer(t, 3000)
	rec := do(t, s.Handler(), "GET", "/api/v1/export?format=g6")
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("g6 of the whole graph: %d", rec.Code)
	}
	for _, want := range []string{"AntV G6", "at most 2000", "/api/v1/chains/{chain}/export?format=g6", "size=50", "gexf"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("the message lacks %q: %s", want, rec.Body)
		}
	}
	if rec := do(t, s.Handler(), "GET", "/api/v1/export?format=echarts"); rec.Code != http.StatusOK {
		t.Errorf("echarts of the whole graph: %d", rec.Code)
	}
}
