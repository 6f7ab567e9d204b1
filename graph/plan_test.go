package graph

import (
	"reflect"
	"slices"
	"testing"

	"github.com/cayleygraph/quad"
)

func TestPlanPartID(t *testing.T) {
	for _, id := range []PlanPartID{
		{Plan: "jinan-14th"},
		{Plan: "jinan-14th", Kind: PartEvidence, N: 0},
		{Plan: "jinan-14th", Kind: PartIndustry, N: 12},
		{Plan: "p", Kind: PartConflict, N: 3},
	} {
		got, ok := ParsePlanPart(string(id.IRI()))
		if !ok || got != id {
			t.Errorf("ParsePlanPart(%s) = %+v, %v; want %+v", id.IRI(), got, ok, id)
		}
	}
	for _, iri := range []string{
		prefixPlan + "p/industry",     // no number
		prefixPlan + "p/industry/x",   // not a number
		prefixPlan + "p/industry/-1",  // negative
		prefixPlan + "p/industry/01",  // not the form IRI writes
		prefixPlan + "p/widget/1",     // no such kind
		prefixPlan + "p/industry/1/2", // too deep
		prefixPlan,                    // no plan
		prefixFirm + "p/industry/1",   // another class
	} {
		if got, ok := ParsePlanPart(iri); ok {
			t.Errorf("ParsePlanPart(%s) = %+v, want not ok", iri, got)
		}
	}
}

// decodePlan feeds a plan's quads to a PlanMerge, last first, so the
// decoder cannot rely on the order they were written in.
func decodePlan(t *testing.T, qs []quad.Quad, rank int8) *PlanMerge {
	t.Helper()
	m := &PlanMerge{}
	for _, q := range slices.Backward(qs) {
		if !m.Add(q, rank, "plan/p") {
			t.Errorf("quad not decoded: %v", q)
		}
	}
	return m
}

// TestPlanCodecRoundTrip writes a plan with a part of every kind and reads
// it back: what is written is what is read.
func TestPlanCodecRoundTrip(t *testing.T) {
	v := 1700.0
	ev := func(n int, quote string) *Evidence {
		return &Evidence{Plan: "p", N: n, Text: "句子" + quote + "。", Start: 2 * n, End: 2*n + 2, Quote: quote, NormStart: n, NormEnd: n + 2}
	}
	plan := Plan{ID: "p", Title: "某市产业规划", Issuer: "某市工信局", Published: "2021-06", Period: "2021-2025",
		Region: "370600", RegionMethod: "named", Document: "p.txt", Text: "原文", NormText: "规范文本"}
	want := PlanParts{
		Designations: []Designation{
			{Plan: "p", N: 0, Name: "纺织服装", Role: RoleTraditional, Note: "含箱包皮具", Evidence: ev(0, "纺织服装"),
				Chains: []ChainLink{{Chain: "textile", Method: "crosswalk", Confidence: 0.9}}},
			{Plan: "p", N: 1, Name: "新能源汽车", Role: RoleChain, Evidence: ev(1, "新能源汽车")},
		},
		Clusters:   []Cluster{{Plan: "p", N: 0, Name: "新材料", Level: "provincial", Note: "国家级", Evidence: ev(2, "新材料")}},
		Indicators: []Indicator{{Plan: "p", N: 0, Metric: "5G基站", Value: &v, Unit: "个", Comparator: ">=", Year: 2025, Kind: "target", Evidence: ev(3, "5G基站")}, {Plan: "p", N: 1, Metric: "绿色工厂", Unit: "家", Kind: "target", Note: "数字缺失", Evidence: ev(4, "绿色工厂")}},
		Mentions: []Mention{
			{Plan: "p", N: 0, Kind: MentionPark, Name: "中国算谷", ParkKind: "谷", Park: "suangu", Method: "name", Confidence: 1, Evidence: ev(5, "中国算谷")},
			{Plan: "p", N: 1, Kind: MentionFirm, Name: "中集", Method: "unresolved"},
		},
		CountedGroups: []CountedGroup{
			{Plan: "p", N: 0, Text: "7个未来产业", Stated: 7, Listed: 2, Items: []string{"量子信息", "区块链"}, Role: "future", Open: true, Evidence: ev(6, "7个未来产业")},
			{Plan: "p", N: 1, Text: "9个未来产业", Stated: 9, Role: "future", Evidence: ev(7, "9个未来产业")},
		},
		Conflicts: []Conflict{{Plan: "p", N: 0, Kind: "count", Text: "7 and 9", Groups: []int{0, 1}}},
	}
	var qs []quad.Quad
	qs = Encode(qs, plan)
	for _, f := range want.Designations {
		qs = Encode(qs, f)
	}
	for _, f := range want.Clusters {
		qs = Encode(qs, f)
	}
	for _, f := range want.Indicators {
		qs = Encode(qs, f)
	}
	for _, f := range want.Mentions {
		qs = Encode(qs, f)
	}
	for _, f := range want.CountedGroups {
		qs = Encode(qs, f)
	}
	for _, f := range want.Conflicts {
		qs = Encode(qs, f)
	}
	want.Evidence = make([]Evidence, 8)
	for _, e := range []*Evidence{want.Designations[0].Evidence, want.Designations[1].Evidence, want.Clusters[0].Evidence,
		want.Indicators[0].Evidence, want.Indicators[1].Evidence, want.Mentions[0].Evidence,
		want.CountedGroups[0].Evidence, want.CountedGroups[1].Evidence} {
		want.Evidence[e.N] = *e
	}

	m := decodePlan(t, qs, 1)
	if got := m.Plan(); got != plan {
		t.Errorf("plan = %+v, want %+v", got, plan)
	}
	if m.Source != "plan/p" || m.Correction() != nil || len(m.Bad) != 0 {
		t.Errorf("source %q, correction %+v, bad %v", m.Source, m.Correction(), m.Bad)
	}
	if got := m.Parts(); !reflect.DeepEqual(got, want) {
		t.Errorf("parts =\n%+v\nwant\n%+v", got, want)
	}
	if got := m.Parts(); !got.CountedGroups[0].Mismatch() || got.CountedGroups[1].Mismatch() {
		t.Error("7 stated, 2 listed is a mismatch; 9 stated, none listed is not")
	}
}

// TestChainLinkStored: a link is one typed value; a store written before
// typed values holds "chain\tmethod\tconfidence", which still reads; a
// value of neither form is reported, not read as a link.
func TestChainLinkStored(t *testing.T) {
	d := Designation{Plan: "p", N: 0, Name: "高端装备", Chains: []ChainLink{{Chain: "equip", Method: "crosswalk", Confidence: 0.8333}}}
	qs := Encode(nil, d)
	var typed int
	for _, q := range qs {
		if ts, ok := q.Object.(quad.TypedString); ok && ts.Type == TypeChainLink {
			typed++
			if q.Predicate != PredMethod {
				t.Errorf("typed value under %v", q.Predicate)
			}
		}
	}
	if typed != 1 {
		t.Fatalf("%d typed chain links in %v, want 1", typed, qs)
	}
	s := PlanPartID{d.Plan, PartIndustry, 0}.IRI()
	tests := []struct {
		name    string
		quads   []quad.Quad
		want    []ChainLink
		wantBad int
	}{
		{"typed", qs, []ChainLink{{Chain: "equip", Method: "crosswalk", Confidence: 0.833}}, 0},
		{"tab-joined", []quad.Quad{
			{Subject: s, Predicate: PredName, Object: quad.String("高端装备")},
			{Subject: s, Predicate: PredChain, Object: ChainID("equip").IRI()},
			{Subject: s, Predicate: PredMethod, Object: quad.String("equip\tcrosswalk\t0.833")},
		}, []ChainLink{{Chain: "equip", Method: "crosswalk", Confidence: 0.833}}, 0},
		{"damaged", []quad.Quad{
			{Subject: s, Predicate: PredName, Object: quad.String("高端装备")},
			{Subject: s, Predicate: PredMethod, Object: quad.TypedString{Value: "{not json", Type: TypeChainLink}},
			{Subject: s, Predicate: PredMethod, Object: quad.String("equip crosswalk")},
		}, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodePlan(t, tt.quads, 1)
			got := m.Parts().Designations
			if len(got) != 1 || !slices.Equal(got[0].Chains, tt.want) || len(m.Bad) != tt.wantBad {
				t.Errorf("designations %+v, bad %v; want links %+v and %d bad", got, m.Bad, tt.want, tt.wantBad)
			}
		})
	}
}

// TestPlanCorrectionWins: a writer's correction (an override, rank 0)
// outranks the plan's text whatever the order, and is kept as such.
func TestPlanCorrectionWins(t *testing.T) {
	plan := Encode(nil, Plan{ID: "p", Title: "读出的标题", Region: "370000", RegionMethod: "context", Document: "p.txt"})
	corr := Encode(nil, PlanCorrection{Plan: "p", Region: "370600", Title: "正确的标题", Note: "人工校正"})
	for _, order := range []string{"plan first", "correction first"} {
		t.Run(order, func(t *testing.T) {
			m := &PlanMerge{}
			add := func(qs []quad.Quad, rank int8, src SourceID) {
				for _, q := range qs {
					m.Add(q, rank, src)
				}
			}
			if order == "plan first" {
				add(plan, 1, "plan/p")
				add(corr, 0, "override/x")
			} else {
				add(corr, 0, "override/x")
				add(plan, 1, "plan/p")
			}
			p := m.Plan()
			if p.Title != "正确的标题" || p.Region != "370600" || p.RegionMethod != "given" || p.Document != "p.txt" {
				t.Errorf("plan = %+v", p)
			}
			want := &PlanCorrection{Plan: "p", Region: "370600", Title: "正确的标题", Note: "人工校正"}
			if got := m.Correction(); !reflect.DeepEqual(got, want) {
				t.Errorf("correction = %+v, want %+v", got, want)
			}
			if m.Source != "plan/p" {
				t.Errorf("source = %q, want the plan's own", m.Source)
			}
		})
	}
}

// TestPlanBadValues: a stored number that does not parse, or evidence that
// names no evidence of the plan, is reported and left out, not read as 0.
func TestPlanBadValues(t *testing.T) {
	s := PlanPartID{"p", PartIndicator, 0}.IRI()
	e := PlanPartID{"p", PartEvidence, 0}.IRI()
	m := decodePlan(t, []quad.Quad{
		{Subject: s, Predicate: PredMetric, Object: quad.String("产值")},
		{Subject: s, Predicate: PredValue, Object: quad.String("一千")},
		{Subject: s, Predicate: PredYear, Object: quad.Float(2025.5)},
		{Subject: s, Predicate: PredEvidence, Object: PlanPartID{"q", PartEvidence, 0}.IRI()},
		{Subject: e, Predicate: PredStart, Object: quad.String("x")},
	}, 1)
	got := m.Parts()
	if len(m.Bad) != 4 {
		t.Errorf("bad = %v, want 4", m.Bad)
	}
	if in := got.Indicators[0]; in.Value != nil || in.Year != 0 || in.Evidence != nil || in.Metric != "产值" {
		t.Errorf("indicator = %+v: want the metric only", in)
	}
}
