package plandoc

import (
	"regexp"

	"github.com/chainkg/chainkg/graph"
	"strings"
	"unicode/utf8"
)

// Lists whose head comes first: the head, a word or mark that opens the
// list, then the items.
//
//	十大标志性产业链 包括 数字安防产业链、集成电路产业链、…
//	九大重点产业链 —— 电子信息与软件服务、绿色食品、…
//	五大新兴产业链 : 特钢材料产业链依托…; 新能源汽车产业链在…; …
//	(一)聚力发展五大支柱产业 ⏎ 1.数字经济核心产业 ⏎ 2.…
var (
	headFirstRe = regexp.MustCompile(`(` + countPat + `)?((?:` + qualPat + `)*)(` + nounPat + `)(?:主要)?(?:包括|包含|涵盖|分别是|分别为|即|是|为|:|——|—)`)
	// nounItemsRe is a list whose items each carry the noun: "汽车产业集群、
	// 轨道交通装备产业集群", "高端装备制造业、新一代信息技术产业、生物医药产业".
	nounItemsRe = regexp.MustCompile(`[\p{Han}()]{2,20}?(?:产业集群|产业链|产业|制造业)(?:(?:、|和|及|以及)[\p{Han}()]{2,20}?(?:产业集群|产业链|产业|制造业))+`)
	nounItemRe  = regexp.MustCompile(`([\p{Han}()]{2,20}?)(产业集群|产业链|产业|制造业)(?:、|和|及|以及|$)`)
	// numberedRe is a numbered line: "1.", "1、", "(1)", "一、", "(一)".
	numberedRe = regexp.MustCompile(`^\s*(?:[0-9]{1,2}[.、)]|\([0-9]{1,2}\)|[一二三四五六七八九十]{1,2}、|\([一二三四五六七八九十]{1,2}\)|[①②③④⑤⑥⑦⑧⑨⑩])\s*`)
	// headLineRe is a line ending with a counted head: "(一)聚力发展五大支柱产业".
	headLineRe = regexp.MustCompile(`(` + countPat + `)((?:` + qualPat + `)*)(` + nounPat + `)$`)
	// itemCountRe cuts an item that runs into the count of its list:
	// "光伏设备制造三条新能源装备制造产业链".
	itemCountRe = regexp.MustCompile(`(?:[0-9]+|[一二两三四五六七八九十]+)(?:大|个|条|类)`)
)

// headFirst reads lists whose head stands before them.
func (d *doc) headFirst() {
	for _, m := range headFirstRe.FindAllStringSubmatchIndex(d.s, -1) {
		h := listHead{a: m[0], b: m[7], qual: d.s[m[4]:m[5]], noun: d.s[m[6]:m[7]]}
		if m[2] >= 0 {
			h.count = d.s[m[2]:m[3]]
		}
		if weakNouns[h.noun] {
			continue
		}
		// Without a count, a role word must say what the list is:
		// "主导产业为汽车、装备制造".
		if h.count == "" && (roleOf(h.qual) == "" || !hasPrefixAny(d.s[m[7]:], []string{"包括", "主要包括", ":", "—"})) {
			continue
		}
		want, _ := parseCount(h.count)
		start := m[1]
		end := d.listEnd(start)
		body := d.s[start:end]
		if strings.Contains(body, "、") && !strings.Contains(body, ";") {
			h.items, _ = d.splitList(start, end, want)
			// "…、现代纺织产业链。" or "…等": the last item ends there.
			if n := len(h.items); n > 0 {
				last := &h.items[n-1]
				if k := strings.Index(d.s[last.a:last.b], "等"); k > 0 {
					last.b = last.a + k
				}
			}
		} else {
			h.items = d.subjectItems(start, end, h.noun)
		}
		if len(h.items) < 2 {
			continue
		}
		d.takeList(h, true)
	}
}

// nounItems reads lists whose items each carry the list's noun.
func (d *doc) nounItems() {
	for _, m := range nounItemsRe.FindAllStringIndex(d.s, -1) {
		a := m[0]
		// The list starts after the verb that introduces it.
		if cs := d.clauseStart(a); cs < a {
			a = cs
		}
		if v := lastVerbEnd(d.s[a:m[0]+len("、")], introVerbs); v >= 0 {
			a += v
		}
		text := d.s[a:m[1]]
		if v := lastVerbEnd(text, introVerbs); v >= 0 && v < len(text) {
			first := strings.Index(text, "、")
			if first < 0 || v < first {
				a += v
				text = d.s[a:m[1]]
			}
		}
		items := nounItemRe.FindAllStringSubmatchIndex(text, -1)
		if len(items) < 2 {
			continue
		}
		for _, it := range items {
			ia, ib := a+it[2], a+it[3]
			noun := text[it[4]:it[5]]
			name := stripLead(d.s[ia:ib])
			ia = ib - len(name)
			if !industryLike(name) && !strings.Contains(noun, "集群") {
				continue
			}
			switch noun {
			case "产业集群":
				level := d.clusterLevel()
				if l := d.statedLevel(d.s[d.clauseStart(ia):ia], d.s[a+it[1]:d.clauseEnd(a+it[1])]); l != "" {
					level = l
				}
				d.addCluster(name, level, level != d.clusterLevel(), ia, ib)
			case "产业链":
				d.addChain(name, ia, ib)
			default:
				d.addIndustry(name, graph.RoleKey, false, ia, ib)
			}
		}
	}
}

// subjectRuns reads chains named as the subjects of the parts of a
// sentence ("X产业链重点提升…;Y产业链推动…;Z产业链强化…"). Their role,
// when the sentence before names exactly one (重视传统优势产业的升级),
// designates them as industries too.
func (d *doc) subjectRuns() {
	for n, sent := range d.sents {
		text := d.s[sent.a:sent.b]
		parts := strings.Count(text, ";") + 1
		if parts < 2 {
			continue
		}
		items := d.subjectItems(sent.a, sent.b, "产业链")
		if len(items) < 2 || len(items) < parts-1 {
			continue
		}
		role := ""
		if n > 0 {
			prev := d.s[d.sents[n-1].a:d.sents[n-1].b]
			if ms := roleIndustryRe.FindAllStringSubmatch(prev, -1); len(ms) == 1 {
				role = string(roleOf(ms[0][1]))
			}
		}
		for _, it := range items {
			name := d.s[it.a:it.b]
			if !industryLike(name) && runeLen(name) > 4 {
				continue
			}
			d.addChain(name, it.a, it.b)
			if role != "" && role != string(graph.RoleKey) {
				d.addIndustry(name, graph.IndustryRole(role), true, it.a, it.b)
			}
		}
	}
}

// roleIndustryRe is a role word and 产业: 传统优势产业, 新兴产业.
var roleIndustryRe = regexp.MustCompile(`((?:` + qualPat + `)+)产业`)

// listEnd returns where a list that starts at byte a ends: at a full stop,
// a line break, or a comma after which no separator follows.
func (d *doc) listEnd(a int) int {
	end := len(d.s)
	for _, stop := range []string{"。", "\n", "!", "?"} {
		if k := strings.Index(d.s[a:], stop); k >= 0 && a+k < end {
			end = a + k
		}
	}
	if k := indexOutside(d.s[a:end], ","); k >= 0 && !strings.Contains(d.s[a+k:end], "、") {
		end = a + k
	}
	return end
}

// subjectItems reads a list of parts parted by ';', each opening with a
// name and the list's noun: "特钢材料产业链依托…;新能源汽车产业链在…".
func (d *doc) subjectItems(a, b int, noun string) []span {
	var items []span
	for i := a; i < b; {
		e := b
		if k := strings.Index(d.s[i:b], ";"); k >= 0 {
			e = i + k
		}
		part := d.s[i:e]
		if k := strings.Index(part, noun); k > 0 && k <= 3*12 {
			name := part[:k]
			if t := stripLead(name); t != "" && !strings.ContainsAny(t, ",、") {
				items = append(items, span{i + len(name) - len(t), i + k})
			}
		}
		i = e + len(";")
	}
	return items
}

// numberedLists reads a counted head that ends a line and the numbered
// lines under it: a plan's contents, or its sections.
func (d *doc) numberedLists() {
	lines := d.lines()
	for i, ln := range lines {
		text := strings.TrimSpace(d.s[ln.a:ln.b])
		m := headLineRe.FindStringSubmatchIndex(text)
		if m == nil {
			continue
		}
		off := ln.a + strings.Index(d.s[ln.a:ln.b], text)
		h := listHead{a: off + m[0], b: off + m[1], count: text[m[2]:m[3]], qual: text[m[4]:m[5]], noun: text[m[6]:m[7]]}
		want, ok := parseCount(h.count)
		if !ok || want < 2 {
			continue
		}
		for _, next := range lines[i+1:] {
			t := d.s[next.a:next.b]
			if strings.TrimSpace(t) == "" {
				continue
			}
			nm := numberedRe.FindStringIndex(t)
			if nm == nil || len(h.items) == want {
				break
			}
			item := span{next.a + nm[1], next.b}
			for item.b > item.a {
				r, sz := utf8.DecodeLastRuneInString(d.s[item.a:item.b])
				if r != ' ' && r != '\t' {
					break
				}
				item.b -= sz
			}
			if strings.ContainsAny(d.s[item.a:item.b], ",。;") {
				break // a sentence, not a name
			}
			h.items = append(h.items, item)
		}
		if len(h.items) >= 2 {
			d.takeList(h, true)
		}
	}
}

// lines returns the lines of the text.
func (d *doc) lines() []span {
	var out []span
	a := 0
	for {
		k := strings.IndexByte(d.s[a:], '\n')
		if k < 0 {
			return append(out, span{a, len(d.s)})
		}
		out = append(out, span{a, a + k})
		a += k + 1
	}
}
