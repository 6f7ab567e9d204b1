package loaders

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/loaders/plandoc"
)

// ReadPlanFacts reads plans as 'chainkg extract --format jsonl' prints
// them (one JSON object per line, one line per plan) and puts each as a
// plan with its facts, linked to what is loaded as ReadPlan links them. The
// plan's text is not in the file and not stored: evidence keeps its span
// and the words a fact was read from, and the sentence around them when the
// file has it. The default data ship the five seed plans this way. It
// reads in.R and in.File and resolves as ReadPlan does.
func ReadPlanFacts(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	file := in.File
	rep := &Report{File: file}
	sc := bufio.NewScanner(in.R)
	sc.Buffer(make([]byte, 0, 64*1024), 8<<20)
	line := 0
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var d extractedPlan
		if err := json.Unmarshal([]byte(text), &d); err != nil {
			return rep, &ParseError{File: file, Line: line, Err: fmt.Errorf("%w: %v", ErrRejected, err)}
		}
		doc, err := d.document()
		if err != nil {
			column := ""
			var fe *fieldError
			if errors.As(err, &fe) {
				column, err = fe.field, fe.err
			}
			return rep, &ParseError{File: file, Line: line, Column: column, Err: fmt.Errorf("%w: %v", ErrRejected, err)}
		}
		id, err := graph.ParsePlanID(graph.Slugify(doc.Document))
		if err != nil {
			return rep, &ParseError{File: file, Line: line, Column: "document", Err: err}
		}
		sub := &Report{File: file}
		facts := planFacts(id, doc, in.Lookups, sub)
		rep.merge(sub)
		if err := sink.Put(facts...); err != nil {
			return rep, err
		}
	}
	if err := sc.Err(); err != nil {
		return rep, &ParseError{File: file, Line: line + 1, Err: err}
	}
	return rep, nil
}

// merge adds another report's rows, counts and messages to r.
func (r *Report) merge(o *Report) {
	r.Rows += o.Rows
	r.Loaded += o.Loaded
	r.Merged += o.Merged
	r.Rejected = append(r.Rejected, o.Rejected...)
	r.Warnings = append(r.Warnings, o.Warnings...)
	for k, v := range o.Counts {
		r.Count(k, v)
	}
}

// readPlanFactsDir reads every .jsonl file of the directory in.Paths[0] of
// in.FS as plan facts, in name order.
func readPlanFactsDir(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	fsys, dir := in.FS, in.Paths[0]
	rep := &Report{File: dir}
	ents, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return rep, err
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".jsonl") {
			continue
		}
		f, err := fsys.Open(dir + "/" + e.Name())
		if err != nil {
			return rep, err
		}
		one := in
		one.R, one.File = f, e.Name()
		sub, err := ReadPlanFacts(ctx, one, sink)
		f.Close()
		if sub != nil {
			rep.merge(sub)
		}
		if err != nil {
			return rep, err
		}
		rep.Count("plans", 1)
	}
	return rep, nil
}

// extractedPlan is the JSON of one plan as 'chainkg extract' prints it.
type extractedPlan struct {
	Document   string           `json:"document"`
	Format     string           `json:"format"`
	Encoding   string           `json:"encoding"`
	Title      *string          `json:"title"`
	Issuer     *string          `json:"issuer"`
	Published  *string          `json:"published"`
	Period     *string          `json:"period"`
	Region     *extractedRegion `json:"region"`
	Industries []struct {
		Name     string        `json:"name"`
		Role     string        `json:"role"`
		Evidence extractedSpan `json:"evidence"`
	} `json:"industries"`
	Clusters []struct {
		Name     string        `json:"name"`
		Level    string        `json:"level"`
		Evidence extractedSpan `json:"evidence"`
	} `json:"clusters"`
	Chains                 []extractedNamed     `json:"chains"`
	Parks                  []extractedNamed     `json:"parks"`
	Firms                  []extractedNamed     `json:"firms"`
	Indicators             []extractedIndicator `json:"indicators"`
	IndicatorsMissingValue []extractedIndicator `json:"indicators_missing_value"`
	CountedGroups          []struct {
		Text     string        `json:"text"`
		Stated   int           `json:"stated"`
		Listed   int           `json:"listed"`
		Items    []string      `json:"items"`
		Role     string        `json:"role"`
		Open     bool          `json:"open"`
		Mismatch bool          `json:"mismatch"`
		Evidence extractedSpan `json:"evidence"`
	} `json:"counted_groups"`
	Conflicts []struct {
		Kind   string `json:"kind"`
		Text   string `json:"text"`
		Groups []int  `json:"groups"`
	} `json:"conflicts"`
	Notes []string `json:"notes"`
}

type extractedSpan struct {
	Start    int    `json:"start"`
	End      int    `json:"end"`
	Text     string `json:"text"`
	Sentence string `json:"sentence"`
}

func (s extractedSpan) evidence() plandoc.Evidence {
	return plandoc.Evidence{Start: s.Start, End: s.End, Text: s.Text, Sentence: s.Sentence}
}

type extractedRegion struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`
	Method string `json:"method"`
}

type extractedNamed struct {
	Name     string        `json:"name"`
	Kind     string        `json:"kind"`
	Evidence extractedSpan `json:"evidence"`
}

type extractedIndicator struct {
	Metric     string        `json:"metric"`
	Value      *float64      `json:"value"`
	Unit       string        `json:"unit"`
	Comparator string        `json:"comparator"`
	Year       *int          `json:"year"`
	Kind       string        `json:"kind"`
	Note       string        `json:"note"`
	Evidence   extractedSpan `json:"evidence"`
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// fieldError is a wrong field of a plan's line.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.field + ": " + e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

// industryRoles are the roles a designation may have ("" when the plan's
// words give none).
var industryRoles = []graph.IndustryRole{"", graph.RolePillar, graph.RoleKey, graph.RoleEmerging, graph.RoleFuture,
	graph.RoleTraditional, graph.RoleAdvantage, graph.RoleChain}

// document turns the JSON into the extractor's document, checking what
// the graph needs: a document name, a valid region code, known roles.
func (d extractedPlan) document() (*plandoc.Document, error) {
	if d.Document == "" {
		return nil, &fieldError{"document", errors.New("empty")}
	}
	doc := &plandoc.Document{Document: d.Document, Format: plandoc.Format(d.Format), Encoding: d.Encoding,
		Title: str(d.Title), Issuer: str(d.Issuer), Published: str(d.Published), Period: str(d.Period), Notes: d.Notes}
	if d.Region != nil {
		c, err := graph.ParseRegionCode(d.Region.Code)
		if err != nil {
			return nil, &fieldError{"region", err}
		}
		doc.Region = &plandoc.Region{Code: c, Name: d.Region.Name, Level: graph.RegionLevel(d.Region.Level), Method: d.Region.Method}
	}
	for i, in := range d.Industries {
		if !slices.Contains(industryRoles, graph.IndustryRole(in.Role)) {
			return nil, &fieldError{fmt.Sprintf("industries[%d].role", i), fmt.Errorf("unknown role %q: want one of %v", in.Role, industryRoles[1:])}
		}
		doc.Industries = append(doc.Industries, plandoc.Industry{Name: in.Name, Role: graph.IndustryRole(in.Role), Evidence: in.Evidence.evidence()})
	}
	for _, c := range d.Clusters {
		doc.Clusters = append(doc.Clusters, plandoc.Cluster{Name: c.Name, Level: c.Level, Evidence: c.Evidence.evidence()})
	}
	named := func(ns []extractedNamed) []plandoc.Named {
		var out []plandoc.Named
		for _, n := range ns {
			out = append(out, plandoc.Named{Name: n.Name, Kind: n.Kind, Evidence: n.Evidence.evidence()})
		}
		return out
	}
	doc.Chains, doc.Parks, doc.Firms = named(d.Chains), named(d.Parks), named(d.Firms)
	ind := func(in extractedIndicator) plandoc.Indicator {
		out := plandoc.Indicator{Metric: in.Metric, Value: in.Value, Unit: in.Unit, Comparator: in.Comparator,
			Kind: in.Kind, Note: in.Note, Evidence: in.Evidence.evidence()}
		if in.Year != nil {
			out.Year = *in.Year
		}
		return out
	}
	for _, in := range d.Indicators {
		doc.Indicators = append(doc.Indicators, ind(in))
	}
	for _, in := range d.IndicatorsMissingValue {
		doc.MissingValues = append(doc.MissingValues, ind(in))
	}
	for _, g := range d.CountedGroups {
		doc.CountedGroups = append(doc.CountedGroups, plandoc.CountedGroup{Text: g.Text, Stated: g.Stated, Listed: g.Listed,
			Items: g.Items, Role: g.Role, Open: g.Open, Mismatch: g.Mismatch, Evidence: g.Evidence.evidence()})
	}
	for _, c := range d.Conflicts {
		for _, g := range c.Groups {
			if g < 0 || g >= len(doc.CountedGroups) {
				return nil, &fieldError{"conflicts", fmt.Errorf("group %d of %d", g, len(doc.CountedGroups))}
			}
		}
		doc.Conflicts = append(doc.Conflicts, plandoc.Conflict{Kind: c.Kind, Text: c.Text, Groups: c.Groups})
	}
	return doc, nil
}
