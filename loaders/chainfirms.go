package loaders

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// ReadChainFirms reads a list of firms that pages name in a region's
// chain (kind chain-firms): the list a 招商 team keeps of 链主, 龙头 and 配套
// firms, each row with the page that says so. The layout is a CSV (or
// XLSX) table with a header row; columns may come in any order, English or
// Chinese headers:
//
//	region_code | 地区      required: the region whose chain it is, a GB/T 2260 code or a name (烟台市)
//	firm_name   | 企业名称  required: the firm as the page prints it (a short name will do)
//	chain       | 产业链    the page's words for the chain (汽车产业, 高端化工产业)
//	link        | 环节      the page's words for the link (电芯(动力电池), 整车(商用车))
//	node        | 节点      optional: a node id of the chain library (nev/cell) or its name, which wins over link
//	role        | 角色      the page's words for the firm's role: 链主, 龙头, 骨干, 配套 …
//	quote       | 原文      the page's words that say it (a short quote)
//	source_url  | 来源      the page's address
//	source_date | 日期      the page's date, YYYY-MM-DD or YYYY
//
// The chain's words reach chains as a plan's do (the crosswalk, chain names
// and aliases, the parts of a compound); the link's words reach nodes of
// those chains by their names, aliases, keywords and products. A row whose
// words reach no node is reported with its line and still places its firm
// in the region; a row whose chain words reach no chain is reported too.
// Firms are resolved and placed as placement.go says; links are written
// with method named-in-source. It reads in.R and in.File, and resolves
// against in.Regions, in.Chains, in.Firms and in.Parks.
func ReadChainFirms(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	r, file := in.R, in.File
	rep := &Report{File: file}
	t, err := openTable(r, file)
	if err != nil {
		return rep, withFile(err, file)
	}
	defer t.Close()
	at := headerColumns(t.Header(), chainFirmColumns)
	for _, want := range []string{"region_code", "firm_name"} {
		if _, ok := at[want]; !ok {
			return rep, &ParseError{File: file, Line: 1, Err: fmt.Errorf("%w: missing column %s (or its Chinese header)", ErrRejected, want)}
		}
	}
	if _, ok := at["link"]; !ok {
		if _, ok := at["node"]; !ok {
			return rep, &ParseError{File: file, Line: 1, Err: fmt.Errorf("%w: missing column link or node: a row needs one to say where the firm works", ErrRejected)}
		}
	}
	keySlug := graph.Slugify(strings.TrimSuffix(file, extOf(file)))
	l := newLinker(in.Lookups, "")
	cf := &chainFirms{lk: in.Lookups, rep: rep, l: l, keySlug: keySlug, byName: map[string][]graph.FirmID{}, out: map[graph.FirmID]*graph.Firm{}, classifiers: map[string]*Classifier{}}
	if err := eachRow(ctx, t, file, at, rep, func(line int, get func(string) string) error {
		cf.row(line, get)
		return nil
	}); err != nil {
		return rep, err
	}
	cf.linkGroups()
	for _, id := range cf.order {
		if err := sink.Put(*cf.out[id]); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// chainFirmColumns maps the headers ReadChainFirms accepts to its fields.
var chainFirmColumns = map[string]string{
	"region_code": "region_code", "region": "region_code", "地区": "region_code", "地区代码": "region_code", "行政区划代码": "region_code",
	"firm_name": "firm_name", "firm": "firm_name", "企业名称": "firm_name", "企业": "firm_name",
	"chain": "chain", "产业链": "chain", "产业": "chain",
	"link": "link", "环节": "link",
	"node": "node", "节点": "node",
	"role": "role", "角色": "role",
	"quote": "quote", "原文": "quote",
	"source_url": "source_url", "url": "source_url", "来源": "source_url", "来源网址": "source_url",
	"source_date": "source_date", "date": "source_date", "日期": "source_date",
}

// confNamedInSource is the confidence of a link a page states, before the
// confidence of reaching the chain from the page's words.
const confNamedInSource = 0.9

// Region and link methods of pages that name firms.
const (
	methodNamedInSource = "named-in-source"
)

type chainFirms struct {
	lk          Lookups
	rep         *Report
	l           *linker
	keySlug     string
	byName      map[string][]graph.FirmID // name without kind words → firms this source enters
	out         map[graph.FirmID]*graph.Firm
	order       []graph.FirmID
	classifiers map[string]*Classifier
	groups      []graph.FirmID // firms whose name names a group
}

func (c *chainFirms) row(line int, get func(string) string) {
	rep := c.rep
	name := get("firm_name")
	if name == "" {
		rep.Reject(line, "firm_name", errors.New("empty"))
		return
	}
	region, err := c.region(get("region_code"))
	if err != nil {
		rep.Reject(line, "region_code", err)
		return
	}
	nodes, why := c.nodes(get("chain"), get("link"), get("node"))
	if len(nodes) == 0 {
		rep.Warn(line, "link", fmt.Errorf("%s / %s: %s; the firm is placed in the region without a link", get("chain"), get("link"), why))
		rep.Count("links:unmatched", 1)
	}
	id, place, ok := c.firm(line, name, region)
	if !ok {
		return
	}
	f := c.firmOut(id)
	switch place {
	case placeFiner:
		if f.Region == "" || f.Region.Contains(region) && f.Region != region {
			f.Region, f.RegionMethod, f.RegionAsOf = region, methodNamedInSource, get("source_date")
		}
	}
	matched := joinClauses(get("link"), get("quote"))
	for _, n := range nodes {
		if i := slices.IndexFunc(f.Nodes, func(l graph.NodeLink) bool { return l.Node == n.Node }); i >= 0 {
			f.Nodes[i].Confidence = max(f.Nodes[i].Confidence, n.Confidence)
			continue
		}
		f.Nodes = append(f.Nodes, graph.NodeLink{Node: n.Node, Method: methodNamedInSource, Confidence: n.Confidence, Matched: matched})
		rep.Count("links:"+methodNamedInSource, 1)
	}
	role := strings.Join(nonEmpty(get("chain"), get("link")), " ")
	if r := get("role"); r != "" {
		role += ": " + r
	}
	f.Attrs = append(f.Attrs, graph.Attr{Key: "产业链角色", Value: strings.TrimSpace(regionLabel(c.lk.Regions, region) + " " + role)})
	if u := get("source_url"); u != "" {
		f.Attrs = append(f.Attrs, graph.Attr{Key: "产业链角色来源", Value: strings.Join(nonEmpty(get("source_date"), u, "「"+get("quote")+"」"), " ")})
	}
	rep.Loaded++
}

// region reads a row's region: a code, else a name that denotes one region.
func (c *chainFirms) region(v string) (graph.RegionCode, error) {
	if v == "" {
		return "", errors.New("empty")
	}
	if code, err := graph.ParseRegionCode(v); err == nil {
		if c.lk.Regions != nil {
			if _, ok := c.lk.Regions.Region(code); !ok {
				return "", fmt.Errorf("%s is not a region the region table knows", code)
			}
		}
		return code, nil
	}
	if c.lk.Regions == nil {
		return "", fmt.Errorf("%q is not a region code", v)
	}
	switch codes := c.lk.Regions.RegionsNamed(v); len(codes) {
	case 1:
		return codes[0], nil
	case 0:
		return "", fmt.Errorf("%q is not a region the region table knows", v)
	default:
		return "", fmt.Errorf("%q names %d regions: give the code", v, len(codes))
	}
}

// nodes maps a row's chain, link and node words to nodes, or says why not.
// The link's words are read by the classifier against the nodes of the
// chains the chain's words reach; when it finds nothing, a node whose name
// or alias holds one of the link's words (整车 in 整车制造, 零部件 in 关键零部件)
// is taken. When the chain's words reach no chain, the link's and chain's
// words are read against the whole library, at a lower confidence.
func (c *chainFirms) nodes(chain, link, node string) ([]graph.NodeLink, string) {
	if c.lk.Chains == nil {
		return nil, "no chain library is loaded"
	}
	if node != "" {
		if id, err := graph.ParseNodeID(node); err == nil {
			if _, ok := c.lk.Chains.Node(id); ok {
				return []graph.NodeLink{{Node: id, Confidence: confNamedInSource}}, ""
			}
		}
	}
	words := node
	if words == "" {
		words = link
	}
	var chains []graph.ChainLink
	if chain != "" {
		chains = c.l.chains(stripParens(chain))
	}
	if len(chains) == 0 {
		if words == "" {
			return nil, "the chain's words reach no chain of the library and the page names no link"
		}
		var all []graph.ChainLink
		for _, ch := range c.lk.Chains.Chains() {
			all = append(all, graph.ChainLink{Chain: ch.ID, Confidence: confPart})
		}
		if out := c.classify(all, words+"；"+stripParens(chain)); len(out) > 0 {
			c.rep.Count("links:library-wide", 1)
			return out, ""
		}
		return nil, "neither the chain's words nor the link's reach the library (add a crosswalk row, or give the node)"
	}
	if words == "" {
		return nil, "the page names no link"
	}
	if out := c.classify(chains, words); len(out) > 0 {
		return out, ""
	}
	if out := c.nodesNaming(chains, words); len(out) > 0 {
		c.rep.Count("links:node-name-contains", 1)
		return out, ""
	}
	var ids []string
	for _, ch := range chains {
		ids = append(ids, string(ch.Chain))
	}
	return nil, "the link's words match no node of " + strings.Join(ids, ", ")
}

// classify reads words with a classifier over the nodes of chains.
func (c *chainFirms) classify(chains []graph.ChainLink, words string) []graph.NodeLink {
	key := ""
	conf := map[graph.ChainID]float64{}
	for _, ch := range chains {
		key += string(ch.Chain) + ","
		conf[ch.Chain] = ch.Confidence
	}
	cl, ok := c.classifiers[key]
	if !ok {
		var ns []graph.ChainNode
		for _, ch := range chains {
			ns = append(ns, c.lk.Chains.ChainNodes(ch.Chain)...)
		}
		cl = NewClassifier(ns)
		c.classifiers[key] = cl
	}
	links, _ := cl.Classify(FirmText{Products: words})
	var out []graph.NodeLink
	for _, l := range links {
		out = append(out, graph.NodeLink{Node: l.Node, Confidence: round3(confNamedInSource * conf[l.Node.Chain()])})
	}
	return out
}

// nodesNaming returns the nodes of chains whose name or alias holds one of
// the words (of two characters or more) of text.
func (c *chainFirms) nodesNaming(chains []graph.ChainLink, text string) []graph.NodeLink {
	words := strings.FieldsFunc(graph.FoldWidth(text), func(r rune) bool { return strings.ContainsRune("、，,;；/()（）及和与 ", r) })
	var out []graph.NodeLink
	for _, ch := range chains {
		for _, n := range c.lk.Chains.ChainNodes(ch.Chain) {
			for _, w := range words {
				if utf8.RuneCountInString(w) < 2 {
					continue
				}
				if strings.Contains(n.Name, w) || slices.ContainsFunc(n.Aliases, func(a string) bool { return strings.Contains(a, w) }) {
					out = append(out, graph.NodeLink{Node: n.ID, Confidence: round3(confPart * confNamedInSource * ch.Confidence)})
					break
				}
			}
		}
	}
	return out
}

// stripParens removes a bracketed note: 新能源汽车(烟台开发区) → 新能源汽车.
func stripParens(s string) string {
	return strings.TrimSpace(parenRe.ReplaceAllString(graph.FoldWidth(s), ""))
}

// firm resolves a row's firm and says how the row places it. A firm known
// elsewhere gets a firm of the row's region, member of it.
func (c *chainFirms) firm(line int, name string, region graph.RegionCode) (graph.FirmID, placement, bool) {
	res := resolveNamed(c.lk.Firms, name, region.Province())
	c.rep.Count("firm:"+res.method, 1)
	if res.id != "" {
		known, _ := c.lk.Firms.Firm(res.id)
		if f, ok := c.out[res.id]; ok && f.Region != "" {
			known.Region = f.Region
		}
		switch p := placeFirm(known.Region, region); p {
		case placeElsewhere:
			c.rep.Warn(line, "firm_name", fmt.Errorf("%q is %s of %s; the page names it in %s: entered as its firm there, member of it",
				name, res.id, known.Region, region))
			c.rep.Count("region:contradiction", 1)
			id, ok := c.newFirm(line, name, region)
			if ok {
				f := c.out[id]
				if !slices.Contains(f.MemberOf, res.id) {
					f.MemberOf = append(f.MemberOf, res.id)
				}
			}
			return id, placeFiner, ok
		default:
			if p == placeFiner {
				c.rep.Count("region:placed-finer", 1)
			}
			c.rep.Merged++
			return res.id, p, true
		}
	}
	if res.method == "ambiguous" {
		c.rep.Warn(line, "firm_name", fmt.Errorf("%q names %d loaded firms: entered apart", name, res.n))
	}
	id, ok := c.newFirm(line, name, region)
	return id, placeFiner, ok
}

// newFirm returns the firm this source keys by the first row naming it:
// rows naming it again (齐鲁制药 and 齐鲁制药集团有限公司 alike, the kind words
// aside) are the same firm when their regions nest, and the finer region
// wins; in disjoint regions they are two firms.
func (c *chainFirms) newFirm(line int, name string, region graph.RegionCode) (graph.FirmID, bool) {
	key := trimKind(readmodel.NormalizeFirmName(name))
	for _, id := range c.byName[key] {
		f := c.out[id]
		if f.Region.Contains(region) || region.Contains(f.Region) {
			c.rep.Merged++
			return id, true
		}
	}
	id, err := graph.SurrogateFirmID(c.keySlug + "-row-" + strconv.Itoa(line))
	if err != nil {
		c.rep.Reject(line, "", err)
		return "", false
	}
	c.byName[key] = append(c.byName[key], id)
	f := c.firmOut(id)
	f.Name = name
	c.rep.Count("firm:new", 1)
	if groupCore(c.lk.Regions, name) != "" {
		c.groups = append(c.groups, id)
	}
	return id, true
}

func (c *chainFirms) firmOut(id graph.FirmID) *graph.Firm {
	f, ok := c.out[id]
	if !ok {
		f = &graph.Firm{ID: id}
		c.out[id] = f
		c.order = append(c.order, id)
	}
	return f
}

// linkGroups makes the firms a group's name covers members of it.
func (c *chainFirms) linkGroups() {
	var own []graph.Firm
	for _, id := range c.order {
		if f := c.out[id]; f.Name != "" {
			own = append(own, *f)
		}
	}
	for _, g := range c.groups {
		for _, m := range groupMembers(c.lk, *c.out[g], own) {
			f := c.firmOut(m)
			if !slices.Contains(f.MemberOf, g) {
				f.MemberOf = append(f.MemberOf, g)
				c.rep.Count("member-of", 1)
			}
		}
	}
}

// regionLabel names a region for a label.
func regionLabel(regions Regions, c graph.RegionCode) string {
	if regions != nil {
		if r, ok := regions.Region(c); ok {
			return r.Name
		}
	}
	return string(c)
}
