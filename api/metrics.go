package api

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series. They live in the default
// registry, beside the Go runtime's and cayley's own (cayley_kv_*), so one
// /metrics serves them all.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newMetrics(s *Server, reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chainkg_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "chainkg_http_request_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "chainkg_http_requests_in_flight", Help: "HTTP requests being served, this one included.",
		}),
	}
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	stat := func(f func(st storeStats) float64) func() float64 {
		return func() float64 {
			b := s.store.Load()
			if b == nil {
				return 0
			}
			x := b.Index()
			return f(storeStats{quads: x.Stats().Quads, sources: x.Stats().Sources, firms: x.FirmCount()})
		}
	}
	for _, c := range []prometheus.Collector{
		m.requests, m.latency, m.inFlight,
		gauge("chainkg_store_quads", "Quads of the current versions of all sources.", stat(func(st storeStats) float64 { return float64(st.quads) })),
		gauge("chainkg_store_sources", "Loaded sources.", stat(func(st storeStats) float64 { return float64(st.sources) })),
		gauge("chainkg_firms", "Firms in the read model.", stat(func(st storeStats) float64 { return float64(st.firms) })),
		gauge("chainkg_ready", "1 once the read model is built.", func() float64 {
			if s.store.Load() == nil {
				return 0
			}
			return 1
		}),
	} {
		if err := reg.Register(c); err != nil {
			// A second server in one process (tests) shares the first one's series.
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
				switch existing := are.ExistingCollector.(type) {
				case *prometheus.CounterVec:
					m.requests = existing
				case *prometheus.HistogramVec:
					m.latency = existing
				case prometheus.Gauge:
					if c == m.inFlight {
						m.inFlight = existing
					}
				}
				continue
			}
			panic(err)
		}
	}
	return m
}

type storeStats struct{ quads, sources, firms int }

// middleware counts requests and their latency by route pattern (not URL,
// which would make one series per firm).
func (m *metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status, _ = statusFor(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(c.Request().Method, route, strconv.Itoa(status)).Inc()
		m.latency.WithLabelValues(c.Request().Method, route).Observe(time.Since(start).Seconds())
		return err
	}
}

// metricsHandler serves the default registry uncompressed: the server's gzip
// middleware compresses it (promhttp's own compression on top of it sent
// scrapers gzip inside gzip).
var metricsHandler = promhttp.HandlerFor(prometheus.DefaultGatherer, promhttp.HandlerOpts{DisableCompression: true})

func (s *Server) getMetrics(c echo.Context) error {
	metricsHandler.ServeHTTP(c.Response(), c.Request())
	return nil
}
