package ghactions

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors. Match them with errors.Is: every error of this package for
// a non-2xx answer matches the sentinel of its status.
var (
	// ErrInvalidArgument reports bad input caught before any request was
	// sent: an empty or malformed owner or repo, a runID <= 0, an attempt < 1,
	// a PerPage outside 0..100, Status and Conclusion both set, and so on.
	ErrInvalidArgument = errors.New("ghactions: invalid argument")
	// ErrUnauthorized matches a 401 answer: a missing, bad or expired token.
	ErrUnauthorized = errors.New("ghactions: unauthorized")
	// ErrForbidden matches a 403 answer that is not a rate limit.
	ErrForbidden = errors.New("ghactions: forbidden")
	// ErrNotFound matches a 404 answer. GitHub also answers 404 for private
	// resources the token may not see.
	ErrNotFound = errors.New("ghactions: not found")
	// ErrConflict matches a 409 answer, such as cancelling a completed run.
	ErrConflict = errors.New("ghactions: conflict")
	// ErrUnprocessable matches a 422 answer (validation failed).
	ErrUnprocessable = errors.New("ghactions: unprocessable")
	// ErrRateLimited matches a primary or secondary rate limit (403 or 429).
	ErrRateLimited = errors.New("ghactions: rate limited")
)

// APIError is a non-2xx answer from the API (or from the log-archive host).
type APIError struct {
	// Response is the answer; its body has been read and closed.
	Response         *http.Response
	StatusCode       int
	Message          string
	DocumentationURL string
	Errors           []FieldError
	RequestID        string // X-GitHub-Request-Id

	rateLimited bool // set for the APIError inside a RateLimitError
}

// FieldError is one entry of the "errors" array of a 422 answer.
type FieldError struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Code     string `json:"code"` // "missing", "missing_field", "invalid", "already_exists", "unprocessable", "custom"
	Message  string `json:"message"`
}

// Error describes the failed request, its status, the API's message and its
// request ID.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("ghactions: ")
	if e.Response != nil && e.Response.Request != nil {
		b.WriteString(e.Response.Request.Method)
		b.WriteByte(' ')
		b.WriteString(e.Response.Request.URL.Path)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, fe := range e.Errors {
		b.WriteString("; ")
		b.WriteString(fe.String())
	}
	if e.RequestID != "" {
		b.WriteString(" (request ID ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return b.String()
}

// Is reports whether target is the sentinel of the error's status.
func (e *APIError) Is(target error) bool {
	switch e.StatusCode {
	case http.StatusUnauthorized:
		return target == ErrUnauthorized
	case http.StatusForbidden:
		if e.rateLimited {
			return target == ErrRateLimited
		}
		return target == ErrForbidden
	case http.StatusNotFound:
		return target == ErrNotFound
	case http.StatusConflict:
		return target == ErrConflict
	case http.StatusUnprocessableEntity:
		return target == ErrUnprocessable
	case http.StatusTooManyRequests:
		return target == ErrRateLimited
	}
	return false
}

// String gives the field error in one line.
func (fe FieldError) String() string {
	parts := make([]string, 0, 4)
	for _, s := range []string{fe.Resource, fe.Field, fe.Code, fe.Message} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// RateLimitError is an answer refused by a primary or secondary rate limit
// that the client did not wait out, because its wait was longer than
// RetryPolicy.MaxRateLimitWait or the retries ran out. It matches
// ErrRateLimited, and errors.As finds its APIError too.
type RateLimitError struct {
	APIError
	Rate       Rate
	RetryAfter time.Duration // from Retry-After, or until Rate.Reset
	Secondary  bool          // a secondary (abuse) limit rather than the hourly quota
}

// Error describes the limit and how long to wait before trying again.
func (e *RateLimitError) Error() string {
	kind := "primary"
	if e.Secondary {
		kind = "secondary"
	}
	return fmt.Sprintf("%s (%s rate limit; retry after %s)", e.APIError.Error(), kind, e.RetryAfter)
}

// Unwrap gives the embedded APIError, so that errors.As finds it.
func (e *RateLimitError) Unwrap() error { return &e.APIError }
