package graph

import (
	"reflect"
	"strings"
	"testing"

	"time"

	"github.com/cayleygraph/quad"
)

func leadFixture(t *testing.T) Lead {
	t.Helper()
	at := time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
	l, err := NewLead("7", "91370600000000001X", "370600", "ev", "ev/anode", "yt-eda", "张三", "从招商目标表加入", "", "writer·ab12", at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewLead("8", "91370600000000001X", "370600", "ev", "", "", "", "", "2025-03-02", "w", at); err == nil {
		t.Error("a lead dated after the day it was made")
	}
	return l
}

// decodeLead runs a lead's quads through LeadMerge, as the read model does.
func decodeLead(t *testing.T, l Lead) Lead {
	t.Helper()
	m := LeadMerge{Lead: Lead{ID: l.ID}}
	for _, q := range Encode(nil, l) {
		kind, rest := ParseIRI(IRIOf(q.Subject))
		if kind != EntityLead {
			t.Fatalf("subject %v is not a lead's", q.Subject)
		}
		_, ev, ok := LeadSubject(rest)
		if !ok {
			t.Fatalf("subject %v: not a lead or event", q.Subject)
		}
		m.Add(ev, q)
	}
	got, ok := m.Result()
	if !ok {
		t.Fatal("no lead decoded")
	}
	return got
}

func TestLeadRoundTripKeepsHistory(t *testing.T) {
	l := leadFixture(t)
	l, err := l.Apply(LeadUpdate{Status: LeadVisited, Date: "2025-03-10", Note: "见了\t总经理"}, "writer·cd34", time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	next := "2025-04-01"
	if l, err = l.Apply(LeadUpdate{Next: &next}, "admin·ef56", time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	got := decodeLead(t, l)
	if !reflect.DeepEqual(got, l) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, l)
	}
	if len(got.History) != 3 || got.History[1].By != "writer·cd34" || got.History[2].By != "admin·ef56" {
		t.Fatalf("history %+v", got.History)
	}
	want := []LeadChange{{LeadFieldStatus, "待接触", "已拜访"}, {LeadFieldDate, "2025-03-01", "2025-03-10"}}
	if !reflect.DeepEqual(got.History[1].Changes, want) {
		t.Errorf("changes %+v, want %+v", got.History[1].Changes, want)
	}
}

func TestLeadApplyRules(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 4, 0, 0, 0, time.UTC) }
	base := leadFixture(t) // 待接触 on 2025-03-01
	signed, err := base.Apply(LeadUpdate{Status: LeadSigned, Date: "2025-03-05"}, "w", day(6))
	if err != nil {
		t.Fatal(err)
	}
	landed, err := signed.Apply(LeadUpdate{Status: LeadLanded}, "w", day(8))
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := landed.LandedOn(); !ok || d != "2025-03-08" {
		t.Errorf("landed on %q %v, want the day of the change 2025-03-08", d, ok)
	}
	dropped, err := signed.Apply(LeadUpdate{Status: LeadDropped}, "w", day(9))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		from Lead
		u    LeadUpdate
		at   time.Time
		want string // "" for success, else a part of the error
	}{
		{"skip steps forward", base, LeadUpdate{Status: LeadNegotiating}, day(2), ""},
		{"back is refused", signed, LeadUpdate{Status: LeadContacted}, day(7), "moves forward"},
		{"landed is final", landed, LeadUpdate{Status: LeadDropped}, day(9), "final"},
		{"reopen a dropped lead", dropped, LeadUpdate{Status: LeadContacted}, day(10), ""},
		{"date in the future", base, LeadUpdate{Status: LeadContacted, Date: "2025-03-20"}, day(10), "after today"},
		{"date before the last status", signed, LeadUpdate{Status: LeadLanded, Date: "2025-03-02"}, day(10), "before 2025-03-05"},
		{"correcting a date before the previous status", signed, LeadUpdate{Date: "2025-02-20"}, day(10), "previous status"},
		{"correcting a date", signed, LeadUpdate{Date: "2025-03-04"}, day(10), ""},
		{"bad date", base, LeadUpdate{Status: LeadContacted, Date: "2025/03/02"}, day(10), "YYYY-MM-DD"},
		{"unknown status", base, LeadUpdate{Status: "已见面"}, day(10), "want one of"},
		{"nothing to change", base, LeadUpdate{}, day(10), "changes nothing"},
		{"a note alone", base, LeadUpdate{Note: "电话未接"}, day(10), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.from.Apply(tc.u, "w", tc.at)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			case tc.want == "" && len(got.History) != len(tc.from.History)+1:
				t.Errorf("history has %d events, want %d", len(got.History), len(tc.from.History)+1)
			case tc.want != "" && len(tc.from.History) != len(got.History):
				t.Errorf("a refused update changed the history")
			}
		})
	}
	r := landed.Reached()
	want := map[LeadStatus]string{LeadNew: "2025-03-01", LeadSigned: "2025-03-05", LeadLanded: "2025-03-08"}
	if !reflect.DeepEqual(r, want) {
		t.Errorf("reached %v, want %v", r, want)
	}
}

func TestParseLeadID(t *testing.T) {
	for s, ok := range map[string]bool{"1": true, "120": true, "0": false, "012": false, "-3": false, "a": false, "": false} {
		if _, err := ParseLeadID(s); (err == nil) != ok {
			t.Errorf("ParseLeadID(%q) error %v, want ok %v", s, err, ok)
		}
	}
}

// TestLeadMergeReportsBadValues: a stored time that is not a time and a
// change without its four parts are reported, not read as the zero time or
// dropped in silence.
func TestLeadMergeReportsBadValues(t *testing.T) {
	var m LeadMerge
	m.Add(0, quad.Quad{Predicate: PredCreatedAt, Object: quad.String("昨天")})
	m.Add(1, quad.Quad{Predicate: PredEventAt, Object: quad.String("2025-13-40")})
	m.Add(1, quad.Quad{Predicate: PredEventChange, Object: quad.String("status\t待接触")})
	m.Add(1, quad.Quad{Predicate: PredEventAt, Object: quad.String("2025-06-01T08:00:00Z")})
	if len(m.Bad) != 3 {
		t.Errorf("%d bad values reported, want 3: %v", len(m.Bad), m.Bad)
	}
}
