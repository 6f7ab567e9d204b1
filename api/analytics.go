package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// configFrom reads overrides of the analytics configuration from query
// parameters named cfg.NAME (cfg.w_scale=0.6).
func configFrom(c echo.Context) (graph.Config, error) {
	cfg := graph.DefaultConfig()
	for k, vs := range c.QueryParams() {
		name, ok := strings.CutPrefix(k, "cfg.")
		if !ok {
			continue
		}
		if err := cfg.Set(name, vs[len(vs)-1]); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}

// regionChain parses the {code} and {chain} of a region × chain route.
func (s *Server) regionChain(c echo.Context) (*readmodel.Index, graph.RegionCode, graph.ChainID, graph.Config, error) {
	x := s.snapshot(c)
	code, err := graph.ParseRegionCode(c.Param("code"))
	if err != nil {
		return nil, "", "", graph.Config{}, err
	}
	chain, err := x.ResolveChain(pathParam(c, "chain"))
	if err != nil {
		return nil, "", "", graph.Config{}, err
	}
	cfg, err := configFrom(c)
	return x, code, chain, cfg, err
}

// regionCodes parses a comma-separated list of region codes.
func regionCodes(s string) ([]graph.RegionCode, error) {
	var out []graph.RegionCode
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		c, err := graph.ParseRegionCode(p)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// ChainRef names a chain in an answer.
type ChainRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

func chainRef(c graph.Chain) ChainRef {
	return ChainRef{ID: string(c.ID), Name: c.Name, Type: string(c.Type)}
}

// FirmRefResponse names a firm in an answer.
type FirmRefResponse struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Region  string   `json:"region,omitempty"`
	Capital float64  `json:"capital_wan,omitempty"`
	Revenue float64  `json:"revenue_wan,omitempty"`
	Tags    []string `json:"tags,omitempty"`
}

func firmRef(f readmodel.FirmRef) FirmRefResponse {
	return FirmRefResponse{ID: string(f.ID), Name: f.Name, Region: string(f.Region), Capital: f.Capital, Revenue: f.Revenue, Tags: f.Tags}
}

// NodeScoreResponse is the breakdown of a node's level.
type NodeScoreResponse struct {
	Scale   float64 `json:"scale"`
	Linkage float64 `json:"linkage"`
	Quality float64 `json:"quality"`
	Total   float64 `json:"total"`
	LQ      float64 `json:"lq"`
}

// MapNodeResponse is one node of a chain map.
type MapNodeResponse struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Parent     string            `json:"parent,omitempty"`
	Segment    string            `json:"segment"`
	Depth      int               `json:"depth"`
	Leaf       bool              `json:"leaf"`
	Count      int               `json:"local_firms"`
	WCount     float64           `json:"weighted_firms"`
	National   int               `json:"national_firms"`
	Capital    float64           `json:"capital_wan"`
	Revenue    float64           `json:"revenue_wan"`
	Tagged     int               `json:"quality_firms"`
	Level      string            `json:"level"`
	Score      NodeScoreResponse `json:"score"`
	TopFirms   []FirmRefResponse `json:"top_firms"`
	Suppliers  []string          `json:"supplied_by"`
	Customers  []string          `json:"supplies_to"`
	PresentAdj int               `json:"adjacent_present"`
	Adjacent   int               `json:"adjacent"`
	Unplaced   int               `json:"unplaced_firms"`         // known only at a division above the region (位置待核实)
	Unsplit    int               `json:"unsplit_firms"`          // a group's local firms linked to no sub-node (未细分)
	Landed     int               `json:"landed_firms,omitempty"` // landed leads among local_firms (method landed)
}

// ChainDesignationResponse is a plan's designation of the chain on a chain map.
type ChainDesignationResponse struct {
	Plan       string  `json:"plan"`
	PlanTitle  string  `json:"plan_title"`
	Region     string  `json:"region"`
	Name       string  `json:"name"`
	Role       string  `json:"role"`
	Confidence float64 `json:"confidence"`
	Evidence   string  `json:"evidence,omitempty"`
}

// ChainMapResponse answers GET …/map.
type ChainMapResponse struct {
	Region       RegionRef                  `json:"region"`
	Chain        ChainRef                   `json:"chain"`
	Completeness float64                    `json:"completeness"`
	Present      int                        `json:"leaves_present"`
	Leaves       int                        `json:"leaves"`
	RegionFirms  int                        `json:"region_firms"`
	Levels       map[string]int             `json:"levels"`
	NoData       int                        `json:"leaves_no_data"`
	Coverage     CoverageResponse           `json:"coverage"`
	Nodes        []MapNodeResponse          `json:"nodes"`
	Designations []ChainDesignationResponse `json:"designations"`
	Formula      string                     `json:"formula"`
	Config       map[string]float64         `json:"config"`
	// AsOf echoes the date of a map asked as of a date (?as_of=YYYY-MM-DD).
	AsOf       string        `json:"as_of,omitempty"`
	AsOfDetail *AsOfResponse `json:"as_of_detail,omitempty"`
	LandedNote string        `json:"landed_note,omitempty"` // how landed leads count, when some do
}

// AsOfResponse says what a map as of a date left out and rests on.
type AsOfResponse struct {
	LeftOut int    `json:"left_out_firms"` // established or landed after the date
	Undated int    `json:"undated_firms"`  // counted without a date precise enough to tell
	Note    string `json:"note"`
}

func (s *Server) getChainMap(c echo.Context) error {
	x, code, chain, cfg, err := s.regionChain(c)
	if err != nil {
		return err
	}
	var m *readmodel.ChainMap
	if day := c.QueryParam("as_of"); day != "" {
		m, err = x.ChainMapAsOf(c.Request().Context(), code, chain, day, cfg)
	} else {
		m, err = x.ChainMap(c.Request().Context(), code, chain, cfg)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, chainMapResponse(m))
}

func chainMapResponse(m *readmodel.ChainMap) ChainMapResponse {
	out := ChainMapResponse{
		Region: regionRef(m.Region), Chain: chainRef(m.Chain), Completeness: m.Completeness,
		Present: m.Present, Leaves: m.Leaves, RegionFirms: m.RegionFirms, Levels: map[string]int{},
		Formula: m.Formula, Config: m.Config.Values(), Nodes: make([]MapNodeResponse, 0, len(m.Nodes)),
		Designations: []ChainDesignationResponse{}, NoData: m.NoData, Coverage: coverageResponse(m.Coverage),
	}
	for l, n := range m.Levels {
		out.Levels[string(l)] = n
	}
	for _, n := range m.Nodes {
		r := MapNodeResponse{
			ID: string(n.Node.ID), Name: n.Node.Name, Parent: string(n.Node.Parent), Segment: n.Node.Segment,
			Depth: n.Depth, Leaf: n.Leaf, Count: n.Count, WCount: n.WCount, National: n.National,
			Capital: n.Capital, Revenue: n.Revenue, Tagged: n.Tagged, Level: string(n.Level),
			Score:     NodeScoreResponse{n.Score.Scale, n.Score.Linkage, n.Score.Quality, n.Score.Total, n.Score.LQ},
			TopFirms:  []FirmRefResponse{},
			Suppliers: idStrings(n.Suppliers), Customers: idStrings(n.Customers),
			PresentAdj: n.PresentAdj, Adjacent: n.AdjacentAll, Unplaced: n.Unplaced, Unsplit: n.Unsplit, Landed: n.Landed,
		}
		if n.Landed > 0 {
			out.LandedNote = readmodel.LandedNote
		}
		for _, f := range n.TopFirms {
			r.TopFirms = append(r.TopFirms, firmRef(f))
		}
		out.Nodes = append(out.Nodes, r)
	}
	if m.AsOf != nil {
		out.AsOf = m.AsOf.Date
		out.AsOfDetail = &AsOfResponse{LeftOut: m.AsOf.LeftOut, Undated: m.AsOf.Undated, Note: m.AsOf.Note}
	}
	for _, d := range m.Designations {
		out.Designations = append(out.Designations, ChainDesignationResponse{Plan: string(d.Plan), PlanTitle: d.PlanTitle,
			Region: string(d.Region), Name: d.Name, Role: string(d.Role), Confidence: d.Confidence, Evidence: d.Evidence})
	}
	return out
}

func idStrings[T ~string](ids []T) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// GapResponse is one gap.
type GapResponse struct {
	Node              string             `json:"node"`
	Name              string             `json:"name"`
	Segment           string             `json:"segment"`
	Level             string             `json:"level"`
	Count             int                `json:"local_firms"`
	Score             NodeScoreResponse  `json:"score"`
	Severity          float64            `json:"severity"`
	Components        map[string]float64 `json:"components"`
	DownstreamNodes   int                `json:"downstream_nodes"`
	DownstreamFirms   int                `json:"downstream_firms"`
	DownstreamAnchors []string           `json:"downstream_anchors"`
	PeersStrong       []string           `json:"peers_strong"`
	PeersTotal        int                `json:"peers_total"`
	Unplaced          int                `json:"unplaced_firms"`
	Reason            string             `json:"reason"`
}

// GapsResponse answers GET …/gaps.
type GapsResponse struct {
	Region   RegionRef          `json:"region"`
	Chain    ChainRef           `json:"chain"`
	Peers    []RegionRef        `json:"peers"`
	Gaps     []GapResponse      `json:"gaps"`
	Coverage CoverageResponse   `json:"coverage"`
	Formula  string             `json:"formula"`
	Config   map[string]float64 `json:"config"`
}

func (s *Server) getGaps(c echo.Context) error {
	x, code, chain, cfg, err := s.regionChain(c)
	if err != nil {
		return err
	}
	var peers []graph.RegionCode
	if p := c.QueryParam("peers"); p != "" {
		if peers, err = regionCodes(p); err != nil {
			return err
		}
	}
	g, err := x.Gaps(c.Request().Context(), code, chain, peers, cfg)
	if err != nil {
		return err
	}
	out := GapsResponse{Region: regionRef(g.Region), Chain: chainRef(g.Chain), Formula: g.Formula,
		Config: g.Config.Values(), Peers: []RegionRef{}, Gaps: []GapResponse{}, Coverage: coverageResponse(g.Coverage)}
	for _, p := range g.Peers {
		out.Peers = append(out.Peers, regionRef(p))
	}
	for _, gp := range g.Gaps {
		out.Gaps = append(out.Gaps, GapResponse{
			Node: string(gp.Node.ID), Name: gp.Node.Name, Segment: gp.Node.Segment, Level: string(gp.Level), Count: gp.Count,
			Score:    NodeScoreResponse{gp.Score.Scale, gp.Score.Linkage, gp.Score.Quality, gp.Score.Total, gp.Score.LQ},
			Severity: gp.Severity,
			Components: map[string]float64{"level": gp.Components.Level, "dependence": gp.Components.Dependence,
				"peers": gp.Components.Peers, "weight": gp.Components.Weight},
			DownstreamNodes: gp.DownstreamNodes, DownstreamFirms: gp.DownstreamFirms,
			DownstreamAnchors: nonNil(gp.DownstreamAnchors), PeersStrong: nonNil(idStrings(gp.PeersStrong)),
			PeersTotal: gp.PeersTotal, Unplaced: gp.Unplaced, Reason: gp.Reason,
		})
	}
	return c.JSON(http.StatusOK, out)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// GateResponse is an anchor's gate.
type GateResponse struct {
	Passed    bool    `json:"passed"`
	By        string  `json:"by"`
	Threshold float64 `json:"threshold"`
	Value     float64 `json:"value"`
}

// AnchorResponse is one anchor candidate with its score components.
type AnchorResponse struct {
	Firm       FirmRefResponse    `json:"firm"`
	Listed     bool               `json:"listed"`
	Nodes      []string           `json:"nodes"`
	Score      float64            `json:"score"`
	Components map[string]float64 `json:"components"`
	ScaleKnown bool               `json:"scale_known"` // false: neither revenue nor capital; scale left out (规模未知)
	LinkFirms  int                `json:"adjacent_local_firms"`
	Gate       GateResponse       `json:"gate"`
}

// AnchorsResponse answers GET …/anchors.
type AnchorsResponse struct {
	Region     RegionRef          `json:"region"`
	Chain      ChainRef           `json:"chain"`
	ChainRole  string             `json:"chain_role"`
	Candidates int                `json:"candidates"`
	Anchors    []AnchorResponse   `json:"anchors"`
	Coverage   CoverageResponse   `json:"coverage"`
	Formula    string             `json:"formula"`
	Config     map[string]float64 `json:"config"`
}

func (s *Server) getAnchors(c echo.Context) error {
	x, code, chain, cfg, err := s.regionChain(c)
	if err != nil {
		return err
	}
	all, err := boolParam(c, "all")
	if err != nil {
		return err
	}
	al, err := x.Anchors(c.Request().Context(), code, chain, cfg, all)
	if err != nil {
		return err
	}
	out := AnchorsResponse{Region: regionRef(al.Region), Chain: chainRef(al.Chain), ChainRole: string(al.ChainRole),
		Candidates: al.Candidates, Formula: al.Formula, Config: al.Config.Values(), Anchors: []AnchorResponse{},
		Coverage: coverageResponse(al.Coverage)}
	for _, a := range al.Anchors {
		out.Anchors = append(out.Anchors, AnchorResponse{
			Firm: firmRef(a.Firm), Listed: a.Listed, Nodes: idStrings(a.Nodes), Score: a.Score,
			Components: map[string]float64{"scale": a.Scale, "breadth": a.Breadth, "linkage": a.Linkage, "quality": a.Quality},
			LinkFirms:  a.LinkFirms, ScaleKnown: a.ScaleKnown,
			Gate: GateResponse{a.Gate.Passed, a.Gate.By, a.Gate.Threshold, a.Gate.Value},
		})
	}
	return c.JSON(http.StatusOK, out)
}

func boolParam(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%w: %s=%q: want true or false", errBadRequest, name, v)
	}
	return b, nil
}

func floatParam(c echo.Context, name string) (float64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%w: %s=%q: want a finite number ≥ 0", errBadRequest, name, v)
	}
	return f, nil
}

func intParam(c echo.Context, name string, def int) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %s=%q: want a whole number ≥ 0", errBadRequest, name, v)
	}
	return n, nil
}

func listParam(c echo.Context, name string) []string {
	var out []string
	for _, v := range c.QueryParams()[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// TargetQueryFrom reads a target query from the request's parameters:
// tags, province, min_capital, max_capital (万元), status, nodes, sort, page, size, peers.
func targetQueryFrom(c echo.Context) (readmodel.TargetQuery, error) {
	var q readmodel.TargetQuery
	var err error
	q.Tags = listParam(c, "tags")
	if p := c.QueryParam("province"); p != "" {
		if q.Province, err = graph.ParseRegionCode(p); err != nil {
			return q, err
		}
	}
	if q.MinCapital, err = floatParam(c, "min_capital"); err != nil {
		return q, err
	}
	if q.MaxCapital, err = floatParam(c, "max_capital"); err != nil {
		return q, err
	}
	for _, st := range listParam(c, "status") {
		switch graph.FirmStatus(st) {
		case graph.StatusActive, graph.StatusCancelled, graph.StatusRevoked, graph.StatusMovedOut, graph.StatusOther:
			q.Statuses = append(q.Statuses, graph.FirmStatus(st))
		default:
			return q, fmt.Errorf("%w: status %q: want active, cancelled, revoked, moved or other", errBadRequest, st)
		}
	}
	for _, n := range listParam(c, "nodes") {
		id, err := graph.ParseNodeID(n)
		if err != nil {
			return q, err
		}
		q.Nodes = append(q.Nodes, id)
	}
	q.Sort = c.QueryParam("sort")
	if q.Page, err = intParam(c, "page", 1); err != nil {
		return q, err
	}
	if q.Size, err = intParam(c, "size", 20); err != nil {
		return q, err
	}
	if p := c.QueryParam("peers"); p != "" {
		if q.Peers, err = regionCodes(p); err != nil {
			return q, err
		}
	}
	if q.LeafOnly, err = boolParam(c, "leaf_only"); err != nil {
		return q, err
	}
	return q, nil
}

// ParkRefResponse is a recommended park.
type ParkRefResponse struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Level string `json:"level,omitempty"`
	Why   string `json:"why"`
}

// TargetResponse is one investment target.
type TargetResponse struct {
	Firm       FirmRefResponse    `json:"firm"`
	Status     string             `json:"status"`
	Score      float64            `json:"score"`
	Components map[string]float64 `json:"components"`
	GapNodes   []string           `json:"gap_nodes"`
	Group      string             `json:"group,omitempty"`
	ScaleKnown bool               `json:"scale_known"` // false: neither capital nor revenue; scale left out (规模未知)
	Method     string             `json:"method,omitempty"`
	MethodName string             `json:"method_label,omitempty"` // the method in Chinese: 申万行业对照, 新闻点名 …
	Park       *ParkRefResponse   `json:"park,omitempty"`
	Reason     string             `json:"reason"`
}

// TargetsResponse answers GET …/targets.
type TargetsResponse struct {
	Region  RegionRef        `json:"region"`
	Chain   ChainRef         `json:"chain"`
	Total   int              `json:"total"`
	Page    int              `json:"page"`
	Size    int              `json:"size"`
	Targets []TargetResponse `json:"targets"`
	// Unplaced firms would cover a gap but may be local (位置待核实): not ranked.
	Unplaced     int                `json:"unplaced"`
	ScaleUnknown int                `json:"scale_unknown"`
	Coverage     CoverageResponse   `json:"coverage"`
	Formula      string             `json:"formula"`
	Config       map[string]float64 `json:"config"`
}

func (s *Server) getTargets(c echo.Context) error {
	x, code, chain, cfg, err := s.regionChain(c)
	if err != nil {
		return err
	}
	q, err := targetQueryFrom(c)
	if err != nil {
		return err
	}
	tl, err := x.Targets(c.Request().Context(), code, chain, q, cfg)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, targetsResponse(tl))
}

func targetsResponse(tl *readmodel.TargetList) TargetsResponse {
	out := TargetsResponse{Region: regionRef(tl.Region), Chain: chainRef(tl.Chain), Total: tl.Total, Page: tl.Page,
		Size: tl.Size, Formula: tl.Formula, Config: tl.Config.Values(), Targets: []TargetResponse{},
		Unplaced: tl.Unplaced, ScaleUnknown: tl.ScaleUnknown, Coverage: coverageResponse(tl.Coverage)}
	for _, t := range tl.Targets {
		r := TargetResponse{Firm: firmRef(t.Firm), Status: string(t.Status), Score: t.Score,
			Components: map[string]float64{"gap": t.Components.Gap, "affinity": t.Components.Affinity,
				"quality": t.Components.Quality, "scale": t.Components.Scale, "proximity": t.Components.Proximity,
				"risk": t.Components.Risk},
			GapNodes: idStrings(t.GapNodes), Group: string(t.Group), Reason: t.Reason,
			ScaleKnown: t.Components.ScaleKnown, Method: t.Method, MethodName: graph.MethodLabel(t.Method)}
		if t.Park != nil {
			r.Park = &ParkRefResponse{ID: string(t.Park.ID), Name: t.Park.Name, Level: t.Park.Level, Why: t.Park.Why}
		}
		out.Targets = append(out.Targets, r)
	}
	return out
}
