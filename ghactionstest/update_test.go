package ghactionstest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestUpdateRun(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{}, ghactionstest.Job{Name: "build"})
	clock.Add(time.Minute)

	got := srv.UpdateRun(owner, repo, run.ID, func(r *ghactions.WorkflowRun) {
		assert.Equal(t, *run, *r)
		r.Status = ghactions.StatusInProgress
		r.DisplayTitle = "Renamed"
		r.ID, r.RunAttempt = 1, 7 // kept as they are
	})
	assert.Equal(t, ghactions.StatusInProgress, got.Status)
	assert.Equal(t, "Renamed", got.DisplayTitle)
	assert.Equal(t, run.ID, got.ID)
	assert.Equal(t, 1, got.RunAttempt)
	assert.Equal(t, t0.Add(time.Minute), got.UpdatedAt, "a change updates it")
	assert.Equal(t, *got, getRun(t, srv, runPath(run.ID)))

	// Nothing changed, nothing updated; an UpdatedAt set is kept.
	clock.Add(time.Minute)
	assert.Equal(t, *got, *srv.UpdateRun(owner, repo, run.ID, func(*ghactions.WorkflowRun) {}))
	got = srv.UpdateRun(owner, repo, run.ID, func(r *ghactions.WorkflowRun) {
		r.Status, r.Conclusion, r.UpdatedAt = ghactions.StatusCompleted, ghactions.ConclusionFailure, t0.Add(time.Hour)
	})
	assert.Equal(t, t0.Add(time.Hour), got.UpdatedAt)
	assert.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(run.ID)+"/rerun", "").status, "completed: it may be re-run")
	assert.Panics(t, func() { srv.UpdateRun(owner, repo, 1, func(*ghactions.WorkflowRun) {}) })
}

func TestOnRequest(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
	var mu sync.Mutex
	var seen []ghactionstest.Request
	srv.OnRequest(func(r ghactionstest.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, r)
		r.Header.Set("X-Changed", "yes") // a copy: the log keeps its own
		if len(seen) == 2 {
			// The hook may call the server: this request sees the change.
			srv.CompleteRun(owner, repo, run.ID, ghactions.ConclusionSuccess)
		}
	})
	assert.Equal(t, ghactions.StatusInProgress, getRun(t, srv, runPath(run.ID)).Status)
	assert.Equal(t, ghactions.StatusCompleted, getRun(t, srv, runPath(run.ID)).Status)
	srv.OnRequest(nil)
	getRun(t, srv, runPath(run.ID))

	require.Len(t, seen, 2)
	assert.Equal(t, "GET", seen[0].Method)
	assert.Equal(t, "/api/v3/"+runPath(run.ID), seen[0].Path)
	assert.Equal(t, seen[0].Path, srv.Requests()[0].Path)
	assert.Empty(t, srv.Requests()[0].Header.Get("X-Changed"))
}
