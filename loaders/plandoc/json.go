package plandoc

import "strings"

// JSON is a Document as 'chainkg extract' prints it, one object per plan:
// the contract shared/tools/score_extraction.py scores against
// shared/gold, and what the plan-facts loader reads back. The types
// JSON… are its parts.
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
		Industries: []JSONIndustry{}, Clusters: []JSONCluster{}, Chains: []JSONNamed{}, Parks: []JSONNamed{},
		Firms: []JSONNamed{}, Indicators: []JSONIndicator{}, IndicatorsMissingValue: []JSONIndicator{},
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
	named := func(ns []Named) []JSONNamed {
		out := []JSONNamed{}
		for _, x := range ns {
			out = append(out, JSONNamed{Name: x.Name, Kind: x.Kind, Note: x.Note, Evidence: evidenceJSON(x.Evidence)})
		}
		return out
	}
	out.Chains, out.Parks, out.Firms = named(d.Chains), named(d.Parks), named(d.Firms)
	ind := func(x Indicator) JSONIndicator {
		j := JSONIndicator{Metric: x.Metric, Value: x.Value, Unit: x.Unit, Comparator: x.Comparator,
			Kind: x.Kind, Note: x.Note, Evidence: evidenceJSON(x.Evidence)}
		if x.Year != 0 {
			y := x.Year
			j.Year = &y
		}
		return j
	}
	for _, x := range d.Indicators {
		out.Indicators = append(out.Indicators, ind(x))
	}
	for _, x := range d.MissingValues {
		out.IndicatorsMissingValue = append(out.IndicatorsMissingValue, ind(x))
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

func strOrNil(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

func evidenceJSON(e Evidence) JSONEvidence {
	return JSONEvidence{Start: e.Start, End: e.End, Text: e.Text, Sentence: e.Sentence}
}

func evidenceJSONPtr(e *Evidence) *JSONEvidence {
	if e == nil {
		return nil
	}
	j := evidenceJSON(*e)
	return &j
}
