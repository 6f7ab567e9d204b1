package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/loaders"
)

// uploadLoader is the api's LoadFunc: it writes the upload to a temporary
// file under its own name (the name makes the source id, so uploading the
// same file again replaces it), loads it, and removes it.
func uploadLoader(store func() *graph.Store) api.LoadFunc {
	return func(ctx context.Context, kind, filename string, strict bool, r io.Reader) (api.LoadReport, error) {
		if !slices.Contains(loaders.FileKinds(), kind) {
			return api.LoadReport{}, fmt.Errorf("%w: unknown kind %q: want one of %s", api.ErrInputRejected, kind, strings.Join(loaders.FileKinds(), ", "))
		}
		name := filepath.Base(filename)
		if name == "." || name == "/" || name == "" {
			name = "upload"
		}
		dir, err := os.MkdirTemp("", "chainkg-upload-")
		if err != nil {
			return api.LoadReport{}, err
		}
		defer os.RemoveAll(dir)
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			return api.LoadReport{}, err
		}
		_, err = io.Copy(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return api.LoadReport{}, fmt.Errorf("%w: reading the upload: %v", api.ErrInputRejected, err)
		}
		rep, res, err := loaders.LoadFile(ctx, store(), kind, path, loaders.FileOptions{Strict: strict, Origin: "upload:" + name})
		out := loadReport(rep, res)
		if err != nil && errors.Is(err, loaders.ErrRejected) {
			err = fmt.Errorf("%w: %v", api.ErrInputRejected, err)
		}
		return out, err
	}
}

// loadReport turns a loader's report into the api's.
func loadReport(rep *loaders.Report, res graph.ReplaceResult) api.LoadReport {
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
