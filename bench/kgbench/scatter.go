package main

// The loopback simulation of docs/scale.md's partitioned service: `split`
// cuts a registry into partitions by province, `scatter` asks one process
// holding every firm and, scatter-gather, the processes each holding one
// partition, merges the partitions' answers, checks them against the one
// process's and times both ways.
//
//	cd bench && go run ./kgbench split --registry firms.csv --parts 3 --out DIR
//	cd bench && go run ./kgbench scatter --all http://127.0.0.1:8090 --parts http://127.0.0.1:8091,… --routes DIR/routes.txt

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// creditCodeHeader is the registry column whose digits 3–8 are the
// registering region (GB/T 2260): the first two name the province.
const creditCodeHeader = "统一社会信用代码"

// provinceOf returns the province prefix (two digits) of the region a
// credit code names (graph.CreditCode.RegisteringRegion), or "" when the
// code is not a valid credit code or names no region.
func provinceOf(code string) string {
	c, err := graph.ParseCreditCode(code)
	if err != nil {
		return ""
	}
	r, err := c.RegisteringRegion()
	if err != nil {
		return ""
	}
	return string(r.Province())[:2]
}

// isProvince reports whether p is a province prefix: two digits, the
// first not 0.
func isProvince(p string) bool {
	return len(p) == 2 && p[0] >= '1' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9'
}

// assignProvinces gives each province to one of n partitions so that
// their firm counts are about equal: largest province first, each to the
// partition with the fewest firms so far (ties to the lower partition).
// Each partition's provinces come back sorted.
func assignProvinces(counts map[string]int, n int) [][]string {
	provs := make([]string, 0, len(counts))
	for p := range counts {
		provs = append(provs, p)
	}
	slices.SortFunc(provs, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	parts, firms := make([][]string, n), make([]int, n)
	for _, p := range provs {
		k := 0
		for i := range firms {
			if firms[i] < firms[k] {
				k = i
			}
		}
		parts[k] = append(parts[k], p)
		firms[k] += counts[p]
	}
	for _, ps := range parts {
		slices.Sort(ps)
	}
	return parts
}

// splitArgs are the flags of `kgbench split`.
type splitArgs struct {
	registry string
	parts    int
	out      string
}

func parseSplitArgs(args []string) (splitArgs, error) {
	fs := flag.NewFlagSet("split", flag.ContinueOnError)
	var a splitArgs
	fs.StringVar(&a.registry, "registry", "", "registry CSV to split (with a 统一社会信用代码 column)")
	fs.IntVar(&a.parts, "parts", 3, "number of partitions")
	fs.StringVar(&a.out, "out", "", "directory for part-1.csv … and routes.txt")
	if err := fs.Parse(args); err != nil {
		return a, err
	}
	if a.registry == "" || a.out == "" {
		return a, errors.New("split: --registry and --out are required")
	}
	if a.parts < 2 {
		return a, fmt.Errorf("split: --parts %d: want at least 2", a.parts)
	}
	return a, nil
}

// splitRegistry writes the registry's rows into one CSV per partition,
// each with the header, provinces of about equal firm counts together, and
// routes.txt: line i the province prefixes of partition i, the routing
// table `scatter` reads. A row whose credit code names no province stops
// it: such a firm would belong to no partition.
func splitRegistry(args []string, out io.Writer) error {
	a, err := parseSplitArgs(args)
	if err != nil {
		return err
	}
	header, rows, err := readRegistry(a.registry)
	if err != nil {
		return err
	}
	col := slices.IndexFunc(header, func(h string) bool { return strings.TrimPrefix(h, "\ufeff") == creditCodeHeader })
	if col < 0 {
		return fmt.Errorf("split: %s has no %s column", a.registry, creditCodeHeader)
	}
	counts := map[string]int{}
	for i, r := range rows {
		p := provinceOf(r[col])
		if p == "" {
			return fmt.Errorf("split: %s row %d: credit code %q names no province", a.registry, i+2, r[col])
		}
		counts[p]++
	}
	parts := assignProvinces(counts, a.parts)
	if err := os.MkdirAll(a.out, 0o755); err != nil {
		return err
	}
	var routes strings.Builder
	for i, provs := range parts {
		file := filepath.Join(a.out, fmt.Sprintf("part-%d.csv", i+1))
		n, err := writePart(file, header, rows, col, provs)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %d firms, provinces %s\n", file, n, strings.Join(provs, ","))
		routes.WriteString(strings.Join(provs, ",") + "\n")
	}
	return os.WriteFile(filepath.Join(a.out, "routes.txt"), []byte(routes.String()), 0o644)
}

func readRegistry(path string) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	all, err := r.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("split: %s: %w", path, err)
	}
	if len(all) < 2 {
		return nil, nil, fmt.Errorf("split: %s has no rows", path)
	}
	return all[0], all[1:], nil
}

// writePart writes the header and the rows of the given provinces.
func writePart(file string, header []string, rows [][]string, col int, provs []string) (int, error) {
	f, err := os.Create(file)
	if err != nil {
		return 0, err
	}
	w := csv.NewWriter(f)
	w.Write(header)
	n := 0
	for _, r := range rows {
		if slices.Contains(provs, provinceOf(r[col])) {
			w.Write(r)
			n++
		}
	}
	w.Flush()
	if err := cmp.Or(w.Error(), f.Close()); err != nil {
		return 0, fmt.Errorf("split: %s: %w", file, err)
	}
	return n, nil
}

// scatterArgs are the flags of `kgbench scatter`.
type scatterArgs struct {
	all     string
	parts   []string
	routes  [][]string // province prefixes of each partition, in the order of parts
	regions []string
	chains  []string
	queries []string
	n       int
}

func parseScatterArgs(args []string) (scatterArgs, error) {
	fs := flag.NewFlagSet("scatter", flag.ContinueOnError)
	var a scatterArgs
	fs.StringVar(&a.all, "all", "", "base URL of the process holding every firm (loopback only)")
	parts := fs.String("parts", "", "base URLs of the processes each holding one partition, comma-separated, in the order of --routes' lines (loopback only)")
	routes := fs.String("routes", "", "file of the partitions' province prefixes, one line each (kgbench split writes it)")
	regions := fs.String("regions", "370600,320500,440300,510100", "regions of the routed questions (map, gaps, anchors)")
	chains := fs.String("chains", "nev,ic", "chains asked about")
	queries := fs.String("search", "万华,宁德时代,新能源,电池,烟台,半导体,海洋,生物医药", "firm search queries")
	fs.IntVar(&a.n, "n", 50, "times each question is asked each way")
	if err := fs.Parse(args); err != nil {
		return a, err
	}
	a.parts, a.regions, a.chains, a.queries = split(*parts), split(*regions), split(*chains), split(*queries)
	if a.all == "" || len(a.parts) < 2 || *routes == "" {
		return a, errors.New("scatter: --all, --parts (two or more) and --routes are required")
	}
	if a.n < 1 {
		return a, fmt.Errorf("scatter: --n %d: want at least 1", a.n)
	}
	for _, u := range append([]string{a.all}, a.parts...) {
		if err := loopbackOnly(u); err != nil {
			return a, err
		}
	}
	text, err := os.ReadFile(*routes)
	if err != nil {
		return a, err
	}
	a.routes, err = parseRoutes(string(text), len(a.parts))
	return a, err
}

// parseRoutes reads the routing table: line i the comma-separated province
// prefixes partition i holds. A province in two partitions, or a number of
// lines other than the partitions', is refused: the routing would be wrong.
func parseRoutes(text string, parts int) ([][]string, error) {
	var out [][]string
	seen := map[string]int{}
	for line := range strings.Lines(text) {
		if strings.TrimSpace(line) == "" {
			continue
		}
		provs := split(line)
		for _, p := range provs {
			if !isProvince(p) {
				return nil, fmt.Errorf("scatter: routes line %d: %q is not a province prefix", len(out)+1, p)
			}
			if k, ok := seen[p]; ok {
				return nil, fmt.Errorf("scatter: routes: province %s in partitions %d and %d", p, k+1, len(out)+1)
			}
			seen[p] = len(out)
		}
		out = append(out, provs)
	}
	if len(out) != parts {
		return nil, fmt.Errorf("scatter: routes has %d partitions, --parts %d", len(out), parts)
	}
	return out, nil
}

// scatterer holds the one process and the partitions.
type scatterer struct {
	all   *bench
	parts []*bench
	// owner gives each province prefix the partition holding its firms;
	// a province no partition owns has only the default data's firms,
	// which every partition holds alike.
	owner map[string]int
}

func newScatterer(a scatterArgs) *scatterer {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 60 * time.Second}
	// Every answer computed: the servers keep answers until the next write,
	// and a kept answer would time the cache, not the question.
	s := &scatterer{all: &bench{base: strings.TrimRight(a.all, "/"), client: client, fresh: true}, owner: map[string]int{}}
	for _, u := range a.parts {
		s.parts = append(s.parts, &bench{base: strings.TrimRight(u, "/"), client: client, fresh: true})
	}
	for i, provs := range a.routes {
		for _, p := range provs {
			s.owner[p] = i
		}
	}
	return s
}

// ownerOf returns the partition holding a region's firms.
func (s *scatterer) ownerOf(region string) (int, bool) {
	if len(region) < 2 {
		return 0, false
	}
	p, ok := s.owner[region[:2]]
	return p, ok
}

// gather asks every partition at once for its paths (each partition's in
// turn) and returns the bodies, partition by partition.
func (s *scatterer) gather(ctx context.Context, paths func(p int) []string) ([][][]byte, error) {
	out := make([][][]byte, len(s.parts))
	errs := make([]error, len(s.parts))
	var wg sync.WaitGroup
	for p, b := range s.parts {
		wg.Go(func() {
			for _, path := range paths(p) {
				body, _, err := b.fetch(ctx, path)
				if err != nil {
					errs[p] = fmt.Errorf("partition %d: %w", p+1, err)
					return
				}
				out[p] = append(out[p], body)
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

func decode[T any](body []byte) (*T, error) {
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// decodeAll decodes every body of every partition, in order.
func decodeAll[T any](bodies [][][]byte) ([]*T, error) {
	var out []*T
	for _, bs := range bodies {
		for _, b := range bs {
			v, err := decode[T](b)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	return out, nil
}

// Merges: each builds, from the partitions' answers, the answer the one
// process gives, using only what the API returns.

// mergeSearch merges the partitions' hits the way the API orders a page:
// best score, then shortest name, then id. A firm of the default data is
// in every partition and is kept once.
func mergeSearch(answers []*api.SearchResponse, limit int) *api.SearchResponse {
	out := &api.SearchResponse{Hits: []api.SearchHitResponse{}}
	seen := map[string]bool{}
	for _, a := range answers {
		out.Query = a.Query
		for _, h := range a.Hits {
			if k := h.Kind + "\x00" + h.ID; !seen[k] {
				seen[k] = true
				out.Hits = append(out.Hits, h)
			}
		}
	}
	slices.SortStableFunc(out.Hits, func(a, b api.SearchHitResponse) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(utf8.RuneCountInString(a.Name), utf8.RuneCountInString(b.Name)),
			strings.Compare(a.ID, b.ID))
	})
	if len(out.Hits) > limit {
		out.Hits = out.Hits[:limit]
	}
	return out
}

// diffSearchPages compares a merged page with the one process's, hit by
// hit; when they differ it says whether the same firms were found and
// whether the difference lies only in the lowest score of the page, where
// the API ranks firms of equal score by their size, which a hit does not
// carry, so no merge of the answers can reproduce that choice.
func diffSearchPages(single, merged *api.SearchResponse) []string {
	d := diffSearch(searchFromAPI(single), searchFromAPI(merged))
	if len(d) == 0 {
		return nil
	}
	ids := func(hs []api.SearchHitResponse, above float64) []string {
		var out []string
		for _, h := range hs {
			if h.Score > above {
				out = append(out, h.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	low := math.Inf(-1)
	if n := len(single.Hits); n > 0 {
		low = single.Hits[n-1].Score
	}
	note := fmt.Sprintf("same firms: %v; same firms above the page's lowest score %.2f: %v (at that score the API ranks by firm size, which a hit does not carry)",
		slices.Equal(ids(single.Hits, math.Inf(-1)), ids(merged.Hits, math.Inf(-1))), low, slices.Equal(ids(single.Hits, low), ids(merged.Hits, low)))
	return append([]string{note}, d...)
}

// shared returns the figure of a province no partition owns: every
// partition holds the same default firms there, so all must agree.
func shared(what string, counts []int) (int, error) {
	for p, c := range counts[1:] {
		if c != counts[0] {
			return 0, fmt.Errorf("%s: partition 1 has %d, partition %d has %d, though it is no partition's", what, counts[0], p+2, c)
		}
	}
	return counts[0], nil
}

// mergeProvinceCounts takes each province's count from the partition that
// owns it (the others hold only the default firms there), and the count of
// a province no one owns from all of them, which must agree.
func mergeProvinceCounts(counts []map[string]int, ownerOf func(string) (int, bool)) (map[string]int, error) {
	out := map[string]int{}
	for _, m := range counts {
		for code := range m {
			out[code] = 0
		}
	}
	for code := range out {
		if p, ok := ownerOf(code); ok {
			out[code] = counts[p][code]
			continue
		}
		col := make([]int, len(counts))
		for p := range counts {
			col[p] = counts[p][code]
		}
		c, err := shared("province "+code, col)
		if err != nil {
			return nil, err
		}
		out[code] = c
	}
	return out, nil
}

// mergePicker merges the province list of the region picker: the same
// provinces everywhere, each province's firms from its owner.
func mergePicker(answers []*api.PickerRegionsResponse, ownerOf func(string) (int, bool)) (*api.PickerRegionsResponse, error) {
	counts := make([]map[string]int, len(answers))
	for p, a := range answers {
		counts[p] = map[string]int{}
		for _, r := range a.Regions {
			counts[p][r.Code] = r.Firms
		}
	}
	merged, err := mergeProvinceCounts(counts, ownerOf)
	if err != nil {
		return nil, err
	}
	out := &api.PickerRegionsResponse{Regions: slices.Clone(answers[0].Regions)}
	for i := range out.Regions {
		out.Regions[i].Firms = merged[out.Regions[i].Code]
	}
	return out, nil
}

func diffPicker(single, merged *api.PickerRegionsResponse) []string {
	var d differ
	d.eq("provinces", len(single.Regions), len(merged.Regions))
	for i := range min(len(single.Regions), len(merged.Regions)) {
		w, g := single.Regions[i], merged.Regions[i]
		d.eq(fmt.Sprintf("province %d", i+1), w.Code+" "+strconv.Itoa(w.Firms), g.Code+" "+strconv.Itoa(g.Firms))
	}
	return d.out
}

// mergeNode merges a node's nationwide detail: each province's firms from
// its owner; the firms placed in no province (every partition's, alike)
// once; the largest firms of all partitions by size (revenue when known,
// else capital), a default firm once, ties by id.
func mergeNode(answers []*api.NodeDetailResponse, ownerOf func(string) (int, bool)) (*api.NodeDetailResponse, error) {
	counts := make([]map[string]int, len(answers))
	names := map[string]string{}
	noProvince := make([]int, len(answers))
	for p, a := range answers {
		counts[p] = map[string]int{}
		noProvince[p] = a.National
		for _, r := range a.Provinces {
			counts[p][r.Region] = r.Count
			names[r.Region] = r.Name
			noProvince[p] -= r.Count
		}
	}
	merged, err := mergeProvinceCounts(counts, ownerOf)
	if err != nil {
		return nil, err
	}
	out := *answers[0]
	if out.National, err = shared("firms in no province", noProvince); err != nil {
		return nil, err
	}
	out.Provinces = []api.RegionCountResponse{}
	for code, c := range merged {
		if c > 0 {
			out.Provinces = append(out.Provinces, api.RegionCountResponse{Region: code, Name: names[code], Count: c})
			out.National += c
		}
	}
	slices.SortFunc(out.Provinces, func(a, b api.RegionCountResponse) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Region, b.Region))
	})
	out.TopFirms = mergeTopFirms(answers)
	return &out, nil
}

// mergeTopFirms keeps the largest firms of all the partitions' lists, as
// many as the longest list.
func mergeTopFirms(answers []*api.NodeDetailResponse) []api.FirmRefResponse {
	var out []api.FirmRefResponse
	seen := map[string]bool{}
	k := 0
	for _, a := range answers {
		k = max(k, len(a.TopFirms))
		for _, f := range a.TopFirms {
			if !seen[f.ID] {
				seen[f.ID] = true
				out = append(out, f)
			}
		}
	}
	slices.SortFunc(out, func(a, b api.FirmRefResponse) int {
		return cmp.Or(cmp.Compare(size(b.Revenue, b.Capital), size(a.Revenue, a.Capital)), strings.Compare(a.ID, b.ID))
	})
	return out[:min(k, len(out))]
}

func diffNode(single, merged *api.NodeDetailResponse) []string {
	var d differ
	d.eq("national firms", single.National, merged.National)
	d.eq("provinces", len(single.Provinces), len(merged.Provinces))
	for i := range min(len(single.Provinces), len(merged.Provinces)) {
		w, g := single.Provinces[i], merged.Provinces[i]
		d.eq(fmt.Sprintf("province %d", i+1), w.Region+" "+strconv.Itoa(w.Count), g.Region+" "+strconv.Itoa(g.Count))
	}
	ids := func(fs []api.FirmRefResponse) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.ID)
		}
		return out
	}
	d.eq("top firms", ids(single.TopFirms), ids(merged.TopFirms))
	return d.out
}

// sumNodeCounts adds the nodes' local counts of several chain maps (one
// per province): the chain nationwide, province by province.
func sumNodeCounts(maps []*api.ChainMapResponse) map[string]int {
	out := map[string]int{}
	for _, m := range maps {
		for _, n := range m.Nodes {
			out[n.ID] += n.Count
		}
	}
	return out
}

// nationalCounts is the one process's figure of the same: each node's
// national count, which every chain map carries.
func nationalCounts(m *api.ChainMapResponse) map[string]int {
	out := map[string]int{}
	for _, n := range m.Nodes {
		out[n.ID] = n.National
	}
	return out
}

func diffCounts(single, merged map[string]int) []string {
	var d differ
	for _, id := range sortedMapKeys(levelUnion(single, merged)) {
		d.eq("node "+id, single[id], merged[id])
	}
	return d.out
}

// localPart keeps of a chain map what its region's firms alone decide:
// counts, capital, revenue, tags, top firms. The national counts, the LQ,
// the scores and levels built on them, and the completeness, are zeroed:
// a partition knows only its own provinces' firms nationwide.
func localPart(m *mapAnswer) *mapAnswer {
	out := *m
	out.Completeness, out.Levels, out.NoData, out.Nodes = 0, nil, 0, map[string]mapNode{}
	for id, n := range m.Nodes {
		n.National, n.Level, n.Score = 0, "", readmodel.NodeScore{}
		out.Nodes[id] = n
	}
	return &out
}

// scatterQuestion is one question asked both ways: of the one process
// (singlePath, its answer decoded by decode) and of the partitions
// (gather, which merges); diff lists where the two answers differ.
type scatterQuestion struct {
	name       string
	how        string // scatter-gather, or the partition a routed question goes to
	singlePath string
	decode     func(body []byte) (any, error)
	gather     func(ctx context.Context) (any, error)
	diff       func(single, merged any) []string
	// timed is what is timed of the partitions' way: gather, except for a
	// routed question, which a coordinator would pass on without reading.
	timed func(ctx context.Context) error
}

// scatterAll builds a question every partition is asked; merge turns
// their answers (decoded as T) into one, diff compares it with the one
// process's.
func scatterAll[T any](s *scatterer, name, path string, merge func([]*T) (*T, error), diff func(single, merged *T) []string) scatterQuestion {
	q := scatterQuestion{name: name, how: "scatter-gather", singlePath: path,
		decode: func(b []byte) (any, error) { return decode[T](b) },
		gather: func(ctx context.Context) (any, error) {
			bodies, err := s.gather(ctx, func(int) []string { return []string{path} })
			if err != nil {
				return nil, err
			}
			answers, err := decodeAll[T](bodies)
			if err != nil {
				return nil, err
			}
			return merge(answers)
		},
		diff: func(single, merged any) []string { return diff(single.(*T), merged.(*T)) },
	}
	q.timed = func(ctx context.Context) error { _, err := q.gather(ctx); return err }
	return q
}

// routed builds a region's question, asked of the one partition holding
// the region; conv gives the answers a comparable shape.
func routed[T, A any](s *scatterer, name, path string, p int, conv func(*T) A, diff func(single, merged A) []string) scatterQuestion {
	dec := func(b []byte) (any, error) {
		v, err := decode[T](b)
		if err != nil {
			return nil, err
		}
		return conv(v), nil
	}
	return scatterQuestion{name: name, how: fmt.Sprintf("routed to partition %d", p+1), singlePath: path, decode: dec,
		gather: func(ctx context.Context) (any, error) {
			body, _, err := s.parts[p].fetch(ctx, path)
			if err != nil {
				return nil, err
			}
			return dec(body)
		},
		diff: func(single, merged any) []string { return diff(single.(A), merged.(A)) },
		timed: func(ctx context.Context) error {
			_, _, err := s.parts[p].fetch(ctx, path)
			return err
		},
	}
}

// diffMapRouted compares a routed chain map with the one process's and,
// when they differ, says whether the local part alone is the same.
func diffMapRouted(single, merged *mapAnswer) []string {
	d := diffMap(single, merged)
	if len(d) > 0 {
		local := diffMap(localPart(single), localPart(merged))
		levels := 0
		for id, n := range single.Nodes {
			if merged.Nodes[id].Level != n.Level {
				levels++
			}
		}
		d = append([]string{fmt.Sprintf("local part (counts, capital, revenue, tags, top firms) the same: %v; level differs on %d of %d nodes",
			len(local) == 0, levels, len(single.Nodes))}, d...)
	}
	return d
}

// diffGapsRouted compares routed gaps with the one process's and, when
// they differ, says whether the same nodes are gaps, in whatever order.
func diffGapsRouted(single, merged *gapsAnswer) []string {
	d := diffGaps(single, merged)
	if len(d) > 0 {
		nodes := func(g *gapsAnswer) []string {
			var out []string
			for _, x := range g.Gaps {
				out = append(out, x.Node)
			}
			slices.Sort(out)
			return out
		}
		d = append([]string{fmt.Sprintf("the same nodes are gaps: %v (%d and %d gaps)",
			slices.Equal(nodes(single), nodes(merged)), len(single.Gaps), len(merged.Gaps))}, d...)
	}
	return d
}

// nationwide builds "the chain nationwide": the one process answers it
// with one chain map (each node's national count); the partitions, having
// no national map in today's API, answer with the map of every province,
// each asked of its owner (a province no one owns, of partition 1), summed.
func nationwide(s *scatterer, chain string, provinces []string) scatterQuestion {
	byPart := make([][]string, len(s.parts))
	for _, code := range provinces {
		p, _ := s.ownerOf(code)
		byPart[p] = append(byPart[p], "/api/v1/regions/"+code+"/chains/"+chain+"/map")
	}
	q := scatterQuestion{name: "chain " + chain + " nationwide, firms per node", how: fmt.Sprintf("scatter-gather, %d province maps", len(provinces)),
		singlePath: "/api/v1/regions/" + provinces[0] + "/chains/" + chain + "/map",
		decode: func(b []byte) (any, error) {
			m, err := decode[api.ChainMapResponse](b)
			if err != nil {
				return nil, err
			}
			return nationalCounts(m), nil
		},
		gather: func(ctx context.Context) (any, error) {
			bodies, err := s.gather(ctx, func(p int) []string { return byPart[p] })
			if err != nil {
				return nil, err
			}
			maps, err := decodeAll[api.ChainMapResponse](bodies)
			if err != nil {
				return nil, err
			}
			return sumNodeCounts(maps), nil
		},
		diff: func(single, merged any) []string { return diffCounts(single.(map[string]int), merged.(map[string]int)) },
	}
	q.timed = func(ctx context.Context) error { _, err := q.gather(ctx); return err }
	return q
}

// questions builds the questions: firm search, the provinces' firm counts,
// the largest leaf of each chain nationwide and each chain nationwide, all
// scatter-gathered; each region's map, gaps and anchors, routed.
func (s *scatterer) questions(ctx context.Context, a scatterArgs) ([]scatterQuestion, error) {
	picker := "/api/v1/picker/regions"
	body, _, err := s.all.fetch(ctx, picker)
	if err != nil {
		return nil, err
	}
	provs, err := decode[api.PickerRegionsResponse](body)
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, r := range provs.Regions {
		codes = append(codes, r.Code)
	}
	var qs []scatterQuestion
	for _, q := range a.queries {
		qs = append(qs, scatterAll(s, "search "+q, "/api/v1/search?kind=firm&limit=20&q="+url.QueryEscape(q),
			func(as []*api.SearchResponse) (*api.SearchResponse, error) { return mergeSearch(as, 20), nil }, diffSearchPages))
	}
	qs = append(qs, scatterAll(s, "provinces' firm counts", picker,
		func(as []*api.PickerRegionsResponse) (*api.PickerRegionsResponse, error) {
			return mergePicker(as, s.ownerOf)
		}, diffPicker))
	for _, c := range a.chains {
		node, err := s.largestLeaf(ctx, codes[0], c)
		if err != nil {
			return nil, err
		}
		qs = append(qs, scatterAll(s, "node "+node+" nationwide", "/api/v1/nodes/"+node,
			func(as []*api.NodeDetailResponse) (*api.NodeDetailResponse, error) { return mergeNode(as, s.ownerOf) }, diffNode))
		qs = append(qs, nationwide(s, c, codes))
	}
	for _, r := range a.regions {
		p, ok := s.ownerOf(r)
		if !ok {
			return nil, fmt.Errorf("scatter: region %s is in no partition's provinces", r)
		}
		for _, c := range a.chains {
			base := "/api/v1/regions/" + r + "/chains/" + c + "/"
			qs = append(qs, routed(s, "map "+r+" "+c, base+"map", p, mapFromAPI, diffMapRouted),
				routed(s, "gaps "+r+" "+c, base+"gaps", p, gapsFromAPI, diffGapsRouted),
				routed(s, "anchors "+r+" "+c, base+"anchors", p, anchorsFromAPI, diffAnchors))
		}
	}
	return qs, nil
}

// largestLeaf returns the leaf of a chain with the most firms nationwide.
func (s *scatterer) largestLeaf(ctx context.Context, region, chain string) (string, error) {
	body, _, err := s.all.fetch(ctx, "/api/v1/regions/"+region+"/chains/"+chain+"/map")
	if err != nil {
		return "", err
	}
	m, err := decode[api.ChainMapResponse](body)
	if err != nil {
		return "", err
	}
	best, most := "", -1
	for _, n := range m.Nodes {
		if n.Leaf && n.National > most {
			best, most = n.ID, n.National
		}
	}
	if best == "" {
		return "", fmt.Errorf("scatter: chain %s has no leaf", chain)
	}
	return best, nil
}

// scatterResult is what one question gave: both ways' times and the
// differences between the answers.
type scatterResult struct {
	q               scatterQuestion
	single, scatter []time.Duration
	diffs           []string
	err             error
}

// ask compares the answers once, then times both ways n times, in turn.
// The one process is timed to its answer's last byte, and so is a routed
// question's partition; scatter-gather to the merged answer, decoding and
// merging included, as a coordinator would have it.
func (s *scatterer) ask(ctx context.Context, q scatterQuestion, n int) scatterResult {
	res := scatterResult{q: q}
	body, _, err := s.all.fetch(ctx, q.singlePath)
	if err != nil {
		res.err = err
		return res
	}
	single, err := q.decode(body)
	if err != nil {
		res.err = fmt.Errorf("%s: %w", q.singlePath, err)
		return res
	}
	merged, err := q.gather(ctx)
	if err != nil {
		res.err = err
		return res
	}
	res.diffs = q.diff(single, merged)
	for range n {
		_, d, err := s.all.fetch(ctx, q.singlePath)
		if err != nil {
			res.err = err
			return res
		}
		res.single = append(res.single, d)
		start := time.Now()
		if err := q.timed(ctx); err != nil {
			res.err = err
			return res
		}
		res.scatter = append(res.scatter, time.Since(start))
	}
	return res
}

// runScatter is `kgbench scatter`. It prints a table of the questions
// with both ways' p50 and p99 and whether the answers are equal, then
// every difference, and fails when any answer differs or a request failed.
func runScatter(ctx context.Context, args []string, out io.Writer) error {
	a, err := parseScatterArgs(args)
	if err != nil {
		return err
	}
	s := newScatterer(a)
	qs, err := s.questions(ctx, a)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d partitions, %d repetitions, every answer computed (Cache-Control: no-cache); %s\n", len(s.parts), a.n, loadAverage())
	var results []scatterResult
	for _, q := range qs {
		results = append(results, s.ask(ctx, q, a.n))
	}
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "question\thow\tone process p50\tp99\tscatter-gather p50\tp99\tanswers equal")
	bad := 0
	for _, r := range results {
		equal := "yes"
		switch {
		case r.err != nil:
			equal, bad = "ERROR", bad+1
		case len(r.diffs) > 0:
			equal, bad = fmt.Sprintf("NO (%d differences)", len(r.diffs)), bad+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.q.name, r.q.how, ms(percentile(r.single, 0.5)), ms(percentile(r.single, 0.99)),
			ms(percentile(r.scatter, 0.5)), ms(percentile(r.scatter, 0.99)), equal)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if r.err != nil {
			fmt.Fprintf(out, "\nERROR %s: %v\n", r.q.name, r.err)
		} else if len(r.diffs) > 0 {
			fmt.Fprintf(out, "\nMISMATCH %s (%s):\n  %s\n", r.q.name, r.q.how, firstLines(r.diffs, 8))
		}
	}
	if bad > 0 {
		return fmt.Errorf("scatter: %d of %d questions answered differently or failed", bad, len(results))
	}
	return nil
}
