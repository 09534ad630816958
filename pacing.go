package ghactions

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// DefaultWritePacing is the least time between two mutating requests of a
// Client unless WithWritePacing says otherwise: GitHub's advice against its
// secondary rate limits is to send mutating requests one at a time, at least
// a second apart.
const DefaultWritePacing = time.Second

// WithWritePacing makes the client send its mutating requests (POST, PATCH,
// PUT, DELETE: any method but GET, HEAD and OPTIONS), Client.Do's included,
// one at a time and at least d apart, from the end of one to the start of
// the next; the default is DefaultWritePacing, and 0 turns pacing off. A
// call that waits for its turn ends at once, having sent nothing, when its
// context ends, with the context's error. The retries and followed redirects
// of one call are that one write: no other write goes between them. Reads
// are never held back. The waits are on the client's Clock (WithClock). A
// negative d makes NewClient fail with ErrInvalidArgument.
func WithWritePacing(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("%w: negative write pacing %v", ErrInvalidArgument, d)
		}
		c.pacing = d
		return nil
	}
}

// pacer lets a client's writes through one at a time, interval apart.
type pacer struct {
	interval time.Duration // 0: writes are not paced
	slot     chan struct{} // holds a token while a write is under way
	last     time.Time     // when the last write ended; read and written only by the slot's holder
}

func newPacer(interval time.Duration) *pacer {
	return &pacer{interval: interval, slot: make(chan struct{}, 1)}
}

// mutating reports whether a request of method changes something, which
// GitHub's secondary limits count at five times a read.
func mutating(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// wait takes the slot, then waits until interval has passed since the last
// write ended; it returns how long it waited for the interval. On error
// (ctx ended) it holds nothing. The caller calls done when the write ends.
func (p *pacer) wait(ctx context.Context, clock Clock) (time.Duration, error) {
	select {
	case p.slot <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	// Both cases of the select may have been ready: a context that has
	// ended must not send.
	if err := ctx.Err(); err != nil {
		<-p.slot
		return 0, err
	}
	var d time.Duration
	if !p.last.IsZero() {
		d = p.last.Add(p.interval).Sub(clock.Now())
	}
	if d <= 0 {
		return 0, nil
	}
	if err := clock.Sleep(ctx, d); err != nil {
		<-p.slot
		return 0, err
	}
	return d, nil
}

// done ends the write that holds the slot.
func (p *pacer) done(clock Clock) {
	p.last = clock.Now()
	<-p.slot
}

// pace holds r back until it may go, when it is a write the client paces,
// and returns the function that ends it; on error (ctx ended) r must not be
// sent.
func (x *exchange) pace(ctx context.Context) (func(), error) {
	c, r := x.client, x.req
	if c.pacer.interval == 0 || r.archive || !mutating(r.method) {
		return func() {}, nil
	}
	d, err := c.pacer.wait(ctx, c.clock)
	if err != nil {
		return nil, fmt.Errorf("ghactions: %s %s: waiting for the pacing of writes: %w", r.method, r.url.Path, err)
	}
	if d > 0 {
		x.log(ctx, "ghactions: pacing writes",
			slog.String("method", r.method),
			slog.String("path", r.url.Path),
			slog.Duration("wait", d))
	}
	return func() { c.pacer.done(c.clock) }, nil
}
