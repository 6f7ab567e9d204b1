package api

import (
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// pathParam returns a path parameter, percent-decoded when the router left
// it escaped (Chinese chain names arrive either way).
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if strings.Contains(v, "%") {
		if u, err := url.PathUnescape(v); err == nil {
			return u
		}
	}
	return v
}
