package graph

import (
	"fmt"
	"strings"
)

// ResolveChain finds a chain by its id or by its Chinese name or an alias
// (新能源汽车, 新能源汽车产业链), as users type it.
func (x *Index) ResolveChain(s string) (ChainID, error) {
	s = strings.TrimSpace(s)
	if _, ok := x.chainAt[ChainID(s)]; ok {
		return ChainID(s), nil
	}
	n := normName(s)
	for _, c := range x.chains {
		if normName(c.Name) == n {
			return c.ID, nil
		}
	}
	for _, c := range x.chains {
		for _, a := range c.Aliases {
			if normName(a) == n {
				return c.ID, nil
			}
		}
	}
	if t, ok := strings.CutSuffix(n, "产业链"); ok && t != "" {
		return x.ResolveChain(t)
	}
	return "", fmt.Errorf("%w: chain %q", ErrNotFound, s)
}
