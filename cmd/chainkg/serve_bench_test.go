package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chainkg/chainkg/api"
)

// BenchmarkChainMapHTTP serves the chain map of 烟台市 × 新能源汽车 on the
// default data through the whole handler stack (logging, metrics, JSON,
// gzip as browsers and Go clients ask for it), from parallel clients: the
// cost per request that sets the server's throughput, with the answer
// computed (Cache-Control: no-cache) and kept from an earlier request.
//
//	go test ./cmd/chainkg -run '^$' -bench ChainMapHTTP -benchmem
func BenchmarkChainMapHTTP(b *testing.B) {
	s := api.New(api.Config{})
	s.SetStore(defaultStore(b))
	h := s.Handler()
	for _, c := range []struct{ name, enc, cache string }{
		{"computed/gzip", "gzip", "no-cache"}, {"computed/identity", "identity", "no-cache"},
		{"kept/gzip", "gzip", ""}, {"kept/identity", "identity", ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("GET", "/api/v1/regions/370600/chains/nev/map", nil)
					req.Header.Set("Accept-Encoding", c.enc)
					req.Header.Set("Cache-Control", c.cache)
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("%d %s", rec.Code, rec.Body)
					}
				}
			})
		})
	}
}
