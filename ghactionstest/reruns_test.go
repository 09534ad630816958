package ghactionstest_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

const (
	success   = ghactions.ConclusionSuccess
	failure   = ghactions.ConclusionFailure
	cancelled = ghactions.ConclusionCancelled
	skipped   = ghactions.ConclusionSkipped
)

// pipeline adds a failed run whose jobs need one another: lint passed,
// build failed, test and package (which need it) were skipped, docs was
// cancelled and e2e timed out. Its jobs' IDs are 1 to 6.
func pipeline(srv *ghactionstest.Server) *ghactions.WorkflowRun {
	return srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: failure},
		ghactionstest.Job{ID: 1, Name: "lint", Conclusion: success},
		ghactionstest.Job{ID: 2, Name: "build", Conclusion: failure},
		ghactionstest.Job{ID: 3, Name: "test", Needs: []string{"build"}, Conclusion: skipped},
		ghactionstest.Job{ID: 4, Name: "package", Needs: []string{"test", "lint"}, Conclusion: skipped},
		ghactionstest.Job{ID: 5, Name: "docs", Conclusion: cancelled},
		ghactionstest.Job{ID: 6, Name: "e2e", Conclusion: ghactions.ConclusionTimedOut},
	)
}

func jobPath(id int64) string {
	return "repos/octo-org/octo-repo/actions/jobs/" + strconv.FormatInt(id, 10) + "/rerun"
}

// jobsInArchive lists the jobs whose logs an attempt's archive holds, by
// their top-level files.
func jobsInArchive(t *testing.T, srv *ghactionstest.Server, path string) []string {
	t.Helper()
	names, _ := unzip(t, download(t, srv, logsURL(t, srv, path)).body)
	var jobs []string
	for _, n := range names {
		if !strings.Contains(n, "/") {
			_, name, _ := strings.Cut(strings.TrimSuffix(n, ".txt"), "_")
			jobs = append(jobs, name)
		}
	}
	return jobs
}

func TestRerunFailedJobsRerunsTheFailedJobsAndWhatNeedsThem(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := pipeline(srv)
	clock.Add(time.Hour)

	r := call(t, srv, "POST", runPath(run.ID)+"/rerun-failed-jobs", "")
	assert.Equal(t, http.StatusCreated, r.status)
	assert.JSONEq(t, `{}`, string(r.body))

	got := getRun(t, srv, runPath(run.ID))
	assert.Equal(t, 2, got.RunAttempt)
	assert.Equal(t, ghactions.StatusQueued, got.Status)
	assert.Empty(t, got.Conclusion)
	assert.Equal(t, t0.Add(time.Hour), got.RunStartedAt)
	assert.Equal(t, run.URL+"/attempts/1", got.PreviousAttemptURL)
	assert.Equal(t, *run, getRun(t, srv, runPath(run.ID)+"/attempts/1"))

	// Once it has run, the new attempt's logs hold the jobs it re-ran; lint
	// kept its result, and its log, from the first attempt.
	srv.CompleteRun(owner, repo, run.ID, success)
	assert.Equal(t, []string{"build", "test", "package", "docs", "e2e"}, jobsInArchive(t, srv, runPath(run.ID)+"/attempts/2"))
	assert.Equal(t, []string{"lint", "build", "docs", "e2e"}, jobsInArchive(t, srv, runPath(run.ID)+"/attempts/1"), "skipped jobs have no log")

	// The usage counts lint once, and each re-run.
	ubuntu := getUsage(t, srv, run.ID).Billable["UBUNTU"]
	var ids []int64
	for _, j := range ubuntu.JobRuns {
		ids = append(ids, j.JobID)
	}
	require.Len(t, ids, 9, "4 jobs ran in the first attempt, 5 in the second")
	assert.Equal(t, int64(1), ids[0])
	assert.NotContains(t, ids[4:], int64(1), "lint counts once")

	// Nothing failed in the second attempt: there is nothing to re-run.
	requireError(t, call(t, srv, "POST", runPath(run.ID)+"/rerun-failed-jobs", ""), http.StatusForbidden, "This workflow run cannot be retried")
	assert.Equal(t, 2, getRun(t, srv, runPath(run.ID)).RunAttempt)
}

func TestRerunFailedJobsRefusals(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	tests := []struct {
		name    string
		run     ghactions.WorkflowRun
		jobs    []ghactionstest.Job
		message string
	}{
		{"in progress", ghactions.WorkflowRun{Status: ghactions.StatusInProgress}, []ghactionstest.Job{{Status: ghactions.StatusCompleted, Conclusion: failure}}, "This workflow is already running"},
		{"queued", ghactions.WorkflowRun{Status: ghactions.StatusQueued}, nil, "This workflow is already running"},
		{"waiting", ghactions.WorkflowRun{Status: ghactions.StatusWaiting}, nil, "This workflow is already running"},
		{"every job succeeded", ghactions.WorkflowRun{Conclusion: success}, []ghactionstest.Job{{}, {}}, "This workflow run cannot be retried"},
		{"no job", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionStartupFailure}, nil, "This workflow run cannot be retried"},
		{"skipped only", ghactions.WorkflowRun{Conclusion: success}, []ghactionstest.Job{{Conclusion: skipped}}, "This workflow run cannot be retried"},
		{"over a month old", ghactions.WorkflowRun{Conclusion: failure, CreatedAt: t0.Add(-31 * 24 * time.Hour)}, []ghactionstest.Job{{}}, "Unable to retry this workflow run because it was created over a month ago"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := srv.AddRun(owner, repo, tt.run, tt.jobs...)
			requireError(t, call(t, srv, "POST", runPath(run.ID)+"/rerun-failed-jobs", ""), http.StatusForbidden, tt.message)
			assert.Equal(t, *run, getRun(t, srv, runPath(run.ID)), "nothing changed")
		})
	}
}

func TestRerunJobRerunsTheJobAndWhatNeedsIt(t *testing.T) {
	tests := []struct {
		job  int64
		want []string
	}{
		{1, []string{"lint", "package"}},
		{2, []string{"build", "test", "package"}},
		{3, []string{"test", "package"}},
		{4, []string{"package"}},
		{6, []string{"e2e"}},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatInt(tt.job, 10), func(t *testing.T) {
			srv := newServer(t)
			run := pipeline(srv)
			r := call(t, srv, "POST", jobPath(tt.job), "")
			assert.Equal(t, http.StatusCreated, r.status)
			assert.JSONEq(t, `{}`, string(r.body))
			got := getRun(t, srv, runPath(run.ID))
			assert.Equal(t, 2, got.RunAttempt)
			assert.Equal(t, ghactions.StatusQueued, got.Status)

			srv.CompleteRun(owner, repo, run.ID, success)
			assert.Equal(t, tt.want, jobsInArchive(t, srv, runPath(run.ID)+"/attempts/2"))
		})
	}
}

func TestRerunJobOfAnEarlierAttempt(t *testing.T) {
	srv := newServer(t)
	run := pipeline(srv)
	require.Equal(t, http.StatusCreated, call(t, srv, "POST", jobPath(2), "").status)
	srv.CompleteRun(owner, repo, run.ID, failure)

	// Job 2 is the build of attempt 1: it stands for the build of attempt 2.
	// Job 6 (e2e) was kept by attempt 2, which shares it.
	require.Equal(t, http.StatusCreated, call(t, srv, "POST", jobPath(2), "").status)
	srv.CompleteRun(owner, repo, run.ID, success)
	assert.Equal(t, []string{"build", "test", "package"}, jobsInArchive(t, srv, runPath(run.ID)+"/attempts/3"))
	require.Equal(t, http.StatusCreated, call(t, srv, "POST", jobPath(6), "").status)
	srv.CompleteRun(owner, repo, run.ID, success)
	assert.Equal(t, []string{"e2e"}, jobsInArchive(t, srv, runPath(run.ID)+"/attempts/4"))
}

func TestRerunJobRefusals(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	running := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress}, ghactionstest.Job{ID: 10})
	old := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: success, CreatedAt: t0.Add(-31 * 24 * time.Hour)}, ghactionstest.Job{ID: 11})
	srv.AddRun(owner, "other-repo", ghactions.WorkflowRun{Conclusion: failure}, ghactionstest.Job{ID: 12})
	deleted := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: failure}, ghactionstest.Job{ID: 13})
	require.Equal(t, http.StatusNoContent, call(t, srv, "DELETE", runPath(deleted.ID), "").status)

	requireError(t, call(t, srv, "POST", jobPath(10), ""), http.StatusForbidden, "The workflow run containing this job is already running")
	requireError(t, call(t, srv, "POST", jobPath(11), ""), http.StatusForbidden, "Unable to retry this workflow run because it was created over a month ago")
	for _, id := range []int64{12, 13, 99} {
		requireError(t, call(t, srv, "POST", jobPath(id), ""), http.StatusNotFound, "Not Found")
	}
	requireError(t, call(t, srv, "POST", "repos/octo-org/octo-repo/actions/jobs/abc/rerun", ""), http.StatusNotFound, "Not Found")
	assert.Equal(t, 1, getRun(t, srv, runPath(running.ID)).RunAttempt)
	assert.Equal(t, 1, getRun(t, srv, runPath(old.ID)).RunAttempt)
}

func TestRerunSomeJobsBodies(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		message    string
	}{
		{"none", "", http.StatusCreated, ""},
		{"null", "null", http.StatusCreated, ""},
		{"debug", `{"enable_debug_logging":true}`, http.StatusCreated, ""},
		{"debugger", `{"enable_debug_logging":false,"enable_debugger":true}`, http.StatusCreated, ""},
		{"not JSON", `{`, http.StatusBadRequest, "Problems parsing JSON"},
		{"not an object", `"debug"`, http.StatusBadRequest, "Body should be a JSON object"},
		{"not a boolean", `{"enable_debug_logging":1}`, http.StatusUnprocessableEntity, "Invalid request.\n\nFor 'properties/enable_debug_logging', 1 is not a boolean."},
	}
	for _, tt := range tests {
		for _, target := range []string{"rerun-failed-jobs", "job"} {
			t.Run(target+" "+tt.name, func(t *testing.T) {
				srv := newServer(t)
				run := pipeline(srv)
				path := runPath(run.ID) + "/rerun-failed-jobs"
				if target == "job" {
					path = jobPath(2)
				}
				r := call(t, srv, "POST", path, tt.body, "Content-Type", "application/json")
				if tt.message != "" {
					requireError(t, r, tt.status, tt.message)
					assert.Equal(t, 1, getRun(t, srv, runPath(run.ID)).RunAttempt)
					return
				}
				assert.Equal(t, tt.status, r.status)
				assert.Equal(t, 2, getRun(t, srv, runPath(run.ID)).RunAttempt)
			})
		}
	}
	t.Run("the job's debugger flag is checked too", func(t *testing.T) {
		srv := newServer(t)
		pipeline(srv)
		requireError(t, call(t, srv, "POST", jobPath(2), `{"enable_debugger":"on"}`), http.StatusUnprocessableEntity,
			"Invalid request.\n\nFor 'properties/enable_debugger', \"on\" is not a boolean.")
	})
}

func TestRerunFailedJobsWithDebugLogging(t *testing.T) {
	srv := newServer(t)
	run := pipeline(srv)
	require.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(run.ID)+"/rerun-failed-jobs", `{"enable_debug_logging":true}`).status)
	srv.CompleteRun(owner, repo, run.ID, success)
	_, files := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID)+"/attempts/2")).body)
	assert.Contains(t, files["1_build.txt"], "##[debug]Starting: ")
}
