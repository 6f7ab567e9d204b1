package loaders

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// IndustryMap is a curated crosswalk from the industries of one
// classification — 申万 2021 (data/chains/sw2021.txt), tushare's own
// classes (data/chains/tushare.txt) — to chain nodes. A listed firm has no
// 经营范围, so its industry is the best evidence of its links; the map says
// which nodes an industry covers and how surely.
type IndustryMap struct {
	rows map[string]IndustryRow
}

// IndustryRow is one industry of an IndustryMap.
type IndustryRow struct {
	Industry string
	// Targets are the nodes the industry maps to, each with its confidence;
	// none when the library knowingly has no node for the industry or the
	// industry is too broad to place ("-" in the file).
	Targets []IndustryTarget
	// Confidence is the row's: for a row with targets, the confidence of
	// targets without their own; for "-", how surely the industry lies
	// outside every chain (1) rather than being too broad to place (< 1).
	Confidence float64
	Note       string
	Line       int
}

// Outside reports whether the row says its industry lies outside every
// chain of the library: "-" with confidence 1.
func (r IndustryRow) Outside() bool { return len(r.Targets) == 0 && r.Confidence >= 1 }

// IndustryTarget is a node an industry maps to.
type IndustryTarget struct {
	Node       graph.NodeID
	Confidence float64
}

// Row returns the row of an industry.
func (m *IndustryMap) Row(industry string) (IndustryRow, bool) {
	if m == nil {
		return IndustryRow{}, false
	}
	r, ok := m.rows[industry]
	return r, ok
}

// Len returns how many industries the map has rows for.
func (m *IndustryMap) Len() int {
	if m == nil {
		return 0
	}
	return len(m.rows)
}

// readIndustryMap reads an industry crosswalk: one row a line, four fields
// separated by '|', '#' starting a comment:
//
//	# industry | nodes                                   | confidence | note
//	锂电池      | nev/cell, energy-storage/es-cell=0.6    | 0.8        | 宁德时代 …
//	银行        | -                                       | 1          | 链库无对应链
//
// nodes is a list of node ids, each optionally with its own confidence
// (node=0.4) that overrides the row's, or "-". industry says whether an
// industry exists in the classification and may map (nil leaves the names
// unchecked); nodes says whether a node exists (nil leaves them unchecked,
// with a warning). Every rejected row is reported with file, line and field,
// and left out of the map. It is no loader of its own: the listed-company
// loader reads its crosswalks with it.
func readIndustryMap(ctx context.Context, r io.Reader, file string, industry func(string) error, nodes func(graph.NodeID) bool) (*IndustryMap, *Report, error) {
	rep := &Report{File: file}
	if nodes == nil {
		rep.Warn(0, "nodes", errors.New("no chain library is loaded: node ids were not checked"))
	}
	m := &IndustryMap{rows: map[string]IndustryRow{}}
	err := readPipeTable(ctx, r, file, []string{"industry", "nodes", "confidence", "note"}, rep, func(n int, parts []string) error {
		row := IndustryRow{Industry: parts[0], Note: parts[3], Line: n}
		bad := false
		switch prev, dup := m.rows[row.Industry]; {
		case row.Industry == "":
			rep.Reject(n, "industry", errors.New("empty"))
			bad = true
		case dup:
			rep.Reject(n, "industry", fmt.Errorf("%q is already mapped on line %d", row.Industry, prev.Line))
			bad = true
		case industry != nil:
			if err := industry(row.Industry); err != nil {
				rep.Reject(n, "industry", err)
				bad = true
			}
		}
		conf, err := strconv.ParseFloat(parts[2], 64)
		if err != nil || conf <= 0 || conf > 1 {
			rep.Reject(n, "confidence", fmt.Errorf("%q: want a number in (0, 1]", parts[2]))
			bad = true
		}
		row.Confidence = conf
		if parts[1] != "-" {
			specs := splitList(parts[1])
			if len(specs) == 0 {
				rep.Reject(n, "nodes", errors.New("empty: list node ids, or write - for an industry no node covers"))
				bad = true
			}
			for _, s := range specs {
				t, err := parseIndustryTarget(s, conf)
				switch {
				case err != nil:
					rep.Reject(n, "nodes", err)
					bad = true
				case nodes != nil && !nodes(t.Node):
					rep.Reject(n, "nodes", fmt.Errorf("no node %s in the chain library", t.Node))
					bad = true
				case row.hasNode(t.Node):
					rep.Reject(n, "nodes", fmt.Errorf("%s is listed twice", t.Node))
					bad = true
				default:
					row.Targets = append(row.Targets, t)
				}
			}
		}
		if bad {
			return nil
		}
		m.rows[row.Industry] = row
		rep.Loaded++
		return nil
	})
	return m, rep, err
}

// parseIndustryTarget reads "nev/cell" or "nev/cell=0.6"; conf is the row's
// confidence, which a node without its own takes.
func parseIndustryTarget(s string, conf float64) (IndustryTarget, error) {
	id, c, own := strings.Cut(s, "=")
	node, err := graph.ParseNodeID(strings.TrimSpace(id))
	if err != nil {
		return IndustryTarget{}, err
	}
	if own {
		v, err := strconv.ParseFloat(strings.TrimSpace(c), 64)
		if err != nil || v <= 0 || v > 1 {
			return IndustryTarget{}, fmt.Errorf("%s: confidence %q: want a number in (0, 1]", node, c)
		}
		conf = v
	}
	return IndustryTarget{Node: node, Confidence: conf}, nil
}

func (r *IndustryRow) hasNode(n graph.NodeID) bool {
	for _, t := range r.Targets {
		if t.Node == n {
			return true
		}
	}
	return false
}
