package ghactionstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	owner = "octo-org"
	repo  = "octo-repo"
	token = "ghp_fakeTOKEN0123456789"
	runs  = "repos/octo-org/octo-repo/actions/runs"
)

// t0 is the start of the tests' fake time: a Monday morning.
var t0 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

// fakeClock is a clock that tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newServer starts a server with the tests' token and stops it when the test
// ends.
func newServer(t *testing.T, opts ...ghactionstest.Option) *ghactionstest.Server {
	t.Helper()
	srv := ghactionstest.NewServer(append([]ghactionstest.Option{ghactionstest.WithToken(token)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// reply is an answer read whole.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(r.body, &v), "body: %s", r.body)
	return v
}

// call sends a request with net/http: to target under the API's base URL,
// or to target itself when it is a URL. It carries the token unless header
// (name and value pairs; an empty value removes the header) says otherwise,
// and follows no redirect.
func call(t *testing.T, srv *ghactionstest.Server, method, target, body string, header ...string) reply {
	t.Helper()
	if !strings.HasPrefix(target, "http") {
		target = srv.URL() + target
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
			if http.CanonicalHeaderKey(header[i]) == "User-Agent" {
				req.Header.Set("User-Agent", "") // net/http sends its own when there is none
			}
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	// No keep-alive: each call leaves no idle connection behind for the
	// leak check.
	c := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// requireError checks a GitHub error answer: its status, its message and
// the status string GitHub puts in the body.
func requireError(t *testing.T, r reply, status int, message string) {
	t.Helper()
	require.Equal(t, status, r.status, "body: %s", r.body)
	body := r.json(t)
	require.Equal(t, message, body["message"])
	require.Equal(t, strconv.Itoa(status), body["status"])
	require.True(t, strings.HasPrefix(body["documentation_url"].(string), "https://docs.github.com/"), "documentation_url: %v", body["documentation_url"])
}
