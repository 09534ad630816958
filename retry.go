package ghactions

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RetryPolicy says which failures the client retries and how long it waits.
//
// Retried: network errors (never a cancelled or expired context), 500, 502,
// 503 and 504, with an exponential, jittered backoff; and rate limits. A
// secondary rate limit (a 403 or 429 whose headers or message say so) waits
// for its Retry-After, or 60 s when there is none; a primary one
// (x-ratelimit-remaining: 0) waits until x-ratelimit-reset. Either is waited
// out only while the wait is at most MaxRateLimitWait; a longer one returns a
// *RateLimitError at once. No other 4xx is retried. A retry re-sends the same
// body, and a context cancelled during a wait ends the call at once with the
// context's error.
type RetryPolicy struct {
	MaxRetries       int           // retries after the first try; 0 = never retry
	MinBackoff       time.Duration // first backoff for 5xx / network errors (exponential, jittered)
	MaxBackoff       time.Duration // cap of one backoff
	MaxRateLimitWait time.Duration // longest single wait for a rate limit (Retry-After or reset); longer -> return *RateLimitError at once
}

// DefaultRetryPolicy is what NewClient uses: 3 retries, backoff from 1 s up
// to 30 s, and rate-limit waits of up to 60 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxRetries:       3,
		MinBackoff:       time.Second,
		MaxBackoff:       30 * time.Second,
		MaxRateLimitWait: 60 * time.Second,
	}
}

// secondaryDefaultWait is GitHub's advice for a secondary limit without a
// Retry-After: wait at least a minute.
const secondaryDefaultWait = time.Minute

// checkRetry is the retry loop's CheckRetry: it logs the try, then decides.
// The loop asks twice about a try whose answer it hands to readBody: once
// for the answer, again for what reading its body gave. A try whose body is
// read is logged after the reading, once.
func (x *exchange) checkRetry(ctx context.Context, hr *http.Response, err error) (bool, error) {
	again := x.checked == x.tries
	x.checked = x.tries
	readsBody := err == nil && x.req.decode != nil && hr != nil && hr.StatusCode >= 200 && hr.StatusCode <= 299
	if again && (readsBody || err != nil) || !again && !readsBody {
		x.logTry(ctx, hr, err)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	if x.tries > x.client.policy.MaxRetries {
		return false, nil
	}
	reason, wait, retry := x.decide(hr, err)
	if !retry {
		return false, nil
	}
	x.wait = wait
	x.log(ctx, "ghactions: retrying",
		slog.String("method", x.req.method),
		slog.String("path", x.req.url.Path),
		slog.String("reason", reason),
		slog.Duration("wait", wait),
		slog.Int("attempt", x.tries))
	return true, nil
}

// backoff is the retry loop's Backoff. checkRetry has already worked out the
// wait; backoff waits it out on the client's Clock, so that a test clock
// makes retries instant, and tells the loop to wait no more. A context that
// ends meanwhile is caught before the next try (authorize).
func (x *exchange) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	_ = x.client.clock.Sleep(x.ctx, x.wait)
	return 0
}

// decide says whether a try's outcome is worth another try, why, and after
// how long.
func (x *exchange) decide(hr *http.Response, err error) (reason string, wait time.Duration, retry bool) {
	p := x.client.policy
	if err != nil {
		// A body that did not decode would not decode the next time; one cut
		// on its way is a network error, but a mutation whose answer was cut
		// may have happened, so only a GET (or HEAD) is sent again.
		var bodyErr *bodyError
		if errors.As(err, &bodyErr) && (!bodyErr.cut || !safeMethod(x.req.method)) {
			return "", 0, false
		}
		if !retryableError(err) {
			return "", 0, false
		}
		return "network error: " + err.Error(), expBackoff(p.MinBackoff, p.MaxBackoff, x.tries), true
	}
	switch hr.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "status " + strconv.Itoa(hr.StatusCode), expBackoff(p.MinBackoff, p.MaxBackoff, x.tries), true
	case http.StatusForbidden, http.StatusTooManyRequests:
		rl, ok := classifyRateLimit(hr, parseErrorBody(peekBody(hr)).Message, x.client.clock.Now())
		if !ok || rl.wait > p.MaxRateLimitWait {
			return "", 0, false
		}
		kind := "primary"
		if rl.secondary {
			kind = "secondary"
		}
		return fmt.Sprintf("%s rate limit (status %d)", kind, hr.StatusCode), rl.wait, true
	}
	return "", 0, false
}

// safeMethod reports whether sending a request again cannot do twice what
// it asks.
func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead
}

// retryableError tells a passing network fault from one that another try
// cannot mend. The end of the call's context has been caught before
// (checkRetry); a timeout of one try (the transport's wait for headers, a
// caller's http.Client.Timeout), which also matches
// context.DeadlineExceeded, is a network fault like any other.
func retryableError(err error) bool {
	var redirectErr *redirectError
	if errors.Is(err, context.Canceled) || errors.As(err, &redirectErr) {
		return false
	}
	var (
		certErr      *tls.CertificateVerificationError
		unknownAuth  x509.UnknownAuthorityError
		hostnameErr  x509.HostnameError
		certInvalid  x509.CertificateInvalidError
		recordHeader tls.RecordHeaderError
	)
	if errors.As(err, &certErr) || errors.As(err, &unknownAuth) || errors.As(err, &hostnameErr) ||
		errors.As(err, &certInvalid) || errors.As(err, &recordHeader) {
		return false
	}
	return !strings.Contains(err.Error(), "unsupported protocol scheme")
}

// expBackoff doubles min for each try up to max, then picks a wait in its
// upper half, so that clients that failed together do not retry together.
func expBackoff(minWait, maxWait time.Duration, try int) time.Duration {
	if minWait <= 0 {
		return 0
	}
	d := minWait
	for i := 1; i < try && d < maxWait; i++ {
		d *= 2
	}
	if maxWait > 0 && d > maxWait {
		d = maxWait
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// rateLimit describes an answer refused by a rate limit.
type rateLimit struct {
	secondary bool
	wait      time.Duration
	rate      Rate
}

// classifyRateLimit tells whether a 403 or 429 is a rate limit, by its
// headers first (x-ratelimit-remaining: 0, Retry-After), then by its message.
func classifyRateLimit(hr *http.Response, message string, now time.Time) (rateLimit, bool) {
	if hr.StatusCode != http.StatusForbidden && hr.StatusCode != http.StatusTooManyRequests {
		return rateLimit{}, false
	}
	rl := rateLimit{}
	rl.rate, _ = parseRate(hr.Header)
	retryAfter, hasRetryAfter := parseRetryAfter(hr.Header.Get("Retry-After"), now)
	exhausted := strings.TrimSpace(hr.Header.Get("X-RateLimit-Remaining")) == "0"
	msg := strings.ToLower(message)
	switch {
	case exhausted, strings.Contains(msg, "api rate limit exceeded"):
		rl.wait = secondaryDefaultWait
		if !rl.rate.Reset.IsZero() {
			rl.wait = untilReset(rl.rate.Reset, now)
		}
	case hasRetryAfter, strings.Contains(msg, "secondary rate limit"), strings.Contains(msg, "abuse"):
		rl.secondary = true
		rl.wait = secondaryDefaultWait
	case hr.StatusCode == http.StatusTooManyRequests:
		rl.secondary = true
		rl.wait = secondaryDefaultWait
	default:
		return rateLimit{}, false
	}
	if hasRetryAfter {
		rl.wait = retryAfter
	}
	return rl, true
}

func untilReset(reset, now time.Time) time.Duration {
	if reset.IsZero() || !reset.After(now) {
		return 0
	}
	return reset.Sub(now)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
// Anything else, a negative number included, is as good as no header: taking
// it for 0 would retry at once, which is what the limit asks not to do.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		// Anything longer than a day is as good as "not now"; capping keeps
		// the multiplication from overflowing.
		return time.Duration(min(secs, 86400)) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// logTry logs one try at Debug level: never the token, never the headers.
func (x *exchange) logTry(ctx context.Context, hr *http.Response, err error) {
	l := x.client.logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", x.req.method),
		slog.String("path", x.req.url.Path),
		slog.Duration("duration", time.Since(x.start)),
		slog.Int("attempt", x.tries),
	}
	if hr != nil {
		attrs = append(attrs, slog.Int("status", hr.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	x.log(ctx, "ghactions: request", attrs...)
}

// log writes a Debug line; it is the one way out to the logger, and scrubs
// every string of the line of the tokens the call sent (a path may come from
// a Link, an error from an echoing server).
func (x *exchange) log(ctx context.Context, msg string, attrs ...slog.Attr) {
	l := x.client.logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	for i, a := range attrs {
		if a.Value.Kind() == slog.KindString {
			attrs[i].Value = slog.StringValue(x.scrubString(a.Value.String()))
		}
	}
	l.LogAttrs(ctx, slog.LevelDebug, x.scrubString(msg), attrs...)
}
