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

func TestCancel(t *testing.T) {
	for _, action := range []string{"cancel", "force-cancel"} {
		for _, status := range []ghactions.Status{ghactions.StatusQueued, ghactions.StatusInProgress, ghactions.StatusWaiting, ghactions.StatusPending, ghactions.StatusRequested} {
			t.Run(action+" "+string(status), func(t *testing.T) {
				clock := newClock()
				srv := newServer(t, ghactionstest.WithClock(clock.Now))
				run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: status})
				clock.Add(time.Minute)

				r := call(t, srv, "POST", runPath(run.ID)+"/"+action, "")
				assert.Equal(t, http.StatusAccepted, r.status)
				assert.JSONEq(t, `{}`, string(r.body))

				got := getRun(t, srv, runPath(run.ID))
				assert.Equal(t, ghactions.StatusCompleted, got.Status)
				assert.Equal(t, ghactions.ConclusionCancelled, got.Conclusion)
				assert.Equal(t, t0.Add(time.Minute), got.UpdatedAt)

				r = call(t, srv, "POST", runPath(run.ID)+"/"+action, "")
				requireError(t, r, http.StatusConflict, "Cannot cancel a workflow run that is completed.")
			})
		}
	}
}

func TestCancelACompletedRun(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
	r := call(t, srv, "POST", runPath(run.ID)+"/cancel", "")
	require.Equal(t, http.StatusConflict, r.status)
	assert.JSONEq(t, `{"message":"Cannot cancel a workflow run that is completed.","documentation_url":"https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run","status":"409"}`, string(r.body))
	assert.Equal(t, ghactions.ConclusionSuccess, getRun(t, srv, runPath(run.ID)).Conclusion)
}

func TestRerunStartsANewAttempt(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure, Actor: &ghactions.User{Login: "monalisa"}},
		ghactionstest.Job{Name: "build"})
	clock.Add(time.Hour)

	r := call(t, srv, "POST", runPath(run.ID)+"/rerun", "")
	assert.Equal(t, http.StatusCreated, r.status)
	assert.JSONEq(t, `{}`, string(r.body))

	got := getRun(t, srv, runPath(run.ID))
	assert.Equal(t, 2, got.RunAttempt)
	assert.Equal(t, ghactions.StatusQueued, got.Status)
	assert.Empty(t, got.Conclusion)
	assert.Equal(t, t0.Add(time.Hour), got.RunStartedAt)
	assert.Equal(t, t0.Add(time.Hour), got.UpdatedAt)
	assert.Equal(t, run.CreatedAt, got.CreatedAt)
	assert.Equal(t, "monalisa", got.Actor.Login)
	assert.Equal(t, "octocat", got.TriggeringActor.Login, "the token's holder re-ran it")
	assert.Equal(t, run.URL+"/attempts/1", got.PreviousAttemptURL)
	assert.Equal(t, *run, getRun(t, srv, runPath(run.ID)+"/attempts/1"), "the first attempt is kept as it was")

	// A queued attempt is running: it cannot be re-run, until it completes.
	requireError(t, call(t, srv, "POST", runPath(run.ID)+"/rerun", ""), http.StatusForbidden, "This workflow is already running")
	call(t, srv, "POST", runPath(run.ID)+"/cancel", "")
	assert.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(run.ID)+"/rerun", "").status)
	assert.Equal(t, 3, getRun(t, srv, runPath(run.ID)).RunAttempt)
}

func TestRerunRefusals(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	running := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
	old := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure, CreatedAt: t0.Add(-31 * 24 * time.Hour)})

	requireError(t, call(t, srv, "POST", runPath(running.ID)+"/rerun", ""), http.StatusForbidden, "This workflow is already running")
	requireError(t, call(t, srv, "POST", runPath(old.ID)+"/rerun", ""), http.StatusForbidden, "Unable to re-run this workflow run because it was created over a month ago")
	assert.Equal(t, 1, getRun(t, srv, runPath(old.ID)).RunAttempt)
}

func TestRerunBodies(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		message    string
	}{
		{"none", "", http.StatusCreated, ""},
		{"null", "null", http.StatusCreated, ""},
		{"empty object", "{}", http.StatusCreated, ""},
		{"debug off", `{"enable_debug_logging":false}`, http.StatusCreated, ""},
		{"debug on", `{"enable_debug_logging":true}`, http.StatusCreated, ""},
		{"debug null", `{"enable_debug_logging":null}`, http.StatusCreated, ""},
		{"not JSON", `{"enable_debug_logging":`, http.StatusBadRequest, "Problems parsing JSON"},
		{"not an object", `[true]`, http.StatusBadRequest, "Body should be a JSON object"},
		{"not a boolean", `{"enable_debug_logging":"yes"}`, http.StatusUnprocessableEntity, "Invalid request.\n\nFor 'properties/enable_debug_logging', \"yes\" is not a boolean."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure})
			r := call(t, srv, "POST", runPath(run.ID)+"/rerun", tt.body, "Content-Type", "application/json")
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
