package ghactionstest_test

import (
	"encoding/json"
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

func jobURL(id int64) string {
	return "repos/octo-org/octo-repo/actions/jobs/" + strconv.FormatInt(id, 10)
}

// jobsOf lists the jobs at target, decoded, with the answer.
func jobsOf(t *testing.T, srv *ghactionstest.Server, target string) (ghactions.JobsPage, reply) {
	t.Helper()
	r := call(t, srv, "GET", target, "")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var p ghactions.JobsPage
	require.NoError(t, json.Unmarshal(r.body, &p))
	return p, r
}

func jobNames(p ghactions.JobsPage) []string {
	var out []string
	for _, j := range p.Jobs {
		out = append(out, j.Name+"#"+strconv.Itoa(j.RunAttempt))
	}
	return out
}

func TestJobsOfARun(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := pipeline(srv)
	p, r := jobsOf(t, srv, runPath(run.ID)+"/jobs")
	assert.Equal(t, 6, p.TotalCount)
	assert.Equal(t, []string{"lint#1", "build#1", "test#1", "package#1", "docs#1", "e2e#1"}, jobNames(p))
	assert.Empty(t, r.header.Get("Link"), "one page")
	assert.Equal(t, p, mustJobs(t, srv, getRunJSON(t, srv, run.ID).JobsURL), "the run's jobs_url answers")

	build := p.Jobs[1]
	assert.Equal(t, int64(2), build.ID)
	assert.Equal(t, run.ID, build.RunID)
	assert.Equal(t, run.URL, build.RunURL)
	assert.Equal(t, run.HeadSHA, build.HeadSHA)
	assert.Equal(t, "CI", build.WorkflowName)
	assert.Equal(t, "main", build.HeadBranch)
	assert.Equal(t, srv.URL()+jobURL(2), build.URL)
	assert.Equal(t, ghactions.StatusCompleted, build.Status)
	assert.Equal(t, failure, build.Conclusion)
	assert.Equal(t, []string{"ubuntu-latest"}, build.Labels)
	assert.NotEmpty(t, build.RunnerName)
	assert.Equal(t, t0, build.StartedAt)
	assert.Equal(t, t0.Add(time.Minute), build.CompletedAt, "two steps of 30 s")
	require.Len(t, build.Steps, 2)
	assert.Equal(t, ghactions.Step{Name: "Set up job", Status: ghactions.StatusCompleted, Conclusion: success, Number: 1, StartedAt: t0, CompletedAt: t0.Add(30 * time.Second)}, build.Steps[0])
	assert.Equal(t, 2, build.Steps[1].Number)

	skippedJob := p.Jobs[2]
	assert.Equal(t, skipped, skippedJob.Conclusion)
	assert.Empty(t, skippedJob.Steps, "a job that did not run has no steps")
	assert.Empty(t, skippedJob.RunnerName, "nor a runner")

	g := call(t, srv, "GET", jobURL(2), "")
	require.Equal(t, http.StatusOK, g.status)
	var got ghactions.Job
	require.NoError(t, json.Unmarshal(g.body, &got))
	assert.Equal(t, *build, got)
	assert.NotEmpty(t, g.header.Get("ETag"))
}

func mustJobs(t *testing.T, srv *ghactionstest.Server, url string) ghactions.JobsPage {
	t.Helper()
	p, _ := jobsOf(t, srv, url)
	return p
}

func getRunJSON(t *testing.T, srv *ghactionstest.Server, id int64) ghactions.WorkflowRun {
	t.Helper()
	var run ghactions.WorkflowRun
	require.NoError(t, json.Unmarshal(call(t, srv, "GET", runPath(id), "").body, &run))
	return run
}

func TestJobsArePagedWithLinks(t *testing.T) {
	srv := newServer(t)
	var jobs []ghactionstest.Job
	for i := range 7 {
		jobs = append(jobs, ghactionstest.Job{Name: "shard " + strconv.Itoa(i+1)})
	}
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: success}, jobs...)
	var names []string
	target := runPath(run.ID) + "/jobs?per_page=3&filter=latest"
	for pages := 0; target != ""; pages++ {
		require.Less(t, pages, 3)
		p, r := jobsOf(t, srv, target)
		assert.Equal(t, 7, p.TotalCount)
		for _, j := range p.Jobs {
			names = append(names, j.Name)
		}
		target = ""
		for _, l := range strings.Split(r.header.Get("Link"), ", ") {
			if u, ok := strings.CutSuffix(l, `>; rel="next"`); ok {
				target = strings.TrimPrefix(u, "<")
				assert.Contains(t, target, "/repositories/", "links on the repository's ID, as GitHub's")
				assert.Contains(t, target, "per_page=3&filter=latest&page=", "the request's parameters, in its order")
			}
		}
	}
	assert.Equal(t, []string{"shard 1", "shard 2", "shard 3", "shard 4", "shard 5", "shard 6", "shard 7"}, names)

	p, _ := jobsOf(t, srv, runPath(run.ID)+"/jobs?per_page=500")
	assert.Len(t, p.Jobs, 7, "per_page above 100 is 100")
	p, _ = jobsOf(t, srv, runPath(run.ID)+"/jobs?page=9")
	assert.Empty(t, p.Jobs)
	assert.NotNil(t, p.Jobs, "an empty array, not null")
}

// A failed job re-run into a new attempt: the latest jobs show the new
// job and the jobs the attempt kept; filter=all shows every attempt's; an
// attempt shows its own.
func TestJobsAcrossAttempts(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := pipeline(srv)
	clock.Add(time.Hour)
	r := call(t, srv, "POST", jobPath(2), "")
	require.Equal(t, http.StatusCreated, r.status, "body: %s", r.body)

	latest, _ := jobsOf(t, srv, runPath(run.ID)+"/jobs")
	assert.Equal(t, []string{"lint#1", "build#2", "test#2", "package#2", "docs#1", "e2e#1"}, jobNames(latest))
	assert.NotEqual(t, int64(2), latest.Jobs[1].ID, "the re-run job has an ID of its own")
	assert.Equal(t, ghactions.StatusQueued, latest.Jobs[1].Status)
	assert.Empty(t, latest.Jobs[1].Steps)
	assert.Equal(t, t0.Add(time.Hour), latest.Jobs[1].CreatedAt)
	assert.Equal(t, t0.Add(time.Hour), latest.Jobs[1].StartedAt, "not started: the API shows when it was queued")
	assert.True(t, latest.Jobs[1].CompletedAt.IsZero())

	all, _ := jobsOf(t, srv, runPath(run.ID)+"/jobs?filter=all")
	assert.Equal(t, []string{"lint#1", "build#1", "test#1", "package#1", "docs#1", "e2e#1", "build#2", "test#2", "package#2"}, jobNames(all))

	first, _ := jobsOf(t, srv, runPath(run.ID)+"/attempts/1/jobs?filter=all")
	assert.Equal(t, []string{"lint#1", "build#1", "test#1", "package#1", "docs#1", "e2e#1"}, jobNames(first), "filter does not apply to an attempt")
	second, _ := jobsOf(t, srv, runPath(run.ID)+"/attempts/2/jobs")
	assert.Equal(t, jobNames(latest), jobNames(second))

	// The old job is still there, with its attempt.
	old := call(t, srv, "GET", jobURL(2), "").json(t)
	assert.Equal(t, float64(1), old["run_attempt"])
	assert.Equal(t, "failure", old["conclusion"])
}

func TestJobsNotFound(t *testing.T) {
	srv := newServer(t)
	run := pipeline(srv)
	other := srv.AddRun(owner, "other-repo", ghactions.WorkflowRun{Conclusion: success}, ghactionstest.Job{ID: 99})
	for _, target := range []string{
		runPath(999) + "/jobs",
		runPath(run.ID) + "/attempts/2/jobs",
		runPath(run.ID) + "/attempts/0/jobs",
		runPath(other.ID) + "/jobs",
		jobURL(999),
		jobURL(99), // of another repository
		jobURL(999) + "/logs",
		"repos/octo-org/octo-repo/actions/jobs/abc",
	} {
		requireError(t, call(t, srv, "GET", target, ""), http.StatusNotFound, "Not Found")
	}
	r := call(t, srv, "GET", runPath(run.ID)+"/jobs?filter=failed", "")
	requireError(t, r, http.StatusUnprocessableEntity, "Validation Failed")
}

// A job's log is the job's file of its attempt's archive, byte for byte,
// from the storage's origin, through a signed URL that takes no token.
func TestJobLogs(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: failure},
		ghactionstest.Job{ID: 7, Name: "build / linux: amd64", Conclusion: failure, Steps: []ghactionstest.Step{
			{Name: "Set up job", Log: []string{"Current runner version: '2.321.0'"}},
			{Name: "Run make", Conclusion: failure, Log: []string{"make: *** [all] Error 2"}},
			{Name: "Complete job"},
		}},
		ghactionstest.Job{ID: 8, Name: "no steps", Steps: []ghactionstest.Step{}},
	)
	loc := call(t, srv, "GET", jobURL(7)+"/logs", "")
	require.Equal(t, http.StatusFound, loc.status)
	u := loc.header.Get("Location")
	assert.Contains(t, u, "/storage/jobs/7/log.txt?")
	assert.Contains(t, u, "urlSignature=")
	r := download(t, srv, u)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "text/plain; charset=utf-8", r.header.Get("Content-Type"))
	_, files := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID))).body)
	assert.Equal(t, files["1_build  linux amd64.txt"], string(r.body), "the archive's text")
	assert.Contains(t, string(r.body), "##[error]Process completed with exit code 1.")

	noSteps := download(t, srv, logsURL(t, srv, jobURL(8)))
	require.Equal(t, http.StatusOK, noSteps.status)
	assert.Equal(t, "\uFEFF", string(noSteps.body), "a job without steps has an empty log")
	p, _ := jobsOf(t, srv, runPath(run.ID)+"/jobs")
	assert.NotNil(t, p.Jobs[1].Steps)
	assert.Empty(t, p.Jobs[1].Steps)

	assert.Equal(t, http.StatusForbidden, call(t, srv, "GET", u, "").status, "the token is refused at the storage")
	clock.Add(2 * time.Minute)
	assert.Equal(t, http.StatusForbidden, download(t, srv, u).status, "the URL expired")

	require.Equal(t, http.StatusNoContent, call(t, srv, "DELETE", runPath(run.ID)+"/logs", "").status)
	requireError(t, call(t, srv, "GET", jobURL(7)+"/logs", ""), http.StatusNotFound, "Not Found")
}

// In live mode, a job's steps go queued, in progress, completed, and its
// log is there once the job has completed, while its run goes on.
func TestJobsInLiveMode(t *testing.T) {
	srv, clock := liveServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{},
		ghactionstest.Job{Name: "build", Steps: steps("Set up job", "Run make", "Complete job")},
		ghactionstest.Job{Name: "test", Needs: []string{"build"}, Steps: steps("Set up job", "Run go test", "Complete job")},
	)
	statuses := func() string {
		p, _ := jobsOf(t, srv, runPath(run.ID)+"/jobs")
		var b strings.Builder
		for _, j := range p.Jobs {
			b.WriteString(j.Name + ":" + string(j.Status) + "[")
			for _, s := range j.Steps {
				b.WriteString(string(s.Status)[:1])
			}
			b.WriteString("] ")
		}
		return b.String()
	}
	assert.Equal(t, "build:queued[] test:queued[] ", statuses())
	clock.Advance(step * 5 / 2) // a step in the queue, one step done
	assert.Equal(t, "build:in_progress[ciq] test:queued[] ", statuses())
	p, _ := jobsOf(t, srv, runPath(run.ID)+"/jobs")
	assert.Equal(t, p.Jobs[0].StartedAt, p.Jobs[0].Steps[0].StartedAt)
	assert.True(t, p.Jobs[0].Steps[2].StartedAt.IsZero())
	requireError(t, call(t, srv, "GET", jobURL(p.Jobs[0].ID)+"/logs", ""), http.StatusNotFound, "Not Found")

	clock.Advance(3 * step) // the build done, the test a step in the queue and started
	assert.Equal(t, "build:completed[ccc] test:in_progress[iqq] ", statuses())
	assert.Equal(t, http.StatusFound, call(t, srv, "GET", jobURL(p.Jobs[0].ID)+"/logs", "").status, "the build's log, while the run goes on")
	requireError(t, call(t, srv, "GET", runPath(run.ID)+"/logs", ""), http.StatusNotFound, "Not Found")
}
