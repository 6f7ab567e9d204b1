package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"strings"
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
	if baseKind(id) {
		if have, _ := c.Get(roleKey).(Role); have < RoleAdmin {
			return fmt.Errorf("%w: %s is base data every answer rests on (regions, industry codes, the chain library); only an admin may delete it", errForbidden, id)
		}
	}
	if err := s.graphStore().Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DeleteResponse{Deleted: string(id)})
}

// baseKind says whether a source is base data — a reference table or the
// chain library — whose loss empties every region or chain answer.
func baseKind(id graph.SourceID) bool {
	kind, _, _ := strings.Cut(string(id), "/")
	return kind == string(graph.KindReference) || kind == string(graph.KindChains)
}

// LoadFunc loads an uploaded file of a kind (registry, override, plan …)
// as a source and reports what it did. cmd/chainkg wires it to the loaders;
// the api only carries the upload to it. An error wrapping ErrInputRejected
// means the file itself was refused (unreadable, too large, strict mode).
type LoadFunc func(ctx context.Context, up Upload) (LoadReport, error)

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
	// Replaced is the version the load replaced; absent for a new source
	// or an unchanged one.
	Replaced *ReplacedVersion `json:"replaced,omitempty"`
	// Error says why nothing was stored, for a file refused as a whole, in
	// one sentence; ErrorAt is where in the file, when the refusal points
	// at a place (a header, a row).
	Error   string     `json:"error,omitempty"`
	ErrorAt *LoadIssue `json:"error_at,omitempty"`
}

// ReplacedVersion is a source's version that a load replaced: which file
// it came from, when, and how many facts it held.
type ReplacedVersion struct {
	Source   string    `json:"source"`
	Version  string    `json:"version"`
	File     string    `json:"file,omitempty"`
	Facts    int       `json:"facts"`
	LoadedAt time.Time `json:"loaded_at"`
}

// LoadIssue is one rejected row or warning.
type LoadIssue struct {
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// createSource handles POST /api/v1/sources: a multipart form with the
// fields kind and file (strict=true refuses a file with any bad row;
// allow_shrink=true lets it replace a source with under half its facts;
// mapping, "header,field" lines, or mapping_name, a mapping saved on the
// server, maps the file's headers to fields). The
// file is written to disk within the upload limit and its load queued as a
// job: the answer is 202 with the job and its Location. With wait=true (a
// query parameter or a field) the request waits for the load, within its
// own time limit, and answers the load report as the job's status says
// (201, 200 unchanged, 422 refused); if the time runs out first it answers
// 202 with the job, which goes on.
func (s *Server) createSource(c echo.Context) error {
	if s.cfg.Load == nil {
		return fmt.Errorf("%w: this server does not accept uploads", errBadRequest)
	}
	if s.jobs.full() {
		c.Response().Header().Set("Retry-After", "30")
		return errQueueFull
	}
	form, err := s.readUpload(c)
	if err != nil {
		return err
	}
	j, err := s.jobs.submit(form.Upload, form.spool)
	if err != nil {
		form.spool.remove()
		if errors.Is(err, errQueueFull) {
			c.Response().Header().Set("Retry-After", "30")
		}
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, jobPath(j.id))
	if form.wait || c.QueryParam("wait") == "true" {
		select {
		case <-j.done:
			r := j.response()
			if r.Report == nil || r.Status >= 500 {
				return fmt.Errorf("%w: %s", statusError(r.Status), r.Error)
			}
			return c.JSON(r.Status, r.Report)
		case <-c.Request().Context().Done():
		}
	}
	return c.JSON(http.StatusAccepted, j.response())
}

// statusError is the error that answers a job that failed for a reason
// other than its input.
func statusError(status int) error {
	if status == http.StatusServiceUnavailable {
		return errShuttingDown
	}
	return errors.New("api: the load failed")
}

// uploadForm is a parsed upload request.
type uploadForm struct {
	Upload
	spool *spool
	wait  bool
}

// maxFormField bounds a form field other than the file and the mapping.
const maxFormField = 1 << 10

// maxMappingField bounds a column mapping sent with an upload.
const maxMappingField = 64 << 10

// readUpload reads the multipart form as a stream: the small fields into
// memory, the file to a spool directory, all within the upload limit. On
// error nothing is left on disk.
func (s *Server) readUpload(c echo.Context) (f uploadForm, err error) {
	req := c.Request()
	limit := s.cfg.MaxUpload + 64<<10 // the file, plus the form around it
	if req.ContentLength > limit {
		return f, fmt.Errorf("%w: %d bytes; an upload may have %d", errTooLarge, req.ContentLength, s.cfg.MaxUpload)
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
	mr, err := req.MultipartReader()
	if err != nil {
		return f, fmt.Errorf("%w: want a multipart/form-data body with the fields kind and file: %w", errBadRequest, err)
	}
	defer func() {
		if err != nil {
			f.spool.remove()
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if tl := tooLarge(err); tl != nil {
				return f, tl
			}
			return f, fmt.Errorf("%w: the multipart body is malformed: %w", errBadRequest, err)
		}
		switch name := part.FormName(); name {
		case "file":
			if f.spool != nil {
				return f, fmt.Errorf("%w: the form has more than one file", errBadRequest)
			}
			if err := s.spoolFile(part, &f); err != nil {
				return f, err
			}
		case "kind", "strict", "wait", "allow_shrink", "mapping", "mapping_name":
			if err := readFormField(part, name, &f); err != nil {
				return f, err
			}
		default:
			return f, fmt.Errorf("%w: unknown form field %q: want kind, file, strict, wait, allow_shrink, mapping, mapping_name", errBadRequest, name)
		}
	}
	switch {
	case f.Kind == "":
		return f, fmt.Errorf("%w: the form needs a kind field (registry, override, plan …)", errBadRequest)
	case len(s.cfg.UploadKinds) > 0 && !slices.Contains(s.cfg.UploadKinds, f.Kind):
		return f, fmt.Errorf("%w: unknown kind %q: want one of %s", errBadRequest, f.Kind, strings.Join(s.cfg.UploadKinds, ", "))
	case f.spool == nil:
		return f, fmt.Errorf("%w: the form needs a file field", errBadRequest)
	case f.Mapping != "" && f.MappingName != "":
		return f, fmt.Errorf("%w: give a mapping or a mapping_name, not both", errBadRequest)
	}
	if c.QueryParam("allow_shrink") == "true" {
		f.AllowShrink = true
	}
	return f, nil
}

// readFormField reads a small field of the upload form into f, refusing
// one longer than its limit.
func readFormField(part *multipart.Part, name string, f *uploadForm) error {
	limit := maxFormField
	if name == "mapping" {
		limit = maxMappingField
	}
	b, err := io.ReadAll(io.LimitReader(part, int64(limit)+1))
	if err != nil {
		return fmt.Errorf("%w: field %s: %w", errBadRequest, name, err)
	}
	if len(b) > limit {
		return fmt.Errorf("%w: field %s is longer than %d bytes", errBadRequest, name, limit)
	}
	v := strings.TrimSpace(string(b))
	switch name {
	case "kind":
		f.Kind = v
	case "strict":
		f.Strict = v == "true"
	case "wait":
		f.wait = v == "true"
	case "allow_shrink":
		f.AllowShrink = v == "true"
	case "mapping":
		f.Mapping = string(b)
	case "mapping_name":
		f.MappingName = v
	}
	return nil
}

// spoolFile writes the file part to a new spool directory under its
// checked name, refusing it when it passes the upload limit.
func (s *Server) spoolFile(part *multipart.Part, f *uploadForm) error {
	// Part.FileName already drops directories; the raw parameter shows
	// what the client sent, and a name with tricks in it is refused.
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return fmt.Errorf("%w: the file part's Content-Disposition: %w", errBadRequest, err)
	}
	name, err := safeFileName(params["filename"])
	if err != nil {
		return err
	}
	sp, err := s.spoolDir()
	if err != nil {
		return err
	}
	f.spool, f.Name, f.Path = sp, name, spoolPath(sp.dir, name)
	out, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, io.LimitReader(part, s.cfg.MaxUpload+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		if tl := tooLarge(err); tl != nil {
			return tl
		}
		return fmt.Errorf("%w: reading the upload: %w", errBadRequest, err)
	case n > s.cfg.MaxUpload:
		return fmt.Errorf("%w: the file is larger than the %d bytes an upload may have", errTooLarge, s.cfg.MaxUpload)
	}
	return nil
}
