package ghactionstest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// noPendingDeployment is GitHub's 422 to a review of deployments that do not
// wait for it, or that the caller may not review.
const noPendingDeployment = "No pending deployment requests to approve or reject"

// approvals answers GET .../approvals: the reviews of the run's deployments,
// over all its attempts, oldest first.
func (s *Server) approvals(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		out := append([]ghactions.EnvironmentApproval{}, run.reviews...)
		return jsonAnswer(http.StatusOK, out)
	})
}

// pendingDeployment is an item of GET .../pending_deployments, with the
// null GitHub sends when there is no wait timer.
type pendingDeployment struct {
	Environment           ghactions.Environment          `json:"environment"`
	WaitTimer             int                            `json:"wait_timer"`
	WaitTimerStartedAt    *time.Time                     `json:"wait_timer_started_at"`
	CurrentUserCanApprove bool                           `json:"current_user_can_approve"`
	Reviewers             []ghactions.DeploymentReviewer `json:"reviewers"`
}

// pendingDeployments answers GET .../pending_deployments: the environments
// that the latest attempt's jobs wait to deploy to, held by a rule.
func (s *Server) pendingDeployments(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		st, a := s.state, run.latest()
		out := []pendingDeployment{}
		for _, e := range a.pending(run.repo) {
			p := pendingDeployment{
				Environment:           e.brief(),
				WaitTimer:             e.waitTimer,
				CurrentUserCanApprove: a.reviewable(e),
				Reviewers:             []ghactions.DeploymentReviewer{},
			}
			if e.waitTimer > 0 {
				t := a.waitingSince(e)
				p.WaitTimerStartedAt = &t
			}
			for _, name := range e.reviewers {
				p.Reviewers = append(p.Reviewers, st.reviewer(name))
			}
			out = append(out, p)
		}
		return jsonAnswer(http.StatusOK, out)
	})
}

// reviewable reports whether the token's holder may approve or reject the
// attempt's deployment to e: e's reviewers have not yet, and it is one of
// them.
func (a *attemptState) reviewable(e *environmentState) bool {
	return a.waiting(e) && len(e.reviewers) > 0 && !a.gateState(e).reviewed && e.viewerMayApprove()
}

// reviewPendingDeployments answers POST .../pending_deployments as a
// required reviewer: approving lets each environment whose rules then all
// pass through (its waiting jobs are queued) and answers the deployments
// that makes; rejecting fails the waiting jobs, skips the jobs that need
// them, and answers none. Either is recorded in the run's review history.
// The body is validated as GitHub validates it; an environment the run does
// not wait on for a review, or that the token's holder may not review,
// answers 422 and changes nothing.
func (s *Server) reviewPendingDeployments(r *http.Request) *answer {
	b, bad := readBody(r)
	if bad != nil {
		return bad
	}
	ids := b.integers("environment_ids", true)
	decision := b.enum("state", true, string(ghactions.ReviewApproved), string(ghactions.ReviewRejected))
	comment := b.text("comment", true)
	if bad := b.invalid(); bad != nil {
		return bad
	}
	return s.withRun(r, func(run *runState) *answer {
		st, a := s.state, run.latest()
		var envs []*environmentState
		for _, id := range ids {
			e := run.repo.environmentByID(id)
			if e == nil || !a.reviewable(e) {
				return errorAnswer(http.StatusUnprocessableEntity, noPendingDeployment)
			}
			if !slices.Contains(envs, e) {
				envs = append(envs, e)
			}
		}
		if len(envs) == 0 {
			return errorAnswer(http.StatusUnprocessableEntity, noPendingDeployment)
		}
		now := st.nowSecond()
		st.recordReview(run, envs, ghactions.ReviewState(decision), comment)
		deployments := []deployment{}
		for _, e := range envs {
			if decision == string(ghactions.ReviewRejected) {
				a.reject(e, now)
				continue
			}
			a.gate(e).reviewed = true
			if !a.holds(e) {
				a.release(e)
				deployments = append(deployments, st.deployment(run, e, now))
			}
		}
		a.settle(now)
		return jsonAnswer(http.StatusOK, deployments)
	})
}

// reviewCustomGate answers POST .../deployment_protection_rule, as the
// GitHub App whose custom gate holds the deployment: approving lets the
// environment through when its other rules pass, rejecting fails the
// waiting jobs (and so the run, when nothing else runs), and a comment alone
// changes nothing. Each review is recorded in the run's review history, a
// comment alone with state pending. An environment that is not waiting on a
// custom gate answers 422, and so does a gate already approved.
func (s *Server) reviewCustomGate(r *http.Request) *answer {
	b, bad := readBody(r)
	if bad != nil {
		return bad
	}
	name := b.text("environment_name", false)
	decision := b.enum("state", false, string(ghactions.ReviewApproved), string(ghactions.ReviewRejected))
	comment := b.text("comment", false)
	b.anyOf([]string{"environment_name", "comment"}, []string{"environment_name", "state"})
	if bad := b.invalid(); bad != nil {
		return bad
	}
	return s.withRun(r, func(run *runState) *answer {
		st, a := s.state, run.latest()
		e := run.repo.environment(name)
		switch {
		case e != nil && a.gateState(e).passed:
			return errorAnswer(http.StatusUnprocessableEntity, "Deployment protection rule has already been reviewed")
		case e == nil || !e.customGate || !a.waiting(e):
			return errorAnswer(http.StatusUnprocessableEntity, noPendingDeployment)
		}
		verdict := ghactions.ReviewState(decision)
		if verdict == "" {
			verdict = ghactions.ReviewPending
		}
		st.recordReview(run, []*environmentState{e}, verdict, comment)
		now := st.nowSecond()
		switch verdict {
		case ghactions.ReviewApproved:
			a.gate(e).passed = true
			if !a.holds(e) {
				a.release(e)
			}
			a.settle(now)
		case ghactions.ReviewRejected:
			a.reject(e, now)
			a.settle(now)
		}
		return noContent()
	})
}

// recordReview adds a review by the token's holder to the run's history.
func (st *state) recordReview(run *runState, envs []*environmentState, verdict ghactions.ReviewState, comment string) {
	r := ghactions.EnvironmentApproval{State: verdict, User: st.user(viewerLogin, ""), Comment: comment}
	for _, e := range envs {
		r.Environments = append(r.Environments, e.env)
	}
	run.reviews = append(run.reviews, r)
}

// deployment is a deployment as the API shows it, with every field the API
// documents, nulls too.
type deployment struct {
	URL                   string          `json:"url"`
	ID                    int64           `json:"id"`
	NodeID                string          `json:"node_id"`
	SHA                   string          `json:"sha"`
	Ref                   string          `json:"ref"`
	Task                  string          `json:"task"`
	Payload               map[string]any  `json:"payload"`
	OriginalEnvironment   string          `json:"original_environment"`
	Environment           string          `json:"environment"`
	Description           *string         `json:"description"`
	Creator               *ghactions.User `json:"creator"`
	CreatedAt             time.Time       `json:"created_at"`
	UpdatedAt             time.Time       `json:"updated_at"`
	StatusesURL           string          `json:"statuses_url"`
	RepositoryURL         string          `json:"repository_url"`
	TransientEnvironment  bool            `json:"transient_environment"`
	ProductionEnvironment bool            `json:"production_environment"`
	PerformedViaGitHubApp *ghactions.App  `json:"performed_via_github_app"`
}

// deployment makes the deployment of the run's head commit to e that the job
// let through starts, as GitHub Actions makes it: created by its bot, with
// an empty payload, for production when the environment is "production"
// (the deployments API's default).
func (st *state) deployment(run *runState, e *environmentState, now time.Time) deployment {
	st.last.deployment++
	id := st.last.deployment
	repoURL := st.apiRoot + "repos/" + run.repo.owner + "/" + run.repo.name
	u := repoURL + "/deployments/" + strconv.FormatInt(id, 10)
	return deployment{
		URL:                   u,
		ID:                    id,
		NodeID:                nodeID("DE", id),
		SHA:                   run.run.HeadSHA,
		Ref:                   run.run.HeadBranch,
		Task:                  "deploy",
		Payload:               map[string]any{},
		OriginalEnvironment:   e.env.Name,
		Environment:           e.env.Name,
		Creator:               st.user(actionsBot, "Bot"),
		CreatedAt:             now,
		UpdatedAt:             now,
		StatusesURL:           u + "/statuses",
		RepositoryURL:         repoURL,
		ProductionEnvironment: strings.EqualFold(e.env.Name, "production"),
		PerformedViaGitHubApp: st.actionsApp(),
	}
}

// actionsBot is the login of GitHub Actions' bot.
const actionsBot = "github-actions[bot]"

// actionsApp is the GitHub App behind GitHub Actions, as GitHub shows it
// (ID 15368 on github.com).
func (st *state) actionsApp() *ghactions.App {
	return &ghactions.App{
		ID:          15368,
		Slug:        "github-actions",
		NodeID:      "MDM6QXBwMTUzNjg=",
		Owner:       st.user("github", "Organization"),
		Name:        "GitHub Actions",
		Description: "Automate your workflow from idea to production",
		ExternalURL: "https://help.github.com/en/actions",
		HTMLURL:     st.webRoot + "apps/github-actions",
		CreatedAt:   time.Date(2018, 7, 30, 9, 30, 17, 0, time.UTC),
		UpdatedAt:   time.Date(2019, 12, 10, 19, 4, 12, 0, time.UTC),
		Permissions: map[string]string{"actions": "write", "contents": "write", "deployments": "write", "metadata": "read"},
		Events:      []string{"deployment", "deployment_status", "workflow_dispatch"},
	}
}
