package ghactions

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client; pass options to NewClient.
type Option func(*config) error

type config struct {
	baseURL    string
	tokens     TokenSource
	httpClient *http.Client
	userAgent  string
	apiVersion string
	policy     RetryPolicy
	logger     *slog.Logger
	clock      Clock
	timeouts   timeouts
	pacing     time.Duration

	maxLogArchive int64 // 0: DefaultMaxLogArchiveSize
}

// TokenSource gives the token for the next request. The client asks for it
// before every try, retries included, so that a token that expires mid-way
// (a GitHub App installation token, say) is renewed. ghinstallation's
// *Transport satisfies it, so a GitHub App installation authenticates as
// WithTokenSource(itr), not as a transport.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

type staticToken string

func (t staticToken) Token(context.Context) (string, error) { return string(t), nil }

// WithToken authenticates every API request with "Authorization: Bearer
// <token>". The token is sent only to the base URL's host, never to a
// redirect target on another host, a log-archive host or a Link URL on
// another host. An empty token, or one with characters a header cannot hold,
// makes NewClient fail with ErrInvalidArgument.
func WithToken(token string) Option {
	return func(c *config) error {
		if err := checkToken(token); err != nil {
			return err
		}
		c.tokens = staticToken(token)
		return nil
	}
}

// WithTokenSource authenticates every API request with a token asked of ts
// before each try. A nil ts makes NewClient fail with ErrInvalidArgument.
func WithTokenSource(ts TokenSource) Option {
	return func(c *config) error {
		if ts == nil {
			return fmt.Errorf("%w: nil TokenSource", ErrInvalidArgument)
		}
		c.tokens = ts
		return nil
	}
}

// WithBaseURL sets the API's base URL; the default is
// "https://api.github.com/". A GitHub Enterprise Server or GitHub AE host
// given without a path ("https://ghe.example.com") means its REST API root,
// "https://ghe.example.com/api/v3/"; a URL with a path is kept as it is, with
// a trailing slash added. NewClient fails with ErrInvalidArgument for an
// unparsable URL, a scheme other than http or https, credentials, a query
// (a bare "?" too) or a fragment, a port outside 1 to 65535, or a plain-http
// URL on a host that is not loopback when a token is set.
func WithBaseURL(rawURL string) Option {
	return func(c *config) error {
		c.baseURL = rawURL
		return nil
	}
}

// WithHTTPClient makes hc's Transport the base of every request: API calls,
// retries and log-archive downloads. Use it for proxies, TLS settings and
// tests; its Timeout is kept, and its Transport is used as it is (a nil one
// means the client's own): the timeouts the client gives its own transport
// (see NewClient) are then the transport's to set (net/http's default transport has none for headers or
// bodies). hc's CheckRedirect is not used: the client applies its own
// redirect rules. It is not the place for authentication: the client
// attaches the token itself, and only to the API host. A nil hc makes
// NewClient fail with ErrInvalidArgument.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return fmt.Errorf("%w: nil *http.Client", ErrInvalidArgument)
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header; the default is
// "ghactions-go/<Version>". GitHub refuses requests without one, so an empty
// ua makes NewClient fail with ErrInvalidArgument.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || !validHeaderValue(ua) {
			return fmt.Errorf("%w: empty or malformed user agent", ErrInvalidArgument)
		}
		c.userAgent = ua
		return nil
	}
}

// WithAPIVersion sets the X-GitHub-Api-Version header; the default is
// "2022-11-28". An empty or malformed v makes NewClient fail with
// ErrInvalidArgument.
func WithAPIVersion(v string) Option {
	return func(c *config) error {
		if strings.TrimSpace(v) == "" || !validHeaderValue(v) {
			return fmt.Errorf("%w: empty or malformed API version", ErrInvalidArgument)
		}
		c.apiVersion = v
		return nil
	}
}

// WithRetryPolicy replaces DefaultRetryPolicy. Negative figures make
// NewClient fail with ErrInvalidArgument.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if p.MaxRetries < 0 || p.MinBackoff < 0 || p.MaxBackoff < 0 || p.MaxRateLimitWait < 0 {
			return fmt.Errorf("%w: negative figure in RetryPolicy", ErrInvalidArgument)
		}
		c.policy = p
		return nil
	}
}

// WithLogger logs, at Debug level, each try of each request (method, path,
// status, duration, attempt) and each retry with its reason and wait. It
// never logs the token or the Authorization header. A nil l turns logging
// off, which is the default.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

func checkToken(token string) error {
	if token == "" {
		return fmt.Errorf("%w: empty token", ErrInvalidArgument)
	}
	if !validHeaderValue(token) {
		// Never quote the token: it may be a real one with a stray newline.
		return fmt.Errorf("%w: token has characters a header cannot hold", ErrInvalidArgument)
	}
	return nil
}

// validHeaderValue rejects control characters, which would break or inject
// header lines.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
