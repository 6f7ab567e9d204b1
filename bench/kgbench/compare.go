package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// compare loads one registry into chainkg (each store given) and into
// PostgreSQL, asks every system the same questions, checks that they give
// the same answers, and only then times them.
//
//	kgbench compare --registry firms.csv --store bbolt:/tmp/kg,mem: --pg postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable

type compareFlags struct {
	stores    string
	registry  string
	pg        string
	pgSchema  string
	pgSkip    bool
	explain   string
	gizmo     bool
	pairs     string
	search    string
	n, gizmoN int
	budget    time.Duration
	trace     bool
	gizmoArgs int
}

// question is one of the questions (chain map, gaps, anchors, targets and
// search, some in two forms), asked of one system.
type question struct {
	name string
	// args lists the question's arguments (region × chain pairs or search queries).
	args []string
}

// system answers the questions.
type system struct {
	name string
	ask  func(ctx context.Context, q string, arg string) (any, error)
	// timed, when set, times a question instead of ask (HTTP: request and
	// body, not the decoding the check needs).
	timed func(ctx context.Context, q string, arg string) (time.Duration, error)
	// iterations is how many timed runs each question gets.
	iterations int
	// substringSearch: the system's search gives exact, prefix and
	// substring hits only (see searchAnswer.substringHits).
	substringSearch bool
	// maxArgs, when set, limits the system to the first arguments of each
	// question (Gizmo at 1M firms takes minutes per answer).
	maxArgs int
}

// args returns the arguments of a question the system is asked.
func (s *system) args(q question) []string {
	if s.maxArgs > 0 && s.maxArgs < len(q.args) {
		return q.args[:s.maxArgs]
	}
	return q.args
}

func (b *bench) compare(ctx context.Context, out io.Writer, args []string) error {
	var cf compareFlags
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&cf.stores, "store", "mem:", "chainkg stores to load and ask, comma-separated (mem:, bbolt:DIR); one that already holds the registry is reused")
	fs.StringVar(&cf.registry, "registry", "", "registry file to load (from the repository root: go run ./cmd/synthreg -n N -out F.csv); none: the default data only")
	fs.StringVar(&cf.pg, "pg", os.Getenv("CHAINKG_BENCH_POSTGRES"), "PostgreSQL URL on this machine (env CHAINKG_BENCH_POSTGRES); none: no PostgreSQL")
	fs.StringVar(&cf.pgSchema, "pg-schema", "kgbench", "schema the benchmark owns (drops and fills) in that database")
	fs.BoolVar(&cf.pgSkip, "pg-skip-load", false, "reuse the tables of an earlier run instead of loading PostgreSQL again")
	fs.StringVar(&cf.explain, "pg-explain", "", "write EXPLAIN ANALYZE of every PostgreSQL query for the first pair to this file")
	fs.BoolVar(&cf.gizmo, "gizmo", true, "ask cayley through Gizmo too")
	fs.StringVar(&cf.pairs, "pairs", "370600:nev,370100:ic,320500:biopharma,440300:energy-storage,330100:hydrogen,420100:nev", "region:chain pairs to ask")
	fs.StringVar(&cf.search, "search", "宁德时代,万华化学,烟台华鑫,苏州恒通,新能源科技,比亚迪", "firm search queries (two characters or more)")
	fs.IntVar(&cf.n, "n", 60, "timed runs per question for chainkg and PostgreSQL")
	fs.IntVar(&cf.gizmoN, "gizmo-n", 6, "timed runs per question for Gizmo")
	fs.BoolVar(&cf.trace, "trace", false, "log how long each store call of the alternatives takes (stderr)")
	fs.IntVar(&cf.gizmoArgs, "gizmo-args", 0, "check and time Gizmo on the first this many pairs and queries only (0: all)")
	fs.DurationVar(&cf.budget, "budget", 2*time.Minute, "stop timing a question on a system after this long (one run at least)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	pairs, err := parsePairs(cf.pairs)
	if err != nil {
		return err
	}
	queries := split(cf.search)
	for _, q := range queries {
		if len([]rune(normName(q))) < 2 {
			return fmt.Errorf("--search %q: queries need two characters or more", q)
		}
	}
	fmt.Fprintf(out, "kgbench compare: %d cores (GOMAXPROCS %d), %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), loadAverage())

	// chainkg: load the registry into every store.
	var stores []*store.Store
	defer func() {
		for _, st := range stores {
			st.Close()
		}
	}()
	loads := tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(out, "\n== loading")
	fmt.Fprintln(loads, "system\tregistry rows\tfirms\tfirm–node links\ttime\trows/s\t")
	for _, u := range split(cf.stores) {
		st, row, err := loadChainkg(ctx, u, cf.registry)
		if err != nil {
			return err
		}
		stores = append(stores, st)
		fmt.Fprintln(loads, row)
	}
	if len(stores) == 0 {
		return errors.New("--store: give at least one store")
	}
	x := stores[0].Index()

	// PostgreSQL.
	var pg, pgSum *pgStore
	if cf.pg != "" {
		db, err := pgOpen(ctx, cf.pg, cf.pgSchema)
		if err != nil {
			return err
		}
		defer db.Close()
		if !cf.pgSkip {
			res, err := pgLoad(ctx, db, cf.pgSchema, x, cf.registry)
			if err != nil {
				return err
			}
			total := res.Copy + res.Index
			fmt.Fprintf(loads, "PostgreSQL: read, classify, COPY\t%d\t%d\t%d\t%s\t%.0f\t\n", res.FileFirms, res.Firms, res.Links, round(res.Copy), float64(res.FileFirms)/res.Copy.Seconds())
			fmt.Fprintf(loads, "PostgreSQL: keys, indexes, VACUUM ANALYZE\t\t\t\t%s\t\t\n", round(res.Index))
			fmt.Fprintf(loads, "PostgreSQL: total\t%d\t%d\t%d\t%s\t%.0f\t\n", res.FileFirms, res.Firms, res.Links, round(total), float64(res.FileFirms)/total.Seconds())
			fmt.Fprintf(loads, "PostgreSQL: summaries (materialized views)\t\t\t\t%s\t\t\n", round(res.Summaries))
			if res.Skipped > 0 {
				fmt.Fprintf(loads, "PostgreSQL: rows skipped (firm already loaded)\t%d\t\t\t\t\t\n", res.Skipped)
			}
		} else {
			fmt.Fprintln(loads, "PostgreSQL\t\t\t\treused\t\t")
		}
		if pg, err = newPGStore(ctx, db, false); err != nil {
			return err
		}
		defer pg.close()
		if pgSum, err = newPGStore(ctx, db, true); err != nil {
			return err
		}
		defer pgSum.close()
		if err := pgSettings(ctx, db, out); err != nil {
			return err
		}
	}
	loads.Flush()

	// The systems.
	cfg := graph.DefaultConfig()
	traced := func(f fetcher, name string) fetcher {
		if cf.trace {
			return &tracer{fetcher: f, name: name, w: os.Stderr}
		}
		return f
	}
	systems := []*system{inProcess(x, cfg, cf.n)}
	srv, err := startServer(stores[0])
	if err != nil {
		return err
	}
	defer srv.Close()
	b.base = "http://" + srv.addr
	// Every answer computed, as the other systems compute theirs.
	b.fresh = true
	systems = append(systems, b.overHTTP(cf.n))
	if pg != nil {
		e, err := newEngine(ctx, traced(pg, "postgres"), cfg)
		if err != nil {
			return err
		}
		systems = append(systems, engineSystem("PostgreSQL", e, cf.n))
		es, err := newEngine(ctx, traced(pgSum, "postgres+summaries"), cfg)
		if err != nil {
			return err
		}
		systems = append(systems, engineSystem("PostgreSQL + summaries", es, cf.n))
		if cf.explain != "" {
			if err := writeExplain(ctx, cf.explain, pg, e, pairs[0]); err != nil {
				return err
			}
		}
	}
	if cf.gizmo {
		for _, st := range stores {
			e, err := newEngine(ctx, traced(&gizmoStore{st: st}, "gizmo "+st.Backend()), cfg)
			if err != nil {
				return err
			}
			s := engineSystem("Gizmo ("+st.Backend()+")", e, cf.gizmoN)
			s.maxArgs = cf.gizmoArgs
			systems = append(systems, s)
		}
	}
	questions := []question{
		{"chain map", pairs}, {"gaps", pairs}, {"anchors", pairs}, {"anchors (all candidates)", pairs},
		{"targets (page 1)", pairs}, {"targets leaf-only (page 1)", pairs}, {"firm search", queries},
	}

	// Same answers first.
	fmt.Fprintln(out, "\n== checking that every system gives chainkg's answers")
	bad := 0
	for _, q := range questions {
		for i, arg := range q.args {
			want, err := systems[0].ask(ctx, q.name, arg)
			if err != nil {
				return fmt.Errorf("chainkg: %s %s: %w", q.name, arg, err)
			}
			for _, s := range systems[1:] {
				if i >= len(s.args(q)) {
					continue
				}
				got, err := s.ask(ctx, q.name, arg)
				if err != nil {
					return fmt.Errorf("%s: %s %s: %w", s.name, q.name, arg, err)
				}
				if d := diffAnswers(want, got, s.substringSearch); len(d) > 0 {
					bad++
					fmt.Fprintf(out, "%s: %s %s differs from chainkg:\n  %s\n", s.name, q.name, arg, firstLines(d, 12))
				}
			}
		}
		var checked []string
		for _, s := range systems[1:] {
			checked = append(checked, fmt.Sprintf("%s %d", s.name, len(s.args(q))))
		}
		fmt.Fprintf(out, "%s checked: %s\n", q.name, strings.Join(checked, ", "))
	}
	if bad > 0 {
		return fmt.Errorf("%d answers differ from chainkg's: nothing timed", bad)
	}
	fmt.Fprintln(out, "all answers agree: counts, sets and rankings equal, numbers within 1e-6")
	summarise(out, systems[0], questions, ctx)

	// Then the timings.
	fmt.Fprintln(out, "\n== timing (one request at a time; p50 and p99 over the runs, cycling through the arguments)")
	res := map[string]map[string][]time.Duration{}
	for _, q := range questions {
		for _, s := range systems {
			ds, err := timeQuestion(ctx, s, q, cf.budget)
			if err != nil {
				return err
			}
			if res[q.name] == nil {
				res[q.name] = map[string][]time.Duration{}
			}
			res[q.name][s.name] = ds
		}
	}
	printTable(out, systems, questions, res)
	return nil
}

// parsePairs reads "370600:nev,370100:ic".
func parsePairs(s string) ([]string, error) {
	var out []string
	for _, p := range split(s) {
		r, c, ok := strings.Cut(p, ":")
		if !ok || c == "" {
			return nil, fmt.Errorf("--pairs: %q: want REGION:CHAIN", p)
		}
		if _, err := graph.ParseRegionCode(r); err != nil {
			return nil, fmt.Errorf("--pairs: %w", err)
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, errors.New("--pairs: none given")
	}
	return out, nil
}

func pairOf(arg string) (graph.RegionCode, graph.ChainID) {
	r, c, _ := strings.Cut(arg, ":")
	return graph.RegionCode(r), graph.ChainID(c)
}

// loadChainkg opens a store and loads the default data and the registry
// into it unless it holds them already; it returns the load's table row.
func loadChainkg(ctx context.Context, storeURL, registry string) (*store.Store, string, error) {
	st, err := store.Open(ctx, storeURL, store.Options{})
	if err != nil {
		return nil, "", err
	}
	name := "chainkg (" + st.Backend() + ")"
	if len(st.Index().Sources()) == 0 {
		start := time.Now()
		if _, err := loaders.LoadDefaults(ctx, st, data.FS); err != nil {
			st.Close()
			return nil, "", err
		}
		d := time.Since(start)
		fmt.Fprintf(os.Stderr, "%s: default data loaded in %s\n", name, round(d))
	}
	if registry == "" {
		return st, fmt.Sprintf("%s, default data only\t\t%d\t\t\t\t", name, st.Index().FirmCount()), nil
	}
	id, err := graph.NewSourceID(graph.KindRegistry, filepath.Base(registry))
	if err != nil {
		st.Close()
		return nil, "", err
	}
	for _, s := range st.Index().Sources() {
		if s.ID == id {
			return st, fmt.Sprintf("%s\t\t%d\t\treused\t\t", name, st.Index().FirmCount()), nil
		}
	}
	start := time.Now()
	rep, _, err := loaders.LoadFile(ctx, st, "registry", registry, loaders.FileOptions{})
	if err != nil {
		st.Close()
		return nil, "", fmt.Errorf("%s: load %s: %w", name, registry, err)
	}
	d := time.Since(start)
	links := 0
	st.Index().EachFirm(func(f graph.Firm) bool {
		links += len(f.Nodes)
		return true
	})
	return st, fmt.Sprintf("%s: read, classify, write, rebuild\t%d\t%d\t%d\t%s\t%.0f\t", name, rep.Loaded, st.Index().FirmCount(), links, round(d), float64(rep.Loaded)/d.Seconds()), nil
}

func round(d time.Duration) time.Duration {
	switch {
	case d > 10*time.Second:
		return d.Round(100 * time.Millisecond)
	case d > time.Second:
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}

// inProcess asks chainkg's read model directly.
func inProcess(x *readmodel.Index, cfg graph.Config, n int) *system {
	return &system{name: "chainkg", iterations: n, ask: func(ctx context.Context, q, arg string) (any, error) {
		r, c := pairOf(arg)
		switch q {
		case "chain map":
			m, err := x.ChainMap(ctx, r, c, cfg)
			if err != nil {
				return nil, err
			}
			return mapFromGraph(m), nil
		case "gaps":
			g, err := x.Gaps(ctx, r, c, nil, cfg)
			if err != nil {
				return nil, err
			}
			return gapsFromGraph(g), nil
		case "anchors", "anchors (all candidates)":
			a, err := x.Anchors(ctx, r, c, cfg, q == "anchors (all candidates)")
			if err != nil {
				return nil, err
			}
			return anchorsFromGraph(a), nil
		case "targets (page 1)", "targets leaf-only (page 1)":
			t, err := x.Targets(ctx, r, c, readmodel.TargetQuery{Size: 20, LeafOnly: q == "targets leaf-only (page 1)"}, cfg)
			if err != nil {
				return nil, err
			}
			return targetsFromGraph(t), nil
		case "firm search":
			hits, err := x.Search(ctx, readmodel.SearchQuery{Q: arg, Kinds: []readmodel.SearchKind{readmodel.HitFirm}, Limit: 20})
			if err != nil {
				return nil, err
			}
			return searchFromGraph(hits), nil
		}
		return nil, fmt.Errorf("unknown question %q", q)
	}}
}

// engineSystem asks an alternative.
func engineSystem(name string, e *engine, n int) *system {
	return &system{name: name, iterations: n, substringSearch: true, ask: func(ctx context.Context, q, arg string) (any, error) {
		r, c := pairOf(arg)
		switch q {
		case "chain map":
			return e.chainMap(ctx, r, c)
		case "gaps":
			return e.gaps(ctx, r, c)
		case "anchors":
			return e.anchors(ctx, r, c, false)
		case "anchors (all candidates)":
			return e.anchors(ctx, r, c, true)
		case "targets (page 1)":
			return e.targets(ctx, r, c, 20, false)
		case "targets leaf-only (page 1)":
			return e.targets(ctx, r, c, 20, true)
		case "firm search":
			return e.search(ctx, arg)
		}
		return nil, fmt.Errorf("unknown question %q", q)
	}}
}

// overHTTP asks chainkg's API; the answer is decoded only when checked, so
// timings are of the request and the body read.
func (b *bench) overHTTP(n int) *system {
	path := func(q, arg string) string {
		r, c := pairOf(arg)
		base := "/api/v1/regions/" + string(r) + "/chains/" + url.PathEscape(string(c))
		switch q {
		case "chain map":
			return base + "/map"
		case "gaps":
			return base + "/gaps"
		case "anchors":
			return base + "/anchors"
		case "anchors (all candidates)":
			return base + "/anchors?all=true"
		case "targets (page 1)":
			return base + "/targets?size=20"
		case "targets leaf-only (page 1)":
			return base + "/targets?size=20&leaf_only=true"
		}
		return "/api/v1/search?kind=firm&limit=20&q=" + url.QueryEscape(arg)
	}
	return &system{name: "chainkg HTTP", iterations: n, ask: func(ctx context.Context, q, arg string) (any, error) {
		body, _, err := b.fetch(ctx, path(q, arg))
		if err != nil {
			return nil, err
		}
		switch q {
		case "chain map":
			var m api.ChainMapResponse
			err = json.Unmarshal(body, &m)
			return mapFromAPI(&m), err
		case "gaps":
			var g api.GapsResponse
			err = json.Unmarshal(body, &g)
			return gapsFromAPI(&g), err
		case "anchors", "anchors (all candidates)":
			var a api.AnchorsResponse
			err = json.Unmarshal(body, &a)
			return anchorsFromAPI(&a), err
		case "targets (page 1)", "targets leaf-only (page 1)":
			var t api.TargetsResponse
			err = json.Unmarshal(body, &t)
			return targetsFromAPI(&t), err
		}
		var s api.SearchResponse
		err = json.Unmarshal(body, &s)
		return searchFromAPI(&s), err
	}, timed: func(ctx context.Context, q, arg string) (time.Duration, error) {
		return b.get(ctx, path(q, arg))
	}}
}

// server is chainkg's API on a loopback port, in this process.
type server struct {
	hs   *http.Server
	addr string
}

func startServer(st *store.Store) (*server, error) {
	s := api.New(api.Config{})
	s.SetStore(st)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: s.Handler()}
	go hs.Serve(ln)
	return &server{hs: hs, addr: ln.Addr().String()}, nil
}

func (s *server) Close() error { return s.hs.Close() }

func diffAnswers(want, got any, substringSearch bool) []string {
	switch w := want.(type) {
	case *mapAnswer:
		return diffMap(w, got.(*mapAnswer))
	case *gapsAnswer:
		return diffGaps(w, got.(*gapsAnswer))
	case *anchorsAnswer:
		return diffAnchors(w, got.(*anchorsAnswer))
	case *targetsAnswer:
		return diffTargets(w, got.(*targetsAnswer))
	case *searchAnswer:
		if substringSearch {
			return diffSearch(w.substringHits(), got.(*searchAnswer))
		}
		return diffSearch(w, got.(*searchAnswer))
	}
	return []string{fmt.Sprintf("cannot compare %T", want)}
}

// summarise prints what the answers hold, so a reader sees the questions
// are not empty.
func summarise(out io.Writer, s *system, questions []question, ctx context.Context) {
	for _, q := range questions {
		var parts []string
		for _, arg := range q.args {
			a, err := s.ask(ctx, q.name, arg)
			if err != nil {
				continue
			}
			switch a := a.(type) {
			case *mapAnswer:
				unsplit, unplaced := 0, 0
				for _, n := range a.Nodes {
					if n.Level == string(readmodel.LevelUnsplit) {
						unsplit++
					}
					unplaced = max(unplaced, n.Unplaced)
				}
				parts = append(parts, fmt.Sprintf("%s %d nodes/%d region firms, %d leaves 无数据, %d nodes 未细分, up to %d unplaced firms a node",
					arg, len(a.Nodes), a.RegionFirms, a.NoData, unsplit, unplaced))
			case *gapsAnswer:
				parts = append(parts, fmt.Sprintf("%s %d gaps", arg, len(a.Gaps)))
			case *anchorsAnswer:
				unknown := 0
				for _, x := range a.Anchors {
					if !x.ScaleKnown {
						unknown++
					}
				}
				parts = append(parts, fmt.Sprintf("%s %d anchors of %d (%d of unknown size)", arg, len(a.Anchors), a.Candidates, unknown))
			case *targetsAnswer:
				parts = append(parts, fmt.Sprintf("%s %d targets (%d of unknown size), %d unplaced", arg, a.Total, a.ScaleUnknown, a.Unplaced))
			case *searchAnswer:
				parts = append(parts, fmt.Sprintf("%s %d hits (%d substring)", arg, len(a.Hits), len(a.substringHits().Hits)))
			}
		}
		fmt.Fprintf(out, "  %s: %s\n", q.name, strings.Join(parts, "; "))
	}
}

// timeQuestion runs a question on a system, cycling through its arguments.
func timeQuestion(ctx context.Context, s *system, q question, budget time.Duration) ([]time.Duration, error) {
	var ds []time.Duration
	start := time.Now()
	for i := 0; i < s.iterations; i++ {
		if i > 0 && time.Since(start) > budget {
			break
		}
		args := s.args(q)
		arg := args[i%len(args)]
		var d time.Duration
		if s.timed != nil {
			var err error
			if d, err = s.timed(ctx, q.name, arg); err != nil {
				return nil, fmt.Errorf("%s: %s %s: %w", s.name, q.name, arg, err)
			}
		} else {
			t := time.Now()
			if _, err := s.ask(ctx, q.name, arg); err != nil {
				return nil, fmt.Errorf("%s: %s %s: %w", s.name, q.name, arg, err)
			}
			d = time.Since(t)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

func printTable(out io.Writer, systems []*system, questions []question, res map[string]map[string][]time.Duration) {
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	head := "question\t"
	for _, s := range systems {
		head += s.name + " p50\tp99\t"
		if s != systems[0] && s.name != "chainkg HTTP" {
			head += "× chainkg\t"
		}
	}
	fmt.Fprintln(tw, head+"runs\t")
	for _, q := range questions {
		row := q.name + "\t"
		base := percentile(res[q.name][systems[0].name], 0.5)
		var runs []string
		for _, s := range systems {
			ds := res[q.name][s.name]
			p50 := percentile(ds, 0.5)
			row += fmtDur(p50) + "\t" + fmtDur(percentile(ds, 0.99)) + "\t"
			if s != systems[0] && s.name != "chainkg HTTP" {
				row += fmt.Sprintf("%.0f×\t", float64(p50)/float64(max(base, 1)))
			}
			runs = append(runs, fmt.Sprint(len(ds)))
		}
		fmt.Fprintln(tw, row+strings.Join(runs, "/")+"\t")
	}
	tw.Flush()
	fmt.Fprintln(out, "× chainkg: the system's p50 over chainkg's in-process p50. runs: per system, in column order.")
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	}
	return fmt.Sprintf("%d µs", d.Microseconds())
}

// pgSettings prints the server's version and the settings that matter.
func pgSettings(ctx context.Context, db *sql.DB, out io.Writer) error {
	var version, sb, wm, ecs string
	err := db.QueryRowContext(ctx, `SELECT current_setting('server_version'), current_setting('shared_buffers'),
		current_setting('work_mem'), current_setting('effective_cache_size')`).Scan(&version, &sb, &wm, &ecs)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "PostgreSQL %s: shared_buffers %s, work_mem %s, effective_cache_size %s (defaults of the Debian package)\n", version, sb, wm, ecs)
	return nil
}

func writeExplain(ctx context.Context, path string, p *pgStore, e *engine, pair string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	r, c := pairOf(pair)
	var firms int
	if err := p.db.QueryRowContext(ctx, `SELECT count(*) FROM firms`).Scan(&firms); err != nil {
		f.Close()
		return fmt.Errorf("postgres: count firms: %w", err)
	}
	fmt.Fprintf(f, "# PostgreSQL plans of the benchmark's queries\n\nWritten by `kgbench compare --pg-explain` for %s × %s, %d firms.\n\n", r, c, firms)
	if err := pgExplain(ctx, f, p, e, r, c); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadAverage reads /proc/loadavg, for the record.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load average unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load average unknown"
	}
	return "load average " + strings.Join(f[:3], " ")
}
