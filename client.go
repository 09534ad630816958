package ghactions

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
)

const (
	defaultBaseURL    = "https://api.github.com/"
	defaultAPIVersion = "2022-11-28"
	maxRedirects      = 10
)

// Client talks to the GitHub REST API. It is safe for concurrent use; make one
// and share it: its mutating requests go one at a time, a second apart by
// default (WithWritePacing), whichever goroutine sends them.
//
// Where a request goes: the token goes to the API's origin (scheme, host and
// port of the base URL) only. Nothing is ever followed from https to plain
// http, be it a redirect, a Link or a log URL: that is an error. A Link next
// off the API's origin is an error, not a page. A redirect that would turn a
// POST, PUT, PATCH or DELETE into a GET (a 301, 302 or 303) is an error,
// never a silent success; a 307 or 308 repeats the request as it was, on the
// API's origin only. Every error text, APIError field and log line is
// scrubbed of every token the call sent, whatever part of the answer echoed
// it. A GET whose body is cut or stalls on its way is retried like a network
// error; when the context has ended, the error matches the context's.
type Client struct {
	// Runs holds the workflow-run endpoints.
	Runs *RunsService
	// Jobs holds the endpoints of the jobs of workflow runs.
	Jobs *JobsService

	baseURL    *url.URL
	tokens     TokenSource // nil when anonymous
	userAgent  string
	apiVersion string
	httpClient *http.Client
	policy     RetryPolicy
	logger     *slog.Logger
	clock      Clock
	pacer      *pacer // of the writes
	rate       atomic.Pointer[Rate]

	maxLogArchive int64 // 0: DefaultMaxLogArchiveSize
}

// NewClient returns a client configured by opts; with none it talks to
// api.github.com anonymously. It fails, with an error wrapping
// ErrInvalidArgument, when an option is invalid or when a token would travel
// in clear text (a plain-http base URL on a host that is not loopback).
//
// Unless WithHTTPClient gives one, the client has a transport of its own
// (net/http's default, proxies from the environment included) whose waits
// are bounded, so that a call without a deadline cannot hang on a server
// that stops answering: 10 s to connect, 10 s for the TLS handshake, 30 s
// from the request to the answer's headers, and 30 s for any one read of a
// body (a stalled body; a body that streams slowly but steadily is fine).
// A try that times out is a network error: a GET is tried again under the
// RetryPolicy. The context's deadline, when there is one, still bounds the
// whole call.
func NewClient(opts ...Option) (*Client, error) {
	cfg := config{
		baseURL:    defaultBaseURL,
		userAgent:  "ghactions-go/" + Version,
		apiVersion: defaultAPIVersion,
		policy:     DefaultRetryPolicy(),
		clock:      systemClock{},
		timeouts:   defaultTimeouts(),
		pacing:     DefaultWritePacing,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := normalizeBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	if cfg.tokens != nil && base.Scheme != "https" && !isLoopback(base.Hostname()) {
		return nil, fmt.Errorf("%w: base URL %s is plain http on a host that is not loopback; a token must not travel in clear text", ErrInvalidArgument, base.Redacted())
	}
	c := &Client{
		baseURL:    base,
		tokens:     cfg.tokens,
		userAgent:  cfg.userAgent,
		apiVersion: cfg.apiVersion,
		policy:     cfg.policy,
		logger:     cfg.logger,
		clock:      cfg.clock,
		pacer:      newPacer(cfg.pacing),
	}
	c.httpClient = c.newHTTPClient(cfg.httpClient, cfg.timeouts)
	c.maxLogArchive = cfg.maxLogArchive
	c.Runs = &RunsService{client: c}
	c.Jobs = &JobsService{client: c}
	return c, nil
}

// Rate returns the rate-limit figures of the latest API answer that carried
// them; it is zero before the first.
func (c *Client) Rate() Rate {
	if r := c.rate.Load(); r != nil {
		return *r
	}
	return Rate{}
}

// BaseURL returns the normalised base URL the client sends its requests to.
func (c *Client) BaseURL() *url.URL {
	u := *c.baseURL
	return &u
}

func (c *Client) newHTTPClient(user *http.Client, t timeouts) *http.Client {
	hc := &http.Client{CheckRedirect: c.checkRedirect}
	if user != nil {
		hc.Timeout = user.Timeout
		if user.Transport != nil {
			// The retry loop closes idle connections when a wait is
			// cancelled; a transport the caller shares with others is the
			// caller's to manage, so hide that method from it.
			hc.Transport = sharedTransport{user.Transport}
		}
	}
	if hc.Transport == nil {
		// A transport of our own, so that closing its idle connections (as
		// the retry loop does when a wait is cancelled) touches no one else,
		// and with timeouts, so that a stalled server cannot hang a call.
		hc.Transport = ownTransport(t)
	}
	return hc
}

// sharedTransport is a caller's RoundTripper without its CloseIdleConnections.
type sharedTransport struct{ http.RoundTripper }

// redirectError is a redirect the client refuses to follow. It is never
// retried: the same request would meet the same redirect.
type redirectError struct{ reason string }

func (e *redirectError) Error() string { return "ghactions: " + e.reason }

var errTooManyRedirects = &redirectError{"stopped after 10 redirects"}

// checkRedirect follows redirects but never carries the token off the API's
// origin. net/http itself keeps Authorization for subdomains and for a
// switch from https to http; we keep it only for the exact scheme and host.
//
// It refuses what would do harm quietly: a hop from https to plain http; a
// 301, 302 or 303 of a mutation, which net/http would follow as a bodiless
// GET whose success would pass for the mutation's; and a 307 or 308 of a
// mutation to another origin, which would repeat the mutation, body and all,
// where it does not belong.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if noFollow(req.Context()) {
		return http.ErrUseLastResponse
	}
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	if err := checkDowngrade(via[len(via)-1].URL, req.URL); err != nil {
		return err
	}
	if first := via[0]; !safeMethod(first.Method) {
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		if req.Method != first.Method {
			return &redirectError{fmt.Sprintf("refusing a %d redirect that would turn the %s into a %s; the %s may not have been carried out", status, first.Method, req.Method, first.Method)}
		}
		if !c.isAPIOrigin(req.URL) {
			return &redirectError{fmt.Sprintf("refusing a %d redirect that would repeat the %s off the API's origin", status, first.Method)}
		}
	}
	if !c.isAPIOrigin(req.URL) {
		req.Header.Del("Authorization")
	}
	return nil
}

// checkDowngrade refuses to go from an https URL to a plain-http one.
func checkDowngrade(from, to *url.URL) error {
	if strings.EqualFold(from.Scheme, "https") && !strings.EqualFold(to.Scheme, "https") {
		return &redirectError{fmt.Sprintf("refusing to go from https to plain http (%s)", to.Redacted())}
	}
	return nil
}

func (c *Client) isAPIOrigin(u *url.URL) bool {
	return sameOrigin(u, c.baseURL)
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// normalizeBaseURL applies the base-URL rules of WithBaseURL.
func normalizeBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: base URL: %v", ErrInvalidArgument, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		u.Scheme = strings.ToLower(u.Scheme)
	default:
		return nil, fmt.Errorf("%w: base URL %q: scheme must be http or https", ErrInvalidArgument, u.Redacted())
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("%w: base URL %q has no host", ErrInvalidArgument, u.Redacted())
	}
	if u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("%w: base URL %q must not hold credentials, a query or a fragment", ErrInvalidArgument, u.Redacted())
	}
	if err := checkPort(u.Host); err != nil {
		return nil, fmt.Errorf("%w: base URL %q: %v", ErrInvalidArgument, u.Redacted(), err)
	}
	u.Host = strings.ToLower(u.Host)
	if u.Path == "" || u.Path == "/" {
		if !isCloudAPIHost(u.Hostname()) {
			u.Path = "/api/v3/"
		} else {
			u.Path = "/"
		}
		u.RawPath = ""
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// checkPort accepts a host without a port, or with a port of 1 to 65535:
// url.Parse lets through ports that no connection can use (99999, an empty
// one after the colon).
func checkPort(host string) error {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.HasSuffix(host, "]") {
		return nil
	}
	port := host[i+1:]
	if n, err := strconv.ParseUint(port, 10, 16); err != nil || n == 0 {
		return fmt.Errorf("port %q: must be 1 to 65535", port)
	}
	return nil
}

// isCloudAPIHost reports whether host serves the REST API at its root:
// api.github.com, and the API hosts of GHE.com (api.SUBDOMAIN.ghe.com).
func isCloudAPIHost(host string) bool {
	if host == "api.github.com" {
		return true
	}
	sub, ok := strings.CutPrefix(host, "api.")
	if !ok {
		return false
	}
	name, ok := strings.CutSuffix(sub, ".ghe.com")
	return ok && name != "" && !strings.Contains(name, ".")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
