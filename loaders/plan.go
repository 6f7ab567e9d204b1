package loaders

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/chainkg/chainkg/graph"
)

// LoadRegionTable loads only the region table of the default data into st:
// what extraction needs to place plans when no store is in use.
func LoadRegionTable(ctx context.Context, st Replacer, fsys fs.FS) error {
	for _, d := range Defaults() {
		if d.Source.ID != "reference/regions" {
			continue
		}
		_, err := st.Replace(ctx, d.Source, func(sink graph.FactSink) error {
			_, err := d.Read(fsys, d.Path, st.Index(), sink)
			return err
		})
		return err
	}
	return fmt.Errorf("loaders: the default data has no region table")
}
