package ghactionstest

import (
	"context"
	"net/http"
	"strconv"
	"strings"
)

// supportedAPIVersions are the values of X-GitHub-Api-Version that GitHub
// takes; a request without the header gets the oldest.
var supportedAPIVersions = map[string]bool{"2022-11-28": true, "2026-03-10": true}

// callKey keys the per-request call in the context of an API request.
type callKey struct{}

// call is what serveAPI learnt of a request before routing it: who makes it
// and the rate-limit figures after spending it.
type call struct {
	who  identity
	rate rate
}

// serveAPI answers a request to the API, in GitHub's order: refuse clients
// it does not talk to, authenticate, spend the rate limit, refuse one of too
// many requests at once (tooMany), then route.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, tooMany bool) {
	w.Header().Set("X-GitHub-Request-Id", s.ids.next())
	if r.Header.Get("User-Agent") == "" {
		s.write(w, errorAnswer(http.StatusForbidden, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header."), docUserAgent, nil)
		return
	}
	if v := r.Header.Get("X-GitHub-Api-Version"); v != "" && !supportedAPIVersions[v] {
		s.write(w, errorAnswer(http.StatusBadRequest, "API version "+strconv.Quote(v)+" is not supported."), docVersions, nil)
		return
	}
	who, refused := s.authenticate(r)
	if refused != nil {
		rt := s.limits.peek(who)
		s.write(w, refused, docRoot, &rt)
		return
	}
	rt, ok := s.limits.take(who)
	if !ok {
		s.write(w, primaryLimitAnswer(who, w.Header().Get("X-GitHub-Request-Id")), docRateLimits, &rt)
		return
	}
	if tooMany {
		s.write(w, secondaryLimitAnswer(http.StatusForbidden, w.Header().Get("X-GitHub-Request-Id"), strconv.Itoa(concurrentRetryAfter)), docRateLimits, &rt)
		return
	}
	s.resolveRepositoryID(r)
	ctx := context.WithValue(r.Context(), callKey{}, &call{who: who, rate: rt})
	// In live mode, the runs are brought up to the clock before the request
	// sees them, and after it has changed them, so that what it started
	// (a re-run, an approval, a review) moves on from the time it was made.
	s.state.moveOn()
	s.api.ServeHTTP(w, r.WithContext(ctx))
	s.state.moveOn()
}

// endpoint is one route of the API: its documentation page, for error
// bodies, and the function that answers it.
type endpoint struct {
	s   *Server
	doc string
	fn  func(*http.Request) *answer
}

// ServeHTTP answers the request. It spends the points of the endpoint's
// secondary limit first, or answers that limit. A 200 answer to a GET gets
// an ETag; when the request's If-None-Match names it, the answer is 304 with
// no body, and the request does not count against the primary rate limit,
// as on GitHub.
func (e endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := r.Context().Value(callKey{}).(*call)
	if wait, ok := e.s.second.spend(c.who, r.Pattern, r.Method); !ok {
		e.s.write(w, secondaryLimitAnswer(http.StatusForbidden, w.Header().Get("X-GitHub-Request-Id"), retryAfterSeconds(wait)), docRateLimits, &c.rate)
		return
	}
	a := e.s.admit(r, c.who)
	if a == nil {
		a = e.fn(r)
	}
	if r.Method == http.MethodGet && a.status == http.StatusOK {
		tag := etagOf(a.body)
		w.Header().Set("ETag", tag)
		if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, tag) {
			c.rate = e.s.limits.refund(c.who)
			a = &answer{status: http.StatusNotModified, header: a.header}
		}
	}
	e.s.write(w, a, e.doc, &c.rate)
}

// resolveRepositoryID rewrites a /repositories/{id}/... path, which GitHub
// uses in its Link headers, to the /repos/{owner}/{repo}/... path it stands
// for. An unknown ID is left alone, to answer 404.
func (s *Server) resolveRepositoryID(r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, apiPrefix+"repositories/")
	if !ok {
		return
	}
	idText, tail, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return
	}
	owner, name, ok := s.state.repoName(id)
	if !ok {
		return
	}
	r.URL.Path = apiPrefix + "repos/" + owner + "/" + name + "/" + tail
	r.URL.RawPath = ""
}

// primaryLimitAnswer is GitHub's answer once the hourly limit is spent.
func primaryLimitAnswer(who identity, requestID string) *answer {
	if who == anonymous {
		return errorAnswer(http.StatusForbidden, "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)")
	}
	return errorAnswer(http.StatusForbidden, "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID "+requestID+".")
}
