package loaders

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// The listed companies of the default data: tushare's stock_basic (all
// A-shares: short name, province-level area, tushare industry, controller,
// full name where known) joined with each firm's 申万 2021 industry, whose
// names help classification ("锂电池", "乘用车"). The tushare file has no
// credit codes, so firms are keyed by stock code (x-600309-sh).

// Files of the listed-company source in the data filesystem.
const (
	listedFile     = "registry/a_share_stock_basic.csv"
	swCompanyFile  = "registry/sw2021_company_industry.csv"
	swTreeFile     = "registry/sw2021_industry_tree.csv"
	swLabelColumn  = "申万行业"
	listedProvince = graph.RegionCode("370000")
)

// ReadListed reads the listed companies from fsys and puts one firm each,
// with its 申万 industry path as a label for classification. Its report
// counts, beside the usual, how precisely the Shandong firms were placed
// ("shandong:region:city" …).
func ReadListed(fsys fs.FS, x *graph.Index, src graph.SourceID, sink graph.FactSink) (*Report, error) {
	labels, err := swLabels(fsys)
	if err != nil {
		return nil, err
	}
	f, err := fsys.Open(listedFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &ParseError{File: listedFile, Line: 1, Err: fmt.Errorf("%w: no header: %v", ErrRejected, err)}
	}
	ts := -1
	for i, h := range header {
		if strings.TrimPrefix(h, "\ufeff") == "ts_code" {
			ts = i
		}
	}
	if ts < 0 {
		return nil, &ParseError{File: listedFile, Line: 1, Err: fmt.Errorf("%w: no ts_code column", ErrRejected)}
	}
	// The joined table is small (a megabyte): build it whole, then read it
	// as any registry.
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(append(header, swLabelColumn))
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &ParseError{File: listedFile, Err: err}
		}
		label := ""
		if ts < len(rec) {
			label = labels[rec[ts]]
		}
		w.Write(append(rec, label))
	}
	w.Flush()
	counter := &shandongCounter{sink: sink, counts: map[string]int{}}
	rep, err := ReadRegistry(&buf, "a_share_stock_basic.csv", x, RegistryOptions{Source: src}, counter)
	if rep != nil {
		for k, v := range counter.counts {
			rep.Count(k, v)
		}
	}
	return rep, err
}

// swLabels maps stock codes to their 申万 2021 industry, levels 2 and 3
// ("电池 > 锂电池"): level 1 (电力设备, 基础化工) is too broad to classify by.
func swLabels(fsys fs.FS) (map[string]string, error) {
	parent := map[string]string{} // industry name → parent name
	if err := eachCSV(fsys, swTreeFile, func(get func(string) string) {
		parent[get("from_industry")] = get("to_industry")
	}, "from_industry", "to_industry"); err != nil {
		return nil, err
	}
	out := map[string]string{}
	err := eachCSV(fsys, swCompanyFile, func(get func(string) string) {
		name := get("industry_name")
		path := []string{name}
		if p := parent[name]; p != "" && parent[p] != "" {
			path = []string{p, name} // the parent is level 2, not level 1
		}
		out[get("company_code")] = strings.Join(path, " > ")
	}, "company_code", "industry_name")
	return out, err
}

// eachCSV calls fn for each row of a CSV file with the given columns.
func eachCSV(fsys fs.FS, path string, fn func(get func(string) string), cols ...string) error {
	f, err := fsys.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return &ParseError{File: path, Line: 1, Err: fmt.Errorf("%w: no header: %v", ErrRejected, err)}
	}
	col, err := columns(header, cols...)
	if err != nil {
		return &ParseError{File: path, Line: 1, Err: err}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &ParseError{File: path, Err: err}
		}
		fn(func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		})
	}
}

// shandongCounter passes firms on and counts how precisely the Shandong
// ones were placed.
type shandongCounter struct {
	sink   graph.FactSink
	counts map[string]int
}

func (s *shandongCounter) Put(facts ...graph.Fact) error {
	for _, f := range facts {
		if fm, ok := f.(graph.Firm); ok && fm.Region != "" && listedProvince.Contains(fm.Region) {
			s.counts["shandong:firms"]++
			s.counts["shandong:region:"+string(fm.Region.Level())]++
			s.counts["shandong:region-method:"+fm.RegionMethod]++
		}
	}
	return s.sink.Put(facts...)
}
