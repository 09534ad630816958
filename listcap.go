package ghactions

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/seed42f0b14b/ghactions/internal/searchdate"
)

// searchCap is how many runs GitHub returns at most for a list that uses a
// filter; the runs past it cannot be reached by paging.
const searchCap = 1000

// ErrListCap is the error List yields when it cannot reach every matching
// run: at least 1,000 of them were created in the same second, which no
// created range can split, so GitHub's 1,000-result cap hides the rest of
// that second's runs.
var ErrListCap = errors.New("ghactions: 1,000 matching runs or more were created in the same second; GitHub's 1,000-result cap hides the rest of them")

// capped reports whether GitHub caps the list at 1,000 results: it does when
// any filter but the workflow and exclude_pull_requests is used.
func (o *ListOptions) capped() bool {
	return o.Actor != "" || o.Branch != "" || o.CheckSuiteID != 0 || o.Created != "" ||
		o.Event != "" || o.HeadSHA != "" || o.Status != "" || o.Conclusion != ""
}

// listPastCap yields the runs of a capped list, newest first, in stretches:
// the first is the list r asks for; when a stretch has fetched 1,000 runs,
// the next is the same list with a created range cut at the second of the
// oldest run fetched, that second included, leaving out the runs of that
// second already yielded. Only the IDs of that one second are kept from a
// stretch to the next. A stretch whose runs all fall in the second it
// started from cannot be cut further: that ends the list with ErrListCap.
func (s *RunsService) listPastCap(ctx context.Context, owner, repo string, o ListOptions, r *request, yield func(*WorkflowRun, error) bool) {
	var created searchdate.Range
	if o.Created != "" {
		created, _ = searchdate.Parse(o.Created) // listRequest has checked it
	}
	perPage := o.PerPage
	if perPage == 0 {
		perPage = maxPerPage
	}
	var (
		boundary time.Time      // the second the stretch started from; zero for the first
		skip     map[int64]bool // the runs of that second already yielded
		fetched  = max(o.Page-1, 0) * perPage
	)
	for {
		var (
			found    bool      // a run
			oldest   time.Time // the second of the oldest run fetched
			atOldest = map[int64]bool{}
		)
		complete := walkPages(ctx, s.client, r, runsKey, func(run *WorkflowRun, err error) bool {
			if err != nil {
				return yield(nil, err)
			}
			fetched++
			sec := run.CreatedAt.Truncate(time.Second)
			switch {
			case !found || sec.Before(oldest):
				found, oldest = true, sec
				clear(atOldest)
				atOldest[run.ID] = true
			case sec.Equal(oldest):
				atOldest[run.ID] = true
			}
			if skip[run.ID] {
				return true
			}
			return yield(run, nil)
		})
		// A stretch that fetched no run (a caller's Page past the cap)
		// has nothing to narrow from: GitHub has no more to give.
		if !complete || fetched < searchCap || !found {
			return
		}
		if !boundary.IsZero() && !oldest.Before(boundary) {
			yield(nil, fmt.Errorf("%w (created %s)", ErrListCap, oldest.UTC().Format(time.RFC3339)))
			return
		}
		next := created.Through(oldest)
		if next.Empty() {
			return
		}
		o.Created, o.Page = next.String(), 0
		if o.Created == "" {
			yield(nil, fmt.Errorf("ghactions: listing runs created up to %s: the date cannot be written as a created range", oldest.UTC().Format(time.RFC3339)))
			return
		}
		var err error
		if r, err = s.listRequest(owner, repo, &o, maxPerPage); err != nil {
			yield(nil, err)
			return
		}
		boundary, skip, fetched = oldest, atOldest, 0
	}
}
