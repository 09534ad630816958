package ghactions_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// mutation is a call that changes something on the server.
type mutation struct {
	name   string
	method string
	body   string // JSON the call sends; "" for none
	call   func(context.Context, *ghactions.Client) error
}

func mutations() []mutation {
	return []mutation{
		{"Cancel", http.MethodPost, "", func(ctx context.Context, c *ghactions.Client) error {
			_, err := c.Runs.Cancel(ctx, testOwner, testRepo, 1)
			return err
		}},
		{"Rerun with a body", http.MethodPost, `{"enable_debug_logging":true}`, func(ctx context.Context, c *ghactions.Client) error {
			_, err := c.Runs.Rerun(ctx, testOwner, testRepo, 1, &ghactions.RerunOptions{EnableDebugLogging: true})
			return err
		}},
		{"Delete", http.MethodDelete, "", func(ctx context.Context, c *ghactions.Client) error {
			_, err := c.Runs.Delete(ctx, testOwner, testRepo, 1)
			return err
		}},
	}
}

// A 301, 302 or 303 turns a mutation into a bodiless GET: following it would
// report success for something that never happened.
func TestMutationRedirectedToAGetIsAnError(t *testing.T) {
	for _, m := range mutations() {
		for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther} {
			t.Run(fmt.Sprintf("%s/%d", m.name, status), func(t *testing.T) {
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, apiPrefix+"moved") {
						w.WriteHeader(http.StatusNoContent)
						return
					}
					http.Redirect(w, r, apiPrefix+"moved", status)
				})
				c := newClient(t, srv, ghactions.WithToken(testToken), ghactions.WithRetryPolicy(fastRetries))
				err := m.call(context.Background(), c)
				require.Error(t, err)
				assert.ErrorContains(t, err, "redirect")
				assert.ErrorContains(t, err, m.method)
				reqs := srv.requests()
				require.Len(t, reqs, 1, "neither followed nor retried")
				assert.Equal(t, m.method, reqs[0].Method)
			})
		}
	}
}

// A 307 or 308 repeats the request as it was, on the API's origin only.
func TestMutationRedirectedWith307Or308(t *testing.T) {
	for _, m := range mutations() {
		for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
			t.Run(fmt.Sprintf("%s/%d on the API's origin", m.name, status), func(t *testing.T) {
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					if strings.HasPrefix(r.URL.Path, apiPrefix+"moved") {
						w.WriteHeader(http.StatusNoContent)
						return
					}
					http.Redirect(w, r, apiPrefix+"moved", status)
				})
				c := newClient(t, srv, ghactions.WithToken(testToken))
				require.NoError(t, m.call(context.Background(), c))
				reqs := srv.requests()
				require.Len(t, reqs, 2)
				assert.Equal(t, apiPrefix+"moved", reqs[1].Path)
				assert.Equal(t, m.method, reqs[1].Method, "the same method")
				assert.Equal(t, m.body, string(reqs[1].Body), "the same body")
				assert.Equal(t, "Bearer "+testToken, reqs[1].Header.Get("Authorization"))
			})
			t.Run(fmt.Sprintf("%s/%d to another origin", m.name, status), func(t *testing.T) {
				other := forbiddenServer(t)
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					http.Redirect(w, r, other.URL+"/moved", status)
				})
				c := newClient(t, srv, ghactions.WithToken(testToken), ghactions.WithRetryPolicy(fastRetries))
				err := m.call(context.Background(), c)
				require.Error(t, err)
				assert.ErrorContains(t, err, "origin")
				assert.Equal(t, 1, srv.hits(), "not retried")
				assert.Zero(t, other.hits())
			})
		}
	}
}

// A GET may be redirected anywhere (but never to plain http from https, see
// below); the token stays on the API's origin.
func TestGetFollowsRedirects(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			other := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, testdata(t, "get_run.json")) })
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, other.URL+"/moved", status) })
			c := newClient(t, srv, ghactions.WithToken(testToken))
			run, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.NoError(t, err)
			assert.Equal(t, int64(30433642), run.ID)
			assert.Empty(t, other.last(t).Header.Values("Authorization"))
		})
	}
}

// tlsAPI is an https API server and a client that trusts it.
func tlsAPI(t *testing.T, h http.HandlerFunc) (*httptest.Server, *ghactions.Client) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	c, err := ghactions.NewClient(ghactions.WithBaseURL(srv.URL+apiPrefix), ghactions.WithToken(testToken),
		ghactions.WithHTTPClient(srv.Client()), ghactions.WithRetryPolicy(fastRetries))
	require.NoError(t, err)
	return srv, c
}

// Nothing is followed from https to plain http: not a redirect, not a log
// URL, not a redirect of the log storage.
func TestNoDowngradeFromHTTPSToHTTP(t *testing.T) {
	plain := forbiddenServer(t)
	storage := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok.zip" {
			_, _ = io.WriteString(w, "PK")
			return
		}
		http.Redirect(w, r, plain.URL+"/logs.zip", http.StatusFound)
	}))
	t.Cleanup(storage.Close)
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		call    func(context.Context, *ghactions.Client) error
	}{
		{"GET redirected to http", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, plain.URL+"/run", http.StatusFound)
		}, getRun},
		{"GET redirected to http on the same host", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://"+r.Host+"/run", http.StatusTemporaryRedirect)
		}, getRun},
		{"log URL on http", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, plain.URL+"/logs.zip", http.StatusFound)
		}, fetchLogs},
		{"LogsURL on http", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, plain.URL+"/logs.zip", http.StatusFound)
		}, func(ctx context.Context, c *ghactions.Client) error {
			_, _, err := c.Runs.LogsURL(ctx, testOwner, testRepo, 1)
			return err
		}},
		{"log storage redirecting to http", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, storage.URL+"/logs.zip", http.StatusFound)
		}, fetchLogs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := tlsAPI(t, tc.handler)
			err := tc.call(context.Background(), c)
			require.Error(t, err)
			assert.ErrorContains(t, err, "plain http")
			assert.NotContains(t, err.Error(), testToken)
		})
	}
	assert.Zero(t, plain.hits())

	// A log URL on another https host is GitHub's storage: that is fine.
	_, c := tlsAPI(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, storage.URL+"/ok.zip", http.StatusFound)
	})
	require.NoError(t, fetchLogs(context.Background(), c))
}
