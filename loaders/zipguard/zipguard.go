// Package zipguard checks zip archives from outside — XLSX workbooks, DOCX
// documents — before anything in them is inflated, so that a zip bomb (a
// small file that inflates to gigabytes, or holds a million entries) is
// refused with a reason instead of filling memory, disk or hours of CPU.
//
// The checks read only the central directory. They can trust its sizes:
// archive/zip fails a read that inflates to more bytes than the directory
// declares for the entry.
package zipguard

import (
	"archive/zip"
	"errors"
	"fmt"
)

// Limits bound an archive.
type Limits struct {
	// Entries bounds the files in the archive.
	Entries int
	// EntrySize bounds the uncompressed bytes of any one entry.
	EntrySize uint64
	// TotalSize bounds the uncompressed bytes of all entries together.
	TotalSize uint64
	// Ratio bounds uncompressed / compressed bytes of an entry larger than
	// RatioFloor. Office XML compresses 5–30×; deflate's maximum is ~1030×.
	Ratio      uint64
	RatioFloor uint64
}

// Default are the limits loaders use: far above any real workbook (a
// million-row registry sheet is ~1.2 GB of XML at ~9× compression) and far
// below what a bomb needs.
var Default = Limits{
	Entries:    10_000,
	EntrySize:  4 << 30,
	TotalSize:  8 << 30,
	Ratio:      200,
	RatioFloor: 1 << 20,
}

// ErrLimit is wrapped by every refusal.
var ErrLimit = errors.New("zipguard: the archive is over a limit (a zip bomb?)")

// Check refuses an archive whose directory passes a limit.
func Check(files []*zip.File, lim Limits) error {
	if len(files) > lim.Entries {
		return fmt.Errorf("%w: %d entries, at most %d", ErrLimit, len(files), lim.Entries)
	}
	var total uint64
	for _, f := range files {
		if err := checkEntry(f, lim); err != nil {
			return err
		}
		total += f.UncompressedSize64
		if total > lim.TotalSize {
			return fmt.Errorf("%w: more than %d bytes uncompressed in all", ErrLimit, lim.TotalSize)
		}
	}
	return nil
}

func checkEntry(f *zip.File, lim Limits) error {
	if f.UncompressedSize64 > lim.EntrySize {
		return fmt.Errorf("%w: %s inflates to %d bytes, at most %d", ErrLimit, f.Name, f.UncompressedSize64, lim.EntrySize)
	}
	if f.UncompressedSize64 > lim.RatioFloor {
		if f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > lim.Ratio {
			return fmt.Errorf("%w: %s inflates %d bytes to %d, more than %d×", ErrLimit, f.Name, f.CompressedSize64, f.UncompressedSize64, lim.Ratio)
		}
	}
	return nil
}
