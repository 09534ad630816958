package ghactions

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// zipEntry is a file to put in a test archive. With raw set, body is written
// as the entry's compressed data under raw's header, lies and all.
type zipEntry struct {
	name   string
	body   string
	stored bool
	raw    *zip.FileHeader
}

func buildZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		var (
			w   io.Writer
			err error
		)
		switch {
		case e.raw != nil:
			hdr := *e.raw
			hdr.Name = e.name
			w, err = zw.CreateRaw(&hdr)
		case e.stored:
			w, err = zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		default:
			w, err = zw.Create(e.name)
		}
		require.NoError(t, err)
		_, err = io.WriteString(w, e.body)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func openZip(t testing.TB, entries ...zipEntry) *LogArchive {
	t.Helper()
	data := buildZip(t, entries...)
	a, err := OpenLogArchive(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, a.Close()) })
	return a
}

func readLog(t testing.TB, open func() (io.ReadCloser, error)) string {
	t.Helper()
	rc, err := open()
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	return string(b)
}

type wantStep struct {
	number int
	name   string
	log    string
}

type wantJob struct {
	number      int
	name        string
	log         string
	fromMarkers bool
	folderOnly  bool
	steps       []wantStep
}

func requireJobs(t *testing.T, a *LogArchive, want []wantJob) {
	t.Helper()
	require.Len(t, a.Jobs, len(want))
	for i, w := range want {
		j := a.Jobs[i]
		assert.Equal(t, w.number, j.Number, "job %d number", i)
		assert.Equal(t, w.name, j.Name, "job %d name", i)
		assert.Equal(t, w.log, readLog(t, j.Open), "job %d log", i)
		assert.Equal(t, w.fromMarkers, j.StepsFromMarkers, "job %d StepsFromMarkers", i)
		assert.Equal(t, w.folderOnly, j.FolderOnly, "job %d FolderOnly", i)
		require.Len(t, j.Steps, len(w.steps), "job %d steps", i)
		for k, ws := range w.steps {
			s := j.Steps[k]
			assert.Equal(t, ws.number, s.Number, "job %d step %d number", i, k)
			assert.Equal(t, ws.name, s.Name, "job %d step %d name", i, k)
			assert.Equal(t, ws.log, readLog(t, s.Open), "job %d step %d log", i, k)
		}
	}
}

const ts = "2025-04-07T12:57:33.2904078Z "

// markedLog is a job log as GitHub writes it when it leaves out step files.
var markedLog = "\uFEFF" + ts + "Current runner version: '2.323.0'\n" +
	ts + "##[group]Operating System\n" +
	ts + "Ubuntu\n" +
	ts + "##[endgroup]\n" +
	ts + "##[group]Run actions/checkout@v4\n" +
	ts + "with:\n" +
	ts + "##[endgroup]\n" +
	ts + "Syncing repository\n" +
	ts + "##[group]Run make test\n" +
	ts + "ok\n" +
	ts + "Post job cleanup.\n" +
	ts + "Cleaning up orphan processes\n"

// markedText is markedLog as Open gives it: without the byte-order mark.
var markedText = strings.TrimPrefix(markedLog, "\uFEFF")

var markedSteps = []wantStep{
	{1, "Set up job", ts + "Current runner version: '2.323.0'\n" +
		ts + "##[group]Operating System\n" + ts + "Ubuntu\n" + ts + "##[endgroup]\n"},
	{2, "Run actions/checkout@v4", ts + "##[group]Run actions/checkout@v4\n" +
		ts + "with:\n" + ts + "##[endgroup]\n" + ts + "Syncing repository\n"},
	{3, "Run make test", ts + "##[group]Run make test\n" + ts + "ok\n" +
		ts + "Post job cleanup.\n" + ts + "Cleaning up orphan processes\n"},
}

func TestOpenLogArchiveLayouts(t *testing.T) {
	tests := []struct {
		name    string
		entries []zipEntry
		want    []wantJob
	}{
		{
			name: "job and step files",
			entries: []zipEntry{
				{name: "build/", body: ""},
				{name: "build/1_Set up job.txt", body: "setup\n"},
				{name: "build/2_Run make.txt", body: "make\n"},
				{name: "0_build.txt", body: "setup\nmake\n"},
				{name: "1_test.txt", body: "t\n"},
				{name: "test/1_Set up job.txt", body: "t\n", stored: true},
			},
			want: []wantJob{
				{number: 0, name: "build", log: "setup\nmake\n", steps: []wantStep{
					{1, "Set up job", "setup\n"},
					{2, "Run make", "make\n"},
				}},
				{number: 1, name: "test", log: "t\n", steps: []wantStep{{1, "Set up job", "t\n"}}},
			},
		},
		{
			name: "empty logs and folder entries",
			entries: []zipEntry{
				{name: "build/"},
				{name: "build/1_Set up job.txt", stored: true},
				{name: "build/2_Run make.txt"},
				{name: "0_build.txt"},
				{name: "test/"},
				{name: "1_test.txt", stored: true},
			},
			want: []wantJob{
				{number: 0, name: "build", steps: []wantStep{{1, "Set up job", ""}, {2, "Run make", ""}}},
				{number: 1, name: "test"},
			},
		},
		{
			name: "jobs and steps in numeric order",
			entries: []zipEntry{
				{name: "10_ten.txt", body: "10"},
				{name: "2_two.txt", body: "2"},
				{name: "1_one.txt", body: "1"},
				{name: "one/10_ten.txt", body: "s10"},
				{name: "one/2_two.txt", body: "s2"},
				{name: "one/1_one.txt", body: "s1"},
			},
			want: []wantJob{
				{number: 1, name: "one", log: "1", steps: []wantStep{
					{1, "one", "s1"}, {2, "two", "s2"}, {10, "ten", "s10"},
				}},
				{number: 2, name: "two", log: "2"},
				{number: 10, name: "ten", log: "10"},
			},
		},
		{
			name: "equal numbers keep archive order",
			entries: []zipEntry{
				{name: "1_b.txt", body: "b"},
				{name: "1_a.txt", body: "a"},
				{name: "0_c.txt", body: "c"},
			},
			want: []wantJob{
				{number: 0, name: "c", log: "c"},
				{number: 1, name: "b", log: "b"},
				{number: 1, name: "a", log: "a"},
			},
		},
		{
			name:    "job file only, split at markers",
			entries: []zipEntry{{name: "0_build.txt", body: markedLog}},
			want:    []wantJob{{number: 0, name: "build", log: markedText, fromMarkers: true, steps: markedSteps}},
		},
		{
			name:    "job file only, no markers",
			entries: []zipEntry{{name: "0_build.txt", body: ts + "##[group]Operating System\n" + ts + "hello\n"}},
			want:    []wantJob{{number: 0, name: "build", log: ts + "##[group]Operating System\n" + ts + "hello\n"}},
		},
		{
			name: "odd entries are ignored",
			entries: []zipEntry{
				{name: ".DS_Store", body: "x"},
				{name: "readme.md", body: "x"},
				{name: "x_y.txt", body: "x"},
				{name: "0_.txt", body: "x"},
				{name: "+1_plus.txt", body: "x"},
				{name: "0_build.log", body: "x"},
				{name: "__MACOSX/._0_build.txt", body: "x"},
				{name: "__MACOSX/build/._1_Set up job.txt", body: "x"},
				{name: "build/.DS_Store", body: "x"},
				{name: "build/system.txt", body: "x"},
				{name: "build/sub/3_deep.txt", body: "x"},
				{name: "build/4_sub/5_deep.txt", body: "x"},
				{name: "0_build.txt/", body: ""},
				{name: "0_build.txt", body: "job"},
				{name: "build/1_Set up job.txt", body: "step"},
			},
			want: []wantJob{{number: 0, name: "build", log: "job", steps: []wantStep{{1, "Set up job", "step"}}}},
		},
		{
			name: "folder without step files falls back to markers",
			entries: []zipEntry{
				{name: "build/system.txt", body: "x"},
				{name: "0_build.txt", body: markedLog},
			},
			want: []wantJob{{number: 0, name: "build", log: markedText, fromMarkers: true, steps: markedSteps}},
		},
		{
			name: "folders only, the GitHub CLI's layout",
			entries: []zipEntry{
				{name: "test/2_Run go test.txt", body: "\uFEFF" + ts + "ok\n"},
				{name: "lint/1_Set up job.txt", body: "\uFEFF" + ts + "lint setup\n"},
				{name: "test/1_Set up job.txt", body: "\uFEFF" + ts + "test setup\n", stored: true},
				{name: "lint/3_Complete job.txt", body: ts + "done\n"},
				{name: "lint/2_Run golangci-lint.txt", body: ts + "0 issues.\n"},
			},
			want: []wantJob{
				{name: "lint", folderOnly: true, log: ts + "lint setup\n" + ts + "0 issues.\n" + ts + "done\n",
					steps: []wantStep{
						{1, "Set up job", ts + "lint setup\n"},
						{2, "Run golangci-lint", ts + "0 issues.\n"},
						{3, "Complete job", ts + "done\n"},
					}},
				{name: "test", folderOnly: true, log: ts + "test setup\n" + ts + "ok\n", steps: []wantStep{
					{1, "Set up job", ts + "test setup\n"},
					{2, "Run go test", ts + "ok\n"},
				}},
			},
		},
		{
			name: "folder without job file beside numbered and legacy jobs comes last",
			entries: []zipEntry{
				{name: "orphan/1_Set up job.txt", body: "x"},
				{name: "-42_old.txt", body: "old"},
				{name: "0_build.txt", body: "job"},
				{name: "a orphan/1_Set up job.txt", body: "a"},
			},
			want: []wantJob{
				{number: 0, name: "build", log: "job"},
				{number: -42, name: "old", log: "old"},
				{name: "a orphan", folderOnly: true, log: "a", steps: []wantStep{{1, "Set up job", "a"}}},
				{name: "orphan", folderOnly: true, log: "x", steps: []wantStep{{1, "Set up job", "x"}}},
			},
		},
		{
			name: "folder holding two jobs of one name, one without a job file",
			entries: []zipEntry{
				{name: "build/1_Set up job.txt", body: "setup first"},
				{name: "build/1_Set up job.txt", body: "setup second"},
				{name: "0_build.txt", body: "first"},
				{name: "build/2_Run make.txt", body: "make first"},
				{name: "build/2_Run make.txt", body: "make second"},
			},
			want: []wantJob{
				{number: 0, name: "build", log: "first", steps: []wantStep{
					{1, "Set up job", "setup first"}, {2, "Run make", "make first"},
				}},
				{name: "build", folderOnly: true, log: "setup secondmake second", steps: []wantStep{
					{1, "Set up job", "setup second"}, {2, "Run make", "make second"},
				}},
			},
		},
		{
			name: "legacy job file beside a numbered one is dropped",
			entries: []zipEntry{
				{name: "issue-auto/2_label incoming issue.txt", body: "label"},
				{name: "-2147483648_issue-auto.txt", body: "legacy"},
				{name: "0_issue-auto.txt", body: "current"},
				{name: "issue-auto/1_Set up job.txt", body: "setup"},
			},
			want: []wantJob{{number: 0, name: "issue-auto", log: "current", steps: []wantStep{
				{1, "Set up job", "setup"}, {2, "label incoming issue", "label"},
			}}},
		},
		{
			name: "legacy job file alone comes last",
			entries: []zipEntry{
				{name: "-9999999999_old.txt", body: "old"},
				{name: "3_new.txt", body: "new"},
				{name: "old/1_Set up job.txt", body: "setup"},
			},
			want: []wantJob{
				{number: 3, name: "new", log: "new"},
				{number: -9999999999, name: "old", log: "old", steps: []wantStep{{1, "Set up job", "setup"}}},
			},
		},
		{
			name: "jobs with the same name share their folder in order",
			entries: []zipEntry{
				{name: "0_build.txt", body: "first"},
				{name: "build/1_Set up job.txt", body: "setup first"},
				{name: "build/2_Run make.txt", body: "make first"},
				{name: "1_build.txt", body: "second"},
				{name: "build/1_Set up job.txt", body: "setup second"},
				{name: "build/2_Run make.txt", body: "make second"},
			},
			want: []wantJob{
				{number: 0, name: "build", log: "first", steps: []wantStep{
					{1, "Set up job", "setup first"}, {2, "Run make", "make first"},
				}},
				{number: 1, name: "build", log: "second", steps: []wantStep{
					{1, "Set up job", "setup second"}, {2, "Run make", "make second"},
				}},
			},
		},
		{
			name: "same name with step files for one job only",
			entries: []zipEntry{
				{name: "0_build.txt", body: "first"},
				{name: "1_build.txt", body: markedLog},
				{name: "build/1_Set up job.txt", body: "setup first"},
			},
			want: []wantJob{
				{number: 0, name: "build", log: "first", steps: []wantStep{{1, "Set up job", "setup first"}}},
				{number: 1, name: "build", log: markedText, fromMarkers: true, steps: markedSteps},
			},
		},
		{
			name:    "no job files",
			entries: []zipEntry{{name: "notes.txt", body: "x"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireJobs(t, openZip(t, tt.entries...), tt.want)
		})
	}
}

func TestSplitAtMarkers(t *testing.T) {
	longLine := strings.Repeat("x", 10000)
	longName := "Run x" + strings.Repeat("é", 200) // "é" straddles byte 256
	tests := []struct {
		name  string
		log   string
		steps []wantStep // nil: no split
	}{
		{
			name: "without timestamps, CRLF",
			log:  "setup\r\n##[group]Run a\r\nA\r\n##[group]Run b\r\n",
			steps: []wantStep{
				{1, "Set up job", "setup\r\n"},
				{2, "Run a", "##[group]Run a\r\nA\r\n"},
				{3, "Run b", "##[group]Run b\r\n"},
			},
		},
		{
			name: "marker on the first line",
			log:  "\uFEFF" + ts + "##[group]Run a\n" + ts + "A",
			steps: []wantStep{
				{1, "Set up job", ""},
				{2, "Run a", ts + "##[group]Run a\n" + ts + "A"},
			},
		},
		{
			name: "other groups and mid-line markers do not split",
			log: ts + "##[group]Runner Image\n" + ts + "echo ##[group]Run x\n" +
				"not a time ##[group]Run y\n" + ts + "##[group]Run z",
			steps: []wantStep{
				{1, "Set up job", ts + "##[group]Runner Image\n" + ts + "echo ##[group]Run x\n" +
					"not a time ##[group]Run y\n"},
				{2, "Run z", ts + "##[group]Run z"},
			},
		},
		{
			name: "lines longer than the buffer",
			log:  longLine + " ##[group]Run hidden\n##[group]Run shown\n" + longLine,
			steps: []wantStep{
				{1, "Set up job", longLine + " ##[group]Run hidden\n"},
				{2, "Run shown", "##[group]Run shown\n" + longLine},
			},
		},
		{
			name: "long names are cut at a character boundary",
			log:  "##[group]" + longName + "\n",
			steps: []wantStep{
				{1, "Set up job", ""},
				{2, longName[:maxStepNameLen-1], "##[group]" + longName + "\n"},
			},
		},
		{name: "no markers", log: ts + "hello\n"},
		{name: "empty", log: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := openZip(t, zipEntry{name: "0_job.txt", body: tt.log})
			log := strings.TrimPrefix(tt.log, "\uFEFF")
			requireJobs(t, a, []wantJob{{name: "job", log: log, fromMarkers: tt.steps != nil, steps: tt.steps}})
		})
	}
}

func TestSplitAtMarkersCapsSteps(t *testing.T) {
	const chunk, markers = "##[group]Run x\nout\n", maxMarkerSteps + 10
	j := openZip(t, zipEntry{name: "0_job.txt", body: strings.Repeat(chunk, markers)}).Jobs[0]

	require.Len(t, j.Steps, maxMarkerSteps)
	last := j.Steps[len(j.Steps)-1]
	assert.Equal(t, maxMarkerSteps, last.Number)
	// Step 1, the text before the first marker, is empty; steps 2 to
	// maxMarkerSteps-1 hold a chunk each, and the last step the rest.
	assert.Equal(t, strings.Repeat(chunk, markers-(maxMarkerSteps-2)), readLog(t, last.Open))
}

func TestLogArchiveJob(t *testing.T) {
	long := strings.Repeat("0123456789", 10)
	emoji := "emoji test " + strings.Repeat("😅", 40) // 91 UTF-16 units
	spaced := strings.Repeat("s", 89) + " tail"
	a := openZip(t,
		zipEntry{name: "0_build.txt"},
		zipEntry{name: "1_deploy  prod.txt"},
		zipEntry{name: "2_lint _ go.txt"},
		zipEntry{name: "3_" + long[:90] + ".txt"},
		zipEntry{name: "4_emoji test " + strings.Repeat("😅", 39) + "\uFFFD.txt"},
		zipEntry{name: "5_matrix.txt"},
		zipEntry{name: "6_matrix.txt"},
		zipEntry{name: "7_" + spaced[:89] + ".txt"},
		zipEntry{name: "8_x_y_.txt"},
		zipEntry{name: "9_tabname.txt"},
	)
	tests := []struct {
		query string
		want  int // job number, or -1 for none
	}{
		{"build", 0},
		{"deploy / prod", 1},
		{"deploy  prod", 1},
		{"lint / go", 2},
		{long, 3},
		{emoji, 4},
		{"matrix", 5},
		{spaced, 7},
		{"x<y>", 8},
		{"tab\tname", 9},
		{"missing", -1},
		{"", -1},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			j := a.Job(tt.query)
			if tt.want < 0 {
				assert.Nil(t, j)
				return
			}
			require.NotNil(t, j)
			assert.Equal(t, tt.want, j.Number)
		})
	}
}

func TestCutUTF16(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"a😅😅", 5, "a😅😅"},
		{"a😅😅", 4, "a😅\uFFFD"},
		{"a😅😅", 3, "a😅"},
		{"a😅😅", 2, "a\uFFFD"},
		{"a😅😅", 1, "a"},
		{"a😅😅", 0, ""},
		{"héllo", 2, "hé"},
		{"", 90, ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.s, tt.max), func(t *testing.T) {
			assert.Equal(t, tt.want, cutUTF16(tt.s, tt.max))
		})
	}
}

func TestJobLogStep(t *testing.T) {
	j := openZip(t,
		zipEntry{name: "0_build.txt"},
		zipEntry{name: "build/1_Set up job.txt"},
		zipEntry{name: "build/3_Run make.txt"},
	).Jobs[0]

	require.NotNil(t, j.Step(3))
	assert.Equal(t, "Run make", j.Step(3).Name)
	assert.Nil(t, j.Step(2))
	assert.Nil(t, j.Step(0))
}

func TestLogStreamsContentIntact(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	var log strings.Builder
	for i := range 20000 {
		if i%5000 == 0 {
			fmt.Fprintf(&log, "%s##[group]Run step %d\n", ts, i)
		}
		fmt.Fprintf(&log, "%sline %d of a log that is long enough to span many buffers\n", ts, i)
	}
	for _, stored := range []bool{false, true} {
		t.Run(fmt.Sprintf("stored=%t", stored), func(t *testing.T) {
			a := openZip(t,
				zipEntry{name: "0_split.txt", body: log.String(), stored: stored},
				zipEntry{name: "1_files.txt", body: log.String(), stored: stored},
				zipEntry{name: "files/1_whole.txt", body: log.String(), stored: stored},
			)
			split, files := a.Job("split"), a.Job("files")
			assert.Equal(t, log.String(), readLog(t, split.Open))
			assert.Equal(t, log.String(), readLog(t, files.Open))
			assert.Equal(t, log.String(), readLog(t, files.Step(1).Open))

			require.True(t, split.StepsFromMarkers)
			require.Len(t, split.Steps, 5)
			var joined strings.Builder
			for _, s := range split.Steps {
				joined.WriteString(readLog(t, s.Open))
			}
			assert.Equal(t, log.String(), joined.String())
		})
	}
}

func TestLogArchiveConcurrentReads(t *testing.T) {
	a := openZip(t,
		zipEntry{name: "0_a.txt", body: markedLog},
		zipEntry{name: "1_b.txt", body: "b"},
		zipEntry{name: "b/1_Set up job.txt", body: "b1"},
		zipEntry{name: "c/1_Set up job.txt", body: "c1"},
		zipEntry{name: "c/2_Run make.txt", body: "c2"},
	)
	read := func(open func() (io.ReadCloser, error)) {
		rc, err := open()
		if !assert.NoError(t, err) {
			return
		}
		_, err = io.Copy(io.Discard, rc)
		assert.NoError(t, err)
		assert.NoError(t, rc.Close())
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, j := range a.Jobs {
				read(j.Open)
				for _, s := range j.Steps {
					read(s.Open)
				}
			}
		}()
	}
	wg.Wait()
}

func TestOpenLogArchiveRejectsBadArchives(t *testing.T) {
	valid := buildZip(t, zipEntry{name: "0_build.txt", body: markedLog})
	garbage := "\xff\xff\xff\xff" // a deflate block of the reserved type
	tests := []struct {
		name string
		data []byte
		size int64 // if not zero, passed instead of len(data)
	}{
		{name: "not a zip", data: []byte("hello, world")},
		{name: "empty", data: nil},
		{name: "truncated", data: valid[:len(valid)/2]},
		{name: "size short of data", data: valid, size: int64(len(valid)) - 10},
		{name: "parent folder", data: buildZip(t, zipEntry{name: "../0_evil.txt"})},
		{name: "parent folder inside", data: buildZip(t, zipEntry{name: "build/../../0_evil.txt"})},
		{name: "absolute", data: buildZip(t, zipEntry{name: "/0_evil.txt"})},
		{name: "backslash", data: buildZip(t, zipEntry{name: `build\..\1_evil.txt`})},
		{name: "volume", data: buildZip(t, zipEntry{name: "C:/0_evil.txt"})},
		{name: "hostile name on an ignored entry", data: buildZip(t,
			zipEntry{name: "0_build.txt"}, zipEntry{name: "../.DS_Store"})},
		{name: "local header out of range", data: withHeaderOffset(valid, 0xFFFFFFF0)},
		{name: "huge declared size", data: buildZip(t, zipEntry{name: "0_build.txt", body: "\x03\x00",
			raw: &zip.FileHeader{Method: zip.Deflate, CompressedSize64: 2, UncompressedSize64: 1 << 40}})},
		{name: "stored sizes differ", data: buildZip(t, zipEntry{name: "build/1_x.txt", body: "0123456789",
			raw: &zip.FileHeader{Method: zip.Store, CompressedSize64: 10, UncompressedSize64: 1000}})},
		{name: "compressed size beyond archive", data: buildZip(t, zipEntry{name: "0_build.txt", body: "ab",
			raw: &zip.FileHeader{Method: zip.Store, CompressedSize64: 1 << 40, UncompressedSize64: 1 << 40}})},
		{name: "unsupported method", data: buildZip(t, zipEntry{name: "0_build.txt", body: "ab",
			raw: &zip.FileHeader{Method: 99, CompressedSize64: 2, UncompressedSize64: 2}})},
		{name: "corrupt job log to split", data: buildZip(t, zipEntry{name: "0_build.txt", body: garbage,
			raw: &zip.FileHeader{Method: zip.Deflate, CompressedSize64: 4, UncompressedSize64: 10}})},
		{name: "checksum mismatch in job log to split", data: buildZip(t, zipEntry{name: "0_build.txt", body: "ab",
			raw: &zip.FileHeader{Method: zip.Store, CompressedSize64: 2, UncompressedSize64: 2, CRC32: 1}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := tt.size
			if size == 0 {
				size = int64(len(tt.data))
			}
			a, err := OpenLogArchive(bytes.NewReader(tt.data), size)
			require.ErrorIs(t, err, ErrInvalidArchive)
			assert.Nil(t, a)
		})
	}
}

func TestLogArchiveRejectsBadArguments(t *testing.T) {
	valid := buildZip(t, zipEntry{name: "0_build.txt", body: "log"})
	tests := []struct {
		name string
		call func() error
	}{
		{"nil reader", func() error {
			a, err := OpenLogArchive(nil, 10)
			assert.Nil(t, a)
			return err
		}},
		{"negative size", func() error {
			a, err := OpenLogArchive(bytes.NewReader(valid), -1)
			assert.Nil(t, a)
			return err
		}},
		{"nil job", func() error {
			rc, err := (*JobLog)(nil).Open()
			assert.Nil(t, rc)
			return err
		}},
		{"job not from an archive", func() error {
			rc, err := (&JobLog{Name: "build"}).Open()
			assert.Nil(t, rc)
			return err
		}},
		{"nil step", func() error {
			rc, err := (*StepLog)(nil).Open()
			assert.Nil(t, rc)
			return err
		}},
		{"step not from an archive", func() error {
			rc, err := (&StepLog{Number: 1}).Open()
			assert.Nil(t, rc)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorIs(t, tt.call(), ErrInvalidArgument)
		})
	}
}

func TestLogArchiveNilReceivers(t *testing.T) {
	var a *LogArchive
	assert.Nil(t, a.Job("build"))
	assert.NoError(t, a.Close())
	var j *JobLog
	assert.Nil(t, j.Step(1))
}

// withHeaderOffset returns a copy of the single-entry archive data whose
// directory puts the entry's local header at offset.
func withHeaderOffset(data []byte, offset uint32) []byte {
	data = bytes.Clone(data)
	dir := bytes.Index(data, []byte("PK\x01\x02"))
	binary.LittleEndian.PutUint32(data[dir+42:], offset)
	return data
}

func TestCorruptEntriesFailOnRead(t *testing.T) {
	body := "log"
	a := openZip(t,
		zipEntry{name: "0_build.txt", body: "\xff\xff\xff\xff",
			raw: &zip.FileHeader{Method: zip.Deflate, CompressedSize64: 4, UncompressedSize64: 10}},
		zipEntry{name: "build/1_Set up job.txt", body: body,
			raw: &zip.FileHeader{Method: zip.Store, CompressedSize64: 3, UncompressedSize64: 3,
				CRC32: crc32.ChecksumIEEE([]byte(body)) + 1}},
	)
	j := a.Jobs[0]
	for name, open := range map[string]func() (io.ReadCloser, error){"job": j.Open, "step": j.Steps[0].Open} {
		t.Run(name, func(t *testing.T) {
			rc, err := open()
			require.NoError(t, err)
			defer rc.Close()
			_, err = io.ReadAll(rc)
			assert.ErrorIs(t, err, ErrInvalidArchive)
		})
	}
}

func TestFolderOnlyJobStream(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	long := strings.Repeat(ts+"a line long enough to span reads\n", 2000)
	t.Run("reads like one log", func(t *testing.T) {
		j := openZip(t,
			zipEntry{name: "build/2_b.txt", body: "\uFEFF" + long},
			zipEntry{name: "build/1_a.txt", body: "\uFEFF" + long, stored: true},
			zipEntry{name: "build/3_empty.txt"},
			zipEntry{name: "build/4_c.txt", body: "end"},
		).Jobs[0]
		rc, err := j.Open()
		require.NoError(t, err)
		assert.NoError(t, iotest.TestReader(rc, []byte(long+long+"end")))
		require.NoError(t, rc.Close())
		_, err = rc.Read(make([]byte, 1))
		assert.ErrorIs(t, err, os.ErrClosed, "Read after Close")
	})
	t.Run("a corrupt step fails the read", func(t *testing.T) {
		j := openZip(t,
			zipEntry{name: "build/1_a.txt", body: "first"},
			zipEntry{name: "build/2_b.txt", body: "log", raw: &zip.FileHeader{Method: zip.Store,
				CompressedSize64: 3, UncompressedSize64: 3, CRC32: crc32.ChecksumIEEE([]byte("log")) + 1}},
		).Jobs[0]
		rc, err := j.Open()
		require.NoError(t, err)
		defer rc.Close()
		b, err := io.ReadAll(rc)
		assert.ErrorIs(t, err, ErrInvalidArchive)
		assert.True(t, strings.HasPrefix(string(b), "first"), "the first step arrives whole: %q", b)
		_, err = rc.Read(make([]byte, 1))
		assert.ErrorIs(t, err, ErrInvalidArchive, "the error sticks")
	})
	t.Run("closed mid-stream", func(t *testing.T) {
		j := openZip(t, zipEntry{name: "build/1_a.txt", body: long}, zipEntry{name: "build/2_b.txt", body: long}).Jobs[0]
		rc, err := j.Open()
		require.NoError(t, err)
		_, err = rc.Read(make([]byte, 10))
		require.NoError(t, err)
		assert.NoError(t, rc.Close())
		assert.NoError(t, rc.Close(), "second Close")
	})
	t.Run("archive closed", func(t *testing.T) {
		t.Setenv("TMPDIR", t.TempDir())
		data := buildZip(t, zipEntry{name: "build/1_a.txt", body: "a"})
		a, err := openLogArchiveFrom(io.NopCloser(bytes.NewReader(data)), DefaultMaxLogArchiveSize)
		require.NoError(t, err)
		require.NoError(t, a.Close())
		_, err = a.Job("build").Open()
		assert.Error(t, err)
	})
}

// body is a download's response body that records its closing.
type body struct {
	io.Reader
	closeErr error
	closed   bool
}

func (b *body) Close() error {
	b.closed = true
	return b.closeErr
}

func TestOpenLogArchiveFrom(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	valid := buildZip(t, zipEntry{name: "0_build.txt", body: "log"})
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		body    *body
		limit   int64 // 0: DefaultMaxLogArchiveSize
		wantErr error
	}{
		{name: "valid", body: &body{Reader: bytes.NewReader(valid)}},
		{name: "at the limit", body: &body{Reader: bytes.NewReader(valid)}, limit: int64(len(valid))},
		{name: "no limit to speak of", body: &body{Reader: bytes.NewReader(valid)}, limit: math.MaxInt64},
		{name: "over the limit", body: &body{Reader: bytes.NewReader(valid)}, limit: int64(len(valid)) - 1,
			wantErr: ErrLogArchiveTooLarge},
		{name: "read fails", body: &body{Reader: io.MultiReader(bytes.NewReader(valid[:10]), iotest.ErrReader(errBoom))},
			wantErr: errBoom},
		{name: "close fails", body: &body{Reader: bytes.NewReader(valid), closeErr: errBoom}, wantErr: errBoom},
		{name: "not a zip", body: &body{Reader: strings.NewReader("hello")}, wantErr: ErrInvalidArchive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Setenv("TMPDIR", dir)

			limit := tt.limit
			if limit == 0 {
				limit = DefaultMaxLogArchiveSize
			}
			a, err := openLogArchiveFrom(tt.body, limit)
			assert.True(t, tt.body.closed, "body closed")
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				assert.Nil(t, a)
				assert.Empty(t, tempFiles(t, dir))
				return
			}
			require.NoError(t, err)
			assert.Len(t, tempFiles(t, dir), 1)
			assert.Equal(t, "log", readLog(t, a.Job("build").Open))

			require.NoError(t, a.Close())
			assert.Empty(t, tempFiles(t, dir))
			assert.NoError(t, a.Close(), "second Close")
			_, err = a.Job("build").Open()
			assert.Error(t, err, "Open after Close")
		})
	}
}

func TestOpenLogArchiveFromWithoutTempDir(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	b := &body{Reader: strings.NewReader("data")}

	a, err := openLogArchiveFrom(b, DefaultMaxLogArchiveSize)
	require.Error(t, err)
	assert.Nil(t, a)
	assert.True(t, b.closed, "body closed")
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func FuzzOpenLogArchive(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := OpenLogArchive(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			require.ErrorIs(t, err, ErrInvalidArchive)
			return
		}
		var entryBytes int // read from distinct entries, each counted once
		for _, j := range a.Jobs {
			require.NotNil(t, a.Job(j.Name))
			log, ok := readFuzzed(t, j.Open)
			if !j.FolderOnly {
				entryBytes += len(log)
			}
			var joined []byte
			stepsOK := true
			for _, s := range j.Steps {
				step, ok := readFuzzed(t, s.Open)
				stepsOK = stepsOK && ok
				joined = append(joined, step...)
				if !s.split {
					entryBytes += len(step)
				}
			}
			if ok && j.StepsFromMarkers {
				require.Equal(t, log, joined, "steps split at markers make up the job log")
			}
			if ok && stepsOK && j.FolderOnly {
				require.Equal(t, joined, log, "a folder-only job's log is its steps'")
			}
		}
		// Entries own disjoint bytes, each inflating at most as deflate can.
		require.LessOrEqual(t, entryBytes, 2*maxDeflateRatio*len(data), "logs read from %d bytes", len(data))
		require.NoError(t, a.Close())
	})
}

// readFuzzed reads a log from fuzzed data, where reads may fail only for
// corrupt entries.
func readFuzzed(t *testing.T, open func() (io.ReadCloser, error)) ([]byte, bool) {
	rc, err := open()
	if err != nil {
		require.ErrorIs(t, err, ErrInvalidArchive)
		return nil, false
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		require.ErrorIs(t, err, ErrInvalidArchive)
		return nil, false
	}
	return b, true
}

func TestOpenLeavesOutTheByteOrderMark(t *testing.T) {
	a := openZip(t,
		zipEntry{name: "1_build.txt", body: "\uFEFF" + ts + "job\n"},
		zipEntry{name: "build/1_Set up job.txt", body: "\uFEFF" + ts + "step \uFEFF kept\n"},
		zipEntry{name: "2_test.txt", body: "\uFEFF\uFEFF" + ts + "only the first goes\n"},
	)
	assert.Equal(t, ts+"job\n", readLog(t, a.Job("build").Open))
	assert.Equal(t, ts+"step \uFEFF kept\n", readLog(t, a.Job("build").Step(1).Open))
	assert.Equal(t, "\uFEFF"+ts+"only the first goes\n", readLog(t, a.Job("test").Open))
}

// BenchmarkOpenLogArchive opens an archive of 256 jobs (GitHub's most for a
// matrix) with 20 step files each.
func BenchmarkOpenLogArchive(b *testing.B) {
	var entries []zipEntry
	for j := range 256 {
		job := fmt.Sprintf("test (%d)", j)
		entries = append(entries, zipEntry{name: fmt.Sprintf("%d_%s.txt", j, job), body: ts + "log\n"})
		for s := 1; s <= 20; s++ {
			entries = append(entries, zipEntry{name: fmt.Sprintf("%s/%d_Run step %d.txt", job, s, s), body: ts + "step\n"})
		}
	}
	data := buildZip(b, entries...)
	b.ReportAllocs()
	for b.Loop() {
		a, err := OpenLogArchive(bytes.NewReader(data), int64(len(data)))
		if err != nil || len(a.Jobs) != 256 {
			b.Fatal(err)
		}
	}
}
