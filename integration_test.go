package ghactions_test

// Integration tests: the client against ghactionstest, the fake of the API,
// for every endpoint of the seed, through the fake's state, its signed log
// storage and its injected faults.

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

const (
	fakeOwner = ghactionstest.DemoOwner
	fakeRepo  = ghactionstest.DemoRepo
)

// fakeRetries retries at once: backoffs of milliseconds, and rate-limit
// waits of up to a second (a Retry-After of 0, or a reset already past).
var fakeRetries = ghactions.RetryPolicy{
	MaxRetries:       3,
	MinBackoff:       time.Millisecond,
	MaxBackoff:       5 * time.Millisecond,
	MaxRateLimitWait: time.Second,
}

// newFake starts a fake, stopped when the test ends, and a client of it.
func newFake(t *testing.T, opts ...ghactionstest.Option) (*ghactionstest.Server, *ghactions.Client) {
	t.Helper()
	srv := ghactionstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.Client(ghactions.WithRetryPolicy(fakeRetries))
	require.NoError(t, err)
	return srv, c
}

// newDemo is newFake with the demo repository.
func newDemo(t *testing.T) (*ghactionstest.Server, *ghactions.Client) {
	t.Helper()
	srv, c := newFake(t)
	srv.SeedDemo()
	return srv, c
}

// fakeFirst returns the newest demo run that opts select.
func fakeFirst(t *testing.T, c *ghactions.Client, opts ghactions.ListOptions) *ghactions.WorkflowRun {
	t.Helper()
	opts.PerPage = 1
	page, _, err := c.Runs.ListPage(context.Background(), fakeOwner, fakeRepo, &opts)
	require.NoError(t, err)
	require.NotEmpty(t, page.WorkflowRuns, "no demo run for %+v", opts)
	return page.WorkflowRuns[0]
}

// fakeAll lists every run opts select.
func fakeAll(t *testing.T, c *ghactions.Client, opts *ghactions.ListOptions) []*ghactions.WorkflowRun {
	t.Helper()
	var all []*ghactions.WorkflowRun
	for run, err := range c.Runs.List(context.Background(), fakeOwner, fakeRepo, opts) {
		require.NoError(t, err)
		all = append(all, run)
	}
	return all
}

func TestFakeListPage(t *testing.T) {
	_, c := newDemo(t)
	page, resp, err := c.Runs.ListPage(context.Background(), fakeOwner, fakeRepo, nil)
	require.NoError(t, err)
	assert.Len(t, page.WorkflowRuns, 30, "GitHub's default page size")
	assert.Greater(t, page.TotalCount, 30)
	assert.Equal(t, 2, resp.NextPage)
	assert.Equal(t, 2, resp.LastPage)
	assert.Zero(t, resp.PrevPage)
	assert.Equal(t, 4999, resp.Rate.Remaining)
	assert.Equal(t, "core", resp.Rate.Resource)

	second, resp, err := c.Runs.ListPage(context.Background(), fakeOwner, fakeRepo, &ghactions.ListOptions{Page: 2})
	require.NoError(t, err)
	assert.Len(t, second.WorkflowRuns, page.TotalCount-30)
	assert.Equal(t, 1, resp.PrevPage)
	assert.Equal(t, 1, resp.FirstPage)
	assert.Zero(t, resp.NextPage)
	assert.Equal(t, 4998, c.Rate().Remaining)
}

func TestFakeListFollowsTheLinks(t *testing.T) {
	srv, c := newDemo(t)
	page, _, err := c.Runs.ListPage(context.Background(), fakeOwner, fakeRepo, &ghactions.ListOptions{PerPage: 1})
	require.NoError(t, err)
	before := len(srv.Requests())

	all := fakeAll(t, c, &ghactions.ListOptions{PerPage: 7})
	require.Len(t, all, page.TotalCount)
	for i := 1; i < len(all); i++ {
		assert.False(t, all[i].CreatedAt.After(all[i-1].CreatedAt), "newest first")
		assert.NotEqual(t, all[i].ID, all[i-1].ID)
	}
	reqs := srv.Requests()[before:]
	assert.Len(t, reqs, (page.TotalCount+6)/7)
	for _, r := range reqs[1:] {
		assert.True(t, strings.HasPrefix(r.Path, "/api/v3/repositories/"), "the client follows GitHub's links: %s", r.Path)
		assert.Equal(t, "7", r.Query.Get("per_page"))
	}
}

func TestFakeListStopsEarly(t *testing.T) {
	srv, c := newDemo(t)
	n := 0
	for _, err := range c.Runs.List(context.Background(), fakeOwner, fakeRepo, &ghactions.ListOptions{PerPage: 5}) {
		require.NoError(t, err)
		if n++; n == 3 {
			break
		}
	}
	assert.Len(t, srv.Requests(), 1)
}

func TestFakeListFilters(t *testing.T) {
	_, c := newDemo(t)
	all := fakeAll(t, c, nil)
	sample := fakeFirst(t, c, ghactions.ListOptions{Branch: "feature/login", Conclusion: ghactions.ConclusionFailure})
	day := all[len(all)/2].CreatedAt.UTC().Format("2006-01-02")

	tests := []struct {
		name string
		opts ghactions.ListOptions
		want func(*ghactions.WorkflowRun) bool
	}{
		{"workflow file", ghactions.ListOptions{Workflow: "nightly.yml"}, func(r *ghactions.WorkflowRun) bool { return r.Path == ".github/workflows/nightly.yml" }},
		{"workflow ID", ghactions.ListOptions{Workflow: strconv.FormatInt(sample.WorkflowID, 10)}, func(r *ghactions.WorkflowRun) bool { return r.WorkflowID == sample.WorkflowID }},
		{"actor", ghactions.ListOptions{Actor: "dependabot[bot]"}, func(r *ghactions.WorkflowRun) bool { return r.Actor.Login == "dependabot[bot]" }},
		{"branch", ghactions.ListOptions{Branch: "fix/flaky-test"}, func(r *ghactions.WorkflowRun) bool { return r.HeadBranch == "fix/flaky-test" }},
		{"event", ghactions.ListOptions{Event: "schedule"}, func(r *ghactions.WorkflowRun) bool { return r.Event == "schedule" }},
		{"status", ghactions.ListOptions{Status: ghactions.StatusWaiting}, func(r *ghactions.WorkflowRun) bool { return r.Status == ghactions.StatusWaiting }},
		{"completed", ghactions.ListOptions{Status: ghactions.StatusCompleted}, func(r *ghactions.WorkflowRun) bool { return r.Status == ghactions.StatusCompleted }},
		{"conclusion", ghactions.ListOptions{Conclusion: ghactions.ConclusionCancelled}, func(r *ghactions.WorkflowRun) bool { return r.Conclusion == ghactions.ConclusionCancelled }},
		{"created", ghactions.ListOptions{Created: day}, func(r *ghactions.WorkflowRun) bool { return r.CreatedAt.UTC().Format("2006-01-02") == day }},
		{"created range", ghactions.ListOptions{Created: ">=" + day}, func(r *ghactions.WorkflowRun) bool { return r.CreatedAt.UTC().Format("2006-01-02") >= day }},
		{"head SHA", ghactions.ListOptions{HeadSHA: sample.HeadSHA}, func(r *ghactions.WorkflowRun) bool { return r.HeadSHA == sample.HeadSHA }},
		{"check suite", ghactions.ListOptions{CheckSuiteID: sample.CheckSuiteID}, func(r *ghactions.WorkflowRun) bool { return r.CheckSuiteID == sample.CheckSuiteID }},
		{"combined", ghactions.ListOptions{Workflow: "ci.yml", Branch: "main", Conclusion: ghactions.ConclusionSuccess}, func(r *ghactions.WorkflowRun) bool {
			return r.Name == "CI" && r.HeadBranch == "main" && r.Conclusion == ghactions.ConclusionSuccess
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			got := fakeAll(t, c, &opts)
			var want []int64
			for _, r := range all {
				if tt.want(r) {
					want = append(want, r.ID)
				}
			}
			require.NotEmpty(t, want, "the demo has such runs")
			var ids []int64
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			assert.Equal(t, want, ids)
		})
	}

	t.Run("exclude pull requests", func(t *testing.T) {
		withPRs := fakeAll(t, c, &ghactions.ListOptions{HeadSHA: sample.HeadSHA})
		require.NotEmpty(t, withPRs[0].PullRequests)
		without := fakeAll(t, c, &ghactions.ListOptions{HeadSHA: sample.HeadSHA, ExcludePullRequests: true})
		assert.Empty(t, without[0].PullRequests)
	})
}

func TestFakeGetAndGetAttempt(t *testing.T) {
	_, c := newDemo(t)
	ctx := context.Background()
	nightly := fakeFirst(t, c, ghactions.ListOptions{Workflow: "nightly.yml", Conclusion: ghactions.ConclusionSuccess})
	require.Equal(t, 3, nightly.RunAttempt)

	run, resp, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, nightly.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, nightly, run)
	assert.NotEmpty(t, resp.Header.Get("ETag"))

	for n := 1; n <= 3; n++ {
		a, _, err := c.Runs.GetAttempt(ctx, fakeOwner, fakeRepo, nightly.ID, n, nil)
		require.NoError(t, err)
		assert.Equal(t, n, a.RunAttempt)
		assert.Equal(t, n == 3, a.Conclusion == ghactions.ConclusionSuccess)
		if n > 1 {
			assert.Equal(t, nightly.URL+"/attempts/"+strconv.Itoa(n-1), a.PreviousAttemptURL)
		}
	}
	_, _, err = c.Runs.GetAttempt(ctx, fakeOwner, fakeRepo, nightly.ID, 4, nil)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)

	pr := fakeFirst(t, c, ghactions.ListOptions{Event: "pull_request", Conclusion: ghactions.ConclusionFailure})
	require.NotEmpty(t, pr.PullRequests)
	run, _, err = c.Runs.Get(ctx, fakeOwner, fakeRepo, pr.ID, &ghactions.GetOptions{ExcludePullRequests: true})
	require.NoError(t, err)
	assert.Empty(t, run.PullRequests)
}

func TestFakeCancelAndForceCancel(t *testing.T) {
	for _, force := range []bool{false, true} {
		t.Run("force "+strconv.FormatBool(force), func(t *testing.T) {
			_, c := newDemo(t)
			ctx := context.Background()
			cancel := c.Runs.Cancel
			if force {
				cancel = c.Runs.ForceCancel
			}
			running := fakeFirst(t, c, ghactions.ListOptions{Status: ghactions.StatusInProgress})

			resp, err := cancel(ctx, fakeOwner, fakeRepo, running.ID)
			require.NoError(t, err)
			assert.Equal(t, http.StatusAccepted, resp.StatusCode)
			run, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, running.ID, nil)
			require.NoError(t, err)
			assert.Equal(t, ghactions.StatusCompleted, run.Status)
			assert.Equal(t, ghactions.ConclusionCancelled, run.Conclusion)

			_, err = cancel(ctx, fakeOwner, fakeRepo, running.ID)
			require.ErrorIs(t, err, ghactions.ErrConflict)
			var apiErr *ghactions.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "Cannot cancel a workflow run that is completed.", apiErr.Message)
			assert.Contains(t, apiErr.DocumentationURL, "docs.github.com")
			assert.NotEmpty(t, apiErr.RequestID)
		})
	}
}

func TestFakeRerun(t *testing.T) {
	srv, c := newDemo(t)
	ctx := context.Background()
	failed := fakeFirst(t, c, ghactions.ListOptions{Conclusion: ghactions.ConclusionFailure})

	resp, err := c.Runs.Rerun(ctx, fakeOwner, fakeRepo, failed.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	reqs := srv.Requests()
	assert.Empty(t, reqs[len(reqs)-1].Body, "no options, no body")

	run, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, failed.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, run.RunAttempt)
	assert.Equal(t, ghactions.StatusQueued, run.Status)
	assert.Empty(t, run.Conclusion)
	assert.True(t, run.RunStartedAt.After(failed.RunStartedAt))
	first, _, err := c.Runs.GetAttempt(ctx, fakeOwner, fakeRepo, failed.ID, 1, nil)
	require.NoError(t, err)
	assert.Equal(t, failed, first)

	_, err = c.Runs.Rerun(ctx, fakeOwner, fakeRepo, failed.ID, nil)
	require.ErrorIs(t, err, ghactions.ErrForbidden, "a queued run is running")

	_, err = c.Runs.Cancel(ctx, fakeOwner, fakeRepo, failed.ID)
	require.NoError(t, err)
	_, err = c.Runs.Rerun(ctx, fakeOwner, fakeRepo, failed.ID, &ghactions.RerunOptions{EnableDebugLogging: true})
	require.NoError(t, err)
	reqs = srv.Requests()
	assert.JSONEq(t, `{"enable_debug_logging":true}`, string(reqs[len(reqs)-1].Body))

	// The debug attempt, once it ran, logs the runner's debug lines.
	srv.CompleteRun(fakeOwner, fakeRepo, failed.ID, ghactions.ConclusionSuccess)
	archive, err := c.Runs.DownloadAttemptLogArchive(ctx, fakeOwner, fakeRepo, failed.ID, 3)
	require.NoError(t, err)
	defer archive.Close()
	require.NotEmpty(t, archive.Jobs)
	assert.Contains(t, readJobLog(t, archive.Jobs[0]), "##[debug]Starting: ")
}

func readJobLog(t *testing.T, j *ghactions.JobLog) string {
	t.Helper()
	rc, err := j.Open()
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return string(b)
}

func TestFakeLogs(t *testing.T) {
	srv, c := newDemo(t)
	ctx := context.Background()
	failed := fakeFirst(t, c, ghactions.ListOptions{Branch: "feature/login", Conclusion: ghactions.ConclusionFailure})

	loc, resp, err := c.Runs.LogsURL(ctx, fakeOwner, fakeRepo, failed.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, "/storage/runs/"+strconv.FormatInt(failed.ID, 10)+"/attempts/1/logs.zip", loc.Path)
	assert.NotEmpty(t, loc.Query().Get("urlSignature"))
	aloc, _, err := c.Runs.AttemptLogsURL(ctx, fakeOwner, fakeRepo, failed.ID, 1)
	require.NoError(t, err)
	assert.Equal(t, loc.Path, aloc.Path)

	for name, logs := range map[string]func() (io.ReadCloser, *ghactions.Response, error){
		"run": func() (io.ReadCloser, *ghactions.Response, error) {
			return c.Runs.Logs(ctx, fakeOwner, fakeRepo, failed.ID)
		},
		"attempt": func() (io.ReadCloser, *ghactions.Response, error) {
			return c.Runs.AttemptLogs(ctx, fakeOwner, fakeRepo, failed.ID, 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			before := len(srv.Requests())
			rc, resp, err := logs()
			require.NoError(t, err, "the storage refuses a request with a token: the client sent none")
			data, err := io.ReadAll(rc)
			require.NoError(t, rc.Close())
			require.NoError(t, err)
			assert.Equal(t, "application/zip", resp.Header.Get("Content-Type"))

			reqs := srv.Requests()[before:]
			require.Len(t, reqs, 2)
			assert.NotEmpty(t, reqs[0].Header.Get("Authorization"), "the API gets the token")
			assert.True(t, strings.HasPrefix(reqs[1].Path, "/storage/"))
			assert.Empty(t, reqs[1].Header.Get("Authorization"), "the storage does not")

			archive, err := ghactions.OpenLogArchive(bytes.NewReader(data), int64(len(data)))
			require.NoError(t, err)
			var names []string
			for _, j := range archive.Jobs {
				names = append(names, j.Name)
			}
			assert.Equal(t, []string{"lint", "build", "test (ubuntu-latest)", "test (macos-latest)", "test (windows-latest)"}, names)
			windows := archive.Job("test (windows-latest)")
			require.NotNil(t, windows)
			require.Len(t, windows.Steps, 6)
			assert.False(t, windows.StepsFromMarkers, "the archive has step files")
			rc, err = windows.Step(4).Open()
			require.NoError(t, err)
			step, _ := io.ReadAll(rc)
			rc.Close()
			assert.Contains(t, string(step), "##[group]Run go test -race ./...")
			assert.Contains(t, string(step), "--- FAIL: TestLoginRedirect")
			assert.Contains(t, string(step), "##[error]Process completed with exit code 1.")
			assert.Contains(t, readJobLog(t, windows), string(bytes.TrimPrefix(step, []byte("\uFEFF"))), "the job log holds its steps")
		})
	}
}

func TestFakeLogArchiveNamesAsGitHubWritesThem(t *testing.T) {
	_, c := newDemo(t)
	ctx := context.Background()
	for _, tt := range []struct {
		opts ghactions.ListOptions
		job  string
	}{
		{ghactions.ListOptions{Workflow: "release.yml", Conclusion: ghactions.ConclusionSuccess}, "build / package: linux-amd64"},
		{ghactions.ListOptions{Workflow: "nightly.yml", Conclusion: ghactions.ConclusionTimedOut}, "integration tests against all supported database engines, message brokers, object stores 🐘🐇🪣"},
	} {
		run := fakeFirst(t, c, tt.opts)
		archive, err := c.Runs.DownloadLogArchive(ctx, fakeOwner, fakeRepo, run.ID)
		require.NoError(t, err)
		j := archive.Job(tt.job)
		require.NotNil(t, j, "the reader finds %q by its real name", tt.job)
		assert.NotEmpty(t, j.Steps)
		require.NoError(t, archive.Close())
	}
}

// A client that sends its token to every host, as one whose transport sets
// it on each request does, is refused by the fake's storage, as by GitHub's:
// the storage is another host than the API, as on GitHub.
func TestFakeStorageRefusesALeakedToken(t *testing.T) {
	srv, c := newDemo(t)
	run := fakeFirst(t, c, ghactions.ListOptions{Conclusion: ghactions.ConclusionSuccess, Workflow: "ci.yml"})
	req, err := http.NewRequest("GET", srv.URL()+"repos/octo-org/octo-repo/actions/runs/"+strconv.FormatInt(run.ID, 10)+"/logs", nil)
	require.NoError(t, err)
	leaky := &http.Client{Transport: tokenEverywhere{token: srv.Token(), next: &http.Transport{DisableKeepAlives: true}}}
	resp, err := leaky.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	reqs := srv.Requests()
	last := reqs[len(reqs)-1]
	assert.True(t, strings.HasPrefix(last.Path, "/storage/"))
	assert.Equal(t, "Bearer "+srv.Token(), last.Header.Get("Authorization"), "the token went to the storage")
}

// tokenEverywhere sets a token on every request it sends, whatever the host.
type tokenEverywhere struct {
	token string
	next  http.RoundTripper
}

func (t tokenEverywhere) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.next.RoundTrip(r)
}

func TestFakeDeleteAndDeleteLogs(t *testing.T) {
	_, c := newDemo(t)
	ctx := context.Background()
	runs := fakeAll(t, c, &ghactions.ListOptions{Workflow: "ci.yml", Branch: "main", Conclusion: ghactions.ConclusionSuccess})
	require.GreaterOrEqual(t, len(runs), 2)
	gone, logless := runs[0], runs[1]

	resp, err := c.Runs.DeleteLogs(ctx, fakeOwner, fakeRepo, logless.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, _, err = c.Runs.Logs(ctx, fakeOwner, fakeRepo, logless.ID)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	_, _, err = c.Runs.LogsURL(ctx, fakeOwner, fakeRepo, logless.ID)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	_, err = c.Runs.DeleteLogs(ctx, fakeOwner, fakeRepo, logless.ID)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	_, _, err = c.Runs.Get(ctx, fakeOwner, fakeRepo, logless.ID, nil)
	assert.NoError(t, err, "the run stays")

	resp, err = c.Runs.Delete(ctx, fakeOwner, fakeRepo, gone.ID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	_, _, err = c.Runs.Get(ctx, fakeOwner, fakeRepo, gone.ID, nil)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	_, err = c.Runs.Delete(ctx, fakeOwner, fakeRepo, gone.ID)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	assert.Len(t, fakeAll(t, c, &ghactions.ListOptions{Workflow: "ci.yml", Branch: "main", Conclusion: ghactions.ConclusionSuccess}), len(runs)-1)
}

func TestFakeUsage(t *testing.T) {
	_, c := newDemo(t)
	run := fakeFirst(t, c, ghactions.ListOptions{Workflow: "ci.yml", Conclusion: ghactions.ConclusionFailure})
	u, _, err := c.Runs.Usage(context.Background(), fakeOwner, fakeRepo, run.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"MACOS", "UBUNTU", "WINDOWS"}, slices.Sorted(maps.Keys(u.Billable)))
	jobs := 0
	for os, b := range u.Billable {
		var sum int64
		for _, jr := range b.JobRuns {
			sum += jr.DurationMS
			assert.NotZero(t, jr.JobID)
		}
		assert.Equal(t, b.TotalMS, sum, os)
		assert.Len(t, b.JobRuns, b.Jobs)
		jobs += b.Jobs
	}
	assert.Equal(t, 5, jobs)
	assert.Positive(t, u.RunDurationMS)
}

func TestFakeRetries(t *testing.T) {
	tests := []struct {
		name     string
		fault    ghactionstest.Fault
		requests int
	}{
		{"5xx twice", ghactionstest.Fault{Status: http.StatusBadGateway, Times: 2}, 3},
		{"503 three times", ghactionstest.Fault{Status: http.StatusServiceUnavailable, Times: 3}, 4},
		{"connection dropped", ghactionstest.Fault{Kind: ghactionstest.FaultDrop}, 2},
		{"secondary limit, 403 with Retry-After 0", ghactionstest.Fault{Kind: ghactionstest.FaultSecondaryRateLimit, RetryAfter: "0"}, 2},
		{"secondary limit, 429 with Retry-After 0", ghactionstest.Fault{Kind: ghactionstest.FaultSecondaryRateLimit, Status: http.StatusTooManyRequests, RetryAfter: "0"}, 2},
		{"primary limit, reset now", ghactionstest.Fault{Kind: ghactionstest.FaultPrimaryRateLimit}, 2},
		{"latency", ghactionstest.Fault{Kind: ghactionstest.FaultLatency, Latency: 5 * time.Millisecond}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
			// POST, which net/http never retries by itself: the retries
			// counted are the client's.
			tt.fault.Method = "POST"
			srv.Inject(tt.fault)
			resp, err := c.Runs.Cancel(context.Background(), fakeOwner, fakeRepo, run.ID)
			require.NoError(t, err)
			assert.Equal(t, http.StatusAccepted, resp.StatusCode)
			assert.Len(t, srv.Requests(), tt.requests)
		})
	}
}

func TestFakeRetriesRunOut(t *testing.T) {
	srv, c := newFake(t)
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{})
	srv.Inject(ghactionstest.Fault{Status: http.StatusInternalServerError, Times: 10})
	_, _, err := c.Runs.Get(context.Background(), fakeOwner, fakeRepo, run.ID, nil)
	var apiErr *ghactions.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
	assert.Equal(t, "Server Error", apiErr.Message)
	assert.Len(t, srv.Requests(), fakeRetries.MaxRetries+1)
}

func TestFakeRateLimitsTooLongToWait(t *testing.T) {
	tests := []struct {
		name      string
		fault     ghactionstest.Fault
		secondary bool
		wait      time.Duration
	}{
		{"secondary, Retry-After past the longest wait", ghactionstest.Fault{Kind: ghactionstest.FaultSecondaryRateLimit, RetryAfter: "120"}, true, 120 * time.Second},
		{"secondary 429, Retry-After past the longest wait", ghactionstest.Fault{Kind: ghactionstest.FaultSecondaryRateLimit, Status: http.StatusTooManyRequests, RetryAfter: "90"}, true, 90 * time.Second},
		{"primary, reset in an hour", ghactionstest.Fault{Kind: ghactionstest.FaultPrimaryRateLimit, ResetIn: time.Hour}, false, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newFake(t)
			run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{})
			srv.Inject(tt.fault)
			start := time.Now()
			_, _, err := c.Runs.Get(context.Background(), fakeOwner, fakeRepo, run.ID, nil)
			assert.Less(t, time.Since(start), fakeRetries.MaxRateLimitWait, "no wait: it returns at once")
			require.ErrorIs(t, err, ghactions.ErrRateLimited)
			assert.NotErrorIs(t, err, ghactions.ErrForbidden)
			var rl *ghactions.RateLimitError
			require.ErrorAs(t, err, &rl)
			assert.Equal(t, tt.secondary, rl.Secondary)
			assert.InDelta(t, tt.wait.Seconds(), rl.RetryAfter.Seconds(), 2)
			if !tt.secondary {
				assert.Zero(t, rl.Rate.Remaining)
			}
			assert.Len(t, srv.Requests(), 1)
		})
	}
}

func TestFakePrimaryLimitSpent(t *testing.T) {
	srv, c := newFake(t, ghactionstest.WithRateLimit(3))
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{})
	ctx := context.Background()
	for i := 1; i <= 3; i++ {
		_, resp, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, run.ID, nil)
		require.NoError(t, err)
		assert.Equal(t, 3-i, resp.Rate.Remaining)
		assert.Equal(t, 3-i, c.Rate().Remaining)
	}
	_, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, run.ID, nil)
	var rl *ghactions.RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.False(t, rl.Secondary)
	assert.Equal(t, 3, rl.Rate.Limit)
	assert.Contains(t, rl.Message, "API rate limit exceeded")
	assert.Greater(t, rl.RetryAfter, 50*time.Minute, "until the window resets")
}

func TestFakeLatencyAndCancellation(t *testing.T) {
	srv, c := newFake(t)
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{})
	srv.Inject(ghactionstest.Fault{Kind: ghactionstest.FaultLatency, Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, _, err := c.Runs.Get(ctx, fakeOwner, fakeRepo, run.ID, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Len(t, srv.Requests(), 1, "a cancelled context is not retried")
}

// Wait polls with If-None-Match: the fake answers 304 while the run does not
// change, and those polls spend no rate limit.
func TestFakeConditionalRequests(t *testing.T) {
	srv, c := newFake(t)
	run := srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Let the client poll an unchanged run for a while, then finish it.
		for len(srv.Requests()) < 10 {
			time.Sleep(time.Millisecond)
		}
		srv.CompleteRun(fakeOwner, fakeRepo, run.ID, ghactions.ConclusionSuccess)
	}()
	got, err := c.Runs.Wait(ctx, fakeOwner, fakeRepo, run.ID, &ghactions.WaitOptions{Interval: time.Millisecond})
	<-done
	require.NoError(t, err)
	assert.Equal(t, ghactions.ConclusionSuccess, got.Conclusion)
	polls := len(srv.Requests())
	assert.GreaterOrEqual(t, polls, 10)
	assert.Equal(t, 2, c.Rate().Used, "%d polls, and only the two that changed counted", polls)
}

// The fake's own URL and token make a client as NewClient would.
func TestFakeClientFromItsURL(t *testing.T) {
	srv := ghactionstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{})
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	// A bare loopback host maps to /api/v3/, as a GHES host does.
	c, err := ghactions.NewClient(ghactions.WithBaseURL("http://"+u.Host), ghactions.WithToken(srv.Token()),
		ghactions.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
	require.NoError(t, err)
	page, _, err := c.Runs.ListPage(context.Background(), fakeOwner, fakeRepo, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, page.TotalCount)
}
