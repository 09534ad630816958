package ghactions_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

const runsPath = apiPrefix + "repos/octo-org/octo-repo/actions/runs"

// endpointCase is one call of one endpoint and what must reach the server.
type endpointCase struct {
	name   string
	call   func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error)
	method string
	path   string     // decoded path
	uri    string     // the escaped request target, when it matters
	query  url.Values // nil: no query at all
	body   string     // the JSON body expected; "" = none
	status int
	answer string // testdata file to answer with; "" = no body
	check  func(t *testing.T, got any)
}

func endpointCases() []endpointCase {
	ctx0 := func(f func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error)) func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
		return func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
			resp, err := f(ctx, c)
			return nil, resp, err
		}
	}
	return []endpointCase{
		{
			name: "ListPage without options",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.ListPage(ctx, testOwner, testRepo, nil)
			},
			method: http.MethodGet, path: runsPath, status: http.StatusOK, answer: "list_runs.json",
		},
		{
			name: "ListPage with every option",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{
					Actor:               "octocat",
					Branch:              "main",
					Event:               "push",
					Status:              ghactions.StatusInProgress,
					Created:             ">=2024-01-01",
					ExcludePullRequests: true,
					CheckSuiteID:        42,
					HeadSHA:             "acb5820ced9479c074f688cc328bf03f341a511d",
					PerPage:             30,
					Page:                2,
				})
			},
			method: http.MethodGet, path: runsPath,
			query: url.Values{
				"actor":                 {"octocat"},
				"branch":                {"main"},
				"event":                 {"push"},
				"status":                {"in_progress"},
				"created":               {">=2024-01-01"},
				"exclude_pull_requests": {"true"},
				"check_suite_id":        {"42"},
				"head_sha":              {"acb5820ced9479c074f688cc328bf03f341a511d"},
				"per_page":              {"30"},
				"page":                  {"2"},
			},
			status: http.StatusOK, answer: "list_runs.json",
		},
		{
			name: "ListPage with Conclusion sent as status",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{Conclusion: ghactions.ConclusionFailure})
			},
			method: http.MethodGet, path: runsPath, query: url.Values{"status": {"failure"}},
			status: http.StatusOK, answer: "list_runs.json",
		},
		{
			name: "ListPage with a date range",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{Created: "2024-01-01..2024-02-01"})
			},
			method: http.MethodGet, path: runsPath, query: url.Values{"created": {"2024-01-01..2024-02-01"}},
			status: http.StatusOK, answer: "list_runs.json",
		},
		{
			name: "ListPage of a workflow by file name",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{Workflow: "build.yml", Branch: "main"})
			},
			method: http.MethodGet, path: apiPrefix + "repos/octo-org/octo-repo/actions/workflows/build.yml/runs",
			query:  url.Values{"branch": {"main"}},
			status: http.StatusOK, answer: "list_runs.json",
		},
		{
			name: "ListPage of a workflow by ID",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{Workflow: "159038"})
			},
			method: http.MethodGet, path: apiPrefix + "repos/octo-org/octo-repo/actions/workflows/159038/runs",
			status: http.StatusOK, answer: "list_runs.json",
		},
		{
			name: "ListPage of a workflow whose name needs escaping",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{Workflow: "my build?#%.yml"})
			},
			method: http.MethodGet, path: apiPrefix + "repos/octo-org/octo-repo/actions/workflows/my build?#%.yml/runs",
			uri:    apiPrefix + "repos/octo-org/octo-repo/actions/workflows/my%20build%3F%23%25.yml/runs",
			status: http.StatusOK, answer: "list_runs.json",
		},
		{
			name: "Get",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.Get(ctx, testOwner, testRepo, 30433642, nil)
			},
			method: http.MethodGet, path: runsPath + "/30433642", status: http.StatusOK, answer: "get_run.json",
		},
		{
			name: "Get excluding pull requests",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.Get(ctx, testOwner, testRepo, 30433642, &ghactions.GetOptions{ExcludePullRequests: true})
			},
			method: http.MethodGet, path: runsPath + "/30433642", query: url.Values{"exclude_pull_requests": {"true"}},
			status: http.StatusOK, answer: "get_run.json",
		},
		{
			name: "Get with zero options",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.Get(ctx, testOwner, testRepo, 30433642, &ghactions.GetOptions{})
			},
			method: http.MethodGet, path: runsPath + "/30433642", status: http.StatusOK, answer: "get_run.json",
		},
		{
			name: "GetAttempt",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.GetAttempt(ctx, testOwner, testRepo, 30433642, 2, nil)
			},
			method: http.MethodGet, path: runsPath + "/30433642/attempts/2", status: http.StatusOK, answer: "get_run.json",
		},
		{
			name: "GetAttempt excluding pull requests",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.GetAttempt(ctx, testOwner, testRepo, 30433642, 1, &ghactions.GetOptions{ExcludePullRequests: true})
			},
			method: http.MethodGet, path: runsPath + "/30433642/attempts/1", query: url.Values{"exclude_pull_requests": {"true"}},
			status: http.StatusOK, answer: "get_run.json",
		},
		{
			name: "Delete",
			call: ctx0(func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
				return c.Runs.Delete(ctx, testOwner, testRepo, 30433642)
			}),
			method: http.MethodDelete, path: runsPath + "/30433642", status: http.StatusNoContent,
		},
		{
			name: "Cancel",
			call: ctx0(func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
				return c.Runs.Cancel(ctx, testOwner, testRepo, 30433642)
			}),
			method: http.MethodPost, path: runsPath + "/30433642/cancel", status: http.StatusAccepted,
		},
		{
			name: "ForceCancel",
			call: ctx0(func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
				return c.Runs.ForceCancel(ctx, testOwner, testRepo, 30433642)
			}),
			method: http.MethodPost, path: runsPath + "/30433642/force-cancel", status: http.StatusAccepted,
		},
		{
			name: "Rerun",
			call: ctx0(func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
				return c.Runs.Rerun(ctx, testOwner, testRepo, 30433642, nil)
			}),
			method: http.MethodPost, path: runsPath + "/30433642/rerun", status: http.StatusCreated,
		},
		{
			name: "Rerun with debug logging off",
			call: ctx0(func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
				return c.Runs.Rerun(ctx, testOwner, testRepo, 30433642, &ghactions.RerunOptions{})
			}),
			method: http.MethodPost, path: runsPath + "/30433642/rerun", status: http.StatusCreated,
		},
		{
			name: "Rerun with debug logging",
			call: ctx0(func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
				return c.Runs.Rerun(ctx, testOwner, testRepo, 30433642, &ghactions.RerunOptions{EnableDebugLogging: true})
			}),
			method: http.MethodPost, path: runsPath + "/30433642/rerun", body: `{"enable_debug_logging":true}`,
			status: http.StatusCreated,
		},
		{
			name: "DeleteLogs",
			call: ctx0(func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
				return c.Runs.DeleteLogs(ctx, testOwner, testRepo, 30433642)
			}),
			method: http.MethodDelete, path: runsPath + "/30433642/logs", status: http.StatusNoContent,
		},
		{
			name: "Usage",
			call: func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
				return c.Runs.Usage(ctx, testOwner, testRepo, 30433642)
			},
			method: http.MethodGet, path: runsPath + "/30433642/timing", status: http.StatusOK, answer: "run_usage.json",
		},
	}
}

// headerCase is a client configuration and the headers it must send.
type headerCase struct {
	name      string
	opts      []ghactions.Option
	userAgent string
	version   string
	auth      string // "" = no Authorization header
}

func headerCases() []headerCase {
	return []headerCase{
		{
			name:      "defaults, anonymous",
			userAgent: "ghactions-go/" + ghactions.Version,
			version:   "2022-11-28",
		},
		{
			name:      "token",
			opts:      []ghactions.Option{ghactions.WithToken(testToken)},
			userAgent: "ghactions-go/" + ghactions.Version,
			version:   "2022-11-28",
			auth:      "Bearer " + testToken,
		},
		{
			name: "user agent, API version and token source",
			opts: []ghactions.Option{
				ghactions.WithUserAgent("my-tool/2.0 (+https://example.com)"),
				ghactions.WithAPIVersion("2026-03-10"),
				ghactions.WithTokenSource(tokenFunc(func(context.Context) (string, error) { return "ghs_installation", nil })),
			},
			userAgent: "my-tool/2.0 (+https://example.com)",
			version:   "2026-03-10",
			auth:      "Bearer ghs_installation",
		},
	}
}

type tokenFunc func(ctx context.Context) (string, error)

func (f tokenFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

func TestEndpoints(t *testing.T) {
	for _, hc := range headerCases() {
		for _, tc := range endpointCases() {
			t.Run(hc.name+"/"+tc.name, func(t *testing.T) {
				var answerBody []byte
				if tc.answer != "" {
					answerBody = testdata(t, tc.answer)
				}
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					answer(w, tc.status, answerBody)
				})
				c := newClient(t, srv, hc.opts...)

				got, resp, err := tc.call(context.Background(), c)
				require.NoError(t, err)
				require.NotNil(t, resp)
				assert.Equal(t, tc.status, resp.StatusCode)

				require.Equal(t, 1, srv.hits(), "requests sent")
				req := srv.last(t)
				assert.Equal(t, tc.method, req.Method)
				assert.Equal(t, tc.path, req.Path)
				if tc.uri != "" {
					assert.Equal(t, tc.uri, req.EscapedURI)
				}
				if tc.query == nil {
					assert.Empty(t, req.Query, "query")
				} else {
					assert.Equal(t, tc.query, req.Query, "query")
				}
				if tc.body == "" {
					assert.Empty(t, req.Body, "body")
				} else {
					assert.JSONEq(t, tc.body, string(req.Body), "body")
					assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
				}

				assert.Equal(t, "application/vnd.github+json", req.Header.Get("Accept"))
				assert.Equal(t, hc.version, req.Header.Get("X-GitHub-Api-Version"))
				assert.Equal(t, hc.userAgent, req.Header.Get("User-Agent"))
				if hc.auth == "" {
					assert.NotContains(t, req.Header, "Authorization")
				} else {
					assert.Equal(t, []string{hc.auth}, req.Header.Values("Authorization"))
				}

				switch v := got.(type) {
				case *ghactions.RunsPage:
					assertMatchesJSON(t, answerBody, v)
				case *ghactions.WorkflowRun:
					assertMatchesJSON(t, answerBody, v)
				case *ghactions.RunUsage:
					assertMatchesJSON(t, answerBody, v)
				case nil:
					assert.Empty(t, tc.answer)
				default:
					t.Fatalf("unexpected result %T", got)
				}
				if tc.check != nil {
					tc.check(t, got)
				}
			})
		}
	}
}

// Readable spot checks on top of the field-by-field comparison.
func TestGetDecodesSeedExample(t *testing.T) {
	doc := testdata(t, "get_run.json")
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, doc) })
	c := newClient(t, srv)

	run, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 30433642, nil)
	require.NoError(t, err)
	m := decodeGeneric(t, doc).(map[string]any)

	assert.Equal(t, m["id"], jsonNumber(run.ID))
	assert.Equal(t, m["name"], run.Name)
	assert.Equal(t, m["path"], run.Path)
	assert.Equal(t, m["status"], string(run.Status))
	assert.Nil(t, m["conclusion"])
	assert.Equal(t, ghactions.Conclusion(""), run.Conclusion)
	assert.Equal(t, m["run_attempt"], jsonNumber(int64(run.RunAttempt)))
	require.NotNil(t, run.Actor)
	assert.Equal(t, m["actor"].(map[string]any)["login"], run.Actor.Login)
	require.NotNil(t, run.HeadCommit)
	require.NotNil(t, run.HeadCommit.Author)
	assert.Equal(t, m["head_commit"].(map[string]any)["author"].(map[string]any)["email"], run.HeadCommit.Author.Email)
	require.NotNil(t, run.Repository)
	require.NotNil(t, run.Repository.Owner)
	assert.Equal(t, m["repository"].(map[string]any)["full_name"], run.Repository.FullName)
	require.NotNil(t, run.HeadRepository)
	assert.Empty(t, run.HeadRepository.Description, "null description")
	assert.Len(t, run.ReferencedWorkflows, len(m["referenced_workflows"].([]any)))
	assert.NotNil(t, run.PullRequests, "an empty pull_requests array decodes to an empty slice")
	assert.Empty(t, run.PullRequests)
}

func TestUsageDecodesSeedExample(t *testing.T) {
	doc := testdata(t, "run_usage.json")
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, doc) })
	c := newClient(t, srv)

	u, _, err := c.Runs.Usage(context.Background(), testOwner, testRepo, 1)
	require.NoError(t, err)
	m := decodeGeneric(t, doc).(map[string]any)
	billable := m["billable"].(map[string]any)
	require.Len(t, u.Billable, len(billable))
	for os, v := range billable {
		want := v.(map[string]any)
		got, ok := u.Billable[os]
		require.True(t, ok, "runner %s", os)
		assert.Equal(t, want["total_ms"], jsonNumber(got.TotalMS), os)
		assert.Equal(t, want["jobs"], jsonNumber(int64(got.Jobs)), os)
		assert.Len(t, got.JobRuns, len(want["job_runs"].([]any)), os)
	}
	assert.Equal(t, m["run_duration_ms"], jsonNumber(u.RunDurationMS))
}

// The endpoints that answer the API's empty object accept every success
// status with an empty body, {} or null.
func TestEmptyObjectAnswers(t *testing.T) {
	calls := map[string]func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error){
		"Delete": func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
			return c.Runs.Delete(ctx, testOwner, testRepo, 1)
		},
		"Cancel": func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
			return c.Runs.Cancel(ctx, testOwner, testRepo, 1)
		},
		"ForceCancel": func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
			return c.Runs.ForceCancel(ctx, testOwner, testRepo, 1)
		},
		"Rerun": func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
			return c.Runs.Rerun(ctx, testOwner, testRepo, 1, &ghactions.RerunOptions{EnableDebugLogging: true})
		},
		"DeleteLogs": func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
			return c.Runs.DeleteLogs(ctx, testOwner, testRepo, 1)
		},
	}
	bodies := map[string][]byte{"empty": nil, "{}": []byte("{}"), "null": []byte("null"), "object": []byte(`{"message":"ok"}`)}
	for name, call := range calls {
		for _, status := range []int{http.StatusOK, http.StatusCreated, http.StatusAccepted, http.StatusNoContent} {
			for bodyName, body := range bodies {
				if status == http.StatusNoContent && body != nil {
					continue // a 204 has no body
				}
				t.Run(name+"/"+http.StatusText(status)+"/"+bodyName, func(t *testing.T) {
					srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, status, body) })
					c := newClient(t, srv)
					resp, err := call(context.Background(), c)
					require.NoError(t, err)
					require.NotNil(t, resp)
					assert.Equal(t, status, resp.StatusCode)
					assert.Equal(t, 1, srv.hits())
				})
			}
		}
	}
}

func TestCancelConflict(t *testing.T) {
	for name, call := range map[string]func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error){
		"Cancel": func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
			return c.Runs.Cancel(ctx, testOwner, testRepo, 1)
		},
		"ForceCancel": func(ctx context.Context, c *ghactions.Client) (*ghactions.Response, error) {
			return c.Runs.ForceCancel(ctx, testOwner, testRepo, 1)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-GitHub-Request-Id", "ABCD:1234")
				answer(w, http.StatusConflict, []byte(`{"message":"Cannot cancel a workflow run that is completed.","documentation_url":"https://docs.github.com/rest"}`))
			})
			c := newClient(t, srv)
			resp, err := call(context.Background(), c)
			require.Error(t, err)
			assert.ErrorIs(t, err, ghactions.ErrConflict)
			assert.NotErrorIs(t, err, ghactions.ErrNotFound)
			var apiErr *ghactions.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, http.StatusConflict, apiErr.StatusCode)
			assert.Equal(t, "Cannot cancel a workflow run that is completed.", apiErr.Message)
			assert.Equal(t, "https://docs.github.com/rest", apiErr.DocumentationURL)
			assert.Equal(t, "ABCD:1234", apiErr.RequestID)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusConflict, resp.StatusCode)
		})
	}
}

// Each error status matches its sentinel and no other.
func TestErrorStatuses(t *testing.T) {
	sentinels := []error{ghactions.ErrUnauthorized, ghactions.ErrForbidden, ghactions.ErrNotFound,
		ghactions.ErrConflict, ghactions.ErrUnprocessable, ghactions.ErrRateLimited, ghactions.ErrInvalidArgument}
	for _, tc := range []struct {
		status int
		want   error // nil: an *APIError matching no sentinel
	}{
		{http.StatusBadRequest, nil},
		{http.StatusUnauthorized, ghactions.ErrUnauthorized},
		{http.StatusForbidden, ghactions.ErrForbidden},
		{http.StatusNotFound, ghactions.ErrNotFound},
		{http.StatusGone, nil},
		{http.StatusConflict, ghactions.ErrConflict},
		{http.StatusUnprocessableEntity, ghactions.ErrUnprocessable},
		{http.StatusInternalServerError, nil},
		{http.StatusBadGateway, nil},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				answer(w, tc.status, []byte(`{"message":"nope"}`))
			})
			c := newClient(t, srv)
			run, resp, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.Error(t, err)
			assert.Nil(t, run)
			require.NotNil(t, resp)
			var apiErr *ghactions.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, "nope", apiErr.Message)
			for _, s := range sentinels {
				assert.Equal(t, s == tc.want, errors.Is(err, s), "errors.Is(%v)", s)
			}
			assert.Equal(t, 1, srv.hits(), "no retry with retries off")
		})
	}
}

// jsonNumber is n as decodeGeneric gives it.
func jsonNumber(n int64) any {
	return json.Number(strconv.FormatInt(n, 10))
}

// A retried request sends the same body on every try.
func TestRetryResendsBody(t *testing.T) {
	var n atomic.Int64
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			answer(w, http.StatusBadGateway, nil)
			return
		}
		w.WriteHeader(http.StatusCreated)
	})
	c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
	_, err := c.Runs.Rerun(context.Background(), testOwner, testRepo, 1, &ghactions.RerunOptions{EnableDebugLogging: true})
	require.NoError(t, err)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.JSONEq(t, `{"enable_debug_logging":true}`, string(r.Body), "try %d", i+1)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "try %d", i+1)
	}
}

// A 2xx answer that cannot be decoded is an error, not a zero value.
func TestUndecodableAnswer(t *testing.T) {
	for name, body := range map[string][]byte{
		"empty":       nil,
		"not JSON":    []byte("<html>maintenance</html>"),
		"wrong types": []byte(`{"id":"thirty","run_number":{}}`),
		"truncated":   []byte(`{"id":1,"name":"Bu`),
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, body) })
			c := newClient(t, srv)
			run, resp, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.Error(t, err)
			assert.Nil(t, run)
			require.NotNil(t, resp)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
		})
	}
}
