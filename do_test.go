package ghactions_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// Do's signature is part of the API contract.
var _ func(*ghactions.Client, context.Context, string, string, any, any) (*ghactions.Response, error) = (*ghactions.Client).Do

const artifactsPath = apiPrefix + "repos/octo-org/octo-repo/actions/artifacts"

type artifact struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Expired bool   `json:"expired"`
}

type artifactList struct {
	TotalCount int        `json:"total_count"`
	Artifacts  []artifact `json:"artifacts"`
}

func TestDoGet(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "4999")
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?page=2&per_page=2>; rel="next"`, r.Host, r.URL.Path))
		answer(w, http.StatusOK, []byte(`{"total_count":3,"artifacts":[{"id":1,"name":"build","expired":false},{"id":2,"name":"logs","expired":true}]}`))
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))

	var out artifactList
	resp, err := c.Do(context.Background(), http.MethodGet, "repos/octo-org/octo-repo/actions/artifacts?per_page=2&name=b%20c", nil, &out)
	require.NoError(t, err)
	assert.Equal(t, artifactList{TotalCount: 3, Artifacts: []artifact{{1, "build", false}, {2, "logs", true}}}, out)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 2, resp.NextPage)
	assert.Equal(t, 4999, resp.Rate.Remaining)
	assert.Equal(t, 4999, c.Rate().Remaining)

	req := srv.last(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, artifactsPath, req.Path)
	assert.Equal(t, "2", req.Query.Get("per_page"))
	assert.Equal(t, "b c", req.Query.Get("name"))
	assert.Equal(t, "Bearer "+testToken, req.Header.Get("Authorization"))
	assert.Equal(t, "application/vnd.github+json", req.Header.Get("Accept"))
	assert.Equal(t, "2022-11-28", req.Header.Get("X-GitHub-Api-Version"))
	assert.True(t, strings.HasPrefix(req.Header.Get("User-Agent"), "ghactions-go/"))
	assert.Empty(t, req.Body)
	assert.Empty(t, resp.Request.Header.Values("Authorization"))
}

// out follows encoding/json's rules: the caller's types were written for it.
func TestDoDecodesAsEncodingJSON(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusOK, []byte(`{"Name":"build","SIZE_IN_BYTES":12,"extra":{"a":[1,2.5]}}`))
	})
	c := newClient(t, srv)
	var out struct {
		Name        string
		SizeInBytes int64 `json:"size_in_bytes"`
		Extra       map[string]any
	}
	_, err := c.Do(context.Background(), http.MethodGet, "x", nil, &out)
	require.NoError(t, err)
	assert.Equal(t, "build", out.Name)
	assert.Equal(t, int64(12), out.SizeInBytes, "names match whatever their case")
	assert.Equal(t, map[string]any{"a": []any{1.0, 2.5}}, out.Extra)

	var generic map[string]any
	_, err = c.Do(context.Background(), http.MethodGet, "x", nil, &generic)
	require.NoError(t, err)
	assert.Equal(t, "build", generic["Name"])
}

func TestDoPostWithBody(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusCreated, []byte(`{"id":42,"name":"nightly"}`))
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))
	in := map[string]any{"name": "nightly", "value": "on", "visibility": "all"}
	var out artifact
	resp, err := c.Do(context.Background(), "post", "repos/octo-org/octo-repo/actions/variables", in, &out)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, artifact{ID: 42, Name: "nightly"}, out)
	req := srv.last(t)
	assert.Equal(t, http.MethodPost, req.Method, "the method in capitals")
	assert.Equal(t, apiPrefix+"repos/octo-org/octo-repo/actions/variables", req.Path)
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"name":"nightly","value":"on","visibility":"all"}`, string(req.Body))
}

// An answer without a body leaves out as it was.
func TestDoEmptyAnswerLeavesOut(t *testing.T) {
	for name, h := range map[string]http.HandlerFunc{
		"204":                  func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) },
		"202 without a body":   func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) },
		"200 with white space": func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, []byte(" \n")) },
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, h)
			c := newClient(t, srv)
			out := artifact{ID: 7, Name: "kept"}
			_, err := c.Do(context.Background(), http.MethodDelete, "repos/octo-org/octo-repo/actions/artifacts/7", nil, &out)
			require.NoError(t, err)
			assert.Equal(t, artifact{ID: 7, Name: "kept"}, out)
		})
	}
}

func TestDoErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		header   map[string]string
		body     string
		sentinel error
		rate     bool
	}{
		{"404", http.StatusNotFound, nil, `{"message":"Not Found"}`, ghactions.ErrNotFound, false},
		{"401", http.StatusUnauthorized, nil, `{"message":"Bad credentials"}`, ghactions.ErrUnauthorized, false},
		{"422", http.StatusUnprocessableEntity, nil, `{"message":"Validation Failed","errors":[{"resource":"Variable","field":"name","code":"missing_field"}]}`, ghactions.ErrUnprocessable, false},
		{"409", http.StatusConflict, nil, `{"message":"Conflict"}`, ghactions.ErrConflict, false},
		{"rate limit", http.StatusForbidden, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4000000000"}, `{"message":"API rate limit exceeded"}`, ghactions.ErrRateLimited, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tc.header {
					w.Header().Set(k, v)
				}
				answer(w, tc.status, []byte(tc.body))
			})
			c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
			out := artifact{Name: "kept"}
			resp, err := c.Do(context.Background(), http.MethodGet, "repos/octo-org/octo-repo/actions/artifacts", nil, &out)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var apiErr *ghactions.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.NotEmpty(t, apiErr.Message)
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, artifact{Name: "kept"}, out, "an error answer is not decoded into out")
			var rlErr *ghactions.RateLimitError
			assert.Equal(t, tc.rate, errors.As(err, &rlErr))
			if tc.name == "422" {
				require.Len(t, apiErr.Errors, 1)
				assert.Equal(t, "name", apiErr.Errors[0].Field)
			}
		})
	}

	t.Run("a 2xx answer that is not JSON", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, []byte("<html>")) })
		c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
		var out artifact
		resp, err := c.Do(context.Background(), http.MethodGet, "x", nil, &out)
		require.Error(t, err)
		assert.ErrorContains(t, err, "decoding the answer")
		require.NotNil(t, resp)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, 1, srv.hits())
	})

	t.Run("5xx retried", func(t *testing.T) {
		var srv *server
		srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if srv.hits() < 3 {
				answer(w, http.StatusBadGateway, nil)
				return
			}
			answer(w, http.StatusOK, []byte(`{"id":5}`))
		})
		c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
		var out artifact
		_, err := c.Do(context.Background(), http.MethodGet, "x", nil, &out)
		require.NoError(t, err)
		assert.Equal(t, int64(5), out.ID)
		assert.Equal(t, 3, srv.hits())
	})

	t.Run("a GET whose body is cut is retried into a fresh out", func(t *testing.T) {
		srv := newServer(t, cutFirst(1, cutLength, []byte(`{"id":9,"name":"whole"}`)))
		c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
		out := map[string]any{"stale": true}
		_, err := c.Do(context.Background(), http.MethodGet, "x", nil, &out)
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"id": 9.0, "name": "whole"}, out)
		assert.Equal(t, 2, srv.hits())
	})
}

// Bad input is refused before anything is sent.
func TestDoInvalidArguments(t *testing.T) {
	var out artifact
	for _, tc := range []struct {
		name, method, path string
		body, out          any
	}{
		{"empty method", "", "repos/o/r/actions/artifacts", nil, nil},
		{"method with a space", "GE T", "x", nil, nil},
		{"method with a newline", "GET\n", "x", nil, nil},
		{"leading slash", "GET", "/repos/o/r/actions/artifacts", nil, nil},
		{"leading backslash", "GET", `\repos/o/r`, nil, nil},
		{"absolute URL", "GET", "https://evil.example/repos/o/r", nil, nil},
		{"absolute URL on the API's host", "GET", "http://127.0.0.1/repos", nil, nil},
		{"scheme-relative URL", "GET", "//evil.example/repos/o/r", nil, nil},
		{"another scheme", "GET", "mailto:someone@example.com", nil, nil},
		{"dot-dot segment", "GET", "repos/../../admin", nil, nil},
		{"dot-dot at the start", "GET", "../admin", nil, nil},
		{"escaped dot-dot", "GET", "repos/%2e%2E/admin", nil, nil},
		{"dot segment", "GET", "repos/./o", nil, nil},
		{"backslash", "GET", `repos\..\admin`, nil, nil},
		{"fragment", "GET", "repos/o/r#x", nil, nil},
		{"bad escape", "GET", "repos/%zz", nil, nil},
		{"body that is not JSON", "POST", "x", make(chan int), nil},
		{"out not a pointer", "GET", "x", nil, out},
		{"out a nil pointer", "GET", "x", nil, (*artifact)(nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := forbiddenServer(t)
			c := newClient(t, srv, ghactions.WithToken(testToken))
			resp, err := c.Do(context.Background(), tc.method, tc.path, tc.body, tc.out)
			require.Error(t, err)
			assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
			assert.Nil(t, resp)
			assert.Zero(t, srv.hits())
		})
	}
	srv := forbiddenServer(t)
	c := newClient(t, srv)
	var noContext context.Context
	_, err := c.Do(noContext, http.MethodGet, "x", nil, nil)
	require.ErrorIs(t, err, ghactions.ErrInvalidArgument)
}

// Do sends the token to the API's origin only, and keeps it out of what it
// hands back.
func TestDoTokenSafety(t *testing.T) {
	other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusOK, []byte(`{"id":1}`))
	})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/elsewhere") {
			http.Redirect(w, r, other.URL+"/moved", http.StatusFound)
			return
		}
		tok := bearer(r)
		w.Header().Set("X-GitHub-Request-Id", tok)
		answer(w, http.StatusUnauthorized, []byte(`{"message":"bad token `+tok+`"}`))
	})
	c := newClient(t, srv, ghactions.WithToken(testToken))

	var out artifact
	_, err := c.Do(context.Background(), http.MethodGet, "elsewhere", nil, &out)
	require.NoError(t, err)
	assert.Equal(t, "Bearer "+testToken, srv.last(t).Header.Get("Authorization"))
	assert.Empty(t, other.last(t).Header.Values("Authorization"), "no token off the API's origin")

	_, err = c.Do(context.Background(), http.MethodGet, "echo", nil, &out)
	require.ErrorIs(t, err, ghactions.ErrUnauthorized)
	assertErrorTreeClean(t, err, testToken)
	assertAPIErrorClean(t, err, testToken)

	_, err = c.Do(context.Background(), http.MethodPost, "elsewhere", map[string]string{"a": "b"}, nil)
	require.Error(t, err, "a POST is not turned into a GET by a 302")
	assert.Equal(t, 1, other.hits())
}
