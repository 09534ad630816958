package ghactions_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// stampedLog is a one-line job log written at t.
func stampedLog(t time.Time, text string) string {
	return "\uFEFF" + t.Format("2006-01-02T15:04:05.0000000Z") + " " + text + "\n"
}

func TestJobForMatchesTheRealName(t *testing.T) {
	long := "integration tests against all supported database engines, message brokers, object stores 🐘🐇🪣"
	require.Greater(t, len([]rune(long)), 90)
	// Cut at 90 UTF-16 units, in the middle of the elephant's surrogate
	// pair: the half left is U+FFFD, as .NET writes it.
	cut := "integration tests against all supported database engines, message brokers, object stores \uFFFD"
	tests := []struct {
		name, archived string
	}{
		{"build", "build"},
		{"test: unit", "test unit"},           // older archives drop ":"
		{"test: unit", "test_ unit"},          // newer ones replace it
		{"build / linux", "build  linux"},     // "/" dropped
		{"build / linux", "build _ linux"},    // "/" replaced
		{`a "quoted" <job>?`, "a quoted job"}, // every character Windows refuses
		{"deploy: prod/eu-1", "deploy_ prod_eu-1"},
		{long, cut}, // cut at 90 UTF-16 units, then trimmed
		{"x" + strings.Repeat("é", 100), "x" + strings.Repeat("é", 89)},
	}
	for _, tt := range tests {
		t.Run(tt.name+" as "+tt.archived, func(t *testing.T) {
			start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
			a := openArchive(t,
				"1_other.txt", stampedLog(start, "other"),
				"2_"+tt.archived+".txt", stampedLog(start, "mine"),
				tt.archived+"/1_Set up job.txt", stampedLog(start, "mine"),
			)
			job := &ghactions.Job{Name: tt.name, CreatedAt: start, StartedAt: start, CompletedAt: start.Add(time.Minute)}
			got := a.JobFor(job)
			require.NotNil(t, got)
			assert.Equal(t, tt.archived, got.Name)
			assert.Equal(t, 2, got.Number)
			assert.NotNil(t, got.Step(1))
			assert.Nil(t, a.JobFor(&ghactions.Job{Name: "other " + tt.name}))
		})
	}
}

// Jobs whose names are alike in the archive are told apart by when their
// logs start.
func TestJobForTellsAlikeNamesApartByTime(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	prefix := strings.Repeat("p", 90)
	a := openArchive(t,
		"1_"+prefix+".txt", stampedLog(t0.Add(5*time.Second), "first"),
		"2_"+prefix+".txt", stampedLog(t0.Add(10*time.Minute), "second"),
		"3_"+prefix+".txt", stampedLog(t0.Add(20*time.Minute), "third"),
	)
	jobAt := func(name string, start time.Duration) *ghactions.Job {
		s := t0.Add(start)
		return &ghactions.Job{Name: name, CreatedAt: s.Add(-3 * time.Second), StartedAt: s, CompletedAt: s.Add(5 * time.Minute)}
	}
	tests := []struct {
		job  *ghactions.Job
		want int // the archive job's number; 0 for none
	}{
		{jobAt(prefix+" a", 0), 1},
		{jobAt(prefix+" b", 10*time.Minute), 2},
		{jobAt(prefix+" c", 20*time.Minute), 3},
		{jobAt(prefix+" d", 40*time.Minute), 0},  // none of them: its log is elsewhere
		{&ghactions.Job{Name: prefix + " e"}, 1}, // no times: the first of the name
	}
	for _, tt := range tests {
		got := a.JobFor(tt.job)
		if tt.want == 0 {
			assert.Nil(t, got, tt.job.Name)
			continue
		}
		require.NotNil(t, got, tt.job.Name)
		assert.Equal(t, tt.want, got.Number, tt.job.Name)
	}

	// A lone job of the name whose log starts outside the job's times is
	// another job's: the archive lacks this one.
	one := openArchive(t, "1_build.txt", stampedLog(t0, "an earlier attempt's build"))
	assert.Nil(t, one.JobFor(jobAt("build", time.Hour)))
	assert.NotNil(t, one.JobFor(jobAt("build", 0)))

	// A log without a stamp still matches, when nothing better does.
	plain := openArchive(t, "1_build.txt", "no stamp here\n")
	assert.NotNil(t, plain.JobFor(jobAt("build", 0)))

	var none *ghactions.LogArchive
	assert.Nil(t, none.JobFor(jobAt("build", 0)))
	assert.Nil(t, a.JobFor(nil))
}
