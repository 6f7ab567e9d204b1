package api

import (
	"embed"
	"errors"
	"io/fs"
	"net/http"
	"path"

	"github.com/labstack/echo/v4"
)

// web holds the web page: plain HTML, CSS and JavaScript written for
// chainkg, no framework and no CDN, so it works without internet and needs
// no build step.
//
//go:embed web
var web embed.FS

// pageTypes are the content types of the page's files.
var pageTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
}

// getPage serves the web page at /.
func (s *Server) getPage(c echo.Context) error {
	return s.sendPageFile(c, "index.html")
}

// getPageAsset serves /static/NAME from the page's files.
func (s *Server) getPageAsset(c echo.Context) error {
	return s.sendPageFile(c, path.Clean("/" + c.Param("*"))[1:])
}

func (s *Server) sendPageFile(c echo.Context, name string) error {
	b, err := web.ReadFile("web/" + name)
	if errors.Is(err, fs.ErrNotExist) || name == "" {
		return echo.NewHTTPError(http.StatusNotFound, "no such file: "+name)
	}
	if err != nil {
		return err
	}
	typ, ok := pageTypes[path.Ext(name)]
	if !ok {
		typ = "application/octet-stream"
	}
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, typ, b)
}
