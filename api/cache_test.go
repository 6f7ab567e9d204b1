package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/graphtest"
)

func get(h http.Handler, path string, header ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestAnswerCache: a repeated question is answered from the cache with the
// same bytes; gzip is the same answer compressed; a write to the store is
// seen at once; no-cache recomputes; errors are not kept.
func TestAnswerCache(t *testing.T) {
	st := graphtest.Analytics(t)
	s := New(Config{})
	s.SetStore(st)
	h := s.Handler()
	const path = "/api/v1/regions/370600/chains/ev/map"

	first := get(h, path)
	second := get(h, path)
	if first.Code != 200 || first.Header().Get("X-Chainkg-Cache") != "miss" || second.Header().Get("X-Chainkg-Cache") != "hit" {
		t.Fatalf("cache headers: %d %q then %q", first.Code, first.Header().Get("X-Chainkg-Cache"), second.Header().Get("X-Chainkg-Cache"))
	}
	if !bytes.Equal(first.Body.Bytes(), second.Body.Bytes()) || second.Header().Get("Content-Type") != first.Header().Get("Content-Type") {
		t.Fatalf("the hit differs from the miss")
	}
	zipped := get(h, path, "Accept-Encoding", "gzip")
	if zipped.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding = %q", zipped.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); !bytes.Equal(b, first.Body.Bytes()) {
		t.Fatalf("gzip answer differs from the plain one")
	}
	if rec := get(h, path, "Cache-Control", "no-cache"); rec.Header().Get("X-Chainkg-Cache") != "miss" || !bytes.Equal(rec.Body.Bytes(), first.Body.Bytes()) {
		t.Errorf("no-cache: %q", rec.Header().Get("X-Chainkg-Cache"))
	}

	// A new firm in 烟台 on 正极材料: the next answer counts it.
	local := func(rec *httptest.ResponseRecorder) int {
		var m ChainMapResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		for _, n := range m.Nodes {
			if n.ID == "ev/cathode" {
				return n.Count
			}
		}
		t.Fatal("no ev/cathode in the map")
		return 0
	}
	before := local(first)
	if _, err := st.Replace(context.Background(), graph.Source{ID: "registry/more", Kind: graph.KindRegistry}, graph.Facts(
		graph.Firm{ID: graph.FirmID(graphtest.CreditCode(20)), Name: "F20", Region: "370602", Capital: 100,
			Nodes: []graph.NodeLink{{Node: "ev/cathode", Method: "keyword", Confidence: 1}}},
	)); err != nil {
		t.Fatal(err)
	}
	after := get(h, path)
	if after.Header().Get("X-Chainkg-Cache") != "miss" || local(after) != before+1 {
		t.Errorf("after a write: %q, cathode firms %d, want %d", after.Header().Get("X-Chainkg-Cache"), local(after), before+1)
	}

	// Errors are answered, never kept.
	for range 2 {
		if rec := get(h, "/api/v1/regions/370600/chains/nope/map"); rec.Code != http.StatusNotFound || rec.Header().Get("X-Chainkg-Cache") == "hit" {
			t.Errorf("unknown chain: %d %q", rec.Code, rec.Header().Get("X-Chainkg-Cache"))
		}
	}
}

// TestAnswerCacheBound: the cache never holds more than its bytes, and off
// means off.
func TestAnswerCacheBound(t *testing.T) {
	const bound = 128 << 10
	s := New(Config{CacheBytes: bound})
	s.SetStore(graphtest.Analytics(t))
	h := s.Handler()
	asked := 0
	for i := range 100 {
		rec := get(h, fmt.Sprintf("/api/v1/regions/370600/chains/ev/map?cfg.level_strong=%d", i))
		if rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		asked += rec.Body.Len()
	}
	if asked < 2*bound {
		t.Fatalf("the test asked for %d bytes only", asked)
	}
	if s.cache.size > bound || len(s.cache.entries) < 2 {
		t.Errorf("cache holds %d bytes in %d entries, bound %d", s.cache.size, len(s.cache.entries), bound)
	}
	off := New(Config{CacheBytes: -1})
	off.SetStore(graphtest.Analytics(t))
	get(off.Handler(), "/api/v1/regions/370600/chains/ev/map")
	if rec := get(off.Handler(), "/api/v1/regions/370600/chains/ev/map"); rec.Header().Get("X-Chainkg-Cache") != "miss" || len(off.cache.entries) != 0 {
		t.Errorf("cache off: %q, %d entries", rec.Header().Get("X-Chainkg-Cache"), len(off.cache.entries))
	}
}
