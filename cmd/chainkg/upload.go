package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

// uploadLoader is the api's LoadFunc: it loads the spooled upload as its
// kind, named by the file name the client gave (so uploading the same file
// again replaces it), under the policy every load of a file follows
// (guard.go). A registry with more than maxRows rows is refused. A mapping
// comes with the upload, or by name from mappingDir ("" for none).
func uploadLoader(store func() *store.Store, maxRows int, mappingDir string) api.LoadFunc {
	return func(ctx context.Context, up api.Upload) (api.LoadReport, error) {
		if !slices.Contains(loaders.FileKinds(), up.Kind) {
			return api.LoadReport{File: up.Name}, fmt.Errorf("%w: unknown kind %q: want one of %s", api.ErrInputRejected, up.Kind, strings.Join(loaders.FileKinds(), ", "))
		}
		mapping, err := uploadMapping(up, mappingDir)
		if err != nil {
			return api.LoadReport{File: up.Name}, err
		}
		rep, res, err := loadFile(ctx, store(), up.Kind, up.Path, loaders.FileOptions{
			Strict: up.Strict, Origin: "upload:" + up.Name, Progress: up.Progress, Options: loaders.Options{MaxRows: maxRows, Mapping: mapping}},
			loadPolicy{AllowShrink: up.AllowShrink})
		out := loadReport(rep, res)
		if out.File == "" {
			out.File = up.Name
		}
		if err != nil && errors.Is(err, loaders.ErrRejected) {
			var pe *loaders.ParseError
			if errors.As(err, &pe) {
				out.ErrorAt = &api.LoadIssue{File: pe.File, Line: pe.Line, Column: pe.Column, Reason: api.PlainMessage(pe.Err)}
			}
			err = fmt.Errorf("%w: %w", api.ErrInputRejected, err)
		}
		return out, err
	}
}

// uploadMapping reads the column mapping an upload carries or names.
func uploadMapping(up api.Upload, dir string) (map[string]string, error) {
	switch {
	case up.Mapping != "":
		m, err := loaders.ReadColumnMapping(strings.NewReader(up.Mapping), "mapping")
		if err != nil {
			return nil, fmt.Errorf("%w: %w", api.ErrInputRejected, err)
		}
		return m, nil
	case up.MappingName == "":
		return nil, nil
	case dir == "":
		return nil, fmt.Errorf("%w: mapping_name %q: this server keeps no saved mappings (serve --mappings DIR)", api.ErrInputRejected, up.MappingName)
	}
	name := up.MappingName
	if !plainName(name) {
		return nil, fmt.Errorf("%w: mapping_name %q: want the name of a saved mapping (letters, digits, '-' and '_')", api.ErrInputRejected, name)
	}
	f, err := os.Open(filepath.Join(dir, name+".csv"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w: there is no saved mapping %q", api.ErrInputRejected, name)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := loaders.ReadColumnMapping(f, name+".csv")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", api.ErrInputRejected, err)
	}
	return m, nil
}

// loadReport turns a loader's report into the api's.
func loadReport(rep *loaders.Report, res loadOutcome) api.LoadReport {
	out := api.LoadReport{Source: string(res.ID), Version: res.Version, Facts: res.Facts, Unchanged: res.Unchanged}
	if r := res.Replaced; r != nil {
		out.Replaced = &api.ReplacedVersion{Source: string(r.ID), Version: r.Version, File: replacedFile(r), Facts: r.Facts, LoadedAt: r.LoadedAt}
	}
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

// plainName says whether a name is 1–100 bytes of letters, digits, '-' and
// '_': a name that cannot climb out of a directory.
func plainName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}
