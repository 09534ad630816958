package ghactions

import (
	"cmp"
	"fmt"
	"slices"
)

// A zip's directory may point several entries at the same compressed bytes;
// a 64 KiB file can then read as a gigabyte of logs. GitHub writes each entry
// once, one after the other, so OpenLogArchive rejects any two entries whose
// data overlap. The data alone is enough: bytes that are inflated once each
// cannot amplify, whatever else the directory points at them.

// entrySpan is the compressed bytes an entry reads, from its data offset to
// its end; an empty entry counts as one byte, so that two empty entries on
// one local header overlap too.
type entrySpan struct {
	name       string
	start, end int64
}

// checkOverlap returns an error wrapping ErrInvalidArchive if any two spans
// overlap.
func checkOverlap(spans []entrySpan) error {
	slices.SortFunc(spans, func(a, b entrySpan) int { return cmp.Compare(a.start, b.start) })
	for i := 1; i < len(spans); i++ {
		// Sorted by start, and each end checked against the next start, so
		// the previous span ends the furthest yet.
		if prev := spans[i-1]; spans[i].start < prev.end {
			return fmt.Errorf("%w: entries %s and %s overlap", ErrInvalidArchive, prev.name, spans[i].name)
		}
	}
	return nil
}
