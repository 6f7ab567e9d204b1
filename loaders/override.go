package loaders

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// ReadOverrides reads a user's corrections of firm classification: a table
// (any format ReadRegistry reads) with the columns firm (a credit code, a
// firm id, or a name that names exactly one loaded firm), node (a node id,
// or a node name that names exactly one node), action (include or exclude;
// 纳入 / 排除) and an optional note. An override is a source of its own and
// wins over what the loaders inferred: include adds the link with method
// "override", exclude removes the node's links from the firm. It reads in.R
// and in.File, and resolves against in.Firms and in.Chains.
func ReadOverrides(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	r, file := in.R, in.File
	rep := &Report{File: file}
	t, err := openTable(r, file)
	if err != nil {
		return rep, withFile(err, file)
	}
	defer t.Close()
	aliases := map[string]string{
		"firm": "firm", "企业": "firm", "企业名称": "firm", "统一社会信用代码": "firm", "firm_id": "firm",
		"node": "node", "环节": "node", "节点": "node", "产业链环节": "node", "node_id": "node",
		"action": "action", "操作": "action", "include": "action",
		"note": "note", "说明": "note", "备注": "note", "理由": "note",
	}
	col := headerColumns(t.Header(), aliases)
	for _, want := range []string{"firm", "node", "action"} {
		if _, ok := col[want]; !ok {
			return rep, &ParseError{File: file, Line: 1, Err: fmt.Errorf("%w: missing column %s (want firm, node, action, note)", ErrRejected, want)}
		}
	}
	nodeNames := nodeNamesOf(in.Chains)
	err = eachRow(ctx, t, file, col, rep, func(line int, get func(string) string) error {
		o, field, err := readOverride(in, nodeNames, get)
		if err != nil {
			rep.Reject(line, t.Header()[col[field]], err)
			return nil
		}
		if err := sink.Put(o); err != nil {
			return err
		}
		rep.Loaded++
		return nil
	})
	return rep, err
}

// nodeNamesOf maps every name and alias of a node of the library to the
// nodes it names.
func nodeNamesOf(chains Chains) map[string][]graph.NodeID {
	nodeNames := map[string][]graph.NodeID{}
	for _, c := range chains.Chains() {
		for _, n := range chains.ChainNodes(c.ID) {
			for _, name := range append([]string{n.Name}, n.Aliases...) {
				if !containsNode(nodeNames[name], n.ID) {
					nodeNames[name] = append(nodeNames[name], n.ID)
				}
			}
		}
	}
	return nodeNames
}

// readOverride reads one row; on error it also names the field at fault.
func readOverride(in Input, nodeNames map[string][]graph.NodeID, get func(string) string) (graph.NodeOverride, string, error) {
	firm, err := resolveFirm(in.Firms, get("firm"))
	if err != nil {
		return graph.NodeOverride{}, "firm", err
	}
	node, err := resolveNode(in.Chains, nodeNames, get("node"))
	if err != nil {
		return graph.NodeOverride{}, "node", err
	}
	var include bool
	switch a := strings.ToLower(get("action")); a {
	case "include", "in", "add", "纳入", "加入", "是", "true", "1", "+":
		include = true
	case "exclude", "out", "remove", "排除", "移出", "否", "false", "0", "-":
	default:
		return graph.NodeOverride{}, "action", fmt.Errorf("%q: want include or exclude", a)
	}
	return graph.NodeOverride{Firm: firm, Node: node, Include: include, Note: get("note")}, "", nil
}

func resolveFirm(firms Firms, v string) (graph.FirmID, error) {
	if v == "" {
		return "", errors.New("empty")
	}
	if id, err := graph.ParseFirmID(v); err == nil {
		if _, ok := firms.Firm(id); !ok {
			return "", fmt.Errorf("firm %s is not loaded", id)
		}
		return id, nil
	}
	ids := firms.FirmsNamed(v)
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no loaded firm is named %q", v)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("%q names %d firms (%s …): give the credit code", v, len(ids), ids[0])
}

func resolveNode(chains Chains, names map[string][]graph.NodeID, v string) (graph.NodeID, error) {
	if v == "" {
		return "", errors.New("empty")
	}
	if id, err := graph.ParseNodeID(v); err == nil {
		if _, ok := chains.Node(id); !ok {
			return "", fmt.Errorf("node %s is not in the chain library", id)
		}
		return id, nil
	}
	ids := names[v]
	switch len(ids) {
	case 0:
		return "", fmt.Errorf("no chain node is named %q", v)
	case 1:
		return ids[0], nil
	}
	return "", fmt.Errorf("%q names %d nodes (%s …): give the node id", v, len(ids), ids[0])
}

func containsNode(s []graph.NodeID, n graph.NodeID) bool {
	for _, x := range s {
		if x == n {
			return true
		}
	}
	return false
}
