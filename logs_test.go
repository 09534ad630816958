package ghactions_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

const logsPath = runsPath + "/30433642/logs"

// redirectTo answers every request with a redirect to location.
func redirectTo(status int, location string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", location)
		w.WriteHeader(status)
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{'g', 'h', 'a'})
	_, _ = r.Read(b)
	return b
}

func TestLogsURL(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		location func(api *server) string
		want     func(api *server, dir string) string // dir: the directory of the logs path
	}{
		{"302 to the storage host", http.StatusFound,
			func(*server) string {
				return "https://pipelines.actions.githubusercontent.com/serviceHosts/x/logs.zip?sig=abc%2Bdef&se=2024-01-01T00%3A01%3A00Z"
			},
			func(*server, string) string {
				return "https://pipelines.actions.githubusercontent.com/serviceHosts/x/logs.zip?sig=abc%2Bdef&se=2024-01-01T00%3A01%3A00Z"
			}},
		{"relative Location with a path", http.StatusFound,
			func(*server) string { return "/storage/logs.zip?sig=1" },
			func(api *server, _ string) string { return api.URL + "/storage/logs.zip?sig=1" }},
		{"relative Location without a slash", http.StatusFound,
			func(*server) string { return "archive.zip" },
			func(api *server, dir string) string { return api.URL + dir + "archive.zip" }},
		{"307", http.StatusTemporaryRedirect,
			func(*server) string { return "https://storage.example/a.zip" },
			func(*server, string) string { return "https://storage.example/a.zip" }},
		{"301", http.StatusMovedPermanently,
			func(*server) string { return "https://storage.example/b.zip" },
			func(*server, string) string { return "https://storage.example/b.zip" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var api *server
			api = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				redirectTo(tc.status, tc.location(api))(w, r)
			})
			c := newClient(t, api, ghactions.WithToken(testToken))
			ctx := context.Background()

			u, resp, err := c.Runs.LogsURL(ctx, testOwner, testRepo, 30433642)
			require.NoError(t, err)
			require.NotNil(t, u)
			assert.Equal(t, tc.want(api, runsPath+"/30433642/"), u.String())
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			req := api.last(t)
			assert.Equal(t, http.MethodGet, req.Method)
			assert.Equal(t, logsPath, req.Path)
			assert.Equal(t, "Bearer "+testToken, req.Header.Get("Authorization"))
			assert.Equal(t, "application/vnd.github+json", req.Header.Get("Accept"))

			u, _, err = c.Runs.AttemptLogsURL(ctx, testOwner, testRepo, 30433642, 3)
			require.NoError(t, err)
			assert.Equal(t, tc.want(api, runsPath+"/30433642/attempts/3/"), u.String())
			assert.Equal(t, runsPath+"/30433642/attempts/3/logs", api.last(t).Path)
			assert.Equal(t, 2, api.hits(), "the archive is not fetched, the redirect not followed")
		})
	}
}

func TestLogsURLErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		is      error
		status  int
	}{
		{"404", func(w http.ResponseWriter, r *http.Request) {
			answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
		}, ghactions.ErrNotFound, 404},
		{"410", func(w http.ResponseWriter, r *http.Request) {
			answer(w, http.StatusGone, []byte(`{"message":"Gone"}`))
		}, nil, 410},
		{"200 with the archive itself", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("PK\x03\x04"))
		}, nil, 0},
		{"302 without Location", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusFound)
		}, nil, 0},
		{"302 to ftp", redirectTo(http.StatusFound, "ftp://storage.example/logs.zip"), nil, 0},
		{"302 to file", redirectTo(http.StatusFound, "file:///etc/passwd"), nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newServer(t, tc.handler)
			c := newClient(t, api)
			u, _, err := c.Runs.LogsURL(context.Background(), testOwner, testRepo, 30433642)
			require.Error(t, err)
			assert.Nil(t, u)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			var apiErr *ghactions.APIError
			if tc.status != 0 {
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
			}
		})
	}
}

func TestLogsStreamsArchiveWithoutToken(t *testing.T) {
	data := randomBytes(5<<20 + 123)
	want := sha256.Sum256(data)

	for _, tc := range []struct {
		name string
		call func(ctx context.Context, c *ghactions.Client) (io.ReadCloser, *ghactions.Response, error)
		path string
	}{
		{"Logs", func(ctx context.Context, c *ghactions.Client) (io.ReadCloser, *ghactions.Response, error) {
			return c.Runs.Logs(ctx, testOwner, testRepo, 30433642)
		}, logsPath},
		{"AttemptLogs", func(ctx context.Context, c *ghactions.Client) (io.ReadCloser, *ghactions.Response, error) {
			return c.Runs.AttemptLogs(ctx, testOwner, testRepo, 30433642, 2)
		}, runsPath + "/30433642/attempts/2/logs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			archive := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/zip")
				w.Header().Set("X-RateLimit-Remaining", "1") // not the API's figures
				http.ServeContent(w, r, "logs.zip", time.Time{}, bytes.NewReader(data))
			})
			api := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-RateLimit-Remaining", "4321")
				w.Header().Set("X-RateLimit-Limit", "5000")
				redirectTo(http.StatusFound, archive.URL+"/signed/logs.zip?sig=s3cr3t")(w, r)
			})
			c := newClient(t, api, ghactions.WithToken(testToken))

			rc, resp, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			require.NotNil(t, rc)
			h := sha256.New()
			n, err := io.Copy(h, rc)
			require.NoError(t, err)
			require.NoError(t, rc.Close())
			assert.Equal(t, int64(len(data)), n)
			assert.Equal(t, want[:], h.Sum(nil), "the archive arrives intact")

			require.NotNil(t, resp)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, 4321, resp.Rate.Remaining, "Rate comes from the API's answer")
			assert.Equal(t, 4321, c.Rate().Remaining, "the archive host's headers do not count")

			apiReq := api.last(t)
			assert.Equal(t, tc.path, apiReq.Path)
			assert.Equal(t, "Bearer "+testToken, apiReq.Header.Get("Authorization"))
			require.Equal(t, 1, archive.hits())
			got := archive.last(t)
			assert.Equal(t, "/signed/logs.zip", got.Path)
			assert.Equal(t, "s3cr3t", got.Query.Get("sig"), "the signed URL is used as given")
			assert.Empty(t, got.Header.Values("Authorization"), "the archive host gets no token")
			assertNoToken(t, got.Header)
		})
	}
}

// A Location on the API's own host still gets no token: it is an archive
// URL, not an API call.
func TestLogsRelativeLocationGetsNoToken(t *testing.T) {
	api := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == logsPath {
			redirectTo(http.StatusFound, "/_archive/logs.zip?sig=1")(w, r)
			return
		}
		_, _ = io.WriteString(w, "archive bytes")
	})
	c := newClient(t, api, ghactions.WithToken(testToken))
	rc, _, err := c.Runs.Logs(context.Background(), testOwner, testRepo, 30433642)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, "archive bytes", string(b))
	reqs := api.requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "/_archive/logs.zip", reqs[1].Path)
	assert.Empty(t, reqs[1].Header.Values("Authorization"))
}

// The storage host may redirect again; the token stays out of that too.
func TestLogsArchiveRedirectsFurther(t *testing.T) {
	final := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "final") })
	archive := newServer(t, redirectTo(http.StatusFound, final.URL+"/blob"))
	api := newServer(t, redirectTo(http.StatusFound, archive.URL+"/logs.zip"))
	c := newClient(t, api, ghactions.WithToken(testToken))

	rc, _, err := c.Runs.Logs(context.Background(), testOwner, testRepo, 30433642)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, "final", string(b))
	assert.Empty(t, archive.last(t).Header.Values("Authorization"))
	assert.Empty(t, final.last(t).Header.Values("Authorization"))
}

// Some proxies answer 200 with the archive itself.
func TestLogsArchiveInline(t *testing.T) {
	data := randomBytes(1<<20 + 7)
	api := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		_, _ = w.Write(data)
	})
	c := newClient(t, api, ghactions.WithToken(testToken))
	rc, resp, err := c.Runs.Logs(context.Background(), testOwner, testRepo, 30433642)
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, sha256.Sum256(data), sha256.Sum256(got))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, api.hits())
}

func TestLogsErrors(t *testing.T) {
	for _, tc := range []struct {
		name         string
		policy       ghactions.RetryPolicy
		api          func(archiveURL string) http.HandlerFunc
		archive      http.HandlerFunc
		is           error
		status       int // of the *APIError; 0 = not an API error
		archiveHits  int
		apiHits      int
		wantContains string
	}{
		{
			name: "API 404",
			api: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) {
					answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
				}
			},
			is: ghactions.ErrNotFound, status: 404, apiHits: 1,
		},
		{
			name: "archive 403",
			archive: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, "<Error><Code>AuthenticationFailed</Code></Error>")
			},
			is: ghactions.ErrForbidden, status: 403, apiHits: 1, archiveHits: 1,
		},
		{
			name:    "archive 500, retries off",
			archive: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
			status:  500, apiHits: 1, archiveHits: 1,
		},
		{
			name:    "archive 500, retried",
			policy:  fastRetries,
			archive: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
			status:  500, apiHits: 1, archiveHits: 1 + fastRetries.MaxRetries,
		},
		{
			name: "redirect to ftp",
			api: func(string) http.HandlerFunc {
				return redirectTo(http.StatusFound, "ftp://storage.example/logs.zip")
			},
			apiHits: 1, wantContains: "ftp",
		},
		{
			name: "redirect to file",
			api: func(string) http.HandlerFunc {
				return redirectTo(http.StatusFound, "file:///etc/passwd")
			},
			apiHits: 1, wantContains: "file",
		},
		{
			name: "redirect to javascript",
			api: func(string) http.HandlerFunc {
				return redirectTo(http.StatusFound, "javascript:alert(1)")
			},
			apiHits: 1,
		},
		{
			name: "redirect without Location",
			api: func(string) http.HandlerFunc {
				return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) }
			},
			apiHits: 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			archiveHandler := tc.archive
			if archiveHandler == nil {
				archiveHandler = func(w http.ResponseWriter, r *http.Request) {
					t.Errorf("unexpected archive request %s", r.URL)
				}
			}
			archive := newServer(t, archiveHandler)
			apiHandler := redirectTo(http.StatusFound, archive.URL+"/logs.zip")
			if tc.api != nil {
				apiHandler = tc.api(archive.URL)
			}
			api := newServer(t, apiHandler)
			c := newClient(t, api, ghactions.WithToken(testToken), ghactions.WithRetryPolicy(tc.policy))

			rc, _, err := c.Runs.Logs(context.Background(), testOwner, testRepo, 30433642)
			require.Error(t, err)
			assert.Nil(t, rc)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			var apiErr *ghactions.APIError
			if tc.status != 0 {
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tc.status, apiErr.StatusCode)
			} else {
				assert.False(t, errors.As(err, &apiErr), "not an API error: %v", err)
			}
			if tc.wantContains != "" {
				assert.Contains(t, err.Error(), tc.wantContains)
			}
			assert.NotContains(t, err.Error(), testToken)
			assert.Equal(t, tc.apiHits, api.hits(), "API requests")
			assert.Equal(t, tc.archiveHits, archive.hits(), "archive requests")
		})
	}
}

// The archive is retried after a 500 and then streamed.
func TestLogsArchiveRetrySucceeds(t *testing.T) {
	var n atomic.Int64
	archive := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, strings.Repeat("log line\n", 1000))
	})
	api := newServer(t, redirectTo(http.StatusFound, archive.URL+"/logs.zip"))
	c := newClient(t, api, ghactions.WithToken(testToken), ghactions.WithRetryPolicy(fastRetries))

	rc, _, err := c.Runs.Logs(context.Background(), testOwner, testRepo, 30433642)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Len(t, b, 9000)
	assert.Equal(t, 2, archive.hits())
	for _, r := range archive.requests() {
		assert.Empty(t, r.Header.Values("Authorization"))
	}
}

// The token source is asked for the API request only, never for the archive.
func TestLogsAsksTokenForAPIOnly(t *testing.T) {
	archive := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "zip") })
	api := newServer(t, redirectTo(http.StatusFound, archive.URL+"/logs.zip"))
	ts := &countingSource{}
	c := newClient(t, api, ghactions.WithTokenSource(ts))
	rc, _, err := c.Runs.Logs(context.Background(), testOwner, testRepo, 30433642)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, rc)
	require.NoError(t, rc.Close())
	assert.Equal(t, int64(1), ts.n.Load())
	assert.Equal(t, "Bearer tok-1", api.last(t).Header.Get("Authorization"))
	assert.Empty(t, archive.last(t).Header.Values("Authorization"))
}
