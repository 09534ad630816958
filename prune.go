package ghactions

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/seed42f0b14b/ghactions/internal/searchdate"
)

// PruneOptions says which runs Prune deletes. A run is deleted when it is a
// candidate (Filter lists it), has completed, is not among the KeepLatest
// newest completed candidates of its workflow, and was created longer ago
// than OlderThan.
type PruneOptions struct {
	// Filter lists the candidates: a workflow, a branch, an event, a
	// status, a created range... as for List, past GitHub's 1,000-result
	// cap too.
	Filter ListOptions
	// OlderThan spares the runs created less than this long ago, by the
	// client's Clock; 0 means any age.
	OlderThan time.Duration
	// KeepLatest keeps the newest KeepLatest completed runs of each
	// workflow among the candidates, whatever their age; 0 keeps none.
	KeepLatest int
	// LogsOnly deletes the runs' logs instead of the runs.
	LogsOnly bool
	// DryRun deletes nothing: the report says what would go.
	DryRun bool
	// OnListed, when set, is called once the listing is over, before any
	// delete, with the number of candidates and of runs to delete: a
	// progress display's total.
	OnListed func(listed, toDelete int)
	// OnRun, when set, is called once for each candidate, with what became
	// of it, and the error for a run that failed. The kept are told while
	// Prune lists, the others as it deletes them. run holds the run's own
	// fields as listed (ID, Name, WorkflowID, HeadBranch, HeadSHA, Path,
	// DisplayTitle, RunNumber, RunAttempt, Event, Status, Conclusion, URL,
	// HTMLURL and its times); its nested objects (actors, head commit,
	// repositories, pull requests) are left out, so that a prune of a long
	// history holds little memory.
	OnRun func(run *WorkflowRun, action PruneAction, err error)
}

// PruneAction is what Prune did with a candidate.
type PruneAction string

// What Prune does with a candidate.
const (
	PruneKept        PruneAction = "kept"         // not completed, among the latest, or too recent
	PruneDeleted     PruneAction = "deleted"      // the run (or its logs, with LogsOnly) is deleted
	PruneWouldDelete PruneAction = "would-delete" // DryRun: it would have been deleted
	PruneAlreadyGone PruneAction = "already-gone" // the delete answered 404: gone already
	PruneFailed      PruneAction = "failed"       // the delete failed; see PruneReport.Failed
)

// PruneReport is what a prune did.
type PruneReport struct {
	Listed      int            // candidates listed
	Kept        int            // candidates kept
	Deleted     int            // runs (or logs) deleted
	WouldDelete int            // DryRun: runs that would have been deleted
	AlreadyGone int            // runs (or logs) whose delete answered 404
	Failed      []PruneFailure // runs whose delete failed
	Requests    int            // API requests spent, listing and deleting, retries included
}

// PruneFailure is a run that Prune failed to delete.
type PruneFailure struct {
	RunID int64
	Err   error
}

// Prune deletes the runs that opts selects (see PruneOptions), in two
// phases: it lists every candidate first, then deletes the runs it does not
// keep, newest first, one request each (DeleteLogs with LogsOnly), paced by
// the client's WithWritePacing. Deleting while paging through the list would
// skip runs: each deletion shifts the pages after it. It never deletes a
// run that has not completed. With OlderThan and no KeepLatest, it lists
// only the runs old enough, with a created range added to opts.Filter. So a
// prune that deletes N of the M runs it lists costs ceil(M/100) list
// requests (more past GitHub's 1,000-result cap; see List) and N deletes.
//
// A delete that answers 404 counts as already gone. Another failure is
// reported in PruneReport.Failed and the prune goes on, but for those that
// every other delete would meet too: 401, 403 and a rate limit that the
// client could not wait out (RetryPolicy.MaxRateLimitWait) end the prune
// with that error, as GitHub asks of a client that meets them. A failure to
// list ends it before any delete. When ctx ends, Prune stops and returns the
// report so far with ctx's error; a delete under way then may or may not
// have happened, and is not counted. Running the same prune again finishes
// the job.
//
// The report is never nil. Bad options return an error wrapping
// ErrInvalidArgument, and nothing is sent.
func (s *RunsService) Prune(ctx context.Context, owner, repo string, opts PruneOptions) (*PruneReport, error) {
	report := &PruneReport{}
	switch {
	case opts.OlderThan < 0:
		return report, fmt.Errorf("%w: OlderThan %v: must not be negative", ErrInvalidArgument, opts.OlderThan)
	case opts.KeepLatest < 0:
		return report, fmt.Errorf("%w: KeepLatest %d: must not be negative", ErrInvalidArgument, opts.KeepLatest)
	}
	filter := opts.Filter
	if _, err := s.listRequest(owner, repo, &filter, maxPerPage); err != nil {
		return report, err
	}
	if ctx == nil {
		return report, fmt.Errorf("%w: nil context", ErrInvalidArgument)
	}
	var cutoff time.Time
	if opts.OlderThan > 0 {
		cutoff = s.client.clock.Now().Add(-opts.OlderThan)
		if opts.KeepLatest == 0 {
			var ok bool
			if filter.Created, ok = olderRange(filter.Created, cutoff); !ok {
				return report, nil // no run can be old enough
			}
		}
	}
	ctx, requests := countRequests(ctx)
	defer func() { report.Requests = int(requests.Load()) }()
	tell := func(run *WorkflowRun, action PruneAction, err error) {
		if opts.OnRun != nil {
			opts.OnRun(run, action, err)
		}
	}

	var doomed []*WorkflowRun
	kept := map[int64]int{} // completed runs kept by KeepLatest, per workflow
	for run, err := range s.List(ctx, owner, repo, &filter) {
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return report, ctxErr
			}
			return report, err
		}
		report.Listed++
		run = slimRun(run)
		switch {
		case run.Status != StatusCompleted:
		case kept[run.WorkflowID] < opts.KeepLatest:
			kept[run.WorkflowID]++
		case !cutoff.IsZero() && !run.CreatedAt.Before(cutoff):
		default:
			doomed = append(doomed, run)
			continue
		}
		report.Kept++
		tell(run, PruneKept, nil)
	}

	if opts.OnListed != nil {
		opts.OnListed(report.Listed, len(doomed))
	}
	for i, run := range doomed {
		doomed[i] = nil // let go of what is done
		if err := ctx.Err(); err != nil {
			return report, err
		}
		if opts.DryRun {
			report.WouldDelete++
			tell(run, PruneWouldDelete, nil)
			continue
		}
		var err error
		if opts.LogsOnly {
			_, err = s.DeleteLogs(ctx, owner, repo, run.ID)
		} else {
			_, err = s.Delete(ctx, owner, repo, run.ID)
		}
		switch {
		case err == nil:
			report.Deleted++
			tell(run, PruneDeleted, nil)
		case errors.Is(err, ErrNotFound):
			report.AlreadyGone++
			tell(run, PruneAlreadyGone, nil)
		case ctx.Err() != nil:
			return report, ctx.Err()
		default:
			report.Failed = append(report.Failed, PruneFailure{RunID: run.ID, Err: err})
			tell(run, PruneFailed, err)
			if errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrRateLimited) {
				return report, err
			}
		}
	}
	return report, nil
}

// olderRange narrows a created range to the runs created before cutoff, to
// the second: the list then holds the candidates old enough and a few of
// the cutoff's own second, which Prune checks exactly. It reports false when
// no run can match.
func olderRange(created string, cutoff time.Time) (string, bool) {
	var r searchdate.Range
	if created != "" {
		r, _ = searchdate.Parse(created) // checked by listRequest
	}
	r = r.Through(cutoff.Truncate(time.Second))
	if r.Empty() {
		return "", false
	}
	s := r.String()
	return s, s != ""
}

// slimRun keeps the fields of a run that a prune reports, and none of its
// nested objects.
func slimRun(r *WorkflowRun) *WorkflowRun {
	return &WorkflowRun{
		ID:           r.ID,
		Name:         r.Name,
		WorkflowID:   r.WorkflowID,
		HeadBranch:   r.HeadBranch,
		HeadSHA:      r.HeadSHA,
		Path:         r.Path,
		DisplayTitle: r.DisplayTitle,
		RunNumber:    r.RunNumber,
		RunAttempt:   r.RunAttempt,
		Event:        r.Event,
		Status:       r.Status,
		Conclusion:   r.Conclusion,
		URL:          r.URL,
		HTMLURL:      r.HTMLURL,
		CreatedAt:    r.CreatedAt,
		UpdatedAt:    r.UpdatedAt,
		RunStartedAt: r.RunStartedAt,
	}
}

// requestCountKey keys, in a context, the count of the requests sent under
// it.
type requestCountKey struct{}

// countRequests returns a context under which every try of every request is
// counted, and the count.
func countRequests(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, requestCountKey{}, n), n
}

// countTry counts a try of a request sent under ctx, when something counts
// them.
func countTry(ctx context.Context) {
	if n, ok := ctx.Value(requestCountKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
