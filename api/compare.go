package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// CompareStateResponse is one node in one region.
type CompareStateResponse struct {
	Region   string  `json:"region"`
	Count    int     `json:"local_firms"`
	Unplaced int     `json:"unplaced_firms"`
	Level    string  `json:"level"`
	Score    float64 `json:"score"`
	LQ       float64 `json:"lq"`
}

// CompareNodeResponse is one node across regions.
type CompareNodeResponse struct {
	ID     string                 `json:"id"`
	Name   string                 `json:"name"`
	Depth  int                    `json:"depth"`
	Leaf   bool                   `json:"leaf"`
	States []CompareStateResponse `json:"regions"`
}

// RegionSummaryResponse summarises a region on a chain.
type RegionSummaryResponse struct {
	Region       RegionRef        `json:"region"`
	Completeness float64          `json:"completeness"`
	Present      int              `json:"leaves_present"`
	Leaves       int              `json:"leaves"`
	Firms        int              `json:"chain_firms"`
	Levels       map[string]int   `json:"levels"`
	NoData       int              `json:"leaves_no_data"`
	Coverage     CoverageResponse `json:"coverage"`
}

// CompareRegionsResponse answers GET /compare?chain=…&regions=….
type CompareRegionsResponse struct {
	Chain   ChainRef                `json:"chain"`
	Regions []RegionSummaryResponse `json:"regions"`
	Nodes   []CompareNodeResponse   `json:"nodes"`
	Config  map[string]float64      `json:"config"`
}

// ChainSummaryResponse summarises a chain in a region.
type ChainSummaryResponse struct {
	Chain        ChainRef       `json:"chain"`
	Completeness float64        `json:"completeness"`
	Present      int            `json:"leaves_present"`
	Leaves       int            `json:"leaves"`
	Firms        int            `json:"chain_firms"`
	Levels       map[string]int `json:"levels"`
	Designated   bool           `json:"designated"`
}

// CompareChainsResponse answers GET /compare?region=… (one region across chains).
type CompareChainsResponse struct {
	Region RegionRef              `json:"region"`
	Chains []ChainSummaryResponse `json:"chains"`
	Config map[string]float64     `json:"config"`
}

func levels(m map[readmodel.Level]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

// getCompare compares regions on a chain (chain=…&regions=a,b,c), or one
// region across all chains (region=…).
func (s *Server) getCompare(c echo.Context) error {
	x := s.snapshot(c)
	cfg, err := configFrom(c)
	if err != nil {
		return err
	}
	if r := c.QueryParam("region"); r != "" && c.QueryParam("chain") == "" {
		code, err := graph.ParseRegionCode(r)
		if err != nil {
			return err
		}
		p, err := x.CompareChains(c.Request().Context(), code, cfg)
		if err != nil {
			return err
		}
		out := CompareChainsResponse{Region: regionRef(p.Region), Config: cfg.Values(), Chains: []ChainSummaryResponse{}}
		for _, cs := range p.Chains {
			out.Chains = append(out.Chains, ChainSummaryResponse{Chain: chainRef(cs.Chain), Completeness: cs.Completeness,
				Present: cs.Present, Leaves: cs.Leaves, Firms: cs.Firms, Levels: levels(cs.Levels), Designated: cs.Designated})
		}
		return c.JSON(http.StatusOK, out)
	}
	if c.QueryParam("chain") == "" || c.QueryParam("regions") == "" {
		return fmt.Errorf("%w: want chain=…&regions=code,code… or region=…", errBadRequest)
	}
	chain, err := x.ResolveChain(c.QueryParam("chain"))
	if err != nil {
		return err
	}
	codes, err := regionCodes(c.QueryParam("regions"))
	if err != nil {
		return err
	}
	if len(codes) > 50 {
		return fmt.Errorf("%w: at most 50 regions", errBadRequest)
	}
	rc, err := x.CompareRegions(c.Request().Context(), chain, codes, cfg)
	if err != nil {
		return err
	}
	out := CompareRegionsResponse{Chain: chainRef(rc.Chain), Config: cfg.Values(), Regions: []RegionSummaryResponse{}, Nodes: []CompareNodeResponse{}}
	for _, r := range rc.Regions {
		out.Regions = append(out.Regions, RegionSummaryResponse{Region: regionRef(r.Region), Completeness: r.Completeness,
			Present: r.Present, Leaves: r.Leaves, Firms: r.Firms, Levels: levels(r.Levels),
			NoData: r.NoData, Coverage: coverageResponse(r.Coverage)})
	}
	for _, n := range rc.Nodes {
		cn := CompareNodeResponse{ID: string(n.Node.ID), Name: n.Node.Name, Depth: n.Depth, Leaf: n.Leaf}
		for i, st := range n.States {
			cn.States = append(cn.States, CompareStateResponse{Region: string(rc.Regions[i].Region.Code), Count: st.Count,
				Unplaced: st.Unplaced, Level: string(st.Level), Score: st.Score, LQ: st.LQ})
		}
		out.Nodes = append(out.Nodes, cn)
	}
	return c.JSON(http.StatusOK, out)
}
