package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph/readmodel"
)

// DefaultCacheBytes bounds the answers the server keeps.
const DefaultCacheBytes = 64 << 20

// answerCache keeps the encoded answers of the analytics routes for the
// current read model. The read model is immutable and swapped whole after
// a write, so an answer stays right until the swap; the first request
// after it finds the cache keyed to the old model and empties it. A request
// with Cache-Control: no-cache is computed afresh.
//
// Entries keep the JSON and, once a client asks for it, its gzip form,
// compressed once: a hit costs a map lookup and a copy.
type answerCache struct {
	max int // bytes; ≤ 0 turns the cache off

	mu      sync.Mutex
	idx     *readmodel.Index // the model the entries were computed on
	entries map[string]*cachedAnswer
	size    int
	routes  map[string]bool // route patterns that use the cache
}

type cachedAnswer struct {
	status int
	header http.Header // Content-Type and the X-Chainkg-* headers
	body   []byte

	gzOnce sync.Once
	gz     []byte
}

func newAnswerCache(max int) *answerCache {
	return &answerCache{max: max, entries: map[string]*cachedAnswer{}, routes: map[string]bool{}}
}

// get returns the answer to key computed on idx, if kept.
func (c *answerCache) get(idx *readmodel.Index, key string) *cachedAnswer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx != idx {
		return nil
	}
	return c.entries[key]
}

// put keeps an answer computed on idx, when idx is still the current model
// (an answer that took long may have been computed on a replaced one). The
// entries of an older model are dropped, and when the cache is full entries
// leave in map order (arbitrary) until the new one fits.
func (c *answerCache) put(idx, current *readmodel.Index, key string, a *cachedAnswer) {
	n := len(key) + len(a.body)
	if idx != current || n > c.max/16 {
		return // one answer may not take over the cache
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.idx != idx {
		c.idx, c.entries, c.size = idx, map[string]*cachedAnswer{}, 0
	}
	if old := c.entries[key]; old != nil {
		c.size -= len(key) + len(old.body)
	}
	for k, e := range c.entries {
		if c.size+n <= c.max {
			break
		}
		delete(c.entries, k)
		c.size -= len(k) + len(e.body)
	}
	c.entries[key] = a
	c.size += n
}

// middleware serves a route's answers from the cache. The route's handler
// runs on a miss with its output captured; the cache writes every answer of
// its routes itself, compressed when the client accepts gzip (the server's
// gzip middleware skips these routes).
func (c *answerCache) middleware(s *Server) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(ec echo.Context) error {
			req := ec.Request()
			idx := s.snapshot(ec)
			key := req.URL.RequestURI()
			fresh := strings.Contains(req.Header.Get("Cache-Control"), "no-cache")
			if !fresh && c.max > 0 {
				if a := c.get(idx, key); a != nil {
					return a.write(ec, "hit")
				}
			}
			res := ec.Response()
			orig := res.Writer
			cw := &captureWriter{header: http.Header{}, status: http.StatusOK}
			res.Writer = cw
			err := next(ec)
			res.Writer = orig
			if !cw.wrote {
				return err // nothing written: the error handler answers
			}
			a := &cachedAnswer{status: cw.status, header: cw.header, body: cw.buf.Bytes()}
			if err == nil && a.status == http.StatusOK && c.max > 0 {
				c.put(idx, s.graphStore().Index(), key, a)
			}
			a.send(ec, orig, "miss")
			return err
		}
	}
}

// skipGzip tells the gzip middleware to leave the cache's routes alone.
func (c *answerCache) skipGzip(ec echo.Context) bool { return c.routes[ec.Path()] }

// write answers from the cache through echo's response, so the logs and
// metrics see the status.
func (a *cachedAnswer) write(ec echo.Context, how string) error {
	body, gz := a.encoded(ec.Request())
	h := ec.Response().Header()
	a.setHeaders(h, how, gz, len(body))
	ec.Response().WriteHeader(a.status)
	_, err := ec.Response().Write(body)
	return err
}

// send writes a freshly computed answer to w, the writer the handler's
// output was captured from (echo's response already holds its status).
func (a *cachedAnswer) send(ec echo.Context, w http.ResponseWriter, how string) {
	body, gz := a.encoded(ec.Request())
	a.setHeaders(w.Header(), how, gz, len(body))
	w.WriteHeader(a.status)
	w.Write(body)
}

func (a *cachedAnswer) setHeaders(h http.Header, how string, gz bool, n int) {
	for k, v := range a.header {
		h[k] = v
	}
	h.Set("X-Chainkg-Cache", how)
	h.Add("Vary", "Accept-Encoding")
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(n))
}

// encoded returns the body in the form the request accepts.
func (a *cachedAnswer) encoded(req *http.Request) ([]byte, bool) {
	if len(a.body) < gzipMinLength || !strings.Contains(req.Header.Get("Accept-Encoding"), "gzip") {
		return a.body, false
	}
	a.gzOnce.Do(func() {
		var b bytes.Buffer
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&b)
		zw.Write(a.body)
		zw.Close()
		gzipWriters.Put(zw)
		a.gz = b.Bytes()
	})
	return a.gz, true
}

// The server's compression, for the gzip middleware and the cache alike:
// level 1, answers under 1 KB left as they are. The cache's answers (the
// analytics, tens of KB at a million firms) are compressed with
// klauspost/compress's gzip, about twice as fast as the standard library's
// at this level (it made half a computed chain map's CPU at 1M firms); the
// module is already in the build, through Prometheus's client.
const (
	gzipLevel     = gzip.BestSpeed
	gzipMinLength = 1024
)

// gzipWriters are reused: a new writer allocates ~800 KB of deflate state.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return zw
}}

// captureWriter keeps what a handler writes.
type captureWriter struct {
	header http.Header
	status int
	buf    bytes.Buffer
	wrote  bool
}

func (w *captureWriter) Header() http.Header { return w.header }

func (w *captureWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
}

func (w *captureWriter) Write(p []byte) (int, error) {
	w.wrote = true
	return w.buf.Write(p)
}
