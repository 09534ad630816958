package ghactionstest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// forkRun adds a run from a fork's pull request that waits for a
// maintainer's approval, with one job.
func forkRun(srv *ghactionstest.Server) *ghactions.WorkflowRun {
	return srv.AddRun(owner, repo, ghactions.WorkflowRun{
		Event:          "pull_request",
		Conclusion:     ghactions.ConclusionActionRequired,
		HeadRepository: &ghactions.Repository{FullName: "first-timer/octo-repo"},
	}, ghactionstest.Job{Name: "test"})
}

func TestApproveQueuesARunFromAFork(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := forkRun(srv)
	assert.Equal(t, ghactions.StatusCompleted, run.Status, "GitHub shows a run awaiting approval as completed")
	assert.Equal(t, "first-timer/octo-repo", run.HeadRepository.FullName)
	assert.NotEqual(t, run.Repository.ID, run.HeadRepositoryID)
	clock.Add(time.Hour)

	r := call(t, srv, "POST", runPath(run.ID)+"/approve", "")
	assert.Equal(t, http.StatusCreated, r.status)
	assert.JSONEq(t, `{}`, string(r.body))

	got := getRun(t, srv, runPath(run.ID))
	assert.Equal(t, ghactions.StatusQueued, got.Status)
	assert.Empty(t, got.Conclusion)
	assert.Equal(t, 1, got.RunAttempt, "the same attempt runs")
	assert.Equal(t, t0.Add(time.Hour), got.RunStartedAt)
	assert.Equal(t, t0.Add(time.Hour), got.UpdatedAt)

	// Its job had not started; now it may run, and log.
	srv.CompleteRun(owner, repo, run.ID, ghactions.ConclusionSuccess)
	assert.Equal(t, []string{"test"}, jobsInArchive(t, srv, runPath(run.ID)))

	requireError(t, call(t, srv, "POST", runPath(run.ID)+"/approve", ""), http.StatusForbidden, "This run is not from a fork pull request or queued by the Actions bot")
}

func TestApproveRefusesRunsThatNeedNoApproval(t *testing.T) {
	srv := newServer(t)
	fork := &ghactions.Repository{FullName: "first-timer/octo-repo"}
	tests := []struct {
		name string
		run  ghactions.WorkflowRun
	}{
		{"succeeded", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess}},
		{"queued", ghactions.WorkflowRun{Status: ghactions.StatusQueued, HeadRepository: fork}},
		{"a fork's that failed", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure, HeadRepository: fork}},
		{"not from a fork", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionActionRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := srv.AddRun(owner, repo, tt.run)
			requireError(t, call(t, srv, "POST", runPath(run.ID)+"/approve", ""), http.StatusForbidden, "This run is not from a fork pull request or queued by the Actions bot")
			assert.Equal(t, *run, getRun(t, srv, runPath(run.ID)))
		})
	}
	requireError(t, call(t, srv, "POST", runPath(1)+"/approve", ""), http.StatusNotFound, "Not Found")
}

func TestAddRunCompletesAHeadRepositoryGivenByName(t *testing.T) {
	srv := newServer(t)
	run := forkRun(srv)
	require.NotNil(t, run.HeadRepository.Owner)
	assert.Equal(t, "first-timer", run.HeadRepository.Owner.Login)
	assert.Equal(t, run.HeadRepository.ID, run.HeadRepositoryID)
	assert.Equal(t, run.HeadRepository, forkRun(srv).HeadRepository, "the same fork")
}
