package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chainkg/chainkg/graph"
)

// SourceResponse is one loaded source.
type SourceResponse struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Title    string    `json:"title,omitempty"`
	Origin   string    `json:"origin,omitempty"`
	Version  string    `json:"version"`
	Facts    int       `json:"facts"`
	LoadedAt time.Time `json:"loaded_at"`
	Hash     string    `json:"hash"`
}

// SourcesResponse lists the loaded sources.
type SourcesResponse struct {
	Sources []SourceResponse `json:"sources"`
}

func (s *Server) listSources(c echo.Context) error {
	srcs, err := s.graphStore().Sources(c.Request().Context())
	if err != nil {
		return err
	}
	out := SourcesResponse{Sources: make([]SourceResponse, len(srcs))}
	for i, si := range srcs {
		out.Sources[i] = SourceResponse{
			ID: string(si.ID), Kind: string(si.Kind), Title: si.Title, Origin: si.Origin,
			Version: si.Version, Facts: si.Facts, LoadedAt: si.LoadedAt, Hash: si.Hash,
		}
	}
	return c.JSON(http.StatusOK, out)
}

// DeleteResponse answers a source deletion.
type DeleteResponse struct {
	Deleted string `json:"deleted"`
}

func (s *Server) deleteSource(c echo.Context) error {
	id, err := graph.ParseSourceID(c.Param("kind") + "/" + c.Param("name"))
	if err != nil {
		return err
	}
	if err := s.graphStore().Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, DeleteResponse{Deleted: string(id)})
}
