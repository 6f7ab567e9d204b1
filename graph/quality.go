package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/cayleygraph/quad"
)

// QualityStatus is a writer's verdict on a data-quality item.
type QualityStatus string

// Verdicts.
const (
	MarkResolved QualityStatus = "resolved" // the data were fixed, or the item is right as it is
	MarkWrong    QualityStatus = "wrong"    // the item is a false alarm
)

// ParseQualityStatus validates a verdict.
func ParseQualityStatus(s string) (QualityStatus, error) {
	switch v := QualityStatus(s); v {
	case MarkResolved, MarkWrong:
		return v, nil
	}
	return "", fmt.Errorf("%w: status %q: want resolved or wrong", ErrInvalid, s)
}

// QualityMark is a writer's verdict on an item of the data-quality view
// (its key, such as "province-only:x-600309-sh"). Marks are one override
// source, so they survive reloads of every other source.
type QualityMark struct {
	Item   string
	Status QualityStatus
	Note   string
	By     string
	At     time.Time
}

// markIRI mints the IRI of the mark of an item: one per item.
func markIRI(item string) quad.IRI {
	sum := sha256.Sum256([]byte(item))
	return quad.IRI(prefixMark + hex.EncodeToString(sum[:10]))
}

func (m QualityMark) encode(e *encoder) {
	s := markIRI(m.Item)
	e.add(s, PredType, ClassQualityMark)
	e.str(s, PredMarks, m.Item)
	e.str(s, PredMarkStatus, string(m.Status))
	e.str(s, PredNote, m.Note)
	e.str(s, PredMarkedBy, m.By)
	if !m.At.IsZero() {
		e.str(s, PredMarkedAt, m.At.UTC().Format(time.RFC3339))
	}
}

// MarkMerge decodes the quads of one mark.
type MarkMerge struct{ QualityMark }

// Add decodes one quad of a mark.
func (m *MarkMerge) Add(q quad.Quad) {
	switch q.Predicate {
	case PredMarks:
		m.Item = StrOf(q.Object)
	case PredMarkStatus:
		m.Status = QualityStatus(StrOf(q.Object))
	case PredNote:
		m.Note = StrOf(q.Object)
	case PredMarkedBy:
		m.By = StrOf(q.Object)
	case PredMarkedAt:
		m.At, _ = time.Parse(time.RFC3339, StrOf(q.Object))
	}
}
