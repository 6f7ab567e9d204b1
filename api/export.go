package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/export"
)

// maxGraphExportFirms bounds the whole-graph export the API builds in
// memory (100,000 firms: 636 MB allocated for a 227 MB GEXF with every
// filter attribute, 554 MB before they were added, by go test
// ./graph/export -run - -bench GraphExport -benchmem; 10–12 s a run on a
// loaded 2-core machine where the old code took 5.6–12 s); above it,
// chainkg export on the server is the way.
const maxGraphExportFirms = 100_000

// exportOptions reads the options every export route shares: format, the
// analytics configuration (cfg.*) and the colouring (color=level|segment).
func exportOptions(c echo.Context) (export.Format, export.Options, error) {
	name := c.QueryParam("format")
	if name == "" {
		return export.Format{}, export.Options{}, fmt.Errorf("%w: format is required: one of %v", errBadRequest, export.FormatNames())
	}
	f, err := export.Lookup(name)
	if err != nil {
		return export.Format{}, export.Options{}, err
	}
	cfg, err := configFrom(c)
	if err != nil {
		return f, export.Options{}, err
	}
	color, err := export.ParseColorBy(c.QueryParam("color"))
	if err != nil {
		return f, export.Options{}, err
	}
	return f, export.Options{Config: cfg, ColorBy: color}, nil
}

// sendExport encodes a scope into a buffer (so a failure is a problem
// response, not half a file) and answers it as a download, with the
// scope's node and edge counts in headers.
func (s *Server) sendExport(c echo.Context, f export.Format, sc *export.Scope, stem string) error {
	if err := f.Fits(sc); err != nil {
		return fmt.Errorf("%w. The routes of smaller scopes: /api/v1/chains/{chain}/export?format=%s (one chain), "+
			"/api/v1/regions/{code}/chains/{chain}/export?format=%s&size=50 (one region × chain, its top 50 targets), "+
			"/api/v1/firms/{id}/export?format=%s (one firm's neighbourhood)", err, f.Name, f.Name, f.Name)
	}
	var buf bytes.Buffer
	if err := f.Write(c.Request().Context(), &buf, sc, s.graphStore()); err != nil {
		return err
	}
	nodes, edges := sc.Counts()
	h := c.Response().Header()
	h.Set("X-Chainkg-Nodes", strconv.Itoa(nodes))
	h.Set("X-Chainkg-Edges", strconv.Itoa(edges))
	name := f.FileName(sc, stem)
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name,
		url.PathEscape(sc.Title+"."+f.Ext)))
	return c.Blob(http.StatusOK, f.ContentType, buf.Bytes())
}

// getChainMapExport answers GET /regions/{code}/chains/{chain}/export: the
// region × chain with levels, local firms, gaps and targets. Target filters
// are those of …/targets; size is how many targets (default 100).
func (s *Server) getChainMapExport(c echo.Context) error {
	x, code, chain, _, err := s.regionChain(c)
	if err != nil {
		return err
	}
	f, opt, err := exportOptions(c)
	if err != nil {
		return err
	}
	if opt.Targets, err = targetQueryFrom(c); err != nil {
		return err
	}
	if c.QueryParam("size") == "" {
		opt.Targets.Size = export.DefaultTargets
	}
	sc, err := export.ChainMapScope(c.Request().Context(), x, code, chain, opt)
	if err != nil {
		return err
	}
	return s.sendExport(c, f, sc, string(code)+"-"+string(chain))
}

// getChainExport answers GET /chains/{chain}/export: the chain template.
func (s *Server) getChainExport(c echo.Context) error {
	x := s.snapshot(c)
	chain, err := x.ResolveChain(c.Param("chain"))
	if err != nil {
		return err
	}
	f, opt, err := exportOptions(c)
	if err != nil {
		return err
	}
	sc, err := export.ChainScope(c.Request().Context(), x, chain, opt)
	if err != nil {
		return err
	}
	return s.sendExport(c, f, sc, string(chain))
}

// getFirmExport answers GET /firms/{id}/export: the firm's neighbourhood;
// neighbours is how many local firms per node (default 5, at most 50).
func (s *Server) getFirmExport(c echo.Context) error {
	id, err := graph.ParseFirmID(c.Param("id"))
	if err != nil {
		return err
	}
	f, opt, err := exportOptions(c)
	if err != nil {
		return err
	}
	if opt.Neighbours, err = intParam(c, "neighbours", export.DefaultNeighbours); err != nil {
		return err
	}
	if opt.Neighbours > 50 {
		return fmt.Errorf("%w: neighbours=%d: at most 50", errBadRequest, opt.Neighbours)
	}
	sc, err := export.FirmScope(c.Request().Context(), s.snapshot(c), id, opt)
	if err != nil {
		return err
	}
	return s.sendExport(c, f, sc, string(id))
}

// getGraphExport answers GET /export: the whole graph, refused above
// maxGraphExportFirms firms.
func (s *Server) getGraphExport(c echo.Context) error {
	x := s.snapshot(c)
	f, opt, err := exportOptions(c)
	if err != nil {
		return err
	}
	if n := x.FirmCount(); n > maxGraphExportFirms {
		return fmt.Errorf("%w: the whole graph has %d firms, more than the API exports (%d); run 'chainkg export --format %s' on the server",
			graph.ErrUnsupported, n, maxGraphExportFirms, f.Name)
	}
	sc, err := export.GraphScope(c.Request().Context(), x, opt)
	if err != nil {
		return err
	}
	return s.sendExport(c, f, sc, "graph")
}

// getChainMapSVG answers GET /regions/{code}/chains/{chain}/map.svg: the
// chain-map picture; download=true adds a file name for saving.
func (s *Server) getChainMapSVG(c echo.Context) error {
	x, code, chain, cfg, err := s.regionChain(c)
	if err != nil {
		return err
	}
	download, err := boolParam(c, "download")
	if err != nil {
		return err
	}
	m, err := x.ChainMap(c.Request().Context(), code, chain, cfg)
	if err != nil {
		return err
	}
	anchors, err := x.Anchors(c.Request().Context(), code, chain, cfg, false)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteChainMapSVG(&buf, m, anchors); err != nil {
		return err
	}
	if download {
		name := fmt.Sprintf("chainkg-map-%s-%s.svg", code, chain)
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name,
			url.PathEscape(m.Region.Name+m.Chain.Name+"产业链图谱.svg")))
	}
	return c.Blob(http.StatusOK, "image/svg+xml; charset=utf-8", buf.Bytes())
}
