// Package api is chainkg's HTTP interface: an Echo server whose handlers
// parse the request, make one call into graph, and answer with an explicit
// response type. Every route is registered in Server.routes.
package api

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// Store is what the api needs of the graph. *store.Store satisfies it.
type Store interface {
	Index() *readmodel.Index
	Sources(ctx context.Context) ([]graph.SourceInfo, error)
	Delete(ctx context.Context, id graph.SourceID) error
	FirmDetail(ctx context.Context, x *readmodel.Index, id graph.FirmID) (*store.FirmDetail, error)
	Query(ctx context.Context, lang store.QueryLang, text string, lim store.QueryLimits) (*store.QueryResult, error)
	WriteQuads(ctx context.Context, w io.Writer, f store.QuadFormat, subj *store.Subjects) error
	Replace(ctx context.Context, src graph.Source, write func(graph.FactSink) error) (store.ReplaceResult, error)
}

// Config tunes the server.
type Config struct {
	// Timeout bounds the time a request may take; 0 means 30 seconds.
	Timeout time.Duration
	// Logger receives request logs; nil discards them.
	Logger *slog.Logger
	// Auth says which tokens may read and write.
	Auth Auth
	// Load loads an uploaded file (POST /api/v1/sources); nil refuses uploads.
	Load LoadFunc
	// UploadKinds are the kinds an upload may name; empty lets Load decide.
	UploadKinds []string
	// UploadDir is where uploads are spooled; "" is the system's temporary
	// directory.
	UploadDir string
	// MaxBody bounds a request body other than an upload; 0 means DefaultMaxBody.
	MaxBody int64
	// MaxUpload bounds an uploaded file; 0 means DefaultMaxUpload.
	MaxUpload int64
	// MaxQueuedUploads bounds the uploads waiting to be loaded; 0 means
	// DefaultMaxQueuedUploads.
	MaxQueuedUploads int
	// JobHistory is how many finished upload jobs are remembered; 0 means
	// DefaultJobHistory.
	JobHistory int
	// CacheBytes bounds the analytics answers kept for the current read
	// model; 0 means DefaultCacheBytes, a negative value turns the cache off.
	CacheBytes int
	// MaxQueries bounds the ad-hoc queries running at once; 0 means
	// DefaultMaxQueries (query.go).
	MaxQueries int
}

// Server serves the API. It can start before its store is open: until
// SetStore is called, /readyz and the API answer 503.
type Server struct {
	e       *echo.Echo
	store   atomic.Pointer[storeBox]
	cfg     Config
	log     *slog.Logger
	tokens  tokenTable
	metrics *metrics
	jobs    *jobQueue
	cache   *answerCache
	// queries holds one token per ad-hoc query running (query.go).
	queries chan struct{}
	marksMu sync.Mutex // one writer's verdict or correction at a time: each rewrites its override source
	leadsMu sync.Mutex // one lead change at a time: each rewrites the leads source
}

type storeBox struct{ Store }

// New builds a server with every route registered.
func New(cfg Config) *Server {
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	cfg.MaxBody = cmp.Or(cfg.MaxBody, DefaultMaxBody)
	cfg.MaxUpload = cmp.Or(cfg.MaxUpload, DefaultMaxUpload)
	cfg.MaxQueuedUploads = cmp.Or(cfg.MaxQueuedUploads, DefaultMaxQueuedUploads)
	cfg.JobHistory = cmp.Or(cfg.JobHistory, DefaultJobHistory)
	cfg.CacheBytes = cmp.Or(cfg.CacheBytes, DefaultCacheBytes)
	cfg.MaxQueries = cmp.Or(cfg.MaxQueries, DefaultMaxQueries)
	s := &Server{e: echo.New(), cfg: cfg, log: cfg.Logger, tokens: newTokenTable(cfg.Auth), queries: make(chan struct{}, cfg.MaxQueries)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.cache = newAnswerCache(cfg.CacheBytes)
	s.jobs = newJobQueue(cfg.Load, s.log, cfg.MaxQueuedUploads, cfg.JobHistory)
	s.e.HideBanner, s.e.HidePort = true, true
	s.e.JSONSerializer = jsonSerializer{}
	s.e.HTTPErrorHandler = s.handleError
	s.metrics = newMetrics(s, prometheus.DefaultRegisterer)
	s.e.Use(
		middleware.RequestID(),
		s.metrics.middleware,
		middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
			LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogError: true,
			HandleError: true,
			LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
				attrs := []slog.Attr{slog.String("id", v.RequestID), slog.String("method", v.Method), slog.String("uri", redactURI(v.URI)),
					slog.Int("status", v.Status), slog.Duration("latency", v.Latency)}
				if v.Error != nil {
					// The whole chain, prefixes and all: the answer has the plain sentence.
					attrs = append(attrs, slog.String("err", v.Error.Error()))
				}
				s.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request", attrs...)
				return nil
			},
		}),
		middleware.Recover(),
		s.limitBody,
		middleware.ContextTimeout(cfg.Timeout),
		// Level 1: a 50 KB answer compresses to ~12 KB instead of ~9.7 KB
		// at the default level; the whole request went from 242 to 182 µs
		// (go test ./cmd/chainkg -bench ChainMapHTTP, before the answer
		// cache). The cached routes compress their own answers.
		middleware.GzipWithConfig(middleware.GzipConfig{Level: gzipLevel, MinLength: gzipMinLength, Skipper: s.cache.skipGzip}),
	)
	s.routes()
	return s
}

// routes registers every route of the API. It is the one place to read to
// learn what the server answers.
func (s *Server) routes() {
	s.e.GET("/healthz", s.healthz)
	s.e.GET("/readyz", s.readyz)
	// The metrics name routes and counts: a reader's, like the API.
	s.e.GET("/metrics", s.getMetrics, s.authenticate, s.require(RoleReader))
	s.e.GET("/docs", s.getDocs)
	s.e.GET("/api/v1/openapi.json", s.getOpenAPI)
	s.e.GET("/", s.getPage)
	s.e.GET("/static/*", s.getPageAsset)

	// Every route needs a reader (reads are public unless configured
	// otherwise); writes add a writer requirement.
	v1 := s.e.Group("/api/v1", s.authenticate, s.requireStore, s.require(RoleReader))
	write := s.require(RoleWriter)
	v1.GET("/stats", s.getStats)
	v1.GET("/sources", s.listSources)
	v1.GET("/regions", s.listRegions)
	v1.GET("/regions/:code", s.getRegion)
	v1.GET("/chains", s.listChains)
	v1.GET("/chains/:chain", s.getChain)
	v1.GET("/codes/:code", s.getIndustryCode)
	v1.GET("/crosswalk", s.getCrosswalk)
	// The analytics answers are kept until the read model changes (cache.go).
	cached := func(path string, h echo.HandlerFunc) {
		s.cache.routes["/api/v1"+path] = true
		v1.GET(path, h, s.cache.middleware(s))
	}
	cached("/regions/:code/chains/:chain/map", s.getChainMap)
	cached("/regions/:code/chains/:chain/gaps", s.getGaps)
	cached("/regions/:code/chains/:chain/anchors", s.getAnchors)
	cached("/regions/:code/chains/:chain/targets", s.getTargets)
	cached("/compare", s.getCompare)
	cached("/search", s.getSearch)
	v1.GET("/firms/:id", s.getFirm)
	v1.GET("/parks/:id", s.getPark)
	v1.GET("/nodes/:chain/:node", s.getNode)
	v1.POST("/query", s.postQuery)
	v1.DELETE("/sources/:kind/:name", s.deleteSource, write)
	v1.GET("/plans", s.listPlans)
	v1.GET("/plans/:id", s.getPlan)
	v1.POST("/plans/:id/correction", s.postPlanCorrection, write)
	v1.GET("/regions/:code/designations", s.getRegionDesignations)
	v1.GET("/regions/:code/chains/:chain/export", s.getChainMapExport)
	v1.GET("/regions/:code/chains/:chain/map.svg", s.getChainMapSVG)
	v1.GET("/chains/:chain/export", s.getChainExport)
	v1.GET("/firms/:id/export", s.getFirmExport)
	v1.GET("/export", s.getGraphExport)
	v1.GET("/picker/regions", s.getPickerRegions)
	v1.GET("/picker/names", s.getPickerNames)
	v1.GET("/quality", s.getQuality)
	v1.POST("/quality/marks", s.postQualityMark, write)
	v1.GET("/leads", s.listLeads)
	v1.POST("/leads", s.postLead, write)
	v1.GET("/leads/funnel", s.getLeadFunnel)
	v1.GET("/leads/export", s.getLeadsExport)
	v1.GET("/leads/:id", s.getLead)
	v1.PATCH("/leads/:id", s.patchLead, write)
	// What-if writes nothing: a reader may ask it.
	v1.POST("/regions/:code/chains/:chain/whatif", s.postWhatIf)
	v1.POST("/sources", s.createSource, write)
	v1.GET("/jobs", s.listJobs, write)
	v1.GET("/jobs/:id", s.getJob, write)
}

// SetStore makes the server ready to answer with st.
func (s *Server) SetStore(st Store) { s.store.Store(&storeBox{st}) }

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.e }

// graphStore returns the store; requireStore guarantees it is set.
func (s *Server) graphStore() Store { return s.store.Load().Store }

// snapshotKey holds, in a request's context, the read model it answers from.
const snapshotKey = "chainkg.snapshot"

// snapshot returns the read model a request answers from: the current one
// the first time it is asked, the same one after, so every part of one
// answer (and the answer cache's key) comes from one version of the data.
func (s *Server) snapshot(c echo.Context) *readmodel.Index {
	if x, ok := c.Get(snapshotKey).(*readmodel.Index); ok {
		return x
	}
	x := s.graphStore().Index()
	c.Set(snapshotKey, x)
	return x
}

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
		return fmt.Errorf("%w: JSON syntax error at offset %d: %w", errBadRequest, e.Offset, e)
	default:
		if tl := tooLarge(err); tl != nil {
			return tl
		}
		return fmt.Errorf("%w: %w", errBadRequest, err)
	}
}
