package loaders

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// ReadHonours reads a list of firm honours taken from news (the layout of
// shared/reference/enterprises/shandong_firm_honors_from_news.csv:
// firm_name, honor, honor_level, batch_or_year, product, city, district,
// status_in_source, source_url, …). A firm named as a loaded firm names it
// (万华化学集团股份有限公司 is the listed 万华化学) gets the honour as a tag;
// any other firm is keyed by this source and the first row that names it,
// never by its name alone. A row's city and county are read within its
// province column, else within the province of in.Region. Honours still at the proposal stage (拟认定)
// are kept as attributes, not tags: the list is not final. It reads in.R
// and in.File, and resolves against in.Firms and in.Regions.
func ReadHonours(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	r, file := in.R, in.File
	rep := &Report{File: file}
	t, err := openTable(r, file)
	if err != nil {
		return rep, withFile(err, file)
	}
	defer t.Close()
	at, err := honourColumns(t.Header(), file)
	if err != nil {
		return rep, err
	}
	hr := &honourReader{in: in, file: file, rep: rep, rr: &regionResolver{regions: in.Regions}, firstRow: map[string]int{}}
	var groups, own []graph.Firm
	err = eachRow(ctx, t, file, at, rep, func(line int, get func(string) string) error {
		f, ok := hr.row(line, get)
		if !ok {
			return nil
		}
		if g := groupCore(in.Regions, f.Name); g != "" && f.Name != "" {
			groups = append(groups, f)
		}
		if f.Name != "" {
			own = append(own, f)
		}
		if err := sink.Put(f); err != nil {
			return err
		}
		rep.Loaded++
		return nil
	})
	if err != nil {
		return rep, err
	}
	// A group the list names (杰瑞集团) gets its members: the firms loaded
	// or listed here whose names start with the group's.
	for _, g := range groups {
		for _, m := range groupMembers(in.Lookups, g, own) {
			if err := sink.Put(graph.Firm{ID: m, MemberOf: []graph.FirmID{g.ID}}); err != nil {
				return rep, err
			}
			rep.Count("member-of", 1)
		}
	}
	return rep, nil
}

// honourColumns maps an honour list's header onto its fields, the older
// layout's names standing for the newer's; firm_name and honor are required.
func honourColumns(header []string, file string) (map[string]int, error) {
	at := map[string]int{}
	for i, h := range header {
		at[normalizeHeader(h)] = i
	}
	// The newer layout (honours_shandong.csv) spells honour, county.
	for newer, older := range map[string]string{"honour": "honor", "county": "district", "honour_level": "honor_level"} {
		if i, ok := at[newer]; ok {
			at[older] = i
		}
	}
	for _, want := range []string{"firm_name", "honor"} {
		if _, ok := at[want]; !ok {
			return nil, &ParseError{File: file, Line: 1, Err: fmt.Errorf("%w: missing column %s", ErrRejected, want)}
		}
	}
	return at, nil
}

// honourReader turns the rows of one honour list into firms.
type honourReader struct {
	in       Input
	file     string
	rep      *Report
	rr       *regionResolver
	firstRow map[string]int // normalised name → first line naming it
}

// row reads one row; false when it is rejected (and reported).
func (hr *honourReader) row(line int, get func(string) string) (graph.Firm, bool) {
	rep := hr.rep
	name, honour := get("firm_name"), get("honor")
	if name == "" {
		rep.Reject(line, "firm_name", errors.New("empty"))
		return graph.Firm{}, false
	}
	if honour == "" {
		rep.Reject(line, "honor", errors.New("empty"))
		return graph.Firm{}, false
	}
	f, err := hr.firm(line, name)
	if err != nil {
		rep.Reject(line, "", err)
		return graph.Firm{}, false
	}
	honourAttrs(&f, honour, get)
	province := hr.province(get)
	res := hr.rr.resolve(regionEvidence{province: province, city: stripFormer(get("city")), county: stripFormer(get("district"))})
	if res.code != "" && res.code.Level() != graph.LevelProvince {
		f.Region, f.RegionMethod = res.code, regionByColumn
		rep.Count("region:"+string(res.code.Level()), 1)
	} else {
		within := "any province"
		if province != "" {
			within = province
		}
		rep.Warn(line, "district", fmt.Errorf("%q / %q is not a division of %s the region table knows", get("city"), get("district"), within))
	}
	return f, true
}

// province is the province a row's city and county are read within: its
// province column, else the province of the region the list is about
// (Input.Region: a list of one province's honours), else none (a city's
// name alone then has to be unique in the country).
func (hr *honourReader) province(get func(string) string) string {
	if p := get("province"); p != "" {
		return p
	}
	if hr.in.Region == "" || hr.in.Regions == nil {
		return ""
	}
	if r, ok := hr.in.Regions.Region(hr.in.Region.Province()); ok {
		return r.Name
	}
	return ""
}

// firm identifies the firm a row names: the one loaded firm of that name
// (which keeps its own name), else one keyed by this source and the first
// row naming it.
func (hr *honourReader) firm(line int, name string) (graph.Firm, error) {
	f := graph.Firm{Name: name}
	ids := hr.in.Firms.FirmsNamed(name)
	if len(ids) == 1 {
		// The loaded firm keeps its own name; this source adds the honour.
		f.ID, f.Name = ids[0], ""
		hr.rep.Merged++
		hr.rep.Count("matched:loaded-firm", 1)
		return f, nil
	}
	if len(ids) > 1 {
		hr.rep.Warn(line, "firm_name", fmt.Errorf("%q names %d loaded firms: kept apart", name, len(ids)))
	}
	key := readmodel.NormalizeFirmName(name)
	first, seen := hr.firstRow[key]
	if !seen {
		first = line
		hr.firstRow[key] = line
	} else {
		hr.rep.Merged++
	}
	var err error
	f.ID, err = graph.SurrogateFirmID(graph.Slugify(strings.TrimSuffix(hr.file, extOf(hr.file))) + "-row-" + strconv.Itoa(first))
	return f, err
}

// honourAttrs gives the firm the honour: as tags when final, as an
// attribute when still at the proposal stage (拟认定, 公示), with its level,
// batch, product and source as attributes.
func honourAttrs(f *graph.Firm, honour string, get func(string) string) {
	status := get("status_in_source")
	if status == "" && (strings.Contains(honour+get("batch_or_year"), "拟认定") || strings.Contains(honour+get("batch_or_year"), "公示")) {
		status = "公示"
	}
	if strings.Contains(status, "拟") || strings.Contains(status, "公示") {
		f.Attrs = append(f.Attrs, graph.Attr{Key: "荣誉(" + status + ")", Value: honour})
	} else {
		f.Tags = parseTags(honour)
	}
	level := get("honor_level")
	if zh, ok := honourLevels[level]; ok {
		level = zh
	}
	label := strings.Join(nonEmpty(level, honour, get("batch_or_year")), " ")
	f.Attrs = append(f.Attrs, graph.Attr{Key: "荣誉", Value: label})
	if p := get("product"); p != "" {
		f.Attrs = append(f.Attrs, graph.Attr{Key: "荣誉产品", Value: p})
	}
	if u := get("source_url"); u != "" {
		f.Attrs = append(f.Attrs, graph.Attr{Key: "荣誉来源", Value: strings.Join(nonEmpty(get("source_publisher"), get("source_date"), u), " ")})
	}
}

// honourLevels are the Chinese words of the levels the newer layout gives in English.
var honourLevels = map[string]string{"national": "国家级", "provincial": "省级", "municipal": "市级"}

// stripFormer removes a former-name note: "济南市(原莱芜市)" → "济南市".
func stripFormer(s string) string {
	s = graph.FoldWidth(s)
	if i := strings.Index(s, "("); i > 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
