package loaders

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/chainkg/chainkg/graph"
)

// ReadCrosswalk reads the table that maps plan wording to chains: one row a
// line, four fields separated by '|', '#' starting a comment:
//
//	# phrase | chains                          | confidence | note
//	五能一网  | energy-storage, pv, wind, …     | 0.95       | 济南: 储能、太阳能、风能、核能、氢能、先进电网
//	文化旅游  | -                               | 1          | a service industry: no chain in the library
//
// chains is a list of chain ids, or "-" for wording the library knowingly
// does not cover. A row with an unknown chain, a confidence outside (0, 1]
// or a phrase given twice is rejected with its line. It reads in.R and
// in.File and checks chain ids against in.Chains; when no library is
// loaded, the ids are left unchecked, with a warning.
func ReadCrosswalk(ctx context.Context, in Input, sink graph.FactSink) (*Report, error) {
	file := in.File
	rep := &Report{File: file}
	chains := in.Chains
	if !in.chainsLoaded() {
		chains = nil
		rep.Warn(0, "chains", errors.New("no chain library is loaded: crosswalk targets were not checked"))
	}
	seen := map[string]int{}
	slugs := map[string]string{} // the identifier a phrase gets → the phrase
	err := readPipeTable(ctx, in.R, file, []string{"phrase", "chains", "confidence", "note"}, rep, func(n int, parts []string) error {
		e := graph.CrosswalkEntry{Phrase: parts[0], Note: parts[3]}
		bad := false
		if e.Phrase == "" {
			rep.Reject(n, "phrase", errors.New("empty"))
			bad = true
		} else if at, dup := seen[e.Phrase]; dup {
			rep.Reject(n, "phrase", fmt.Errorf("%q is already mapped on line %d", e.Phrase, at))
			bad = true
		} else if other, dup := slugs[graph.Slugify(e.Phrase)]; dup {
			// Rows are identified by a slug of the phrase, which keeps ASCII
			// letters and digits and hashes the Chinese: 人工智能 and 人工智能+
			// would be one row.
			rep.Reject(n, "phrase", fmt.Errorf("%q gets the same identifier as %q (line %d): reword one of them", e.Phrase, other, seen[other]))
			bad = true
		} else {
			seen[e.Phrase] = n
			slugs[graph.Slugify(e.Phrase)] = e.Phrase
		}
		if parts[1] != "-" {
			ids := splitList(parts[1])
			if len(ids) == 0 {
				rep.Reject(n, "chains", errors.New("empty: list chain ids, or write - for wording no chain covers"))
				bad = true
			}
			for _, s := range ids {
				id, err := graph.ParseChainID(s)
				switch {
				case err != nil:
					rep.Reject(n, "chains", err)
					bad = true
				case chains != nil && !hasChain(chains, id):
					rep.Reject(n, "chains", fmt.Errorf("no chain %s in the library", id))
					bad = true
				default:
					e.Chains = append(e.Chains, id)
				}
			}
		}
		c, err := strconv.ParseFloat(parts[2], 64)
		if err != nil || c <= 0 || c > 1 {
			rep.Reject(n, "confidence", fmt.Errorf("%q: want a number in (0, 1]", parts[2]))
			bad = true
		}
		e.Confidence = c
		if bad {
			return nil
		}
		if err := sink.Put(e); err != nil {
			return err
		}
		rep.Loaded++
		return nil
	})
	return rep, err
}
