package ghactions

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawEntry is a central-directory record for rawZip: it points at a local
// header wherever the test likes, as a hostile archive may.
type rawEntry struct {
	name             string
	offset           uint32 // of the local header
	method           uint16
	crc              uint32
	packed, unpacked uint32
}

// localHeader is the local header of an entry described by e, without a data
// descriptor.
func localHeader(e rawEntry) []byte {
	h := make([]byte, 30, 30+len(e.name))
	le := binary.LittleEndian
	le.PutUint32(h[0:], 0x04034b50)
	le.PutUint16(h[4:], 20)
	le.PutUint16(h[8:], e.method)
	le.PutUint32(h[14:], e.crc)
	le.PutUint32(h[18:], e.packed)
	le.PutUint32(h[22:], e.unpacked)
	le.PutUint16(h[26:], uint16(len(e.name)))
	return append(h, e.name...)
}

// rawZip returns body, which holds the local headers and data, followed by
// a central directory of entries.
func rawZip(body []byte, entries ...rawEntry) []byte {
	le := binary.LittleEndian
	out := bytes.Clone(body)
	dirStart := len(out)
	for _, e := range entries {
		h := make([]byte, 46)
		le.PutUint32(h[0:], 0x02014b50)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], 20)
		le.PutUint16(h[10:], e.method)
		le.PutUint32(h[16:], e.crc)
		le.PutUint32(h[20:], e.packed)
		le.PutUint32(h[24:], e.unpacked)
		le.PutUint16(h[28:], uint16(len(e.name)))
		le.PutUint32(h[42:], e.offset)
		out = append(append(out, h...), e.name...)
	}
	end := make([]byte, 22)
	le.PutUint32(end[0:], 0x06054b50)
	le.PutUint16(end[8:], uint16(len(entries)))
	le.PutUint16(end[10:], uint16(len(entries)))
	le.PutUint32(end[12:], uint32(len(out)-dirStart))
	le.PutUint32(end[16:], uint32(dirStart))
	return append(out, end...)
}

// stored describes name holding data uncompressed, its local header at offset.
func stored(name string, offset int, data []byte) rawEntry {
	n := uint32(len(data))
	return rawEntry{name: name, offset: uint32(offset), crc: crc32.ChecksumIEEE(data), packed: n, unpacked: n}
}

// sharedStream is an archive of jobs whose directory records all point at one
// deflate stream of 64 MiB of empty lines, which fits in about 64 KiB.
func sharedStream(t testing.TB, jobs int) []byte {
	t.Helper()
	const chunk, chunks = 256 << 10, 256
	packed := newlines(t, chunk, chunks)
	var crc uint32
	lines := bytes.Repeat([]byte("\n"), chunk)
	for range chunks {
		crc = crc32.Update(crc, crc32.IEEETable, lines)
	}

	first := rawEntry{name: "0_job.txt", method: 8, crc: crc,
		packed: uint32(len(packed)), unpacked: chunk * chunks}
	body := append(localHeader(first), packed...)
	entries := make([]rawEntry, jobs)
	for i := range entries {
		entries[i] = first
		entries[i].name = fmt.Sprintf("%d_job.txt", i)
	}
	return rawZip(body, entries...)
}

// newlines deflates n chunks of size newlines. It compresses two chunks and
// repeats the second's blocks, which refer only to the newlines before them,
// for the rest: compressing 64 MiB is slow under the race detector.
func newlines(t testing.TB, size, n int) []byte {
	t.Helper()
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestCompression)
	require.NoError(t, err)
	chunk := bytes.Repeat([]byte("\n"), size)
	_, err = fw.Write(chunk)
	require.NoError(t, err)
	require.NoError(t, fw.Flush())
	first := out.Len()
	_, err = fw.Write(chunk)
	require.NoError(t, err)
	require.NoError(t, fw.Flush())
	next := bytes.Clone(out.Bytes()[first:])
	for range n - 2 {
		out.Write(next)
	}
	require.NoError(t, fw.Close()) // the final, empty block
	return out.Bytes()
}

func TestOpenLogArchiveRejectsOverlappingEntries(t *testing.T) {
	stepLog := []byte("step log\n")
	step := stored("build/1_Set up job.txt", 0, stepLog)
	stepBytes := append(localHeader(step), stepLog...)

	// A stored job whose data is the step's local header and data.
	nested := stored("0_build.txt", 0, stepBytes)
	nestedStep := step
	nestedStep.offset = uint32(len(localHeader(nested)))

	empty := stored("0_build.txt", 0, nil)
	emptyTwin := empty
	emptyTwin.name = "1_test.txt"

	// 16 jobs of 64 MiB each, 1 GiB of logs, in a file of about 64 KiB.
	bomb := sharedStream(t, 16)
	require.Less(t, len(bomb), 100<<10)

	tests := []struct {
		name string
		data []byte
	}{
		{name: "16 jobs share one deflate stream", data: bomb},
		{name: "two jobs share one stored entry", data: rawZip(append(localHeader(step), stepLog...),
			stored("0_build.txt", 0, stepLog), stored("1_test.txt", 0, stepLog))},
		{name: "a step inside a job's data", data: rawZip(append(localHeader(nested), stepBytes...),
			nested, nestedStep)},
		{name: "two empty jobs share one local header", data: rawZip(localHeader(empty), empty, emptyTwin)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := OpenLogArchive(bytes.NewReader(tt.data), int64(len(tt.data)))
			require.ErrorIs(t, err, ErrInvalidArchive)
			assert.ErrorContains(t, err, "overlap")
			assert.Nil(t, a)
		})
	}
}

func TestNewlinesDeflates(t *testing.T) {
	packed := newlines(t, 64<<10, 4)
	b, err := io.ReadAll(flate.NewReader(bytes.NewReader(packed)))
	require.NoError(t, err)
	assert.Equal(t, bytes.Repeat([]byte("\n"), 256<<10), b)
}

func TestRawZipBuildsValidArchives(t *testing.T) {
	// The builder itself is sound: laid end to end, its entries open.
	jobLog, stepLog := []byte("job log\n"), []byte("step log\n")
	job := stored("0_build.txt", 0, jobLog)
	jobBytes := append(localHeader(job), jobLog...)
	step := stored("build/1_Set up job.txt", len(jobBytes), stepLog)
	data := rawZip(append(jobBytes, append(localHeader(step), stepLog...)...), job, step)

	a, err := OpenLogArchive(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	requireJobs(t, a, []wantJob{{number: 0, name: "build", log: "job log\n",
		steps: []wantStep{{1, "Set up job", "step log\n"}}}})
}
