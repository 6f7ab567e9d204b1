package api

import (
	"embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// static holds the OpenAPI document and the offline docs page.
//
//go:embed static/openapi.json static/docs.html
var static embed.FS

func (s *Server) getOpenAPI(c echo.Context) error {
	b, err := static.ReadFile("static/openapi.json")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, b)
}

func (s *Server) getDocs(c echo.Context) error {
	b, err := static.ReadFile("static/docs.html")
	if err != nil {
		return err
	}
	return c.HTMLBlob(http.StatusOK, b)
}
