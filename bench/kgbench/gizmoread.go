package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
)

// This file reads the graph the way a team that "just uses the graph
// database" would: Gizmo programs run by cayley against the quads, with no
// read model, sent through chainkg's ad-hoc query API (store.Store.Query,
// the same call as POST /api/v1/query). gizmo.go computes the analytics'
// formulas around these answers.
//
// The query API caps a program at 100,000 results. A program here wraps its
// path in ForEach and emits the rows in arrays of gizmoChunk, so the cap
// counts arrays and a path may reach up to 100,000 × gizmoChunk rows; the
// time limit is raised to gizmoTimeout and the benchmark's own context is
// what stops a program early.
//
// The programs keep to the shapes that stay fast on cayley's kv backends: a
// Tag directly on the start nodes, one predicate per hop, and Out() with no
// predicate (the predicate tagged) where a firm's attributes are read; a
// list of predicates, or a hop without the leading tag, makes the planner
// scan the whole quad log (2 minutes for 40 firms at 100k firms on bbolt).

const (
	// gizmoBatch is how many firms one program reads the attributes of.
	gizmoBatch = 5000
	// gizmoResults is the query API's largest result cap.
	gizmoResults = 100000
	// gizmoTimeout bounds one program: at 1M firms a nationwide read takes
	// minutes on bbolt.
	gizmoTimeout = time.Hour
)

// gizmoChunk is how many rows one emitted array carries (a variable so that
// a test can cut the fixture's rows into several arrays).
var gizmoChunk = 1000

// rawFirm is a firm as its quads state it, read without the read model. Of a
// single-valued attribute that several sources state, the smaller string and
// the larger number are kept (the read model's rule between sources of one
// rank); the region kept is the finer one.
type rawFirm struct {
	ID       graph.FirmID
	Name     string
	Short    string
	Aliases  []string
	Status   graph.FirmStatus
	Region   graph.RegionCode
	Capital  float64
	Currency string
	Revenue  float64
	Tags     []string
	Stocks   []string
	Group    string
	Links    []graph.NodeLink // sorted by node, one per node, the most confident evidence
}

// rawNode is a chain node as the quads (or PostgreSQL's tables) state it.
type rawNode struct {
	ID         graph.NodeID
	Chain      graph.ChainID
	Name       string
	Parent     graph.NodeID
	Weight     float64
	SuppliesTo []graph.NodeID
}

// rawPark is a park as the quads state it.
type rawPark struct {
	ID     graph.ParkID
	Region graph.RegionCode
	Level  string
	Focus  []string
	Chains []graph.ChainID
}

// rawDesignation is a plan's designation of a chain, with the plan's region.
type rawDesignation struct {
	Region graph.RegionCode
	Chain  graph.ChainID
	Role   graph.IndustryRole
}

// rawLibrary is the reference part of the graph: regions, chains and their
// nodes, parks and plan designations, read without the read model.
type rawLibrary struct {
	Regions      []graph.Region // by code
	Chains       []graph.ChainID
	Nodes        []rawNode // by id
	Parks        []rawPark // by id
	Designations []rawDesignation
}

// rawName is a name form of a firm (its name, short name or an alias).
type rawName struct {
	Firm graph.FirmID
	Form string
}

// rawLink is a firm's direct link to a node.
type rawLink struct {
	Node graph.NodeID
	Firm graph.FirmID
}

// query runs a Gizmo program through the store's ad-hoc query API and
// returns what it emitted.
func (g *gizmoStore) query(ctx context.Context, program string) ([]any, error) {
	res, err := g.st.Query(ctx, store.LangGizmo, program, store.QueryLimits{Timeout: gizmoTimeout, Results: gizmoResults})
	if err != nil {
		return nil, fmt.Errorf("gizmo: %w", err)
	}
	// The query API answers what it has when its context is cancelled.
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("gizmo: %w", err)
	}
	if res.Truncated {
		return nil, fmt.Errorf("gizmo: more than %d results: the query API's cap", gizmoResults)
	}
	return res.Results, nil
}

// rows returns every result of a path (its tags and "id"), uncapped.
func (g *gizmoStore) rows(ctx context.Context, path string) ([]map[string]any, error) {
	n := strconv.Itoa(gizmoChunk)
	prog := "var rows = [];\n" + path + ".ForEach(function(d) { rows.push(d); if (rows.length == " + n + ") { g.Emit(rows); rows = []; } });\n" +
		"if (rows.length > 0) { g.Emit(rows); }\n"
	res, err := g.query(ctx, prog)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, r := range res {
		chunk, ok := r.([]any)
		if !ok {
			return nil, fmt.Errorf("gizmo: a chunk of rows is a %T", r)
		}
		for _, v := range chunk {
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("gizmo: a row is a %T", v)
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// js writes a value as a JavaScript literal: IRIs in angle brackets, as
// Gizmo takes them.
func js(v any) string {
	switch v := v.(type) {
	case quad.IRI:
		return js(v.String())
	case []quad.IRI:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = js(x)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// gV starts a path at the given IRIs.
func gV(vs []quad.IRI) string {
	return "g.V(" + strings.TrimSuffix(strings.TrimPrefix(js(vs), "["), "]") + ")"
}

func iris[T interface{ IRI() quad.IRI }](vs []T) []quad.IRI {
	out := make([]quad.IRI, len(vs))
	for i, v := range vs {
		out[i] = v.IRI()
	}
	return out
}

// unbracket turns a Gizmo JSON IRI ("<…>") into the IRI's text.
func unbracket(v any) string {
	s, _ := v.(string)
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
		return s[1 : len(s)-1]
	}
	return s
}

// valueOfAny turns a value of a Gizmo row back into a stored value: Gizmo
// gives a typed literal of a datatype it does not know as its N-Quads text.
func valueOfAny(o any) quad.Value {
	s, ok := o.(string)
	if !ok {
		return quad.String(fmt.Sprint(o))
	}
	if strings.HasPrefix(s, `"`) && strings.HasSuffix(s, ">") {
		if q, err := nquads.Parse("<s> <p> " + s + " ."); err == nil {
			return q.Object
		}
	}
	return quad.String(s)
}

func numOf(v any) float64 {
	switch v := v.(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	case int:
		return float64(v)
	}
	return 0
}

func strOfAny(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// props reads every quad out of the subjects a path reaches (the path's
// start tagged) and calls fn with those of the predicates preds.
func (g *gizmoStore) props(ctx context.Context, start string, preds []quad.IRI, fn func(subj string, p quad.IRI, o any)) error {
	rows, err := g.rows(ctx, start+`.Tag("s").Out(null, "p")`)
	if err != nil {
		return err
	}
	for _, r := range rows {
		if p := quad.IRI(unbracket(r["p"])); slices.Contains(preds, p) {
			fn(unbracket(r["s"]), p, r["id"])
		}
	}
	return nil
}

// typed starts a path at the instances of a class.
func typed(c quad.IRI) string { return `g.V(` + js(c) + `).Tag("c").In(` + js(graph.PredType) + `)` }

// rawLibrary reads regions, chains, nodes, parks and plan designations.
func (g *gizmoStore) rawLibrary(ctx context.Context) (*rawLibrary, error) {
	lib := &rawLibrary{}
	regions := map[graph.RegionCode]*graph.Region{}
	err := g.props(ctx, typed(graph.ClassRegion), []quad.IRI{graph.PredName, graph.PredLevel, graph.PredParent}, func(subj string, p quad.IRI, o any) {
		c := graph.RegionOf(quad.IRI(subj))
		r := regions[c]
		if r == nil {
			r = &graph.Region{Code: c}
			regions[c] = r
		}
		switch p {
		case graph.PredName:
			if v := strOfAny(o); r.Name == "" || v < r.Name {
				r.Name = v
			}
		case graph.PredLevel:
			r.Level = graph.RegionLevel(strOfAny(o))
		case graph.PredParent:
			r.Parent = graph.RegionOf(quad.IRI(unbracket(o)))
		}
	})
	if err != nil {
		return nil, err
	}
	for _, r := range sortedValues(regions) {
		lib.Regions = append(lib.Regions, *r)
	}

	chains := map[graph.ChainID]bool{}
	err = g.props(ctx, typed(graph.ClassChain), []quad.IRI{graph.PredName}, func(subj string, _ quad.IRI, _ any) {
		chains[graph.ChainOf(quad.IRI(subj))] = true
	})
	if err != nil {
		return nil, err
	}
	for c := range chains {
		lib.Chains = append(lib.Chains, c)
	}
	slices.Sort(lib.Chains)

	nodes := map[graph.NodeID]*rawNode{}
	err = g.props(ctx, typed(graph.ClassChainNode), []quad.IRI{graph.PredName, graph.PredParent, graph.PredWeight, graph.PredSuppliesTo}, func(subj string, p quad.IRI, o any) {
		id := graph.NodeOf(quad.IRI(subj))
		n := nodes[id]
		if n == nil {
			n = &rawNode{ID: id, Chain: id.Chain()}
			nodes[id] = n
		}
		switch p {
		case graph.PredName:
			n.Name = strOfAny(o)
		case graph.PredParent:
			n.Parent = graph.NodeOf(quad.IRI(unbracket(o)))
		case graph.PredWeight:
			n.Weight = numOf(o)
		case graph.PredSuppliesTo:
			n.SuppliesTo = append(n.SuppliesTo, graph.NodeOf(quad.IRI(unbracket(o))))
		}
	})
	if err != nil {
		return nil, err
	}
	for _, n := range sortedValues(nodes) {
		if chains[n.Chain] {
			n.SuppliesTo = uniq(n.SuppliesTo)
			lib.Nodes = append(lib.Nodes, *n)
		}
	}

	parks := map[graph.ParkID]*rawPark{}
	err = g.props(ctx, typed(graph.ClassPark), []quad.IRI{graph.PredRegion, graph.PredLevel, graph.PredFocus, graph.PredChain}, func(subj string, p quad.IRI, o any) {
		id := graph.ParkOf(quad.IRI(subj))
		k := parks[id]
		if k == nil {
			k = &rawPark{ID: id}
			parks[id] = k
		}
		switch p {
		case graph.PredRegion:
			k.Region = graph.RegionOf(quad.IRI(unbracket(o)))
		case graph.PredLevel:
			k.Level = strOfAny(o)
		case graph.PredFocus:
			k.Focus = append(k.Focus, strOfAny(o))
		case graph.PredChain:
			k.Chains = append(k.Chains, graph.ChainOf(quad.IRI(unbracket(o))))
		}
	})
	if err != nil {
		return nil, err
	}
	for _, k := range sortedValues(parks) {
		k.Focus, k.Chains = uniq(k.Focus), uniq(k.Chains)
		lib.Parks = append(lib.Parks, *k)
	}

	planRegion := map[string]graph.RegionCode{}
	err = g.props(ctx, typed(graph.ClassPlan), []quad.IRI{graph.PredRegion}, func(subj string, _ quad.IRI, o any) {
		planRegion[subj] = graph.RegionOf(quad.IRI(unbracket(o)))
	})
	if err != nil {
		return nil, err
	}
	type des struct {
		plan   string
		role   graph.IndustryRole
		chains []graph.ChainID
	}
	dess := map[string]*des{}
	err = g.props(ctx, typed(graph.ClassIndustry), []quad.IRI{graph.PredPlan, graph.PredRole, graph.PredChain}, func(subj string, p quad.IRI, o any) {
		d := dess[subj]
		if d == nil {
			d = &des{}
			dess[subj] = d
		}
		switch p {
		case graph.PredPlan:
			d.plan = unbracket(o)
		case graph.PredRole:
			d.role = graph.IndustryRole(strOfAny(o))
		case graph.PredChain:
			d.chains = append(d.chains, graph.ChainOf(quad.IRI(unbracket(o))))
		}
	})
	if err != nil {
		return nil, err
	}
	for _, d := range sortedValues(dess) {
		if r := planRegion[d.plan]; r != "" {
			for _, c := range uniq(d.chains) {
				lib.Designations = append(lib.Designations, rawDesignation{Region: r, Chain: c, Role: d.role})
			}
		}
	}
	return lib, nil
}

// firmsLinked returns the firms with a direct link to any of nodes, each
// once, ordered by id; with regions, only the firms whose region is one of
// them (read from the regions' side: a region has fewer firms than a node).
func (g *gizmoStore) firmsLinked(ctx context.Context, nodes []graph.NodeID, regions []graph.RegionCode) ([]graph.FirmID, error) {
	if len(nodes) == 0 || regions != nil && len(regions) == 0 {
		return nil, nil
	}
	path := gV(iris(nodes)) + `.Tag("n").In(` + js(graph.PredInNode) + `)`
	key := "id"
	if regions != nil {
		path = gV(iris(regions)) + `.Tag("r").In(` + js(graph.PredRegion) + `).Tag("f").Out(` + js(graph.PredInNode) + `).Is(` +
			strings.Trim(js(iris(nodes)), "[]") + `)`
		key = "f"
	}
	rows, err := g.rows(ctx, path)
	if err != nil {
		return nil, err
	}
	out := make([]graph.FirmID, 0, len(rows))
	for _, r := range rows {
		if id, ok := graph.FirmOf(unbracket(r[key])); ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// rawFirmPreds are the attributes rawFirms reads.
var rawFirmPreds = []quad.IRI{graph.PredName, graph.PredShortName, graph.PredAlias, graph.PredStatus, graph.PredRegion, graph.PredCapital, graph.PredCurrency,
	graph.PredRevenue, graph.PredTag, graph.PredStock, graph.PredGroup, graph.PredNodeEvidence, graph.PredInNode, graph.PredFirmData}

// rawFirms reads the attributes of firms, in the order of ids; firms without
// a name are left out, as the read model leaves them out.
func (g *gizmoStore) rawFirms(ctx context.Context, ids []graph.FirmID) ([]rawFirm, error) {
	byID := make(map[string]*rawFirm, len(ids))
	for start := 0; start < len(ids); start += gizmoBatch {
		batch := ids[start:min(len(ids), start+gizmoBatch)]
		err := g.props(ctx, gV(iris(batch)), rawFirmPreds, func(subj string, p quad.IRI, o any) {
			f := byID[subj]
			if f == nil {
				id, _ := graph.FirmOf(subj)
				f = &rawFirm{ID: id}
				byID[subj] = f
			}
			f.set(p, o)
		})
		if err != nil {
			return nil, err
		}
	}
	out := make([]rawFirm, 0, len(ids))
	for _, id := range ids {
		f := byID[string(id.IRI())]
		if f == nil || f.Name == "" {
			continue
		}
		f.Aliases, f.Tags, f.Stocks = uniq(f.Aliases), uniq(f.Tags), uniq(f.Stocks)
		slices.SortFunc(f.Links, func(a, b graph.NodeLink) int { return strings.Compare(string(a.Node), string(b.Node)) })
		out = append(out, *f)
	}
	return out, nil
}

// set merges one stated attribute into the firm.
func (f *rawFirm) set(p quad.IRI, o any) {
	minStr := func(dst *string, v string) {
		if v != "" && (*dst == "" || v < *dst) {
			*dst = v
		}
	}
	switch p {
	case graph.PredName:
		minStr(&f.Name, strOfAny(o))
	case graph.PredShortName:
		minStr(&f.Short, strOfAny(o))
	case graph.PredAlias:
		f.Aliases = append(f.Aliases, strOfAny(o))
	case graph.PredStatus:
		v := string(f.Status)
		minStr(&v, strOfAny(o))
		f.Status = graph.FirmStatus(v)
	case graph.PredRegion:
		v := graph.RegionOf(quad.IRI(unbracket(o)))
		if f.Region == "" || graph.FinerRegion(v, f.Region) {
			f.Region = v
		}
	case graph.PredCapital:
		f.Capital = max(f.Capital, numOf(o))
	case graph.PredCurrency:
		minStr(&f.Currency, strOfAny(o))
	case graph.PredRevenue:
		f.Revenue = max(f.Revenue, numOf(o))
	case graph.PredTag:
		f.Tags = append(f.Tags, strOfAny(o))
	case graph.PredStock:
		f.Stocks = append(f.Stocks, strOfAny(o))
	case graph.PredGroup:
		minStr(&f.Group, strOfAny(o))
	case graph.PredInNode:
		n := graph.NodeOf(quad.IRI(unbracket(o)))
		if !slices.ContainsFunc(f.Links, func(l graph.NodeLink) bool { return l.Node == n }) {
			f.Links = append(f.Links, graph.NodeLink{Node: n, Confidence: 1})
		}
	case graph.PredFirmData:
		// The fields the firm's typed value holds, each as its own quad
		// would have stated it.
		for _, q := range graph.ExpandFirmQuad(quad.Quad{Predicate: p, Object: valueOfAny(o)}) {
			if q.Predicate != graph.PredFirmData {
				f.set(q.Predicate.(quad.IRI), q.Object.Native())
			}
		}
	case graph.PredNodeEvidence:
		ls, _ := graph.NodeLinksOf(valueOfAny(o))
		for _, l := range ls {
			l.Matched = ""
			i := slices.IndexFunc(f.Links, func(x graph.NodeLink) bool { return x.Node == l.Node })
			switch {
			case i < 0:
				f.Links = append(f.Links, l)
			case f.Links[i].Method == "" || l.Confidence > f.Links[i].Confidence:
				f.Links[i] = l
			}
		}
	}
}

// inactiveStatuses lists the statuses that do not count in the analytics.
var inactiveStatuses = []graph.FirmStatus{graph.StatusCancelled, graph.StatusRevoked, graph.StatusMovedOut, graph.StatusOther}

func inactiveValues() string {
	vals := make([]string, len(inactiveStatuses))
	for i, v := range inactiveStatuses {
		vals[i] = js(string(v))
	}
	return strings.Join(vals, ", ")
}

// activeCount is a Gizmo expression counting the active firms among the
// firms a path reaches: all of them less those with a status that is not
// active (a firm without a status counts as active).
func activeCount(path string) string {
	firms := path + `.Has(` + js(graph.PredType) + `, ` + js(graph.ClassFirm) + `).Unique()`
	return `(` + firms + `.Count() - ` + firms + `.Has(` + js(graph.PredStatus) + `, ` + inactiveValues() + `).Count())`
}

// links returns the direct links of every firm to the nodes, nationwide.
func (g *gizmoStore) links(ctx context.Context, nodes []graph.NodeID) ([]rawLink, error) {
	if len(nodes) == 0 {
		return nil, nil
	}
	rows, err := g.rows(ctx, gV(iris(nodes))+`.Tag("n").In(`+js(graph.PredInNode)+`)`)
	if err != nil {
		return nil, err
	}
	out := make([]rawLink, 0, len(rows))
	for _, r := range rows {
		if f, ok := graph.FirmOf(unbracket(r["id"])); ok {
			out = append(out, rawLink{Node: graph.NodeOf(quad.IRI(unbracket(r["n"]))), Firm: f})
		}
	}
	return out, nil
}

// inactive returns the firms whose status is not active.
func (g *gizmoStore) inactive(ctx context.Context) ([]graph.FirmID, error) {
	rows, err := g.rows(ctx, `g.V(`+inactiveValues()+`).Tag("s").In(`+js(graph.PredStatus)+`)`)
	if err != nil {
		return nil, err
	}
	out := make([]graph.FirmID, 0, len(rows))
	for _, r := range rows {
		if f, ok := graph.FirmOf(unbracket(r["id"])); ok {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// countInRegions counts, for each group of regions, the active firms whose
// region is one of the group.
func (g *gizmoStore) countInRegions(ctx context.Context, groups [][]graph.RegionCode) ([]int, error) {
	var b strings.Builder
	for i, r := range groups {
		fmt.Fprintf(&b, "g.Emit({i: %d, n: %s});\n", i, activeCount(gV(iris(r))+`.Tag("t").In(`+js(graph.PredRegion)+`)`))
	}
	return g.emitCounts(ctx, b.String(), len(groups))
}

// countPlaced counts the active firms that have a region of the region
// table: the firms the regions lead to, less the inactive ones among them.
func (g *gizmoStore) countPlaced(ctx context.Context, regions []graph.RegionCode) (int, error) {
	placed := gV(iris(regions)) + `.Tag("r").In(` + js(graph.PredRegion) + `)`
	n, err := g.emitCounts(ctx, "g.Emit({i: 0, n: "+activeCountFast(placed)+"});", 1)
	if err != nil {
		return 0, err
	}
	return n[0], nil
}

// activeCountFast counts the active firms of a large set: the subjects the
// path reaches, less parks and plans (which have regions too), less the
// inactive firms among them, found from the statuses' side.
func activeCountFast(path string) string {
	typedIn := func(c quad.IRI) string {
		return typed(c) + `.Intersect(` + path + `).Count()`
	}
	inactive := `g.V(` + inactiveValues() + `).Tag("s").In(` + js(graph.PredStatus) + `).Intersect(` + path + `).Count()`
	return `(` + path + `.Unique().Count() - ` + typedIn(graph.ClassPark) + ` - ` + typedIn(graph.ClassPlan) + ` - ` + inactive + `)`
}

// emitCounts runs a program that emits {i, n} for each of n questions and
// returns the counts by i.
func (g *gizmoStore) emitCounts(ctx context.Context, prog string, n int) ([]int, error) {
	out := make([]int, n)
	if n == 0 {
		return out, nil
	}
	res, err := g.query(ctx, prog)
	if err != nil {
		return nil, err
	}
	if len(res) != n {
		return nil, fmt.Errorf("gizmo counts: %d answers to %d questions", len(res), n)
	}
	for _, r := range res {
		m, ok := r.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("gizmo counts: an answer is a %T", r)
		}
		i := int(numOf(m["i"]))
		if i < 0 || i >= n {
			return nil, fmt.Errorf("gizmo counts: answer to question %v of %d", m["i"], n)
		}
		out[i] = int(numOf(m["n"]))
	}
	return out, nil
}

// firmNames returns the name forms (name, short name, aliases) of firms that
// contain substr as written but for case: a filter over every value of the
// store (cayley has no text index), then the quads that hold the values
// found.
func (g *gizmoStore) firmNames(ctx context.Context, substr string) ([]rawName, error) {
	rows, err := g.rows(ctx, `g.V().Filter(regex(`+js("(?i)"+regexp.QuoteMeta(substr))+`)).Tag("v").In(null, "p")`)
	if err != nil {
		return nil, err
	}
	var out []rawName
	for _, r := range rows {
		switch quad.IRI(unbracket(r["p"])) {
		case graph.PredName, graph.PredShortName, graph.PredAlias:
			if f, ok := graph.FirmOf(unbracket(r["id"])); ok {
				out = append(out, rawName{Firm: f, Form: strOfAny(r["v"])})
			}
		case graph.PredFirmData: // short name and aliases travel in the firm's typed value
			f, ok := graph.FirmOf(unbracket(r["id"]))
			if !ok {
				continue
			}
			for _, q := range graph.ExpandFirmQuad(quad.Quad{Predicate: graph.PredFirmData, Object: valueOfAny(r["v"])}) {
				form := graph.StrOf(q.Object)
				if (q.Predicate == graph.PredShortName || q.Predicate == graph.PredAlias) && strings.Contains(strings.ToLower(form), strings.ToLower(substr)) {
					out = append(out, rawName{Firm: f, Form: form})
				}
			}
		}
	}
	return out, nil
}

// uniq drops repeated values, keeping the first of each in order.
func uniq[T comparable](s []T) []T {
	if len(s) < 2 {
		return s
	}
	seen := make(map[T]bool, len(s))
	out := s[:0]
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// sortedValues returns a map's values in the order of their keys.
func sortedValues[K cmp.Ordered, V any](m map[K]*V) []*V {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]*V, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}
