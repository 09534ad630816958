package ghactionstest

import (
	"cmp"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// SecondaryLimits are the server's secondary rate limits, which GitHub
// documents (its figures are the defaults) beside the hourly primary one:
//
//   - Points per minute per endpoint: the requests of one caller to one
//     endpoint (a method and a path pattern, such as DELETE
//     /repos/{owner}/{repo}/actions/runs/{run}) may spend so many points in
//     any minute, where a GET, HEAD or OPTIONS costs 1 point and any other
//     method 5.
//   - Concurrent requests: so many requests to the API may be under way at
//     once.
//
// A request over a limit is answered as GitHub answers it: 403, with the
// message "You have exceeded a secondary rate limit...", and a Retry-After
// header: the seconds until the minute has room for it, or 60 for too many
// requests at once. A request refused spends no points. The minute is the
// server's clock's (WithClock, WithSharedClock): with a shared virtual
// clock, a client that waits out the Retry-After takes no real time. The
// requests that a Fault answers are not counted.
type SecondaryLimits struct {
	PointsPerMinute int // per caller and endpoint; 0 means GitHub's 900
	Concurrent      int // requests under way at once; 0 means GitHub's 100
}

// GitHub's secondary limits, and what requests cost.
const (
	defaultPointsPerMinute = 900
	defaultConcurrent      = 100
	readPoints             = 1
	writePoints            = 5
	concurrentRetryAfter   = 60 // seconds: GitHub's advice, at least a minute
)

// WithSecondaryLimits sets the server's secondary limits. Without it, the
// server has GitHub's: 900 points a minute per endpoint, 100 requests at
// once. NewServer panics on a negative figure.
func WithSecondaryLimits(l SecondaryLimits) Option {
	return func(c *config) {
		if l.PointsPerMinute < 0 || l.Concurrent < 0 {
			panic("ghactionstest: negative secondary limit")
		}
		c.secondary, c.noSecondary = l, false
	}
}

// WithoutSecondaryLimits turns the server's secondary limits off.
func WithoutSecondaryLimits() Option {
	return func(c *config) { c.noSecondary = true }
}

// secondaryLimiter keeps the secondary limits. Its zero figures mean no
// limit.
type secondaryLimiter struct {
	now        func() time.Time
	points     int // per minute, per caller and endpoint
	concurrent int64

	inFlight atomic.Int64 // API requests under way

	mu    sync.Mutex
	spent map[spendKey][]spend // of the last minute, oldest first
}

type spendKey struct {
	who      identity
	endpoint string // the route's pattern, method included
}

type spend struct {
	at     time.Time
	points int
}

func newSecondaryLimiter(now func() time.Time, l SecondaryLimits, off bool) *secondaryLimiter {
	if off {
		return &secondaryLimiter{now: now}
	}
	return &secondaryLimiter{
		now:        now,
		points:     cmp.Or(l.PointsPerMinute, defaultPointsPerMinute),
		concurrent: int64(cmp.Or(l.Concurrent, defaultConcurrent)),
		spent:      map[spendKey][]spend{},
	}
}

// enter counts a request under way until the function it returns is
// called, and reports whether there are more than the limit.
func (l *secondaryLimiter) enter() (over bool, leave func()) {
	n := l.inFlight.Add(1)
	return l.concurrent > 0 && n > l.concurrent, func() { l.inFlight.Add(-1) }
}

// spend takes the points of a request of method to endpoint by who. When
// the minute has no room for them, it takes nothing and says how long until
// it has.
func (l *secondaryLimiter) spend(who identity, endpoint, method string) (retryAfter time.Duration, ok bool) {
	if l.points == 0 {
		return 0, true
	}
	cost := readPoints
	if method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions {
		cost = writePoints
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	key := spendKey{who, endpoint}
	log := l.spent[key]
	start := now.Add(-time.Minute)
	for len(log) > 0 && !log[0].at.After(start) {
		log = log[1:]
	}
	total := 0
	for _, s := range log {
		total += s.points
	}
	if total+cost > l.points {
		// Room comes as the oldest spends leave the minute.
		wait := time.Minute
		for _, s := range log {
			total -= s.points
			if total+cost <= l.points {
				wait = s.at.Add(time.Minute).Sub(now)
				break
			}
		}
		l.spent[key] = log
		return wait, false
	}
	l.spent[key] = append(log, spend{at: now, points: cost})
	return 0, true
}

// secondaryLimitAnswer is GitHub's answer to a request over a secondary
// limit, with its Retry-After header when retryAfter is not empty.
func secondaryLimitAnswer(status int, requestID, retryAfter string) *answer {
	a := errorAnswer(status, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID "+requestID+".")
	a.err.DocumentationURL = docRateLimits + "#about-secondary-rate-limits"
	if retryAfter != "" {
		a.header = http.Header{"Retry-After": {retryAfter}}
	}
	return a
}

// retryAfterSeconds writes a wait as Retry-After does: whole seconds,
// rounded up, at least one.
func retryAfterSeconds(d time.Duration) string {
	return fmt.Sprint(max(int64((d+time.Second-1)/time.Second), 1))
}
