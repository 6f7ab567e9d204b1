package loaders

import (
	"context"
	"fmt"
	"io/fs"
	"strings"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
	"github.com/chainkg/chainkg/graph/store"
)

// Replacer is what a loader needs of the store: to replace one source's
// facts, and the read model to resolve names against what is loaded.
// *store.Store satisfies it.
type Replacer interface {
	Replace(ctx context.Context, src graph.Source, write func(graph.FactSink) error) (store.ReplaceResult, error)
	Index() *readmodel.Index
}

// RegionsSource is the id of the default region table, the one
// 'chainkg load regions regions.csv' replaces.
const RegionsSource graph.SourceID = "reference/regions.csv"

// DefaultSource is one source of the embedded default dataset.
type DefaultSource struct {
	Source graph.Source
	// Path is the file (or directory) in the data filesystem.
	Path string
	// File is the name reports give the file, and the one firms keyed by
	// their row are keyed by; "" means Path.
	File string
	// Region is the region the file is about, given to Load as in.Region
	// ("" for none): a list of one province's firms names only cities.
	Region graph.RegionCode
	// Load reads it. It is given the data filesystem as in.FS and Path as
	// in.Paths[0], so a source may span files; a file is also open as in.R.
	// Its lookups are the read model with the sources loaded before it.
	Load Loader
}

// read loads d from fsys, resolving against x.
func (d DefaultSource) read(ctx context.Context, fsys fs.FS, x *readmodel.Index, sink graph.FactSink) (*Report, error) {
	in := Input{FS: fsys, Paths: []string{d.Path}, File: d.File, Source: d.Source.ID, Options: Options{Region: d.Region}, Lookups: LookupsOf(x)}
	if in.File == "" {
		in.File = d.Path
	}
	if fi, err := fs.Stat(fsys, d.Path); err == nil && !fi.IsDir() {
		f, err := fsys.Open(d.Path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		in.R = f
	}
	return d.Load(ctx, in, sink)
}

// Defaults lists the sources of the default dataset, in load order (reference
// tables before the facts that point at them).
func Defaults() []DefaultSource {
	out := []DefaultSource{{
		Source: graph.Source{ID: RegionsSource, Kind: graph.KindReference,
			Title: "行政区划 GB/T 2260 (NBS 2023)", Origin: "data/reference/regions.csv"},
		Path: "reference/regions.csv",
		Load: ReadRegions,
	}}
	out = append(out, librarySources()...)
	// Registries come after the chain library, so their firms are
	// classified against it; the plans come last, so the firms they name
	// resolve against every registry.
	out = append(out,
		DefaultSource{
			Source: graph.Source{ID: "registry/a-share-listed", Kind: graph.KindRegistry,
				Title: "A股上市公司 (tushare stock_basic) 与申万2021行业", Origin: "data/" + listedFile},
			Path: listedFile,
			Load: ReadListed,
		},
		DefaultSource{
			Source: graph.Source{ID: "registry/a-share-addresses-2016", Kind: graph.KindRegistry,
				Title: "A股上市公司注册地址 (和讯公司资料, 2016)", Origin: "data/" + addressesFile},
			Path: addressesFile,
			File: pathBase(addressesFile),
			Load: ReadListedAddresses,
		},
		DefaultSource{
			Source: graph.Source{ID: "registry/shandong-honours", Kind: graph.KindRegistry,
				Title: "山东企业荣誉: 单项冠军、小巨人、专精特新、高企、瞪羚 (22个官方与新闻网页摘录)", Origin: "data/" + honoursFile},
			Path:   honoursFile,
			File:   pathBase(honoursFile),
			Region: "370000", // every row is a firm of 山东 (data/SOURCES.md)
			Load:   ReadHonours,
		},
		DefaultSource{
			Source: graph.Source{ID: "registry/chain-firms-jinan-yantai", Kind: graph.KindRegistry,
				Title: "济南、烟台产业链企业 (新闻与政府网页摘录)", Origin: "data/" + chainFirmsFile},
			Path: chainFirmsFile,
			File: pathBase(chainFirmsFile),
			Load: ReadChainFirms,
		},
	)
	return append(out, DefaultSource{
		Source: graph.Source{ID: SeedPlansSource, Kind: graph.KindPlan,
			Title: "五份种子规划的抽取事实 (chainkg extract; 不含规划原文)", Origin: "data/plans/*.jsonl"},
		Path: "plans",
		Load: readPlanFactsDir,
	})
}

// SeedPlansSource is the source of the plans of the default data.
const SeedPlansSource graph.SourceID = "plan/seed-plans"

// Files of the default data read by the loaders of this package.
const (
	chainFirmsFile = "registry/chain_firms_jinan_yantai.csv"
	addressesFile  = "registry/a_share_address_hexun2016.csv"
	honoursFile    = "registry/honours_shandong.csv"
)

func pathBase(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// LoadDefaults loads every default source from fsys into the store and
// returns one report per source. It stops at the first source that fails;
// sources already loaded stay.
func LoadDefaults(ctx context.Context, st Replacer, fsys fs.FS) ([]*Report, error) {
	return loadSources(ctx, st, fsys, Defaults())
}

// LoadLibrary loads only the reference tables and the chain library of the
// default data (crosswalk and parks included): what 'chainkg validate'
// checks, without the registries that are classified against it.
func LoadLibrary(ctx context.Context, st Replacer, fsys fs.FS) ([]*Report, error) {
	var lib []DefaultSource
	for _, d := range Defaults() {
		if d.Source.Kind == graph.KindReference || d.Source.Kind == graph.KindChains {
			lib = append(lib, d)
		}
	}
	return loadSources(ctx, st, fsys, lib)
}

func loadSources(ctx context.Context, st Replacer, fsys fs.FS, srcs []DefaultSource) ([]*Report, error) {
	var reps []*Report
	for _, d := range srcs {
		var rep *Report
		_, err := st.Replace(ctx, d.Source, func(sink graph.FactSink) error {
			var err error
			rep, err = d.read(ctx, fsys, st.Index(), sink)
			return err
		})
		if rep != nil {
			rep.Source = d.Source.ID
			reps = append(reps, rep)
		}
		if err != nil {
			return reps, fmt.Errorf("loaders: default source %s: %w", d.Source.ID, err)
		}
	}
	return reps, nil
}
