package loaders

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
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
			Read: readFile(ReadIndustryCodes),
		},
		{
			Source: graph.Source{ID: "reference/gbt4754-special.csv", Kind: graph.KindReference,
				Title: "战略性新兴产业、高技术产业等分类与 GB/T 4754 的对应", Origin: "data/reference/gbt4754_special.csv"},
			Path: "reference/gbt4754_special.csv",
			Read: readFile(ReadIndustryClassifications),
		},
		{
			Source: graph.Source{ID: ChainLibrarySource, Kind: graph.KindChains,
				Title: "产业链库", Origin: "data/chains"},
			Path: "chains",
			Read: func(fsys fs.FS, dir string, x *readmodel.Index, sink graph.FactSink) (*Report, error) {
				files, err := ChainFilesIn(fsys, dir)
				if err != nil {
					return nil, err
				}
				return ReadChainFiles(fsys, files, ChainOptions{Codes: CodeBookOf(x), Known: NodeBookOf(x),
					Owner: ownerOf(x), Self: ChainLibrarySource}, sink)
			},
		},
		{
			Source: graph.Source{ID: "chains/crosswalk.txt", Kind: graph.KindChains,
				Title: "规划用语与产业链对照表", Origin: "data/chains/crosswalk.txt"},
			Path: "chains/crosswalk.txt",
			Read: func(fsys fs.FS, path string, x *readmodel.Index, sink graph.FactSink) (*Report, error) {
				f, err := fsys.Open(path)
				if err != nil {
					return nil, err
				}
				defer f.Close()
				return ReadCrosswalk(f, path, ChainBookOf(x), sink)
			},
		},
		{
			Source: graph.Source{ID: "reference/parks.txt", Kind: graph.KindReference,
				Title: "园区、开发区与产业走廊", Origin: "data/reference/parks.txt"},
			Path: "reference/parks.txt",
			Read: func(fsys fs.FS, path string, x *readmodel.Index, sink graph.FactSink) (*Report, error) {
				f, err := fsys.Open(path)
				if err != nil {
					return nil, err
				}
				defer f.Close()
				return ReadParks(f, path, RegionBookOf(x), ChainBookOf(x), sink)
			},
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

// readChainsInput loads a directory of chain files, or one chain file.
func readChainsInput(in fileInput, sink graph.FactSink) (*Report, error) {
	dir, files := filepath.Dir(in.Path), []string{filepath.Base(in.Path)}
	if fi, err := os.Stat(in.Path); err == nil && fi.IsDir() {
		dir = in.Path
		var err error
		if files, err = ChainFilesIn(os.DirFS(dir), "."); err != nil {
			return nil, err
		}
	}
	return ReadChainFiles(os.DirFS(dir), files, ChainOptions{Codes: CodeBookOf(in.Index), Known: NodeBookOf(in.Index),
		Owner: ownerOf(in.Index), Self: in.Source}, sink)
}

func readCrosswalkInput(in fileInput, sink graph.FactSink) (*Report, error) {
	return ReadCrosswalk(in.R, in.File, ChainBookOf(in.Index), sink)
}

func readParksInput(in fileInput, sink graph.FactSink) (*Report, error) {
	return ReadParks(in.R, in.File, RegionBookOf(in.Index), ChainBookOf(in.Index), sink)
}

// ownerOf says which source defines each chain of a read model.
func ownerOf(x *readmodel.Index) func(graph.ChainID) (graph.SourceID, bool) {
	if x == nil {
		return nil
	}
	return func(id graph.ChainID) (graph.SourceID, bool) {
		c, ok := x.Chain(id)
		return c.Source, ok && c.Source != ""
	}
}
