package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// QualitySourceResponse is one source of the data-quality view.
type QualitySourceResponse struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Kind           string `json:"kind"`
	KindLabel      string `json:"kind_label"`
	LoadedAt       string `json:"loaded_at"`
	AgeDays        int    `json:"age_days"`
	Firms          int    `json:"firms"`
	ProvinceOnly   int    `json:"province_only"`
	RegionConflict int    `json:"region_conflicts"`
	WeakLinks      int    `json:"weak_links"`
	NoNode         int    `json:"no_node"`
}

// QualityRegionResponse is one province of the data-quality view.
type QualityRegionResponse struct {
	Region         RegionRef `json:"region"`
	Firms          int       `json:"firms"`
	ProvinceOnly   int       `json:"province_only"`
	RegionConflict int       `json:"region_conflicts"`
	WeakLinks      int       `json:"weak_links"`
	NoNode         int       `json:"no_node"`
}

// QualityMarkResponse is a writer's verdict on an item.
type QualityMarkResponse struct {
	Item        string `json:"item"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Note        string `json:"note,omitempty"`
	By          string `json:"by,omitempty"`
	At          string `json:"at,omitempty"`
}

// QualityItemResponse is one thing to check.
type QualityItemResponse struct {
	Key       string               `json:"key"`
	Kind      string               `json:"kind"`
	KindLabel string               `json:"kind_label"`
	Firms     []FirmRefResponse    `json:"firms"`
	Node      string               `json:"node,omitempty"`
	Detail    string               `json:"detail"`
	Sources   []string             `json:"sources"`
	Mark      *QualityMarkResponse `json:"mark,omitempty"`
}

// QualityResponse answers GET /api/v1/quality.
type QualityResponse struct {
	Sources []QualitySourceResponse `json:"sources"`
	Regions []QualityRegionResponse `json:"regions"`
	Kinds   map[string]int          `json:"kinds"`
	Labels  map[string]string       `json:"kind_labels"`
	Marked  int                     `json:"marked"`
	Total   int                     `json:"total"`
	Page    int                     `json:"page"`
	Size    int                     `json:"size"`
	Items   []QualityItemResponse   `json:"items"`
}

func (s *Server) getQuality(c echo.Context) error {
	x := s.snapshot(c)
	q := readmodel.QualityQuery{Kind: readmodel.QualityKind(c.QueryParam("kind")), Status: c.QueryParam("status"),
		Source: graph.SourceID(c.QueryParam("source"))}
	var err error
	if r := c.QueryParam("region"); r != "" {
		if q.Region, err = graph.ParseRegionCode(r); err != nil {
			return err
		}
	}
	if q.Page, err = intParam(c, "page", 1); err != nil {
		return err
	}
	if q.Size, err = intParam(c, "size", 50); err != nil {
		return err
	}
	rep, err := x.Quality(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := QualityResponse{Kinds: map[string]int{}, Labels: map[string]string{}, Marked: rep.Marked, Total: rep.Total,
		Page: rep.Page, Size: rep.Size, Sources: []QualitySourceResponse{}, Regions: []QualityRegionResponse{}, Items: []QualityItemResponse{}}
	for _, k := range []readmodel.QualityKind{readmodel.QualityProvinceOnly, readmodel.QualityRegionConflict, readmodel.QualityDuplicate,
		readmodel.QualityGroupMember, readmodel.QualityWeakLink, readmodel.QualityNoNode} {
		out.Kinds[string(k)] = rep.Kinds[k]
		out.Labels[string(k)] = readmodel.QualityKindLabel(k)
	}
	for _, sq := range rep.Sources {
		out.Sources = append(out.Sources, QualitySourceResponse{ID: string(sq.Source.ID), Title: sq.Source.Title,
			Kind: string(sq.Source.Kind), KindLabel: graph.KindLabel(sq.Source.Kind), LoadedAt: sq.Source.LoadedAt.UTC().Format(time.RFC3339),
			AgeDays: sq.AgeDays, Firms: sq.Firms, ProvinceOnly: sq.ProvinceOnly, RegionConflict: sq.RegionConflict,
			WeakLinks: sq.WeakLinks, NoNode: sq.NoNode})
	}
	for _, rq := range rep.Regions {
		out.Regions = append(out.Regions, QualityRegionResponse{Region: regionRef(rq.Region), Firms: rq.Firms,
			ProvinceOnly: rq.ProvinceOnly, RegionConflict: rq.RegionConflict, WeakLinks: rq.WeakLinks, NoNode: rq.NoNode})
	}
	for _, it := range rep.Items {
		r := QualityItemResponse{Key: it.Key, Kind: string(it.Kind), KindLabel: readmodel.QualityKindLabel(it.Kind),
			Node: string(it.Node), Detail: it.Detail, Sources: idStrings(it.Sources), Firms: []FirmRefResponse{}}
		for _, f := range it.Firms {
			r.Firms = append(r.Firms, firmRef(f))
		}
		if it.Mark != nil {
			m := markResponse(*it.Mark)
			r.Mark = &m
		}
		out.Items = append(out.Items, r)
	}
	return c.JSON(http.StatusOK, out)
}

func markResponse(m graph.QualityMark) QualityMarkResponse {
	label := "已处理"
	if m.Status == graph.MarkWrong {
		label = "误报"
	}
	out := QualityMarkResponse{Item: m.Item, Status: string(m.Status), StatusLabel: label, Note: m.Note, By: m.By}
	if !m.At.IsZero() {
		out.At = m.At.UTC().Format(time.RFC3339)
	}
	return out
}

// QualityMarkRequest is the body of POST /api/v1/quality/marks.
type QualityMarkRequest struct {
	Item   string `json:"item"`
	Status string `json:"status"` // resolved or wrong; "" takes the mark back
	Note   string `json:"note"`
}

// marksSource holds every data-quality verdict: an override source of its
// own, so reloading any other source keeps them.
var marksSource = graph.Source{ID: "override/quality-marks", Kind: graph.KindOverride, Title: "数据质量核实记录"}

// postQualityMark records a writer's verdict on an item (or takes it back)
// by writing the marks source anew with every verdict.
func (s *Server) postQualityMark(c echo.Context) error {
	var req QualityMarkRequest
	if err := c.Bind(&req); err != nil {
		return err
	}
	req.Item = strings.TrimSpace(req.Item)
	if req.Item == "" || len(req.Item) > 500 {
		return fmt.Errorf("%w: item: want the key of a data-quality item", errBadRequest)
	}
	var st graph.QualityStatus
	if req.Status != "" {
		var err error
		if st, err = graph.ParseQualityStatus(req.Status); err != nil {
			return err
		}
	}
	if len(req.Note) > 2000 {
		return fmt.Errorf("%w: note: at most 2000 bytes", errBadRequest)
	}
	by := "writer"
	if r, ok := c.Get(roleKey).(Role); ok {
		by = r.String()
	}
	s.marksMu.Lock()
	defer s.marksMu.Unlock()
	var facts []graph.Fact
	for _, m := range s.graphStore().Index().Marks() {
		if m.Item != req.Item {
			facts = append(facts, m)
		}
	}
	mark := graph.QualityMark{Item: req.Item, Status: st, Note: strings.TrimSpace(req.Note), By: by, At: time.Now().UTC().Truncate(time.Second)}
	if st != "" {
		facts = append(facts, mark)
	}
	if _, err := s.graphStore().Replace(c.Request().Context(), marksSource, graph.Facts(facts...)); err != nil {
		return err
	}
	if st == "" {
		return c.NoContent(http.StatusNoContent)
	}
	return c.JSON(http.StatusOK, markResponse(mark))
}
