package ghactionstest_test

import (
	"context"
	"errors"
	"fmt"
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

func TestFaultStatus(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
	srv.Inject(ghactionstest.Fault{Method: "GET", Path: "/api/v3/repos/*/*/actions/runs", Times: 2, Status: http.StatusServiceUnavailable})
	srv.Inject(ghactionstest.Fault{Method: "POST", Path: "/api/v3/repos/*/*/actions/runs/*/cancel"})

	assert.Equal(t, http.StatusOK, call(t, srv, "GET", runPath(run.ID), "").status, "another path")
	for range 2 {
		r := call(t, srv, "GET", runs+"?per_page=1", "")
		requireError(t, r, http.StatusServiceUnavailable, "Service Unavailable")
		assert.NotEmpty(t, r.header.Get("X-GitHub-Request-Id"))
	}
	assert.Equal(t, http.StatusOK, call(t, srv, "GET", runs, "").status, "the fault hit twice only")

	requireError(t, call(t, srv, "POST", runPath(run.ID)+"/cancel", ""), http.StatusInternalServerError, "Server Error")
	assert.Equal(t, ghactions.StatusInProgress, getRun(t, srv, runPath(run.ID)).Status, "the failed request did nothing")
	assert.Equal(t, http.StatusAccepted, call(t, srv, "POST", runPath(run.ID)+"/cancel", "").status)
	assert.Len(t, srv.Requests(), 7, "requests a fault answered are recorded too")
}

func TestFaultsMatchInOrder(t *testing.T) {
	srv := newServer(t)
	srv.Inject(ghactionstest.Fault{Status: http.StatusBadGateway})
	srv.Inject(ghactionstest.Fault{Status: http.StatusGatewayTimeout})
	assert.Equal(t, http.StatusBadGateway, call(t, srv, "GET", runs, "").status)
	assert.Equal(t, http.StatusGatewayTimeout, call(t, srv, "DELETE", "anything", "").status)
	assert.Equal(t, http.StatusNotFound, call(t, srv, "GET", runs, "").status)
}

func TestFaultSecondaryRateLimit(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		want       int
	}{
		{"403 with Retry-After", 0, "0", http.StatusForbidden},
		{"403 without Retry-After", 0, "", http.StatusForbidden},
		{"429 with Retry-After", http.StatusTooManyRequests, "30", http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			srv.Inject(ghactionstest.Fault{Kind: ghactionstest.FaultSecondaryRateLimit, Status: tt.status, RetryAfter: tt.retryAfter})
			r := call(t, srv, "GET", runs, "")
			require.Equal(t, tt.want, r.status)
			assert.Regexp(t, `^You have exceeded a secondary rate limit\.`, r.json(t)["message"])
			assert.Equal(t, tt.retryAfter, r.header.Get("Retry-After"))
			_, remaining, _, _ := rateOf(r)
			assert.Equal(t, 5000, remaining, "a secondary limit leaves the primary alone")
		})
	}
}

func TestFaultPrimaryRateLimit(t *testing.T) {
	srv := newServer(t, ghactionstest.WithClock(newClock().Now))
	srv.Inject(ghactionstest.Fault{Kind: ghactionstest.FaultPrimaryRateLimit, ResetIn: 30 * time.Second})
	r := call(t, srv, "GET", runs, "")
	require.Equal(t, http.StatusForbidden, r.status)
	assert.Regexp(t, `^API rate limit exceeded`, r.json(t)["message"])
	limit, remaining, used, reset := rateOf(r)
	assert.Equal(t, []int{5000, 0, 5000}, []int{limit, remaining, used})
	assert.Equal(t, strconv.FormatInt(t0.Add(30*time.Second).Unix(), 10), reset)

	_, remaining, _, _ = rateOf(call(t, srv, "GET", runs, ""))
	assert.Equal(t, 4999, remaining, "the server's own count is untouched")
}

func TestFaultDrop(t *testing.T) {
	srv := newServer(t)
	srv.Inject(ghactionstest.Fault{Kind: ghactionstest.FaultDrop})
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	req, _ := http.NewRequest("GET", srv.URL()+runs, nil)
	_, err := c.Do(req)
	require.Error(t, err, "the connection closed without an answer")
	assert.Equal(t, http.StatusNotFound, call(t, srv, "GET", runs, "").status)
}

func TestFaultLatency(t *testing.T) {
	srv := newServer(t)
	srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	srv.Inject(ghactionstest.Fault{Kind: ghactionstest.FaultLatency, Latency: 20 * time.Millisecond})
	start := time.Now()
	r := call(t, srv, "GET", runs, "")
	assert.Equal(t, http.StatusOK, r.status, "served after the wait")
	assert.GreaterOrEqual(t, time.Since(start), 20*time.Millisecond)
}

func TestFaultLatencyEndsWithTheRequest(t *testing.T) {
	srv := newServer(t)
	srv.Inject(ghactionstest.Fault{Kind: ghactionstest.FaultLatency, Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+runs, nil)
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	_, err := c.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	// Close would wait for the handler: it ends because the client left.
}

func TestFaultOnTheStorage(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess}, ghactionstest.Job{})
	srv.Inject(ghactionstest.Fault{Path: "/storage/runs/*/attempts/*/logs.zip", Status: http.StatusServiceUnavailable})
	loc := logsURL(t, srv, runPath(run.ID))
	assert.Equal(t, http.StatusServiceUnavailable, download(t, srv, loc).status)
	assert.Equal(t, http.StatusOK, download(t, srv, loc).status)
}

func TestInjectPanicsOnABadPattern(t *testing.T) {
	srv := newServer(t)
	assert.Panics(t, func() { srv.Inject(ghactionstest.Fault{Path: "/api/v3/[x"}) })
}

// A fault's path is relative to the API's root, with or without a leading
// slash, or starts with /api/v3/ or /storage/; each fires.
func TestFaultPaths(t *testing.T) {
	tests := []struct{ method, path, target string }{
		{"GET", "repos/*/*/actions/runs", runs},
		{"GET", "/repos/*/*/actions/runs", runs},
		{"GET", "/api/v3/repos/*/*/actions/runs", runs},
		{"GET", "api/v3/repos/*/*/actions/runs", runs},
		{"", "repos/octo-org/octo-repo/actions/runs", runs},
		{"HEAD", "repos/*/*/actions/runs", runs},
		{"", "repositories/*/actions/runs", "repositories/{id}/actions/runs"},
		{"", "repos/*/*/actions/workflows/ci.yml", "repos/octo-org/octo-repo/actions/workflows/ci.yml"},
		{"", "", "nothing/here"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			srv := newServer(t)
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
			srv.Inject(ghactionstest.Fault{Method: tt.method, Path: tt.path, Status: http.StatusBadGateway})
			method := tt.method
			if method == "" {
				method = "GET"
			}
			target := strings.Replace(tt.target, "{id}", strconv.FormatInt(run.Repository.ID, 10), 1)
			assert.Equal(t, http.StatusBadGateway, call(t, srv, method, target, "").status)
		})
	}
}

// A fault that no request to an endpoint can match would never fire: Inject
// says so at once rather than let a test pass without its fault.
func TestInjectPanicsOnAFaultThatCannotFire(t *testing.T) {
	tests := []struct{ method, path, matched string }{
		{"", "/api/v3/repos/*/*/actions/runs/", "/api/v3/repos/*/*/actions/runs/"},
		{"", "repos/*/actions/runs", "/api/v3/repos/*/actions/runs"},
		{"", "repos/*/*/actions/runs/*/cancle", "/api/v3/repos/*/*/actions/runs/*/cancle"},
		{"", "/storage/*", "/storage/*"},
		{"", "*", "/api/v3/*"},
		{"", "http://127.0.0.1/api/v3/repos/*/*/actions/runs", "/api/v3/http://127.0.0.1/api/v3/repos/*/*/actions/runs"},
		{"POST", "repos/*/*/actions/runs", "/api/v3/repos/*/*/actions/runs"},
		{"PUT", "", ""},
		{"PATCH", "repos/*/*/actions/runs/*", "/api/v3/repos/*/*/actions/runs/*"},
	}
	srv := newServer(t)
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			want := fmt.Sprintf("ghactionstest: Fault{Method: %q, Path: %q} can never fire: no endpoint of the server has that method and a path %q matches", tt.method, tt.path, tt.matched)
			assert.PanicsWithValue(t, want, func() { srv.Inject(ghactionstest.Fault{Method: tt.method, Path: tt.path}) })
		})
	}
}

func TestFaultsThroughTheClient(t *testing.T) {
	srv := newServer(t)
	srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	c, err := srv.Client(ghactions.WithRetryPolicy(ghactions.RetryPolicy{MaxRetries: 1, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}))
	require.NoError(t, err)
	srv.Inject(ghactionstest.Fault{Status: http.StatusBadGateway, Times: 2})
	_, _, err = c.Runs.ListPage(context.Background(), owner, repo, nil)
	var apiErr *ghactions.APIError
	require.True(t, errors.As(err, &apiErr), "err: %v", err)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.NotEmpty(t, apiErr.RequestID)
	assert.Len(t, srv.Requests(), 2)
}
