package ghactions

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"

	"github.com/google/go-querystring/query"

	"github.com/seed42f0b14b/ghactions/internal/searchdate"
)

// RunsService holds the workflow-run endpoints of the API. Get it from
// Client.Runs.
type RunsService struct {
	client *Client
}

// ListOptions filters and pages a list of workflow runs. A nil *ListOptions
// lists every run of the repository.
type ListOptions struct {
	// Workflow is a workflow file name ("build.yml") or a numeric workflow ID
	// as a string; when set, only that workflow's runs are listed.
	Workflow string `url:"-"`
	Actor    string `url:"actor,omitempty"`
	Branch   string `url:"branch,omitempty"`
	Event    string `url:"event,omitempty"`
	Status   Status `url:"status,omitempty"`
	// Conclusion is sent as the "status" query too (the API takes either);
	// setting both Status and Conclusion is an error, and so is
	// ConclusionStartupFailure, which the API cannot filter on.
	Conclusion Conclusion `url:"-"`
	// Created is in GitHub's date-range syntax: ">=2024-01-01",
	// "2024-01-01..2024-02-01", "<2024-03-01T12:00:00Z".
	Created             string `url:"created,omitempty"`
	ExcludePullRequests bool   `url:"exclude_pull_requests,omitempty"`
	CheckSuiteID        int64  `url:"check_suite_id,omitempty"`
	HeadSHA             string `url:"head_sha,omitempty"`
	// PerPage is 1..100; 0 means the server's default (ListPage) or 100
	// (List). A page holding more runs than its per_page (or than 100 when
	// the request has none) is an error.
	PerPage int `url:"per_page,omitempty"`
	Page    int `url:"page,omitempty"`
}

// GetOptions changes what Get and GetAttempt return. A nil *GetOptions
// means the defaults.
type GetOptions struct {
	ExcludePullRequests bool `url:"exclude_pull_requests,omitempty"` // leave PullRequests empty
}

// RerunOptions changes how a run is re-run. A nil *RerunOptions means the
// defaults.
type RerunOptions struct {
	EnableDebugLogging bool `json:"enable_debug_logging,omitempty"` // sent as {"enable_debug_logging": true} when set
}

// RunsPage is one page of a list of workflow runs.
type RunsPage struct {
	TotalCount   int            `json:"total_count"`
	WorkflowRuns []*WorkflowRun `json:"workflow_runs"`
}

// ListPage returns one page of workflow runs: GET
// /repos/{owner}/{repo}/actions/runs, or
// /repos/{owner}/{repo}/actions/workflows/{workflow}/runs when opts.Workflow
// is set. resp.NextPage and resp.Links tell where the next page is. The page
// holds no nil run (null entries are left out), and at most opts.PerPage
// runs, or 100 when PerPage is 0; a longer page is an error, found while
// decoding. Bad input returns an error wrapping ErrInvalidArgument and sends
// nothing; a non-2xx answer returns an *APIError.
func (s *RunsService) ListPage(ctx context.Context, owner, repo string, opts *ListOptions) (*RunsPage, *Response, error) {
	r, err := s.listRequest(owner, repo, opts, 0)
	if err != nil {
		return nil, nil, err
	}
	p, resp, err := fetchPage[WorkflowRun](ctx, s.client, r, runsKey)
	if err != nil {
		return nil, resp, err
	}
	return &RunsPage{TotalCount: p.total, WorkflowRuns: p.items}, resp, nil
}

// List returns every matching run, page after page, following the Link
// header, with 100 runs a page unless opts.PerPage says otherwise, from
// opts.Page when it is set. It fetches lazily: a page is requested only when
// the loop reaches it, so breaking out early fetches nothing more, and only
// one page is held at a time. On error it yields (nil, err) once and stops.
//
// It never yields a nil run, and it stops at an empty page. A page longer
// than its per_page, a next-page link off the API's origin (or from https to
// plain http) and a next-page link back to a page already fetched are errors.
//
// Every matching run means past GitHub's cap too: GitHub returns at most
// 1,000 runs for a list that uses a filter (actor, branch, check suite,
// created, event, head SHA, status or conclusion), whatever its total_count
// says. When such a list has given 1,000 runs, List goes on with the same
// filters and a created range narrowed to the second of the oldest run
// given (that second included: runs created in it may remain), intersected
// with opts.Created, and leaves out the runs of that second it has already
// yielded; and so on. The runs come newest first, none twice, none missed,
// for at most ceil(N/100) + ceil(N/1000) + 2 requests for N runs with 100 a
// page, while fewer than 100 runs or so share the second where a stretch
// of 1,000 ends: the runs of that second are fetched twice. When 1,000
// matching runs or more were created in one second, no created range can
// split them: List yields an error matching ErrListCap instead of the runs
// past the cap, after yielding the others.
func (s *RunsService) List(ctx context.Context, owner, repo string, opts *ListOptions) iter.Seq2[*WorkflowRun, error] {
	return func(yield func(*WorkflowRun, error) bool) {
		r, err := s.listRequest(owner, repo, opts, maxPerPage)
		if err != nil {
			yield(nil, err)
			return
		}
		if opts == nil || !opts.capped() {
			walkPages(ctx, s.client, r, runsKey, yield)
			return
		}
		s.listPastCap(ctx, owner, repo, *opts, r, yield)
	}
}

// listRequest checks the options and builds the first page's request;
// perPage is the page size to use when opts leaves it at 0.
func (s *RunsService) listRequest(owner, repo string, opts *ListOptions, perPage int) (*request, error) {
	if err := validateRepo(owner, repo); err != nil {
		return nil, err
	}
	var o ListOptions
	if opts != nil {
		o = *opts
	}
	if o.PerPage == 0 {
		o.PerPage = perPage
	}
	if err := o.validate(); err != nil {
		return nil, err
	}
	q, err := query.Values(&o)
	if err != nil {
		return nil, fmt.Errorf("%w: list options: %v", ErrInvalidArgument, err)
	}
	if o.Conclusion != "" {
		q.Set("status", string(o.Conclusion))
	}
	path := repoPath(owner, repo) + "runs"
	if o.Workflow != "" {
		path = repoPath(owner, repo) + "workflows/" + url.PathEscape(o.Workflow) + "/runs"
	}
	return s.client.newRequest(http.MethodGet, path, q, nil)
}

func (o *ListOptions) validate() error {
	switch {
	case o.PerPage < 0 || o.PerPage > 100:
		return fmt.Errorf("%w: PerPage %d: must be 0 to 100", ErrInvalidArgument, o.PerPage)
	case o.Page < 0:
		return fmt.Errorf("%w: Page %d: must not be negative", ErrInvalidArgument, o.Page)
	case o.CheckSuiteID < 0:
		return fmt.Errorf("%w: CheckSuiteID %d: must not be negative", ErrInvalidArgument, o.CheckSuiteID)
	case o.Status != "" && o.Conclusion != "":
		return fmt.Errorf("%w: Status and Conclusion both set; the API filters on one of them", ErrInvalidArgument)
	case o.Conclusion == ConclusionStartupFailure || string(o.Status) == string(ConclusionStartupFailure):
		return fmt.Errorf("%w: the API cannot filter on the conclusion %q", ErrInvalidArgument, ConclusionStartupFailure)
	}
	if o.Created != "" {
		if _, err := searchdate.Parse(o.Created); err != nil {
			return fmt.Errorf("%w: Created: %v", ErrInvalidArgument, err)
		}
	}
	if o.Workflow != "" {
		return validateWorkflow(o.Workflow)
	}
	return nil
}

// Get returns one workflow run: GET /repos/{owner}/{repo}/actions/runs/{runID}.
// A run that does not exist (or that the token may not see) gives an error
// matching ErrNotFound.
func (s *RunsService) Get(ctx context.Context, owner, repo string, runID int64, opts *GetOptions) (*WorkflowRun, *Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, nil, err
	}
	return s.getRun(ctx, runPath(owner, repo, runID), opts)
}

// GetAttempt returns one attempt of a workflow run (attempts count from 1):
// GET /repos/{owner}/{repo}/actions/runs/{runID}/attempts/{attempt}.
func (s *RunsService) GetAttempt(ctx context.Context, owner, repo string, runID int64, attempt int, opts *GetOptions) (*WorkflowRun, *Response, error) {
	if err := validateAttempt(owner, repo, runID, attempt); err != nil {
		return nil, nil, err
	}
	return s.getRun(ctx, attemptPath(owner, repo, runID, attempt), opts)
}

func (s *RunsService) getRun(ctx context.Context, path string, opts *GetOptions) (*WorkflowRun, *Response, error) {
	var q url.Values
	if opts != nil {
		var err error
		if q, err = query.Values(opts); err != nil {
			return nil, nil, fmt.Errorf("%w: get options: %v", ErrInvalidArgument, err)
		}
	}
	return get[WorkflowRun](ctx, s.client, path, q)
}

// Delete deletes a workflow run: DELETE /repos/{owner}/{repo}/actions/runs/{runID}.
func (s *RunsService) Delete(ctx context.Context, owner, repo string, runID int64) (*Response, error) {
	return s.runAction(ctx, http.MethodDelete, owner, repo, runID, "", nil)
}

// Cancel asks GitHub to cancel a workflow run: POST .../runs/{runID}/cancel.
// The API answers 202 Accepted, which is success: the run stops shortly
// after. A run that has already completed gives an error matching
// ErrConflict.
func (s *RunsService) Cancel(ctx context.Context, owner, repo string, runID int64) (*Response, error) {
	return s.runAction(ctx, http.MethodPost, owner, repo, runID, "/cancel", nil)
}

// ForceCancel cancels a workflow run even when its jobs do not respond to a
// normal cancel (an always() condition, say): POST .../runs/{runID}/force-cancel.
// Like Cancel, 202 is success and a completed run gives ErrConflict.
func (s *RunsService) ForceCancel(ctx context.Context, owner, repo string, runID int64) (*Response, error) {
	return s.runAction(ctx, http.MethodPost, owner, repo, runID, "/force-cancel", nil)
}

// Rerun re-runs a whole workflow run as a new attempt: POST
// .../runs/{runID}/rerun, with {"enable_debug_logging": true} when
// opts.EnableDebugLogging is set. GitHub answers 201.
func (s *RunsService) Rerun(ctx context.Context, owner, repo string, runID int64, opts *RerunOptions) (*Response, error) {
	var body any
	if opts != nil && opts.EnableDebugLogging {
		body = opts
	}
	return s.runAction(ctx, http.MethodPost, owner, repo, runID, "/rerun", body)
}

// RerunJobOptions changes how a job is re-run. A nil *RerunJobOptions means
// the defaults.
type RerunJobOptions struct {
	EnableDebugLogging bool `json:"enable_debug_logging,omitempty"`
	EnableDebugger     bool `json:"enable_debugger,omitempty"` // GHES 3.17 and later, and github.com
}

// RerunFailedJobs re-runs the failed jobs of a run, and the jobs that depend
// on them, as a new attempt: POST .../runs/{runID}/rerun-failed-jobs.
func (s *RunsService) RerunFailedJobs(ctx context.Context, owner, repo string, runID int64, opts *RerunOptions) (*Response, error) {
	var body any
	if opts != nil && opts.EnableDebugLogging {
		body = opts
	}
	return s.runAction(ctx, http.MethodPost, owner, repo, runID, "/rerun-failed-jobs", body)
}

// RerunJob re-runs one job, and the jobs that depend on it, as a new attempt
// of its run: POST /repos/{owner}/{repo}/actions/jobs/{jobID}/rerun.
func (s *RunsService) RerunJob(ctx context.Context, owner, repo string, jobID int64, opts *RerunJobOptions) (*Response, error) {
	if err := validateJob(owner, repo, jobID); err != nil {
		return nil, err
	}
	var body any
	if opts != nil && (opts.EnableDebugLogging || opts.EnableDebugger) {
		body = opts
	}
	r, err := s.client.newRequest(http.MethodPost, jobPath(owner, repo, jobID)+"/rerun", nil, body)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, r, nil)
}

// DeleteLogs deletes the logs of a workflow run: DELETE .../runs/{runID}/logs.
func (s *RunsService) DeleteLogs(ctx context.Context, owner, repo string, runID int64) (*Response, error) {
	return s.runAction(ctx, http.MethodDelete, owner, repo, runID, "/logs", nil)
}

// runAction sends a request on a run whose answer carries nothing to decode
// (204, or the API's empty object: an empty body, {} or null).
func (s *RunsService) runAction(ctx context.Context, method, owner, repo string, runID int64, suffix string, body any) (*Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, err
	}
	r, err := s.client.newRequest(method, runPath(owner, repo, runID)+suffix, nil, body)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, r, nil)
}

// Usage returns the billable time of a workflow run: GET .../runs/{runID}/timing.
// GitHub is closing this endpoint down on github.com (billing moved to the
// enhanced billing platform); GitHub Enterprise Server never had it.
func (s *RunsService) Usage(ctx context.Context, owner, repo string, runID int64) (*RunUsage, *Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, nil, err
	}
	return get[RunUsage](ctx, s.client, runPath(owner, repo, runID)+"/timing", nil)
}
