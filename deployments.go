package ghactions

import (
	"context"
	"fmt"
	"net/http"
)

// ReviewState is a reviewer's decision on a deployment.
type ReviewState string

// The decisions a review can send. Approvals may also report ReviewPending.
const (
	ReviewApproved ReviewState = "approved"
	ReviewRejected ReviewState = "rejected"
	ReviewPending  ReviewState = "pending" // only in Approvals: a review not made yet
)

// PendingDeploymentsReview approves or rejects a run's deployments that
// wait for a required reviewer.
type PendingDeploymentsReview struct {
	EnvironmentIDs []int64     `json:"environment_ids"`
	State          ReviewState `json:"state"`   // ReviewApproved or ReviewRejected
	Comment        string      `json:"comment"` // required by the API, also when approving
}

// DeploymentProtectionRuleReview approves or rejects a custom deployment
// protection rule (a "custom gate"), or comments on it.
type DeploymentProtectionRuleReview struct {
	EnvironmentName string      `json:"environment_name"`
	State           ReviewState `json:"state,omitempty"`   // may be empty when Comment is set
	Comment         string      `json:"comment,omitempty"` // required when State is empty
}

// Approve approves a run from a fork's pull request that waits for a
// maintainer's approval before it may run: POST .../runs/{runID}/approve.
// github.com only; GitHub Enterprise Server does not have it.
func (s *RunsService) Approve(ctx context.Context, owner, repo string, runID int64) (*Response, error) {
	return s.runAction(ctx, http.MethodPost, owner, repo, runID, "/approve", nil)
}

// Approvals returns the review history of a run's deployments: GET
// .../runs/{runID}/approvals.
func (s *RunsService) Approvals(ctx context.Context, owner, repo string, runID int64) ([]*EnvironmentApproval, *Response, error) {
	var out []*EnvironmentApproval
	resp, err := s.runQuery(ctx, owner, repo, runID, "/approvals", &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// PendingDeployments returns the deployments of a run that wait for a
// reviewer: GET .../runs/{runID}/pending_deployments.
func (s *RunsService) PendingDeployments(ctx context.Context, owner, repo string, runID int64) ([]*PendingDeployment, *Response, error) {
	var out []*PendingDeployment
	resp, err := s.runQuery(ctx, owner, repo, runID, "/pending_deployments", &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ReviewPendingDeployments approves or rejects deployments of a run that
// wait for a reviewer: POST .../runs/{runID}/pending_deployments. It returns
// the deployments the review let through (none when rejecting). The review
// needs at least one environment ID, a state and a comment; without them the
// call fails with ErrInvalidArgument and sends nothing. GitHub Apps cannot
// call it.
func (s *RunsService) ReviewPendingDeployments(ctx context.Context, owner, repo string, runID int64, review PendingDeploymentsReview) ([]*Deployment, *Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, nil, err
	}
	if err := review.validate(); err != nil {
		return nil, nil, err
	}
	r, err := s.client.newRequest(http.MethodPost, runPath(owner, repo, runID)+"/pending_deployments", nil, review)
	if err != nil {
		return nil, nil, err
	}
	var out []*Deployment
	resp, err := s.client.call(ctx, r, &out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// ReviewDeploymentProtectionRule approves, rejects or comments on a custom
// deployment protection rule of a run: POST
// .../runs/{runID}/deployment_protection_rule. The review needs an
// environment name, and a state or a comment. A GitHub App may review only
// its own rules.
func (s *RunsService) ReviewDeploymentProtectionRule(ctx context.Context, owner, repo string, runID int64, review DeploymentProtectionRuleReview) (*Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, err
	}
	if err := review.validate(); err != nil {
		return nil, err
	}
	return s.runAction(ctx, http.MethodPost, owner, repo, runID, "/deployment_protection_rule", review)
}

// runQuery GETs a path under a run and decodes the answer into v.
func (s *RunsService) runQuery(ctx context.Context, owner, repo string, runID int64, suffix string, v any) (*Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, err
	}
	r, err := s.client.newRequest(http.MethodGet, runPath(owner, repo, runID)+suffix, nil, nil)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, r, v)
}

func (r PendingDeploymentsReview) validate() error {
	if len(r.EnvironmentIDs) == 0 {
		return fmt.Errorf("%w: review: at least one environment ID is needed", ErrInvalidArgument)
	}
	for _, id := range r.EnvironmentIDs {
		if id <= 0 {
			return fmt.Errorf("%w: review: environment ID %d: must be positive", ErrInvalidArgument, id)
		}
	}
	if r.State != ReviewApproved && r.State != ReviewRejected {
		return fmt.Errorf("%w: review: state %q: must be %q or %q", ErrInvalidArgument, r.State, ReviewApproved, ReviewRejected)
	}
	if r.Comment == "" {
		return fmt.Errorf("%w: review: a comment is required, also when approving", ErrInvalidArgument)
	}
	return nil
}

func (r DeploymentProtectionRuleReview) validate() error {
	if r.EnvironmentName == "" {
		return fmt.Errorf("%w: review: an environment name is needed", ErrInvalidArgument)
	}
	switch r.State {
	case ReviewApproved, ReviewRejected:
	case "":
		if r.Comment == "" {
			return fmt.Errorf("%w: review: give a state, a comment or both", ErrInvalidArgument)
		}
	default:
		return fmt.Errorf("%w: review: state %q: must be %q or %q", ErrInvalidArgument, r.State, ReviewApproved, ReviewRejected)
	}
	return nil
}
