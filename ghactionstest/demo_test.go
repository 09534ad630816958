package ghactionstest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestSeedDemo(t *testing.T) {
	srv := newServer(t, ghactionstest.WithClock(newClock().Now))
	srv.SeedDemo()
	p, _ := listPage(t, srv, runs+"?per_page=100")
	require.Equal(t, len(p.WorkflowRuns), p.TotalCount)
	require.Equal(t, 46, p.TotalCount, "as SeedDemo says")

	seen := map[string]map[string]bool{}
	see := func(kind, value string) {
		if seen[kind] == nil {
			seen[kind] = map[string]bool{}
		}
		seen[kind][value] = true
	}
	for i, run := range p.WorkflowRuns {
		assert.Equal(t, ghactionstest.DemoOwner+"/"+ghactionstest.DemoRepo, run.Repository.FullName)
		see("workflow", run.Name)
		see("branch", run.HeadBranch)
		see("event", run.Event)
		see("actor", run.Actor.Login)
		see("actor type", run.Actor.Type)
		see("status", string(run.Status))
		see("conclusion", string(run.Conclusion))
		see("attempt", string(rune('0'+run.RunAttempt)))
		if len(run.PullRequests) > 0 {
			see("pull request", "yes")
		}
		if i > 0 {
			prev := p.WorkflowRuns[i-1]
			assert.False(t, run.CreatedAt.After(prev.CreatedAt), "newest first")
			assert.Less(t, run.ID, prev.ID, "IDs grow with time")
		}
	}
	assert.Len(t, seen["workflow"], 5)
	assert.GreaterOrEqual(t, len(seen["branch"]), 5)
	assert.GreaterOrEqual(t, len(seen["event"]), 5)
	assert.GreaterOrEqual(t, len(seen["actor"]), 5)
	assert.Equal(t, map[string]bool{"User": true, "Bot": true}, seen["actor type"])
	assert.Len(t, seen["status"], 6, "every status: %v", seen["status"])
	assert.Len(t, seen["conclusion"], 10, "every conclusion, and none: %v", seen["conclusion"])
	assert.Equal(t, map[string]bool{"1": true, "2": true, "3": true}, seen["attempt"])
	assert.True(t, seen["pull request"]["yes"])

	// Every completed run with jobs that ran has logs, laid out as GitHub's.
	archives := 0
	for _, run := range p.WorkflowRuns {
		r := call(t, srv, "GET", runPath(run.ID)+"/logs", "")
		if run.Status != ghactions.StatusCompleted {
			assert.Equal(t, http.StatusNotFound, r.status)
			continue
		}
		require.Equal(t, http.StatusFound, r.status)
		names, files := unzip(t, download(t, srv, r.header.Get("Location")).body)
		for _, name := range names {
			assert.True(t, strings.HasSuffix(name, ".txt"))
			assert.NotEmpty(t, files[name])
		}
		if len(names) > 0 {
			archives++
		}
	}
	assert.Greater(t, archives, 20)

	failed, _ := listPage(t, srv, runs+"?status=failure&branch=feature%2Flogin&event=pull_request&per_page=1")
	_, files := unzip(t, download(t, srv, logsURL(t, srv, runPath(failed.WorkflowRuns[0].ID))).body)
	assert.Contains(t, files["5_test (windows-latest).txt"], "##[error]Process completed with exit code 1.")

	nightly, _ := listPage(t, srv, "repos/octo-org/octo-repo/actions/workflows/nightly.yml/runs?status=timed_out")
	names, _ := unzip(t, download(t, srv, logsURL(t, srv, runPath(nightly.WorkflowRuns[0].ID))).body)
	assert.Equal(t, "1_integration tests against all supported database engines, message brokers, object stores \uFFFD.txt", names[0],
		"the name is cut inside an emoji, as GitHub cuts it")

	srv.SeedDemo()
	again, _ := listPage(t, srv, runs+"?per_page=1")
	assert.Equal(t, 2*p.TotalCount, again.TotalCount)
	assert.Equal(t, p.WorkflowRuns[0].DisplayTitle, again.WorkflowRuns[0].DisplayTitle)
	assert.NotEqual(t, p.WorkflowRuns[0].HeadSHA, again.WorkflowRuns[0].HeadSHA, "another history, other commits")
}

// The demo has a run to approve, a deployment to review with a history, and
// failed jobs to re-run.
func TestSeedDemoHasRunsToReviewAndRerun(t *testing.T) {
	srv := newServer(t, ghactionstest.WithClock(newClock().Now))
	srv.SeedDemo()
	first := func(query string) ghactions.WorkflowRun {
		t.Helper()
		p, _ := listPage(t, srv, runs+"?per_page=1&"+query)
		require.NotEmpty(t, p.WorkflowRuns, query)
		return p.WorkflowRuns[0]
	}

	fork := first("status=action_required")
	assert.Equal(t, "first-timer/octo-repo", fork.HeadRepository.FullName)
	assert.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(fork.ID)+"/approve", "").status)
	assert.Equal(t, ghactions.StatusQueued, getRun(t, srv, runPath(fork.ID)).Status)

	deploy := first("status=waiting")
	f := deployFixture{srv: srv, run: &deploy}
	pending := f.pending(t)
	require.Len(t, pending, 1)
	assert.Equal(t, "production", pending[0]["environment"].(map[string]any)["name"])
	assert.Equal(t, true, pending[0]["current_user_can_approve"])
	assert.Len(t, pending[0]["reviewers"], 2)
	history := f.approvals(t)
	require.Len(t, history, 1)
	assert.Equal(t, "monalisa", history[0].User.Login)
	assert.Equal(t, "staging", history[0].Environments[0].Name)

	failed := first("status=failure&branch=feature%2Flogin")
	assert.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(failed.ID)+"/rerun-failed-jobs", "").status)
	srv.CompleteRun(ghactionstest.DemoOwner, ghactionstest.DemoRepo, failed.ID, ghactions.ConclusionSuccess)
	assert.Equal(t, []string{"test (windows-latest)"}, jobsInArchive(t, srv, runPath(failed.ID)+"/attempts/2"))

	cancelled := first("status=cancelled&branch=feature%2Flogin")
	assert.Equal(t, http.StatusCreated, call(t, srv, "POST", runPath(cancelled.ID)+"/rerun-failed-jobs", "").status)
	srv.CompleteRun(ghactionstest.DemoOwner, ghactionstest.DemoRepo, cancelled.ID, ghactions.ConclusionSuccess)
	assert.Equal(t, []string{"test (ubuntu-latest)", "test (macos-latest)", "test (windows-latest)"}, jobsInArchive(t, srv, runPath(cancelled.ID)+"/attempts/2"))
}

// The demo is the same on every server, whenever it starts: only its times,
// which follow the clock, and the server's address differ.
func TestSeedDemoIsTheSameOnEveryStart(t *testing.T) {
	snapshot := func(start time.Time) string {
		srv := newServer(t, ghactionstest.WithSharedClock(ghactionstest.NewClock(start)))
		srv.SeedDemo()
		c, err := srv.Client()
		require.NoError(t, err)
		ctx := context.Background()
		var out []any
		page, _, err := c.Runs.ListPage(ctx, owner, repo, &ghactions.ListOptions{PerPage: 100})
		require.NoError(t, err)
		out = append(out, page)
		for _, run := range page.WorkflowRuns {
			usage, _, err := c.Runs.Usage(ctx, owner, repo, run.ID)
			require.NoError(t, err)
			approvals, _, err := c.Runs.Approvals(ctx, owner, repo, run.ID)
			require.NoError(t, err)
			pending, _, err := c.Runs.PendingDeployments(ctx, owner, repo, run.ID)
			require.NoError(t, err)
			out = append(out, usage, approvals, pending)
			if run.Status != ghactions.StatusCompleted {
				continue
			}
			rc, _, err := c.Runs.Logs(ctx, owner, repo, run.ID)
			require.NoError(t, err)
			zip, err := io.ReadAll(rc)
			rc.Close()
			require.NoError(t, err)
			names, files := unzip(t, zip)
			for _, name := range names {
				out = append(out, name, files[name])
			}
		}
		b, err := json.Marshal(out)
		require.NoError(t, err)
		return normalise(string(b), srv.URL(), start)
	}
	first := snapshot(t0)
	assert.Equal(t, first, snapshot(t0.Add(37*time.Hour+13*time.Second)))
	assert.Contains(t, first, `"head_sha":"`)
}

// stamp is a time as the API and the runner's logs write it.
var stamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

// normalise replaces the server's address in text, and every time by how far
// it is from start.
func normalise(text, apiURL string, start time.Time) string {
	u, _ := url.Parse(apiURL)
	text = strings.ReplaceAll(text, u.Host, "HOST")
	return stamp.ReplaceAllStringFunc(text, func(s string) string {
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return s
		}
		return "start" + at.Sub(start).String()
	})
}

// On a live server, the demo's runs under way complete by themselves; those
// that wait for people wait.
func TestSeedDemoLive(t *testing.T) {
	srv, clock := liveServer(t, ghactionstest.WithLive(time.Second))
	srv.SeedDemo()
	inProgress := demoRunWith(t, srv, "status=in_progress")
	clock.Advance(8 * time.Second)
	assert.Equal(t, ghactions.StatusInProgress, getRun(t, srv, runPath(inProgress.ID)).Status)
	clock.Advance(time.Second)
	got := getRun(t, srv, runPath(inProgress.ID))
	assert.Equal(t, ghactions.StatusCompleted, got.Status)
	assert.Equal(t, ghactions.ConclusionSuccess, got.Conclusion)
	assert.Equal(t, t0.Add(9*time.Second), got.UpdatedAt)
	assert.Equal(t, []string{"lint", "build", "test (ubuntu-latest)", "test (macos-latest)", "test (windows-latest)"}, jobsInArchive(t, srv, runPath(inProgress.ID)))

	clock.Advance(time.Hour)
	p, _ := listPage(t, srv, runs+"?per_page=100")
	statuses := map[ghactions.Status]int{}
	for _, run := range p.WorkflowRuns {
		statuses[run.Status]++
	}
	assert.Equal(t, map[ghactions.Status]int{ghactions.StatusCompleted: 45, ghactions.StatusWaiting: 1}, statuses)
	assert.Equal(t, ghactions.ConclusionActionRequired, demoRunWith(t, srv, "actor=first-timer").Conclusion)
}

// demoRunWith finds the newest run of the demo that a query matches.
func demoRunWith(t *testing.T, srv *ghactionstest.Server, query string) ghactions.WorkflowRun {
	t.Helper()
	p, _ := listPage(t, srv, runs+"?per_page=1&"+query)
	require.NotEmpty(t, p.WorkflowRuns, query)
	return p.WorkflowRuns[0]
}
