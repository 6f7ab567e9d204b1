package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chainkg/chainkg/graph/graphtest"
)

// TestPlanPageReadsClean uploads seed plan 003 — a mirror site's page in
// traditional characters with pinyin after them — and opens its page in
// Chromium: the text shown is the normalised one (simplified, no pinyin)
// with the facts marked, and the original is one click away.
func TestPlanPageReadsClean(t *testing.T) {
	exe := graphtest.Tool(t, "chromium", "chromium")
	raw, err := os.ReadFile(graphtest.Shared(t, "plans/003_5fc9eafc7ee9e2ce.txt"))
	if err != nil {
		t.Fatal(err)
	}
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	base, _, stop := startServe(t, "mem:")
	defer stop()
	status, rep := postForm(t, base+"/api/v1/sources?wait=true", token, map[string]string{"kind": "plan"}, "003.txt", string(raw))
	if status != http.StatusCreated {
		t.Fatalf("uploading plan 003: %d %v", status, rep)
	}

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 1000))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	ctx, cancel := context.WithDeadline(bctx, stateDeadline(t))
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/plan/003.txt"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#plan-text mark').length > 3`),
	); err != nil {
		t.Fatalf("the plan page with its facts marked: %v", err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#plan-text")))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"國", "業", "(guó)", "(yè)", "wǎng", "jī)", "(jìn)", "�"} {
		if strings.Contains(shown, bad) {
			t.Errorf("the plan page shows %q: not the normalised text", bad)
		}
	}
	if !strings.Contains(shown, "山东省政府办公厅印发") {
		t.Errorf("the plan page does not read as simplified Chinese: %.200q", shown)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#plan-original")),
		chromedp.Poll[chromedp.Void](`!document.querySelector('#plan-original-text').hidden && document.querySelector('#plan-text').hidden`),
	); err != nil {
		t.Fatalf("showing the original: %v", err)
	}
	orig, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#plan-original-text")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(orig, "國") {
		t.Errorf("the original is not the text as read: %.200q", orig)
	}
}
