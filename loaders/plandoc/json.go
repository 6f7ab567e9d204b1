package plandoc

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// JSON is a Document as 'chainkg extract' prints it, one object per plan:
// the contract shared/tools/score_extraction.py scores against
// shared/gold, and what the plan-facts loader reads back. The types
// JSON… are its parts. This file is the one place a Document's facts
// (graph's plan types) and this shape meet, both ways: Document.JSON and
// FromJSON.
type (
	JSON struct {
		Document               string             `json:"document"`
		Format                 string             `json:"format"`
		Encoding               string             `json:"encoding"`
		Title                  *string            `json:"title"`
		TitleEvidence          *JSONEvidence      `json:"title_evidence,omitempty"`
		Issuer                 *string            `json:"issuer"`
		IssuerEvidence         *JSONEvidence      `json:"issuer_evidence,omitempty"`
		Published              *string            `json:"published"`
		PageDate               *string            `json:"page_date"`
		Period                 *string            `json:"period"`
		Region                 *JSONRegion        `json:"region"`
		Industries             []JSONIndustry     `json:"industries"`
		Clusters               []JSONCluster      `json:"clusters"`
		Chains                 []JSONNamed        `json:"chains"`
		Parks                  []JSONNamed        `json:"parks"`
		Firms                  []JSONNamed        `json:"firms"`
		Indicators             []JSONIndicator    `json:"indicators"`
		IndicatorsMissingValue []JSONIndicator    `json:"indicators_missing_value"`
		CountedGroups          []JSONCountedGroup `json:"counted_groups"`
		Conflicts              []JSONConflict     `json:"conflicts"`
		Notes                  []string           `json:"notes"`
	}
	JSONEvidence struct {
		Start    int    `json:"start"`
		End      int    `json:"end"`
		Text     string `json:"text"`
		Sentence string `json:"sentence"`
	}
	JSONRegion struct {
		Code     string        `json:"code"`
		Name     string        `json:"name"`
		Level    string        `json:"level,omitempty"`
		Method   string        `json:"method"`
		Evidence *JSONEvidence `json:"evidence,omitempty"`
	}
	JSONIndustry struct {
		Name     string       `json:"name"`
		Role     string       `json:"role"`
		Note     string       `json:"note,omitempty"`
		Evidence JSONEvidence `json:"evidence"`
	}
	JSONCluster struct {
		Name     string       `json:"name"`
		Level    string       `json:"level,omitempty"`
		Note     string       `json:"note,omitempty"`
		Evidence JSONEvidence `json:"evidence"`
	}
	JSONNamed struct {
		Name     string       `json:"name"`
		Kind     string       `json:"kind,omitempty"`
		Note     string       `json:"note,omitempty"`
		Evidence JSONEvidence `json:"evidence"`
	}
	JSONIndicator struct {
		Metric     string       `json:"metric"`
		Value      *float64     `json:"value"`
		Unit       string       `json:"unit"`
		Comparator string       `json:"comparator"`
		Year       *int         `json:"year"`
		Kind       string       `json:"kind"`
		Note       string       `json:"note,omitempty"`
		Evidence   JSONEvidence `json:"evidence"`
	}
	JSONCountedGroup struct {
		Text          string       `json:"text"`
		Stated        int          `json:"stated"`
		Listed        int          `json:"listed"`
		Items         []string     `json:"items"`
		Role          string       `json:"role"`
		Open          bool         `json:"open"`
		Mismatch      bool         `json:"mismatch"`
		ConflictsWith []string     `json:"conflicts_with,omitempty"`
		Evidence      JSONEvidence `json:"evidence"`
	}
	JSONConflict struct {
		Kind   string `json:"kind"`
		Text   string `json:"text"`
		Groups []int  `json:"groups"`
	}
)

// JSON returns the document in its JSON shape. Lists are empty, not null,
// when the document has none; a group's mismatch is graph's rule.
func (d *Document) JSON() JSON {
	out := JSON{
		Document: d.Document, Format: string(d.Format), Encoding: d.Encoding,
		Title: strOrNil(d.Title), TitleEvidence: evidenceJSONPtr(d.TitleEvidence),
		Issuer: strOrNil(d.Issuer), IssuerEvidence: evidenceJSONPtr(d.IssuerEvidence),
		Published: strOrNil(d.Published), PageDate: strOrNil(d.PageDate), Period: strOrNil(d.Period),
		Industries: []JSONIndustry{}, Clusters: []JSONCluster{},
		Chains: mapJSON(d.Chains, func(x graph.Designation) JSONNamed {
			return JSONNamed{Name: x.Name, Note: x.Note, Evidence: evidenceJSON(x.Evidence)}
		}),
		Parks: mapJSON(d.Parks, mentionJSON), Firms: mapJSON(d.Firms, mentionJSON),
		Indicators: mapJSON(d.Indicators, indicatorJSON), IndicatorsMissingValue: mapJSON(d.MissingValues, indicatorJSON),
		CountedGroups: []JSONCountedGroup{}, Conflicts: []JSONConflict{}, Notes: d.Notes,
	}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	if r := d.Region; r != nil {
		out.Region = &JSONRegion{Code: string(r.Code), Name: r.Name, Level: string(r.Level), Method: r.Method, Evidence: evidenceJSONPtr(r.Evidence)}
	}
	for _, x := range d.Industries {
		out.Industries = append(out.Industries, JSONIndustry{Name: x.Name, Role: string(x.Role), Note: x.Note, Evidence: evidenceJSON(x.Evidence)})
	}
	for _, x := range d.Clusters {
		out.Clusters = append(out.Clusters, JSONCluster{Name: x.Name, Level: x.Level, Note: x.Note, Evidence: evidenceJSON(x.Evidence)})
	}
	with := map[int][]string{}
	for _, c := range d.Conflicts {
		for _, i := range c.Groups {
			for _, j := range c.Groups {
				if i != j {
					with[i] = append(with[i], d.CountedGroups[j].Text)
				}
			}
		}
		out.Conflicts = append(out.Conflicts, JSONConflict{Kind: c.Kind, Text: c.Text, Groups: c.Groups})
	}
	for i, g := range d.CountedGroups {
		items := g.Items
		if items == nil {
			items = []string{}
		}
		out.CountedGroups = append(out.CountedGroups, JSONCountedGroup{
			Text: g.Text, Stated: g.Stated, Listed: g.Listed, Items: items, Role: g.Role, Open: g.Open,
			Mismatch: g.Mismatch(), ConflictsWith: with[i], Evidence: evidenceJSON(g.Evidence),
		})
	}
	return out
}

func mapJSON[T, J any](xs []T, f func(T) J) []J {
	out := make([]J, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// mentionJSON is a park or firm as the contract has it: its kind is a
// park's kind (产业园, 高新区 …), empty for a firm.
func mentionJSON(x graph.Mention) JSONNamed {
	return JSONNamed{Name: x.Name, Kind: x.ParkKind, Note: x.Note, Evidence: evidenceJSON(x.Evidence)}
}

func indicatorJSON(x graph.Indicator) JSONIndicator {
	j := JSONIndicator{Metric: x.Metric, Value: x.Value, Unit: x.Unit, Comparator: x.Comparator,
		Kind: x.Kind, Note: x.Note, Evidence: evidenceJSON(x.Evidence)}
	if x.Year != 0 {
		y := x.Year
		j.Year = &y
	}
	return j
}

func strOrNil(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

// evidenceJSON is a fact's evidence: the words (text) and the sentence.
// A fact without evidence has the zero span.
func evidenceJSON(e *Evidence) JSONEvidence {
	if e == nil {
		return JSONEvidence{}
	}
	return JSONEvidence{Start: e.Start, End: e.End, Text: e.Quote, Sentence: e.Text}
}

func evidenceJSONPtr(e *Evidence) *JSONEvidence {
	if e == nil {
		return nil
	}
	j := evidenceJSON(e)
	return &j
}

// FieldError is a field of a JSON document that does not hold: its path
// (region, industries[2].role) and what is wrong.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }
func (e *FieldError) Unwrap() error { return e.Err }

// industryRoles are the roles a designation may have ("" when the plan's
// words give none).
var industryRoles = []graph.IndustryRole{"", graph.RolePillar, graph.RoleKey, graph.RoleEmerging, graph.RoleFuture,
	graph.RoleTraditional, graph.RoleAdvantage, graph.RoleChain}

// FromJSON reads the JSON back into the extractor's document, checking
// what the graph needs: a document name, a valid region code, known roles,
// conflicts between groups it has. A group's mismatch is not read: graph's
// rule tells it from the counts. The normalised spans are not in the JSON,
// so its evidence has none. A wrong field is a *FieldError.
func FromJSON(j JSON) (*Document, error) {
	if j.Document == "" {
		return nil, &FieldError{"document", errors.New("empty")}
	}
	doc := &Document{Document: j.Document, Format: Format(j.Format), Encoding: j.Encoding,
		Title: str(j.Title), TitleEvidence: j.TitleEvidence.evidence(), Issuer: str(j.Issuer), IssuerEvidence: j.IssuerEvidence.evidence(),
		Published: str(j.Published), PageDate: str(j.PageDate), Period: str(j.Period), Notes: j.Notes}
	if j.Region != nil {
		c, err := graph.ParseRegionCode(j.Region.Code)
		if err != nil {
			return nil, &FieldError{"region", err}
		}
		doc.Region = &Region{Code: c, Name: j.Region.Name, Level: graph.RegionLevel(j.Region.Level), Method: j.Region.Method,
			Evidence: j.Region.Evidence.evidence()}
	}
	for i, in := range j.Industries {
		if !slices.Contains(industryRoles, graph.IndustryRole(in.Role)) {
			return nil, &FieldError{fmt.Sprintf("industries[%d].role", i), fmt.Errorf("unknown role %q: want one of %v", in.Role, industryRoles[1:])}
		}
		doc.Industries = append(doc.Industries, graph.Designation{Name: in.Name, Role: graph.IndustryRole(in.Role), Note: in.Note, Evidence: in.Evidence.evidence()})
	}
	for _, c := range j.Clusters {
		doc.Clusters = append(doc.Clusters, graph.Cluster{Name: c.Name, Level: c.Level, Note: c.Note, Evidence: c.Evidence.evidence()})
	}
	for _, c := range j.Chains {
		doc.Chains = append(doc.Chains, graph.Designation{Name: c.Name, Role: graph.RoleChain, Note: c.Note, Evidence: c.Evidence.evidence()})
	}
	mention := func(kind string, ns []JSONNamed) []graph.Mention {
		var out []graph.Mention
		for _, n := range ns {
			out = append(out, graph.Mention{Kind: kind, Name: n.Name, ParkKind: n.Kind, Note: n.Note, Evidence: n.Evidence.evidence()})
		}
		return out
	}
	doc.Parks, doc.Firms = mention(graph.MentionPark, j.Parks), mention(graph.MentionFirm, j.Firms)
	ind := func(in JSONIndicator) graph.Indicator {
		out := graph.Indicator{Metric: in.Metric, Value: in.Value, Unit: in.Unit, Comparator: in.Comparator,
			Kind: in.Kind, Note: in.Note, Evidence: in.Evidence.evidence()}
		if in.Year != nil {
			out.Year = *in.Year
		}
		return out
	}
	for _, in := range j.Indicators {
		doc.Indicators = append(doc.Indicators, ind(in))
	}
	for _, in := range j.IndicatorsMissingValue {
		doc.MissingValues = append(doc.MissingValues, ind(in))
	}
	for _, g := range j.CountedGroups {
		doc.CountedGroups = append(doc.CountedGroups, graph.CountedGroup{Text: g.Text, Stated: g.Stated, Listed: g.Listed,
			Items: g.Items, Role: g.Role, Open: g.Open, Evidence: g.Evidence.evidence()})
	}
	for _, c := range j.Conflicts {
		for _, g := range c.Groups {
			if g < 0 || g >= len(doc.CountedGroups) {
				return nil, &FieldError{"conflicts", fmt.Errorf("group %d of %d", g, len(doc.CountedGroups))}
			}
		}
		doc.Conflicts = append(doc.Conflicts, graph.Conflict{Kind: c.Kind, Text: c.Text, Groups: c.Groups})
	}
	return doc, nil
}

// evidence is the evidence a JSON span gives; nil for none.
func (s *JSONEvidence) evidence() *Evidence {
	if s == nil {
		return nil
	}
	return &Evidence{Start: s.Start, End: s.End, Quote: s.Text, Text: s.Sentence}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
