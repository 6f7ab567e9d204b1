package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/export"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// leadsSource holds every lead (招商线索) with its history: a source of its
// own, written anew on each change, so reloading any other source keeps
// the leads.
var leadsSource = graph.Source{ID: "leads/all", Kind: graph.KindOverride, Title: "招商线索"}

// LeadRequest is the body of POST /api/v1/leads.
type LeadRequest struct {
	Firm   string `json:"firm"`
	Region string `json:"region"`
	Chain  string `json:"chain"`
	Node   string `json:"node"` // "chain/node" or the node's slug in the chain
	Park   string `json:"park"`
	Owner  string `json:"owner"`
	Note   string `json:"note"`
	// Date is when the lead was first identified, for a lead recorded
	// late; "" is today.
	Date string `json:"date"`
}

// LeadPatchRequest is the body of PATCH /api/v1/leads/{id}. Absent fields
// stay as they are; "" clears next, owner, node or park.
type LeadPatchRequest struct {
	Status string  `json:"status"`
	Date   string  `json:"date"`
	Note   string  `json:"note"`
	Next   *string `json:"next"`
	Owner  *string `json:"owner"`
	Node   *string `json:"node"`
	Park   *string `json:"park"`
}

// NamedRef names an entity of a lead: its id and name ("" when the data no
// longer has it).
type NamedRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// LeadChangeResponse is one field a change set.
type LeadChangeResponse struct {
	Field      string `json:"field"`
	FieldLabel string `json:"field_label"`
	From       string `json:"from"`
	To         string `json:"to"`
}

// LeadEventResponse is one change of a lead: who, when, what.
type LeadEventResponse struct {
	N       int                  `json:"n"`
	At      string               `json:"at"`
	By      string               `json:"by"`
	Note    string               `json:"note,omitempty"`
	Changes []LeadChangeResponse `json:"changes"`
}

// LeadResponse is a lead.
type LeadResponse struct {
	ID          string              `json:"id"`
	Firm        FirmRefResponse     `json:"firm"`
	FirmKnown   bool                `json:"firm_known"` // false when the firm is no longer in the data
	Region      RegionRef           `json:"region"`
	Chain       ChainRef            `json:"chain"`
	Node        *NamedRef           `json:"node,omitempty"`
	Park        *NamedRef           `json:"park,omitempty"`
	Owner       string              `json:"owner,omitempty"`
	Note        string              `json:"note,omitempty"`
	Status      string              `json:"status"`
	Step        int                 `json:"step"` // 0 待接触 … 5 已落地; -1 已放弃
	Date        string              `json:"date"` // when it reached its status
	Next        string              `json:"next,omitempty"`
	CreatedBy   string              `json:"created_by"`
	CreatedAt   string              `json:"created_at"`
	MapNodes    []string            `json:"map_nodes"`     // the nodes it counts in once landed
	Place       string              `json:"place"`         // the region it counts in once landed
	CountsOnMap bool                `json:"counts_on_map"` // landed, with a node to count in
	History     []LeadEventResponse `json:"history,omitempty"`
}

// LeadListResponse answers GET /api/v1/leads.
type LeadListResponse struct {
	Total    int            `json:"total"`
	Leads    []LeadResponse `json:"leads"`
	Statuses []string       `json:"statuses"` // every status, in order
}

// FunnelDaysResponse summarise the days a step took.
type FunnelDaysResponse struct {
	N      int     `json:"n"`
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	Max    int     `json:"max"`
}

// FunnelStepResponse is one status of the funnel.
type FunnelStepResponse struct {
	Status  string             `json:"status"`
	Now     int                `json:"now"`
	Reached int                `json:"reached"`
	Days    FunnelDaysResponse `json:"days_from_previous"`
}

// FunnelResponse answers GET /api/v1/leads/funnel.
type FunnelResponse struct {
	Region      string               `json:"region,omitempty"`
	Chain       string               `json:"chain,omitempty"`
	Leads       int                  `json:"leads"`
	Steps       []FunnelStepResponse `json:"steps"`
	Dropped     int                  `json:"dropped"`
	DroppedFrom map[string]int       `json:"dropped_from"`
	Note        string               `json:"note"`
}

// funnelNote says how the funnel counts.
const funnelNote = "reached：到达该状态或其后状态的线索数（跳过的步骤视为已经过；已放弃的线索计到其最远状态）。" +
	"days_from_previous：从上一状态到该状态的天数，只统计两个状态都有日期的线索。"

func leadResponse(v readmodel.LeadView, history bool) LeadResponse {
	r := LeadResponse{ID: string(v.ID), Firm: FirmRefResponse{ID: string(v.Firm), Name: v.FirmName}, FirmKnown: v.FirmName != "",
		Region: RegionRef{Code: string(v.Region), Name: v.RegionName, Level: string(v.Region.Level())},
		Chain:  ChainRef{ID: string(v.Chain), Name: v.ChainName}, Owner: v.Owner, Note: v.Note,
		Status: string(v.Status), Step: v.Status.Step(), Date: v.StatusDate, Next: v.Next, CreatedBy: v.CreatedBy,
		CreatedAt: v.CreatedAt.UTC().Format(time.RFC3339), MapNodes: idStrings(v.MapNodes), Place: string(v.Place)}
	if v.Node != "" {
		r.Node = &NamedRef{ID: string(v.Node), Name: v.NodeName}
	}
	if v.Park != "" {
		r.Park = &NamedRef{ID: string(v.Park), Name: v.ParkName}
	}
	_, landed := v.LandedOn()
	r.CountsOnMap = landed && len(v.MapNodes) > 0
	if history {
		r.History = make([]LeadEventResponse, 0, len(v.History))
		for _, ev := range v.History {
			e := LeadEventResponse{N: ev.N, At: ev.At.UTC().Format(time.RFC3339), By: ev.By, Note: ev.Note, Changes: []LeadChangeResponse{}}
			for _, c := range ev.Changes {
				e.Changes = append(e.Changes, LeadChangeResponse{Field: c.Field, FieldLabel: export.LeadFieldName(c.Field), From: c.From, To: c.To})
			}
			r.History = append(r.History, e)
		}
	}
	return r
}

// actor names who makes a change: the token's role and a short
// fingerprint of the token (never the token), so two writers' changes can
// be told apart.
func actor(c echo.Context) string {
	role, _ := c.Get(roleKey).(Role)
	if tok, ok := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization)); ok {
		sum := sha256.Sum256([]byte(tok))
		return role.String() + "·" + hex.EncodeToString(sum[:3])
	}
	return role.String()
}

// leadQuery reads the filters of the lead routes.
func leadQuery(c echo.Context, x *readmodel.Index) (readmodel.LeadQuery, error) {
	var q readmodel.LeadQuery
	var err error
	if r := c.QueryParam("region"); r != "" {
		if q.Region, err = graph.ParseRegionCode(r); err != nil {
			return q, err
		}
	}
	if ch := c.QueryParam("chain"); ch != "" {
		if q.Chain, err = x.ResolveChain(ch); err != nil {
			return q, err
		}
	}
	if st := c.QueryParam("status"); st != "" {
		if q.Status, err = graph.ParseLeadStatus(st); err != nil {
			return q, err
		}
	}
	if f := c.QueryParam("firm"); f != "" {
		if q.Firm, err = graph.ParseFirmID(f); err != nil {
			return q, err
		}
	}
	q.Owner = strings.TrimSpace(c.QueryParam("owner"))
	return q, nil
}

func (s *Server) listLeads(c echo.Context) error {
	x := s.graphStore().Index()
	q, err := leadQuery(c, x)
	if err != nil {
		return err
	}
	leads, err := x.Leads(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := LeadListResponse{Total: len(leads), Leads: make([]LeadResponse, 0, len(leads))}
	for _, st := range append(graph.LeadSteps(), graph.LeadDropped) {
		out.Statuses = append(out.Statuses, string(st))
	}
	for _, l := range leads {
		out.Leads = append(out.Leads, leadResponse(l, false))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) getLead(c echo.Context) error {
	id, err := graph.ParseLeadID(c.Param("id"))
	if err != nil {
		return err
	}
	v, ok := s.graphStore().Index().Lead(id)
	if !ok {
		return fmt.Errorf("%w: lead %s", graph.ErrNotFound, id)
	}
	return c.JSON(http.StatusOK, leadResponse(v, true))
}

func (s *Server) getLeadFunnel(c echo.Context) error {
	x := s.graphStore().Index()
	q, err := leadQuery(c, x)
	if err != nil {
		return err
	}
	f, err := x.LeadFunnel(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := FunnelResponse{Region: string(q.Region), Chain: string(q.Chain), Leads: f.Leads, Dropped: f.Dropped,
		DroppedFrom: map[string]int{}, Note: funnelNote}
	for _, st := range f.Steps {
		out.Steps = append(out.Steps, FunnelStepResponse{Status: string(st.Status), Now: st.Now, Reached: st.Reached,
			Days: FunnelDaysResponse{N: st.Days.N, Mean: st.Days.Mean, Median: st.Days.Median, Max: st.Days.Max}})
	}
	for st, n := range f.DroppedFrom {
		out.DroppedFrom[string(st)] = n
	}
	return c.JSON(http.StatusOK, out)
}

// getLeadsExport answers the leads the filters select, with their history
// and the funnel, as an Excel workbook.
func (s *Server) getLeadsExport(c echo.Context) error {
	x := s.graphStore().Index()
	q, err := leadQuery(c, x)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	leads, err := x.Leads(ctx, q)
	if err != nil {
		return err
	}
	f, err := x.LeadFunnel(ctx, q)
	if err != nil {
		return err
	}
	var title []string
	if r, ok := x.Region(q.Region); ok {
		title = append(title, r.Name)
	}
	if ch, ok := x.Chain(q.Chain); ok {
		title = append(title, ch.Name)
	}
	for _, v := range []string{string(q.Status), q.Owner} {
		if v != "" {
			title = append(title, v)
		}
	}
	if len(title) == 0 {
		title = append(title, "全部")
	}
	var buf bytes.Buffer
	if err := export.WriteLeadsXLSX(&buf, strings.Join(title, " · "), leads, f); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="chainkg-leads.xlsx"; filename*=UTF-8''%s`,
		url.PathEscape("招商线索-"+strings.Join(title, "-")+".xlsx")))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// nodeOf reads a node as "chain/node" or as a slug of the chain.
func nodeOf(s string, chain graph.ChainID) (graph.NodeID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	if !strings.Contains(s, "/") {
		return graph.NewNodeID(chain, s)
	}
	return graph.ParseNodeID(s)
}

// postLead creates a lead at 待接触. A second open lead for the same firm,
// region and chain is refused (409), naming the first.
func (s *Server) postLead(c echo.Context) error {
	var req LeadRequest
	if err := c.Bind(&req); err != nil {
		return err
	}
	x := s.graphStore().Index()
	firm, err := graph.ParseFirmID(strings.TrimSpace(req.Firm))
	if err != nil {
		return fmt.Errorf("firm: %w", err)
	}
	region, err := graph.ParseRegionCode(strings.TrimSpace(req.Region))
	if err != nil {
		return fmt.Errorf("region: %w", err)
	}
	chain, err := x.ResolveChain(strings.TrimSpace(req.Chain))
	if err != nil {
		return fmt.Errorf("chain: %w", err)
	}
	node, err := nodeOf(req.Node, chain)
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	var park graph.ParkID
	if p := strings.TrimSpace(req.Park); p != "" {
		if park, err = graph.ParseParkID(p); err != nil {
			return fmt.Errorf("park: %w", err)
		}
	}
	if len(req.Owner) > 200 || len(req.Note) > 2000 {
		return fmt.Errorf("%w: owner at most 200 bytes, note at most 2000", errBadRequest)
	}
	by := actor(c)
	s.leadsMu.Lock()
	defer s.leadsMu.Unlock()
	x = s.graphStore().Index()
	lead, err := graph.NewLead(x.NextLeadID(), firm, region, chain, node, park, req.Owner, req.Note, strings.TrimSpace(req.Date), by, time.Now())
	if err != nil {
		return err
	}
	if err := x.CheckLead(lead); err != nil {
		return err
	}
	for _, l := range x.AllLeads() {
		if l.Firm == firm && l.Region == region && l.Chain == chain && l.Status != graph.LeadDropped && l.Status != graph.LeadLanded {
			return fmt.Errorf("%w: lead %s already pursues firm %s for %s × %s (at %s)", graph.ErrConflict, l.ID, firm, region, chain, l.Status)
		}
	}
	if err := s.writeLeads(c, append(x.AllLeads(), lead)); err != nil {
		return err
	}
	v, ok := s.graphStore().Index().Lead(lead.ID)
	if !ok {
		return fmt.Errorf("lead %s was written but is not in the read model", lead.ID)
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/leads/"+string(lead.ID))
	return c.JSON(http.StatusCreated, leadResponse(v, true))
}

// patchLead moves a lead on, or changes its follow-up date, owner, node or
// park, as one event of its history.
func (s *Server) patchLead(c echo.Context) error {
	id, err := graph.ParseLeadID(c.Param("id"))
	if err != nil {
		return err
	}
	var req LeadPatchRequest
	if err := c.Bind(&req); err != nil {
		return err
	}
	u := graph.LeadUpdate{Date: strings.TrimSpace(req.Date), Note: req.Note, Next: req.Next, Owner: req.Owner}
	if req.Status != "" {
		if u.Status, err = graph.ParseLeadStatus(req.Status); err != nil {
			return err
		}
	}
	if len(req.Note) > 2000 || req.Owner != nil && len(*req.Owner) > 200 {
		return fmt.Errorf("%w: owner at most 200 bytes, note at most 2000", errBadRequest)
	}
	if req.Park != nil {
		p := graph.ParkID("")
		if v := strings.TrimSpace(*req.Park); v != "" {
			if p, err = graph.ParseParkID(v); err != nil {
				return fmt.Errorf("park: %w", err)
			}
		}
		u.Park = &p
	}
	by := actor(c)
	s.leadsMu.Lock()
	defer s.leadsMu.Unlock()
	x := s.graphStore().Index()
	all := x.AllLeads()
	i := -1
	for j, l := range all {
		if l.ID == id {
			i = j
		}
	}
	if i < 0 {
		return fmt.Errorf("%w: lead %s", graph.ErrNotFound, id)
	}
	if req.Node != nil {
		n, err := nodeOf(*req.Node, all[i].Chain)
		if err != nil {
			return fmt.Errorf("node: %w", err)
		}
		u.Node = &n
	}
	next, err := all[i].Apply(u, by, time.Now())
	if err != nil {
		return err
	}
	if u.Node != nil || u.Park != nil {
		if err := x.CheckLeadPlace(next); err != nil {
			return err
		}
	}
	all[i] = next
	if err := s.writeLeads(c, all); err != nil {
		return err
	}
	v, ok := s.graphStore().Index().Lead(id)
	if !ok {
		return fmt.Errorf("lead %s was written but is not in the read model", id)
	}
	return c.JSON(http.StatusOK, leadResponse(v, true))
}

// writeLeads writes the leads source anew with every lead; the caller
// holds leadsMu.
func (s *Server) writeLeads(c echo.Context, leads []graph.Lead) error {
	facts := make([]graph.Fact, len(leads))
	for i, l := range leads {
		facts[i] = l
	}
	_, err := s.graphStore().Replace(c.Request().Context(), leadsSource, graph.Facts(facts...))
	return err
}
