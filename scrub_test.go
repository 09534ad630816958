package ghactions_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// echoCase is a server that echoes the token it was sent somewhere in its
// answer, and the call that gets the echo back.
type echoCase struct {
	name string
	// handler answers the API's requests; tok is the token the request
	// carried ("" when it carried none), other the URL of a second server.
	handler func(w http.ResponseWriter, r *http.Request, tok, other string)
	// storage, when set, answers the second server's requests.
	storage func(w http.ResponseWriter, r *http.Request, tok string)
	call    func(ctx context.Context, c *ghactions.Client) error
}

func getRun(ctx context.Context, c *ghactions.Client) error {
	_, _, err := c.Runs.Get(ctx, testOwner, testRepo, 1, nil)
	return err
}

func listAll(ctx context.Context, c *ghactions.Client) error {
	for _, err := range c.Runs.List(ctx, testOwner, testRepo, nil) {
		if err != nil {
			return err
		}
	}
	return nil
}

func fetchLogs(ctx context.Context, c *ghactions.Client) error {
	rc, _, err := c.Runs.Logs(ctx, testOwner, testRepo, 1)
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err
}

func bearer(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

func echoCases() []echoCase {
	return []echoCase{
		{name: "X-GitHub-Request-Id of a 404", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			w.Header().Set("X-GitHub-Request-Id", "CAFE:"+tok+":1")
			answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
		}, call: getRun},
		{name: "X-GitHub-Request-Id of a rate limit", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			w.Header().Set("X-GitHub-Request-Id", tok)
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", "4000000000")
			answer(w, http.StatusForbidden, []byte(`{"message":"API rate limit exceeded"}`))
		}, call: getRun},
		{name: "redirect Location on the API's origin, then a 404", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			if strings.Contains(r.URL.Path, "/moved/") {
				answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
				return
			}
			http.Redirect(w, r, apiPrefix+"moved/"+tok+"/run?t="+tok, http.StatusFound)
		}, call: getRun},
		{name: "redirect Location to an unreachable host", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			http.Redirect(w, r, "http://127.0.0.1:1/"+tok, http.StatusFound)
		}, call: getRun},
		{name: "redirect Location of a POST", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			http.Redirect(w, r, apiPrefix+"moved/"+tok, http.StatusFound)
		}, call: func(ctx context.Context, c *ghactions.Client) error {
			_, err := c.Runs.Cancel(ctx, testOwner, testRepo, 1)
			return err
		}},
		{name: "redirect loop", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			http.Redirect(w, r, apiPrefix+"loop/"+tok+"?n="+fmt.Sprint(len(r.URL.Path)), http.StatusFound)
		}, call: getRun},
		{name: "Link next on the API's origin, then a 500", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			if strings.Contains(r.URL.Path, tok) {
				answer(w, http.StatusInternalServerError, []byte(`{"message":"boom"}`))
				return
			}
			w.Header().Set("Link", fmt.Sprintf(`<%s%s/runs?page=2&t=%s>; rel="next"`, apiPrefix, tok, tok))
			answer(w, http.StatusOK, []byte(`{"total_count":2,"workflow_runs":[{"id":1}]}`))
		}, call: listAll},
		{name: "Link next leading back to itself", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s/runs?page=2>; rel="next"`, apiPrefix, tok))
			answer(w, http.StatusOK, []byte(`{"total_count":2,"workflow_runs":[{"id":1}]}`))
		}, call: listAll},
		{name: "Link next off the API's origin", handler: func(w http.ResponseWriter, r *http.Request, tok, other string) {
			w.Header().Set("Link", fmt.Sprintf(`<%s/%s/runs?page=2&t=%s>; rel="next"`, other, tok, tok))
			answer(w, http.StatusOK, []byte(`{"total_count":2,"workflow_runs":[{"id":1}]}`))
		}, storage: func(w http.ResponseWriter, r *http.Request, _ string) {
			answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
		}, call: listAll},
		{name: "log URL, the storage host refuses", handler: func(w http.ResponseWriter, r *http.Request, tok, other string) {
			http.Redirect(w, r, other+"/"+tok+"/logs.zip?sig="+tok, http.StatusFound)
		}, storage: func(w http.ResponseWriter, r *http.Request, _ string) {
			w.Header().Set("X-GitHub-Request-Id", r.URL.Path)
			answer(w, http.StatusForbidden, []byte(`{"message":"no access to `+r.URL.Path+`"}`))
		}, call: fetchLogs},
		{name: "log URL that does not parse", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			w.Header().Set("Location", "http://[::1"+tok+"/logs.zip")
			w.WriteHeader(http.StatusFound)
		}, call: fetchLogs},
		{name: "log URL of a LogsURL call that does not parse", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			w.Header().Set("Location", "%zz"+tok)
			w.WriteHeader(http.StatusFound)
		}, call: func(ctx context.Context, c *ghactions.Client) error {
			_, _, err := c.Runs.LogsURL(ctx, testOwner, testRepo, 1)
			return err
		}},
		{name: "JSON object key that fails to decode", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			answer(w, http.StatusOK, []byte(`{"id":1,"`+tok+`": tru}`))
		}, call: getRun},
		{name: "JSON map key whose value fails to decode", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			answer(w, http.StatusOK, []byte(`{"billable":{"`+tok+`":"not an object"}}`))
		}, call: func(ctx context.Context, c *ghactions.Client) error {
			_, _, err := c.Runs.Usage(ctx, testOwner, testRepo, 1)
			return err
		}},
		{name: "JSON value that fails to decode", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			answer(w, http.StatusOK, []byte(`{"id":1,"created_at":"`+tok+`"}`))
		}, call: getRun},
		{name: "JSON key inside a page", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			answer(w, http.StatusOK, []byte(`{"total_count":1,"workflow_runs":[{"id":1,"`+tok+`":[1,}]}`))
		}, call: listAll},
		{name: "error body", handler: func(w http.ResponseWriter, r *http.Request, tok, _ string) {
			answer(w, http.StatusUnprocessableEntity, []byte(`{"message":"`+tok+`","documentation_url":"https://docs/`+tok+`",`+
				`"errors":[{"resource":"`+tok+`","field":"`+tok+`","code":"`+tok+`","message":"`+tok+`"},"`+tok+`"]}`))
		}, call: getRun},
	}
}

// Whatever part of the answer echoes the token, it reaches no error text,
// no field of an APIError and no log line.
func TestEchoedTokenIsScrubbed(t *testing.T) {
	sources := []struct {
		name string
		opt  ghactions.Option
		tok  string
	}{
		{"WithToken", ghactions.WithToken(testToken), testToken},
		{"WithTokenSource", ghactions.WithTokenSource(tokenFunc(func(context.Context) (string, error) { return "ghs_dynamicSECRET42", nil })), "ghs_dynamicSECRET42"},
	}
	for _, tc := range echoCases() {
		for _, src := range sources {
			t.Run(tc.name+"/"+src.name, func(t *testing.T) {
				other := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					if tc.storage != nil {
						tc.storage(w, r, bearer(r))
						return
					}
					answer(w, http.StatusOK, []byte(`{}`))
				})
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					tc.handler(w, r, bearer(r), other.URL)
				})
				var logs syncBuffer
				logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				c := newClient(t, srv, src.opt, ghactions.WithLogger(logger), ghactions.WithRetryPolicy(fastRetries))

				err := tc.call(context.Background(), c)
				require.Error(t, err)
				require.Equal(t, "Bearer "+src.tok, srv.requests()[0].Header.Get("Authorization"), "the token was sent")
				for _, r := range other.requests() {
					assert.Empty(t, r.Header.Values("Authorization"), "no token to another host")
				}
				assertErrorTreeClean(t, err, src.tok)
				assertAPIErrorClean(t, err, src.tok)
				assert.NotContains(t, logs.String(), src.tok, "log lines")
				assert.NotEmpty(t, logs.String())
			})
		}
	}
}

// assertErrorTreeClean checks the text of err and of every error it wraps.
func assertErrorTreeClean(t *testing.T, err error, tok string) {
	t.Helper()
	for _, text := range []string{fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%q", err), fmt.Sprintf("%#v", err)} {
		assert.NotContains(t, text, tok)
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil {
			assertErrorTreeClean(t, inner, tok)
		}
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			assertErrorTreeClean(t, inner, tok)
		}
	}
}

func assertAPIErrorClean(t *testing.T, err error, tok string) {
	t.Helper()
	var apiErr *ghactions.APIError
	if !errors.As(err, &apiErr) {
		return
	}
	assert.NotContains(t, apiErr.Error(), tok)
	assert.NotContains(t, apiErr.RequestID, tok)
	assert.NotContains(t, apiErr.Message, tok)
	assert.NotContains(t, apiErr.DocumentationURL, tok)
	for _, fe := range apiErr.Errors {
		assert.NotContains(t, fmt.Sprintf("%s|%s|%s|%s|%s", fe.Resource, fe.Field, fe.Code, fe.Message, fe), tok)
	}
	if apiErr.Response == nil {
		return
	}
	for req := apiErr.Response.Request; req != nil; {
		assert.Empty(t, req.Header.Values("Authorization"))
		assert.NotContains(t, req.URL.String(), tok)
		if req.Response == nil {
			break
		}
		req = req.Response.Request
	}
	var rlErr *ghactions.RateLimitError
	if errors.As(err, &rlErr) {
		assert.NotContains(t, rlErr.Error(), tok)
	}
}
