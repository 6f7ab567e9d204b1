package loaders

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chainkg/chainkg/graph"
)

// Classifier puts firms into chain nodes: by industry code (the node's GB/T
// 4754 codes), by keywords of the node found in the firm's 经营范围, main
// products, name or industry label, and by an explicit node column. Each
// link keeps its method, confidence, the text that matched and, where the
// text shows it, the firm's role (producer 生产/制造, seller 销售/批发,
// service 服务/维修). A node's exclusion words veto its keywords in the
// clause they occur in, and so do negations (不含…, 除…外).
//
// All words of all nodes go into one Aho-Corasick automaton over runes
// (ahocorasick.go); a text is scanned once whatever the library's size, and
// keyword hits are taken leftmost-longest.
// A Classifier is safe for concurrent use.
type Classifier struct {
	nodes  []graph.NodeID
	byName map[string][]int32 // node id, name or alias → nodes
	byCode map[graph.IndustryCode][]int32
	auto   *runeMatcher
	pats   []pattern
}

// pattern is one word of the automaton and what it means to which nodes.
type pattern struct {
	text     string
	keyword  []int32 // nodes it is a keyword (name, alias, keyword, product) of
	exclude  []int32 // nodes it vetoes
	role     string  // a role word's role
	negation bool    // 不含, 除外 …
	runes    int
}

// roleWords are the verbs of 经营范围 that show what a firm does with the
// products of a clause.
var roleWords = map[string]string{
	"生产": "producer", "制造": "producer", "加工": "producer", "组装": "producer", "冶炼": "producer",
	"铸造": "producer", "研制": "producer", "生产加工": "producer", "制造加工": "producer",
	"销售": "seller", "批发": "seller", "零售": "seller", "经销": "seller", "代销": "seller",
	"进出口": "seller", "贸易": "seller", "销售代理": "seller",
	"服务": "service", "维修": "service", "技术服务": "service", "安装": "service", "租赁": "service",
	"检测": "service", "咨询": "service", "维护": "service", "运营": "service", "技术开发": "service",
}

// negationWords open a span whose products the firm does not deal in.
var negationWords = []string{"不含", "不包括", "不得从事", "不涉及", "除外", "禁止"}

// Link confidences by method. Several methods agreeing on a node combine
// as independent evidence: 1 − Π(1 − c).
const (
	confColumn   = 1.0
	confCode4    = 0.85 // the firm's 小类 is one of the node's codes
	confCode3    = 0.7  // the node's code is the firm's 中类
	confProducts = 0.8
	confScope    = 0.7
	confNodeName = 0.6
	confLabel    = 0.5
	confMax      = 0.99
)

// NewClassifier builds a classifier for the given nodes.
func NewClassifier(nodes []graph.ChainNode) *Classifier {
	c := &Classifier{byName: map[string][]int32{}, byCode: map[graph.IndustryCode][]int32{}}
	at := map[string]int{}
	pat := func(w string) *pattern {
		w = strings.TrimSpace(w)
		if utf8.RuneCountInString(w) < 2 {
			return nil
		}
		i, ok := at[w]
		if !ok {
			i = len(c.pats)
			at[w] = i
			c.pats = append(c.pats, pattern{text: w, runes: utf8.RuneCountInString(w)})
		}
		return &c.pats[i]
	}
	addNode := func(p *pattern, list *[]int32, n int32) {
		if p != nil && !slices.Contains(*list, n) {
			*list = append(*list, n)
		}
	}
	for i, n := range nodes {
		ni := int32(i)
		c.nodes = append(c.nodes, n.ID)
		for _, name := range append([]string{string(n.ID), n.Name}, n.Aliases...) {
			if name != "" && !slices.Contains(c.byName[name], ni) {
				c.byName[name] = append(c.byName[name], ni)
			}
		}
		for _, code := range n.Codes {
			if !slices.Contains(c.byCode[code], ni) {
				c.byCode[code] = append(c.byCode[code], ni)
			}
		}
		for _, w := range slices.Concat([]string{n.Name}, n.Aliases, n.Keywords, n.Products) {
			if p := pat(w); p != nil {
				addNode(p, &p.keyword, ni)
			}
		}
		for _, w := range n.Excludes {
			if p := pat(w); p != nil {
				addNode(p, &p.exclude, ni)
			}
		}
	}
	for w, r := range roleWords {
		if p := pat(w); p != nil && len(p.keyword) == 0 {
			p.role = r
		}
	}
	for _, w := range negationWords {
		if p := pat(w); p != nil {
			p.negation = true
		}
	}
	texts := make([]string, len(c.pats))
	for i, p := range c.pats {
		texts[i] = p.text
	}
	c.auto = newRuneMatcher(texts)
	return c
}

// Nodes returns how many nodes the classifier knows.
func (c *Classifier) Nodes() int { return len(c.nodes) }

// FirmText is what a firm offers the classifier.
type FirmText struct {
	Industry graph.IndustryCode
	Scope    string   // 经营范围
	Products string   // 主营产品
	Name     string   // 企业名称
	Label    string   // an industry label: 申万 or tushare industry, a registry's own
	Nodes    []string // explicit node ids or names from a column
}

// Classify returns the firm's node links, ordered by node id, and the
// explicit node values it could not resolve.
func (c *Classifier) Classify(t FirmText) ([]graph.NodeLink, []string) {
	if len(c.nodes) == 0 {
		return nil, t.Nodes
	}
	ev := map[int32]*evidence{}
	get := func(n int32) *evidence {
		e, ok := ev[n]
		if !ok {
			e = &evidence{}
			ev[n] = e
		}
		return e
	}
	var unknown []string
	for _, v := range t.Nodes {
		ns := c.byName[strings.TrimSpace(v)]
		if len(ns) == 0 {
			unknown = append(unknown, v)
		}
		for _, n := range ns {
			get(n).add("column", confColumn, v, "")
		}
	}
	if t.Industry != "" {
		code := t.Industry
		for l := len(code); l >= 3; l-- {
			conf := confCode4
			if l < len(code) || l == 3 {
				conf = confCode3
			}
			for _, n := range c.byCode[code[:l]] {
				get(n).add("code", conf, string(code[:l]), "")
			}
		}
	}
	c.scan(t.Products, "products", confProducts, get)
	c.scan(stripBoilerplate(t.Scope), "scope", confScope, get)
	c.scan(t.Name, "name", confNodeName, get)
	c.scan(t.Label, "industry-label", confLabel, get)
	if len(ev) == 0 {
		return nil, unknown
	}
	out := make([]graph.NodeLink, 0, len(ev))
	for n, e := range ev {
		out = append(out, e.link(c.nodes[n]))
	}
	slices.SortFunc(out, func(a, b graph.NodeLink) int { return cmp.Compare(a.Node, b.Node) })
	return out, unknown
}

// scan finds the keywords of text, clause by clause, and adds the links
// they make. A clause ends at 。；;，, or a line break; a role word anywhere
// in the clause applies to every keyword in it. A keyword hit that overlaps
// a hit of one of its node's exclusion phrases does not count for that
// node, and a negation (不含 …) covers the rest of its clause or bracket.
func (c *Classifier) scan(text, method string, conf float64, get func(int32) *evidence) {
	if text == "" {
		return
	}
	// Every match, overlapping ones included: exclusion hits are all seen,
	// and keyword hits are then taken leftmost-longest without overlap.
	var excl, hits []span
	all := c.auto.findAll(text, nil)
	for _, sp := range all {
		if len(c.pats[sp.pat].exclude) > 0 {
			excl = append(excl, sp)
		}
	}
	slices.SortFunc(all, func(a, b span) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end)) })
	lastEnd := 0
	for _, sp := range all {
		if sp.start >= lastEnd {
			hits = append(hits, sp)
			lastEnd = sp.end
		}
	}
	negUntil := -1
	for i := 0; i < len(hits); {
		// One clause: the hits before the next clause end.
		clauseEnd := nextClauseEnd(text, hits[i].start)
		j := i
		role := ""
		for ; j < len(hits) && hits[j].start < clauseEnd; j++ {
			if r := c.pats[hits[j].pat].role; rolePriority(r) > rolePriority(role) {
				role = r
			}
		}
		for _, h := range hits[i:j] {
			p := &c.pats[h.pat]
			if p.negation {
				negUntil = negationEnd(text, h.end)
				continue
			}
			if h.start < negUntil || len(p.keyword) == 0 {
				continue
			}
			r := role
			if pr := impliedRole(p.text); r == "" {
				r = pr
			}
			for _, n := range p.keyword {
				if vetoed(c.pats, excl, h, n) {
					continue
				}
				cf := conf
				if method == "scope" && r == "producer" {
					cf += 0.05
				}
				get(n).add(method, cf, p.text, r)
			}
		}
		i = j
	}
}

// span is one match of the automaton.
type span = match

// vetoed reports whether an exclusion phrase of node n overlaps hit h.
func vetoed(pats []pattern, excl []span, h span, n int32) bool {
	for _, e := range excl {
		if e.start < h.end && h.start < e.end && slices.Contains(pats[e.pat].exclude, n) {
			return true
		}
	}
	return false
}

func rolePriority(r string) int {
	switch r {
	case "producer":
		return 3
	case "service":
		return 2
	case "seller":
		return 1
	}
	return 0
}

// impliedRole reads the role a keyword itself names (整车制造, 汽车维修).
func impliedRole(w string) string {
	for _, s := range []struct{ suf, role string }{{"制造", "producer"}, {"生产", "producer"}, {"加工", "producer"},
		{"维修", "service"}, {"服务", "service"}, {"销售", "seller"}, {"批发", "seller"}} {
		if strings.HasSuffix(w, s.suf) {
			return s.role
		}
	}
	return ""
}

// nextClauseEnd returns the byte offset where the clause around i ends.
func nextClauseEnd(text string, i int) int {
	for j := i; j < len(text); {
		r, sz := utf8.DecodeRuneInString(text[j:])
		switch r {
		case '。', '；', ';', '，', ',', '\n', '\r':
			return j
		}
		j += sz
	}
	return len(text)
}

// negationEnd returns where a negation that ends at i stops covering: the
// closing bracket if it is inside one, else the end of the clause.
func negationEnd(text string, i int) int {
	for j := i; j < len(text); {
		r, sz := utf8.DecodeRuneInString(text[j:])
		switch r {
		case '）', ')', '】', ']', '。', '；', ';', '\n':
			return j
		}
		j += sz
	}
	return len(text)
}

// evidence gathers what points a firm to one node.
type evidence struct {
	methods []string
	confs   []float64
	matched []string
	role    string
}

func (e *evidence) add(method string, conf float64, matched, role string) {
	if i := slices.Index(e.methods, method); i >= 0 {
		e.confs[i] = max(e.confs[i], conf)
	} else {
		e.methods = append(e.methods, method)
		e.confs = append(e.confs, conf)
	}
	if len(e.matched) < 4 && !slices.Contains(e.matched, matched) {
		e.matched = append(e.matched, matched)
	}
	if rolePriority(role) > rolePriority(e.role) {
		e.role = role
	}
}

func (e *evidence) link(n graph.NodeID) graph.NodeLink {
	miss := 1.0
	for _, c := range e.confs {
		miss *= 1 - c
	}
	conf := min(1-miss, confMax)
	if slices.Contains(e.methods, "column") {
		conf = confColumn
	}
	return graph.NodeLink{Node: n, Method: strings.Join(e.methods, "+"), Confidence: conf, Role: e.role,
		Matched: strings.Join(e.matched, "；")}
}

// boilerplate is the sentence every 经营范围 since 2019 carries; it names no
// product, so it is not scanned.
var boilerplate = []string{"依法须经批准的项目，经相关部门批准后方可开展经营活动", "依法须经批准的项目,经相关部门批准后方可开展经营活动"}

func stripBoilerplate(s string) string {
	for _, b := range boilerplate {
		if i := strings.Index(s, b); i >= 0 {
			s = s[:i] + s[i+len(b):]
		}
	}
	return s
}
