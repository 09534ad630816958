package ghactions

import (
	"context"
	"fmt"
	"time"
)

// Clock is where a Client takes the time from and how it waits: between
// retries, for a rate limit to reset, between the polls of Wait and between
// paced writes. The default is the system clock. Tests give a Clock whose
// Sleep returns at once (moving its Now forward), so that a Retry-After of a
// minute costs no real time; ghactionstest has one that it shares with its
// server.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx ends, when it returns ctx's error.
	Sleep(ctx context.Context, d time.Duration) error
}

// WithClock makes the client take the time from c and wait with it. A nil c
// makes NewClient fail with ErrInvalidArgument.
func WithClock(c Clock) Option {
	return func(cfg *config) error {
		if c == nil {
			return fmt.Errorf("%w: nil Clock", ErrInvalidArgument)
		}
		cfg.clock = c
		return nil
	}
}

// systemClock is the real time.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
