package ghactionstest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// step is a live step's time in these tests.
const step = 30 * time.Second

// liveServer starts a live server on a virtual clock that stands at t0.
func liveServer(t *testing.T, opts ...ghactionstest.Option) (*ghactionstest.Server, *ghactionstest.Clock) {
	t.Helper()
	clock := ghactionstest.NewClock(t0)
	return newServer(t, append([]ghactionstest.Option{ghactionstest.WithSharedClock(clock), ghactionstest.WithLive(step)}, opts...)...), clock
}

// steps makes steps that each log "<name> ran".
func steps(names ...string) []ghactionstest.Step {
	out := make([]ghactionstest.Step, len(names))
	for i, n := range names {
		out[i] = ghactionstest.Step{Name: n, Log: []string{n + " ran"}}
	}
	return out
}

// usageOf fetches a run's usage: the time of each job that ran, by job ID.
func usageOf(t *testing.T, srv *ghactionstest.Server, id int64) map[int64]time.Duration {
	t.Helper()
	r := call(t, srv, "GET", runPath(id)+"/timing", "")
	require.Equal(t, http.StatusOK, r.status)
	var u ghactions.RunUsage
	require.NoError(t, json.Unmarshal(r.body, &u))
	out := map[int64]time.Duration{}
	for _, b := range u.Billable {
		for _, j := range b.JobRuns {
			out[j.JobID] = time.Duration(j.DurationMS) * time.Millisecond
		}
	}
	return out
}

// firstTimes gives the time of the first line of each file of an archive.
func firstTimes(t *testing.T, files map[string]string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	for name, text := range files {
		stamp, _, _ := strings.Cut(strings.TrimPrefix(text, "\uFEFF"), " ")
		at, err := time.Parse(time.RFC3339Nano, stamp)
		require.NoError(t, err, "%s: %q", name, text)
		out[name] = at
	}
	return out
}

// A queued run goes through its jobs on the server's clock: lint and build
// start a step after it was added, test once build has completed.
func TestLiveRunGoesThroughItsJobs(t *testing.T) {
	srv, clock := liveServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusQueued},
		ghactionstest.Job{ID: 1, Name: "lint", Steps: steps("Set up job", "Run lint")},
		ghactionstest.Job{ID: 2, Name: "build", Steps: steps("Set up job", "Run make", "Complete job")},
		ghactionstest.Job{ID: 3, Name: "test", Needs: []string{"build"}, Steps: steps("Set up job", "Run make test")},
	)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	tests := []struct {
		at         time.Duration
		status     ghactions.Status
		conclusion ghactions.Conclusion
		updated    time.Duration
		jobs       map[int64]time.Duration // the time of each job that ran so far
	}{
		{0, ghactions.StatusQueued, "", 0, map[int64]time.Duration{}},
		{step - time.Second, ghactions.StatusQueued, "", 0, map[int64]time.Duration{}},
		{step, ghactions.StatusInProgress, "", step, map[int64]time.Duration{1: 0, 2: 0}},
		{100 * time.Second, ghactions.StatusInProgress, "", 3 * step, map[int64]time.Duration{1: 2 * step, 2: 70 * time.Second}},
		{5 * step, ghactions.StatusInProgress, "", 5 * step, map[int64]time.Duration{1: 2 * step, 2: 3 * step, 3: 0}},
		{7*step - time.Second, ghactions.StatusInProgress, "", 5 * step, map[int64]time.Duration{1: 2 * step, 2: 3 * step, 3: 2*step - time.Second}},
		{7 * step, ghactions.StatusCompleted, ghactions.ConclusionSuccess, 7 * step, map[int64]time.Duration{1: 2 * step, 2: 3 * step, 3: 2 * step}},
		{time.Hour, ghactions.StatusCompleted, ghactions.ConclusionSuccess, 7 * step, map[int64]time.Duration{1: 2 * step, 2: 3 * step, 3: 2 * step}},
	}
	for _, tt := range tests {
		clock.Advance(at(tt.at).Sub(clock.Now()))
		got := getRun(t, srv, runPath(run.ID))
		assert.Equal(t, tt.status, got.Status, "at %v", tt.at)
		assert.Equal(t, tt.conclusion, got.Conclusion, "at %v", tt.at)
		assert.Equal(t, at(tt.updated), got.UpdatedAt, "updated_at at %v", tt.at)
		assert.Equal(t, t0, got.RunStartedAt)
		assert.Equal(t, tt.jobs, usageOf(t, srv, run.ID), "jobs at %v", tt.at)
	}

	names, files := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID))).body)
	assert.Equal(t, []string{
		"1_lint.txt", "lint/1_Set up job.txt", "lint/2_Run lint.txt",
		"2_build.txt", "build/1_Set up job.txt", "build/2_Run make.txt", "build/3_Complete job.txt",
		"3_test.txt", "test/1_Set up job.txt", "test/2_Run make test.txt",
	}, names)
	starts := firstTimes(t, files)
	assert.Equal(t, at(step), starts["build/1_Set up job.txt"])
	assert.Equal(t, at(2*step), starts["build/2_Run make.txt"])
	assert.Equal(t, at(3*step), starts["build/3_Complete job.txt"])
	assert.Equal(t, at(5*step), starts["test/1_Set up job.txt"])
	assert.Equal(t, at(6*step), starts["test/2_Run make test.txt"])
	assert.Equal(t, "##[group]Run make test\nmake test\nshell: /usr/bin/bash -e {0}\n##[endgroup]\nRun make test ran\n", stripTimes(files["test/2_Run make test.txt"]))
}

// How jobs conclude decides how the run concludes.
func TestLiveOutcomes(t *testing.T) {
	failing := steps("Set up job", "Run make test")
	failing[1].Conclusion = failure
	tests := []struct {
		name       string
		jobs       []ghactionstest.Job
		conclusion ghactions.Conclusion
		updated    time.Duration
		archive    []string // the jobs with logs
	}{
		{
			name: "a failed step fails its job, and the jobs that need it are skipped",
			jobs: []ghactionstest.Job{
				{Name: "test", Steps: failing},
				{Name: "deploy", Needs: []string{"test"}},
				{Name: "notify", Needs: []string{"deploy"}},
				{Name: "lint"},
			},
			conclusion: failure,
			updated:    3 * step,
			archive:    []string{"test", "lint"},
		},
		{
			name:       "a job's conclusion is how it ends",
			jobs:       []ghactionstest.Job{{Name: "build", Conclusion: cancelled}, {Name: "lint"}},
			conclusion: cancelled,
			updated:    3 * step,
			archive:    []string{"build", "lint"},
		},
		{
			name:       "a timeout fails the run",
			jobs:       []ghactionstest.Job{{Name: "build", Conclusion: ghactions.ConclusionTimedOut}, {Name: "lint", Conclusion: cancelled}},
			conclusion: failure,
			updated:    3 * step,
			archive:    []string{"build", "lint"},
		},
		{
			name:       "a job to skip is skipped",
			jobs:       []ghactionstest.Job{{Name: "build"}, {Name: "deploy", Conclusion: skipped}},
			conclusion: success,
			updated:    3 * step,
			archive:    []string{"build"},
		},
		{
			name:       "no jobs",
			conclusion: success,
			updated:    step,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, clock := liveServer(t)
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusQueued}, tt.jobs...)
			clock.Advance(time.Hour)
			got := getRun(t, srv, runPath(run.ID))
			assert.Equal(t, ghactions.StatusCompleted, got.Status)
			assert.Equal(t, tt.conclusion, got.Conclusion)
			assert.Equal(t, t0.Add(tt.updated), got.UpdatedAt)
			assert.Equal(t, tt.archive, jobsInArchive(t, srv, runPath(run.ID)))
		})
	}
}

// A run cancelled midway has the logs of the steps that had started; the
// step cut short ends with the runner's cancellation.
func TestLiveCancelKeepsTheLogsSoFar(t *testing.T) {
	srv, clock := liveServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusQueued},
		ghactionstest.Job{Name: "build", Steps: steps("Set up job", "Run make", "Run make test", "Complete job")},
		ghactionstest.Job{Name: "deploy", Needs: []string{"build"}},
	)
	clock.Advance(step + step + step/2) // in the middle of "Run make"
	require.Equal(t, http.StatusAccepted, call(t, srv, "POST", runPath(run.ID)+"/cancel", "").status)
	got := getRun(t, srv, runPath(run.ID))
	assert.Equal(t, ghactions.StatusCompleted, got.Status)
	assert.Equal(t, cancelled, got.Conclusion)

	names, files := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID))).body)
	assert.Equal(t, []string{"1_build.txt", "build/1_Set up job.txt", "build/2_Run make.txt"}, names)
	assert.Equal(t, "##[group]Run make\nmake\nshell: /usr/bin/bash -e {0}\n##[endgroup]\nRun make ran\n##[error]The operation was canceled.\n", stripTimes(files["build/2_Run make.txt"]))
	assert.Equal(t, "Set up job ran\n"+stripTimes(files["build/2_Run make.txt"]), stripTimes(files["1_build.txt"]))
}

// A deployment held by its reviewers waits for them, however long; once
// reviewed, the run goes on.
func TestLiveDeploymentWaitsForItsReview(t *testing.T) {
	tests := []struct {
		review     string
		conclusion ghactions.Conclusion
		archive    []string
	}{
		{"approved", success, []string{"build", "deploy", "smoke test"}},
		{"rejected", failure, []string{"build"}},
	}
	for _, tt := range tests {
		t.Run(tt.review, func(t *testing.T) {
			srv, clock := liveServer(t)
			env := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "production", Reviewers: []string{"octocat"}})
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusQueued},
				ghactionstest.Job{Name: "build"},
				ghactionstest.Job{Name: "deploy", Needs: []string{"build"}, Environment: "production"},
				ghactionstest.Job{Name: "smoke test", Needs: []string{"deploy"}},
			)
			f := deployFixture{srv: srv, run: run}
			clock.Advance(3*step - time.Second)
			assert.Equal(t, ghactions.StatusInProgress, getRun(t, srv, runPath(run.ID)).Status)
			assert.Empty(t, f.pending(t))

			clock.Advance(time.Second)
			got := getRun(t, srv, runPath(run.ID))
			assert.Equal(t, ghactions.StatusWaiting, got.Status, "build done, deploy held")
			assert.Equal(t, t0.Add(3*step), got.UpdatedAt)
			clock.Advance(24 * time.Hour)
			assert.Equal(t, ghactions.StatusWaiting, getRun(t, srv, runPath(run.ID)).Status, "still held a day later")
			require.Len(t, f.pending(t), 1)

			reviewedAt := clock.Now()
			require.Equal(t, http.StatusOK, f.review(t, tt.review, env.ID).status)
			clock.Advance(6 * step)
			got = getRun(t, srv, runPath(run.ID))
			assert.Equal(t, ghactions.StatusCompleted, got.Status)
			assert.Equal(t, tt.conclusion, got.Conclusion)
			if tt.review == "approved" {
				// deploy: picked up a step after the review, two steps;
				// smoke test: the same after it.
				assert.Equal(t, reviewedAt.Add(6*step), got.UpdatedAt)
			}
			assert.Equal(t, tt.archive, jobsInArchive(t, srv, runPath(run.ID)))
		})
	}
}

// A run from a fork waits for its approval, however long; a re-run runs
// again. Both go on from the request that started them.
func TestLiveApprovalAndRerun(t *testing.T) {
	srv, clock := liveServer(t)
	fork := forkRun(srv)
	failed := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: failure},
		ghactionstest.Job{Name: "build", Conclusion: success},
		ghactionstest.Job{Name: "test", Conclusion: failure, Needs: []string{"build"}},
	)
	clock.Advance(24 * time.Hour)
	assert.Equal(t, ghactions.ConclusionActionRequired, getRun(t, srv, runPath(fork.ID)).Conclusion)

	started := clock.Now()
	require.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(fork.ID)+"/approve", "").status)
	require.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(failed.ID)+"/rerun-failed-jobs", "").status)
	assert.Equal(t, ghactions.StatusQueued, getRun(t, srv, runPath(failed.ID)).Status)
	clock.Advance(step)
	assert.Equal(t, ghactions.StatusInProgress, getRun(t, srv, runPath(fork.ID)).Status)
	assert.Equal(t, ghactions.StatusInProgress, getRun(t, srv, runPath(failed.ID)).Status)
	clock.Advance(time.Hour)

	got := getRun(t, srv, runPath(fork.ID))
	assert.Equal(t, ghactions.StatusCompleted, got.Status)
	assert.Equal(t, success, got.Conclusion)
	got = getRun(t, srv, runPath(failed.ID))
	assert.Equal(t, 2, got.RunAttempt)
	assert.Equal(t, success, got.Conclusion, "the re-run test passes")
	assert.Equal(t, started.Add(3*step), got.UpdatedAt, "a step's wait and the two default steps")
	assert.Equal(t, failure, getRun(t, srv, runPath(failed.ID)+"/attempts/1").Conclusion)
	assert.Equal(t, []string{"test"}, jobsInArchive(t, srv, runPath(failed.ID)))
}

// A run added in progress is where AddRun says: its job is on the step its
// start gives, at 30 seconds a step, and finishes it a live step later.
func TestLiveRunInProgressWhenAdded(t *testing.T) {
	srv, clock := liveServer(t, ghactionstest.WithLive(time.Second))
	started := t0.Add(-75 * time.Second)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress, CreatedAt: started},
		ghactionstest.Job{Name: "lint", Status: ghactions.StatusCompleted, Conclusion: success},
		ghactionstest.Job{Name: "build", Status: ghactions.StatusInProgress, StartedAt: started, Steps: steps("Set up job", "Run make", "Run make test", "Complete job")},
	)
	clock.Advance(time.Second)
	assert.Equal(t, ghactions.StatusInProgress, getRun(t, srv, runPath(run.ID)).Status)
	clock.Advance(time.Second)
	got := getRun(t, srv, runPath(run.ID))
	assert.Equal(t, ghactions.StatusCompleted, got.Status)
	assert.Equal(t, success, got.Conclusion)
	assert.Equal(t, t0.Add(2*time.Second), got.UpdatedAt)

	_, files := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID))).body)
	starts := firstTimes(t, files)
	assert.Equal(t, started, starts["build/1_Set up job.txt"])
	assert.Equal(t, started.Add(30*time.Second), starts["build/2_Run make.txt"])
	assert.Equal(t, started.Add(60*time.Second), starts["build/3_Run make test.txt"], "under way when added")
	assert.Equal(t, t0.Add(time.Second), starts["build/4_Complete job.txt"])
}

// Wait on a live run returns once it has completed, the client's polls
// moving the shared clock: no real time passes.
func TestLiveWait(t *testing.T) {
	srv, clock := liveServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusQueued},
		ghactionstest.Job{Name: "build", Steps: steps("Set up job", "Run make", "Complete job")})
	c, err := srv.Client()
	require.NoError(t, err)
	var seen []ghactions.Status
	// The virtual clock never blocks: should the run never complete, the
	// real deadline ends the wait.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := c.Runs.Wait(ctx, owner, repo, run.ID, &ghactions.WaitOptions{
		Interval: 10 * time.Second,
		OnChange: func(r *ghactions.WorkflowRun) { seen = append(seen, r.Status) },
	})
	require.NoError(t, err)
	assert.Equal(t, success, got.Conclusion)
	assert.Equal(t, t0.Add(4*step), got.UpdatedAt)
	assert.Equal(t, []ghactions.Status{ghactions.StatusQueued, ghactions.StatusInProgress, ghactions.StatusCompleted}, seen)
	assert.False(t, clock.Now().Before(t0.Add(4*step)))
	assert.True(t, clock.Now().Before(t0.Add(4*step+12*time.Second)), "polls 10 s apart, give or take a tenth")
}

// Without live mode, nothing moves on its own: tests keep full control.
func TestWithoutLiveRunsStayPut(t *testing.T) {
	clock := ghactionstest.NewClock(t0)
	srv := newServer(t, ghactionstest.WithSharedClock(clock))
	for _, status := range []ghactions.Status{ghactions.StatusQueued, ghactions.StatusInProgress, ghactions.StatusRequested} {
		run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: status}, ghactionstest.Job{Name: "build"})
		clock.Advance(24 * time.Hour)
		got := getRun(t, srv, runPath(run.ID))
		assert.Equal(t, status, got.Status)
		assert.Equal(t, run.UpdatedAt, got.UpdatedAt)
	}
}

func TestWithLivePanicsOnAStepThatIsNotPositive(t *testing.T) {
	assert.Panics(t, func() { ghactionstest.NewServer(ghactionstest.WithLive(0)) })
}
