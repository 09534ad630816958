package ghactions

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"

	"github.com/google/go-querystring/query"
)

// JobsService holds the endpoints of the jobs of workflow runs: the jobs of
// a run or of an attempt, one job, and a job's log. Get it from
// Client.Jobs. A job's ID is what RunsService.RerunJob takes.
type JobsService struct {
	client *Client
}

// jobsKey is the key of the jobs in a page of jobs.
const jobsKey = "jobs"

// ListPage returns one page of the jobs of a run: GET
// /repos/{owner}/{repo}/actions/runs/{runID}/jobs, or
// .../runs/{runID}/attempts/{n}/jobs when opts.Attempt is n. resp.NextPage
// and resp.Links tell where the next page is. The page holds no nil job,
// and at most opts.PerPage jobs, or 100 when PerPage is 0; a longer page is
// an error. Bad input (a runID <= 0, a negative Attempt, a Filter other
// than latest or all, a Filter with an Attempt, a PerPage outside 0..100, a
// negative Page) returns an error wrapping ErrInvalidArgument and sends
// nothing; a non-2xx answer returns an *APIError (a run or attempt that
// does not exist matches ErrNotFound).
func (s *JobsService) ListPage(ctx context.Context, owner, repo string, runID int64, opts *JobListOptions) (*JobsPage, *Response, error) {
	r, err := s.listRequest(owner, repo, runID, opts, 0)
	if err != nil {
		return nil, nil, err
	}
	p, resp, err := fetchPage[Job](ctx, s.client, r, jobsKey)
	if err != nil {
		return nil, resp, err
	}
	return &JobsPage{TotalCount: p.total, Jobs: p.items}, resp, nil
}

// List returns every job of a run (or of an attempt, with opts.Attempt),
// page after page, following the Link header, with 100 jobs a page unless
// opts.PerPage says otherwise: a run's jobs cost one request per 100 jobs.
// It fetches lazily: a page is requested only when the loop reaches it, so
// breaking out early fetches nothing more. On error it yields (nil, err)
// once and stops; bad input is ListPage's.
func (s *JobsService) List(ctx context.Context, owner, repo string, runID int64, opts *JobListOptions) iter.Seq2[*Job, error] {
	return func(yield func(*Job, error) bool) {
		r, err := s.listRequest(owner, repo, runID, opts, maxPerPage)
		if err != nil {
			yield(nil, err)
			return
		}
		walkPages(ctx, s.client, r, jobsKey, yield)
	}
}

// listRequest checks the options and builds the first page's request;
// perPage is the page size to use when opts leaves it at 0.
func (s *JobsService) listRequest(owner, repo string, runID int64, opts *JobListOptions, perPage int) (*request, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, err
	}
	var o JobListOptions
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
		return nil, fmt.Errorf("%w: job list options: %v", ErrInvalidArgument, err)
	}
	path := runPath(owner, repo, runID) + "/jobs"
	if o.Attempt > 0 {
		path = attemptPath(owner, repo, runID, o.Attempt) + "/jobs"
	}
	return s.client.newRequest(http.MethodGet, path, q, nil)
}

func (o *JobListOptions) validate() error {
	switch {
	case o.Attempt < 0:
		return fmt.Errorf("%w: Attempt %d: attempts count from 1 (0 lists the run's jobs)", ErrInvalidArgument, o.Attempt)
	case o.Filter != "" && o.Filter != JobFilterLatest && o.Filter != JobFilterAll:
		return fmt.Errorf("%w: Filter %q: must be %q or %q", ErrInvalidArgument, o.Filter, JobFilterLatest, JobFilterAll)
	case o.Filter != "" && o.Attempt > 0:
		return fmt.Errorf("%w: Filter %q with Attempt %d: an attempt's jobs take no filter", ErrInvalidArgument, o.Filter, o.Attempt)
	case o.PerPage < 0 || o.PerPage > maxPerPage:
		return fmt.Errorf("%w: PerPage %d: must be 0 to 100", ErrInvalidArgument, o.PerPage)
	case o.Page < 0:
		return fmt.Errorf("%w: Page %d: must not be negative", ErrInvalidArgument, o.Page)
	}
	return nil
}

// Get returns one job: GET /repos/{owner}/{repo}/actions/jobs/{jobID}. A
// job that does not exist (or that the token may not see) gives an error
// matching ErrNotFound; a jobID <= 0 gives one wrapping ErrInvalidArgument,
// and nothing is sent.
func (s *JobsService) Get(ctx context.Context, owner, repo string, jobID int64) (*Job, *Response, error) {
	if err := validateJob(owner, repo, jobID); err != nil {
		return nil, nil, err
	}
	return get[Job](ctx, s.client, jobPath(owner, repo, jobID), nil)
}

// LogsURL returns the URL of a job's log, plain text, which the API gives as
// the Location of a 302 answer to GET .../actions/jobs/{jobID}/logs. The URL
// is signed and expires after about a minute: fetch it at once, without the
// token. A job without a log (not completed yet, or its logs deleted) gives
// an error matching ErrNotFound.
func (s *JobsService) LogsURL(ctx context.Context, owner, repo string, jobID int64) (*url.URL, *Response, error) {
	if err := validateJob(owner, repo, jobID); err != nil {
		return nil, nil, err
	}
	return s.client.Runs.logsURL(ctx, jobPath(owner, repo, jobID)+"/logs")
}

// Logs streams a job's log, plain text, from the URL the API redirects to,
// as Runs.Logs streams a run's archive: without the token, which never
// leaves the API's origin, never from https to plain http, and unbuffered;
// the caller reads it as it comes and closes it. Each line starts with the
// runner's timestamp (see LogLines to read it as lines). The returned
// Response is the log's answer, with Rate taken from the API's. A job
// without a log gives an error matching ErrNotFound; a failure of the log's
// host gives an *APIError with its status.
func (s *JobsService) Logs(ctx context.Context, owner, repo string, jobID int64) (io.ReadCloser, *Response, error) {
	if err := validateJob(owner, repo, jobID); err != nil {
		return nil, nil, err
	}
	return s.client.Runs.logs(ctx, jobPath(owner, repo, jobID)+"/logs")
}
