package ghactions_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

func TestBaseURLNormalisation(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://api.github.com", "https://api.github.com/"},
		{"https://api.github.com/", "https://api.github.com/"},
		{"https://API.GitHub.com", "https://api.github.com/"},
		{"https://api.octocorp.ghe.com", "https://api.octocorp.ghe.com/"},
		{"https://api.octocorp.ghe.com/", "https://api.octocorp.ghe.com/"},
		{"https://ghe.example.com", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com:8443", "https://ghe.example.com:8443/api/v3/"},
		{"https://api.ghe.com", "https://api.ghe.com/api/v3/"},                           // not a GHE.com API host
		{"https://api.a.b.ghe.com", "https://api.a.b.ghe.com/api/v3/"},                   // nor this
		{"https://api.github.com.evil.test", "https://api.github.com.evil.test/api/v3/"}, // nor this
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/"},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/"},
		{"https://proxy.example.com/github/api", "https://proxy.example.com/github/api/"},
		{"https://api.github.com/prefix", "https://api.github.com/prefix/"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v3/"},
		{" https://ghe.example.com ", "https://ghe.example.com/api/v3/"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			c, err := ghactions.NewClient(ghactions.WithBaseURL(tc.in))
			require.NoError(t, err)
			assert.Equal(t, tc.want, c.BaseURL().String())
		})
	}

	c, err := ghactions.NewClient()
	require.NoError(t, err)
	assert.Equal(t, "https://api.github.com/", c.BaseURL().String(), "the default")

	// BaseURL hands out a copy.
	c.BaseURL().Host = "evil.test"
	assert.Equal(t, "https://api.github.com/", c.BaseURL().String())
}

// A loopback server given without a path is treated as a GHES host: requests
// go to /api/v3/.
func TestBareLoopbackBaseURL(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	c, err := ghactions.NewClient(ghactions.WithBaseURL(srv.URL), ghactions.WithRetryPolicy(noRetries))
	require.NoError(t, err)
	_, err = c.Runs.Delete(context.Background(), testOwner, testRepo, 5)
	require.NoError(t, err)
	assert.Equal(t, "/api/v3/repos/octo-org/octo-repo/actions/runs/5", srv.last(t).Path)
}

// countingSource hands out "tok-1", "tok-2", ... and counts the calls.
type countingSource struct{ n atomic.Int64 }

func (s *countingSource) Token(ctx context.Context) (string, error) {
	if ctx == nil {
		return "", errors.New("nil context")
	}
	return fmt.Sprintf("tok-%d", s.n.Add(1)), nil
}

func TestTokenSourceAskedOnEveryTry(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			answer(w, http.StatusBadGateway, nil)
			return
		}
		answer(w, http.StatusOK, testdata(t, "get_run.json"))
	})
	ts := &countingSource{}
	c := newClient(t, srv, ghactions.WithTokenSource(ts), ghactions.WithRetryPolicy(fastRetries))

	run, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 30433642, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(30433642), run.ID)
	assert.Equal(t, int64(3), ts.n.Load(), "one token per try")

	reqs := srv.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, []string{fmt.Sprintf("Bearer tok-%d", i+1)}, r.Header.Values("Authorization"), "try %d", i+1)
	}

	// A second call asks again.
	_, _, err = c.Runs.Get(context.Background(), testOwner, testRepo, 30433642, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(4), ts.n.Load())
	assert.Equal(t, "Bearer tok-4", srv.last(t).Header.Get("Authorization"))
}

func TestTokenSourceErrorOnRetry(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusServiceUnavailable, nil) })
	errExpired := errors.New("refresh token expired")
	var calls atomic.Int64
	ts := tokenFunc(func(context.Context) (string, error) {
		if calls.Add(1) > 1 {
			return "", errExpired
		}
		return testToken, nil
	})
	c := newClient(t, srv, ghactions.WithTokenSource(ts), ghactions.WithRetryPolicy(fastRetries))
	_, err := c.Runs.Cancel(context.Background(), testOwner, testRepo, 1)
	require.Error(t, err)
	assert.ErrorIs(t, err, errExpired)
	assert.Equal(t, 1, srv.hits(), "the retry is not sent without a token")
}

func TestRedirectToAnotherHostDropsToken(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusOK, testdata(t, "get_run.json"))
	})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/moved/run", http.StatusTemporaryRedirect)
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))

	run, resp, err := c.Runs.Get(context.Background(), testOwner, testRepo, 30433642, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(30433642), run.ID)
	assert.Equal(t, "Bearer "+testToken, srv.last(t).Header.Get("Authorization"), "the API host gets the token")
	got := other.last(t)
	assert.Equal(t, "/moved/run", got.Path)
	assert.Empty(t, got.Header.Values("Authorization"), "the redirect target on another host gets no token")
	assertNoToken(t, got.Header)
	assert.Empty(t, resp.Request.Header.Values("Authorization"))
}

func TestSameOriginRedirectKeepsToken(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == runsPath+"/1" {
			http.Redirect(w, r, apiPrefix+"repositories/99/actions/runs/1", http.StatusTemporaryRedirect)
			return
		}
		answer(w, http.StatusOK, testdata(t, "get_run.json"))
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))

	_, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, apiPrefix+"repositories/99/actions/runs/1", reqs[1].Path)
	assert.Equal(t, []string{"Bearer " + testToken}, reqs[1].Header.Values("Authorization"), "same origin keeps the token")
	assert.Equal(t, "application/vnd.github+json", reqs[1].Header.Get("Accept"))
}

// A POST redirected with 307 re-sends its body to the new place.
func TestRedirectKeepsBody(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, apiPrefix+"repositories/") {
			http.Redirect(w, r, apiPrefix+"repositories/99/actions/runs/1/rerun", http.StatusTemporaryRedirect)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))
	_, err := c.Runs.Rerun(context.Background(), testOwner, testRepo, 1, &ghactions.RerunOptions{EnableDebugLogging: true})
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, http.MethodPost, reqs[1].Method)
	assert.JSONEq(t, `{"enable_debug_logging":true}`, string(reqs[1].Body))
}

func TestRedirectLoopStops(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
	_, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
	require.Error(t, err)
	assert.LessOrEqual(t, srv.hits(), 11, "no retry of a redirect loop")
}

// A Link URL on another host is not followed at all, so the token cannot go
// there (see TestLinkNextOffTheOriginIsAnError).
func TestLinkToAnotherHostGetsNoToken(t *testing.T) {
	other := forbiddenServer(t)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", fmt.Sprintf(`<%s/api/v3/repositories/1/actions/runs?page=2>; rel="next"`, other.URL))
		answer(w, http.StatusOK, []byte(`{"total_count":2,"workflow_runs":[{"id":1}]}`))
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))

	ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, nil))
	require.Len(t, errs, 1)
	assert.Equal(t, []int64{1}, ids)
	assert.Equal(t, "Bearer "+testToken, srv.last(t).Header.Get("Authorization"))
	assert.Zero(t, other.hits())
}

func TestResponseRequestHasNoAuthorization(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == runsPath+"/404" {
			answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
			return
		}
		answer(w, http.StatusOK, testdata(t, "get_run.json"))
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))

	_, resp, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
	require.NoError(t, err)
	require.NotNil(t, resp.Request)
	assert.Equal(t, "Bearer "+testToken, srv.last(t).Header.Get("Authorization"), "the token was sent")
	assert.Empty(t, resp.Request.Header.Values("Authorization"))
	assertNoToken(t, resp.Request.Header)
	assert.Equal(t, runsPath+"/1", resp.Request.URL.Path, "the request is still described")

	_, resp, err = c.Runs.Get(context.Background(), testOwner, testRepo, 404, nil)
	require.ErrorIs(t, err, ghactions.ErrNotFound)
	require.NotNil(t, resp.Request)
	assert.Empty(t, resp.Request.Header.Values("Authorization"))
	var apiErr *ghactions.APIError
	require.ErrorAs(t, err, &apiErr)
	require.NotNil(t, apiErr.Response)
	require.NotNil(t, apiErr.Response.Request)
	assert.Empty(t, apiErr.Response.Request.Header.Values("Authorization"))
}

func TestErrorsNeverContainToken(t *testing.T) {
	echo := func(status int, extra http.Header) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			auth := r.Header.Get("Authorization")
			tok := strings.TrimPrefix(auth, "Bearer ")
			for k, v := range extra {
				w.Header()[k] = v
			}
			body := fmt.Sprintf(`{"message":"Bad credentials: %[1]s (%[2]s)","documentation_url":"https://docs.github.com/rest?token=%[2]s",`+
				`"errors":[{"resource":"%[2]s","field":"token %[2]s","code":"invalid-%[2]s","message":"%[1]s is not valid"},"plain %[2]s"]}`, auth, tok)
			answer(w, status, []byte(body))
		}
	}
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		opts    []ghactions.Option
	}{
		{"401 echoing the token", echo(http.StatusUnauthorized, nil), nil},
		{"422 echoing the token", echo(http.StatusUnprocessableEntity, nil), nil},
		{"500 echoing the token after retries", echo(http.StatusInternalServerError, nil), []ghactions.Option{ghactions.WithRetryPolicy(fastRetries)}},
		{"rate limit echoing the token", echo(http.StatusForbidden, http.Header{
			"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"4000000000"},
		}), nil},
		{"secondary rate limit echoing the token", echo(http.StatusTooManyRequests, http.Header{"Retry-After": {"3600"}}), nil},
		{"HTML page echoing the token", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html>%s</html>", r.Header.Get("Authorization"))
		}, nil},
	} {
		for _, src := range []struct {
			name string
			opt  ghactions.Option
			tok  string
		}{
			{"WithToken", ghactions.WithToken(testToken), testToken},
			{"WithTokenSource", ghactions.WithTokenSource(tokenFunc(func(context.Context) (string, error) { return "ghs_dynamicSECRET", nil })), "ghs_dynamicSECRET"},
		} {
			t.Run(tc.name+"/"+src.name, func(t *testing.T) {
				srv := newServer(t, tc.handler)
				c := newClient(t, srv, append([]ghactions.Option{src.opt}, tc.opts...)...)

				_, err := c.Runs.Cancel(context.Background(), testOwner, testRepo, 1)
				require.Error(t, err)
				assert.Equal(t, "Bearer "+src.tok, srv.last(t).Header.Get("Authorization"), "the token was sent")
				assert.NotContains(t, err.Error(), src.tok)
				assert.NotContains(t, fmt.Sprintf("%v|%+v|%q", err, err, err), src.tok)

				var apiErr *ghactions.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.NotContains(t, apiErr.Error(), src.tok)
				assert.NotContains(t, apiErr.Message, src.tok)
				assert.NotContains(t, apiErr.DocumentationURL, src.tok)
				for _, fe := range apiErr.Errors {
					assert.NotContains(t, fmt.Sprintf("%s|%s|%s|%s|%s", fe.Resource, fe.Field, fe.Code, fe.Message, fe), src.tok)
				}
				if strings.Contains(tc.name, "echoing the token") && !strings.HasPrefix(tc.name, "HTML") {
					assert.NotEmpty(t, apiErr.Message, "the rest of the message is kept")
					assert.NotEmpty(t, apiErr.Errors)
				}
				var rlErr *ghactions.RateLimitError
				if errors.As(err, &rlErr) {
					assert.NotContains(t, rlErr.Error(), src.tok)
					assert.NotContains(t, rlErr.Message, src.tok)
				}
			})
		}
	}
}

func TestLoggerNeverLogsToken(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, "echo: "+r.Header.Get("Authorization"))
			return
		}
		answer(w, http.StatusOK, testdata(t, "get_run.json"))
	})
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv, ghactions.WithToken(testToken), ghactions.WithLogger(logger), ghactions.WithRetryPolicy(fastRetries))

	_, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 30433642, nil)
	require.NoError(t, err)
	_, err = c.Runs.Cancel(context.Background(), testOwner, testRepo, 30433642)
	require.NoError(t, err)

	out := buf.String()
	t.Log("\n" + out)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.GreaterOrEqual(t, len(lines), 4, "two tries of Get, one retry line, one try of Cancel")
	assert.Contains(t, out, "level=DEBUG")
	assert.Contains(t, out, "method=GET")
	assert.Contains(t, out, "method=POST")
	assert.Contains(t, out, "path="+runsPath+"/30433642")
	assert.Contains(t, out, "path="+runsPath+"/30433642/cancel")
	assert.Contains(t, out, "status=503")
	assert.Contains(t, out, "status=200")
	assert.Contains(t, out, "attempt=1")
	assert.Contains(t, out, "attempt=2")
	assert.Contains(t, out, "duration=")
	assert.Regexp(t, `(?m)retry.*reason=.*503.*wait=|retry.*wait=.*reason=.*503`, out, "a retry line with its reason and wait")
	assert.NotContains(t, out, testToken)
	assert.NotContains(t, strings.ToLower(out), "authorization")
	assert.NotContains(t, strings.ToLower(out), "bearer")
}

// A logger above Debug gets nothing.
func TestLoggerQuietAboveDebug(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c := newClient(t, srv, ghactions.WithLogger(logger))
	_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, 1)
	require.NoError(t, err)
	assert.Empty(t, buf.String())
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// countingTransport counts the requests it carries, by host.
type countingTransport struct {
	mu    sync.Mutex
	hosts map[string]int
	base  http.RoundTripper
}

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.mu.Lock()
	if ct.hosts == nil {
		ct.hosts = map[string]int{}
	}
	ct.hosts[r.URL.Host]++
	ct.mu.Unlock()
	return ct.base.RoundTrip(r)
}

func (ct *countingTransport) count(host string) int {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return ct.hosts[host]
}

func TestHTTPClientTransportCarriesEveryRequest(t *testing.T) {
	archive := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "PK-archive") })
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/logs"):
			w.Header().Set("Location", archive.URL+"/signed/logs.zip?sig=abc")
			w.WriteHeader(http.StatusFound)
		case strings.HasSuffix(r.URL.Path, "/cancel") && n.Add(1) == 1:
			w.WriteHeader(http.StatusInternalServerError)
		default:
			w.WriteHeader(http.StatusAccepted)
		}
	})
	tr := &countingTransport{base: srv.Client().Transport}
	c := newClient(t, srv, ghactions.WithHTTPClient(&http.Client{Transport: tr}), ghactions.WithRetryPolicy(fastRetries))
	apiHost := strings.TrimPrefix(srv.URL, "http://")
	archiveHost := strings.TrimPrefix(archive.URL, "http://")
	ctx := context.Background()

	_, err := c.Runs.Cancel(ctx, testOwner, testRepo, 1) // 500, then 202
	require.NoError(t, err)
	assert.Equal(t, 2, tr.count(apiHost), "the retry goes through the transport too")

	rc, _, err := c.Runs.Logs(ctx, testOwner, testRepo, 1)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, "PK-archive", string(b))
	assert.Equal(t, 3, tr.count(apiHost))
	assert.Equal(t, 1, tr.count(archiveHost), "the archive download goes through the transport")
	assert.Equal(t, srv.hits()+archive.hits(), tr.count(apiHost)+tr.count(archiveHost), "nothing bypasses it")
}

// The transport of WithHTTPClient is not where auth lives: the client puts
// the token on API requests itself, and the user's client is left alone.
func TestHTTPClientIsNotModified(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	hc := &http.Client{Transport: srv.Client().Transport}
	c := newClient(t, srv, ghactions.WithHTTPClient(hc), ghactions.WithToken(testToken))
	_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, 1)
	require.NoError(t, err)
	assert.Equal(t, "Bearer "+testToken, srv.last(t).Header.Get("Authorization"))
	assert.Nil(t, hc.CheckRedirect, "the user's client is not changed")
	assert.Same(t, srv.Client().Transport, hc.Transport)
}

// assertNoToken fails if any header value holds the test token.
func assertNoToken(t testing.TB, h http.Header) {
	t.Helper()
	for k, vs := range h {
		for _, v := range vs {
			assert.NotContains(t, v, testToken, "header %s", k)
		}
	}
}

// After redirects, Response.Request links back to the earlier requests
// through Request.Response; none of them may hold the token.
func TestRedirectChainHasNoAuthorization(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusOK, testdata(t, "get_run.json"))
	})
	for name, target := range map[string]func(srv *server) string{
		"same origin":  func(srv *server) string { return srv.URL + apiPrefix + "repositories/9/actions/runs/1" },
		"another host": func(*server) string { return other.URL + "/moved" },
	} {
		t.Run(name, func(t *testing.T) {
			var srv *server
			srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == runsPath+"/1" {
					http.Redirect(w, r, target(srv), http.StatusFound)
					return
				}
				answer(w, http.StatusOK, testdata(t, "get_run.json"))
			})
			c := newClient(t, srv, ghactions.WithToken(testToken))
			_, resp, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.NoError(t, err)
			hops := 0
			for req := resp.Request; req != nil; hops++ {
				assert.Empty(t, req.Header.Values("Authorization"), "request %d back: %s", hops, req.URL)
				assertNoToken(t, req.Header)
				if req.Response == nil {
					break
				}
				req = req.Response.Request
			}
			assert.Equal(t, 1, hops, "the chain goes back to the first request")
		})
	}
}
