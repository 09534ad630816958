package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// The demo's failed CI run failed its tests on Windows.
const (
	failedJob  = "test (windows-latest)"
	failedStep = "Run go test -race ./..."
)

func TestViewShowsJobs(t *testing.T) {
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	code, out, errOut := ghruns(t, "view", id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^JOBS\n✓ +lint +success +3m0s +ID \d+$`, out)
	assert.Regexp(t, `(?m)^X +test \(windows-latest\) +failure +3m0s +ID \d+\n +✓ Set up job +success +30s +step 1$`, out, "a failed job's steps follow it")
	assert.Regexp(t, `(?m)^ +X Run go test -race \./\.\.\. +failure +30s +step 4$`, out)
	assert.Equal(t, 6, strings.Count(out, "step "), "only the failed job's steps")
	assert.Contains(t, out, "ghruns logs -failed "+id(failed))

	code, out, errOut = ghruns(t, "view", "-v", id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, 30, strings.Count(out, "step "), "every job's steps")

	// Flags after the run ID; JSON has the jobs.
	code, out, errOut = ghruns(t, "view", id(failed), "-json")
	require.Equal(t, exitOK, code, errOut)
	var view struct {
		ghactions.WorkflowRun
		Jobs []*ghactions.Job `json:"jobs"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &view))
	assert.Equal(t, failed.ID, view.ID)
	require.Len(t, view.Jobs, 5)
	assert.Equal(t, failedJob, view.Jobs[4].Name)
	assert.Equal(t, ghactions.ConclusionFailure, view.Jobs[4].Steps[3].Conclusion)

	// A run in progress: its jobs' marks say where they are.
	inProgress := demoRun(t, withStatus(ghactions.StatusInProgress))
	code, out, errOut = ghruns(t, "view", id(inProgress))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^\* +build +in_progress +\d+m\d+s +ID \d+$`, out)
	assert.Regexp(t, `(?m)^\* +test \(ubuntu-latest\) +queued +ID \d+$`, out, "no time for a job that has not started")

	// An earlier attempt's jobs.
	rerun := demoRun(t, func(r *ghactions.WorkflowRun) bool { return r.RunAttempt == 2 })
	code, out, errOut = ghruns(t, "view", "-attempt", "1", id(rerun), "-json")
	require.Equal(t, exitOK, code, errOut)
	require.NoError(t, json.Unmarshal([]byte(out), &view))
	for _, j := range view.Jobs {
		assert.Equal(t, 1, j.RunAttempt)
	}
}

func TestViewJob(t *testing.T) {
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	code, out, errOut := ghruns(t, "view", "-job", failedJob, id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^Name: +test \(windows-latest\)$`, out)
	assert.Regexp(t, `(?m)^Status: +X failure$`, out)
	assert.Regexp(t, `(?m)^Runner: +GitHub Actions \d+ \(windows-latest\)$`, out)
	assert.Regexp(t, `(?m)^STEPS\n✓ +1 +Set up job +success +30s$`, out)
	assert.Regexp(t, `(?m)^X +4 +Run go test -race \./\.\.\. +failure +30s$`, out)
	jobID := regexpFind(t, `Job: +(\d+) `, out)

	code, out2, errOut := ghruns(t, "view", "-job", jobID)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, normaliseHost(out), normaliseHost(out2), "by ID, the same job")

	code, out, errOut = ghruns(t, "view", "-json", "-job", jobID)
	require.Equal(t, exitOK, code, errOut)
	var job ghactions.Job
	require.NoError(t, json.Unmarshal([]byte(out), &job))
	assert.Equal(t, failedJob, job.Name)
	assert.Len(t, job.Steps, 6)

	code, _, errOut = ghruns(t, "view", "-job", "test", id(failed))
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `run `+id(failed)+` has no job "test"; its jobs are:`)
	assert.Regexp(t, `\n  \d+\ttest \(macos-latest\)\n`, errOut)

	code, _, errOut = ghruns(t, "view", "-job", "999")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "404 Not Found")
}

func TestLogsFailed(t *testing.T) {
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	code, out, errOut := ghruns(t, "logs", "-failed", id(failed))
	require.Equal(t, exitOK, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 11)
	for _, l := range lines {
		assert.True(t, strings.HasPrefix(l, failedJob+"\t"+failedStep+"\t"), "only the failing step: %q", l)
	}
	assert.Regexp(t, `\t\S+Z ##\[group\]Run go test -race \./\.\.\.$`, lines[0])
	assert.Regexp(t, `\t\S+Z ##\[error\]Process completed with exit code 1\.$`, lines[10])

	// Flags after the run ID, and a timed-out job whose name is longer than
	// the archive keeps.
	timedOut := demoRun(t, withConclusion(ghactions.ConclusionTimedOut))
	code, out, errOut = ghruns(t, "logs", id(timedOut), "-failed")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "integration tests against all supported database engines, message brokers, object stores 🐘🐇🪣\tRun make integration\t")
	assert.Contains(t, out, "##[error]The action 'Run make integration' has timed out after 360 minutes.")

	succeeded := demoRun(t, withConclusion(ghactions.ConclusionSuccess))
	code, out, errOut = ghruns(t, "logs", "-failed", id(succeeded))
	require.Equal(t, exitOK, code, errOut)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "run "+id(succeeded)+" has no failed step")
}

// rerun -job takes a job's name, found among its run's jobs; a name that
// several jobs share is bad usage, with their IDs.
func TestRerunJobByName(t *testing.T) {
	srv := ghactionstest.NewServer(ghactionstest.WithToken("ghp_test"))
	defer srv.Close()
	added := srv.AddRun("octo-org", "octo-repo", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure},
		ghactionstest.Job{ID: 11, Name: "build / linux: amd64", Conclusion: ghactions.ConclusionFailure},
		ghactionstest.Job{ID: 12, Name: "test"},
		ghactionstest.Job{ID: 13, Name: "test"},
	)
	t.Setenv("GITHUB_TOKEN", "ghp_test")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_API_URL", srv.URL())
	t.Setenv("GITHUB_REPOSITORY", "octo-org/octo-repo")
	runID := strconv.FormatInt(added.ID, 10)
	ghrunsTo := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := run(args, &out, &errOut)
		return code, out.String(), errOut.String()
	}

	code, _, errOut := ghrunsTo("rerun", "-job", "test", runID)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `2 jobs of run `+runID+` are named "test"; give one's ID:`+"\n  12\ttest\n  13\ttest\n")

	code, out, errOut := ghrunsTo("rerun", runID, "-job", "build / linux: amd64")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "Requested a re-run of job 11 (build / linux: amd64)\n", out)
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, "/api/v3/repos/octo-org/octo-repo/actions/jobs/11/rerun", last.Path)
	srv.CompleteRun("octo-org", "octo-repo", added.ID, ghactions.ConclusionSuccess)

	// An ID among the run's jobs, given with the run: a job of attempt 1,
	// which stands for its place in the latest.
	code, out, errOut = ghrunsTo("rerun", "-job", "13", runID)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "Requested a re-run of job 13 (test)\n", out)
}

// In demo mode, watch shows the jobs of the CI run in progress as they
// go, the run's result last.
func TestWatchShowsTheJobs(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_API_URL", "")
	start := time.Now().Truncate(time.Second)
	clock := ghactionstest.NewClock(start)
	inProgress := demoRun(t, withStatus(ghactions.StatusInProgress))
	var out, errOut bytes.Buffer
	code := run([]string{"watch", id(inProgress), "-interval", "1s"}, &out, &errOut, ghactionstest.WithSharedClock(boundedClock{clock, start.Add(time.Hour)}))
	require.Equal(t, exitOK, code, errOut.String())
	text := out.String()
	for _, want := range []string{
		`(?m)^run \d+ \(CI, attempt 1\): in_progress after \d+s\n  ✓ lint: success in 3m0s \(ID \d+\)\n  \* build: in_progress \(ID \d+\)\n  \* test \(ubuntu-latest\): queued \(ID \d+\)$`,
		`(?m)^  ✓ build: success in \d+m\d+s \(ID \d+\)$`,
		`(?m)^  \* test \(windows-latest\): in_progress \(ID \d+\)$`,
		`(?m)^  ✓ test \(windows-latest\): success in \d+s \(ID \d+\)\nrun \d+ \(CI, attempt 1\): success after \d+s\n\z`,
	} {
		assert.Regexp(t, want, text)
	}
}

func regexpFind(t *testing.T, pattern, s string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	require.Len(t, m, 2, "%s in %s", pattern, s)
	return m[1]
}

// normaliseHost hides the port of the demo's server, which each run picks.
func normaliseHost(s string) string { return address.ReplaceAllString(s, "HOST") }

// Re-run, then watch with -attempt: the old attempt that GitHub still
// shows for a moment is not taken for the result.
func TestWatchAfterARerun(t *testing.T) {
	srv := ghactionstest.NewServer(ghactionstest.WithToken("ghp_test"), ghactionstest.WithLive(time.Millisecond), ghactionstest.WithStaleAfterRerun(3))
	defer srv.Close()
	t.Setenv("GITHUB_TOKEN", "ghp_test")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_API_URL", srv.URL())
	t.Setenv("GITHUB_REPOSITORY", "octo-org/octo-repo")
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{nil, `"run_attempt": 1`}, // the stale answer
		{[]string{"-attempt", "2"}, `"run_attempt": 2`},
	} {
		added := srv.AddRun("octo-org", "octo-repo", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure},
			ghactionstest.Job{Name: "build", Conclusion: ghactions.ConclusionFailure})
		runID := strconv.FormatInt(added.ID, 10)
		var out, errOut bytes.Buffer
		require.Equal(t, exitOK, run([]string{"rerun", runID}, &out, &errOut), errOut.String())
		out.Reset()
		args := append([]string{"watch", runID, "-json", "-interval", "1ms"}, tc.flags...)
		require.Equal(t, exitOK, run(args, &out, &errOut), errOut.String())
		assert.Contains(t, out.String(), tc.want, args)
	}
}
