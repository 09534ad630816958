package ghactions_test

// Integration tests of the rest of the family and of Wait: the client
// against ghactionstest, through the fake's re-runs, approvals, deployment
// reviews and conditional requests.

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// fakeLast is the last request the fake received.
func fakeLast(t *testing.T, srv *ghactionstest.Server) ghactionstest.Request {
	t.Helper()
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	return reqs[len(reqs)-1]
}

// fakeRunPath is the path of a run as the fake receives it.
func fakeRunPath(id int64) string {
	return "/api/v3/repos/" + fakeOwner + "/" + fakeRepo + "/actions/runs/" + strconv.FormatInt(id, 10)
}

// fakeAPIError checks that err is the fake's answer of status, with message.
func fakeAPIError(t *testing.T, err error, sentinel error, status int, message string) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var apiErr *ghactions.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.Equal(t, message, apiErr.Message)
	assert.Contains(t, apiErr.DocumentationURL, "docs.github.com/rest/actions/workflow-runs#")
}

// fakeArchiveJobs lists the jobs whose logs an attempt's archive holds.
func fakeArchiveJobs(t *testing.T, c *ghactions.Client, runID int64, attempt int) []string {
	t.Helper()
	archive, err := c.Runs.DownloadAttemptLogArchive(context.Background(), fakeOwner, fakeRepo, runID, attempt)
	require.NoError(t, err)
	defer archive.Close()
	var names []string
	for _, j := range archive.Jobs {
		names = append(names, j.Name)
	}
	return names
}

func TestFakeRerunFailedJobs(t *testing.T) {
	srv, c := newDemo(t)
	ctx := context.Background()
	failed := fakeFirst(t, c, ghactions.ListOptions{Branch: "feature/login", Conclusion: ghactions.ConclusionFailure})

	resp, err := c.Runs.RerunFailedJobs(ctx, fakeOwner, fakeRepo, failed.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	req := fakeLast(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, fakeRunPath(failed.ID)+"/rerun-failed-jobs", req.Path)
	assert.Empty(t, req.Body, "no options, no body")

	second, _, err := c.Runs.GetAttempt(ctx, fakeOwner, fakeRepo, failed.ID, 2, nil)
	require.NoError(t, err)
	assert.Equal(t, ghactions.StatusQueued, second.Status)
	assert.Empty(t, second.Conclusion)
	assert.True(t, second.RunStartedAt.After(failed.RunStartedAt))
	first, _, err := c.Runs.GetAttempt(ctx, fakeOwner, fakeRepo, failed.ID, 1, nil)
	require.NoError(t, err)
	assert.Equal(t, failed, first)

	_, err = c.Runs.RerunFailedJobs(ctx, fakeOwner, fakeRepo, failed.ID, nil)
	fakeAPIError(t, err, ghactions.ErrForbidden, http.StatusForbidden, "This workflow is already running")

	// The new attempt re-ran the failed test only: the other jobs kept their
	// results, and their logs, from the first attempt.
	srv.CompleteRun(fakeOwner, fakeRepo, failed.ID, ghactions.ConclusionSuccess)
	assert.Equal(t, []string{"test (windows-latest)"}, fakeArchiveJobs(t, c, failed.ID, 2))
	assert.Len(t, fakeArchiveJobs(t, c, failed.ID, 1), 5)

	_, err = c.Runs.RerunFailedJobs(ctx, fakeOwner, fakeRepo, failed.ID, nil)
	fakeAPIError(t, err, ghactions.ErrForbidden, http.StatusForbidden, "This workflow run cannot be retried")

	// With debug logging: the body says so, and the logs show it.
	cancelled := fakeFirst(t, c, ghactions.ListOptions{Branch: "feature/login", Conclusion: ghactions.ConclusionCancelled})
	_, err = c.Runs.RerunFailedJobs(ctx, fakeOwner, fakeRepo, cancelled.ID, &ghactions.RerunOptions{EnableDebugLogging: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"enable_debug_logging":true}`, string(fakeLast(t, srv).Body))
	srv.CompleteRun(fakeOwner, fakeRepo, cancelled.ID, ghactions.ConclusionSuccess)
	archive, err := c.Runs.DownloadAttemptLogArchive(ctx, fakeOwner, fakeRepo, cancelled.ID, 2)
	require.NoError(t, err)
	defer archive.Close()
	require.Len(t, archive.Jobs, 3, "the three cancelled tests")
	assert.Contains(t, readJobLog(t, archive.Jobs[0]), "##[debug]Starting: ")
}

func TestFakeRerunJob(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess},
		ghactionstest.Job{ID: 501, Name: "lint"},
		ghactionstest.Job{ID: 502, Name: "build"},
		ghactionstest.Job{ID: 503, Name: "test", Needs: []string{"build"}},
		ghactionstest.Job{ID: 504, Name: "release", Needs: []string{"test"}},
	)
	running := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress}, ghactionstest.Job{ID: 601})

	resp, err := c.Runs.RerunJob(ctx, fakeOwner, fakeRepo, 502, &ghactions.RerunJobOptions{EnableDebugLogging: true, EnableDebugger: true})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	req := fakeLast(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "/api/v3/repos/"+fakeOwner+"/"+fakeRepo+"/actions/jobs/502/rerun", req.Path)
	assert.JSONEq(t, `{"enable_debug_logging":true,"enable_debugger":true}`, string(req.Body))

	got, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, got.RunAttempt)
	assert.Equal(t, ghactions.StatusQueued, got.Status)

	// The build re-ran with what needs it; lint kept its result.
	srv.CompleteRun(fakeOwner, fakeRepo, run.ID, ghactions.ConclusionSuccess)
	assert.Equal(t, []string{"build", "test", "release"}, fakeArchiveJobs(t, c, run.ID, 2))

	_, err = c.Runs.RerunJob(ctx, fakeOwner, fakeRepo, 601, nil)
	fakeAPIError(t, err, ghactions.ErrForbidden, http.StatusForbidden, "The workflow run containing this job is already running")
	assert.Empty(t, fakeLast(t, srv).Body, "no options, no body")
	_, err = c.Runs.RerunJob(ctx, fakeOwner, fakeRepo, 999, nil)
	require.ErrorIs(t, err, ghactions.ErrNotFound)
	_, err = c.Runs.RerunJob(ctx, fakeOwner, "other-repo", 502, nil)
	require.ErrorIs(t, err, ghactions.ErrNotFound, "a job of another repository")
	got, _, err = c.Runs.Get(ctx, fakeOwner, fakeRepo, running.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, got.RunAttempt)
}

func TestFakeApprove(t *testing.T) {
	srv, c := newDemo(t)
	ctx := context.Background()
	fork := fakeFirst(t, c, ghactions.ListOptions{Conclusion: ghactions.ConclusionActionRequired})
	require.Equal(t, ghactions.StatusCompleted, fork.Status, "GitHub shows a run awaiting approval as completed")

	resp, err := c.Runs.Approve(ctx, fakeOwner, fakeRepo, fork.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	req := fakeLast(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, fakeRunPath(fork.ID)+"/approve", req.Path)
	assert.Empty(t, req.Body)

	got, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, fork.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, ghactions.StatusQueued, got.Status)
	assert.Empty(t, got.Conclusion)
	assert.Equal(t, 1, got.RunAttempt)

	_, err = c.Runs.Approve(ctx, fakeOwner, fakeRepo, fork.ID)
	fakeAPIError(t, err, ghactions.ErrForbidden, http.StatusForbidden, "This run is not from a fork pull request or queued by the Actions bot")
	done := fakeFirst(t, c, ghactions.ListOptions{Conclusion: ghactions.ConclusionSuccess})
	_, err = c.Runs.Approve(ctx, fakeOwner, fakeRepo, done.ID)
	require.ErrorIs(t, err, ghactions.ErrForbidden)
}

func TestFakeReviewPendingDeployments(t *testing.T) {
	srv, c := newDemo(t)
	ctx := context.Background()
	deploy := fakeFirst(t, c, ghactions.ListOptions{Status: ghactions.StatusWaiting})

	history, resp, err := c.Runs.Approvals(ctx, fakeOwner, fakeRepo, deploy.ID)
	require.NoError(t, err)
	assert.Equal(t, fakeRunPath(deploy.ID)+"/approvals", resp.Request.URL.Path)
	require.Len(t, history, 1)
	assert.Equal(t, ghactions.ReviewApproved, history[0].State)
	assert.Equal(t, "monalisa", history[0].User.Login)
	require.Len(t, history[0].Environments, 1)
	assert.Equal(t, "staging", history[0].Environments[0].Name)
	assert.False(t, history[0].Environments[0].CreatedAt.IsZero())

	pending, resp, err := c.Runs.PendingDeployments(ctx, fakeOwner, fakeRepo, deploy.ID)
	require.NoError(t, err)
	assert.Equal(t, fakeRunPath(deploy.ID)+"/pending_deployments", resp.Request.URL.Path)
	require.Len(t, pending, 1)
	p := pending[0]
	assert.Equal(t, "production", p.Environment.Name)
	assert.NotZero(t, p.Environment.ID)
	assert.NotEmpty(t, p.Environment.NodeID)
	assert.Contains(t, p.Environment.URL, "/repos/octo-org/octo-repo/environments/production")
	assert.NotEmpty(t, p.Environment.HTMLURL)
	assert.Equal(t, 5, p.WaitTimer)
	assert.False(t, p.WaitTimerStartedAt.IsZero())
	assert.True(t, p.CurrentUserCanApprove)
	require.Len(t, p.Reviewers, 2)
	assert.Equal(t, "User", p.Reviewers[0].Type)
	assert.Equal(t, "octocat", p.Reviewers[0].User.Login)
	assert.Equal(t, "Team", p.Reviewers[1].Type)
	assert.Equal(t, "release-managers", p.Reviewers[1].Team.Slug)

	review := ghactions.PendingDeploymentsReview{EnvironmentIDs: []int64{p.Environment.ID}, State: ghactions.ReviewApproved, Comment: "Ship it"}
	deployments, resp, err := c.Runs.ReviewPendingDeployments(ctx, fakeOwner, fakeRepo, deploy.ID, review)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	req := fakeLast(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, fakeRunPath(deploy.ID)+"/pending_deployments", req.Path)
	assert.JSONEq(t, `{"environment_ids":[`+strconv.FormatInt(p.Environment.ID, 10)+`],"state":"approved","comment":"Ship it"}`, string(req.Body))
	require.Len(t, deployments, 1)
	d := deployments[0]
	assert.Equal(t, "production", d.Environment)
	assert.True(t, d.ProductionEnvironment)
	assert.Equal(t, deploy.HeadSHA, d.SHA)
	assert.Equal(t, deploy.HeadBranch, d.Ref)
	assert.Equal(t, map[string]any{}, d.Payload, "an object")
	assert.Equal(t, "github-actions[bot]", d.Creator.Login)
	require.NotNil(t, d.PerformedViaGitHubApp)
	assert.Equal(t, "github-actions", d.PerformedViaGitHubApp.Slug)
	assert.NotZero(t, d.ID)
	assert.NotEmpty(t, d.StatusesURL)

	run, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, deploy.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, ghactions.StatusInProgress, run.Status, "the build ran; the deployment is queued")
	pending, _, err = c.Runs.PendingDeployments(ctx, fakeOwner, fakeRepo, deploy.ID)
	require.NoError(t, err)
	assert.Empty(t, pending)
	history, _, err = c.Runs.Approvals(ctx, fakeOwner, fakeRepo, deploy.ID)
	require.NoError(t, err)
	require.Len(t, history, 2)
	assert.Equal(t, "octocat", history[1].User.Login)
	assert.Equal(t, "Ship it", history[1].Comment)
	assert.Equal(t, "production", history[1].Environments[0].Name)

	_, _, err = c.Runs.ReviewPendingDeployments(ctx, fakeOwner, fakeRepo, deploy.ID, review)
	fakeAPIError(t, err, ghactions.ErrUnprocessable, http.StatusUnprocessableEntity, "No pending deployment requests to approve or reject")
}

func TestFakeRejectPendingDeployments(t *testing.T) {
	_, c := newDemo(t)
	ctx := context.Background()
	deploy := fakeFirst(t, c, ghactions.ListOptions{Status: ghactions.StatusWaiting})
	pending, _, err := c.Runs.PendingDeployments(ctx, fakeOwner, fakeRepo, deploy.ID)
	require.NoError(t, err)
	require.Len(t, pending, 1)

	review := ghactions.PendingDeploymentsReview{EnvironmentIDs: []int64{pending[0].Environment.ID}, State: ghactions.ReviewRejected, Comment: "Not during the freeze"}
	deployments, resp, err := c.Runs.ReviewPendingDeployments(ctx, fakeOwner, fakeRepo, deploy.ID, review)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, deployments)

	run, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, deploy.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, ghactions.StatusCompleted, run.Status)
	assert.Equal(t, ghactions.ConclusionFailure, run.Conclusion)
	history, _, err := c.Runs.Approvals(ctx, fakeOwner, fakeRepo, deploy.ID)
	require.NoError(t, err)
	require.Len(t, history, 2)
	assert.Equal(t, ghactions.ReviewRejected, history[1].State)

	// The run failed: it may be re-run, the rejected deployment with it.
	_, err = c.Runs.RerunFailedJobs(ctx, fakeOwner, fakeRepo, deploy.ID, nil)
	require.NoError(t, err)
}

func TestFakeReviewDeploymentProtectionRule(t *testing.T) {
	srv, c := newFake(t)
	ctx := context.Background()
	srv.AddEnvironment(fakeOwner, fakeRepo, ghactionstest.Environment{Name: "production", CustomGate: true})
	waiting := func() *ghactions.WorkflowRun {
		return srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Status: ghactions.StatusWaiting},
			ghactionstest.Job{Name: "build", Status: ghactions.StatusCompleted},
			ghactionstest.Job{Name: "deploy", Status: ghactions.StatusWaiting, Needs: []string{"build"}, Environment: "production"},
		)
	}
	status := func(id int64) (ghactions.Status, ghactions.Conclusion) {
		t.Helper()
		run, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, id, nil)
		require.NoError(t, err)
		return run.Status, run.Conclusion
	}

	run := waiting()
	resp, err := c.Runs.ReviewDeploymentProtectionRule(ctx, fakeOwner, fakeRepo, run.ID, ghactions.DeploymentProtectionRuleReview{EnvironmentName: "production", Comment: "Waiting for the change window"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	req := fakeLast(t, srv)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, fakeRunPath(run.ID)+"/deployment_protection_rule", req.Path)
	assert.JSONEq(t, `{"environment_name":"production","comment":"Waiting for the change window"}`, string(req.Body))
	s, _ := status(run.ID)
	assert.Equal(t, ghactions.StatusWaiting, s, "a comment changes nothing")
	pending, _, err := c.Runs.PendingDeployments(ctx, fakeOwner, fakeRepo, run.ID)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	assert.Empty(t, pending[0].Reviewers, "a custom gate has no reviewers")
	assert.False(t, pending[0].CurrentUserCanApprove)

	_, err = c.Runs.ReviewDeploymentProtectionRule(ctx, fakeOwner, fakeRepo, run.ID, ghactions.DeploymentProtectionRuleReview{EnvironmentName: "production", State: ghactions.ReviewApproved})
	require.NoError(t, err)
	assert.JSONEq(t, `{"environment_name":"production","state":"approved"}`, string(fakeLast(t, srv).Body))
	s, _ = status(run.ID)
	assert.Equal(t, ghactions.StatusInProgress, s)
	history, _, err := c.Runs.Approvals(ctx, fakeOwner, fakeRepo, run.ID)
	require.NoError(t, err)
	require.Len(t, history, 2)
	assert.Equal(t, ghactions.ReviewPending, history[0].State, "the comment")
	assert.Equal(t, ghactions.ReviewApproved, history[1].State)
	_, err = c.Runs.ReviewDeploymentProtectionRule(ctx, fakeOwner, fakeRepo, run.ID, ghactions.DeploymentProtectionRuleReview{EnvironmentName: "production", State: ghactions.ReviewApproved})
	fakeAPIError(t, err, ghactions.ErrUnprocessable, http.StatusUnprocessableEntity, "Deployment protection rule has already been reviewed")

	rejected := waiting()
	_, err = c.Runs.ReviewDeploymentProtectionRule(ctx, fakeOwner, fakeRepo, rejected.ID, ghactions.DeploymentProtectionRuleReview{EnvironmentName: "production", State: ghactions.ReviewRejected, Comment: "Checks failed"})
	require.NoError(t, err)
	s, conclusion := status(rejected.ID)
	assert.Equal(t, ghactions.StatusCompleted, s)
	assert.Equal(t, ghactions.ConclusionFailure, conclusion)

	_, err = c.Runs.ReviewDeploymentProtectionRule(ctx, fakeOwner, fakeRepo, waiting().ID, ghactions.DeploymentProtectionRuleReview{EnvironmentName: "moon", State: ghactions.ReviewApproved})
	fakeAPIError(t, err, ghactions.ErrUnprocessable, http.StatusUnprocessableEntity, "No pending deployment requests to approve or reject")
}

// A run that takes 20 polls to finish, changing at 4 of them: Wait spends
// the rate limit on those 4 and on none of the 16 polls answered 304.
func TestWaitSpendsRateLimitOnlyOnChanges(t *testing.T) {
	srv := ghactionstest.NewServer()
	t.Cleanup(srv.Close)
	counter := &statusCounter{base: &http.Transport{DisableKeepAlives: true}, n: map[int]int{}}
	c, err := srv.Client(ghactions.WithHTTPClient(&http.Client{Transport: counter}), ghactions.WithRetryPolicy(fakeRetries))
	require.NoError(t, err)
	ctx := context.Background()
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Status: ghactions.StatusQueued})
	_, resp, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.NoError(t, err)
	before := resp.Rate.Used
	counter.reset()

	// The run moves at the polls chosen, before the fake answers them.
	const polls = 20
	changes := map[int]func(*ghactions.WorkflowRun){
		5:  func(r *ghactions.WorkflowRun) { r.Status = ghactions.StatusInProgress },
		13: func(r *ghactions.WorkflowRun) { r.UpdatedAt = r.UpdatedAt.Add(time.Minute) }, // a job finished
		polls: func(r *ghactions.WorkflowRun) {
			r.Status, r.Conclusion = ghactions.StatusCompleted, ghactions.ConclusionSuccess
		},
	}
	var mu sync.Mutex
	made := 0
	srv.OnRequest(func(r ghactionstest.Request) {
		if r.Method != http.MethodGet || r.Path != fakeRunPath(run.ID) {
			return
		}
		mu.Lock()
		made++
		change := changes[made]
		mu.Unlock()
		if change != nil {
			srv.UpdateRun(fakeOwner, fakeRepo, run.ID, change)
		}
	})
	var seen []ghactions.Status
	got, err := c.Runs.Wait(ctx, fakeOwner, fakeRepo, run.ID, &ghactions.WaitOptions{
		Interval: time.Millisecond,
		OnChange: func(r *ghactions.WorkflowRun) { seen = append(seen, r.Status) },
	})
	require.NoError(t, err)
	assert.Equal(t, ghactions.ConclusionSuccess, got.Conclusion)
	assert.Equal(t, []ghactions.Status{ghactions.StatusQueued, ghactions.StatusInProgress, ghactions.StatusCompleted}, seen)

	spent := c.Rate().Used - before
	notModified := counter.count(http.StatusNotModified)
	t.Logf("polls made: %d, answers 304: %d, answers 200: %d, rate limit spent: %d", made, notModified, counter.count(http.StatusOK), spent)
	assert.Equal(t, polls, made)
	assert.Len(t, srv.Requests(), 1+polls)
	assert.Equal(t, polls-4, notModified)
	assert.Equal(t, 4, counter.count(http.StatusOK), "the first answer and the 3 changes")
	assert.Equal(t, 4, spent, "only the answers that changed spend the rate limit")
	assert.Equal(t, 5000-before-4, c.Rate().Remaining)
}

// statusCounter counts the statuses of the answers that pass through it.
type statusCounter struct {
	base http.RoundTripper
	mu   sync.Mutex
	n    map[int]int
}

func (c *statusCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err == nil {
		c.mu.Lock()
		c.n[resp.StatusCode]++
		c.mu.Unlock()
	}
	return resp, err
}

func (c *statusCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = map[int]int{}
}

func (c *statusCounter) count(status int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[status]
}
