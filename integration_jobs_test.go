package ghactions_test

import (
	"context"
	"io"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// The jobs of a run through the client and the fake: 250 jobs in three
// requests, each job's log equal to its job in the archive, which JobFor
// finds by the job's real name.
func TestFakeJobs(t *testing.T) {
	srv, c := newFake(t)
	jobs := []ghactionstest.Job{
		{Name: "build / linux: amd64", Conclusion: ghactions.ConclusionFailure, Steps: []ghactionstest.Step{
			{Name: "Set up job", Log: []string{"Current runner version: '2.321.0'"}},
			{Name: "Run make", Conclusion: ghactions.ConclusionFailure, Log: []string{"make: *** [all] Error 2"}},
		}},
		{Name: longJobName},
		{Name: "no steps", Steps: []ghactionstest.Step{}},
	}
	for i := len(jobs); i < 250; i++ {
		jobs = append(jobs, ghactionstest.Job{Name: "shard " + strconv.Itoa(i)})
	}
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure}, jobs...)
	ctx := context.Background()

	from := len(srv.Requests())
	var got []*ghactions.Job
	for job, err := range c.Jobs.List(ctx, fakeOwner, fakeRepo, run.ID, nil) {
		require.NoError(t, err)
		got = append(got, job)
	}
	require.Len(t, got, 250)
	assert.Len(t, fakeRequestsSince(srv, from), 3, "250 jobs, three requests")
	for i, j := range got {
		assert.Equal(t, jobs[i].Name, j.Name)
		assert.Equal(t, run.ID, j.RunID)
	}
	assert.Equal(t, "Run make", got[0].Steps[1].Name)
	assert.Equal(t, ghactions.ConclusionFailure, got[0].Steps[1].Conclusion)
	assert.Empty(t, got[2].Steps)

	one, _, err := c.Jobs.Get(ctx, fakeOwner, fakeRepo, got[1].ID)
	require.NoError(t, err)
	assert.Equal(t, got[1], one)

	archive, err := c.Runs.DownloadLogArchive(ctx, fakeOwner, fakeRepo, run.ID)
	require.NoError(t, err)
	defer archive.Close()
	for _, j := range got[:3] {
		jl := archive.JobFor(j)
		require.NotNil(t, jl, j.Name)
		want := readJobLog(t, jl)
		rc, _, err := c.Jobs.Logs(ctx, fakeOwner, fakeRepo, j.ID)
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		assert.Equal(t, "\uFEFF"+want, string(b), "%s: the endpoint's log is the archive's", j.Name)
	}
	u, _, err := c.Jobs.LogsURL(ctx, fakeOwner, fakeRepo, got[0].ID)
	require.NoError(t, err)
	assert.Contains(t, u.Path, "/storage/jobs/")

	_, _, err = c.Jobs.Get(ctx, fakeOwner, fakeRepo, 1)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	_, _, err = c.Jobs.ListPage(ctx, fakeOwner, fakeRepo, run.ID, &ghactions.JobListOptions{Attempt: 2})
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
}

// A failed job re-run into a new attempt: the latest jobs, every
// attempt's, and each attempt's own.
func TestFakeJobsOfAttempts(t *testing.T) {
	srv, c := newFake(t)
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure},
		ghactionstest.Job{Name: "lint"},
		ghactionstest.Job{Name: "test: unit", Conclusion: ghactions.ConclusionFailure},
	)
	ctx := context.Background()
	list := func(opts *ghactions.JobListOptions) []string {
		page, _, err := c.Jobs.ListPage(ctx, fakeOwner, fakeRepo, run.ID, opts)
		require.NoError(t, err)
		var out []string
		for _, j := range page.Jobs {
			out = append(out, j.Name+"#"+strconv.Itoa(j.RunAttempt)+":"+string(j.Status))
		}
		return out
	}
	first := list(nil)
	require.Len(t, first, 2)
	page, _, err := c.Jobs.ListPage(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.NoError(t, err)
	_, err = c.Runs.RerunJob(ctx, fakeOwner, fakeRepo, page.Jobs[1].ID, nil)
	require.NoError(t, err)

	assert.Equal(t, []string{"lint#1:completed", "test: unit#2:queued"}, list(nil))
	assert.Equal(t, []string{"lint#1:completed", "test: unit#2:queued"}, list(&ghactions.JobListOptions{Filter: ghactions.JobFilterLatest}))
	assert.Equal(t, []string{"lint#1:completed", "test: unit#1:completed", "test: unit#2:queued"}, list(&ghactions.JobListOptions{Filter: ghactions.JobFilterAll}))
	assert.Equal(t, first, list(&ghactions.JobListOptions{Attempt: 1}))
	assert.Equal(t, list(nil), list(&ghactions.JobListOptions{Attempt: 2}))
}
