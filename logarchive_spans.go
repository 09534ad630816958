package ghactions

import (
	"archive/zip"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// A zip's directory may point several entries at the same bytes, or an
// entry's local header into another entry's data; a 64 KiB file can then
// read as a gigabyte of logs. GitHub writes each entry once, one after the
// other, so OpenLogArchive rejects any two entries whose spans, from local
// header to end of data, overlap.

// entrySpan is the bytes an entry owns: its local header and its data.
type entrySpan struct {
	name       string
	start, end int64
}

// headerFinder is the archive's reader. It notes where archive/zip reads an
// entry's local header, an offset that zip.File keeps to itself.
type headerFinder struct {
	io.ReaderAt
	// Set only while OpenLogArchive runs, so that the reads of a LogArchive
	// in use, which may be concurrent, find them unchanging.
	watching bool
	first    int64 // offset of the first read while watching; -1 if none
	hdr      [localHeaderLen]byte
}

func (h *headerFinder) ReadAt(p []byte, off int64) (int, error) {
	if h.watching && h.first < 0 {
		h.first = off
	}
	return h.ReaderAt.ReadAt(p, off)
}

// localHeaderLen is the fixed part of a zip local header.
const localHeaderLen = 30

var errNoLocalHeader = errors.New("no local header where the directory points")

// offsets returns where f's local header and data start. archive/zip finds
// the data by reading the local header; offsets takes that read's offset as
// the header's, and confirms it by reading the header itself.
func (h *headerFinder) offsets(f *zip.File) (header, data int64, err error) {
	h.watching, h.first = true, -1
	data, err = f.DataOffset()
	h.watching = false
	if err != nil {
		return 0, 0, err
	}
	header = h.first
	if header < 0 {
		return 0, 0, errNoLocalHeader
	}
	b := h.hdr[:]
	if _, err := h.ReaderAt.ReadAt(b, header); err != nil {
		return 0, 0, err
	}
	le := binary.LittleEndian
	nameLen, extraLen := int64(le.Uint16(b[26:])), int64(le.Uint16(b[28:]))
	if le.Uint32(b[:]) != 0x04034b50 || header+localHeaderLen+nameLen+extraLen != data {
		return 0, 0, errNoLocalHeader
	}
	return header, data, nil
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
