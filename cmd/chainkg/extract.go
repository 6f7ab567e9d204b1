package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/chainkg/chainkg/data"
	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/store"
	"github.com/chainkg/chainkg/loaders"
	"github.com/chainkg/chainkg/loaders/plandoc"
)

// runExtract reads plan documents and prints their facts, one JSON object
// per document, without writing anything. Regions are resolved against the
// store given by --store, or else against the embedded region table.
func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg Config
	fs := newFlagSet("extract", stderr, &cfg)
	format := fs.String("format", "jsonl", "output: jsonl (one JSON object per line) or json (an indented array)")
	region := fs.String("region", "", "the region code (GB/T 2260) of the plans, when their text does not say")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: chainkg extract FILE... [--format jsonl|json] [--region CODE] [--store URL]\n"+
			"reads .txt, .md, .html, .docx and .pdf plan documents and prints their facts with evidence\n")
		fs.PrintDefaults()
	}
	if err := parseInterleaved(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("%w: extract needs at least one file", errUsage)
	}
	if *format != "jsonl" && *format != "json" {
		return fmt.Errorf("%w: --format %q: want jsonl or json", errUsage, *format)
	}
	var code graph.RegionCode
	if *region != "" {
		c, err := graph.ParseRegionCode(*region)
		if err != nil {
			return fmt.Errorf("%w: --region: %v", errUsage, err)
		}
		code = c
	}
	storeGiven := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "store" {
			storeGiven = true
		}
	})
	regions, closeRegions, err := extractRegions(ctx, cfg, storeGiven, stderr)
	if err != nil {
		return err
	}
	defer closeRegions()

	var docs []extractedDoc
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	for _, path := range fs.Args() {
		doc, err := extractFile(path, plandoc.Options{Region: code, Regions: regions})
		if err != nil {
			failed++
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
			continue
		}
		out := toExtracted(doc)
		if *format == "json" {
			docs = append(docs, out)
			continue
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	if *format == "json" {
		enc.SetIndent("", "  ")
		if err := enc.Encode(docs); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not extracted", failed, fs.NArg())
	}
	return nil
}

func extractFile(path string, opt plandoc.Options) (*plandoc.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := plandoc.Read(f, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	return plandoc.Extract(t, opt)
}

// extractRegions returns the region table extraction resolves names
// against: the store's read model when --store was given, else the
// embedded regions loaded into a throwaway in-memory store.
func extractRegions(ctx context.Context, cfg Config, storeGiven bool, stderr io.Writer) (plandoc.Regions, func(), error) {
	url := "mem:"
	if storeGiven {
		url = cfg.Store
	}
	st, err := store.Open(ctx, url, store.Options{Logger: cfg.logger(io.Discard)})
	if err != nil {
		return nil, nil, err
	}
	if !storeGiven {
		if err := loaders.LoadRegionTable(ctx, st, data.FS); err != nil {
			st.Close()
			return nil, nil, err
		}
	} else if len(st.Index().RegionsNamed("北京市")) == 0 {
		fmt.Fprintln(stderr, "warning: the store holds no regions; regions are not resolved")
	}
	return st.Index(), func() { st.Close() }, nil
}

// The JSON shape of an extracted document: the contract that
// shared/tools/score_extraction.py scores against shared/gold.
type (
	extractedDoc struct {
		Document               string             `json:"document"`
		Format                 string             `json:"format"`
		Encoding               string             `json:"encoding"`
		Title                  *string            `json:"title"`
		TitleEvidence          *evidenceJSON      `json:"title_evidence,omitempty"`
		Issuer                 *string            `json:"issuer"`
		IssuerEvidence         *evidenceJSON      `json:"issuer_evidence,omitempty"`
		Published              *string            `json:"published"`
		PageDate               *string            `json:"page_date"`
		Period                 *string            `json:"period"`
		Region                 *regionJSON        `json:"region"`
		Industries             []industryJSON     `json:"industries"`
		Clusters               []clusterJSON      `json:"clusters"`
		Chains                 []namedJSON        `json:"chains"`
		Parks                  []namedJSON        `json:"parks"`
		Firms                  []namedJSON        `json:"firms"`
		Indicators             []indicatorJSON    `json:"indicators"`
		IndicatorsMissingValue []indicatorJSON    `json:"indicators_missing_value"`
		CountedGroups          []countedGroupJSON `json:"counted_groups"`
		Conflicts              []conflictJSON     `json:"conflicts"`
		Notes                  []string           `json:"notes"`
	}
	evidenceJSON struct {
		Start    int    `json:"start"`
		End      int    `json:"end"`
		Text     string `json:"text"`
		Sentence string `json:"sentence"`
	}
	regionJSON struct {
		Code     string        `json:"code"`
		Name     string        `json:"name"`
		Level    string        `json:"level,omitempty"`
		Method   string        `json:"method"`
		Evidence *evidenceJSON `json:"evidence,omitempty"`
	}
	industryJSON struct {
		Name     string       `json:"name"`
		Role     string       `json:"role"`
		Note     string       `json:"note,omitempty"`
		Evidence evidenceJSON `json:"evidence"`
	}
	clusterJSON struct {
		Name     string       `json:"name"`
		Level    string       `json:"level,omitempty"`
		Note     string       `json:"note,omitempty"`
		Evidence evidenceJSON `json:"evidence"`
	}
	namedJSON struct {
		Name     string       `json:"name"`
		Kind     string       `json:"kind,omitempty"`
		Note     string       `json:"note,omitempty"`
		Evidence evidenceJSON `json:"evidence"`
	}
	indicatorJSON struct {
		Metric     string       `json:"metric"`
		Value      *float64     `json:"value"`
		Unit       string       `json:"unit"`
		Comparator string       `json:"comparator"`
		Year       *int         `json:"year"`
		Kind       string       `json:"kind"`
		Note       string       `json:"note,omitempty"`
		Evidence   evidenceJSON `json:"evidence"`
	}
	countedGroupJSON struct {
		Text          string       `json:"text"`
		Stated        int          `json:"stated"`
		Listed        int          `json:"listed"`
		Items         []string     `json:"items"`
		Role          string       `json:"role"`
		Open          bool         `json:"open"`
		Mismatch      bool         `json:"mismatch"`
		ConflictsWith []string     `json:"conflicts_with,omitempty"`
		Evidence      evidenceJSON `json:"evidence"`
	}
	conflictJSON struct {
		Kind   string `json:"kind"`
		Text   string `json:"text"`
		Groups []int  `json:"groups"`
	}
)

func toExtracted(d *plandoc.Document) extractedDoc {
	out := extractedDoc{
		Document: d.Document, Format: string(d.Format), Encoding: d.Encoding,
		Title: strOrNil(d.Title), TitleEvidence: evPtr(d.TitleEvidence),
		Issuer: strOrNil(d.Issuer), IssuerEvidence: evPtr(d.IssuerEvidence),
		Published: strOrNil(d.Published), PageDate: strOrNil(d.PageDate), Period: strOrNil(d.Period),
		Industries: []industryJSON{}, Clusters: []clusterJSON{}, Chains: []namedJSON{}, Parks: []namedJSON{},
		Firms: []namedJSON{}, Indicators: []indicatorJSON{}, IndicatorsMissingValue: []indicatorJSON{},
		CountedGroups: []countedGroupJSON{}, Conflicts: []conflictJSON{}, Notes: d.Notes,
	}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	if r := d.Region; r != nil {
		out.Region = &regionJSON{Code: string(r.Code), Name: r.Name, Level: string(r.Level), Method: r.Method, Evidence: evPtr(r.Evidence)}
	}
	for _, x := range d.Industries {
		out.Industries = append(out.Industries, industryJSON{Name: x.Name, Role: string(x.Role), Note: x.Note, Evidence: evJSON(x.Evidence)})
	}
	for _, x := range d.Clusters {
		out.Clusters = append(out.Clusters, clusterJSON{Name: x.Name, Level: x.Level, Note: x.Note, Evidence: evJSON(x.Evidence)})
	}
	named := func(ns []plandoc.Named) []namedJSON {
		out := []namedJSON{}
		for _, x := range ns {
			out = append(out, namedJSON{Name: x.Name, Kind: x.Kind, Note: x.Note, Evidence: evJSON(x.Evidence)})
		}
		return out
	}
	out.Chains, out.Parks, out.Firms = named(d.Chains), named(d.Parks), named(d.Firms)
	ind := func(x plandoc.Indicator) indicatorJSON {
		j := indicatorJSON{Metric: x.Metric, Value: x.Value, Unit: x.Unit, Comparator: x.Comparator,
			Kind: x.Kind, Note: x.Note, Evidence: evJSON(x.Evidence)}
		if x.Year != 0 {
			y := x.Year
			j.Year = &y
		}
		return j
	}
	for _, x := range d.Indicators {
		out.Indicators = append(out.Indicators, ind(x))
	}
	for _, x := range d.MissingValues {
		out.IndicatorsMissingValue = append(out.IndicatorsMissingValue, ind(x))
	}
	with := map[int][]string{}
	for _, c := range d.Conflicts {
		for _, i := range c.Groups {
			for _, j := range c.Groups {
				if i != j {
					with[i] = append(with[i], d.CountedGroups[j].Text)
				}
			}
		}
		out.Conflicts = append(out.Conflicts, conflictJSON{Kind: c.Kind, Text: c.Text, Groups: c.Groups})
	}
	for i, g := range d.CountedGroups {
		items := g.Items
		if items == nil {
			items = []string{}
		}
		out.CountedGroups = append(out.CountedGroups, countedGroupJSON{
			Text: g.Text, Stated: g.Stated, Listed: g.Listed, Items: items, Role: g.Role, Open: g.Open,
			Mismatch: g.Mismatch, ConflictsWith: with[i], Evidence: evJSON(g.Evidence),
		})
	}
	return out
}

func strOrNil(s string) *string {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	return &s
}

func evJSON(e plandoc.Evidence) evidenceJSON {
	return evidenceJSON{Start: e.Start, End: e.End, Text: e.Text, Sentence: e.Sentence}
}

func evPtr(e *plandoc.Evidence) *evidenceJSON {
	if e == nil {
		return nil
	}
	j := evJSON(*e)
	return &j
}
