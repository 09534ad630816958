package ghactionstest_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestClock(t *testing.T) {
	c := ghactionstest.NewClock(t0)
	assert.Equal(t, t0, c.Now())
	c.Advance(time.Minute)
	require.NoError(t, c.Sleep(context.Background(), time.Hour))
	require.NoError(t, c.Sleep(context.Background(), -time.Hour), "a negative wait is no wait")
	assert.Equal(t, t0.Add(time.Hour+time.Minute), c.Now())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, c.Sleep(ctx, time.Hour), context.Canceled)
	assert.Equal(t, t0.Add(time.Hour+time.Minute), c.Now(), "a cancelled sleep moves nothing")
	assert.Panics(t, func() { c.Advance(-time.Second) })

	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.Sleep(context.Background(), time.Second)
		}()
	}
	wg.Wait()
	assert.Equal(t, t0.Add(time.Hour+time.Minute+10*time.Second), c.Now(), "sleeps at once add up")
}

// Server.Now tells the time the server reckons runs from, whichever clock
// it has.
func TestServerNow(t *testing.T) {
	clock := ghactionstest.NewClock(t0)
	tests := []struct {
		name string
		opt  ghactionstest.Option
		want func() time.Time
	}{
		{"WithClock", ghactionstest.WithClock(func() time.Time { return t0 }), func() time.Time { return t0 }},
		{"WithSharedClock", ghactionstest.WithSharedClock(clock), clock.Now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ghactionstest.NewServer(tt.opt)
			defer srv.Close()
			assert.Equal(t, tt.want(), srv.Now())
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
			assert.Equal(t, srv.Now().UTC().Truncate(time.Second), run.CreatedAt, "a new run starts at the server's now")
			clock.Advance(time.Minute)
			assert.Equal(t, tt.want(), srv.Now())
		})
	}

	srv := ghactionstest.NewServer()
	defer srv.Close()
	assert.WithinDuration(t, time.Now(), srv.Now(), time.Minute, "by default, the time of day")
}

// A client of a server with a shared clock waits out rate limits on that
// clock: the waits cost no real time, and the server sees the time pass.
func TestSharedClockRidesOutRateLimits(t *testing.T) {
	tests := []struct {
		name   string
		start  time.Time
		opts   []ghactionstest.Option
		faults []ghactionstest.Fault
		client []ghactions.Option
		waited time.Duration
		tries  int
	}{
		{
			name: "secondary limit with Retry-After 60, then a primary limit, default policy",
			faults: []ghactionstest.Fault{
				{Kind: ghactionstest.FaultSecondaryRateLimit, RetryAfter: "60"},
				{Kind: ghactionstest.FaultPrimaryRateLimit, ResetIn: 45 * time.Second},
			},
			waited: 105 * time.Second,
			tries:  3,
		},
		{
			name:   "secondary limit without Retry-After, default policy",
			faults: []ghactionstest.Fault{{Kind: ghactionstest.FaultSecondaryRateLimit, Status: http.StatusTooManyRequests}},
			waited: time.Minute,
			tries:  2,
		},
		{
			// The window starts off a whole second; the reset the client
			// waits for is a whole second, and the server's new window must
			// start there.
			name:   "the server's own hourly limit, a policy that waits an hour",
			start:  t0.Add(400 * time.Millisecond),
			opts:   []ghactionstest.Option{ghactionstest.WithRateLimit(1)},
			client: []ghactions.Option{ghactions.WithRetryPolicy(ghactions.RetryPolicy{MaxRetries: 3, MaxRateLimitWait: 2 * time.Hour})},
			waited: time.Hour - 400*time.Millisecond,
			tries:  2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := tt.start
			if start.IsZero() {
				start = t0
			}
			clock := ghactionstest.NewClock(start)
			srv := newServer(t, append([]ghactionstest.Option{ghactionstest.WithSharedClock(clock)}, tt.opts...)...)
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: success})
			c, err := srv.Client(tt.client...)
			require.NoError(t, err)
			ctx := context.Background()
			if len(tt.faults) == 0 {
				// Spend the limit first.
				_, _, err := c.Runs.Get(ctx, owner, repo, run.ID, nil)
				require.NoError(t, err)
			}
			before := len(srv.Requests())
			for _, f := range tt.faults {
				srv.Inject(f)
			}

			got, _, err := c.Runs.Get(ctx, owner, repo, run.ID, nil)
			require.NoError(t, err)
			assert.Equal(t, run.ID, got.ID)
			assert.Equal(t, success, got.Conclusion)
			assert.Equal(t, start.Add(tt.waited), clock.Now(), "the client waited on the shared clock, exactly")
			reqs := srv.Requests()[before:]
			assert.Len(t, reqs, tt.tries)
			for _, r := range reqs {
				assert.Equal(t, "/api/v3/"+runPath(run.ID), r.Path)
			}
		})
	}
}

// The server takes its time from the shared clock: what the client waited
// has passed for the log URLs it signed before.
func TestSharedClockIsTheServersTime(t *testing.T) {
	clock := ghactionstest.NewClock(t0)
	srv := newServer(t, ghactionstest.WithSharedClock(clock))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: success})
	assert.Equal(t, t0, run.CreatedAt)
	loc := logsURL(t, srv, runPath(run.ID))
	assert.Equal(t, http.StatusOK, download(t, srv, loc).status)

	c, err := srv.Client()
	require.NoError(t, err)
	srv.Inject(ghactionstest.Fault{Kind: ghactionstest.FaultSecondaryRateLimit, RetryAfter: "60"})
	_, _, err = c.Runs.Get(context.Background(), owner, repo, run.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusForbidden, download(t, srv, loc).status, "the minute of the URL has passed")
}

func TestWithSharedClockPanicsOnNil(t *testing.T) {
	assert.Panics(t, func() { ghactionstest.NewServer(ghactionstest.WithSharedClock(nil)) })
}
