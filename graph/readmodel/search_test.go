package readmodel

import (
	"cmp"
	"fmt"
	"slices"
	"testing"

	"github.com/chainkg/chainkg/graph"
)

// TestSearchFirmsMatchesBruteForce ranks every firm of a store by nameScore
// and checks that searchFirms — posting lists, the all-grams shortcut, the
// two-rarest-grams union — gives the same page, for queries that are common
// words (thousands of names), rare ones, typos and prefixes.
func TestSearchFirmsMatchesBruteForce(t *testing.T) {
	s := openTestStore(t, "mem:")
	places := []string{"烟台", "济南", "苏州", "青岛", "武汉", "深圳"}
	words := []string{"新能源科技", "华鑫电子", "恒通机械", "新材料", "能源装备", "科技发展"}
	kinds := []string{"有限公司", "股份有限公司", "集团有限公司"}
	var facts []graph.Fact
	for i := range 3000 {
		name := places[i%6] + words[(i/6)%6] + kinds[(i/36)%3]
		if i%7 == 0 {
			name = places[(i/7)%6] + fmt.Sprintf("第%d", i) + words[i%6] + kinds[0]
		}
		facts = append(facts, graph.Firm{ID: graph.FirmID(syntheticCode(i + 1)), Name: name, Region: "370600", Capital: float64(i%97 + 1)})
	}
	mustReplace(t, s, graph.Source{ID: "registry/names", Kind: graph.KindRegistry}, facts...)
	x := s.Index()
	si := &x.an.search
	for _, q := range []string{"新能源科技", "烟台华鑫", "苏州恒通机械", "新能源", "能源科", "华鑫电", "烟台新能原科技", "第700", "青岛", "集团"} {
		query := normName(q)
		type ranked struct {
			fi    int32
			score float64
		}
		var all []ranked
		for fi := range x.firms {
			best := 0.0
			for k := si.formAt[fi]; k < si.formAt[fi+1]; k++ {
				best = max(best, nameScore(query, si.forms[k]))
			}
			if best > 0 {
				all = append(all, ranked{int32(fi), best})
			}
		}
		slices.SortFunc(all, func(a, b ranked) int {
			return cmp.Or(compareFloat(b.score, a.score), compareFloat(x.firms[b.fi].size(), x.firms[a.fi].size()), cmp.Compare(a.fi, b.fi))
		})
		got := x.searchFirms(query, q, 20)
		if len(got) != min(20, len(all)) {
			t.Errorf("%s: %d hits, brute force %d", q, len(got), min(20, len(all)))
			continue
		}
		for i, h := range got {
			if want := x.firms[all[i].fi]; h.ID != string(want.ID) || h.Score != all[i].score {
				t.Errorf("%s: hit %d is %s (%.2f), brute force %s (%.2f)", q, i, h.Name, h.Score, want.Name, all[i].score)
				break
			}
		}
	}
}
