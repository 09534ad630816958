package ghactions

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stepClock is a Clock whose Sleep returns at once, moving Now forward, and
// records what it was asked to wait.
type stepClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *stepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stepClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *stepClock) sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

func TestClockTakesTheWaits(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	inTwoMinutes := strconv.FormatInt(start.Add(2*time.Minute).Unix(), 10)
	hour := RetryPolicy{MaxRetries: 3, MinBackoff: time.Hour, MaxBackoff: time.Hour, MaxRateLimitWait: time.Hour}
	tests := []struct {
		name  string
		first http.HandlerFunc
		want  time.Duration
	}{
		{"Retry-After of a secondary limit", status(429, "Retry-After", "45"), 45 * time.Second},
		{"primary reset, by the clock's time", status(403, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", inTwoMinutes), 2 * time.Minute},
		{"backoff after a 503", status(503), time.Hour},
		// A Retry-After that is no number of seconds (nor a date) is as good
		// as absent: the secondary limit's default wait, not an instant retry.
		{"negative Retry-After", status(429, "Retry-After", "-5"), time.Minute},
		{"fractional Retry-After", status(429, "Retry-After", "1.5"), time.Minute},
		{"negative Retry-After with a primary reset", status(403, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", inTwoMinutes, "Retry-After", "-5"), 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &stepClock{now: start}
			s := &scripted{steps: []http.HandlerFunc{tt.first, status(202)}}
			srv := httptest.NewServer(s)
			t.Cleanup(srv.Close)
			c, err := NewClient(WithBaseURL(srv.URL+"/api/v3/"), WithRetryPolicy(hour), WithClock(clk))
			require.NoError(t, err)

			_, err = c.Runs.Cancel(context.Background(), "octo-org", "octo-repo", 42)
			require.NoError(t, err)
			assert.Equal(t, 2, s.count())
			sleeps := clk.sleeps()
			require.Len(t, sleeps, 1)
			if tt.want == time.Hour {
				// Backoff is jittered within the upper half of its figure.
				assert.InDelta(t, float64(45*time.Minute), float64(sleeps[0]), float64(15*time.Minute))
				return
			}
			assert.Equal(t, tt.want, sleeps[0])
		})
	}
}

func TestClockSleepEndedByContextEndsTheCall(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	clk := &cancellingClock{cancel: cancel}
	s := &scripted{steps: []http.HandlerFunc{status(503), status(202)}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/api/v3/"), WithRetryPolicy(RetryPolicy{MaxRetries: 3, MinBackoff: time.Second}), WithClock(clk))
	require.NoError(t, err)

	_, err = c.Runs.Cancel(ctx, "octo-org", "octo-repo", 42)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, s.count(), "no try after the context ended")
}

// cancellingClock cancels the call's context while it sleeps, as a caller
// giving up during a backoff would.
type cancellingClock struct {
	systemClock
	cancel context.CancelFunc
}

func (c *cancellingClock) Sleep(ctx context.Context, _ time.Duration) error {
	c.cancel()
	return ctx.Err()
}

func TestWithClockRefusesNil(t *testing.T) {
	_, err := NewClient(WithClock(nil))
	require.ErrorIs(t, err, ErrInvalidArgument)
}
