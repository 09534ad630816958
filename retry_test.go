package ghactions

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastRetries retries like the default policy but waits milliseconds.
var fastRetries = RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond, MaxRateLimitWait: time.Minute}

// scripted answers the n-th request with the n-th step (the last step
// repeats) and records every request's body.
type scripted struct {
	mu     sync.Mutex
	steps  []http.HandlerFunc
	hits   int
	bodies []string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	i := min(s.hits, len(s.steps)-1)
	s.hits++
	s.bodies = append(s.bodies, string(b))
	s.mu.Unlock()
	s.steps[i](w, r)
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func status(code int, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		if code != http.StatusNoContent {
			io.WriteString(w, `{"message":"`+http.StatusText(code)+`"}`)
		}
	}
}

func statusBody(code int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

// hangUp drops the connection without an answer, as a reset would.
func hangUp(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func retryTestClient(t *testing.T, h http.Handler, p RetryPolicy) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/api/v3/"), WithToken("s3cr3t-token"), WithRetryPolicy(p))
	require.NoError(t, err)
	return c
}

func TestRetries(t *testing.T) {
	const secondaryMsg = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`
	past := strconv.FormatInt(time.Now().Add(-time.Second).Unix(), 10)
	tests := []struct {
		name       string
		steps      []http.HandlerFunc
		policy     RetryPolicy
		wantHits   int
		wantStatus int   // of the final answer
		wantErr    error // the sentinel a failure matches, if any
	}{
		{"500 502 503 then success", []http.HandlerFunc{status(500), status(502), status(503), status(202)}, fastRetries, 4, 202, nil},
		{"504 until retries run out", []http.HandlerFunc{status(504)}, fastRetries, 4, 504, nil},
		{"no retries when MaxRetries is 0", []http.HandlerFunc{status(503), status(202)}, RetryPolicy{}, 1, 503, nil},
		{"connection reset then success", []http.HandlerFunc{hangUp, status(202)}, fastRetries, 2, 202, nil},
		{"501 is not retried", []http.HandlerFunc{status(501), status(202)}, fastRetries, 1, 501, nil},
		{"400 is not retried", []http.HandlerFunc{status(400), status(202)}, fastRetries, 1, 400, nil},
		{"404 is not retried", []http.HandlerFunc{status(404), status(202)}, fastRetries, 1, 404, ErrNotFound},
		{"409 is not retried", []http.HandlerFunc{status(409), status(202)}, fastRetries, 1, 409, ErrConflict},
		{"422 is not retried", []http.HandlerFunc{status(422), status(202)}, fastRetries, 1, 422, ErrUnprocessable},
		{"plain 403 is not retried", []http.HandlerFunc{statusBody(403, `{"message":"Resource not accessible by integration"}`), status(202)}, fastRetries, 1, 403, ErrForbidden},
		{"secondary 403 with Retry-After waits it out", []http.HandlerFunc{statusBody(403, secondaryMsg, "Retry-After", "0"), status(202)}, fastRetries, 2, 202, nil},
		{"secondary 429 with Retry-After waits it out", []http.HandlerFunc{status(429, "Retry-After", "0"), status(202)}, fastRetries, 2, 202, nil},
		{"primary limit waits until the reset", []http.HandlerFunc{status(403, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", past), status(202)}, fastRetries, 2, 202, nil},
		{"rate limit until retries run out", []http.HandlerFunc{status(429, "Retry-After", "0")}, fastRetries, 4, 429, ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &scripted{steps: tt.steps}
			c := retryTestClient(t, s, tt.policy)
			resp, err := c.Runs.Cancel(context.Background(), "octo-org", "octo-repo", 42)
			assert.Equal(t, tt.wantHits, s.count(), "requests sent")
			if tt.wantStatus < 300 {
				require.NoError(t, err)
				assert.Equal(t, tt.wantStatus, resp.StatusCode)
				return
			}
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
		})
	}
}

func TestRetryResendsTheBody(t *testing.T) {
	s := &scripted{steps: []http.HandlerFunc{status(502), hangUp, status(201)}}
	c := retryTestClient(t, s, fastRetries)
	_, err := c.Runs.Rerun(context.Background(), "octo-org", "octo-repo", 42, &RerunOptions{EnableDebugLogging: true})
	require.NoError(t, err)
	require.Equal(t, 3, s.count())
	for i, b := range s.bodies {
		assert.JSONEq(t, `{"enable_debug_logging":true}`, b, "try %d", i+1)
	}
}

func TestRateLimitGivesUpWhenTheWaitIsTooLong(t *testing.T) {
	reset := time.Now().Add(time.Hour).Truncate(time.Second)
	tests := []struct {
		name          string
		step          http.HandlerFunc
		wantSecondary bool
		wantWait      time.Duration
		wantStatus    int
	}{
		{"secondary 429 with a long Retry-After", status(429, "Retry-After", "120"), true, 120 * time.Second, 429},
		{"secondary 403 with a long Retry-After", statusBody(403, `{"message":"You have exceeded a secondary rate limit"}`, "Retry-After", "300"), true, 300 * time.Second, 403},
		{"primary limit resetting in an hour", statusBody(403, `{"message":"API rate limit exceeded for user ID 1."}`,
			"X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Used", "5000",
			"X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10), "X-RateLimit-Resource", "core"), false, time.Hour, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &scripted{steps: []http.HandlerFunc{tt.step, status(202)}}
			c := retryTestClient(t, s, fastRetries)
			_, err := c.Runs.Cancel(context.Background(), "octo-org", "octo-repo", 42)
			require.Equal(t, 1, s.count(), "a wait longer than MaxRateLimitWait must not be waited")

			var rlErr *RateLimitError
			require.ErrorAs(t, err, &rlErr)
			assert.Equal(t, tt.wantSecondary, rlErr.Secondary)
			assert.InDelta(t, tt.wantWait.Seconds(), rlErr.RetryAfter.Seconds(), 2)
			assert.Equal(t, tt.wantStatus, rlErr.StatusCode)
			assert.ErrorIs(t, err, ErrRateLimited)
			assert.NotErrorIs(t, err, ErrForbidden, "a rate-limited 403 matches ErrRateLimited only")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantStatus, apiErr.StatusCode)
			if !tt.wantSecondary {
				assert.Equal(t, Rate{Limit: 5000, Remaining: 0, Used: 5000, Reset: reset, Resource: "core"}, rlErr.Rate)
			}
		})
	}
}

func TestCancelledContextEndsTheWait(t *testing.T) {
	tests := []struct {
		name   string
		step   http.HandlerFunc
		policy RetryPolicy
	}{
		{"backoff after a 503", status(503), RetryPolicy{MaxRetries: 3, MinBackoff: time.Hour, MaxBackoff: time.Hour}},
		{"secondary rate limit", status(429, "Retry-After", "50"), RetryPolicy{MaxRetries: 3, MaxRateLimitWait: time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var once sync.Once
			s := &scripted{steps: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
				tt.step(w, r)
				once.Do(func() { time.AfterFunc(5*time.Millisecond, cancel) })
			}}}
			c := retryTestClient(t, s, tt.policy)
			done := make(chan error, 1)
			go func() {
				_, err := c.Runs.Cancel(ctx, "octo-org", "octo-repo", 42)
				done <- err
			}()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.Canceled)
				assert.Equal(t, 1, s.count())
			case <-time.After(10 * time.Second):
				t.Fatal("the wait did not end when the context was cancelled")
			}
		})
	}
}

func TestTokenSourceAskedOnEveryTry(t *testing.T) {
	var asked atomic.Int32
	var mu sync.Mutex
	var seen []string
	s := &scripted{steps: []http.HandlerFunc{func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		if len(seen) < 3 {
			status(502)(w, r)
			return
		}
		status(202)(w, r)
	}}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	ts := tokenFunc(func(context.Context) (string, error) {
		return "tok-" + strconv.Itoa(int(asked.Add(1))), nil
	})
	c, err := NewClient(WithBaseURL(srv.URL+"/api/v3/"), WithTokenSource(ts), WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	_, err = c.Runs.Cancel(context.Background(), "octo-org", "octo-repo", 42)
	require.NoError(t, err)
	assert.Equal(t, int32(3), asked.Load())
	assert.Equal(t, []string{"Bearer tok-1", "Bearer tok-2", "Bearer tok-3"}, seen)
}

type tokenFunc func(context.Context) (string, error)

func (f tokenFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

func TestTokenSourceErrorSendsNothing(t *testing.T) {
	s := &scripted{steps: []http.HandlerFunc{status(202)}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	boom := errors.New("installation token refresh failed")
	c, err := NewClient(WithBaseURL(srv.URL+"/api/v3/"), WithTokenSource(tokenFunc(func(context.Context) (string, error) { return "", boom })))
	require.NoError(t, err)
	_, err = c.Runs.Cancel(context.Background(), "octo-org", "octo-repo", 42)
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 0, s.count())
}

func TestClassifyRateLimit(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	in30s := strconv.FormatInt(now.Add(30*time.Second).Unix(), 10)
	tests := []struct {
		name          string
		status        int
		header        map[string]string
		message       string
		wantLimited   bool
		wantSecondary bool
		wantWait      time.Duration
	}{
		{"primary by headers", 403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": in30s}, "", true, false, 30 * time.Second},
		{"primary on 429", 429, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": in30s}, "", true, false, 30 * time.Second},
		{"primary with a reset in the past", 403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}, "", true, false, 0},
		{"primary without a reset", 403, map[string]string{"X-RateLimit-Remaining": "0"}, "", true, false, time.Minute},
		{"primary by message alone", 403, nil, "API rate limit exceeded for 1.2.3.4.", true, false, time.Minute},
		{"Retry-After seconds", 403, map[string]string{"Retry-After": "7"}, "", true, true, 7 * time.Second},
		{"Retry-After date", 429, map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, "", true, true, 90 * time.Second},
		{"Retry-After wins over the reset", 403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": in30s, "Retry-After": "3"}, "", true, false, 3 * time.Second},
		{"secondary by message", 403, nil, "You have exceeded a secondary rate limit.", true, true, time.Minute},
		{"abuse detection message", 403, nil, "You have triggered an abuse detection mechanism.", true, true, time.Minute},
		{"bare 429", 429, nil, "", true, true, time.Minute},
		{"remaining not zero", 403, map[string]string{"X-RateLimit-Remaining": "10"}, "Must have admin rights", false, false, 0},
		{"plain 403", 403, nil, "Resource not accessible by integration", false, false, 0},
		{"404 never", 404, map[string]string{"X-RateLimit-Remaining": "0"}, "", false, false, 0},
		{"garbage Retry-After ignored", 403, map[string]string{"Retry-After": "soon"}, "", false, false, 0},
		{"negative Retry-After ignored", 403, map[string]string{"Retry-After": "-5"}, "", false, false, 0},
		{"negative Retry-After on a 429 ignored", 429, map[string]string{"Retry-After": "-5"}, "", true, true, time.Minute},
		{"negative Retry-After leaves the reset", 403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": in30s, "Retry-After": "-1"}, "", true, false, 30 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hr := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			for k, v := range tt.header {
				hr.Header.Set(k, v)
			}
			rl, ok := classifyRateLimit(hr, tt.message, now)
			require.Equal(t, tt.wantLimited, ok)
			assert.Equal(t, tt.wantSecondary, rl.secondary)
			assert.Equal(t, tt.wantWait, rl.wait)
		})
	}
}

func TestExpBackoff(t *testing.T) {
	tests := []struct {
		try      int
		min, max time.Duration
		ceiling  time.Duration
	}{
		{1, time.Second, 30 * time.Second, time.Second},
		{2, time.Second, 30 * time.Second, 2 * time.Second},
		{3, time.Second, 30 * time.Second, 4 * time.Second},
		{6, time.Second, 30 * time.Second, 30 * time.Second},
		{60, time.Second, 30 * time.Second, 30 * time.Second},
		{1, 0, 30 * time.Second, 0},
	}
	for _, tt := range tests {
		for range 50 {
			d := expBackoff(tt.min, tt.max, tt.try)
			assert.LessOrEqual(t, d, tt.ceiling, "try %d", tt.try)
			assert.GreaterOrEqual(t, d, tt.ceiling/2, "try %d", tt.try)
		}
	}
}

func TestDefaultRetryPolicy(t *testing.T) {
	assert.Equal(t, RetryPolicy{MaxRetries: 3, MinBackoff: time.Second, MaxBackoff: 30 * time.Second, MaxRateLimitWait: time.Minute}, DefaultRetryPolicy())
}
