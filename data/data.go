package data

import "embed"

// FS holds the default dataset.
//
//go:embed SOURCES.md reference chains registry
var FS embed.FS
