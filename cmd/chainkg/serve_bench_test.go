package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/graph/store"
)

// BenchmarkChainMapHTTP serves the chain map of 烟台市 × 新能源汽车 on the
// default data through the whole handler stack (logging, metrics, JSON,
// gzip as browsers and Go clients ask for it), from parallel clients: the
// cost per request that sets the server's throughput, with the answer
// computed (Cache-Control: no-cache) and kept from an earlier request.
// CHAINKG_BENCH_STORE names another store to serve it from (a bbolt store
// of a million synthetic firms, whose answer is ~50 KB):
//
//	go test ./cmd/chainkg -run '^$' -bench ChainMapHTTP -benchmem
//	CHAINKG_BENCH_STORE=bbolt:/tmp/kg1m go test ./cmd/chainkg -run '^$' -bench ChainMapHTTP/computed -cpuprofile cpu.out
func BenchmarkChainMapHTTP(b *testing.B) {
	s := api.New(api.Config{})
	if url := os.Getenv("CHAINKG_BENCH_STORE"); url != "" {
		st, err := store.Open(context.Background(), url, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		s.SetStore(st)
	} else {
		s.SetStore(defaultStore(b))
	}
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
