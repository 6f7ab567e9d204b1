package loaders

import (
	"os"
	"path/filepath"

	"github.com/chainkg/chainkg/graph"
)

// The chain library and its companions as default sources and as file
// kinds for 'chainkg load'.

// ChainLibrarySource is the source of the chain library: every chain file
// of one directory, loaded together so that supply edges between chains are
// checked together and the library is replaced as a whole.
const ChainLibrarySource graph.SourceID = "chains/library"

// librarySources are the default sources of this file's family, in load
// order: the GB/T 4754 table and its special classifications, the chain
// library (which checks its codes against the table), the crosswalk (which
// checks its chains) and the parks (which check regions and chains).
func librarySources() []DefaultSource {
	return []DefaultSource{
		{
			Source: graph.Source{ID: "reference/gbt4754-2017.csv", Kind: graph.KindReference,
				Title: "国民经济行业分类 GB/T 4754-2017 (第1号修改单)", Origin: "data/reference/gbt4754_2017.csv"},
			Path: "reference/gbt4754_2017.csv",
			Load: ReadIndustryCodes,
		},
		{
			Source: graph.Source{ID: "reference/gbt4754-special.csv", Kind: graph.KindReference,
				Title: "战略性新兴产业、高技术产业等分类与 GB/T 4754 的对应", Origin: "data/reference/gbt4754_special.csv"},
			Path: "reference/gbt4754_special.csv",
			Load: ReadIndustryClassifications,
		},
		{
			Source: graph.Source{ID: ChainLibrarySource, Kind: graph.KindChains,
				Title: "产业链库", Origin: "data/chains"},
			Path: "chains",
			Load: ReadChainFiles,
		},
		{
			Source: graph.Source{ID: "chains/crosswalk.txt", Kind: graph.KindChains,
				Title: "规划用语与产业链对照表", Origin: "data/chains/crosswalk.txt"},
			Path: "chains/crosswalk.txt",
			Load: ReadCrosswalk,
		},
		{
			Source: graph.Source{ID: "reference/parks.txt", Kind: graph.KindReference,
				Title: "园区、开发区与产业走廊", Origin: "data/reference/parks.txt"},
			Path: "reference/parks.txt",
			Load: ReadParks,
		},
	}
}

// chainsSourceID names what 'chainkg load chains PATH' writes: a directory
// is the library and replaces it; a single file is a source of its own.
func chainsSourceID(path string) (graph.SourceID, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return ChainLibrarySource, nil
	}
	return graph.NewSourceID(graph.KindChains, filepath.Base(path))
}
