package ghactionstest_test

import (
	"context"
	"encoding/json"
	"errors"
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

// The points a minute of one endpoint: a read costs 1, a write 5; a request
// over the limit answers 403 with GitHub's message and a Retry-After, until
// the minute has room again; other endpoints are not held back.
func TestSecondaryLimitPoints(t *testing.T) {
	tests := []struct {
		name     string
		opts     []ghactionstest.Option
		method   string
		path     string
		allowed  int // requests within a minute
		interval time.Duration
		retry    string // Retry-After of the first refused
	}{
		{"GitHub's 900 points: 180 deletes", nil, "DELETE", runs + "/1", 180, 0, "60"},
		{"GitHub's 900 points: 900 reads", nil, "GET", runs + "?per_page=1", 900, 0, "60"},
		{"10 points: 2 writes", []ghactionstest.Option{ghactionstest.WithSecondaryLimits(ghactionstest.SecondaryLimits{PointsPerMinute: 10})}, "POST", runs + "/1/cancel", 2, 0, "60"},
		{"10 points: 10 reads, 5 s apart", []ghactionstest.Option{ghactionstest.WithSecondaryLimits(ghactionstest.SecondaryLimits{PointsPerMinute: 10})}, "GET", runs + "/1", 10, 5 * time.Second, "10"},
		{"12 points: 2 writes, 20 s apart", []ghactionstest.Option{ghactionstest.WithSecondaryLimits(ghactionstest.SecondaryLimits{PointsPerMinute: 12})}, "DELETE", runs + "/1/logs", 2, 20 * time.Second, "20"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			srv := newServer(t, append([]ghactionstest.Option{ghactionstest.WithClock(clock.Now)}, tt.opts...)...)
			srv.AddRun(owner, repo, ghactions.WorkflowRun{ID: 1, Conclusion: ghactions.ConclusionSuccess})
			for i := range tt.allowed {
				r := call(t, srv, tt.method, tt.path, "")
				require.NotEqual(t, http.StatusForbidden, r.status, "request %d: %s", i+1, r.body)
				clock.Add(tt.interval)
			}
			r := call(t, srv, tt.method, tt.path, "")
			require.Equal(t, http.StatusForbidden, r.status)
			assert.Equal(t, tt.retry, r.header.Get("Retry-After"))
			var body struct{ Message, DocumentationURL string }
			require.NoError(t, json.Unmarshal(r.body, &body))
			assert.Contains(t, body.Message, "You have exceeded a secondary rate limit")
			assert.Contains(t, body.Message, r.header.Get("X-GitHub-Request-Id"))
			assert.NotEqual(t, "0", r.header.Get("X-RateLimit-Remaining"), "a secondary limit, not the primary one")

			other := call(t, srv, "GET", "repos/octo-org/octo-repo/actions/workflows/ci.yml", "")
			assert.Equal(t, http.StatusOK, other.status, "another endpoint")

			wait, err := strconv.Atoi(tt.retry)
			require.NoError(t, err)
			clock.Add(time.Duration(wait)*time.Second - time.Nanosecond)
			assert.Equal(t, http.StatusForbidden, call(t, srv, tt.method, tt.path, "").status, "just before the Retry-After")
			clock.Add(time.Nanosecond)
			assert.NotEqual(t, http.StatusForbidden, call(t, srv, tt.method, tt.path, "").status, "once the Retry-After has passed")
		})
	}
}

// The requests to a run by its repository's ID (where Link headers lead)
// are the same endpoint's.
func TestSecondaryLimitEndpointByRepositoryID(t *testing.T) {
	srv := newServer(t, ghactionstest.WithSecondaryLimits(ghactionstest.SecondaryLimits{PointsPerMinute: 2}))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	byID := srv.URL() + "repositories/" + strconv.FormatInt(run.Repository.ID, 10) + "/actions/runs/" + strconv.FormatInt(run.ID, 10)
	assert.Equal(t, http.StatusOK, call(t, srv, "GET", runs+"/"+strconv.FormatInt(run.ID, 10), "").status)
	assert.Equal(t, http.StatusOK, call(t, srv, "GET", byID, "").status)
	assert.Equal(t, http.StatusForbidden, call(t, srv, "GET", byID, "").status)
}

// More requests at once than the limit: the one over it answers 403 with
// Retry-After 60.
func TestSecondaryLimitConcurrent(t *testing.T) {
	tests := []struct {
		name  string
		opts  []ghactionstest.Option
		limit int
	}{
		{"GitHub's 100", nil, 100},
		{"3", []ghactionstest.Option{ghactionstest.WithSecondaryLimits(ghactionstest.SecondaryLimits{Concurrent: 3})}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.opts...)
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
			held, release := make(chan struct{}), make(chan struct{})
			srv.OnRequest(func(r ghactionstest.Request) {
				if r.Query.Get("hold") != "" {
					held <- struct{}{}
					<-release
				}
			})
			path := runs + "/" + strconv.FormatInt(run.ID, 10)
			var wg sync.WaitGroup
			statuses := make([]int, tt.limit)
			for i := range tt.limit {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses[i] = call(t, srv, "GET", path+"?hold=1", "").status
				}()
				<-held
			}
			over := call(t, srv, "GET", path, "")
			close(release)
			wg.Wait()
			assert.Equal(t, http.StatusForbidden, over.status)
			assert.Equal(t, "60", over.header.Get("Retry-After"))
			for _, s := range statuses {
				assert.Equal(t, http.StatusOK, s)
			}
			assert.Equal(t, http.StatusOK, call(t, srv, "GET", path, "").status, "once they are over")
		})
	}
}

// Without secondary limits, nothing holds a burst back.
func TestWithoutSecondaryLimits(t *testing.T) {
	srv := newServer(t, ghactionstest.WithoutSecondaryLimits(), ghactionstest.WithClock(newClock().Now))
	for i := range 200 {
		require.Equal(t, http.StatusNotFound, call(t, srv, "DELETE", runs+"/1", "").status, "request %d", i+1)
	}
}

// A client of the fake meets the limit as it would GitHub's, and waits it
// out on the shared clock; a paced client does not meet it.
func TestSecondaryLimitAndTheClient(t *testing.T) {
	tests := []struct {
		name    string
		client  []ghactions.Option
		limited bool
	}{
		{"paced", nil, false},
		{"not paced", []ghactions.Option{ghactions.WithWritePacing(0)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := ghactionstest.NewClock(t0)
			srv := newServer(t, ghactionstest.WithSharedClock(clock))
			c, err := srv.Client(append([]ghactions.Option{ghactions.WithRetryPolicy(ghactions.RetryPolicy{})}, tt.client...)...)
			require.NoError(t, err)
			var limited error
			for i := range 200 {
				_, err := c.Runs.Delete(context.Background(), owner, repo, int64(i+1))
				if !errors.Is(err, ghactions.ErrNotFound) {
					limited = err
					break
				}
			}
			if !tt.limited {
				require.NoError(t, limited)
				return
			}
			var rl *ghactions.RateLimitError
			require.ErrorAs(t, limited, &rl)
			assert.True(t, rl.Secondary)
			assert.Equal(t, time.Minute, rl.RetryAfter)
		})
	}
}
