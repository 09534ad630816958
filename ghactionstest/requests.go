package ghactionstest

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"sync"
)

// Request is a request as the server received it, for assertions: what a
// client sent, how often, with which headers and body.
type Request struct {
	Method string
	Path   string     // as received: "/api/v3/repos/..." for the API, "/storage/..." for log archives
	Query  url.Values // the parsed query string
	Header http.Header
	Body   []byte // nil when the request had none
}

// Requests returns every request the server has received, in order of
// arrival, including those a fault answered and those to log archives.
func (s *Server) Requests() []Request {
	return s.log.all()
}

// OnRequest makes the server call fn with each request it receives, as
// Requests records it, before it applies a fault or answers; nil stops it.
// fn runs on the server's goroutines, at once for requests that arrive at
// once, holding none of the server's locks: it may call the server's
// methods, so that a test moves a run along at the request it chooses (with
// UpdateRun or CompleteRun), to see a poller through exactly.
func (s *Server) OnRequest(fn func(Request)) {
	if fn == nil {
		s.hook.Store(nil)
		return
	}
	s.hook.Store(&fn)
}

// requestLog records the requests of a server.
type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

// record adds r to the log, and returns a copy of what it added.
func (l *requestLog) record(r *http.Request, body []byte) Request {
	req := Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
	}
	if len(body) > 0 {
		req.Body = bytes.Clone(body)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reqs = append(l.reqs, req)
	return req.clone()
}

// all returns copies, so that a caller who changes them changes nothing here.
func (l *requestLog) all() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, len(l.reqs))
	for i, r := range l.reqs {
		out[i] = r.clone()
	}
	return out
}

func (r Request) clone() Request {
	r.Query = cloneValues(r.Query)
	r.Header = r.Header.Clone()
	r.Body = bytes.Clone(r.Body)
	return r
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
