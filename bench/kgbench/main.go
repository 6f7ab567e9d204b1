// Command kgbench measures chainkg: a running server over HTTP on loopback,
// and chainkg against the alternatives on the same data. It lives in its own
// module (bench/), outside the product, and runs from that directory:
//
//	cd bench && go run ./kgbench api  --url http://127.0.0.1:8080 [--regions 370600,370100] [--chains nev,ic] [--n 200]
//	cd bench && go run ./kgbench load --url http://127.0.0.1:8080 --duration 30s --readers 32 [--no-cache] [--writer-token T --upload FILE[,FILE…]]
//	cd bench && go run ./kgbench compare --registry F.csv --store bbolt:DIR[,mem:] --pg postgres://…@127.0.0.1:5432/postgres
//
// `api` times each analytics endpoint one request at a time (p50/p99), then
// the chain map under 32 concurrent clients (requests/s), first with every
// answer computed (Cache-Control: no-cache), then as the server keeps its
// answers until the next write. `load` runs many
// readers against the endpoints and one writer that uploads a registry file
// over and over, for a fixed time, and reports throughput, p50/p99 and
// errors. Both refuse any URL that is not on this machine. `compare` loads
// one registry into chainkg and into PostgreSQL, asks chainkg (in process and
// through its API), PostgreSQL and cayley's Gizmo the same questions, checks
// that the answers are the same, then times them (compare.go).
//
// The alternatives compute the analytics' formulas themselves (engine.go),
// written again rather than imported, so that the comparison checks the
// product's. They use only what the product exports for everyone: the
// loaders, the store, the read model's answers, and the ad-hoc query API.
//
// The Gizmo alternative sends its programs through that query API
// (store.Store.Query, as POST /api/v1/query does) rather than opening the
// store's file with cayley itself: it then asks the very store chainkg
// answers from, in memory as well as on bbolt, while it is open, under the
// same lock as every other reader; and the product stays the only importer
// of cayley. The API caps a program's results at 100,000, so each program
// emits its rows in arrays (gizmoread.go), and its time limit is raised.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kgbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: kgbench api|load|compare|split|scatter [flags]")
	}
	switch args[0] {
	case "split":
		return splitRegistry(args[1:], out)
	case "scatter":
		return runScatter(ctx, args[1:], out)
	}
	if args[0] == "compare" {
		b := &bench{client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Minute}}
		return b.compare(ctx, out, args[1:])
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	regions := fs.String("regions", "370600,370100,370200,320500,440300,310000,330100,420100,510100,610100", "region codes to query")
	chains := fs.String("chains", "nev,ic,biopharma,hydrogen,energy-storage", "chain ids to query")
	queries := fs.String("search", "万华,宁德时代,新能源,电池,烟台,半导体,海洋,生物医药", "search queries")
	n := fs.Int("n", 200, "api: requests per endpoint")
	clients := fs.Int("clients", 32, "api: concurrent clients for the throughput run")
	window := fs.Duration("window", 10*time.Second, "api: length of the throughput run")
	duration := fs.Duration("duration", 30*time.Second, "load: how long to run")
	readers := fs.Int("readers", 32, "load: concurrent readers")
	token := fs.String("writer-token", os.Getenv("CHAINKG_WRITER_TOKEN"), "load: writer token for the uploads")
	fresh := fs.Bool("no-cache", false, "load: readers send Cache-Control: no-cache, so every answer is computed")
	upload := fs.String("upload", "", "load: registry file(s) the writer uploads again and again, in turn under the first one's name, so each upload replaces the source with other content (comma-separated; none: no writer)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := loopbackOnly(*base); err != nil {
		return err
	}
	b := &bench{base: strings.TrimRight(*base, "/"), client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 60 * time.Second}}
	b.regions, b.chains, b.queries = split(*regions), split(*chains), split(*queries)
	b.fresh = *fresh
	switch args[0] {
	case "api":
		return b.api(ctx, out, *n, *clients, *window)
	case "load":
		return b.load(ctx, out, *duration, *readers, *token, *upload)
	}
	return fmt.Errorf("unknown mode %q: want api, load or compare", args[0])
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// loopbackOnly refuses a target that is not this machine: the benchmark
// must never send traffic elsewhere.
func loopbackOnly(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%s is not a loopback address: kgbench only drives servers on this machine", raw)
	}
	return nil
}

type bench struct {
	// fresh sends Cache-Control: no-cache, so the server computes every
	// answer instead of serving the one it keeps for the current read model.
	fresh   bool
	base    string
	client  *http.Client
	regions []string
	chains  []string
	queries []string
}

// paths returns the request paths of one endpoint, cycling over the
// configured regions, chains and queries.
func (b *bench) paths(endpoint string, i int) string {
	r, c := b.regions[i%len(b.regions)], b.chains[(i/len(b.regions))%len(b.chains)]
	switch endpoint {
	case "search":
		return "/api/v1/search?q=" + url.QueryEscape(b.queries[i%len(b.queries)])
	case "targets":
		return "/api/v1/regions/" + r + "/chains/" + c + "/targets?size=20"
	default:
		return "/api/v1/regions/" + r + "/chains/" + c + "/" + endpoint
	}
}

func (b *bench) get(ctx context.Context, path string) (time.Duration, error) {
	_, d, err := b.request(ctx, path, io.Discard)
	return d, err
}

// fetch GETs a path and returns its body and how long the request took.
func (b *bench) fetch(ctx context.Context, path string) ([]byte, time.Duration, error) {
	var body bytes.Buffer
	_, d, err := b.request(ctx, path, &body)
	return body.Bytes(), d, err
}

func (b *bench) request(ctx context.Context, path string, w io.Writer) (int64, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", b.base+path, nil)
	if err != nil {
		return 0, 0, err
	}
	if b.fresh {
		req.Header.Set("Cache-Control", "no-cache")
	}
	start := time.Now()
	resp, err := b.client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(w, resp.Body)
	resp.Body.Close()
	d := time.Since(start)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return n, d, err
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(p * float64(len(s)-1))
	return s[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

func (b *bench) api(ctx context.Context, out io.Writer, n, clients int, window time.Duration) error {
	// Warm up: the first request of each path builds nothing, but the
	// connection pool and the CPU caches should not be measured.
	for i := 0; i < min(n, 20); i++ {
		b.get(ctx, b.paths("map", i))
	}
	// Each answer twice: computed (no-cache) and as the server keeps it for
	// the current read model.
	for _, fresh := range []bool{true, false} {
		b.fresh = fresh
		what := "answers kept until the next write"
		if fresh {
			what = "every answer computed (Cache-Control: no-cache)"
		}
		fmt.Fprintf(out, "== %s\n", what)
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "endpoint\trequests\tp50\tp99\terrors")
		for _, ep := range []string{"map", "gaps", "anchors", "targets", "search"} {
			var ds []time.Duration
			errs := 0
			var first error
			for i := 0; i < n; i++ {
				d, err := b.get(ctx, b.paths(ep, i))
				if err != nil {
					errs++
					first = cmpOr(first, err)
					continue
				}
				ds = append(ds, d)
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\n", ep, n, ms(percentile(ds, 0.5)), ms(percentile(ds, 0.99)), errs)
			if first != nil {
				fmt.Fprintf(tw, "\tfirst error: %v\n", first)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		// Throughput of the chain map under concurrent clients.
		res := b.hammer(ctx, clients, window, func(i int) string { return b.paths("map", i) })
		fmt.Fprintf(out, "chain map, %d concurrent clients for %s: %.0f requests/s, p50 %s, p99 %s, %d errors\n\n",
			clients, window, float64(res.n)/window.Seconds(), ms(percentile(res.ds, 0.5)), ms(percentile(res.ds, 0.99)), res.errs)
	}
	b.fresh = false
	return nil
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

type hammerResult struct {
	n, errs int
	ds      []time.Duration
	first   error
}

// hammer runs clients goroutines issuing GETs for the window.
func (b *bench) hammer(ctx context.Context, clients int, window time.Duration, path func(int) string) hammerResult {
	ctx, cancel := context.WithTimeout(ctx, window)
	defer cancel()
	var mu sync.Mutex
	var res hammerResult
	var next atomic.Int64
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ds []time.Duration
			errs := 0
			var first error
			for ctx.Err() == nil {
				d, err := b.get(ctx, path(int(next.Add(1))))
				if ctx.Err() != nil {
					break
				}
				if err != nil {
					errs++
					first = cmpOr(first, err)
					continue
				}
				ds = append(ds, d)
			}
			mu.Lock()
			res.ds = append(res.ds, ds...)
			res.n += len(ds)
			res.errs += errs
			res.first = cmpOr(res.first, first)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return res
}

func (b *bench) load(ctx context.Context, out io.Writer, duration time.Duration, readers int, token, upload string) error {
	endpoints := []string{"map", "gaps", "anchors", "targets", "search"}
	var writes, writeErrs atomic.Int64
	var writeErr atomic.Value
	wctx, wcancel := context.WithTimeout(ctx, duration)
	defer wcancel()
	var wg sync.WaitGroup
	var wds []time.Duration // how long each upload took, to the end of its load
	files := split(upload)
	if len(files) > 0 {
		var bodies [][]byte
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			bodies = append(bodies, body)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; wctx.Err() == nil; k++ {
				start := time.Now()
				if err := b.upload(wctx, token, filepath.Base(files[0]), bodies[k%len(bodies)]); err != nil {
					if wctx.Err() != nil {
						break
					}
					writeErrs.Add(1)
					writeErr.Store(err)
					time.Sleep(100 * time.Millisecond)
					continue
				}
				writes.Add(1)
				wds = append(wds, time.Since(start))
			}
		}()
	}
	res := b.hammer(ctx, readers, duration, func(i int) string { return b.paths(endpoints[i%len(endpoints)], i/len(endpoints)) })
	wg.Wait()
	fmt.Fprintf(out, "%d readers and %d writer for %s\n", readers, btoi(upload != ""), duration)
	fmt.Fprintf(out, "reads:  %d (%.0f/s), p50 %s, p99 %s, errors %d\n", res.n, float64(res.n)/duration.Seconds(),
		ms(percentile(res.ds, 0.5)), ms(percentile(res.ds, 0.99)), res.errs)
	if res.first != nil {
		fmt.Fprintf(out, "        first read error: %v\n", res.first)
	}
	if len(files) > 0 {
		fmt.Fprintf(out, "writes: %d uploads of %s, errors %d", writes.Load(), filepath.Base(files[0]), writeErrs.Load())
		if len(wds) > 0 {
			fmt.Fprintf(out, ", each to the end of its load: p50 %s, max %s", percentile(wds, 0.5).Round(time.Millisecond), slices.Max(wds).Round(time.Millisecond))
		}
		fmt.Fprintln(out)
		if e := writeErr.Load(); e != nil {
			fmt.Fprintf(out, "        last write error: %v\n", e)
		}
	}
	if res.errs > 0 || writeErrs.Load() > 0 {
		return fmt.Errorf("%d read errors, %d write errors", res.errs, writeErrs.Load())
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// upload posts a registry file to /api/v1/sources as the writer and, as
// the load runs as a job, follows the job until it has finished.
func (b *bench) upload(ctx context.Context, token, name string, content []byte) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("kind", "registry"); err != nil {
		return err
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return err
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, "POST", b.base+"/api/v1/sources", &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("upload: %s %s", resp.Status, msg)
	}
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusAccepted {
		return nil
	}
	loc := resp.Header.Get("Location")
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		req, err := http.NewRequestWithContext(ctx, "GET", b.base+loc, nil)
		if err != nil {
			return err
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := b.client.Do(req)
		if err != nil {
			return err
		}
		var job struct {
			State  string `json:"state"`
			Status int    `json:"status"`
			Error  string `json:"error"`
		}
		err = json.NewDecoder(resp.Body).Decode(&job)
		resp.Body.Close()
		switch {
		case err != nil:
			return fmt.Errorf("job %s: %s: %v", loc, resp.Status, err)
		case job.State == "failed":
			return fmt.Errorf("job %s failed (%d): %s", loc, job.Status, job.Error)
		case job.State == "done":
			return nil
		}
	}
}
