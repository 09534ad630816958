package ghactions_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

func readLines(t *testing.T, r io.Reader) []ghactions.LogLine {
	t.Helper()
	var out []ghactions.LogLine
	for line, err := range ghactions.LogLines(r) {
		require.NoError(t, err)
		out = append(out, line)
	}
	return out
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLogLines(t *testing.T) {
	long := strings.Repeat("x", ghactions.MaxLogLineSize)
	tests := []struct {
		name string
		log  string
		want []ghactions.LogLine
	}{
		{"the runner's lines", "\uFEFF2024-05-01T10:00:00.1234567Z Current runner version: '2.321.0'\n2024-05-01T10:00:01.0000000Z ##[group]Run make\n",
			[]ghactions.LogLine{
				{Time: at("2024-05-01T10:00:00.1234567Z"), Text: "Current runner version: '2.321.0'"},
				{Time: at("2024-05-01T10:00:01Z"), Text: "##[group]Run make"},
			}},
		{"CRLF and no last line ending", "2024-05-01T10:00:00.0000000Z a\r\n2024-05-01T10:00:00.5000000Z b",
			[]ghactions.LogLine{{Time: at("2024-05-01T10:00:00Z"), Text: "a"}, {Time: at("2024-05-01T10:00:00.5Z"), Text: "b"}}},
		{"an empty text after the stamp", "2024-05-01T10:00:00.0000000Z \n",
			[]ghactions.LogLine{{Time: at("2024-05-01T10:00:00Z"), Text: ""}}},
		{"empty lines", "\n\n", []ghactions.LogLine{{}, {}}},
		{"lines without stamps", "hello world\n  indented\n",
			[]ghactions.LogLine{{Text: "hello world"}, {Text: "  indented"}}},
		{"not quite stamps", "2024-02-30T10:00:00.0000000Z a\n2024-05-01 10:00:00 b\n2024-05-01T25:00:00Z c\n20240501T100000Z d\n",
			[]ghactions.LogLine{{Text: "2024-02-30T10:00:00.0000000Z a"}, {Text: "2024-05-01 10:00:00 b"}, {Text: "2024-05-01T25:00:00Z c"}, {Text: "20240501T100000Z d"}}},
		{"other RFC 3339 forms", "2024-05-01T10:00:00Z a\n2024-05-01T12:00:00.5+02:00 b\n",
			[]ghactions.LogLine{{Time: at("2024-05-01T10:00:00Z"), Text: "a"}, {Time: at("2024-05-01T10:00:00.5Z"), Text: "b"}}},
		{"a BOM only at the start", "\uFEFFa\n\uFEFFb\n", []ghactions.LogLine{{Text: "a"}, {Text: "\uFEFFb"}}},
		{"a line of the maximum size", long + "\nend\n", []ghactions.LogLine{{Text: long}, {Text: "end"}}},
		{"a longer line is cut", "2024-05-01T10:00:00.0000000Z " + long + "yyy\nend\n",
			[]ghactions.LogLine{{Time: at("2024-05-01T10:00:00Z"), Text: long[len("2024-05-01T10:00:00.0000000Z "):], Cut: true}, {Text: "end"}}},
		{"a cut keeps whole characters", strings.Repeat("x", ghactions.MaxLogLineSize-1) + "é\n",
			[]ghactions.LogLine{{Text: strings.Repeat("x", ghactions.MaxLogLineSize-1), Cut: true}}},
		{"nothing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readLines(t, strings.NewReader(tt.log))
			require.Len(t, got, len(tt.want))
			for i := range got {
				assert.True(t, tt.want[i].Time.Equal(got[i].Time), "line %d: time %v, want %v", i, got[i].Time, tt.want[i].Time)
				assert.Equal(t, len(tt.want[i].Text), len(got[i].Text), "line %d", i)
				assert.True(t, tt.want[i].Text == got[i].Text, "line %d: text %.40q, want %.40q", i, got[i].Text, tt.want[i].Text)
				assert.Equal(t, tt.want[i].Cut, got[i].Cut, "line %d", i)
			}
			// One byte at a time, the lines are the same.
			assert.Equal(t, got, readLines(t, iotest.OneByteReader(strings.NewReader(tt.log))))
		})
	}
}

func TestLogLinesStopsEarlyAndOnErrors(t *testing.T) {
	n := 0
	for range ghactions.LogLines(strings.NewReader("a\nb\nc\n")) {
		n++
		break
	}
	assert.Equal(t, 1, n)

	boom := errors.New("boom")
	var got []string
	var errs []error
	for line, err := range ghactions.LogLines(io.MultiReader(strings.NewReader("a\nb\n"), iotest.ErrReader(boom))) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		got = append(got, line.Text)
	}
	assert.Equal(t, []string{"a", "b"}, got)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], boom)
}

func TestLogTail(t *testing.T) {
	var log strings.Builder
	for i := range 1000 {
		log.WriteString("2024-05-01T10:00:00.0000000Z line ")
		log.WriteString(strings.Repeat("#", i%7))
		log.WriteString("\n")
	}
	all := readLines(t, strings.NewReader(log.String()))
	for _, n := range []int{1, 3, 20, 999, 1000, 5000} {
		got, err := ghactions.LogTail(strings.NewReader(log.String()), n)
		require.NoError(t, err)
		assert.Equal(t, all[max(0, len(all)-n):], got, "n=%d", n)
	}
	got, err := ghactions.LogTail(strings.NewReader("only\n"), 20)
	require.NoError(t, err)
	assert.Equal(t, []ghactions.LogLine{{Text: "only"}}, got)

	got, err = ghactions.LogTail(iotest.ErrReader(errors.New("unread")), 0)
	require.NoError(t, err, "no lines asked for: nothing read")
	assert.Empty(t, got)
	_, err = ghactions.LogTail(strings.NewReader("x\n"), -1)
	assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
	boom := errors.New("boom")
	_, err = ghactions.LogTail(io.MultiReader(strings.NewReader("a\n"), iotest.ErrReader(boom)), 2)
	assert.ErrorIs(t, err, boom)
}

// A tail keeps its n lines whatever the log's size: what it allocates does
// not grow with the log.
func TestLogTailAllocatesForTheLinesKept(t *testing.T) {
	logOf := func(lines int) []byte {
		return bytes.Repeat([]byte("2024-05-01T10:00:00.1234567Z ok  \tgithub.com/octo-org/octo-repo/api\t0.412s\n"), lines)
	}
	allocs := func(log []byte) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := ghactions.LogTail(bytes.NewReader(log), 20); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(logOf(1_000)), allocs(logOf(100_000))
	t.Logf("LogTail(20) allocations: %.0f over 1,000 lines, %.0f over 100,000 lines", small, large)
	assert.LessOrEqual(t, large, small+2, "allocations grow with the log")
	assert.Less(t, large, float64(100), "a tail of 20 lines")
}

// A job's and a step's log read as lines from an archive.
func TestArchiveLogsAsLines(t *testing.T) {
	a := openArchive(t,
		"1_build.txt", "\uFEFF2024-05-01T10:00:00.0000000Z set up\n2024-05-01T10:00:01.0000000Z ##[group]Run make\n2024-05-01T10:00:02.0000000Z ##[error]Process completed with exit code 2.\n",
		"build/1_Set up job.txt", "\uFEFF2024-05-01T10:00:00.0000000Z set up\n",
		"build/2_Run make.txt", "\uFEFF2024-05-01T10:00:01.0000000Z ##[group]Run make\n2024-05-01T10:00:02.0000000Z ##[error]Process completed with exit code 2.\n",
	)
	job := a.Job("build")
	require.NotNil(t, job)
	var texts []string
	for line, err := range job.Lines() {
		require.NoError(t, err)
		texts = append(texts, line.Text)
	}
	assert.Equal(t, []string{"set up", "##[group]Run make", "##[error]Process completed with exit code 2."}, texts)
	tail, err := job.Step(2).Tail(1)
	require.NoError(t, err)
	assert.Equal(t, []ghactions.LogLine{{Time: at("2024-05-01T10:00:02Z"), Text: "##[error]Process completed with exit code 2."}}, tail)
	tail, err = job.Tail(5)
	require.NoError(t, err)
	assert.Len(t, tail, 3)

	var nilStep *ghactions.StepLog
	_, err = nilStep.Tail(3)
	assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
	for _, err := range nilStep.Lines() {
		assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
	}
}
