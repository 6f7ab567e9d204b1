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
		var d plandoc.JSON
		if err := json.Unmarshal([]byte(text), &d); err != nil {
			return rep, &ParseError{File: file, Line: line, Err: fmt.Errorf("%w: %v", ErrRejected, err)}
		}
		doc, err := planDocument(d)
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

// evidenceOf is the evidence of a span as the JSON gives it: the
// normalised spans are not in it.
func evidenceOf(s plandoc.JSONEvidence) plandoc.Evidence {
	return plandoc.Evidence{Start: s.Start, End: s.End, Text: s.Text, Sentence: s.Sentence}
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

// planDocument turns the JSON into the extractor's document, checking
// what the graph needs: a document name, a valid region code, known roles.
// A group's mismatch is not read: graph's rule tells it from the counts.
func planDocument(d plandoc.JSON) (*plandoc.Document, error) {
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
		doc.Industries = append(doc.Industries, plandoc.Industry{Name: in.Name, Role: graph.IndustryRole(in.Role), Evidence: evidenceOf(in.Evidence)})
	}
	for _, c := range d.Clusters {
		doc.Clusters = append(doc.Clusters, plandoc.Cluster{Name: c.Name, Level: c.Level, Evidence: evidenceOf(c.Evidence)})
	}
	named := func(ns []plandoc.JSONNamed) []plandoc.Named {
		var out []plandoc.Named
		for _, n := range ns {
			out = append(out, plandoc.Named{Name: n.Name, Kind: n.Kind, Evidence: evidenceOf(n.Evidence)})
		}
		return out
	}
	doc.Chains, doc.Parks, doc.Firms = named(d.Chains), named(d.Parks), named(d.Firms)
	ind := func(in plandoc.JSONIndicator) plandoc.Indicator {
		out := plandoc.Indicator{Metric: in.Metric, Value: in.Value, Unit: in.Unit, Comparator: in.Comparator,
			Kind: in.Kind, Note: in.Note, Evidence: evidenceOf(in.Evidence)}
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
			Items: g.Items, Role: g.Role, Open: g.Open, Evidence: evidenceOf(g.Evidence)})
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
