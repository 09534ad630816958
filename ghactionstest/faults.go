package ghactionstest

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"
)

// FaultKind is what a Fault does to the requests it hits.
type FaultKind int

const (
	// FaultStatus answers Fault.Status (500 when it is 0) with a GitHub-shaped
	// error body.
	FaultStatus FaultKind = iota
	// FaultSecondaryRateLimit answers GitHub's secondary rate limit: 403 (or
	// Fault.Status, such as 429) with GitHub's message, the rate-limit
	// headers of a caller who still has requests left, and Fault.RetryAfter
	// when it is set.
	FaultSecondaryRateLimit
	// FaultPrimaryRateLimit answers GitHub's primary rate limit: 403 (or
	// Fault.Status) with x-ratelimit-remaining 0 and a reset Fault.ResetIn
	// from now. It leaves the server's own count alone.
	FaultPrimaryRateLimit
	// FaultDrop closes the connection without an answer: the client sees
	// an EOF or a reset.
	FaultDrop
	// FaultLatency waits Fault.Latency, then serves the request as usual.
	// When the client gives up first (or the server closes), it stops
	// waiting and answers nothing.
	FaultLatency
)

// Fault makes the next Times requests that match Method and Path fail, or
// wait. Inject it with Server.Inject.
type Fault struct {
	Method string // "GET", "POST"...; "" matches every method
	// Path is a path.Match pattern of the paths it hits, relative to the
	// API's root, such as "repos/*/*/actions/runs/*/cancel" (with or
	// without a leading "/"), or from the server's root when it starts
	// with /api/v3/ or /storage/, such as
	// "/storage/runs/*/attempts/*/logs.zip" for log archives. A "*" stops
	// at "/": write one per segment. "" matches every path.
	Path  string
	Times int // how many requests it hits; 0 means 1

	Kind FaultKind
	// Status is the status of FaultStatus (default 500), and of the rate
	// limits (default 403).
	Status int
	// RetryAfter is the Retry-After header of FaultSecondaryRateLimit, sent
	// as it is ("0", "30", or an HTTP date); "" sends none.
	RetryAfter string
	// ResetIn is how far ahead of now FaultPrimaryRateLimit puts
	// x-ratelimit-reset. The header counts whole seconds, so 0 puts it at
	// the current second, which is past already.
	ResetIn time.Duration
	// Latency is how long FaultLatency waits.
	Latency time.Duration
}

// Inject adds f after the faults already injected; a request is hit by the
// first one that matches it and has hits left. It panics on a malformed Path
// pattern, and on a fault that can never fire: one whose Method and Path
// match no endpoint of the server, such as a path with a trailing slash, a
// segment too few or a misspelt one, or a method the path does not take.
func (s *Server) Inject(f Fault) {
	p := faultPath(f.Path)
	if _, err := path.Match(p, ""); err != nil {
		panic(fmt.Sprintf("ghactionstest: fault path %q: %v", f.Path, err))
	}
	if !s.mayFire(f.Method, p) {
		panic(fmt.Sprintf("ghactionstest: Fault{Method: %q, Path: %q} can never fire: no endpoint of the server has that method and a path %q matches", f.Method, f.Path, p))
	}
	f.Path = p
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults.add(f)
}

// faultPath is a Fault's Path as matched against the path of a request: from
// the API's root unless it starts with /api/v3/ or /storage/.
func faultPath(p string) string {
	if p == "" {
		return ""
	}
	abs := "/" + strings.TrimPrefix(p, "/")
	if strings.HasPrefix(abs, apiPrefix) || strings.HasPrefix(abs, storagePrefix) {
		return abs
	}
	return apiPrefix + strings.TrimPrefix(p, "/")
}

// mayFire reports whether a request to an endpoint of the server may match
// method and the path pattern p.
func (s *Server) mayFire(method, p string) bool {
	for _, rt := range s.routes {
		if methodMatches(method, rt.method) && (p == "" || mayMatch(p, rt.path)) {
			return true
		}
	}
	return false
}

// methodMatches reports whether a fault's method hits an endpoint's: an
// endpoint that takes GET takes HEAD too.
func methodMatches(fault, endpoint string) bool {
	return fault == "" || strings.EqualFold(fault, endpoint) ||
		strings.EqualFold(fault, http.MethodHead) && endpoint == http.MethodGet
}

// mayMatch reports whether the pattern p matches some path of the route
// pattern rp, segment by segment: a wildcard of the route ("{run}") is
// any segment but the empty one, and the route's other segments are
// themselves.
func mayMatch(p, rp string) bool {
	ps, rs := strings.Split(p, "/"), strings.Split(rp, "/")
	if len(ps) != len(rs) {
		return false
	}
	for i, seg := range rs {
		if strings.HasPrefix(seg, "{") {
			if ps[i] == "" {
				return false
			}
			continue
		}
		if ok, _ := path.Match(ps[i], seg); !ok {
			return false
		}
	}
	return true
}

type faultList struct {
	mu     sync.Mutex
	faults []*Fault // Times counts the hits left
}

func (l *faultList) add(f Fault) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.faults = append(l.faults, &f)
}

// take returns the first fault that matches r and counts the hit.
func (l *faultList) take(r *http.Request) (Fault, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, f := range l.faults {
		if !f.matches(r) {
			continue
		}
		hit := *f
		if f.Times--; f.Times == 0 {
			l.faults = slices.Delete(l.faults, i, i+1)
		}
		return hit, true
	}
	return Fault{}, false
}

func (f *Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	ok, _ := path.Match(f.Path, r.URL.Path) // the pattern was checked by Inject
	return ok
}

// applyFault does what f says to r. It reports whether the request goes on
// to be served, which it does only after a latency.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.Kind {
	case FaultLatency:
		t := time.NewTimer(f.Latency)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
		case <-s.done:
		}
		return false
	case FaultDrop:
		// The connection is closed with nothing written, as when a proxy
		// or the network drops it.
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
			}
		}
		return false
	}
	w.Header().Set("X-GitHub-Request-Id", s.ids.next())
	who := s.identify(r)
	rt := s.limits.peek(who)
	var a *answer
	doc := docRoot
	switch f.Kind {
	case FaultSecondaryRateLimit:
		a = secondaryLimitAnswer(statusOr(f.Status, http.StatusForbidden), w.Header().Get("X-GitHub-Request-Id"), f.RetryAfter)
	case FaultPrimaryRateLimit:
		a = primaryLimitAnswer(who, w.Header().Get("X-GitHub-Request-Id"))
		a.status = statusOr(f.Status, http.StatusForbidden)
		doc = docRateLimits
		rt = rate{limit: rt.limit, remaining: 0, used: rt.limit, reset: s.now().Add(f.ResetIn)}
	default:
		status := statusOr(f.Status, http.StatusInternalServerError)
		a = errorAnswer(status, faultMessage(status))
	}
	s.write(w, a, doc, &rt)
	return false
}

func statusOr(status, def int) int {
	if status == 0 {
		return def
	}
	return status
}

// faultMessage is the message GitHub puts in the body of a failure status.
func faultMessage(status int) string {
	if status == http.StatusInternalServerError {
		return "Server Error"
	}
	return http.StatusText(status)
}

// identify tells who sent r without refusing anything, to pick the
// rate-limit bucket a fault reports.
func (s *Server) identify(r *http.Request) identity {
	if who, refused := s.authenticate(r); refused == nil {
		return who
	}
	return anonymous
}
