// Package api is chainkg's HTTP interface: an Echo server whose handlers
// parse the request, make one call into graph, and answer with an explicit
// response type. Every route is registered in Server.routes.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/chainkg/chainkg/graph"
)

// Store is what the api needs of the graph. *graph.Store satisfies it.
type Store interface {
	Index() *graph.Index
	Sources(ctx context.Context) ([]graph.SourceInfo, error)
}

// Config tunes the server.
type Config struct {
	// Timeout bounds the time a request may take; 0 means 30 seconds.
	Timeout time.Duration
	// Logger receives request logs; nil discards them.
	Logger *slog.Logger
	// Load loads an uploaded file (POST /api/v1/sources); nil refuses uploads.
	Load LoadFunc
}

// Server serves the API. It can start before its store is open: until
// SetStore is called, /readyz and the API answer 503.
type Server struct {
	e     *echo.Echo
	store atomic.Pointer[storeBox]
	cfg   Config
	log   *slog.Logger
}

type storeBox struct{ Store }

// New builds a server with every route registered.
func New(cfg Config) *Server {
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	s := &Server{e: echo.New(), cfg: cfg, log: cfg.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.e.HideBanner, s.e.HidePort = true, true
	s.e.JSONSerializer = jsonSerializer{}
	s.e.HTTPErrorHandler = s.handleError
	s.e.Use(
		middleware.RequestID(),
		middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
			HandleError: true,
			LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
				s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
					slog.String("id", v.RequestID), slog.String("method", v.Method), slog.String("uri", v.URI),
					slog.Int("status", v.Status), slog.Duration("latency", v.Latency))
				return nil
			},
		}),
		middleware.Recover(),
		middleware.ContextTimeout(cfg.Timeout),
		middleware.Gzip(),
	)
	s.routes()
	return s
}

// routes registers every route of the API. It is the one place to read to
// learn what the server answers.
func (s *Server) routes() {
	s.e.GET("/healthz", s.healthz)
	s.e.GET("/readyz", s.readyz)

	v1 := s.e.Group("/api/v1", s.requireStore)
	v1.GET("/stats", s.getStats)
	v1.GET("/sources", s.listSources)
	v1.POST("/sources", s.createSource)
}

// SetStore makes the server ready to answer with st.
func (s *Server) SetStore(st Store) { s.store.Store(&storeBox{st}) }

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.e }

// graphStore returns the store; requireStore guarantees it is set.
func (s *Server) graphStore() Store { return s.store.Load().Store }

// requireStore answers 503 until the store is open.
func (s *Server) requireStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.store.Load() == nil {
			return errNotReady
		}
		return next(c)
	}
}

// jsonSerializer is Echo's JSON serializer on goccy/go-json.
type jsonSerializer struct{}

func (jsonSerializer) Serialize(c echo.Context, i any, indent string) error {
	enc := gojson.NewEncoder(c.Response())
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(i)
}

func (jsonSerializer) Deserialize(c echo.Context, i any) error {
	err := gojson.NewDecoder(c.Request().Body).Decode(i)
	switch e := err.(type) {
	case nil:
		return nil
	case *gojson.UnmarshalTypeError:
		return fmt.Errorf("%w: field %s: want %v, got %s", errBadRequest, e.Field, e.Type, e.Value)
	case *gojson.SyntaxError:
		return fmt.Errorf("%w: JSON syntax error at offset %d: %v", errBadRequest, e.Offset, e)
	default:
		return fmt.Errorf("%w: %v", errBadRequest, err)
	}
}
