package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// SourceResponse is one loaded source.
type SourceResponse struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Title    string    `json:"title,omitempty"`
	Origin   string    `json:"origin,omitempty"`
	Version  string    `json:"version"`
	Facts    int       `json:"facts"`
	LoadedAt time.Time `json:"loaded_at"`
	Hash     string    `json:"hash"`
}

// SourcesResponse lists the loaded sources.
type SourcesResponse struct {
	Sources []SourceResponse `json:"sources"`
}

func (s *Server) listSources(c echo.Context) error {
	srcs, err := s.graphStore().Sources(c.Request().Context())
	if err != nil {
		return err
	}
	out := SourcesResponse{Sources: make([]SourceResponse, len(srcs))}
	for i, si := range srcs {
		out.Sources[i] = SourceResponse{
			ID: string(si.ID), Kind: string(si.Kind), Title: si.Title, Origin: si.Origin,
			Version: si.Version, Facts: si.Facts, LoadedAt: si.LoadedAt, Hash: si.Hash,
		}
	}
	return c.JSON(http.StatusOK, out)
}

// DeleteResponse answers a source deletion.
type DeleteResponse struct {
	Deleted string `json:"deleted"`
}

func (s *Server) deleteSource(c echo.Context) error {
	id, err := graph.ParseSourceID(c.Param("kind") + "/" + c.Param("name"))
	if err != nil {
		return err
	}
	if err := s.graphStore().Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DeleteResponse{Deleted: string(id)})
}

// LoadFunc loads an uploaded file of a kind (registry, override, regions …)
// as a source and reports what it did. cmd/chainkg wires it to the loaders;
// the api only carries the upload to it. An error wrapping ErrInputRejected
// means the file itself was refused (unknown kind, unreadable, strict mode).
type LoadFunc func(ctx context.Context, kind, filename string, strict bool, r io.Reader) (LoadReport, error)

// ErrInputRejected marks a load refused because of its input; it answers 422.
var ErrInputRejected = errors.New("api: input rejected")

// LoadReport is what a load did: the source and version written, the rows
// read, loaded, merged and rejected — each rejection with file, line,
// column and reason — and the loader's warnings and tallies.
type LoadReport struct {
	Source    string         `json:"source"`
	Version   string         `json:"version,omitempty"`
	Facts     int            `json:"facts"`
	Unchanged bool           `json:"unchanged"`
	File      string         `json:"file"`
	Rows      int            `json:"rows"`
	Loaded    int            `json:"loaded"`
	Merged    int            `json:"merged"`
	Rejected  []LoadIssue    `json:"rejected"`
	Warnings  []LoadIssue    `json:"warnings"`
	Counts    map[string]int `json:"counts,omitempty"`
	// Error says why nothing was stored, for a file refused as a whole.
	Error string `json:"error,omitempty"`
}

// LoadIssue is one rejected row or warning.
type LoadIssue struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// createSource handles POST /api/v1/sources: a multipart form with the
// fields kind and file (and strict=true to refuse a file with any bad row).
func (s *Server) createSource(c echo.Context) error {
	if s.cfg.Load == nil {
		return fmt.Errorf("%w: this server does not accept uploads", errBadRequest)
	}
	kind := c.FormValue("kind")
	if kind == "" {
		return fmt.Errorf("%w: the form needs a kind field (registry, override …)", errBadRequest)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return fmt.Errorf("%w: the form needs a file field: %v", errBadRequest, err)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	strict := c.FormValue("strict") == "true"
	rep, err := s.cfg.Load(c.Request().Context(), kind, filepath.Base(fh.Filename), strict, f)
	status := http.StatusCreated
	switch {
	case err != nil && errors.Is(err, ErrInputRejected) && rep.File != "":
		// The file was read but refused: the report says which rows and why.
		rep.Error, status = err.Error(), http.StatusUnprocessableEntity
	case err != nil:
		return err
	case rep.Unchanged:
		status = http.StatusOK
	}
	if rep.Rejected == nil {
		rep.Rejected = []LoadIssue{}
	}
	if rep.Warnings == nil {
		rep.Warnings = []LoadIssue{}
	}
	return c.JSON(status, rep)
}
