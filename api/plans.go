package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// PlanSummary is a plan in a list.
type PlanSummary struct {
	ID           string     `json:"id"`
	Title        string     `json:"title,omitempty"`
	Issuer       string     `json:"issuer,omitempty"`
	Published    string     `json:"published,omitempty"`
	Period       string     `json:"period,omitempty"`
	Region       *RegionRef `json:"region"`
	RegionMethod string     `json:"region_method,omitempty"`
	Document     string     `json:"document"`
	Source       string     `json:"source"`
	Counts       PlanCounts `json:"counts"`
}

// PlanCounts counts what a plan states.
type PlanCounts struct {
	Designations  int `json:"designations"`
	Clusters      int `json:"clusters"`
	Indicators    int `json:"indicators"`
	Mentions      int `json:"mentions"`
	CountedGroups int `json:"counted_groups"`
	Conflicts     int `json:"conflicts"`
}

// PlansResponse lists the loaded plans.
type PlansResponse struct {
	Plans []PlanSummary `json:"plans"`
}

// EvidenceResponse is the sentence a fact was read from, and the span of
// its words in the original document (characters).
type EvidenceResponse struct {
	Sentence string `json:"sentence"`
	Quote    string `json:"quote"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	// NormStart and NormEnd are the span in normalised_text, where the page
	// marks the fact; absent for plans loaded before it was kept.
	NormStart int `json:"norm_start,omitempty"`
	NormEnd   int `json:"norm_end,omitempty"`
}

// ChainLinkResponse is a link from a plan's words to a chain.
type ChainLinkResponse struct {
	Chain      string  `json:"chain"`
	Name       string  `json:"name,omitempty"`
	Method     string  `json:"method"`
	Confidence float64 `json:"confidence"`
}

// DesignationResponse is an industry (or chain) a plan designates.
type DesignationResponse struct {
	Name     string              `json:"name"`
	Role     string              `json:"role"`
	Chains   []ChainLinkResponse `json:"chains"`
	Evidence *EvidenceResponse   `json:"evidence"`
}

// ClusterResponse is a cluster a plan names.
type ClusterResponse struct {
	Name     string              `json:"name"`
	Level    string              `json:"level,omitempty"`
	Chains   []ChainLinkResponse `json:"chains"`
	Evidence *EvidenceResponse   `json:"evidence"`
}

// IndicatorResponse is a number a plan states; value is null when the page
// lost it.
type IndicatorResponse struct {
	Metric     string            `json:"metric"`
	Value      *float64          `json:"value"`
	Unit       string            `json:"unit"`
	Comparator string            `json:"comparator"`
	Year       *int              `json:"year"`
	Kind       string            `json:"kind"`
	Evidence   *EvidenceResponse `json:"evidence"`
}

// MentionResponse is a firm or park a plan names, and what it resolved to.
type MentionResponse struct {
	Kind       string            `json:"kind"`
	Name       string            `json:"name"`
	ResolvedTo *EntityRef        `json:"resolved_to"`
	Method     string            `json:"method"`
	Confidence float64           `json:"confidence"`
	Evidence   *EvidenceResponse `json:"evidence"`
}

// EntityRef names a firm or park of the graph.
type EntityRef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// CountedGroupResponse is a group a plan counts.
type CountedGroupResponse struct {
	Text     string            `json:"text"`
	Stated   int               `json:"stated"`
	Listed   int               `json:"listed"`
	Items    []string          `json:"items"`
	Role     string            `json:"role"`
	Open     bool              `json:"open"`
	Mismatch bool              `json:"mismatch"`
	Evidence *EvidenceResponse `json:"evidence"`
}

// ConflictResponse is statements of a plan that disagree.
type ConflictResponse struct {
	Kind   string   `json:"kind"`
	Text   string   `json:"text"`
	Groups []string `json:"groups"`
}

// PlanResponse is one plan with everything it states.
type PlanResponse struct {
	PlanSummary
	Designations  []DesignationResponse  `json:"designations"`
	Clusters      []ClusterResponse      `json:"clusters"`
	Indicators    []IndicatorResponse    `json:"indicators"`
	Mentions      []MentionResponse      `json:"mentions"`
	CountedGroups []CountedGroupResponse `json:"counted_groups"`
	Conflicts     []ConflictResponse     `json:"conflicts"`
	// Unresolved lists the names the plan gives that link to nothing yet.
	Unresolved []string `json:"unresolved"`
	// Text is the document's text as read; evidence offsets count its characters.
	Text string `json:"text,omitempty"`
	// NormalisedText is the text the facts were read from — simplified,
	// without pinyin, broken characters or markup — which the page shows
	// with the facts marked (norm_start, norm_end), the original beside it.
	NormalisedText string `json:"normalised_text,omitempty"`
}

// RegionDesignation is an industry a plan for the region designates.
type RegionDesignation struct {
	Plan      string    `json:"plan"`
	PlanTitle string    `json:"plan_title,omitempty"`
	Region    RegionRef `json:"region"`
	DesignationResponse
}

// RegionCluster is a cluster a plan for the region names.
type RegionCluster struct {
	Plan   string    `json:"plan"`
	Region RegionRef `json:"region"`
	ClusterResponse
}

// RegionDesignationsResponse is what all the plans of a region designate.
type RegionDesignationsResponse struct {
	Region       RegionRef           `json:"region"`
	Plans        []string            `json:"plans"`
	Designations []RegionDesignation `json:"designations"`
	Clusters     []RegionCluster     `json:"clusters"`
}

func (s *Server) listPlans(c echo.Context) error {
	x := s.snapshot(c)
	plans := x.Plans()
	out := PlansResponse{Plans: make([]PlanSummary, len(plans))}
	for i, p := range plans {
		out.Plans[i] = planSummary(x, p)
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) getPlan(c echo.Context) error {
	id, err := graph.ParsePlanID(c.Param("id"))
	if err != nil {
		return err
	}
	x := s.snapshot(c)
	p, ok := x.Plan(id)
	if !ok {
		return fmt.Errorf("%w: plan %s", graph.ErrNotFound, id)
	}
	return c.JSON(http.StatusOK, planResponse(x, p))
}

// getRegionDesignations answers what the plans of a region designate; with
// ?within=true, the plans of the regions inside it too.
func (s *Server) getRegionDesignations(c echo.Context) error {
	code, err := graph.ParseRegionCode(c.Param("code"))
	if err != nil {
		return err
	}
	within := false
	if v := c.QueryParam("within"); v != "" {
		if within, err = strconv.ParseBool(v); err != nil {
			return fmt.Errorf("%w: within=%q: want true or false", errBadRequest, v)
		}
	}
	x := s.snapshot(c)
	reg, ok := x.Region(code)
	if !ok {
		return fmt.Errorf("%w: region %s", graph.ErrNotFound, code)
	}
	out := RegionDesignationsResponse{Region: RegionRef{Code: string(code), Name: reg.Name},
		Plans: []string{}, Designations: []RegionDesignation{}, Clusters: []RegionCluster{}}
	for _, p := range x.PlansOfRegion(code, within) {
		out.Plans = append(out.Plans, string(p.ID))
		pr := planRegion(x, p.Region)
		for _, d := range p.Designations {
			out.Designations = append(out.Designations, RegionDesignation{Plan: string(p.ID), PlanTitle: p.Title, Region: *pr,
				DesignationResponse: designationResponse(x, d)})
		}
		for _, cl := range p.Clusters {
			out.Clusters = append(out.Clusters, RegionCluster{Plan: string(p.ID), Region: *pr, ClusterResponse: clusterResponse(x, cl)})
		}
	}
	return c.JSON(http.StatusOK, out)
}

// planRegion names a plan's region; a code the read model lacks keeps its code.
func planRegion(x *readmodel.Index, c graph.RegionCode) *RegionRef {
	if c == "" {
		return &RegionRef{}
	}
	if reg, ok := x.Region(c); ok {
		r := regionRef(reg)
		return &r
	}
	return &RegionRef{Code: string(c)}
}

func planSummary(x *readmodel.Index, p readmodel.PlanRecord) PlanSummary {
	ps := PlanSummary{ID: string(p.ID), Title: p.Title, Issuer: p.Issuer, Published: p.Published, Period: p.Period,
		RegionMethod: p.RegionMethod, Document: p.Document, Source: string(p.Source),
		Counts: PlanCounts{Designations: len(p.Designations), Clusters: len(p.Clusters), Indicators: len(p.Indicators),
			Mentions: len(p.Mentions), CountedGroups: len(p.CountedGroups), Conflicts: len(p.Conflicts)}}
	if p.Region != "" {
		ps.Region = planRegion(x, p.Region)
	}
	return ps
}

func designationResponse(x *readmodel.Index, d graph.Designation) DesignationResponse {
	return DesignationResponse{Name: d.Name, Role: string(d.Role), Chains: chainLinks(x, d.Chains), Evidence: ev(d.Evidence)}
}

func clusterResponse(x *readmodel.Index, c graph.Cluster) ClusterResponse {
	return ClusterResponse{Name: c.Name, Level: c.Level, Chains: chainLinks(x, c.Chains), Evidence: ev(c.Evidence)}
}

// ev is the response of a fact's evidence; nil when the store has none.
func ev(e *graph.Evidence) *EvidenceResponse {
	if e == nil {
		return nil
	}
	return &EvidenceResponse{Sentence: e.Text, Quote: e.Quote, Start: e.Start, End: e.End, NormStart: e.NormStart, NormEnd: e.NormEnd}
}

func chainLinks(x *readmodel.Index, ls []graph.ChainLink) []ChainLinkResponse {
	out := make([]ChainLinkResponse, len(ls))
	for i, l := range ls {
		out[i] = ChainLinkResponse{Chain: string(l.Chain), Method: l.Method, Confidence: l.Confidence}
		if ch, ok := x.Chain(l.Chain); ok {
			out[i].Name = ch.Name
		}
	}
	return out
}

func planResponse(x *readmodel.Index, p readmodel.PlanRecord) PlanResponse {
	out := PlanResponse{PlanSummary: planSummary(x, p), Text: p.Text, NormalisedText: p.NormText,
		Designations: []DesignationResponse{}, Clusters: []ClusterResponse{}, Indicators: []IndicatorResponse{},
		Mentions: []MentionResponse{}, CountedGroups: []CountedGroupResponse{}, Conflicts: []ConflictResponse{},
		Unresolved: []string{}}
	for _, d := range p.Designations {
		out.Designations = append(out.Designations, designationResponse(x, d))
		if len(d.Chains) == 0 {
			out.Unresolved = append(out.Unresolved, "industry "+d.Name)
		}
	}
	for _, c := range p.Clusters {
		out.Clusters = append(out.Clusters, clusterResponse(x, c))
	}
	for _, in := range p.Indicators {
		r := IndicatorResponse{Metric: in.Metric, Value: in.Value, Unit: in.Unit, Comparator: in.Comparator, Kind: in.Kind, Evidence: ev(in.Evidence)}
		if in.Year != 0 {
			y := in.Year
			r.Year = &y
		}
		out.Indicators = append(out.Indicators, r)
	}
	for _, m := range p.Mentions {
		r := MentionResponse{Kind: m.Kind, Name: m.Name, Method: m.Method, Confidence: m.Confidence, Evidence: ev(m.Evidence)}
		switch {
		case m.Firm != "":
			r.ResolvedTo = &EntityRef{ID: string(m.Firm)}
			if f, ok := x.Firm(m.Firm); ok {
				r.ResolvedTo.Name = f.Name
			}
		case m.Park != "":
			r.ResolvedTo = &EntityRef{ID: string(m.Park)}
			if pk, ok := x.Park(m.Park); ok {
				r.ResolvedTo.Name = pk.Name
			}
		default:
			out.Unresolved = append(out.Unresolved, m.Kind+" "+m.Name)
		}
		out.Mentions = append(out.Mentions, r)
	}
	text := map[int]string{}
	for _, g := range p.CountedGroups {
		text[g.N] = g.Text
		items := g.Items
		if items == nil {
			items = []string{}
		}
		out.CountedGroups = append(out.CountedGroups, CountedGroupResponse{Text: g.Text, Stated: g.Stated, Listed: g.Listed,
			Items: items, Role: g.Role, Open: g.Open, Mismatch: g.Mismatch(), Evidence: ev(g.Evidence)})
	}
	for _, cf := range p.Conflicts {
		r := ConflictResponse{Kind: cf.Kind, Text: cf.Text, Groups: []string{}}
		for _, g := range cf.Groups {
			r.Groups = append(r.Groups, text[g])
		}
		out.Conflicts = append(out.Conflicts, r)
	}
	return out
}

// PlanCorrectionRequest is the body of POST /api/v1/plans/{id}/correction:
// the region or title a writer gives a plan whose text has none, or the
// wrong one. Empty fields leave what the text gave.
type PlanCorrectionRequest struct {
	Region string `json:"region"`
	Title  string `json:"title"`
	Note   string `json:"note"`
}

// planCorrections holds every writer's correction of a plan: an override
// source of its own, so reloading a plan keeps its correction.
var planCorrections = graph.Source{ID: "override/plan-corrections", Kind: graph.KindOverride, Title: "规划地区与标题更正"}

// postPlanCorrection sets a plan's region or title (both empty takes the
// correction back) by writing the corrections source anew.
func (s *Server) postPlanCorrection(c echo.Context) error {
	id, err := graph.ParsePlanID(c.Param("id"))
	if err != nil {
		return err
	}
	var req PlanCorrectionRequest
	if err := c.Bind(&req); err != nil {
		return err
	}
	corr := graph.PlanCorrection{Plan: id, Title: strings.TrimSpace(req.Title), Note: strings.TrimSpace(req.Note)}
	if req.Region != "" {
		if corr.Region, err = graph.ParseRegionCode(req.Region); err != nil {
			return err
		}
		if _, ok := s.graphStore().Index().Region(corr.Region); !ok {
			return fmt.Errorf("%w: region %s", graph.ErrNotFound, corr.Region)
		}
	}
	if len(corr.Title) > 500 || len(corr.Note) > 2000 {
		return fmt.Errorf("%w: title at most 500 bytes, note at most 2000", errBadRequest)
	}
	s.marksMu.Lock()
	defer s.marksMu.Unlock()
	x := s.graphStore().Index()
	if _, ok := x.Plan(id); !ok {
		return fmt.Errorf("%w: plan %s", graph.ErrNotFound, id)
	}
	var facts []graph.Fact
	for _, p := range x.Plans() {
		if p.Correction != nil && p.ID != id {
			facts = append(facts, *p.Correction)
		}
	}
	if corr.Region != "" || corr.Title != "" {
		facts = append(facts, corr)
	}
	if _, err := s.graphStore().Replace(c.Request().Context(), planCorrections, graph.Facts(facts...)); err != nil {
		return err
	}
	p, _ := s.graphStore().Index().Plan(id)
	return c.JSON(http.StatusOK, planSummary(s.graphStore().Index(), p))
}
