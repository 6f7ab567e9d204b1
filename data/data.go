package data

import "embed"

// FS holds the default dataset.
//
//go:embed SOURCES.md reference chains registry plans
var FS embed.FS
