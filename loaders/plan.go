package loaders

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/loaders/plandoc"
)

// ReadPlan reads a plan document (.txt, .md, .html, .docx or a PDF with a
// text layer), extracts its facts with plandoc, links them to what is
// loaded — industries and clusters to chains through the crosswalk, parks
// to parks, firms to registry firms, the plan to its region — and puts them
// as one plan with its evidence. It reads in.R and in.File; in.Region is
// the plan's region when the user gives it, and wins over the text. It
// resolves against in.Regions, in.Chains, in.Parks and in.Firms; with no
// lookups nothing is linked.
func ReadPlan(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	file := in.File
	rep := &Report{File: file}
	t, err := plandoc.Read(in.R, file)
	if err != nil {
		if errors.Is(err, plandoc.ErrNoText) || errors.Is(err, plandoc.ErrFormat) {
			return rep, &ParseError{File: file, Err: fmt.Errorf("%w: %w", ErrRejected, err)}
		}
		return rep, err
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	opt := plandoc.Options{Region: in.Region}
	if in.Regions != nil {
		opt.Regions = in.Regions
	}
	doc, err := plandoc.Extract(t, opt)
	if err != nil {
		return rep, err
	}
	id, err := graph.ParsePlanID(graph.Slugify(file))
	if err != nil {
		return rep, err
	}
	facts := planFacts(id, doc, in.Lookups, rep)
	if pl, ok := facts[0].(graph.Plan); ok {
		pl.Text, pl.NormText = t.Raw, doc.NormText
		facts[0] = pl
	}
	if err := sink.Put(facts...); err != nil {
		return rep, err
	}
	return rep, nil
}

// planBuilder numbers a plan's facts and their evidence.
type planBuilder struct {
	id    graph.PlanID
	facts []graph.Fact
	evN   int
}

func (b *planBuilder) ev(e plandoc.Evidence) *graph.Evidence {
	n := b.evN
	b.evN++
	text := e.Sentence
	if text == "" {
		text = e.Text // plan facts shipped without the plan's sentences
	}
	return &graph.Evidence{Plan: b.id, N: n, Text: text, Start: e.Start, End: e.End, Quote: e.Text,
		NormStart: e.NormStart, NormEnd: e.NormEnd}
}

// planFacts turns an extracted document into graph facts, linking them
// through the read model, and tells the report what was linked and what
// was left unresolved.
func planFacts(id graph.PlanID, doc *plandoc.Document, lk Lookups, rep *Report) []graph.Fact {
	b := &planBuilder{id: id}
	plan := graph.Plan{ID: id, Title: doc.Title, Issuer: doc.Issuer, Published: doc.Published, Period: doc.Period, Document: doc.Document}
	if doc.Region != nil {
		plan.Region, plan.RegionMethod = doc.Region.Code, doc.Region.Method
	} else {
		rep.Warn(0, "region", errors.New("the text does not say which region the plan is for; load it with --region CODE"))
	}
	b.facts = append(b.facts, plan)
	for _, n := range doc.Notes {
		if !strings.Contains(n, "region") {
			rep.Warn(0, "document", errors.New(n))
		}
	}
	l := newLinker(lk, plan.Region)

	n := 0
	for _, in := range doc.Industries {
		chains := l.chains(in.Name)
		b.facts = append(b.facts, graph.Designation{Plan: id, N: n, Name: in.Name, Role: in.Role, Chains: chains, Evidence: b.ev(in.Evidence)})
		n++
		rep.Count("industry", 1)
		l.tally(rep, "industry", in.Name, len(chains) > 0)
	}
	for _, c := range doc.Chains {
		chains := l.chains(c.Name)
		b.facts = append(b.facts, graph.Designation{Plan: id, N: n, Name: c.Name, Role: graph.RoleChain, Chains: chains, Evidence: b.ev(c.Evidence)})
		n++
		rep.Count("chain", 1)
		l.tally(rep, "chain", c.Name, len(chains) > 0)
	}
	for i, c := range doc.Clusters {
		chains := l.chains(c.Name)
		b.facts = append(b.facts, graph.Cluster{Plan: id, N: i, Name: c.Name, Level: c.Level, Chains: chains, Evidence: b.ev(c.Evidence)})
		rep.Count("cluster", 1)
		l.tally(rep, "cluster", c.Name, len(chains) > 0)
	}
	n = 0
	for _, list := range [][]plandoc.Indicator{doc.Indicators, doc.MissingValues} {
		for _, in := range list {
			b.facts = append(b.facts, graph.Indicator{Plan: id, N: n, Metric: in.Metric, Value: in.Value, Unit: in.Unit,
				Comparator: in.Comparator, Year: in.Year, Kind: in.Kind, Evidence: b.ev(in.Evidence)})
			n++
			if in.Value == nil {
				rep.Count("indicator without a value (lost from the page)", 1)
			} else {
				rep.Count("indicator", 1)
			}
		}
	}
	n = 0
	for _, p := range doc.Parks {
		m := graph.Mention{Plan: id, N: n, Kind: "park", Name: p.Name, Evidence: b.ev(p.Evidence)}
		m.Park, m.Method, m.Confidence = l.park(p.Name)
		b.facts = append(b.facts, m)
		n++
		rep.Count("park", 1)
		l.tally(rep, "park", p.Name, m.Park != "")
	}
	for _, f := range doc.Firms {
		m := graph.Mention{Plan: id, N: n, Kind: "firm", Name: f.Name, Evidence: b.ev(f.Evidence)}
		m.Firm, m.Method, m.Confidence = l.firm(f.Name)
		if fact, ok := planFirm(id, n, m, plan, lk.Firms, rep); ok {
			m.Firm = fact.ID
			if m.Method == "unresolved" {
				m.Method, m.Confidence = methodNamedInPlan, 1
			}
			b.facts = append(b.facts, fact)
		}
		b.facts = append(b.facts, m)
		n++
		rep.Count("firm", 1)
		l.tally(rep, "firm", f.Name, m.Firm != "")
	}
	for i, g := range doc.CountedGroups {
		b.facts = append(b.facts, graph.CountedGroup{Plan: id, N: i, Text: g.Text, Stated: g.Stated, Listed: g.Listed,
			Items: g.Items, Role: g.Role, Open: g.Open, Evidence: b.ev(g.Evidence)})
		rep.Count("counted group", 1)
		if g.Mismatch() && !g.Open {
			rep.Warn(0, "counted group", fmt.Errorf("%s: %d stated, %d listed", g.Text, g.Stated, g.Listed))
		}
	}
	for i, c := range doc.Conflicts {
		b.facts = append(b.facts, graph.Conflict{Plan: id, N: i, Kind: c.Kind, Text: c.Text, Groups: c.Groups})
		rep.Count("conflict", 1)
		rep.Warn(0, "conflict", errors.New(c.Text))
	}
	rep.Rows = len(doc.Industries) + len(doc.Chains) + len(doc.Clusters) + len(doc.Indicators) + len(doc.MissingValues) +
		len(doc.Parks) + len(doc.Firms) + len(doc.CountedGroups) + len(doc.Conflicts)
	rep.Loaded = rep.Rows
	return b.facts
}

// methodNamedInPlan is the region method of a firm a plan places in its
// region, and the method of the mention that made the firm.
const methodNamedInPlan = "named-in-plan"

// planFirm places a firm a plan names in the plan's region, as
// placement.go says: a registry firm known only at an ancestor of the
// region is placed in it; a name that resolved to no firm enters as a firm
// of the region, keyed by the plan and the mention. A firm known elsewhere
// is left where it is. It returns the firm fact to write, if any.
func planFirm(id graph.PlanID, n int, m graph.Mention, plan graph.Plan, firms Firms, rep *Report) (graph.Firm, bool) {
	if plan.Region == "" || firms == nil {
		return graph.Firm{}, false
	}
	if m.Firm != "" {
		cur, _ := firms.Firm(m.Firm)
		switch placeFirm(cur.Region, plan.Region) {
		case placeFiner:
			rep.Count("firm placed in the plan's region", 1)
			return graph.Firm{ID: m.Firm, Region: plan.Region, RegionMethod: methodNamedInPlan, RegionAsOf: plan.Published}, true
		case placeElsewhere:
			rep.Warn(0, "firm", fmt.Errorf("%s: the plan of %s names %s, a firm of %s: left there", m.Name, plan.Region, m.Firm, cur.Region))
		}
		return graph.Firm{}, false
	}
	if m.Method == "ambiguous" {
		return graph.Firm{}, false
	}
	fid, err := graph.SurrogateFirmID("plan-" + string(id) + "-firm-" + fmt.Sprint(n))
	if err != nil {
		return graph.Firm{}, false
	}
	rep.Count("firm entered as a firm of the plan's region", 1)
	return graph.Firm{ID: fid, Name: m.Name, Region: plan.Region, RegionMethod: methodNamedInPlan, RegionAsOf: plan.Published}, true
}

// LoadRegionTable loads only the region table of the default data into st:
// what extraction needs to place plans when no store is in use.
func LoadRegionTable(ctx context.Context, st Replacer, fsys fs.FS) error {
	for _, d := range Defaults() {
		if d.Source.ID != RegionsSource {
			continue
		}
		_, err := st.Replace(ctx, d.Source, func(sink graph.FactSink) error {
			_, err := d.read(ctx, fsys, st.Index(), sink)
			return err
		})
		return err
	}
	return fmt.Errorf("loaders: the default data has no region table")
}
