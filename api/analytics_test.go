package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chainkg/chainkg/graph/graphtest"
)

func fixtureServer(t *testing.T) *Server {
	t.Helper()
	s := New(Config{})
	s.SetStore(graphtest.Analytics(t))
	return s
}

func TestAnalyticsEndpoints(t *testing.T) {
	s := fixtureServer(t)

	var m ChainMapResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/map", http.StatusOK, &m)
	if m.Region.Name != "烟台市" || len(m.Nodes) != 6 || m.Leaves != 5 || m.Present != 3 || m.Config["w_scale"] != 0.5 || m.Formula == "" {
		t.Errorf("map = %+v", m)
	}
	// The chain may be named in Chinese.
	var byName ChainMapResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/"+url.PathEscape("电动车")+"/map", http.StatusOK, &byName)
	if byName.Chain.ID != "ev" {
		t.Errorf("chain by name = %+v", byName.Chain)
	}
	// A config override is used and echoed.
	var over ChainMapResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/map?cfg.level_strong=99", http.StatusOK, &over)
	if over.Config["level_strong"] != 99 || over.Levels["优势"] != 0 {
		t.Errorf("override: config %v levels %v", over.Config["level_strong"], over.Levels)
	}

	var g GapsResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/gaps", http.StatusOK, &g)
	if len(g.Gaps) != 2 || g.Gaps[0].Node != "ev/anode" || !strings.Contains(g.Gaps[0].Reason, "空白") || g.Gaps[0].Components["peers"] != 50 {
		t.Errorf("gaps = %+v", g.Gaps)
	}
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/gaps?peers=320500", http.StatusOK, &g)
	if len(g.Peers) != 1 || g.Peers[0].Code != "320500" {
		t.Errorf("explicit peers = %+v", g.Peers)
	}

	var a AnchorsResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/anchors", http.StatusOK, &a)
	if len(a.Anchors) != 1 || a.Anchors[0].Firm.Name != "F2" || !a.Anchors[0].Gate.Passed || len(a.Anchors[0].Components) != 4 {
		t.Errorf("anchors = %+v", a)
	}

	var tg TargetsResponse
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/targets?size=2&sort=score", http.StatusOK, &tg)
	if tg.Total != 4 || len(tg.Targets) != 2 || tg.Targets[0].Firm.Name != "F5" || tg.Targets[0].Park == nil || tg.Targets[0].Reason == "" {
		t.Errorf("targets = %+v", tg)
	}
	getInto(t, s.Handler(), "/api/v1/regions/370600/chains/ev/targets?tags="+url.QueryEscape("专精特新小巨人"), http.StatusOK, &tg)
	if tg.Total != 1 || tg.Targets[0].Firm.Name != "F7" {
		t.Errorf("tag filter = %+v", tg)
	}

	var cr CompareRegionsResponse
	getInto(t, s.Handler(), "/api/v1/compare?chain=ev&regions=370600,370100", http.StatusOK, &cr)
	if len(cr.Regions) != 2 || len(cr.Nodes) != 6 || len(cr.Nodes[0].States) != 2 {
		t.Errorf("compare regions = %+v", cr)
	}
	var cc CompareChainsResponse
	getInto(t, s.Handler(), "/api/v1/compare?region=370600", http.StatusOK, &cc)
	if len(cc.Chains) != 1 || cc.Chains[0].Leaves != 5 {
		t.Errorf("compare chains = %+v", cc)
	}

	var sr SearchResponse
	getInto(t, s.Handler(), "/api/v1/search?q="+url.QueryEscape("负极"), http.StatusOK, &sr)
	if len(sr.Hits) == 0 || sr.Hits[0].ID != "ev/anode" {
		t.Errorf("search = %+v", sr)
	}

	var f FirmResponse
	getInto(t, s.Handler(), "/api/v1/firms/"+graphtest.CreditCode(2), http.StatusOK, &f)
	if f.Name != "F2" || len(f.Nodes) != 1 || f.Nodes[0].Method != "keyword" || f.Nodes[0].Source != "registry/firms" ||
		len(f.RegionPath) != 3 || len(f.Facts) == 0 {
		t.Errorf("firm = %+v", f)
	}

	var p ParkResponse
	getInto(t, s.Handler(), "/api/v1/parks/yt-eda", http.StatusOK, &p)
	if p.Name != "烟台经济技术开发区" || len(p.Chains) != 1 {
		t.Errorf("park = %+v", p)
	}

	var n NodeDetailResponse
	getInto(t, s.Handler(), "/api/v1/nodes/ev/anode", http.StatusOK, &n)
	if n.Name != "负极材料" || n.National != 3 || n.Parent == nil || len(n.SuppliesTo) != 1 || len(n.Provinces) != 2 {
		t.Errorf("node = %+v", n)
	}
}

func TestAnalyticsErrors(t *testing.T) {
	s := fixtureServer(t)
	tests := []struct {
		path   string
		status int
	}{
		{"/api/v1/regions/3706/chains/ev/map", 400},
		{"/api/v1/regions/999900/chains/ev/map", 404},
		{"/api/v1/regions/370600/chains/nope/map", 404},
		{"/api/v1/regions/370600/chains/ev/map?cfg.w_scale=-1", 400},
		{"/api/v1/regions/370600/chains/ev/map?cfg.bogus=1", 400},
		{"/api/v1/regions/370600/chains/ev/gaps?peers=12", 400},
		{"/api/v1/regions/370600/chains/ev/anchors?all=maybe", 400},
		{"/api/v1/regions/370600/chains/ev/targets?size=abc", 400},
		{"/api/v1/regions/370600/chains/ev/targets?size=100000", 400},
		{"/api/v1/regions/370600/chains/ev/targets?status=alive", 400},
		{"/api/v1/regions/370600/chains/ev/targets?sort=random", 400},
		{"/api/v1/regions/370600/chains/ev/targets?province=xx", 400},
		{"/api/v1/compare?chain=ev", 400},
		{"/api/v1/compare?chain=ev&regions=370600,1", 400},
		{"/api/v1/search?q=", 400},
		{"/api/v1/search?q=a&kind=car", 400},
		{"/api/v1/firms/123", 400},
		{"/api/v1/firms/914403001922038216", 404},
		{"/api/v1/parks/NOPE", 400},
		{"/api/v1/parks/nope", 404},
		{"/api/v1/nodes/ev/nope", 404},
	}
	for _, tt := range tests {
		rec := do(t, s.Handler(), "GET", tt.path)
		if rec.Code != tt.status {
			t.Errorf("GET %s = %d, want %d: %s", tt.path, rec.Code, tt.status, rec.Body)
		}
		var p Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Detail == "" {
			t.Errorf("GET %s: not a problem body: %s", tt.path, rec.Body)
		}
	}
}
