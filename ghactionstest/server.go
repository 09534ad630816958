package ghactionstest

import (
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

const (
	// apiPrefix is where the API lives, as on GitHub Enterprise Server; the
	// client maps a bare host to it too.
	apiPrefix = "/api/v3/"
	// storagePrefix is where log archives are served from, outside the API,
	// as GitHub serves them from its blob storage.
	storagePrefix = "/storage/"
	// maxRequestBody caps what the server reads of a request: the API's
	// bodies are a few bytes.
	maxRequestBody = 1 << 20
)

// Server is a fake of GitHub's workflow-runs API on a loopback address. It is
// safe for concurrent use. Start it with NewServer and stop it with Close.
type Server struct {
	ts      *httptest.Server
	token   string
	public  bool
	now     func() time.Time
	secret  []byte // signs log-archive URLs
	api     *http.ServeMux
	storage *http.ServeMux
	state   *state
	limits  *rateLimiter
	second  *secondaryLimiter
	faults  faultList
	log     requestLog
	hook    atomic.Pointer[func(Request)] // set by OnRequest
	ids     requestIDs

	done      chan struct{} // closed by Close, to cut injected latencies short
	closeOnce sync.Once

	// The log storage, on an origin of its own: its servers, one per
	// loopback address, and its root URL, "http://localhost:PORT/".
	stores      []*httptest.Server
	storageRoot string

	routes []route // every endpoint's, set by NewServer

	clock ghactions.Clock // for the clients of Client, from WithSharedClock

	dispatchNoContent bool // WithDispatchNoContent
}

// NewServer starts a server with no runs; add them with AddRun or SeedDemo.
// It panics when an option is invalid, as httptest.NewServer panics when it
// cannot listen.
func NewServer(opts ...Option) *Server {
	cfg := config{token: "ghp_" + rand.Text(), now: time.Now}
	for _, opt := range opts {
		opt(&cfg)
	}
	s := &Server{
		token:  cfg.token,
		public: cfg.public,
		now:    cfg.now,
		clock:  cfg.clock,
		secret: make([]byte, 32),

		dispatchNoContent: cfg.dispatchNoContent,
		limits:            newRateLimiter(cfg.now, cfg.rateLimit),
		second:            newSecondaryLimiter(cfg.now, cfg.secondary, cfg.noSecondary),
		done:              make(chan struct{}),
	}
	rand.Read(s.secret)
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	root := "http://" + s.ts.Listener.Addr().String() + "/"
	s.state = newState(root+strings.TrimPrefix(apiPrefix, "/"), root, cfg.now, !cfg.public)
	s.state.live = cfg.live
	s.state.staleGets = cfg.staleGets
	s.api = s.apiRoutes()
	s.storage = s.storageRoutes()
	s.stores, s.storageRoot = startStorage(http.HandlerFunc(s.serve))
	s.ts.Start()
	return s
}

// Close stops the server, ending injected latencies at once, and waits for
// the requests in flight. It closes the idle connections of the clients made
// by Client.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.ts.Close()
	for _, ts := range s.stores {
		ts.Close()
	}
}

// URL is the base URL of the API, "http://127.0.0.1:PORT/api/v3/", as
// ghactions.WithBaseURL takes it.
func (s *Server) URL() string {
	return s.state.apiRoot
}

// Now is the time on the server's clock: time.Now, unless WithClock or
// WithSharedClock set another. Runs' times, ages and live progress are
// reckoned from it, so code under test that shows how long ago a run started
// agrees with the fake when it asks Now instead of time.Now.
func (s *Server) Now() time.Time {
	return s.now()
}

// Token is the token the server accepts.
func (s *Server) Token() string {
	return s.token
}

// Client returns a client of the server: its base URL, its token, a
// transport that Close cleans up and the clock of WithSharedClock, if any,
// followed by opts, which may override them (a retry policy with short waits
// suits tests without a shared clock).
//
// Writes are paced as ghactions paces them by default (one at a time, a
// second apart: ghactions.WithWritePacing) when the server has a shared
// clock, on which the waits take no real time and which the server's
// secondary limits see pass. Without one, the client's writes are not paced
// (ghactions.WithWritePacing(0)), so that a test does not sleep a real
// second between two writes; opts may turn pacing back on. A test of code
// that writes in bulk wants the shared clock: it is paced as in production,
// and the server's secondary limits (SecondaryLimits) see the pace, at no
// cost in time.
func (s *Server) Client(opts ...ghactions.Option) (*ghactions.Client, error) {
	base := []ghactions.Option{
		ghactions.WithBaseURL(s.URL()),
		ghactions.WithToken(s.token),
		ghactions.WithHTTPClient(s.ts.Client()),
	}
	if s.clock != nil {
		base = append(base, ghactions.WithClock(s.clock))
	} else {
		base = append(base, ghactions.WithWritePacing(0))
	}
	return ghactions.NewClient(append(base, opts...)...)
}

// serve is the entry of every request: it records the request, shows it to
// the OnRequest function, applies a fault that matches it, then hands it to
// the storage or the API, by the origin it came to.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	api := r.Context().Value(storageKey{}) == nil
	tooMany := false
	if api {
		var leave func()
		tooMany, leave = s.second.enter()
		defer leave()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	r.Body = io.NopCloser(bytes.NewReader(body))
	req := s.log.record(r, body)
	if fn := s.hook.Load(); fn != nil {
		(*fn)(req)
	}
	if err != nil {
		s.write(w, errorAnswer(http.StatusRequestEntityTooLarge, "Request body too large"), docRoot, nil)
		return
	}
	if f, ok := s.faults.take(r); ok && !s.applyFault(w, r, f) {
		return
	}
	if !api {
		s.storage.ServeHTTP(w, r)
		return
	}
	s.serveAPI(w, r, tooMany)
}
