package ghactionstest

import (
	"context"
	"sync"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// Clock is a virtual clock for tests: its time moves only when Advance or
// Sleep moves it. It implements ghactions.Clock, and its Sleep returns at
// once, having moved the time forward, so that a client that waits out a
// Retry-After of a minute or a rate-limit reset an hour away takes no real
// time. Give it to a server with WithSharedClock: the server then takes its
// time from it too, and sees the time the client waited pass. Goroutines
// that sleep on it at once move it by the sum of their waits. It is safe for
// concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

var _ ghactions.Clock = (*Clock)(nil)

// NewClock returns a clock that stands at start.
func NewClock(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock d forward. It panics on a negative d: time does
// not go back.
func (c *Clock) Advance(d time.Duration) {
	if d < 0 {
		panic("ghactionstest: Clock.Advance with a negative duration")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Sleep moves the clock d forward (nothing when d is not positive) and
// returns at once. When ctx has ended, it moves nothing and returns ctx's
// error, as a real sleep cut short would.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(max(d, 0))
	return nil
}

// WithSharedClock makes the server take its time from c, as WithClock does
// (timestamps of new runs and attempts, rate-limit windows, the reset of an
// injected primary limit, the expiry of log URLs, live mode), and makes
// Server.Client give c to the clients it makes (ghactions.WithClock), so
// that their waits (retries, rate limits, Wait's polls) run on c too. With a
// *Clock, those waits take no real time and the server sees them pass.
// Between WithClock and WithSharedClock, the last one given wins. NewServer
// panics on a nil c.
func WithSharedClock(c ghactions.Clock) Option {
	return func(cfg *config) {
		if c == nil {
			panic("ghactionstest: nil shared clock")
		}
		cfg.now, cfg.clock = c.Now, c
	}
}
