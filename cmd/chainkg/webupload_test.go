package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/chainkg/chainkg/graph/graphtest"
)

// TestWebUpload drives the page's data view in headless Chromium against
// the real server: a registry uploads and the page says it is a new
// source; a file with a fifth of its rows is refused with the numbers and
// the source stays; allowed to shrink, it loads and the page says which
// version, loaded from which file, it replaced (issue 19 items 1 and 2).
func TestWebUpload(t *testing.T) {
	exe := graphtest.Tool(t, "chromium", "chromium")
	const token = "writer-token-0123456789"
	t.Setenv("CHAINKG_TOKENS", token+":writer")
	base, _, stop := startServe(t, "mem:")
	defer stop()
	dir := t.TempDir()
	big, small := filepath.Join(dir, "a", "f.csv"), filepath.Join(dir, "b", "f.csv")
	writeFileAll(t, big, registryCSV(10))
	writeFileAll(t, small, registryCSV(2))

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.Flag("lang", "zh-CN"))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	ctx, cancel := context.WithDeadline(bctx, stateDeadline(t))
	defer cancel()

	// resultHas waits until the upload's result shows text.
	resultHas := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector('#upload-result').textContent.includes(%q)`, text))
	}
	result := func() string {
		s, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#upload-result")))
		return s
	}
	send := func(file string, allowShrink bool) chromedp.Action[chromedp.Void] {
		set := `document.querySelector('#upload-form [name=allow_shrink]').checked = ` + fmt.Sprint(allowShrink)
		return chromedp.Steps(
			chromedp.WaitVisible(chromedp.CSS("#upload-form")),
			chromedp.SetUploadFiles(chromedp.CSS(`#upload-form input[type=file]`), []string{file}),
			chromedp.Evaluate[chromedp.Void](set),
			// Clear the last result, so the wait below sees this upload's.
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#upload-result').textContent = ''`),
			chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)),
		)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/#/data"),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`localStorage.setItem('chainkg-token', %q)`, token)),
		chromedp.Reload(),
		send(big, false),
		resultHas("已导入为新来源 registry/f.csv"),
	)
	if err != nil {
		t.Fatalf("the first upload: %v; the page says %q", err, result())
	}
	before := sourcesOf(t, base)
	if err := chromedp.Do(ctx, send(small, false), resultHas("数据未作任何改动")); err != nil {
		t.Fatalf("the shrinking upload: %v; the page says %q", err, result())
	}
	if got := result(); !strings.Contains(got, "(2 good rows of 2)") || !strings.Contains(got, "allow_shrink=true") {
		t.Errorf("the refusal does not give the numbers and the way out: %q", got)
	}
	if after := sourcesOf(t, base); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the refused upload changed the sources")
	}
	if err := chromedp.Do(ctx, send(small, true), resultHas("替换了")); err != nil {
		t.Fatalf("the allowed shrink: %v; the page says %q", err, result())
	}
	if got := result(); !strings.Contains(got, "由 f.csv 导入的版本") {
		t.Errorf("the page does not say which file's version was replaced: %q", got)
	}
}
