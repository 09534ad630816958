package ghactionstest_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// Right after a re-run, GETs of the run still show the attempt before it,
// for as many GETs as the option says; the attempts and the list show the
// new one at once.
func TestStaleAfterRerun(t *testing.T) {
	tests := []struct {
		name  string
		rerun func(run *ghactions.WorkflowRun) string
		stale int
	}{
		{"rerun", func(run *ghactions.WorkflowRun) string { return runPath(run.ID) + "/rerun" }, 2},
		{"rerun failed jobs", func(run *ghactions.WorkflowRun) string { return runPath(run.ID) + "/rerun-failed-jobs" }, 1},
		{"rerun a job", func(*ghactions.WorkflowRun) string { return jobPath(2) }, 3},
		{"off", func(run *ghactions.WorkflowRun) string { return runPath(run.ID) + "/rerun" }, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []ghactionstest.Option
			if tt.stale > 0 {
				opts = append(opts, ghactionstest.WithStaleAfterRerun(tt.stale))
			}
			srv := newServer(t, opts...)
			run := pipeline(srv)
			for rerun := 2; rerun <= 3; rerun++ {
				require.Equal(t, http.StatusCreated, call(t, srv, "POST", tt.rerun(run), "").status)
				for range tt.stale {
					got := getRun(t, srv, runPath(run.ID))
					assert.Equal(t, rerun-1, got.RunAttempt, "the attempt before the re-run")
					assert.Equal(t, ghactions.StatusCompleted, got.Status)
					assert.NotEqual(t, success, got.Conclusion)
				}
				assert.Equal(t, ghactions.StatusQueued, getRun(t, srv, runPath(run.ID)+"/attempts/"+strconv.Itoa(rerun)).Status)
				got := getRun(t, srv, runPath(run.ID))
				assert.Equal(t, rerun, got.RunAttempt)
				assert.Equal(t, ghactions.StatusQueued, got.Status)
				assert.Equal(t, rerun, getRun(t, srv, runPath(run.ID)).RunAttempt, "and from then on")
				srv.CompleteRun(owner, repo, run.ID, failure)
			}
		})
	}
}

// A wait that starts right after a re-run and does not look at run_attempt
// takes the old attempt for the result: what the option lets a test catch.
func TestStaleAfterRerunFoolsAWaitThatIgnoresTheAttempt(t *testing.T) {
	srv, clock := liveServer(t, ghactionstest.WithStaleAfterRerun(1))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: failure}, ghactionstest.Job{Name: "build", Conclusion: failure})
	c, err := srv.Client()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.Runs.Rerun(ctx, owner, repo, run.ID, nil)
	require.NoError(t, err)

	got, err := c.Runs.Wait(ctx, owner, repo, run.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, got.RunAttempt, "the stale attempt")
	assert.Equal(t, failure, got.Conclusion)
	assert.Equal(t, t0, clock.Now(), "no poll: the first answer looked complete")

	got, err = c.Runs.Wait(ctx, owner, repo, run.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, got.RunAttempt)
	assert.Equal(t, success, got.Conclusion)
}

func TestWithStaleAfterRerunPanicsOnANegativeCount(t *testing.T) {
	assert.Panics(t, func() { ghactionstest.NewServer(ghactionstest.WithStaleAfterRerun(-1)) })
}
