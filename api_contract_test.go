package ghactions_test

// This file pins the public API of ../shared/API.md ("Client"; "Response,
// rate, pagination"; "RunsService — endpoints of the seed"; "RunsService —
// the rest of the family"; "JobsService — the jobs of a run"; "Types";
// "Errors"): every name and signature is assigned to a variable of its exact
// type, so that a change to the contract fails to compile.

import (
	"context"
	"io"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/seed42f0b14b/ghactions"
)

// Client.
var (
	_ func(...ghactions.Option) (*ghactions.Client, error) = ghactions.NewClient

	_ func(string) ghactions.Option                = ghactions.WithToken
	_ func(ghactions.TokenSource) ghactions.Option = ghactions.WithTokenSource
	_ func(string) ghactions.Option                = ghactions.WithBaseURL
	_ func(*http.Client) ghactions.Option          = ghactions.WithHTTPClient
	_ func(string) ghactions.Option                = ghactions.WithUserAgent
	_ func(string) ghactions.Option                = ghactions.WithAPIVersion
	_ func(ghactions.RetryPolicy) ghactions.Option = ghactions.WithRetryPolicy
	_ func(*slog.Logger) ghactions.Option          = ghactions.WithLogger

	_ func() ghactions.RetryPolicy = ghactions.DefaultRetryPolicy

	_ ghactions.TokenSource = contractTokenSource{}
	_ interface {
		Token(ctx context.Context) (string, error)
	} = ghactions.TokenSource(nil)
	_ ghactions.TokenSource = interface {
		Token(ctx context.Context) (string, error)
	}(nil)

	_ = ghactions.Client{Runs: (*ghactions.RunsService)(nil), Jobs: (*ghactions.JobsService)(nil)}
	_ = ghactions.RetryPolicy{
		MaxRetries:       int(0),
		MinBackoff:       time.Duration(0),
		MaxBackoff:       time.Duration(0),
		MaxRateLimitWait: time.Duration(0),
	}
)

type contractTokenSource struct{}

func (contractTokenSource) Token(context.Context) (string, error) { return "", nil }

// Response, rate, pagination.
var (
	_ func(*ghactions.Client) ghactions.Rate = (*ghactions.Client).Rate

	_ = ghactions.Response{
		Response:  (*http.Response)(nil),
		NextPage:  int(0),
		PrevPage:  int(0),
		FirstPage: int(0),
		LastPage:  int(0),
		Rate:      ghactions.Rate{},
	}
	_ = ghactions.Rate{
		Limit:     int(0),
		Remaining: int(0),
		Used:      int(0),
		Reset:     time.Time{},
		Resource:  string(""),
	}
)

// RunsService — endpoints of the seed.
var (
	_ func(*ghactions.RunsService, context.Context, string, string, *ghactions.ListOptions) (*ghactions.RunsPage, *ghactions.Response, error)               = (*ghactions.RunsService).ListPage
	_ func(*ghactions.RunsService, context.Context, string, string, *ghactions.ListOptions) iter.Seq2[*ghactions.WorkflowRun, error]                        = (*ghactions.RunsService).List
	_ func(*ghactions.RunsService, context.Context, string, string, int64, *ghactions.GetOptions) (*ghactions.WorkflowRun, *ghactions.Response, error)      = (*ghactions.RunsService).Get
	_ func(*ghactions.RunsService, context.Context, string, string, int64, int, *ghactions.GetOptions) (*ghactions.WorkflowRun, *ghactions.Response, error) = (*ghactions.RunsService).GetAttempt
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (*ghactions.Response, error)                                                     = (*ghactions.RunsService).Delete
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (*ghactions.Response, error)                                                     = (*ghactions.RunsService).Cancel
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (*ghactions.Response, error)                                                     = (*ghactions.RunsService).ForceCancel
	_ func(*ghactions.RunsService, context.Context, string, string, int64, *ghactions.RerunOptions) (*ghactions.Response, error)                            = (*ghactions.RunsService).Rerun
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (*url.URL, *ghactions.Response, error)                                           = (*ghactions.RunsService).LogsURL
	_ func(*ghactions.RunsService, context.Context, string, string, int64, int) (*url.URL, *ghactions.Response, error)                                      = (*ghactions.RunsService).AttemptLogsURL
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (io.ReadCloser, *ghactions.Response, error)                                      = (*ghactions.RunsService).Logs
	_ func(*ghactions.RunsService, context.Context, string, string, int64, int) (io.ReadCloser, *ghactions.Response, error)                                 = (*ghactions.RunsService).AttemptLogs
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (*ghactions.Response, error)                                                     = (*ghactions.RunsService).DeleteLogs
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (*ghactions.RunUsage, *ghactions.Response, error)                                = (*ghactions.RunsService).Usage

	_ = ghactions.ListOptions{
		Workflow:            string(""),
		Actor:               string(""),
		Branch:              string(""),
		Event:               string(""),
		Status:              ghactions.Status(""),
		Conclusion:          ghactions.Conclusion(""),
		Created:             string(""),
		ExcludePullRequests: bool(false),
		CheckSuiteID:        int64(0),
		HeadSHA:             string(""),
		PerPage:             int(0),
		Page:                int(0),
	}
	_ = ghactions.GetOptions{ExcludePullRequests: bool(false)}
	_ = ghactions.RerunOptions{EnableDebugLogging: bool(false)}
	_ = ghactions.RunsPage{
		TotalCount:   int(0),
		WorkflowRuns: []*ghactions.WorkflowRun(nil),
	}
)

// RunsService — the rest of the family.
var (
	_ func(*ghactions.RunsService, context.Context, string, string, int64, *ghactions.RerunOptions) (*ghactions.Response, error)                                     = (*ghactions.RunsService).RerunFailedJobs
	_ func(*ghactions.RunsService, context.Context, string, string, int64, *ghactions.RerunJobOptions) (*ghactions.Response, error)                                  = (*ghactions.RunsService).RerunJob
	_ func(*ghactions.RunsService, context.Context, string, string, int64) (*ghactions.Response, error)                                                              = (*ghactions.RunsService).Approve
	_ func(*ghactions.RunsService, context.Context, string, string, int64) ([]*ghactions.EnvironmentApproval, *ghactions.Response, error)                            = (*ghactions.RunsService).Approvals
	_ func(*ghactions.RunsService, context.Context, string, string, int64) ([]*ghactions.PendingDeployment, *ghactions.Response, error)                              = (*ghactions.RunsService).PendingDeployments
	_ func(*ghactions.RunsService, context.Context, string, string, int64, ghactions.PendingDeploymentsReview) ([]*ghactions.Deployment, *ghactions.Response, error) = (*ghactions.RunsService).ReviewPendingDeployments
	_ func(*ghactions.RunsService, context.Context, string, string, int64, ghactions.DeploymentProtectionRuleReview) (*ghactions.Response, error)                    = (*ghactions.RunsService).ReviewDeploymentProtectionRule
	_ func(*ghactions.RunsService, context.Context, string, string, int64, *ghactions.WaitOptions) (*ghactions.WorkflowRun, error)                                   = (*ghactions.RunsService).Wait

	_ = ghactions.RerunJobOptions{EnableDebugLogging: bool(false), EnableDebugger: bool(false)}
	_ = ghactions.PendingDeploymentsReview{
		EnvironmentIDs: []int64(nil),
		State:          ghactions.ReviewState(""),
		Comment:        string(""),
	}
	_ = ghactions.DeploymentProtectionRuleReview{
		EnvironmentName: string(""),
		State:           ghactions.ReviewState(""),
		Comment:         string(""),
	}
	_ = ghactions.WaitOptions{
		Interval:   time.Duration(0),
		OnChange:   func(run *ghactions.WorkflowRun) {},
		MinAttempt: int(0),
	}
	reviewStates = map[ghactions.ReviewState]string{
		ghactions.ReviewApproved: "approved",
		ghactions.ReviewRejected: "rejected",
	}
	_ = ghactions.EnvironmentApproval{}
	_ = ghactions.PendingDeployment{Environment: (*ghactions.Environment)(nil)}
	_ = ghactions.Deployment{}
	_ = ghactions.Team{}
)

// JobsService — the jobs of a run.
var (
	_ func(*ghactions.JobsService, context.Context, string, string, int64, *ghactions.JobListOptions) (*ghactions.JobsPage, *ghactions.Response, error) = (*ghactions.JobsService).ListPage
	_ func(*ghactions.JobsService, context.Context, string, string, int64, *ghactions.JobListOptions) iter.Seq2[*ghactions.Job, error]                  = (*ghactions.JobsService).List
	_ func(*ghactions.JobsService, context.Context, string, string, int64) (*ghactions.Job, *ghactions.Response, error)                                 = (*ghactions.JobsService).Get
	_ func(*ghactions.JobsService, context.Context, string, string, int64) (*url.URL, *ghactions.Response, error)                                       = (*ghactions.JobsService).LogsURL
	_ func(*ghactions.JobsService, context.Context, string, string, int64) (io.ReadCloser, *ghactions.Response, error)                                  = (*ghactions.JobsService).Logs

	_ = ghactions.JobListOptions{
		Attempt: int(0),
		Filter:  ghactions.JobFilter(""),
		PerPage: int(0),
		Page:    int(0),
	}
	jobFilters = map[ghactions.JobFilter]string{
		ghactions.JobFilterLatest: "latest",
		ghactions.JobFilterAll:    "all",
	}
	_ = ghactions.JobsPage{TotalCount: int(0), Jobs: []*ghactions.Job(nil)}
	_ = ghactions.Job{
		ID:              int64(0),
		RunID:           int64(0),
		RunURL:          string(""),
		RunAttempt:      int(0),
		NodeID:          string(""),
		HeadSHA:         string(""),
		URL:             string(""),
		HTMLURL:         string(""),
		Status:          ghactions.Status(""),
		Conclusion:      ghactions.Conclusion(""),
		CreatedAt:       time.Time{},
		StartedAt:       time.Time{},
		CompletedAt:     time.Time{},
		Name:            string(""),
		Steps:           []ghactions.Step(nil),
		CheckRunURL:     string(""),
		Labels:          []string(nil),
		RunnerID:        int64(0),
		RunnerName:      string(""),
		RunnerGroupID:   int64(0),
		RunnerGroupName: string(""),
		WorkflowName:    string(""),
		HeadBranch:      string(""),
	}
	_ = ghactions.Step{
		Name:        string(""),
		Status:      ghactions.Status(""),
		Conclusion:  ghactions.Conclusion(""),
		Number:      int(0),
		StartedAt:   time.Time{},
		CompletedAt: time.Time{},
	}
)

// Types.
var (
	_ = ghactions.WorkflowRun{
		ID:                  int64(0),
		Name:                string(""),
		NodeID:              string(""),
		CheckSuiteID:        int64(0),
		CheckSuiteNodeID:    string(""),
		HeadBranch:          string(""),
		HeadSHA:             string(""),
		Path:                string(""),
		DisplayTitle:        string(""),
		RunNumber:           int(0),
		RunAttempt:          int(0),
		Event:               string(""),
		Status:              ghactions.Status(""),
		Conclusion:          ghactions.Conclusion(""),
		WorkflowID:          int64(0),
		URL:                 string(""),
		HTMLURL:             string(""),
		JobsURL:             string(""),
		LogsURL:             string(""),
		CheckSuiteURL:       string(""),
		ArtifactsURL:        string(""),
		CancelURL:           string(""),
		RerunURL:            string(""),
		PreviousAttemptURL:  string(""),
		WorkflowURL:         string(""),
		PullRequests:        []ghactions.PullRequest(nil),
		ReferencedWorkflows: []ghactions.ReferencedWorkflow(nil),
		CreatedAt:           time.Time{},
		UpdatedAt:           time.Time{},
		RunStartedAt:        time.Time{},
		Actor:               (*ghactions.User)(nil),
		TriggeringActor:     (*ghactions.User)(nil),
		HeadCommit:          (*ghactions.Commit)(nil),
		Repository:          (*ghactions.Repository)(nil),
		HeadRepository:      (*ghactions.Repository)(nil),
		HeadRepositoryID:    int64(0),
	}

	_ = ghactions.RunUsage{
		Billable:      map[string]ghactions.RunnerUsage(nil),
		RunDurationMS: int64(0),
	}
	_ = ghactions.RunnerUsage{
		TotalMS: int64(0),
		Jobs:    int(0),
		JobRuns: []ghactions.JobRunUsage(nil),
	}
	_ = ghactions.JobRunUsage{JobID: int64(0), DurationMS: int64(0)}

	// The nested types API.md names: a Commit's author and committer have a
	// name and an email, a Repository has an Owner.
	_ = ghactions.Commit{Author: &ghactions.CommitAuthor{Name: "", Email: ""}, Committer: &ghactions.CommitAuthor{}}
	_ = ghactions.Repository{Owner: (*ghactions.User)(nil)}
	_ = ghactions.User{}
	_ = ghactions.PullRequest{}
	_ = ghactions.ReferencedWorkflow{}
)

// The constants, with their types and values.
var (
	statuses = map[ghactions.Status]string{
		ghactions.StatusQueued:     "queued",
		ghactions.StatusInProgress: "in_progress",
		ghactions.StatusCompleted:  "completed",
		ghactions.StatusWaiting:    "waiting",
		ghactions.StatusRequested:  "requested",
		ghactions.StatusPending:    "pending",
	}
	conclusions = map[ghactions.Conclusion]string{
		ghactions.ConclusionSuccess:        "success",
		ghactions.ConclusionFailure:        "failure",
		ghactions.ConclusionCancelled:      "cancelled",
		ghactions.ConclusionSkipped:        "skipped",
		ghactions.ConclusionNeutral:        "neutral",
		ghactions.ConclusionTimedOut:       "timed_out",
		ghactions.ConclusionActionRequired: "action_required",
		ghactions.ConclusionStale:          "stale",
		ghactions.ConclusionStartupFailure: "startup_failure",
	}
	_ string = ghactions.Version
)

// Errors.
var (
	sentinels = map[error]bool{
		ghactions.ErrInvalidArgument: true,
		ghactions.ErrUnauthorized:    true,
		ghactions.ErrForbidden:       true,
		ghactions.ErrNotFound:        true,
		ghactions.ErrConflict:        true,
		ghactions.ErrUnprocessable:   true,
		ghactions.ErrRateLimited:     true,
	}

	_ = ghactions.APIError{
		Response:         (*http.Response)(nil),
		StatusCode:       int(0),
		Message:          string(""),
		DocumentationURL: string(""),
		Errors:           []ghactions.FieldError(nil),
		RequestID:        string(""),
	}
	_ = ghactions.FieldError{
		Resource: string(""),
		Field:    string(""),
		Code:     string(""),
		Message:  string(""),
	}
	_ = ghactions.RateLimitError{
		APIError:   ghactions.APIError{},
		Rate:       ghactions.Rate{},
		RetryAfter: time.Duration(0),
		Secondary:  bool(false),
	}
	_ error = (*ghactions.APIError)(nil)
	_ error = (*ghactions.RateLimitError)(nil)
)

// The values behind the names: constants as API.md gives them, distinct
// sentinels, and the default retry policy.
func TestAPIContractValues(t *testing.T) {
	for s, want := range statuses {
		assert.Equal(t, want, string(s))
	}
	assert.Len(t, statuses, 6)
	for c, want := range conclusions {
		assert.Equal(t, want, string(c))
	}
	assert.Len(t, conclusions, 9)
	assert.Len(t, sentinels, 7, "the sentinels are distinct")
	for f, want := range jobFilters {
		assert.Equal(t, want, string(f))
	}
	for r, want := range reviewStates {
		assert.Equal(t, want, string(r))
	}
	for err := range sentinels {
		assert.NotNil(t, err)
	}
	assert.Equal(t, ghactions.RetryPolicy{
		MaxRetries:       3,
		MinBackoff:       time.Second,
		MaxBackoff:       30 * time.Second,
		MaxRateLimitWait: 60 * time.Second,
	}, ghactions.DefaultRetryPolicy())
	assert.NotEmpty(t, ghactions.Version)
}
