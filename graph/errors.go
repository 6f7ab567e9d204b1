package graph

import "errors"

// Sentinel errors. Callers test them with errors.Is; the api maps them to
// HTTP statuses in one table.
var (
	// ErrNotFound is returned when an entity, source or version does not exist.
	ErrNotFound = errors.New("graph: not found")
	// ErrInvalid is returned for a malformed identifier, value or query parameter.
	ErrInvalid = errors.New("graph: invalid")
	// ErrConflict is returned when a write contradicts what is stored.
	ErrConflict = errors.New("graph: conflict")
	// ErrClosed is returned by a Store after Close.
	ErrClosed = errors.New("graph: store closed")
	// ErrUnsupported is returned for a store URL or operation a backend lacks.
	ErrUnsupported = errors.New("graph: unsupported")
)
