package ghactionstest_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// Every URL a run hands out leads somewhere, as on GitHub: its workflow,
// its check suite, its artifacts (jobs_url is another issue's).
func TestARunsURLsLeadToItsResources(t *testing.T) {
	srv := newServer(t, ghactionstest.WithClock(newClock().Now))
	srv.SeedDemo()
	p, _ := listPage(t, srv, runs+"?status=failure&branch=feature%2Flogin&per_page=1")
	require.Len(t, p.WorkflowRuns, 1)
	run := p.WorkflowRuns[0]

	t.Run("workflow_url", func(t *testing.T) {
		r := call(t, srv, "GET", run.WorkflowURL, "")
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		wf := r.json(t)
		assert.EqualValues(t, run.WorkflowID, wf["id"])
		assert.Equal(t, "CI", wf["name"])
		assert.Equal(t, ".github/workflows/ci.yml", wf["path"])
		assert.Equal(t, "active", wf["state"])
		assert.Equal(t, run.WorkflowURL, wf["url"])
		assert.Regexp(t, `^W_`, wf["node_id"])
		assert.Regexp(t, `/octo-org/octo-repo/blob/main/\.github/workflows/ci\.yml$`, wf["html_url"])
		assert.Regexp(t, `/octo-org/octo-repo/workflows/CI/badge\.svg$`, wf["badge_url"])
		for _, k := range []string{"created_at", "updated_at"} {
			assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, wf[k])
		}
		byName := call(t, srv, "GET", "repos/octo-org/octo-repo/actions/workflows/ci.yml", "")
		assert.Equal(t, r.body, byName.body, "a workflow is found by its file name too")
	})

	t.Run("check_suite_url", func(t *testing.T) {
		r := call(t, srv, "GET", run.CheckSuiteURL, "")
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		cs := r.json(t)
		assert.EqualValues(t, run.CheckSuiteID, cs["id"])
		assert.Equal(t, run.CheckSuiteNodeID, cs["node_id"])
		assert.Equal(t, run.CheckSuiteURL, cs["url"])
		assert.Equal(t, run.HeadSHA, cs["head_sha"])
		assert.Equal(t, run.HeadSHA, cs["after"])
		assert.Equal(t, "feature/login", cs["head_branch"])
		assert.Equal(t, "completed", cs["status"])
		assert.Equal(t, "failure", cs["conclusion"])
		assert.EqualValues(t, 5, cs["latest_check_runs_count"], "one check run per job")
		assert.Equal(t, run.CheckSuiteURL+"/check-runs", cs["check_runs_url"])
		assert.Equal(t, "github-actions", cs["app"].(map[string]any)["slug"])
		assert.Equal(t, "octo-org/octo-repo", cs["repository"].(map[string]any)["full_name"])
		assert.Equal(t, run.HeadSHA, cs["head_commit"].(map[string]any)["id"])
		assert.Len(t, cs["pull_requests"], 1)
	})

	t.Run("artifacts_url", func(t *testing.T) {
		r := call(t, srv, "GET", run.ArtifactsURL+"?per_page=500&page=2", "")
		require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		assert.JSONEq(t, `{"total_count":0,"artifacts":[]}`, string(r.body))
		assert.Empty(t, r.header.Values("Link"))
	})
}

// The check suite follows the run's latest attempt.
func TestCheckSuiteFollowsTheLatestAttempt(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure}, ghactionstest.Job{Name: "build"})
	call(t, srv, "POST", runPath(run.ID)+"/rerun", "")
	cs := call(t, srv, "GET", run.CheckSuiteURL, "").json(t)
	assert.Equal(t, "queued", cs["status"])
	assert.Nil(t, cs["conclusion"])
}

func TestAdvertisedResourcesThatAreNotThere(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	other := srv.AddRun(owner, "other-repo", ghactions.WorkflowRun{})
	suite := func(id int64) string { return "/check-suites/" + strconv.FormatInt(id, 10) }
	for _, path := range []string{
		"repos/octo-org/octo-repo/actions/workflows/nope.yml",
		"repos/octo-org/octo-repo/actions/workflows/1",
		"repos/octo-org/no-repo/actions/workflows/ci.yml",
		"repos/octo-org/octo-repo" + suite(1),
		"repos/octo-org/octo-repo/check-suites/abc",
		"repos/octo-org/octo-repo" + suite(other.CheckSuiteID),
		"repos/octo-org/no-repo" + suite(run.CheckSuiteID),
		runs + "/1/artifacts",
		runs + "/" + strconv.FormatInt(other.ID, 10) + "/artifacts",
	} {
		t.Run(path, func(t *testing.T) {
			requireError(t, call(t, srv, "GET", path, ""), http.StatusNotFound, "Not Found")
		})
	}

	call(t, srv, "DELETE", runPath(run.ID), "")
	requireError(t, call(t, srv, "GET", run.CheckSuiteURL, ""), http.StatusNotFound, "Not Found")
	assert.Equal(t, http.StatusOK, call(t, srv, "GET", run.WorkflowURL, "").status, "the workflow stays")
}

// GitHub's 404 bodies name the page of the endpoint asked for.
func TestAdvertisedResourcesNameTheirDocumentation(t *testing.T) {
	srv := newServer(t)
	for path, doc := range map[string]string{
		"repos/octo-org/octo-repo/actions/workflows/nope.yml": "https://docs.github.com/rest/actions/workflows#get-a-workflow",
		"repos/octo-org/octo-repo/check-suites/1":             "https://docs.github.com/rest/checks/suites#get-a-check-suite",
		runs + "/1/artifacts":                                 "https://docs.github.com/rest/actions/artifacts#list-workflow-run-artifacts",
	} {
		assert.Equal(t, doc, call(t, srv, "GET", path, "").json(t)["documentation_url"], path)
	}
}
