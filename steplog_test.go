package ghactions_test

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// sec is second s after 10:00:00 on the day of the test logs.
func sec(s float64) time.Time {
	return time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC).Add(time.Duration(s * float64(time.Second)))
}

// logAt writes log lines, each "seconds text".
func logAt(lines ...any) string {
	var b strings.Builder
	b.WriteString("\uFEFF")
	for i := 0; i+1 < len(lines); i += 2 {
		b.WriteString(sec(lines[i].(float64)).Format("2006-01-02T15:04:05.0000000Z") + " " + lines[i+1].(string) + "\n")
	}
	return b.String()
}

func stepAt(number int, name string, from, to float64, c ghactions.Conclusion) ghactions.Step {
	s := ghactions.Step{Number: number, Name: name, Status: ghactions.StatusCompleted, Conclusion: c,
		StartedAt: sec(from).Truncate(time.Second), CompletedAt: sec(to).Truncate(time.Second)}
	if to < 0 {
		s.Status, s.Conclusion, s.CompletedAt = ghactions.StatusInProgress, "", time.Time{}
	}
	return s
}

// stepTexts reads one step out of a job's log, as the texts of its lines.
func stepTexts(t *testing.T, log string, job *ghactions.Job, number int) []string {
	t.Helper()
	r, err := ghactions.StepLogReader(strings.NewReader(log), job, number)
	require.NoError(t, err)
	var texts []string
	for line, err := range ghactions.LogLines(r) {
		require.NoError(t, err)
		texts = append(texts, line.Text)
	}
	// The same, read a byte at a time.
	r, err = ghactions.StepLogReader(iotest.OneByteReader(strings.NewReader(log)), job, number)
	require.NoError(t, err)
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	var again []string
	for line := range ghactions.LogLines(strings.NewReader(string(b))) {
		again = append(again, line.Text)
	}
	assert.Equal(t, texts, again)
	return texts
}

func TestStepLogReader(t *testing.T) {
	const ok, failure = ghactions.ConclusionSuccess, ghactions.ConclusionFailure
	// A job as GitHub times it: steps to the second, several starting in
	// the second the one before ended.
	job := &ghactions.Job{Name: "build", Steps: []ghactions.Step{
		stepAt(1, "Set up job", 0, 2, ok),
		stepAt(2, "Run actions/checkout@v4", 2, 4, ok),
		stepAt(3, "Run make", 4, 9, failure),
		stepAt(4, "Run deploy", 9, 9, ghactions.ConclusionSkipped),
		stepAt(16, "Post Run actions/checkout@v4", 9, 10, ok),
		stepAt(17, "Complete job", 10, 10, ok),
	}}
	log := logAt(
		0.0, "Requested labels: ubuntu-latest", // before the job started: the first step's
		0.5, "Current runner version: '2.321.0'",
		2.1, "Prepare all required actions", // the first step's last second, which the next starts in
		2.4, "##[group]Run actions/checkout@v4",
		3.0, "Fetching the repository",
		4.2, "Checking out the ref", // the checkout's last second, and no marker: the checkout's
		4.3, "##[group]Run make",
		4.4, "make all",
		9.1, "make: *** [all] Error 2",
		9.2, "##[error]Process completed with exit code 2.",
		9.3, "Post job cleanup.", // after the error line: the post step's
		9.9, "[command]/usr/bin/git version",
		10.1, "Cleaning up orphan processes", // the post step's last second: still its
		11.0, "after the end", // the last step's
	)
	tests := []struct {
		number int
		want   []string
	}{
		{1, []string{"Requested labels: ubuntu-latest", "Current runner version: '2.321.0'", "Prepare all required actions"}},
		{2, []string{"##[group]Run actions/checkout@v4", "Fetching the repository", "Checking out the ref"}},
		{3, []string{"##[group]Run make", "make all", "make: *** [all] Error 2", "##[error]Process completed with exit code 2."}},
		{4, nil},
		{16, []string{"Post job cleanup.", "[command]/usr/bin/git version", "Cleaning up orphan processes"}},
		{17, []string{"after the end"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, stepTexts(t, log, job, tt.number), "step %d", tt.number)
	}

	_, err := ghactions.StepLogReader(strings.NewReader(log), job, 5)
	assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
	_, err = ghactions.StepLogReader(strings.NewReader(log), nil, 1)
	assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
}

func TestStepLogReaderEdges(t *testing.T) {
	const ok, failure = ghactions.ConclusionSuccess, ghactions.ConclusionFailure
	t.Run("a step in progress has the rest of the log", func(t *testing.T) {
		job := &ghactions.Job{Steps: []ghactions.Step{stepAt(1, "Set up job", 0, 1, ok), stepAt(2, "Run sleep", 1, -1, ""), {Number: 3, Name: "Complete job", Status: ghactions.StatusQueued}}}
		log := logAt(0.1, "set up", 1.5, "##[group]Run sleep", 70.0, "still sleeping")
		assert.Equal(t, []string{"##[group]Run sleep", "still sleeping"}, stepTexts(t, log, job, 2))
		assert.Nil(t, stepTexts(t, log, job, 3), "not started: no lines")
	})
	t.Run("several error lines end a step together", func(t *testing.T) {
		job := &ghactions.Job{Steps: []ghactions.Step{stepAt(1, "Run lint", 0, 3, failure), stepAt(2, "Complete job", 3, 3, ok)}}
		log := logAt(0.0, "##[group]Run lint", 3.1, "##[error]a.go:1: unused", 3.2, "##[error]Process completed with exit code 1.", 3.3, "Cleaning up orphan processes")
		assert.Equal(t, []string{"##[group]Run lint", "##[error]a.go:1: unused", "##[error]Process completed with exit code 1."}, stepTexts(t, log, job, 1))
		assert.Equal(t, []string{"Cleaning up orphan processes"}, stepTexts(t, log, job, 2))
	})
	t.Run("an error line before the next step's second does not end a step", func(t *testing.T) {
		job := &ghactions.Job{Steps: []ghactions.Step{stepAt(1, "Run test", 0, 5, ok), stepAt(2, "Complete job", 5, 5, ok)}}
		log := logAt(1.0, "##[error]a warning printed as an error", 2.0, "going on", 6.0, "Cleaning up orphan processes")
		assert.Equal(t, []string{"##[error]a warning printed as an error", "going on"}, stepTexts(t, log, job, 1))
	})
	t.Run("lines without stamps stay with their step", func(t *testing.T) {
		job := &ghactions.Job{Steps: []ghactions.Step{stepAt(1, "Set up job", 0, 1, ok), stepAt(2, "Run x", 1, 3, ok)}}
		log := logAt(0.5, "set up") + "continued\n" + logAt(1.5, "##[group]Run x")[3:] + "more\n"
		assert.Equal(t, []string{"set up", "continued"}, stepTexts(t, log, job, 1))
		assert.Equal(t, []string{"##[group]Run x", "more"}, stepTexts(t, log, job, 2))
	})
	t.Run("a long line passes whole", func(t *testing.T) {
		job := &ghactions.Job{Steps: []ghactions.Step{stepAt(1, "Set up job", 0, 1, ok), stepAt(2, "Run x", 1, 3, ok)}}
		long := strings.Repeat("z", 200_000)
		log := logAt(0.5, long, 1.5, "##[group]Run x", 2.0, long)
		r, err := ghactions.StepLogReader(strings.NewReader(log), job, 2)
		require.NoError(t, err)
		b, err := io.ReadAll(r)
		require.NoError(t, err)
		assert.Equal(t, logAt(1.5, "##[group]Run x", 2.0, long)[3:], string(b))
	})
	t.Run("steps listed out of order", func(t *testing.T) {
		job := &ghactions.Job{Steps: []ghactions.Step{stepAt(2, "Run x", 1, 3, ok), stepAt(1, "Set up job", 0, 1, ok)}}
		log := logAt(0.5, "set up", 1.5, "##[group]Run x")
		assert.Equal(t, []string{"set up"}, stepTexts(t, log, job, 1))
	})
}
