package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// uploadLoader is the api's LoadFunc: it loads the spooled upload as its
// kind, named by the file name the client gave (so uploading the same file
// again replaces it). A registry with more than maxRows rows is refused.
func uploadLoader(store func() *store.Store, maxRows int) api.LoadFunc {
	return func(ctx context.Context, up api.Upload) (api.LoadReport, error) {
		if !slices.Contains(loaders.FileKinds(), up.Kind) {
			return api.LoadReport{}, fmt.Errorf("%w: unknown kind %q: want one of %s", api.ErrInputRejected, up.Kind, strings.Join(loaders.FileKinds(), ", "))
		}
		rep, res, err := loaders.LoadFile(ctx, store(), up.Kind, up.Path, loaders.FileOptions{
			Strict: up.Strict, Origin: "upload:" + up.Name, Progress: up.Progress, MaxRows: maxRows})
		out := loadReport(rep, res)
		if out.File == "" {
			out.File = up.Name
		}
		if err != nil && errors.Is(err, loaders.ErrRejected) {
			err = fmt.Errorf("%w: %v", api.ErrInputRejected, err)
		}
		return out, err
	}
}

// loadReport turns a loader's report into the api's.
func loadReport(rep *loaders.Report, res store.ReplaceResult) api.LoadReport {
	out := api.LoadReport{Source: string(res.ID), Version: res.Version, Facts: res.Facts, Unchanged: res.Unchanged}
	if rep == nil {
		return out
	}
	if out.Source == "" {
		out.Source = string(rep.Source)
	}
	out.File, out.Rows, out.Loaded, out.Merged, out.Counts = rep.File, rep.Rows, rep.Loaded, rep.Merged, rep.Counts
	issue := func(e *loaders.ParseError) api.LoadIssue {
		return api.LoadIssue{File: e.File, Line: e.Line, Column: e.Column, Reason: e.Err.Error()}
	}
	for _, e := range rep.Rejected {
		out.Rejected = append(out.Rejected, issue(e))
	}
	for _, e := range rep.Warnings {
		out.Warnings = append(out.Warnings, issue(e))
	}
	return out
}
