package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// FirmFactResponse is one attribute of a firm as one source states it.
type FirmFactResponse struct {
	Predicate string `json:"predicate"`
	Value     string `json:"value"`
	Source    string `json:"source"`
}

// FirmLinkResponse is a firm's link to a chain node, with its evidence.
type FirmLinkResponse struct {
	Node       string  `json:"node"`
	NodeName   string  `json:"node_name"`
	Chain      string  `json:"chain"`
	ChainName  string  `json:"chain_name"`
	Method     string  `json:"method"`
	Confidence float64 `json:"confidence"`
	Role       string  `json:"role,omitempty"`
	Matched    string  `json:"matched,omitempty"`
	Source     string  `json:"source"`
	// Excluded says an override took the firm out of the node: the
	// analytics leave the link out. ExcludedBy is the override source,
	// ExcludedNote its note.
	Excluded     bool   `json:"excluded,omitempty"`
	ExcludedBy   string `json:"excluded_by,omitempty"`
	ExcludedNote string `json:"excluded_note,omitempty"`
}

// FirmResponse answers GET /firms/{id}.
type FirmResponse struct {
	ID           string             `json:"id"`
	Name         string             `json:"name"`
	ShortName    string             `json:"short_name,omitempty"`
	Aliases      []string           `json:"aliases"`
	Status       string             `json:"status,omitempty"`
	Region       *RegionRef         `json:"region,omitempty"`
	RegionPath   []RegionRef        `json:"region_path"`
	RegionMethod string             `json:"region_method,omitempty"`
	Capital      float64            `json:"capital_wan,omitempty"`
	PaidIn       float64            `json:"paid_in_wan,omitempty"`
	Currency     string             `json:"currency,omitempty"`
	Revenue      float64            `json:"revenue_wan,omitempty"`
	Employees    int                `json:"employees,omitempty"`
	Founded      string             `json:"founded,omitempty"`
	Type         string             `json:"type,omitempty"`
	Industry     string             `json:"industry_code,omitempty"`
	IndustryName string             `json:"industry_name,omitempty"`
	Address      string             `json:"address,omitempty"`
	Scope        string             `json:"scope,omitempty"`
	Stocks       []string           `json:"stocks"`
	Tags         []string           `json:"tags"`
	Group        string             `json:"group,omitempty"`
	Park         string             `json:"park,omitempty"`
	Synthetic    bool               `json:"synthetic,omitempty"`
	Nodes        []FirmLinkResponse `json:"nodes"`
	Facts        []FirmFactResponse `json:"facts"`
	Sources      []string           `json:"sources"`
}

func (s *Server) getFirm(c echo.Context) error {
	id, err := graph.ParseFirmID(c.Param("id"))
	if err != nil {
		return err
	}
	x := s.snapshot(c)
	d, err := s.graphStore().FirmDetail(c.Request().Context(), x, id)
	if err != nil {
		return err
	}
	f := d.Firm
	out := FirmResponse{
		ID: string(f.ID), Name: f.Name, ShortName: f.ShortName, Aliases: nonNil(f.Aliases), Status: string(f.Status),
		RegionMethod: f.RegionMethod, Capital: f.Capital, PaidIn: f.PaidIn, Currency: f.Currency, Revenue: f.Revenue,
		Employees: f.Employees, Founded: f.Founded, Type: f.Type, Industry: string(f.Industry),
		Address: d.Address, Scope: d.Scope, Stocks: nonNil(f.Stocks), Tags: nonNil(f.Tags), Group: f.Group,
		Park: string(f.Park), Synthetic: f.Synthetic, Nodes: []FirmLinkResponse{}, Facts: []FirmFactResponse{},
		Sources: idStrings(d.Sources), RegionPath: []RegionRef{},
	}
	if r, ok := x.Region(f.Region); ok {
		rr := regionRef(r)
		out.Region = &rr
		for _, a := range x.Ancestors(r.Code) {
			out.RegionPath = append(out.RegionPath, regionRef(a))
		}
		out.RegionPath = append(out.RegionPath, rr)
	}
	if ic, ok := x.IndustryClass(f.Industry); ok {
		out.IndustryName = ic.Name
	}
	for _, l := range d.Links {
		out.Nodes = append(out.Nodes, FirmLinkResponse{Node: string(l.Node), NodeName: l.NodeName, Chain: string(l.Node.Chain()),
			ChainName: l.ChainName, Method: l.Method, Confidence: l.Confidence, Role: l.Role, Matched: l.Matched, Source: string(l.Source),
			Excluded: l.Excluded, ExcludedBy: string(l.ExcludedBy), ExcludedNote: l.ExcludedNote})
	}
	for _, ff := range d.Facts {
		out.Facts = append(out.Facts, FirmFactResponse{Predicate: ff.Predicate, Value: ff.Value, Source: string(ff.Source)})
	}
	return c.JSON(http.StatusOK, out)
}
