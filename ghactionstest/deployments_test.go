package ghactionstest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// deployFixture is a run that has built and waits to deploy to production,
// whose reviewers are the token's holder and a team, and then to check the
// deployment.
type deployFixture struct {
	srv        *ghactionstest.Server
	run        *ghactions.WorkflowRun
	production *ghactions.Environment
}

func newDeployFixture(t *testing.T, production ghactionstest.Environment) deployFixture {
	t.Helper()
	srv := newServer(t, ghactionstest.WithClock(newClock().Now))
	env := srv.AddEnvironment(owner, repo, production)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusWaiting},
		ghactionstest.Job{Name: "build", Status: ghactions.StatusCompleted, Conclusion: ghactions.ConclusionSuccess},
		ghactionstest.Job{Name: "deploy", Status: ghactions.StatusWaiting, Needs: []string{"build"}, Environment: production.Name},
		ghactionstest.Job{Name: "smoke test", Status: ghactions.StatusQueued, Needs: []string{"deploy"}},
	)
	return deployFixture{srv: srv, run: run, production: env}
}

func reviewed() ghactionstest.Environment {
	return ghactionstest.Environment{Name: "production", Reviewers: []string{"octocat", "octo-org/release-managers"}, WaitTimer: 10}
}

// pending fetches the pending deployments of the fixture's run as JSON.
func (f deployFixture) pending(t *testing.T) []map[string]any {
	t.Helper()
	r := call(t, f.srv, "GET", runPath(f.run.ID)+"/pending_deployments", "")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var out []map[string]any
	require.NoError(t, json.Unmarshal(r.body, &out))
	return out
}

func (f deployFixture) approvals(t *testing.T) []ghactions.EnvironmentApproval {
	t.Helper()
	r := call(t, f.srv, "GET", runPath(f.run.ID)+"/approvals", "")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var out []ghactions.EnvironmentApproval
	require.NoError(t, json.Unmarshal(r.body, &out))
	require.NotNil(t, out, "[], never null: %s", r.body)
	return out
}

func (f deployFixture) review(t *testing.T, state string, ids ...int64) reply {
	t.Helper()
	b, err := json.Marshal(map[string]any{"environment_ids": ids, "state": state, "comment": "Ship it"})
	require.NoError(t, err)
	return call(t, f.srv, "POST", runPath(f.run.ID)+"/pending_deployments", string(b))
}

func (f deployFixture) status(t *testing.T) (ghactions.Status, ghactions.Conclusion) {
	t.Helper()
	run := getRun(t, f.srv, runPath(f.run.ID))
	return run.Status, run.Conclusion
}

func TestPendingDeployments(t *testing.T) {
	f := newDeployFixture(t, reviewed())
	got := f.pending(t)
	require.Len(t, got, 1)
	p := got[0]
	assert.Equal(t, map[string]any{
		"id":       float64(f.production.ID),
		"node_id":  f.production.NodeID,
		"name":     "production",
		"url":      f.srv.URL() + "repos/octo-org/octo-repo/environments/production",
		"html_url": f.production.HTMLURL,
	}, p["environment"])
	assert.Equal(t, float64(10), p["wait_timer"])
	assert.Equal(t, t0.Add(time.Minute).Format(time.RFC3339), p["wait_timer_started_at"], "the build's two steps took a minute")
	assert.Equal(t, true, p["current_user_can_approve"])

	var typed []ghactions.PendingDeployment
	r := call(t, f.srv, "GET", runPath(f.run.ID)+"/pending_deployments", "")
	require.NoError(t, json.Unmarshal(r.body, &typed))
	reviewers := typed[0].Reviewers
	require.Len(t, reviewers, 2)
	assert.Equal(t, "User", reviewers[0].Type)
	assert.Equal(t, "octocat", reviewers[0].User.Login)
	assert.Equal(t, "Team", reviewers[1].Type)
	require.NotNil(t, reviewers[1].Team)
	assert.Equal(t, "release-managers", reviewers[1].Team.Slug)
	assert.Equal(t, "organization", reviewers[1].Team.Type)
	assert.NotZero(t, reviewers[1].Team.ID)
	assert.Contains(t, reviewers[1].Team.HTMLURL, "/orgs/octo-org/teams/release-managers")
	assert.Empty(t, f.approvals(t))
}

func TestPendingDeploymentsShapes(t *testing.T) {
	tests := []struct {
		name       string
		env        ghactionstest.Environment
		canApprove bool
		hasTimer   bool
	}{
		{"another reviewer", ghactionstest.Environment{Name: "production", Reviewers: []string{"monalisa"}}, false, false},
		{"a team", ghactionstest.Environment{Name: "production", Reviewers: []string{"octo-org/ops"}, WaitTimer: 1}, true, true},
		{"a custom gate only", ghactionstest.Environment{Name: "production", CustomGate: true}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newDeployFixture(t, tt.env)
			got := f.pending(t)
			require.Len(t, got, 1)
			assert.Equal(t, tt.canApprove, got[0]["current_user_can_approve"])
			assert.Contains(t, got[0], "wait_timer_started_at")
			assert.Equal(t, tt.hasTimer, got[0]["wait_timer_started_at"] != nil)
			assert.NotNil(t, got[0]["reviewers"], "[], never null")
		})
	}
	t.Run("an unprotected environment holds nothing", func(t *testing.T) {
		f := newDeployFixture(t, ghactionstest.Environment{Name: "production"})
		assert.Empty(t, f.pending(t))
		// Protecting it holds the job that waits.
		f.srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "PRODUCTION", Reviewers: []string{"octocat"}})
		assert.Len(t, f.pending(t), 1)
	})
	t.Run("a run that does not wait", func(t *testing.T) {
		srv := newServer(t)
		run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
		assert.JSONEq(t, `[]`, string(call(t, srv, "GET", runPath(run.ID)+"/pending_deployments", "").body))
		assert.JSONEq(t, `[]`, string(call(t, srv, "GET", runPath(run.ID)+"/approvals", "").body))
	})
}

func TestApprovingAPendingDeployment(t *testing.T) {
	f := newDeployFixture(t, reviewed())
	r := f.review(t, "approved", f.production.ID)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)

	var raw []map[string]any
	require.NoError(t, json.Unmarshal(r.body, &raw))
	require.Len(t, raw, 1)
	keys := make([]string, 0, len(raw[0]))
	for k := range raw[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	assert.Equal(t, []string{"created_at", "creator", "description", "environment", "id", "node_id", "original_environment",
		"payload", "performed_via_github_app", "production_environment", "ref", "repository_url", "sha", "statuses_url",
		"task", "transient_environment", "updated_at", "url"}, keys, "every field of the API's deployment")

	var deployments []ghactions.Deployment
	require.NoError(t, json.Unmarshal(r.body, &deployments))
	d := deployments[0]
	assert.Equal(t, "production", d.Environment)
	assert.Equal(t, "production", d.OriginalEnvironment)
	assert.True(t, d.ProductionEnvironment)
	assert.Equal(t, f.run.HeadSHA, d.SHA)
	assert.Equal(t, f.run.HeadBranch, d.Ref)
	assert.Equal(t, "deploy", d.Task)
	assert.Equal(t, map[string]any{}, d.Payload)
	assert.Equal(t, "github-actions[bot]", d.Creator.Login)
	assert.Equal(t, "Bot", d.Creator.Type)
	assert.Equal(t, "github-actions", d.PerformedViaGitHubApp.Slug)
	assert.Equal(t, f.srv.URL()+"repos/octo-org/octo-repo/deployments/"+strconv.FormatInt(d.ID, 10), d.URL)
	assert.Equal(t, d.URL+"/statuses", d.StatusesURL)
	assert.Equal(t, t0, d.CreatedAt)

	status, _ := f.status(t)
	assert.Equal(t, ghactions.StatusInProgress, status, "the build ran; the deployment is queued")
	assert.Empty(t, f.pending(t))
	approvals := f.approvals(t)
	require.Len(t, approvals, 1)
	assert.Equal(t, ghactions.ReviewApproved, approvals[0].State)
	assert.Equal(t, "octocat", approvals[0].User.Login)
	assert.Equal(t, "Ship it", approvals[0].Comment)
	require.Len(t, approvals[0].Environments, 1)
	assert.Equal(t, *f.production, approvals[0].Environments[0])

	// It is reviewed: reviewing it again finds nothing pending.
	requireError(t, f.review(t, "approved", f.production.ID), http.StatusUnprocessableEntity, "No pending deployment requests to approve or reject")
}

func TestRejectingAPendingDeploymentFailsTheRun(t *testing.T) {
	f := newDeployFixture(t, reviewed())
	r := f.review(t, "rejected", f.production.ID)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.JSONEq(t, `[]`, string(r.body))

	status, conclusion := f.status(t)
	assert.Equal(t, ghactions.StatusCompleted, status)
	assert.Equal(t, ghactions.ConclusionFailure, conclusion)
	assert.Empty(t, f.pending(t))
	approvals := f.approvals(t)
	require.Len(t, approvals, 1)
	assert.Equal(t, ghactions.ReviewRejected, approvals[0].State)
	// The rejected job never ran, nor did the one that needs it: only the
	// build has a log.
	assert.Equal(t, []string{"build"}, jobsInArchive(t, f.srv, runPath(f.run.ID)))
}

func TestReviewingSomeOfTheEnvironmentsARunWaitsOn(t *testing.T) {
	srv := newServer(t)
	eu := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "eu", Reviewers: []string{"octocat"}})
	us := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "us", Reviewers: []string{"octocat"}})
	asia := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "asia", Reviewers: []string{"octocat"}})
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusWaiting},
		ghactionstest.Job{Name: "eu", Environment: "eu"},
		ghactionstest.Job{Name: "us", Environment: "us"},
		ghactionstest.Job{Name: "asia", Environment: "asia"},
	)
	f := deployFixture{srv: srv, run: run}
	require.Len(t, f.pending(t), 3)

	r := f.review(t, "approved", eu.ID, us.ID, eu.ID)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var deployments []ghactions.Deployment
	require.NoError(t, json.Unmarshal(r.body, &deployments))
	require.Len(t, deployments, 2)
	assert.Equal(t, "eu", deployments[0].Environment)
	assert.Equal(t, "us", deployments[1].Environment)
	assert.False(t, deployments[0].ProductionEnvironment)
	status, _ := f.status(t)
	assert.Equal(t, ghactions.StatusWaiting, status, "asia still waits")

	require.Equal(t, http.StatusOK, f.review(t, "rejected", asia.ID).status)
	status, conclusion := f.status(t)
	assert.Equal(t, ghactions.StatusQueued, status, "eu and us go on; nothing has started yet")
	assert.Empty(t, conclusion)
	approvals := f.approvals(t)
	require.Len(t, approvals, 2)
	assert.Len(t, approvals[0].Environments, 2, "one review of two environments")
}

func TestReviewPendingDeploymentsValidation(t *testing.T) {
	f := newDeployFixture(t, reviewed())
	id := f.production.ID
	elsewhere := f.srv.AddEnvironment(owner, "other-repo", ghactionstest.Environment{Name: "production", Reviewers: []string{"octocat"}})
	tests := []struct {
		name    string
		body    string
		status  int
		message string
	}{
		{"no body", ``, 422, "Invalid request.\n\n\"environment_ids\", \"state\", \"comment\" weren't supplied."},
		{"no comment", fmt.Sprintf(`{"environment_ids":[%d],"state":"approved"}`, id), 422, "Invalid request.\n\n\"comment\" wasn't supplied."},
		{"a null comment", fmt.Sprintf(`{"environment_ids":[%d],"state":"approved","comment":null}`, id), 422, "Invalid request.\n\n\"comment\" wasn't supplied."},
		{"IDs not an array", `{"environment_ids":"1","state":"approved","comment":"ok"}`, 422, "Invalid request.\n\nFor 'properties/environment_ids', \"1\" is not an array."},
		{"an ID not an integer", `{"environment_ids":["a", 1.5],"state":"approved","comment":"ok"}`, 422, "Invalid request.\n\nFor 'items', \"a\" is not an integer.\nFor 'items', 1.5 is not an integer."},
		{"an unknown state", fmt.Sprintf(`{"environment_ids":[%d],"state":"maybe","comment":"ok"}`, id), 422, "Invalid request.\n\nFor 'properties/state', \"maybe\" is not a member of [\"approved\", \"rejected\"]."},
		{"a comment not a string", fmt.Sprintf(`{"environment_ids":[%d],"state":"approved","comment":5}`, id), 422, "Invalid request.\n\nFor 'properties/comment', 5 is not a string."},
		{"wrong and missing", `{"state":true}`, 422, "Invalid request.\n\nFor 'properties/state', true is not a string.\n\"environment_ids\", \"comment\" weren't supplied."},
		{"no environment", `{"environment_ids":[],"state":"approved","comment":"ok"}`, 422, "No pending deployment requests to approve or reject"},
		{"an unknown environment", fmt.Sprintf(`{"environment_ids":[%d, 99],"state":"approved","comment":"ok"}`, id), 422, "No pending deployment requests to approve or reject"},
		{"another repository's environment", fmt.Sprintf(`{"environment_ids":[%d],"state":"approved","comment":"ok"}`, elsewhere.ID), 422, "No pending deployment requests to approve or reject"},
		{"not JSON", `{"state":`, 400, "Problems parsing JSON"},
		{"not an object", `[1]`, 400, "Body should be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireError(t, call(t, f.srv, "POST", runPath(f.run.ID)+"/pending_deployments", tt.body), tt.status, tt.message)
			status, _ := f.status(t)
			assert.Equal(t, ghactions.StatusWaiting, status, "nothing changed")
			assert.Empty(t, f.approvals(t))
		})
	}
	t.Run("a reviewer the token's holder is not", func(t *testing.T) {
		other := newDeployFixture(t, ghactionstest.Environment{Name: "production", Reviewers: []string{"monalisa"}})
		requireError(t, other.review(t, "approved", other.production.ID), http.StatusUnprocessableEntity, "No pending deployment requests to approve or reject")
	})
	t.Run("an unknown run", func(t *testing.T) {
		body := fmt.Sprintf(`{"environment_ids":[%d],"state":"approved","comment":"ok"}`, id)
		requireError(t, call(t, f.srv, "POST", runPath(1)+"/pending_deployments", body), http.StatusNotFound, "Not Found")
	})
}

func TestReviewersAndACustomGate(t *testing.T) {
	f := newDeployFixture(t, ghactionstest.Environment{Name: "production", Reviewers: []string{"octocat"}, CustomGate: true})
	r := f.review(t, "approved", f.production.ID)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.JSONEq(t, `[]`, string(r.body), "the custom gate still holds it")
	got := f.pending(t)
	require.Len(t, got, 1)
	assert.Equal(t, false, got[0]["current_user_can_approve"], "the reviewers have approved")

	r = call(t, f.srv, "POST", runPath(f.run.ID)+"/deployment_protection_rule", `{"environment_name":"production","state":"approved","comment":"Checks passed"}`)
	require.Equal(t, http.StatusNoContent, r.status, "body: %s", r.body)
	assert.Empty(t, r.body)
	assert.Empty(t, f.pending(t))
	status, _ := f.status(t)
	assert.Equal(t, ghactions.StatusInProgress, status)
	approvals := f.approvals(t)
	require.Len(t, approvals, 2)
	assert.Equal(t, "Checks passed", approvals[1].Comment)
}

func TestReviewCustomGate(t *testing.T) {
	gated := ghactionstest.Environment{Name: "production", CustomGate: true}
	rule := func(f deployFixture, body string) reply {
		return call(t, f.srv, "POST", runPath(f.run.ID)+"/deployment_protection_rule", body)
	}

	t.Run("a comment changes nothing", func(t *testing.T) {
		f := newDeployFixture(t, gated)
		require.Equal(t, http.StatusNoContent, rule(f, `{"environment_name":"production","comment":"Waiting for the change window"}`).status)
		status, _ := f.status(t)
		assert.Equal(t, ghactions.StatusWaiting, status)
		assert.Len(t, f.pending(t), 1)
		approvals := f.approvals(t)
		require.Len(t, approvals, 1)
		assert.Equal(t, ghactions.ReviewPending, approvals[0].State)
		assert.Equal(t, "Waiting for the change window", approvals[0].Comment)
	})
	t.Run("approving lets it through, once", func(t *testing.T) {
		f := newDeployFixture(t, gated)
		require.Equal(t, http.StatusNoContent, rule(f, `{"environment_name":"Production","state":"approved"}`).status)
		status, _ := f.status(t)
		assert.Equal(t, ghactions.StatusInProgress, status)
		assert.Empty(t, f.pending(t))
		requireError(t, rule(f, `{"environment_name":"production","state":"approved"}`), http.StatusUnprocessableEntity, "Deployment protection rule has already been reviewed")
	})
	t.Run("rejecting fails the run", func(t *testing.T) {
		f := newDeployFixture(t, gated)
		require.Equal(t, http.StatusNoContent, rule(f, `{"environment_name":"production","state":"rejected","comment":"Out of the change window"}`).status)
		status, conclusion := f.status(t)
		assert.Equal(t, ghactions.StatusCompleted, status)
		assert.Equal(t, ghactions.ConclusionFailure, conclusion)
		requireError(t, rule(f, `{"environment_name":"production","state":"approved"}`), http.StatusUnprocessableEntity, "No pending deployment requests to approve or reject")
	})

	f := newDeployFixture(t, gated)
	f.srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "staging", Reviewers: []string{"octocat"}})
	tests := []struct {
		name    string
		body    string
		status  int
		message string
	}{
		{"neither state nor comment", `{"environment_name":"production"}`, 422, "Invalid request.\n\nNo subschema in \"anyOf\" matched.\n\"comment\" wasn't supplied.\n\"state\" wasn't supplied."},
		{"nothing", ``, 422, "Invalid request.\n\nNo subschema in \"anyOf\" matched.\n\"environment_name\", \"comment\" weren't supplied.\n\"environment_name\", \"state\" weren't supplied."},
		{"an unknown state", `{"environment_name":"production","state":"maybe"}`, 422, "Invalid request.\n\nFor 'properties/state', \"maybe\" is not a member of [\"approved\", \"rejected\"]."},
		{"a name not a string", `{"environment_name":1,"comment":"x"}`, 422, "Invalid request.\n\nFor 'properties/environment_name', 1 is not a string."},
		{"an unknown environment", `{"environment_name":"moon","state":"approved"}`, 422, "No pending deployment requests to approve or reject"},
		{"an environment without a custom gate", `{"environment_name":"staging","state":"approved"}`, 422, "No pending deployment requests to approve or reject"},
		{"not JSON", `{`, 400, "Problems parsing JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireError(t, rule(f, tt.body), tt.status, tt.message)
			status, _ := f.status(t)
			assert.Equal(t, ghactions.StatusWaiting, status)
			assert.Empty(t, f.approvals(t))
		})
	}
}
