package loaders

import (
	"context"
	"errors"
	"testing"

	"github.com/chainkg/chainkg/data"
)

// TestLoadersStopWhenContextEnds gives every default source's loader a
// context that has ended and a sink that takes everything: each must
// return the context's error and put nothing, stopping on its own rather
// than relying on the sink to refuse.
func TestLoadersStopWhenContextEnds(t *testing.T) {
	x := fixtureStore(t).Index()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for _, d := range Defaults() {
		t.Run(string(d.Source.ID), func(t *testing.T) {
			var c collect
			_, err := d.read(ctx, data.FS, x, &c)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if len(c.facts) != 0 {
				t.Errorf("%d facts put after the context ended", len(c.facts))
			}
		})
	}
}
