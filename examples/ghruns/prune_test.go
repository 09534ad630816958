package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// ghrunsShared runs the command line in demo mode with the fake GitHub's
// clock shared with the client, at start.
func ghrunsShared(t *testing.T, start time.Time, args []string, demo ...ghactionstest.Option) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_API_URL", "")
	var out, errOut bytes.Buffer
	clock := boundedClock{ghactionstest.NewClock(start), start.Add(time.Hour)}
	code = run(args, &out, &errOut, append([]ghactionstest.Option{ghactionstest.WithSharedClock(clock)}, demo...)...)
	return code, out.String(), errOut.String()
}

func TestPrune(t *testing.T) {
	start := time.Now().Truncate(time.Second)
	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // lines it holds
		stderr   []string
		progress int // lines of progress on stderr
	}{
		{"dry run", []string{"prune", "-dry-run", "-older-than", "20h", "-keep", "3"}, exitOK,
			[]string{"STATUS", "Listed 46 runs: would delete 16, kept 30 (1 API request)"}, nil, 0},
		{"prune", []string{"prune", "-older-than", "20h", "-keep", "3"}, exitOK,
			[]string{"Listed 46 runs: deleted 16, kept 30 (17 API requests)"}, []string{"deleted run "}, 16},
		{"older than only", []string{"prune", "-older-than", "2d"}, exitOK,
			[]string{"Listed 1 run: deleted 1, kept 0 (2 API requests)"}, []string{"deleted run "}, 1},
		{"a workflow's logs", []string{"prune", "-workflow", "ci.yml", "-keep", "5", "-logs-only"}, exitOK,
			[]string{"Listed 31 runs: deleted the logs of 24, kept 7 (25 API requests)"}, []string{"deleted run "}, 24},
		{"a branch", []string{"prune", "-branch", "main", "-keep", "1", "-dry-run"}, exitOK,
			[]string{"Listed 22 runs: would delete 16, kept 6 (1 API request)"}, nil, 0},
		{"no age nor keep", []string{"prune"}, exitUsage, nil, []string{"give -older-than or -keep"}, 0},
		{"a bad age", []string{"prune", "-older-than", "3 days"}, exitUsage, nil, []string{`"3 days" is not an age`}, 0},
		{"a negative keep", []string{"prune", "-keep", "-1"}, exitUsage, nil, []string{"-keep -1"}, 0},
		{"an argument", []string{"prune", "-keep", "1", "extra"}, exitUsage, nil, []string{"prune takes no arguments"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := ghrunsShared(t, start, tt.args)
			require.Equal(t, tt.code, code, errOut)
			for _, s := range tt.stdout {
				assert.Contains(t, out, s)
			}
			for _, s := range tt.stderr {
				assert.Contains(t, errOut, s)
			}
			if code == exitOK {
				assert.Equal(t, tt.progress, strings.Count(errOut, "\n")-1, "progress lines, after demo mode's: %s", errOut)
			}
		})
	}
}

func TestPruneJSON(t *testing.T) {
	code, out, errOut := ghrunsShared(t, time.Now(), []string{"prune", "-json", "-older-than", "20h", "-keep", "3"})
	require.Equal(t, exitOK, code, errOut)
	var report map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &report))
	assert.Equal(t, map[string]any{"listed": 46.0, "kept": 30.0, "deleted": 16.0, "would_delete": 0.0, "already_gone": 0.0, "failed": []any{}, "requests": 17.0}, report)
}

// A delete that fails makes the exit status 1, after the summary.
func TestPruneFailedDelete(t *testing.T) {
	srv := ghactionstest.NewServer(ghactionstest.WithToken("ghp_test"))
	defer srv.Close()
	old := srv.AddRun("o", "r", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess, CreatedAt: time.Now().Add(-72 * time.Hour)})
	srv.AddRun("o", "r", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
	srv.Inject(ghactionstest.Fault{Method: "DELETE", Path: "repos/o/r/actions/runs/*", Status: 409})
	t.Setenv("GITHUB_TOKEN", "ghp_test")
	t.Setenv("GITHUB_API_URL", srv.URL())
	t.Setenv("GITHUB_REPOSITORY", "o/r")
	var out, errOut bytes.Buffer
	code := run([]string{"prune", "-older-than", "1d"}, &out, &errOut)
	assert.Equal(t, exitError, code)
	assert.Contains(t, out.String(), "Listed 1 run: deleted 0, kept 0, 1 failed (2 API requests)")
	assert.Contains(t, errOut.String(), "failed run "+id(old))
	assert.Contains(t, errOut.String(), "409 Conflict")
	assert.Contains(t, errOut.String(), "ghruns prune: 1 of 1 deletes failed")
}

// On a terminal, the progress is one line redrawn in place, with the counts
// and the time left.
func TestPruneProgressLive(t *testing.T) {
	var w bytes.Buffer
	p := newPruneProgress(&w, true, time.Second, false)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return now }
	run := &ghactions.WorkflowRun{ID: 1, Name: "CI"}
	p.update(run, ghactions.PruneKept, nil)
	p.update(run, ghactions.PruneKept, nil)
	p.listed(12, 10)
	p.update(run, ghactions.PruneDeleted, nil)
	now = now.Add(2 * time.Second)
	p.update(run, ghactions.PruneAlreadyGone, nil)
	now = now.Add(2 * time.Second)
	p.update(run, ghactions.PruneFailed, assert.AnError)
	p.end()
	lines := strings.Split(w.String(), "\r\033[K")
	assert.Equal(t, []string{
		"",
		"listing: 1 runs to keep so far",
		"listing: 2 runs to keep so far",
		"deleted 1, kept 2 (1 done), about 9s left",
		"deleted 1, kept 2, 1 already gone (2 done), about 16s left",
		"deleted 1, kept 2, 1 already gone, 1 failed (3 done), about 14s left\n",
	}, lines)
}

func TestParseAge(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{"30d", 30 * 24 * time.Hour, false},
		{"12h", 12 * time.Hour, false},
		{"1w2d", 9 * 24 * time.Hour, false},
		{"1d12h", 36 * time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"45s", 45 * time.Second, false},
		{"0", 0, false},
		{"0d", 0, false},
		{"", 0, true},
		{"d", 0, true},
		{"30", 0, true},
		{"3 days", 0, true},
		{"-1d", 0, true},
		{"1.5d", 0, true},
		{"1y", 0, true},
		{"99999999999999999999d", 0, true},
		{"100000000w", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseAge(tt.in)
			if tt.bad {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// The demo's prune -dry-run and run show the same on every start.
func TestDemoPruneAndRunAreTheSameOnEveryStart(t *testing.T) {
	first := time.Now().Truncate(time.Second)
	second := first.Add(-25*time.Hour - 17*time.Second)
	for _, args := range [][]string{
		{"prune", "-dry-run", "-older-than", "20h", "-keep", "3"},
		{"run", "deploy.yml", "-ref", "main", "-f", "environment=production"},
		{"run", "nightly.yml", "-ref", "v1.3.0", "-watch", "-interval", "1s"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			normalise := func(out string) string {
				out = ages.ReplaceAllString(out, "AGE")
				out = times.ReplaceAllString(out, "TIME")
				out = address.ReplaceAllString(out, "HOST")
				out = afterSeconds.ReplaceAllString(out, "after Ns")
				return spaces.ReplaceAllString(out, " ")
			}
			code, out, errOut := ghrunsShared(t, first, args)
			require.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, "100000000")
			code, again, errOut := ghrunsShared(t, second, args)
			require.Equal(t, exitOK, code, errOut)
			assert.Equal(t, normalise(out), normalise(again))
		})
	}
}

var afterSeconds = regexp.MustCompile(`after \d+s`)
