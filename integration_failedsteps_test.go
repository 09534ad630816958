package ghactions_test

import (
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// fakeRequestsSince counts the requests the fake received after the first
// from.
func fakeRequestsSince(srv *ghactionstest.Server, from int) []string {
	var out []string
	for _, r := range srv.Requests()[from:] {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// archiveStepLines reads a step's lines from a run attempt's archive.
func archiveStepLines(t *testing.T, c *ghactions.Client, runID int64, attempt int, job *ghactions.Job, number int) []ghactions.LogLine {
	t.Helper()
	a, err := c.Runs.DownloadAttemptLogArchive(context.Background(), fakeOwner, fakeRepo, runID, attempt)
	require.NoError(t, err)
	defer a.Close()
	jl := a.JobFor(job)
	require.NotNil(t, jl, job.Name)
	var lines []ghactions.LogLine
	for line, err := range jl.Step(number).Lines() {
		require.NoError(t, err)
		lines = append(lines, line)
	}
	return lines
}

// The demo's failed CI run: one failed step, read from the archive, for
// one jobs request and one download.
func TestFakeFailedStepsOfTheDemo(t *testing.T) {
	srv, c := newDemo(t)
	run := fakeFirst(t, c, ghactions.ListOptions{Status: ghactions.Status(ghactions.ConclusionFailure), Workflow: "ci.yml"})
	ctx := context.Background()
	runID := strconv.FormatInt(run.ID, 10)
	from := len(srv.Requests())
	failed, err := c.Runs.FailedSteps(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.NoError(t, err)
	defer failed.Close()
	assert.Equal(t, []string{
		"GET /api/v3/repos/octo-org/octo-repo/actions/runs/" + runID + "/jobs",
		"GET /api/v3/repos/octo-org/octo-repo/actions/runs/" + runID + "/logs",
		"GET /storage/runs/" + runID + "/attempts/1/logs.zip",
	}, fakeRequestsSince(srv, from))
	assert.Len(t, failed.Jobs, 5)
	require.Len(t, failed.Steps, 1)
	step := failed.Steps[0]
	assert.Equal(t, "test (windows-latest)", step.Job.Name)
	assert.Equal(t, "Run go test -race ./...", step.Name())
	assert.Equal(t, 4, step.Step.Number)
	require.NotNil(t, step.StepLog)

	tail, err := step.Tail(ctx, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"FAIL\tgithub.com/octo-org/octo-repo/auth\t0.198s", "FAIL", "##[error]Process completed with exit code 1."}, texts(tail))
	assert.False(t, tail[0].Time.IsZero())
	assert.Len(t, fakeRequestsSince(srv, from), 3, "reading the log costs no request")
}

// A failed job re-run into a new attempt, and failed jobs the new attempt
// kept: their logs are in the first attempt's archive, not the latest's,
// and come from their own endpoint, the same lines.
func TestFakeFailedStepsAfterAPartialRerun(t *testing.T) {
	srv, c := newFake(t)
	failing := func(name string) ghactionstest.Job {
		return ghactionstest.Job{Name: name, Conclusion: ghactions.ConclusionFailure, Steps: []ghactionstest.Step{
			{Name: "Set up job", Log: []string{"Current runner version: '2.321.0'"}},
			{Name: "Run actions/checkout@v4", Log: []string{"Fetching the repository"}},
			{Name: "Run make test", Conclusion: ghactions.ConclusionFailure, Log: []string{"--- FAIL: TestLogin (0.02s)", "FAIL"}},
			{Name: "Post Run actions/checkout@v4", Log: []string{"Post job cleanup."}},
			{Name: "Complete job", Log: []string{"Cleaning up orphan processes"}},
		}}
	}
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure},
		failing("build / linux: amd64"),
		failing(longJobName),
		failing("e2e: chrome"),
		ghactionstest.Job{Name: "no steps", Conclusion: ghactions.ConclusionFailure, Steps: []ghactionstest.Step{}},
	)
	ctx := context.Background()
	first, err := c.Runs.FailedSteps(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.NoError(t, err)
	defer first.Close()
	require.Len(t, first.Steps, 4)
	for _, s := range first.Steps[:3] {
		assert.NotNil(t, s.StepLog, "%s: the archive has it", s.Job.Name)
	}
	assert.Nil(t, first.Steps[3].Step, "a failed job without steps is listed itself")
	assert.NotNil(t, first.Steps[3].Log)
	lines, err := first.Steps[3].Tail(ctx, 20)
	require.NoError(t, err)
	assert.Empty(t, lines)

	// Re-run the e2e job; it passes in attempt 2, which keeps the others.
	e2e := first.Steps[2].Job
	_, err = c.Runs.RerunJob(ctx, fakeOwner, fakeRepo, e2e.ID, nil)
	require.NoError(t, err)
	srv.CompleteRun(fakeOwner, fakeRepo, run.ID, ghactions.ConclusionSuccess)

	from := len(srv.Requests())
	latest, err := c.Runs.FailedSteps(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.NoError(t, err)
	defer latest.Close()
	require.Len(t, latest.Steps, 3, "the e2e job passed on its re-run")
	var names []string
	for _, s := range latest.Steps {
		names = append(names, s.Job.Name)
		assert.Equal(t, 1, s.Job.RunAttempt)
		assert.Nil(t, s.Log, "%s: not in attempt 2's archive", s.Job.Name)
	}
	assert.Equal(t, []string{"build / linux: amd64", longJobName, "no steps"}, names)
	assert.Len(t, fakeRequestsSince(srv, from), 3)

	for _, s := range latest.Steps[:2] {
		tail, err := s.Tail(ctx, 20)
		require.NoError(t, err)
		assert.Equal(t, archiveStepLines(t, c, run.ID, 1, s.Job, s.Step.Number), tail, "%s: the lines of the archive's step file", s.Job.Name)
		assert.Equal(t, "##[error]Process completed with exit code 1.", tail[len(tail)-1].Text)
	}

	// Attempt 1, asked for: everything from its archive.
	from = len(srv.Requests())
	again, err := c.Runs.FailedSteps(ctx, fakeOwner, fakeRepo, run.ID, &ghactions.FailedStepsOptions{Attempt: 1})
	require.NoError(t, err)
	defer again.Close()
	require.Len(t, again.Steps, 4)
	for _, s := range again.Steps {
		_, err := s.Tail(ctx, 20)
		require.NoError(t, err)
	}
	assert.Len(t, fakeRequestsSince(srv, from), 3, "one jobs request, one archive")
}

// While the run goes on, there is no archive yet, but the failed job's log
// is there: FailedSteps reads it from the job's endpoint.
func TestFakeFailedStepsWhileTheRunGoesOn(t *testing.T) {
	clock := ghactionstest.NewClock(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC))
	srv, c := newFake(t, ghactionstest.WithSharedClock(clock), ghactionstest.WithLive(time.Second))
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{},
		ghactionstest.Job{Name: "quick", Steps: []ghactionstest.Step{{Name: "Run false", Conclusion: ghactions.ConclusionFailure, Log: []string{"nope"}}}},
		ghactionstest.Job{Name: "slow", Steps: []ghactionstest.Step{{Name: "Run sleep 60"}, {Name: "Run sleep 60"}, {Name: "Run sleep 60"}, {Name: "Run sleep 60"}}},
	)
	clock.Advance(3 * time.Second)
	ctx := context.Background()
	failed, err := c.Runs.FailedSteps(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.NoError(t, err)
	defer failed.Close()
	assert.Nil(t, failed.Archive, "the run has not completed")
	require.Len(t, failed.Steps, 1)
	rc, err := failed.Steps[0].Open(ctx)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Contains(t, string(b), " nope\n")
	assert.True(t, strings.HasSuffix(string(b), " ##[error]Process completed with exit code 1.\n"))
}
