package loaders

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
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

// ev numbers a fact's evidence within the plan; nil stays nil.
func (b *planBuilder) ev(e *graph.Evidence) *graph.Evidence {
	if e == nil {
		return nil
	}
	v := *e
	v.Plan, v.N = b.id, b.evN
	b.evN++
	if v.Text == "" {
		v.Text = v.Quote // plan facts shipped without the plan's sentences
	}
	return &v
}

// planFacts turns an extracted document into graph facts, linking them
// through the read model, and tells the report what was linked and what
// was left unresolved. Facts are numbered, and their evidence, in the
// order of the document's lists.
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
	b.designations(doc, l, rep)
	b.indicators(doc, rep)
	b.mentions(doc, plan, l, lk.Firms, rep)
	b.groups(doc, rep)
	rep.Rows = len(doc.Industries) + len(doc.Chains) + len(doc.Clusters) + len(doc.Indicators) + len(doc.MissingValues) +
		len(doc.Parks) + len(doc.Firms) + len(doc.CountedGroups) + len(doc.Conflicts)
	rep.Loaded = rep.Rows
	return b.facts
}

// designations adds the plan's industries and chains (one numbering) and
// its clusters, each linked to the chains its words land on.
func (b *planBuilder) designations(doc *plandoc.Document, l *linker, rep *Report) {
	n := 0
	for _, list := range []struct {
		what string
		des  []graph.Designation
	}{{"industry", doc.Industries}, {"chain", doc.Chains}} {
		for _, d := range list.des {
			d.Plan, d.N, d.Chains, d.Evidence = b.id, n, l.chains(d.Name), b.ev(d.Evidence)
			b.facts = append(b.facts, d)
			n++
			rep.Count(list.what, 1)
			l.tally(rep, list.what, d.Name, len(d.Chains) > 0)
		}
	}
	for i, c := range doc.Clusters {
		c.Plan, c.N, c.Chains, c.Evidence = b.id, i, l.chains(c.Name), b.ev(c.Evidence)
		b.facts = append(b.facts, c)
		rep.Count("cluster", 1)
		l.tally(rep, "cluster", c.Name, len(c.Chains) > 0)
	}
}

// indicators adds the plan's indicators, those whose number the page lost
// last.
func (b *planBuilder) indicators(doc *plandoc.Document, rep *Report) {
	for n, in := range slices.Concat(doc.Indicators, doc.MissingValues) {
		in.Plan, in.N, in.Evidence = b.id, n, b.ev(in.Evidence)
		b.facts = append(b.facts, in)
		if in.Value == nil {
			rep.Count("indicator without a value (lost from the page)", 1)
		} else {
			rep.Count("indicator", 1)
		}
	}
}

// mentions adds the parks and firms the plan names (one numbering),
// resolved where they can be, and the firms it places in its region.
func (b *planBuilder) mentions(doc *plandoc.Document, plan graph.Plan, l *linker, firms Firms, rep *Report) {
	n := 0
	for _, m := range doc.Parks {
		m.Plan, m.N, m.Kind, m.Evidence = b.id, n, graph.MentionPark, b.ev(m.Evidence)
		m.Park, m.Method, m.Confidence = l.park(m.Name)
		b.facts = append(b.facts, m)
		n++
		rep.Count("park", 1)
		l.tally(rep, "park", m.Name, m.Park != "")
	}
	for _, m := range doc.Firms {
		m.Plan, m.N, m.Kind, m.Evidence = b.id, n, graph.MentionFirm, b.ev(m.Evidence)
		m.Firm, m.Method, m.Confidence = l.firm(m.Name)
		if fact, ok := planFirm(b.id, n, m, plan, firms, rep); ok {
			m.Firm = fact.ID
			if m.Method == "unresolved" {
				m.Method, m.Confidence = methodNamedInPlan, 1
			}
			b.facts = append(b.facts, fact)
		}
		b.facts = append(b.facts, m)
		n++
		rep.Count("firm", 1)
		l.tally(rep, "firm", m.Name, m.Firm != "")
	}
}

// groups adds the groups the plan counts and where its counts disagree;
// a closed list with other than the stated number of items is a warning.
func (b *planBuilder) groups(doc *plandoc.Document, rep *Report) {
	for i, g := range doc.CountedGroups {
		g.Plan, g.N, g.Evidence = b.id, i, b.ev(g.Evidence)
		b.facts = append(b.facts, g)
		rep.Count("counted group", 1)
		if g.Mismatch() && !g.Open {
			rep.Warn(0, "counted group", fmt.Errorf("%s: %d stated, %d listed", g.Text, g.Stated, g.Listed))
		}
	}
	for i, c := range doc.Conflicts {
		c.Plan, c.N = b.id, i
		b.facts = append(b.facts, c)
		rep.Count("conflict", 1)
		rep.Warn(0, "conflict", errors.New(c.Text))
	}
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
