package ghactions

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// request is one logical call; the retry loop may send it several times.
type request struct {
	method   string
	url      *url.URL
	body     []byte      // JSON; nil sends no body
	header   http.Header // extra headers, such as If-None-Match
	noFollow bool        // hand back a redirect instead of following it
	archive  bool        // a log-archive download: no token, no API headers
}

// newRequest builds a request for path, relative to the base URL and already
// escaped, with an optional query and a body marshalled to JSON.
func (c *Client) newRequest(method, path string, query url.Values, body any) (*request, error) {
	u, err := c.baseURL.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("%w: path %q: %v", ErrInvalidArgument, path, err)
	}
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	r := &request{method: method, url: u}
	if body != nil {
		if r.body, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("ghactions: encoding request body: %w", err)
		}
	}
	return r, nil
}

type noFollowKey struct{}

func withNoFollow(ctx context.Context) context.Context {
	return context.WithValue(ctx, noFollowKey{}, true)
}

func noFollow(ctx context.Context) bool {
	v, _ := ctx.Value(noFollowKey{}).(bool)
	return v
}

// do sends r through the retry loop and returns the final answer, whatever
// its status. The caller closes its body. The exchange it returns knows the
// tokens that were sent, to keep them out of error text.
func (c *Client) do(ctx context.Context, r *request) (*http.Response, *exchange, error) {
	if ctx == nil {
		return nil, &exchange{client: c, req: r}, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	x := &exchange{client: c, req: r, ctx: ctx}
	if r.noFollow {
		ctx = withNoFollow(ctx)
	}
	var body any
	if r.body != nil {
		body = r.body // as []byte, so that every retry re-sends it whole
	}
	rreq, err := retryablehttp.NewRequestWithContext(ctx, r.method, r.url.String(), body)
	if err != nil {
		return nil, x, fmt.Errorf("ghactions: %s %s: %w", r.method, r.url.Path, err)
	}
	h := rreq.Header
	h.Set("User-Agent", c.userAgent)
	if !r.archive {
		h.Set("Accept", "application/vnd.github+json")
		h.Set("X-GitHub-Api-Version", c.apiVersion)
	} else {
		// Asked for gzip, the transport would inflate the answer unbounded.
		h.Set("Accept-Encoding", "identity")
	}
	if r.body != nil {
		h.Set("Content-Type", "application/json")
	}
	for k, vs := range r.header {
		h[k] = append([]string(nil), vs...)
	}
	if err := x.authorize(rreq.Request); err != nil {
		return nil, x, err
	}
	rc := &retryablehttp.Client{
		HTTPClient:     c.httpClient,
		RetryWaitMin:   c.policy.MinBackoff,
		RetryWaitMax:   c.policy.MaxBackoff,
		RetryMax:       c.policy.MaxRetries,
		CheckRetry:     x.checkRetry,
		Backoff:        x.backoff,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
		RequestLogHook: x.beforeTry,
		PrepareRetry:   x.authorize,
	}
	hr, err := rc.Do(rreq)
	if err != nil {
		if hr != nil {
			hr.Body.Close()
		}
		return nil, x, x.scrub(fmt.Errorf("ghactions: %s %s: %w", r.method, r.url.Path, err))
	}
	hr.Request = redactRequest(hr.Request)
	if !r.archive {
		if rate, ok := parseRate(hr.Header); ok {
			c.rate.Store(&rate)
		}
	}
	return hr, x, nil
}

// call sends r and, on a 2xx answer, decodes its JSON body into v (nil v
// discards the body). A non-2xx answer gives an *APIError or a
// *RateLimitError.
func (c *Client) call(ctx context.Context, r *request, v any) (*Response, error) {
	hr, x, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	defer hr.Body.Close()
	resp := newResponse(hr)
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		return resp, x.apiError(hr)
	}
	if v == nil {
		// Empty bodies, {} and null are all fine here; read a little so the
		// connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(hr.Body, 64<<10))
		return resp, nil
	}
	if err := decodeJSON(hr.Body, v); err != nil {
		return resp, fmt.Errorf("ghactions: %s %s: decoding the answer: %w", r.method, r.url.Path, err)
	}
	return resp, nil
}

// authorize sets the token on req when it goes to the API's origin, and
// makes sure no token rides along otherwise. It runs before every try.
func (x *exchange) authorize(req *http.Request) error {
	c := x.client
	// A context that ended while the retry loop waited must end the call,
	// not start another try.
	if err := req.Context().Err(); err != nil {
		return err
	}
	// The retry loop re-sends a shallow copy of the request; a header map of
	// its own keeps the earlier try's headers untouched.
	req.Header = req.Header.Clone()
	req.Header.Del("Authorization")
	if x.req.archive || c.tokens == nil || !c.isAPIOrigin(req.URL) {
		return nil
	}
	tok, err := c.tokens.Token(req.Context())
	if err != nil {
		return fmt.Errorf("ghactions: getting a token: %w", err)
	}
	if err := checkToken(tok); err != nil {
		return fmt.Errorf("ghactions: token source: %w", err)
	}
	x.remember(tok)
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// redactRequest gives a copy of req without its Authorization header, nor
// any in the requests of the redirects that led to it (req.Response.Request),
// so that a caller who dumps Response.Request does not print the token.
func redactRequest(req *http.Request) *http.Request {
	if !chainHasAuthorization(req) {
		return req
	}
	r := req.Clone(req.Context())
	r.Header.Del("Authorization")
	if r.Response != nil {
		prev := *r.Response
		prev.Request = redactRequest(prev.Request)
		r.Response = &prev
	}
	return r
}

func chainHasAuthorization(req *http.Request) bool {
	for req != nil {
		if req.Header.Get("Authorization") != "" {
			return true
		}
		if req.Response == nil {
			return false
		}
		req = req.Response.Request
	}
	return false
}

// exchange is the state of one call across its tries.
type exchange struct {
	client *Client
	req    *request
	ctx    context.Context
	tokens []string // every token sent, to scrub from error text
	tries  int
	start  time.Time // of the current try
	wait   time.Duration
}

func (x *exchange) remember(tok string) {
	for _, t := range x.tokens {
		if t == tok {
			return
		}
	}
	x.tokens = append(x.tokens, tok)
}

func (x *exchange) beforeTry(_ retryablehttp.Logger, _ *http.Request, i int) {
	x.tries = i + 1
	x.start = time.Now()
}

// scrubString removes every token this call sent from s: a server, or a
// proxy, may echo the request back.
func (x *exchange) scrubString(s string) string {
	for _, t := range x.tokens {
		s = strings.ReplaceAll(s, t, "[REDACTED]")
	}
	return s
}

// scrub returns err with the tokens removed from its text, keeping what it
// wraps for errors.Is and errors.As.
func (x *exchange) scrub(err error) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); x.scrubString(msg) != msg {
		return &scrubbedError{msg: x.scrubString(msg), err: err}
	}
	return err
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// maxErrorBody caps what is read of an error answer, so that a hostile or
// broken server cannot exhaust memory.
const maxErrorBody = 1 << 20

// peekBody reads up to maxErrorBody of an answer's body and puts it back, so
// that the retry policy and the error builder can both look at it.
func peekBody(hr *http.Response) []byte {
	if b, ok := hr.Body.(*bufferedBody); ok {
		return b.data
	}
	data, _ := io.ReadAll(io.LimitReader(hr.Body, maxErrorBody))
	hr.Body = &bufferedBody{Reader: bytes.NewReader(data), data: data, orig: hr.Body}
	return data
}

type bufferedBody struct {
	*bytes.Reader
	data []byte
	orig io.Closer
}

func (b *bufferedBody) Close() error { return b.orig.Close() }

// apiError builds the error for a non-2xx answer.
func (x *exchange) apiError(hr *http.Response) error {
	body := peekBody(hr)
	e := APIError{
		Response:   hr,
		StatusCode: hr.StatusCode,
		RequestID:  hr.Header.Get("X-GitHub-Request-Id"),
	}
	eb := parseErrorBody(body)
	e.Message = x.scrubString(eb.Message)
	e.DocumentationURL = x.scrubString(eb.DocumentationURL)
	for _, fe := range eb.Errors {
		e.Errors = append(e.Errors, FieldError{
			Resource: x.scrubString(fe.Resource),
			Field:    x.scrubString(fe.Field),
			Code:     x.scrubString(fe.Code),
			Message:  x.scrubString(fe.Message),
		})
	}
	if rl, ok := classifyRateLimit(hr, eb.Message, x.client.clock.Now()); ok {
		e.rateLimited = true
		return &RateLimitError{APIError: e, Rate: rl.rate, RetryAfter: rl.wait, Secondary: rl.secondary}
	}
	return &e
}
