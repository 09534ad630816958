package ghactions

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
)

// redacted stands in for a token in what the client hands back.
const redacted = "[REDACTED]"

// tokenSet holds the tokens one call has sent, across its tries, redirects,
// pages and log-archive download. A server, or a proxy, may echo a token in
// any part of its answer: a header, a Location, a Link, a JSON key or value.
// Whatever the call hands back (error text, APIError fields, log lines) is
// scrubbed of them.
type tokenSet struct {
	tokens []string
}

func (s *tokenSet) add(tok string) {
	for _, t := range s.tokens {
		if t == tok {
			return
		}
	}
	s.tokens = append(s.tokens, tok)
}

// holds reports whether v contains a token of the set.
func (s *tokenSet) holds(v string) bool {
	for _, t := range s.tokens {
		if strings.Contains(v, t) {
			return true
		}
	}
	return false
}

func (s *tokenSet) scrubString(v string) string {
	for _, t := range s.tokens {
		v = strings.ReplaceAll(v, t, redacted)
	}
	return v
}

// scrubURL gives u, or a copy of it without the tokens.
func (s *tokenSet) scrubURL(u *url.URL) *url.URL {
	if u == nil || !s.holds(u.String()) {
		return u
	}
	c := *u
	c.User = nil
	c.Host = s.scrubString(c.Host)
	c.Path = s.scrubString(c.Path)
	c.RawPath = s.scrubString(c.RawPath)
	c.RawQuery = s.scrubString(c.RawQuery)
	c.Fragment = s.scrubString(c.Fragment)
	c.RawFragment = s.scrubString(c.RawFragment)
	c.Opaque = s.scrubString(c.Opaque)
	return &c
}

// scrub returns err unchanged when no text in it, or in what it wraps, holds
// a token. Otherwise it returns an error with the scrubbed text that still
// matches, for errors.Is and errors.As, what a caller may test: the context's
// errors, a cut body, ErrInvalidArgument, and an *APIError or
// *RateLimitError (whose fields are scrubbed when built). The rest of what
// err wrapped is dropped, since its text holds the token.
func (s *tokenSet) scrub(err error) error {
	if err == nil || !s.inTree(err) {
		return err
	}
	e := &scrubbedError{msg: s.scrubString(err.Error())}
	var rlErr *RateLimitError
	var apiErr *APIError
	switch {
	case errors.As(err, &rlErr):
		e.kept = append(e.kept, rlErr)
	case errors.As(err, &apiErr):
		e.kept = append(e.kept, apiErr)
	}
	for _, target := range []error{context.Canceled, context.DeadlineExceeded, io.ErrUnexpectedEOF, ErrInvalidArgument} {
		if errors.Is(err, target) {
			e.kept = append(e.kept, target)
		}
	}
	return e
}

// inTree reports whether the text of err, or of an error it wraps, holds a
// token.
func (s *tokenSet) inTree(err error) bool {
	if s.holds(err.Error()) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil {
			return s.inTree(inner)
		}
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			if inner != nil && s.inTree(inner) {
				return true
			}
		}
	}
	return false
}

// scrubbedError is an error whose text had a token in it.
type scrubbedError struct {
	msg  string
	kept []error
}

func (e *scrubbedError) Error() string   { return e.msg }
func (e *scrubbedError) Unwrap() []error { return e.kept }
