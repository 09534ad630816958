package ghactionstest_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func getUsage(t *testing.T, srv *ghactionstest.Server, id int64) ghactions.RunUsage {
	t.Helper()
	r := call(t, srv, "GET", runPath(id)+"/timing", "")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var u ghactions.RunUsage
	require.NoError(t, json.Unmarshal(r.body, &u))
	return u
}

func TestUsageIsComputedFromTheJobs(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess, CreatedAt: t0},
		ghactionstest.Job{Name: "build"}, // two steps of 30 s
		ghactionstest.Job{Name: "mac", RunnerOS: "MACOS", StartedAt: t0, CompletedAt: t0.Add(3 * time.Minute)},
		ghactionstest.Job{Name: "win", RunnerOS: "WINDOWS", StartedAt: t0.Add(30 * time.Second), CompletedAt: t0.Add(2 * time.Minute)},
		ghactionstest.Job{Name: "lint", Conclusion: ghactions.ConclusionSkipped},
	)
	u := getUsage(t, srv, run.ID)
	require.Len(t, u.Billable, 3)
	ubuntu, mac, win := u.Billable["UBUNTU"], u.Billable["MACOS"], u.Billable["WINDOWS"]
	assert.Equal(t, int64(60_000), ubuntu.TotalMS)
	assert.Equal(t, 1, ubuntu.Jobs, "a skipped job bills nothing")
	assert.Equal(t, int64(180_000), mac.TotalMS)
	assert.Equal(t, int64(90_000), win.TotalMS)
	require.Len(t, win.JobRuns, 1)
	assert.Equal(t, int64(90_000), win.JobRuns[0].DurationMS)
	assert.NotZero(t, win.JobRuns[0].JobID)
	assert.Equal(t, int64(180_000), u.RunDurationMS, "from the start to the last job's end")

	// A re-run bills again: the usage counts every attempt's jobs.
	clock.Add(10 * time.Minute)
	call(t, srv, "POST", runPath(run.ID)+"/rerun", "")
	clock.Add(5 * time.Minute)
	srv.CompleteRun(owner, repo, run.ID, ghactions.ConclusionSuccess)
	u = getUsage(t, srv, run.ID)
	assert.Equal(t, int64(60_000+2*300_000), u.Billable["UBUNTU"].TotalMS)
	assert.Equal(t, 3, u.Billable["UBUNTU"].Jobs)
	assert.Len(t, u.Billable["UBUNTU"].JobRuns, 3)
	assert.Equal(t, int64(180_000+300_000), u.Billable["MACOS"].TotalMS)
	assert.Equal(t, int64(90_000+300_000), u.Billable["WINDOWS"].TotalMS)
	assert.Equal(t, int64(300_000), u.RunDurationMS, "the latest attempt's")
}

func TestUsageOfARunInProgress(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress},
		ghactionstest.Job{Name: "build"},
		ghactionstest.Job{Name: "test", Status: ghactions.StatusQueued})
	clock.Add(2 * time.Minute)
	u := getUsage(t, srv, run.ID)
	assert.Equal(t, map[string]ghactions.RunnerUsage{"UBUNTU": {TotalMS: 120_000, Jobs: 1, JobRuns: u.Billable["UBUNTU"].JobRuns}}, u.Billable)
	assert.Equal(t, int64(120_000), u.RunDurationMS)

	queued := srv.AddRun(owner, repo, ghactions.WorkflowRun{}, ghactionstest.Job{Name: "build"})
	r := call(t, srv, "GET", runPath(queued.ID)+"/timing", "")
	assert.JSONEq(t, `{"billable":{}}`, string(r.body))
}
