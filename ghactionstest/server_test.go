package ghactionstest_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestURLIsTheAPIBaseOnLoopback(t *testing.T) {
	srv := newServer(t)
	assert.Regexp(t, regexp.MustCompile(`^http://127\.0\.0\.1:\d+/api/v3/$`), srv.URL())
	assert.Equal(t, token, srv.Token())
}

func TestNewServerMakesUpAToken(t *testing.T) {
	a, b := ghactionstest.NewServer(), ghactionstest.NewServer()
	defer a.Close()
	defer b.Close()
	assert.Regexp(t, `^ghp_\w{20,}$`, a.Token())
	assert.NotEqual(t, a.Token(), b.Token())
}

func TestInvalidOptionsPanic(t *testing.T) {
	assert.Panics(t, func() { ghactionstest.NewServer(ghactionstest.WithToken("")) })
	assert.Panics(t, func() { ghactionstest.NewServer(ghactionstest.WithRateLimit(0)) })
}

func TestClientTalksToTheServer(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
	c, err := srv.Client(ghactions.WithUserAgent("fake-test"))
	require.NoError(t, err)

	got, resp, err := c.Runs.Get(context.Background(), owner, repo, run.ID, nil)
	require.NoError(t, err)
	assert.Equal(t, run, got)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "Bearer "+token, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "fake-test", reqs[0].Header.Get("User-Agent"))
}

func TestAuthentication(t *testing.T) {
	const cancelDoc = "https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run"
	badCredentials := `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`
	tests := []struct {
		name   string
		public bool
		method string
		auth   string
		status int
		body   string // the whole error body, when there is one
	}{
		{"bearer token", false, "GET", "Bearer " + token, http.StatusOK, ""},
		{"token scheme", false, "GET", "token " + token, http.StatusOK, ""},
		{"private read without token", false, "GET", "", http.StatusNotFound,
			`{"message":"Not Found","documentation_url":"https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run","status":"404"}`},
		{"private write without token", false, "POST", "", http.StatusNotFound,
			`{"message":"Not Found","documentation_url":"` + cancelDoc + `","status":"404"}`},
		{"wrong token", false, "GET", "Bearer ghp_wrong", http.StatusUnauthorized, badCredentials},
		{"wrong token on a write", false, "POST", "Bearer ghp_wrong", http.StatusUnauthorized, badCredentials},
		{"other scheme", false, "GET", "Basic " + token, http.StatusUnauthorized, badCredentials},
		{"public read without token", true, "GET", "", http.StatusOK, ""},
		{"public write without token", true, "POST", "", http.StatusUnauthorized,
			`{"message":"Requires authentication","documentation_url":"` + cancelDoc + `","status":"401"}`},
		{"public read with a wrong token", true, "GET", "Bearer ghp_wrong", http.StatusUnauthorized, badCredentials},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var opts []ghactionstest.Option
			if tt.public {
				opts = append(opts, ghactionstest.WithPublic())
			}
			srv := newServer(t, opts...)
			run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
			path := runs + "/" + strconv.FormatInt(run.ID, 10)
			if tt.method == "POST" {
				path += "/cancel"
			}
			r := call(t, srv, tt.method, path, "", "Authorization", tt.auth)
			require.Equal(t, tt.status, r.status, "body: %s", r.body)
			if tt.body != "" {
				assert.JSONEq(t, tt.body, string(r.body))
			}
			// Refused or not, the answer tells the rate limit.
			assert.NotEmpty(t, r.header.Get("X-RateLimit-Limit"))
		})
	}
}

// Without a token, a private repository is not there, whatever the path;
// a path that is no endpoint is not there either, even on a public server.
func TestWithoutATokenNothingPrivateIsThere(t *testing.T) {
	for _, public := range []bool{false, true} {
		var opts []ghactionstest.Option
		if public {
			opts = append(opts, ghactionstest.WithPublic())
		}
		srv := newServer(t, opts...)
		srv.SeedDemo()
		for i, tt := range []struct{ method, path string }{
			{"GET", runs},
			{"POST", "nothing/here"},
			{"DELETE", runs + "/"},
		} {
			r := call(t, srv, tt.method, tt.path, "", "Authorization", "")
			if public && tt.path == runs {
				assert.Equal(t, http.StatusOK, r.status)
			} else {
				requireError(t, r, http.StatusNotFound, "Not Found")
			}
			limit, _, used, _ := rateOf(r)
			assert.Equal(t, []int{60, i + 1}, []int{limit, used}, "an anonymous request counts against the anonymous limit")
		}
	}
}

func TestPublicRepositoriesAreNotPrivate(t *testing.T) {
	for _, public := range []bool{false, true} {
		var opts []ghactionstest.Option
		if public {
			opts = append(opts, ghactionstest.WithPublic())
		}
		srv := newServer(t, opts...)
		run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
		assert.Equal(t, !public, run.Repository.Private)
	}
}

func TestUnknownPathsAnswerNotFound(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	other := srv.AddRun(owner, "other-repo", ghactions.WorkflowRun{})
	id := strconv.FormatInt(run.ID, 10)
	tests := []struct{ method, path string }{
		{"GET", "nothing/here"},
		{"GET", runs + "/"},
		{"GET", "repos/octo-org/no-such-repo/actions/runs"},
		{"GET", runs + "/1"},
		{"GET", runs + "/abc"},
		{"GET", runs + "/" + strconv.FormatInt(other.ID, 10)},
		{"GET", runs + "/" + id + "/attempts/2"},
		{"GET", runs + "/" + id + "/attempts/0"},
		{"PUT", runs + "/" + id},
		{"POST", runs + "/" + id + "/rerun-failed-jobs/"},
		{"POST", "repos/octo-org/octo-repo/actions/jobs/1/rerun"},
		{"GET", "repositories/1/actions/runs"},
		{"GET", "repos/octo-org/octo-repo/actions/workflows/nope.yml/runs"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			requireError(t, call(t, srv, tt.method, tt.path, ""), http.StatusNotFound, "Not Found")
		})
	}
}

func TestNamesAreCaseInsensitive(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	r := call(t, srv, "GET", "repos/OCTO-ORG/Octo-Repo/actions/runs/"+strconv.FormatInt(run.ID, 10), "")
	assert.Equal(t, http.StatusOK, r.status)
}

func TestRepositoryIDPaths(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	r := call(t, srv, "GET", "repositories/"+strconv.FormatInt(run.Repository.ID, 10)+"/actions/runs", "")
	require.Equal(t, http.StatusOK, r.status)
	assert.EqualValues(t, 1, r.json(t)["total_count"])
}

func TestClientHeadersGitHubChecks(t *testing.T) {
	srv := newServer(t)
	r := call(t, srv, "GET", runs, "", "User-Agent", "")
	requireError(t, r, http.StatusForbidden, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header.")

	r = call(t, srv, "GET", runs, "", "X-GitHub-Api-Version", "2021-01-01")
	requireError(t, r, http.StatusBadRequest, `API version "2021-01-01" is not supported.`)

	srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	for _, v := range []string{"2022-11-28", "2026-03-10"} {
		assert.Equal(t, http.StatusOK, call(t, srv, "GET", runs, "", "X-GitHub-Api-Version", v).status)
	}
}

func TestAnswersCarryGitHubHeaders(t *testing.T) {
	srv := newServer(t)
	srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	a := call(t, srv, "GET", runs, "")
	b := call(t, srv, "GET", runs, "")
	assert.Equal(t, "application/json; charset=utf-8", a.header.Get("Content-Type"))
	assert.NotEmpty(t, a.header.Get("X-GitHub-Request-Id"))
	assert.NotEqual(t, a.header.Get("X-GitHub-Request-Id"), b.header.Get("X-GitHub-Request-Id"))
}

func TestRequestsAreRecorded(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure})
	id := strconv.FormatInt(run.ID, 10)
	call(t, srv, "GET", runs+"?branch=main&per_page=5", "")
	call(t, srv, "POST", runs+"/"+id+"/rerun", `{"enable_debug_logging":true}`, "X-Trace", "on")

	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/api/v3/"+runs, reqs[0].Path)
	assert.Equal(t, "main", reqs[0].Query.Get("branch"))
	assert.Equal(t, "5", reqs[0].Query.Get("per_page"))
	assert.Nil(t, reqs[0].Body)
	assert.Equal(t, "POST", reqs[1].Method)
	assert.Equal(t, "/api/v3/"+runs+"/"+id+"/rerun", reqs[1].Path)
	assert.JSONEq(t, `{"enable_debug_logging":true}`, string(reqs[1].Body))
	assert.Equal(t, "on", reqs[1].Header.Get("X-Trace"))

	// What Requests returns is a copy.
	reqs[0].Query.Set("branch", "changed")
	reqs[1].Header.Set("X-Trace", "changed")
	reqs[1].Body[0] = 'X'
	again := srv.Requests()
	assert.Equal(t, "main", again[0].Query.Get("branch"))
	assert.Equal(t, "on", again[1].Header.Get("X-Trace"))
	assert.JSONEq(t, `{"enable_debug_logging":true}`, string(again[1].Body))
}
