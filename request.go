package ghactions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
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
	// sent holds the tokens sent for the call this request is part of; the
	// requests of one call (its pages, its log archive) share it.
	sent *tokenSet
	// decode, when set, reads a 2xx answer's body inside the retry loop, so
	// that a GET whose body is cut on its way is tried again.
	decode func(body io.Reader) error
}

// follow builds the GET of a URL the answer to r led to (a next page, a log
// archive), as part of the same call.
func (r *request) follow(u *url.URL) *request {
	return &request{method: http.MethodGet, url: u, sent: r.sent}
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
	r := &request{method: method, url: u, sent: new(tokenSet)}
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
// its status. The caller closes its body. On error, the answer it returns
// (when there was one) has its body closed already. The exchange it returns
// knows the tokens that were sent, to keep them out of what the call hands
// back.
func (c *Client) do(ctx context.Context, r *request) (*http.Response, *exchange, error) {
	if r.sent == nil {
		r.sent = new(tokenSet)
	}
	if ctx == nil {
		return nil, &exchange{client: c, req: r, ctx: context.Background()}, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	x := &exchange{client: c, req: r, ctx: ctx}
	// The slot is held through every try and redirect of the call: they
	// are one write.
	end, err := x.pace(ctx)
	if err != nil {
		return nil, x, x.fail(err)
	}
	defer end()
	if r.noFollow {
		ctx = withNoFollow(ctx)
	}
	var body any
	if r.body != nil {
		body = r.body // as []byte, so that every retry re-sends it whole
	}
	rreq, err := retryablehttp.NewRequestWithContext(ctx, r.method, r.url.String(), body)
	if err != nil {
		return nil, x, x.fail(fmt.Errorf("ghactions: %s %s: %w", r.method, r.url.Path, err))
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
		return nil, x, x.fail(err)
	}
	rreq.SetResponseHandler(x.readBody)
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
	if hr != nil {
		hr.Request = x.redactRequest(hr.Request)
		if !r.archive {
			if rate, ok := parseRate(hr.Header); ok {
				c.rate.Store(&rate)
			}
		}
	}
	if err != nil {
		if hr != nil {
			hr.Body.Close()
		}
		return hr, x, x.fail(fmt.Errorf("ghactions: %s %s: %w", r.method, r.url.Path, err))
	}
	return hr, x, nil
}

// responseOf gives the Response of an answer that do returned with an
// error (one whose body did not decode, a redirect that was refused), or
// nil when there was no answer.
func responseOf(hr *http.Response) *Response {
	if hr == nil {
		return nil
	}
	return newResponse(hr)
}

// get sends a GET of path, relative to the base URL, with query q, and
// decodes a 2xx answer into a new T.
func get[T any](ctx context.Context, c *Client, path string, q url.Values) (*T, *Response, error) {
	r, err := c.newRequest(http.MethodGet, path, q, nil)
	if err != nil {
		return nil, nil, err
	}
	v := new(T)
	resp, err := c.call(ctx, r, v)
	if err != nil {
		return nil, resp, err
	}
	return v, resp, nil
}

// call sends r and, on a 2xx answer, decodes its JSON body into v (nil v
// discards the body). A non-2xx answer gives an *APIError or a
// *RateLimitError.
func (c *Client) call(ctx context.Context, r *request, v any) (*Response, error) {
	if v != nil {
		r.decode = decodeInto(v)
	}
	return c.send(ctx, r)
}

// send sends r, has r.decode read a 2xx answer, and closes the body. A
// non-2xx answer gives an *APIError or a *RateLimitError.
func (c *Client) send(ctx context.Context, r *request) (*Response, error) {
	hr, x, err := c.do(ctx, r)
	if err != nil {
		return responseOf(hr), err
	}
	defer hr.Body.Close()
	resp := newResponse(hr)
	if hr.StatusCode < 200 || hr.StatusCode > 299 {
		return resp, x.fail(x.apiError(hr))
	}
	if r.decode == nil {
		// Empty bodies, {} and null are all fine here; read a little so the
		// connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(hr.Body, 64<<10))
	}
	return resp, nil
}

// decodeInto decodes a JSON answer into v. A retry decodes into a zeroed v,
// so that nothing of a cut answer stays behind.
func decodeInto(v any) func(io.Reader) error {
	tries := 0
	return func(body io.Reader) error {
		if tries++; tries > 1 {
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
				rv.Elem().SetZero()
			}
		}
		return decodeJSON(body, v)
	}
}

// readBody is the retry loop's response handler: it has r.decode read a
// final 2xx answer while the loop can still try again. A body that the
// transport failed to deliver whole is a cut body, which checkRetry retries
// for a GET; one that arrived whole but does not decode is not retried.
func (x *exchange) readBody(hr *http.Response) error {
	if x.req.decode == nil || hr.StatusCode < 200 || hr.StatusCode > 299 || x.ctx.Err() != nil {
		return nil
	}
	tr := &trackedReader{r: hr.Body}
	if err := x.req.decode(tr); err != nil {
		return &bodyError{err: err, cut: tr.err != nil}
	}
	return nil
}

// trackedReader remembers the first error of its reader other than io.EOF:
// an error of the transport, not of what it carried.
type trackedReader struct {
	r   io.Reader
	err error
}

func (t *trackedReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// bodyError is a 2xx answer whose body was cut on its way (cut) or did not
// decode.
type bodyError struct {
	err error
	cut bool
}

func (e *bodyError) Error() string {
	if e.cut {
		return "reading the answer: " + e.err.Error()
	}
	return "decoding the answer: " + e.err.Error()
}

func (e *bodyError) Unwrap() error { return e.err }

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
	x.req.sent.add(tok)
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// redactRequest gives a copy of req without its Authorization header nor a
// token in its URL, and likewise for the requests of the redirects that led
// to it (req.Response.Request), so that a caller who prints Response.Request
// does not print the token.
func (x *exchange) redactRequest(req *http.Request) *http.Request {
	if !x.chainNeedsRedaction(req) {
		return req
	}
	r := req.Clone(req.Context())
	r.Header.Del("Authorization")
	r.URL = x.req.sent.scrubURL(r.URL)
	if r.Response != nil {
		prev := *r.Response
		prev.Request = x.redactRequest(prev.Request)
		r.Response = &prev
	}
	return r
}

func (x *exchange) chainNeedsRedaction(req *http.Request) bool {
	for req != nil {
		if req.Header.Get("Authorization") != "" || x.req.sent.holds(req.URL.String()) {
			return true
		}
		if req.Response == nil {
			return false
		}
		req = req.Response.Request
	}
	return false
}

// exchange is the state of one request across its tries.
type exchange struct {
	client  *Client
	req     *request
	ctx     context.Context
	tries   int
	checked int       // the try checkRetry last saw
	start   time.Time // of the current try
	wait    time.Duration
}

func (x *exchange) beforeTry(_ retryablehttp.Logger, _ *http.Request, i int) {
	x.tries = i + 1
	x.start = time.Now()
	countTry(x.ctx)
}

// scrubString removes every token the call sent from s.
func (x *exchange) scrubString(s string) string { return x.req.sent.scrubString(s) }

// fail is the way out of the pipeline for every error of a request. An
// error that the end of the call's context caused (a read cut by a
// deadline reports "use of closed network connection") matches the
// context's error, as every other wait of the client does; and no text of
// the error holds a token the call sent.
func (x *exchange) fail(err error) error {
	if ctxErr := x.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
	}
	return x.req.sent.scrub(err)
}

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
		RequestID:  x.scrubString(hr.Header.Get("X-GitHub-Request-Id")),
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
