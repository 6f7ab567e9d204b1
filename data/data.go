// Package data embeds chainkg's default dataset: reference tables, the chain
// library, and the registries and plans the service starts with. It only
// embeds; the loaders package reads these files. SOURCES.md says where each
// file comes from.
package data

import "embed"

// FS holds the default dataset.
//
//go:embed SOURCES.md reference chains registry plans
var FS embed.FS
