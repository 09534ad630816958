package ghactionstest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func runPath(id int64) string {
	return runs + "/" + strconv.FormatInt(id, 10)
}

// getRun fetches a run (or an attempt, with a suffix) with net/http.
func getRun(t *testing.T, srv *ghactionstest.Server, path string) ghactions.WorkflowRun {
	t.Helper()
	r := call(t, srv, "GET", path, "")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var run ghactions.WorkflowRun
	require.NoError(t, json.Unmarshal(r.body, &run))
	return run
}

func TestAddRunFillsInWhatIsZero(t *testing.T) {
	srv := newServer(t, ghactionstest.WithClock(newClock().Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	api := srv.URL() + "repos/octo-org/octo-repo"
	web := srv.URL()[:len(srv.URL())-len("api/v3/")]
	id := strconv.FormatInt(run.ID, 10)

	assert.Greater(t, run.ID, int64(1)<<32, "run IDs exceed 32 bits, as GitHub's do")
	assert.NotEmpty(t, run.NodeID)
	assert.Equal(t, "CI", run.Name)
	assert.Equal(t, ".github/workflows/ci.yml", run.Path)
	assert.NotZero(t, run.WorkflowID)
	assert.Equal(t, 1, run.RunNumber)
	assert.Equal(t, 1, run.RunAttempt)
	assert.Equal(t, "main", run.HeadBranch)
	assert.Equal(t, "push", run.Event)
	assert.Equal(t, ghactions.StatusQueued, run.Status)
	assert.Empty(t, run.Conclusion)
	assert.Len(t, run.HeadSHA, 40)
	assert.Equal(t, run.HeadSHA, run.HeadCommit.ID)
	assert.Equal(t, run.HeadCommit.Message, run.DisplayTitle)
	assert.NotZero(t, run.CheckSuiteID)
	assert.NotEmpty(t, run.CheckSuiteNodeID)
	assert.Equal(t, t0, run.CreatedAt)
	assert.Equal(t, t0, run.RunStartedAt)
	assert.Equal(t, t0, run.UpdatedAt)
	assert.Equal(t, "octocat", run.Actor.Login)
	assert.Equal(t, int64(1), run.Actor.ID)
	assert.Equal(t, run.Actor, run.TriggeringActor)
	assert.Equal(t, "octo-org/octo-repo", run.Repository.FullName)
	assert.Equal(t, "octo-org", run.Repository.Owner.Login)
	assert.Equal(t, api, run.Repository.URL)
	assert.Equal(t, run.Repository, run.HeadRepository)
	assert.Equal(t, run.Repository.ID, run.HeadRepositoryID)
	assert.NotNil(t, run.PullRequests)
	assert.Empty(t, run.PullRequests)
	assert.Equal(t, api+"/actions/runs/"+id, run.URL)
	assert.Equal(t, web+"octo-org/octo-repo/actions/runs/"+id, run.HTMLURL)
	assert.Equal(t, api+"/actions/runs/"+id+"/jobs", run.JobsURL)
	assert.Equal(t, api+"/actions/runs/"+id+"/logs", run.LogsURL)
	assert.Equal(t, api+"/actions/runs/"+id+"/artifacts", run.ArtifactsURL)
	assert.Equal(t, api+"/actions/runs/"+id+"/cancel", run.CancelURL)
	assert.Equal(t, api+"/actions/runs/"+id+"/rerun", run.RerunURL)
	assert.Equal(t, api+"/check-suites/"+strconv.FormatInt(run.CheckSuiteID, 10), run.CheckSuiteURL)
	assert.Equal(t, api+"/actions/workflows/"+strconv.FormatInt(run.WorkflowID, 10), run.WorkflowURL)
	assert.Empty(t, run.PreviousAttemptURL)
}

func TestAddRunKeepsWhatIsSet(t *testing.T) {
	srv := newServer(t)
	in := ghactions.WorkflowRun{
		ID:           123,
		Name:         "Build & Test",
		HeadBranch:   "dev",
		Event:        "schedule",
		Conclusion:   ghactions.ConclusionFailure,
		Actor:        &ghactions.User{Login: "monalisa"},
		CreatedAt:    t0,
		DisplayTitle: "Nightly build",
		URL:          "https://api.github.com/repos/octo-org/octo-repo/actions/runs/123",
	}
	run := srv.AddRun(owner, repo, in)
	assert.Equal(t, int64(123), run.ID)
	assert.Equal(t, "Build & Test", run.Name)
	assert.Equal(t, ".github/workflows/build-test.yml", run.Path)
	assert.Equal(t, ghactions.StatusCompleted, run.Status, "a conclusion means the run completed")
	assert.Equal(t, ghactions.ConclusionFailure, run.Conclusion)
	assert.Equal(t, "monalisa", run.Actor.Login)
	assert.NotZero(t, run.Actor.ID, "a user named by login is completed")
	assert.Equal(t, "Nightly build", run.DisplayTitle)
	assert.Equal(t, "Nightly build", run.HeadCommit.Message)
	assert.Equal(t, in.URL, run.URL)

	// The caller's values are copied: changing them changes nothing.
	in.Actor.Login = "changed"
	run.Actor.Login = "changed too"
	assert.Equal(t, "monalisa", getRun(t, srv, runPath(123)).Actor.Login)

	// Later runs of the workflow are numbered after it, and later IDs after
	// the ones given.
	next := srv.AddRun(owner, repo, ghactions.WorkflowRun{Path: ".github/workflows/build-test.yml"})
	assert.Equal(t, "Build & Test", next.Name)
	assert.Equal(t, run.WorkflowID, next.WorkflowID)
	assert.Equal(t, 2, next.RunNumber)
	other := srv.AddRun(owner, repo, ghactions.WorkflowRun{Path: ".github/workflows/lint.yml"})
	assert.Equal(t, "lint", other.Name)
	assert.NotEqual(t, run.WorkflowID, other.WorkflowID)
	assert.Equal(t, 1, other.RunNumber)
}

func TestAddRunPanicsOnBadInput(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	assert.Panics(t, func() { srv.AddRun(owner, repo, ghactions.WorkflowRun{ID: run.ID}) })
	assert.Panics(t, func() { srv.AddRun("", repo, ghactions.WorkflowRun{}) })
	assert.Panics(t, func() { srv.AddRun(owner, "a/b", ghactions.WorkflowRun{}) })
	srv.AddRun(owner, repo, ghactions.WorkflowRun{}, ghactionstest.Job{ID: 5})
	assert.Panics(t, func() { srv.AddRun(owner, repo, ghactions.WorkflowRun{}, ghactionstest.Job{ID: 5}) })
}

func TestGetRun(t *testing.T) {
	srv := newServer(t)
	pr := []ghactions.PullRequest{{ID: 9, Number: 9, URL: "https://example.com/pulls/9"}}
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Event: "pull_request", PullRequests: pr})

	got := getRun(t, srv, runPath(run.ID))
	assert.Equal(t, *run, got)

	r := call(t, srv, "GET", runPath(run.ID)+"?exclude_pull_requests=true", "")
	assert.Contains(t, string(r.body), `"pull_requests":[]`)
	assert.Contains(t, string(r.body), `"conclusion":null`, "a run that has not concluded says null, as GitHub does")
}

func TestAttemptsAreKept(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{RunAttempt: 3, Conclusion: ghactions.ConclusionSuccess},
		ghactionstest.Job{Name: "build"})
	assert.Equal(t, 3, run.RunAttempt)
	assert.Equal(t, t0.Add(-20*time.Minute), run.CreatedAt, "the first attempt started two attempts ago")
	assert.Equal(t, t0, run.RunStartedAt)

	for n := 1; n <= 3; n++ {
		a := getRun(t, srv, runPath(run.ID)+"/attempts/"+strconv.Itoa(n))
		assert.Equal(t, n, a.RunAttempt)
		assert.Equal(t, run.ID, a.ID)
		assert.Equal(t, run.CreatedAt, a.CreatedAt)
		assert.Equal(t, t0.Add(time.Duration(n-3)*10*time.Minute), a.RunStartedAt)
		assert.Equal(t, ghactions.StatusCompleted, a.Status)
		if n < 3 {
			assert.Equal(t, ghactions.ConclusionFailure, a.Conclusion, "made-up earlier attempts failed")
		} else {
			assert.Equal(t, ghactions.ConclusionSuccess, a.Conclusion)
		}
		if n == 1 {
			assert.Empty(t, a.PreviousAttemptURL)
		} else {
			assert.Equal(t, run.URL+"/attempts/"+strconv.Itoa(n-1), a.PreviousAttemptURL)
		}
	}
	assert.Equal(t, *run, getRun(t, srv, runPath(run.ID)), "the run is its latest attempt")
}

func TestDeleteRun(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess}, ghactionstest.Job{})
	path := runPath(run.ID)

	r := call(t, srv, "DELETE", path, "")
	assert.Equal(t, http.StatusNoContent, r.status)
	assert.Empty(t, r.body)

	for _, gone := range []struct{ method, path string }{
		{"GET", path},
		{"GET", path + "/attempts/1"},
		{"GET", path + "/logs"},
		{"GET", path + "/timing"},
		{"POST", path + "/rerun"},
		{"DELETE", path},
	} {
		requireError(t, call(t, srv, gone.method, gone.path, ""), http.StatusNotFound, "Not Found")
	}
	p, _ := listPage(t, srv, runs)
	assert.Zero(t, p.TotalCount)
}
