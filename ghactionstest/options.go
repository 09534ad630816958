package ghactionstest

import (
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// Option configures a Server; pass options to NewServer.
type Option func(*config)

type config struct {
	token     string
	public    bool
	rateLimit int
	now       func() time.Time
	clock     ghactions.Clock // given to the clients of Server.Client; nil gives none
	live      time.Duration   // a step's time in live mode; 0 is off
	staleGets int             // GETs of a run that show the attempt before a re-run

	secondary   SecondaryLimits
	noSecondary bool

	dispatchNoContent bool // workflow dispatches answer 204 whatever they ask
}

// GitHub's hourly limits for a personal access token and for anonymous
// callers.
const (
	defaultRateLimit   = 5000
	anonymousRateLimit = 60
)

// WithToken sets the token the server accepts, instead of one it makes up.
// NewServer panics on an empty token.
func WithToken(token string) Option {
	return func(c *config) {
		if token == "" {
			panic("ghactionstest: empty token")
		}
		c.token = token
	}
}

// WithPublic makes the server's repositories public: requests without a
// token may read them (with the anonymous rate limit), though changing them
// still takes the token: without it, a change answers 401 "Requires
// authentication". By default every repository is private and a request
// without a token answers 404, as GitHub answers so as not to tell that a
// private repository exists. A wrong token answers 401 "Bad credentials"
// either way.
func WithPublic() Option {
	return func(c *config) { c.public = true }
}

// WithRateLimit sets the hourly primary rate limit of every caller, with the
// token or without; the default is GitHub's: 5,000 with a token and 60
// without. NewServer panics on a limit below 1.
func WithRateLimit(limit int) Option {
	return func(c *config) {
		if limit < 1 {
			panic("ghactionstest: rate limit below 1")
		}
		c.rateLimit = limit
	}
}

// WithClock makes the server take the time from now instead of time.Now:
// for the timestamps of new runs and attempts, the expiry of log-archive
// URLs and the rate-limit window. It lets a test move time, for instance past
// the minute a log URL lives. now is called from the server's goroutines, so
// it must be safe for concurrent use.
//
// The client still waits for a rate-limit reset by its own clock: a fake
// clock far from the real one makes those waits long or nil. WithSharedClock
// gives the server's clock to its clients too.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now, c.clock = now, nil }
}
