package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// ParkResponse answers GET /parks/{id}.
type ParkResponse struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	ShortName string            `json:"short_name,omitempty"`
	Aliases   []string          `json:"aliases"`
	Region    *RegionRef        `json:"region,omitempty"`
	Level     string            `json:"level,omitempty"`
	Kind      string            `json:"kind,omitempty"`
	Focus     []string          `json:"focus"`
	Chains    []ChainRef        `json:"chains"`
	Address   string            `json:"address,omitempty"`
	Note      string            `json:"note,omitempty"`
	Firms     []FirmRefResponse `json:"firms"`
}

func (s *Server) getPark(c echo.Context) error {
	id, err := graph.ParseParkID(c.Param("id"))
	if err != nil {
		return err
	}
	d, err := s.snapshot(c).ParkDetail(id)
	if err != nil {
		return err
	}
	p := d.Park
	out := ParkResponse{ID: string(p.ID), Name: p.Name, ShortName: p.ShortName, Aliases: nonNil(p.Aliases),
		Level: p.Level, Kind: p.Kind, Focus: nonNil(p.Focus), Address: p.Address, Note: p.Note,
		Chains: []ChainRef{}, Firms: []FirmRefResponse{}}
	if d.Region.Code != "" {
		r := regionRef(d.Region)
		out.Region = &r
	}
	for _, ch := range d.Chains {
		out.Chains = append(out.Chains, chainRef(ch))
	}
	for _, f := range d.Firms {
		out.Firms = append(out.Firms, firmRef(f))
	}
	return c.JSON(http.StatusOK, out)
}
