package ghactionstest

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rate is the state of a caller's primary rate limit, as the x-ratelimit-*
// headers tell it.
type rate struct {
	limit, remaining, used int
	reset                  time.Time
}

func (r rate) setHeaders(h http.Header) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(r.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(r.remaining))
	h.Set("X-RateLimit-Used", strconv.Itoa(r.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(r.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
}

// rateLimiter keeps GitHub's primary rate limit: a number of requests per
// hour for each caller, the hour starting at the caller's first request. The
// token's holder and anonymous callers have a bucket each.
type rateLimiter struct {
	mu      sync.Mutex
	now     func() time.Time
	limits  [2]int // by identity
	windows [2]rateWindow
}

type rateWindow struct {
	used  int
	reset time.Time
}

// newRateLimiter gives every caller limit requests an hour, or GitHub's
// limits when limit is 0.
func newRateLimiter(now func() time.Time, limit int) *rateLimiter {
	l := &rateLimiter{now: now, limits: [2]int{anonymousRateLimit, defaultRateLimit}}
	if limit > 0 {
		l.limits = [2]int{limit, limit}
	}
	return l
}

// take spends one request of who's limit. It reports false, spending
// nothing, when the limit is exhausted.
func (l *rateLimiter) take(who identity) (rate, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.window(who)
	if w.used >= l.limits[who] {
		return l.figures(who), false
	}
	w.used++
	return l.figures(who), true
}

// refund gives back a request that take spent: GitHub does not count
// conditional requests answered 304.
func (l *rateLimiter) refund(who identity) rate {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.window(who); w.used > 0 {
		w.used--
	}
	return l.figures(who)
}

// peek gives who's figures without spending anything.
func (l *rateLimiter) peek(who identity) rate {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.window(who)
	return l.figures(who)
}

// window gives who's current window, starting a new one when the last has
// ended. The window ends on the whole second that x-ratelimit-reset gives,
// so that a client that waits until then finds a new one, as on GitHub.
// The caller holds l.mu.
func (l *rateLimiter) window(who identity) *rateWindow {
	w := &l.windows[who]
	if now := l.now(); !now.Before(w.reset) {
		*w = rateWindow{reset: now.Add(time.Hour).Truncate(time.Second)}
	}
	return w
}

func (l *rateLimiter) figures(who identity) rate {
	w := l.windows[who]
	return rate{limit: l.limits[who], remaining: l.limits[who] - w.used, used: w.used, reset: w.reset}
}
