package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chainkg/chainkg/api"
	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
)

var update = flag.Bool("update", false, "rewrite the golden files of the analytics on the default data")

var (
	defaultsOnce  sync.Once
	defaultsStore *store.Store
	defaultsErr   error
)

// defaultStore opens one in-memory store with the embedded default data for
// all the tests of this file.
func defaultStore(t testing.TB) *store.Store {
	t.Helper()
	defaultsOnce.Do(func() {
		defaultsStore, defaultsErr = store.Open(context.Background(), "mem:", store.Options{})
		if defaultsErr == nil {
			_, defaultsErr = loaders.LoadDefaults(context.Background(), defaultsStore, data.FS)
		}
	})
	if defaultsErr != nil {
		t.Fatal(defaultsErr)
	}
	return defaultsStore
}

// TestAnalyticsGolden asks the analytics of 烟台市 × 新能源汽车 and 济南市 ×
// 集成电路 on the default data, checks each answer explains itself, and
// compares it with its golden file (go test ./cmd/chainkg -run Golden -update).
func TestAnalyticsGolden(t *testing.T) {
	s := api.New(api.Config{})
	s.SetStore(defaultStore(t))
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, rc := range []struct{ region, chain, name string }{
		{"370600", "新能源汽车", "yantai-nev"},
		{"370100", "集成电路", "jinan-ic"},
	} {
		for _, ep := range []string{"map", "gaps", "anchors?all=true", "targets?size=30"} {
			path := "/api/v1/regions/" + rc.region + "/chains/" + rc.chain + "/" + ep
			resp, err := http.Get(srv.URL + strings.Replace(path, rc.chain, urlEscape(rc.chain), 1))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s %s", path, resp.Status, body)
			}
			name := rc.name + "-" + strings.SplitN(ep, "?", 2)[0] + ".json"
			checkExplained(t, name, body)
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, body, "", "  "); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name)
			if *update {
				if err := os.WriteFile(golden, pretty.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if !bytes.Equal(pretty.Bytes(), want) {
				t.Errorf("%s differs from %s: the default data or the analytics changed; review and rerun with -update", path, golden)
			}
		}
	}
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

// checkExplained holds an answer to what every answer must carry: the
// configuration and formula, a level and score for every node, a reason
// for every gap and target, components for every anchor and target.
func checkExplained(t *testing.T, name string, body []byte) {
	t.Helper()
	var v struct {
		Config  map[string]float64 `json:"config"`
		Formula string             `json:"formula"`
		Nodes   []struct {
			Level string `json:"level"`
			Count int    `json:"local_firms"`
		} `json:"nodes"`
		Gaps []struct {
			Reason     string             `json:"reason"`
			Components map[string]float64 `json:"components"`
		} `json:"gaps"`
		Anchors []struct {
			Components map[string]float64  `json:"components"`
			Gate       struct{ By string } `json:"gate"`
		} `json:"anchors"`
		Targets []struct {
			Reason     string                  `json:"reason"`
			Components map[string]float64      `json:"components"`
			Firm       struct{ Region string } `json:"firm"`
		} `json:"targets"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Config) == 0 || v.Formula == "" {
		t.Errorf("%s: no config or formula", name)
	}
	for i, n := range v.Nodes {
		if n.Level == "" || (n.Count == 0) != (n.Level == "空白" || n.Level == "无数据") {
			t.Errorf("%s: node %d has level %q with %d local firms", name, i, n.Level, n.Count)
		}
	}
	for i, g := range v.Gaps {
		if g.Reason == "" || len(g.Components) != 4 {
			t.Errorf("%s: gap %d does not explain itself", name, i)
		}
	}
	for i, a := range v.Anchors {
		if len(a.Components) != 4 || a.Gate.By == "" {
			t.Errorf("%s: anchor %d does not explain itself", name, i)
		}
	}
	for i, tg := range v.Targets {
		if tg.Reason == "" || len(tg.Components) != 6 {
			t.Errorf("%s: target %d does not explain itself", name, i)
		}
		if strings.HasPrefix(name, "yantai") && strings.HasPrefix(tg.Firm.Region, "3706") ||
			strings.HasPrefix(name, "jinan") && strings.HasPrefix(tg.Firm.Region, "3701") || tg.Firm.Region == "370000" || tg.Firm.Region == "" {
			t.Errorf("%s: target %d is inside the region or may be (%q)", name, i, tg.Firm.Region)
		}
	}
}
