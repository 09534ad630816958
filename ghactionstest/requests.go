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

// requestLog records the requests of a server.
type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

func (l *requestLog) record(r *http.Request, body []byte) {
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
}

// all returns copies, so that a caller who changes them changes nothing here.
func (l *requestLog) all() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := slices.Clone(l.reqs)
	for i := range out {
		out[i].Query = cloneValues(out[i].Query)
		out[i].Header = out[i].Header.Clone()
		out[i].Body = bytes.Clone(out[i].Body)
	}
	return out
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}
