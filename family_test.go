package ghactions

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorded is what a test server saw of one request.
type recorded struct {
	method, path, body string
	header             http.Header
}

// recorder answers every request with one status and body, and records it.
type recorder struct {
	mu     sync.Mutex
	status int
	body   string
	seen   []recorded
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.seen = append(rec.seen, recorded{r.Method, r.URL.Path, string(b), r.Header.Clone()})
	rec.mu.Unlock()
	w.WriteHeader(rec.status)
	io.WriteString(w, rec.body)
}

func TestFamilyEndpoints(t *testing.T) {
	const run = "/api/v3/repos/octo-org/octo-repo/actions/runs/42"
	ctx := context.Background()
	tests := []struct {
		name     string
		status   int
		answer   string
		call     func(s *RunsService) (any, error)
		wantPath string
		wantMeth string
		wantBody string // "" for none
		check    func(t *testing.T, got any)
	}{
		{"RerunFailedJobs", 201, "{}", func(s *RunsService) (any, error) {
			return s.RerunFailedJobs(ctx, "octo-org", "octo-repo", 42, nil)
		}, run + "/rerun-failed-jobs", "POST", "", nil},
		{"RerunFailedJobs with debug logging", 201, "null", func(s *RunsService) (any, error) {
			return s.RerunFailedJobs(ctx, "octo-org", "octo-repo", 42, &RerunOptions{EnableDebugLogging: true})
		}, run + "/rerun-failed-jobs", "POST", `{"enable_debug_logging":true}`, nil},
		{"RerunJob", 201, "", func(s *RunsService) (any, error) {
			return s.RerunJob(ctx, "octo-org", "octo-repo", 399444496, nil)
		}, "/api/v3/repos/octo-org/octo-repo/actions/jobs/399444496/rerun", "POST", "", nil},
		{"RerunJob with debugger", 201, "{}", func(s *RunsService) (any, error) {
			return s.RerunJob(ctx, "octo-org", "octo-repo", 399444496, &RerunJobOptions{EnableDebugLogging: true, EnableDebugger: true})
		}, "/api/v3/repos/octo-org/octo-repo/actions/jobs/399444496/rerun", "POST", `{"enable_debug_logging":true,"enable_debugger":true}`, nil},
		{"Approve", 201, "{}", func(s *RunsService) (any, error) {
			return s.Approve(ctx, "octo-org", "octo-repo", 42)
		}, run + "/approve", "POST", "", nil},
		{"Approvals", 200, approvalsJSON, func(s *RunsService) (any, error) {
			a, _, err := s.Approvals(ctx, "octo-org", "octo-repo", 42)
			return a, err
		}, run + "/approvals", "GET", "", func(t *testing.T, got any) {
			a := got.([]*EnvironmentApproval)
			require.Len(t, a, 1)
			assert.Equal(t, ReviewApproved, a[0].State)
			assert.Equal(t, "Ship it!", a[0].Comment)
			assert.Equal(t, "octocat", a[0].User.Login)
			require.Len(t, a[0].Environments, 1)
			assert.Equal(t, Environment{ID: 161088068, NodeID: "MDExOkVudmlyb25tZW50MTYxMDg4MDY4", Name: "staging",
				URL: "https://api.github.com/repos/github/hello-world/environments/staging", HTMLURL: "https://github.com/github/hello-world/deployments/activity_log?environments_filter=staging",
				CreatedAt: time.Date(2020, 11, 23, 22, 0, 40, 0, time.UTC), UpdatedAt: time.Date(2020, 11, 23, 22, 0, 40, 0, time.UTC)}, a[0].Environments[0])
		}},
		{"PendingDeployments", 200, pendingJSON, func(s *RunsService) (any, error) {
			p, _, err := s.PendingDeployments(ctx, "octo-org", "octo-repo", 42)
			return p, err
		}, run + "/pending_deployments", "GET", "", func(t *testing.T, got any) {
			p := got.([]*PendingDeployment)
			require.Len(t, p, 1)
			assert.Equal(t, 30, p[0].WaitTimer)
			assert.True(t, p[0].CurrentUserCanApprove)
			assert.Equal(t, time.Date(2020, 11, 23, 22, 0, 40, 0, time.UTC), p[0].WaitTimerStartedAt)
			require.Len(t, p[0].Reviewers, 2)
			assert.Equal(t, "User", p[0].Reviewers[0].Type)
			require.NotNil(t, p[0].Reviewers[0].User)
			assert.Equal(t, "octocat", p[0].Reviewers[0].User.Login)
			assert.Nil(t, p[0].Reviewers[0].Team)
			assert.Equal(t, "Team", p[0].Reviewers[1].Type)
			require.NotNil(t, p[0].Reviewers[1].Team)
			assert.Equal(t, "justice-league", p[0].Reviewers[1].Team.Slug)
			assert.Nil(t, p[0].Reviewers[1].User)
		}},
		{"ReviewPendingDeployments", 200, deploymentsJSON, func(s *RunsService) (any, error) {
			d, _, err := s.ReviewPendingDeployments(ctx, "octo-org", "octo-repo", 42, PendingDeploymentsReview{EnvironmentIDs: []int64{161171787}, State: ReviewApproved, Comment: "Ship it!"})
			return d, err
		}, run + "/pending_deployments", "POST", `{"environment_ids":[161171787],"state":"approved","comment":"Ship it!"}`, func(t *testing.T, got any) {
			d := got.([]*Deployment)
			require.Len(t, d, 2)
			assert.Equal(t, int64(1), d[0].ID)
			assert.Equal(t, map[string]any{"deploy": "migrate"}, d[0].Payload, "an object payload")
			assert.Equal(t, "staging", d[0].Environment)
			assert.Equal(t, "octocat", d[0].Creator.Login)
			assert.Equal(t, "deploy:migrate", d[1].Payload, "a string payload")
		}},
		{"ReviewDeploymentProtectionRule", 204, "", func(s *RunsService) (any, error) {
			return s.ReviewDeploymentProtectionRule(ctx, "octo-org", "octo-repo", 42, DeploymentProtectionRuleReview{EnvironmentName: "prod", State: ReviewRejected})
		}, run + "/deployment_protection_rule", "POST", `{"environment_name":"prod","state":"rejected"}`, nil},
		{"ReviewDeploymentProtectionRule with a comment only", 204, "", func(s *RunsService) (any, error) {
			return s.ReviewDeploymentProtectionRule(ctx, "octo-org", "octo-repo", 42, DeploymentProtectionRuleReview{EnvironmentName: "prod", Comment: "checks pending"})
		}, run + "/deployment_protection_rule", "POST", `{"environment_name":"prod","comment":"checks pending"}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{status: tt.status, body: tt.answer}
			c := retryTestClient(t, rec, RetryPolicy{})
			got, err := tt.call(c.Runs)
			require.NoError(t, err)
			require.Len(t, rec.seen, 1)
			req := rec.seen[0]
			assert.Equal(t, tt.wantMeth, req.method)
			assert.Equal(t, tt.wantPath, req.path)
			assert.Equal(t, "Bearer s3cr3t-token", req.header.Get("Authorization"))
			if tt.wantBody == "" {
				assert.Empty(t, req.body)
			} else {
				assert.JSONEq(t, tt.wantBody, req.body)
				assert.Equal(t, "application/json", req.header.Get("Content-Type"))
			}
			if tt.check != nil {
				tt.check(t, got)
			}
		})
	}
}

func TestFamilyValidation(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(s *RunsService) error{
		"RerunJob with job 0": func(s *RunsService) error {
			_, err := s.RerunJob(ctx, "octo-org", "octo-repo", 0, nil)
			return err
		},
		"RerunJob with a bad owner": func(s *RunsService) error {
			_, err := s.RerunJob(ctx, "octo org", "octo-repo", 1, nil)
			return err
		},
		"RerunFailedJobs with run 0": func(s *RunsService) error {
			_, err := s.RerunFailedJobs(ctx, "octo-org", "octo-repo", 0, nil)
			return err
		},
		"Approve with run -1": func(s *RunsService) error { _, err := s.Approve(ctx, "octo-org", "octo-repo", -1); return err },
		"Approvals with an empty repo": func(s *RunsService) error {
			_, _, err := s.Approvals(ctx, "octo-org", "", 1)
			return err
		},
		"PendingDeployments with repo ..": func(s *RunsService) error {
			_, _, err := s.PendingDeployments(ctx, "octo-org", "..", 1)
			return err
		},
		"review without environments": func(s *RunsService) error {
			_, _, err := s.ReviewPendingDeployments(ctx, "octo-org", "octo-repo", 1, PendingDeploymentsReview{State: ReviewApproved, Comment: "ok"})
			return err
		},
		"review with environment 0": func(s *RunsService) error {
			_, _, err := s.ReviewPendingDeployments(ctx, "octo-org", "octo-repo", 1, PendingDeploymentsReview{EnvironmentIDs: []int64{0}, State: ReviewApproved, Comment: "ok"})
			return err
		},
		"review without a state": func(s *RunsService) error {
			_, _, err := s.ReviewPendingDeployments(ctx, "octo-org", "octo-repo", 1, PendingDeploymentsReview{EnvironmentIDs: []int64{1}, Comment: "ok"})
			return err
		},
		"review with state pending": func(s *RunsService) error {
			_, _, err := s.ReviewPendingDeployments(ctx, "octo-org", "octo-repo", 1, PendingDeploymentsReview{EnvironmentIDs: []int64{1}, State: ReviewPending, Comment: "ok"})
			return err
		},
		"review without a comment": func(s *RunsService) error {
			_, _, err := s.ReviewPendingDeployments(ctx, "octo-org", "octo-repo", 1, PendingDeploymentsReview{EnvironmentIDs: []int64{1}, State: ReviewApproved})
			return err
		},
		"rule review without an environment": func(s *RunsService) error {
			_, err := s.ReviewDeploymentProtectionRule(ctx, "octo-org", "octo-repo", 1, DeploymentProtectionRuleReview{State: ReviewApproved})
			return err
		},
		"rule review without state or comment": func(s *RunsService) error {
			_, err := s.ReviewDeploymentProtectionRule(ctx, "octo-org", "octo-repo", 1, DeploymentProtectionRuleReview{EnvironmentName: "prod"})
			return err
		},
		"rule review with a bad state": func(s *RunsService) error {
			_, err := s.ReviewDeploymentProtectionRule(ctx, "octo-org", "octo-repo", 1, DeploymentProtectionRuleReview{EnvironmentName: "prod", State: "maybe", Comment: "x"})
			return err
		},
		"Wait with run 0": func(s *RunsService) error {
			_, err := s.Wait(ctx, "octo-org", "octo-repo", 0, nil)
			return err
		},
		"Wait with a negative interval": func(s *RunsService) error {
			_, err := s.Wait(ctx, "octo-org", "octo-repo", 1, &WaitOptions{Interval: -time.Second})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			rec := &recorder{status: 200, body: "{}"}
			c := retryTestClient(t, rec, RetryPolicy{})
			require.ErrorIs(t, call(c.Runs), ErrInvalidArgument)
			assert.Empty(t, rec.seen, "no request may be sent")
		})
	}
}

func TestDeploymentReviewerRoundTrip(t *testing.T) {
	var p []PendingDeployment
	require.NoError(t, json.Unmarshal([]byte(pendingJSON), &p))
	out, err := json.Marshal(p)
	require.NoError(t, err)
	var want, got any
	require.NoError(t, json.Unmarshal([]byte(pendingJSON), &want))
	require.NoError(t, json.Unmarshal(out, &got))
	assert.Empty(t, missingFrom(want, got, "$"))

	var r DeploymentReviewer
	require.NoError(t, json.Unmarshal([]byte(`{"reviewer":{"slug":"ops","name":"Ops"}}`), &r))
	require.NotNil(t, r.Team, "a reviewer with a slug and no type is a team")
	assert.Equal(t, "ops", r.Team.Slug)
	require.NoError(t, json.Unmarshal([]byte(`{"type":"User","reviewer":null}`), &r))
	assert.Equal(t, DeploymentReviewer{Type: "User"}, r)
}

// The answers below follow the examples of GitHub's REST documentation.
const approvalsJSON = `[{"state":"approved","comment":"Ship it!","environments":[{"id":161088068,"node_id":"MDExOkVudmlyb25tZW50MTYxMDg4MDY4",
"name":"staging","url":"https://api.github.com/repos/github/hello-world/environments/staging",
"html_url":"https://github.com/github/hello-world/deployments/activity_log?environments_filter=staging",
"created_at":"2020-11-23T22:00:40Z","updated_at":"2020-11-23T22:00:40Z"}],
"user":{"login":"octocat","id":1,"node_id":"MDQ6VXNlcjE=","avatar_url":"https://github.com/images/error/octocat_happy.gif","gravatar_id":"",
"url":"https://api.github.com/users/octocat","html_url":"https://github.com/octocat","type":"User","site_admin":false}}]`

const pendingJSON = `[{"environment":{"id":161088068,"node_id":"MDExOkVudmlyb25tZW50MTYxMDg4MDY4","name":"staging",
"url":"https://api.github.com/repos/github/hello-world/environments/staging","html_url":"https://github.com/github/hello-world/deployments/activity_log?environments_filter=staging"},
"wait_timer":30,"wait_timer_started_at":"2020-11-23T22:00:40Z","current_user_can_approve":true,
"reviewers":[{"type":"User","reviewer":{"login":"octocat","id":1,"node_id":"MDQ6VXNlcjE=","avatar_url":"https://github.com/images/error/octocat_happy.gif",
"gravatar_id":"","url":"https://api.github.com/users/octocat","html_url":"https://github.com/octocat","followers_url":"https://api.github.com/users/octocat/followers",
"following_url":"https://api.github.com/users/octocat/following{/other_user}","gists_url":"https://api.github.com/users/octocat/gists{/gist_id}",
"starred_url":"https://api.github.com/users/octocat/starred{/owner}{/repo}","subscriptions_url":"https://api.github.com/users/octocat/subscriptions",
"organizations_url":"https://api.github.com/users/octocat/orgs","repos_url":"https://api.github.com/users/octocat/repos",
"events_url":"https://api.github.com/users/octocat/events{/privacy}","received_events_url":"https://api.github.com/users/octocat/received_events",
"type":"User","site_admin":false}},
{"type":"Team","reviewer":{"id":1,"node_id":"MDQ6VGVhbTE=","url":"https://api.github.com/teams/1","html_url":"https://github.com/orgs/github/teams/justice-league",
"name":"Justice League","slug":"justice-league","description":"A great team.","privacy":"closed","notification_setting":"notifications_enabled",
"permission":"admin","members_url":"https://api.github.com/teams/1/members{/member}","repositories_url":"https://api.github.com/teams/1/repos","parent":null}}]}]`

const deploymentsJSON = `[{"url":"https://api.github.com/repos/octocat/example/deployments/1","id":1,"node_id":"MDEwOkRlcGxveW1lbnQx",
"sha":"a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d","ref":"topic-branch","task":"deploy","payload":{"deploy":"migrate"},
"original_environment":"staging","environment":"staging","description":"Deploy request from hubot",
"creator":{"login":"octocat","id":1,"node_id":"MDQ6VXNlcjE=","type":"User","site_admin":false},
"created_at":"2012-07-20T01:19:13Z","updated_at":"2012-07-20T01:19:13Z",
"statuses_url":"https://api.github.com/repos/octocat/example/deployments/1/statuses","repository_url":"https://api.github.com/repos/octocat/example",
"transient_environment":false,"production_environment":true},
{"url":"https://api.github.com/repos/octocat/example/deployments/2","id":2,"node_id":"MDEwOkRlcGxveW1lbnQy","sha":"a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d",
"ref":"topic-branch","task":"deploy","payload":"deploy:migrate","environment":"staging","description":null,"creator":null,
"created_at":"2012-07-20T01:19:13Z","updated_at":"2012-07-20T01:19:13Z",
"statuses_url":"https://api.github.com/repos/octocat/example/deployments/2/statuses","repository_url":"https://api.github.com/repos/octocat/example"}]`
