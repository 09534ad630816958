package ghactions_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// Re-run, then wait: with MinAttempt, Wait passes the old attempt that
// GitHub (and the fake, WithStaleAfterRerun) still shows for a moment, and
// returns the re-run's result.
func TestFakeWaitAfterRerunWithMinAttempt(t *testing.T) {
	for _, rerun := range []struct {
		name string
		do   func(ctx context.Context, c *ghactions.Client, run *ghactions.WorkflowRun, jobID int64) error
	}{
		{"Rerun", func(ctx context.Context, c *ghactions.Client, run *ghactions.WorkflowRun, _ int64) error {
			_, err := c.Runs.Rerun(ctx, fakeOwner, fakeRepo, run.ID, nil)
			return err
		}},
		{"RerunFailedJobs", func(ctx context.Context, c *ghactions.Client, run *ghactions.WorkflowRun, _ int64) error {
			_, err := c.Runs.RerunFailedJobs(ctx, fakeOwner, fakeRepo, run.ID, nil)
			return err
		}},
		{"RerunJob", func(ctx context.Context, c *ghactions.Client, _ *ghactions.WorkflowRun, jobID int64) error {
			_, err := c.Runs.RerunJob(ctx, fakeOwner, fakeRepo, jobID, nil)
			return err
		}},
	} {
		t.Run(rerun.name, func(t *testing.T) {
			clock := ghactionstest.NewClock(time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC))
			srv, c := newFake(t, ghactionstest.WithSharedClock(clock), ghactionstest.WithLive(time.Second), ghactionstest.WithStaleAfterRerun(2))
			run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure},
				ghactionstest.Job{Name: "build", Conclusion: ghactions.ConclusionFailure})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var jobID int64
			for job, err := range c.Jobs.List(ctx, fakeOwner, fakeRepo, run.ID, nil) {
				require.NoError(t, err)
				jobID = job.ID
			}
			require.NoError(t, rerun.do(ctx, c, run, jobID))

			var seen []int
			got, err := c.Runs.Wait(ctx, fakeOwner, fakeRepo, run.ID, &ghactions.WaitOptions{
				MinAttempt: run.RunAttempt + 1,
				OnPoll:     func(r *ghactions.WorkflowRun) { seen = append(seen, r.RunAttempt) },
			})
			require.NoError(t, err)
			assert.Equal(t, 2, got.RunAttempt)
			assert.Equal(t, ghactions.StatusCompleted, got.Status)
			assert.Equal(t, ghactions.ConclusionSuccess, got.Conclusion, "the fake's re-run succeeds")
			require.GreaterOrEqual(t, len(seen), 3)
			assert.Equal(t, []int{1, 1}, seen[:2], "the stale answers were seen, and passed")
		})
	}
}
