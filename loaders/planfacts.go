package loaders

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
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
		doc, err := plandoc.FromJSON(d)
		if err != nil {
			column := ""
			var fe *plandoc.FieldError
			if errors.As(err, &fe) {
				column, err = fe.Field, fe.Err
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
