package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// HealthResponse answers /healthz and /readyz.
type HealthResponse struct {
	Status string `json:"status"`
}

// healthz says the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, HealthResponse{Status: "ok"})
}

// readyz says whether the read model is built and requests can be answered.
func (s *Server) readyz(c echo.Context) error {
	if s.store.Load() == nil {
		return c.JSON(http.StatusServiceUnavailable, HealthResponse{Status: "starting"})
	}
	return c.JSON(http.StatusOK, HealthResponse{Status: "ready"})
}
