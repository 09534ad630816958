package ghactions

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// WaitOptions changes how Wait polls. A nil *WaitOptions means the defaults.
type WaitOptions struct {
	Interval time.Duration          // between polls; default 5s
	OnChange func(run *WorkflowRun) // called on the first answer and whenever status, conclusion or attempt changes
	// MinAttempt makes Wait return only a completed run whose run_attempt
	// is at least this; it polls on past an older attempt, completed or
	// not. After Rerun, RerunFailedJobs or RerunJob of attempt n, pass n+1:
	// right after a re-run, GitHub may still show the attempt before it,
	// completed, for a moment. 0 takes any attempt.
	MinAttempt int
	// OnPoll, when set, is called with every answer, before OnChange: the
	// run as it then is (the last one again when the poll was answered 304
	// Not Modified). It lets a caller follow what the run's status does not
	// show, such as its jobs.
	OnPoll func(run *WorkflowRun)
}

const defaultWaitInterval = 5 * time.Second

// Wait polls a run until its status is completed, and returns it. Polls are
// conditional requests (If-None-Match with the last ETag), so that a poll
// answered 304 Not Modified spends none of the primary rate limit. Polls are
// opts.Interval apart, jittered by up to a tenth either way so that many
// waiters do not poll in step.
//
// Transient failures are retried by the client's RetryPolicy; a failure that
// remains ends the wait with its error, and a run that disappears ends it
// with an error matching ErrNotFound. When ctx ends, Wait returns at once
// with ctx's error. A negative Interval or MinAttempt fails with
// ErrInvalidArgument, and nothing is sent.
func (s *RunsService) Wait(ctx context.Context, owner, repo string, runID int64, opts *WaitOptions) (*WorkflowRun, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, err
	}
	var o WaitOptions
	if opts != nil {
		o = *opts
	}
	if o.Interval < 0 {
		return nil, fmt.Errorf("%w: wait interval %v: must not be negative", ErrInvalidArgument, o.Interval)
	}
	if o.MinAttempt < 0 {
		return nil, fmt.Errorf("%w: MinAttempt %d: must not be negative", ErrInvalidArgument, o.MinAttempt)
	}
	if o.Interval == 0 {
		o.Interval = defaultWaitInterval
	}
	p := &poller{s: s, path: runPath(owner, repo, runID)}
	var last *WorkflowRun
	for {
		run, err := p.poll(ctx)
		if err != nil {
			return nil, err
		}
		if o.OnPoll != nil {
			o.OnPoll(run)
		}
		if o.OnChange != nil && (last == nil || changed(last, run)) {
			o.OnChange(run)
		}
		last = run
		if run.Status == StatusCompleted && run.RunAttempt >= o.MinAttempt {
			return run, nil
		}
		if err := s.client.clock.Sleep(ctx, jitter(o.Interval)); err != nil {
			return nil, err
		}
	}
}

// poller keeps the last answer and its ETag between polls.
type poller struct {
	s    *RunsService
	path string
	etag string
	run  *WorkflowRun
}

// poll asks for the run, conditionally once it has an ETag. A 304 gives the
// run of the last 200 again.
func (p *poller) poll(ctx context.Context) (*WorkflowRun, error) {
	c := p.s.client
	r, err := c.newRequest(http.MethodGet, p.path, nil, nil)
	if err != nil {
		return nil, err
	}
	if p.etag != "" && p.run != nil {
		r.header = http.Header{"If-None-Match": {p.etag}}
	}
	run := new(WorkflowRun)
	r.decode = decodeInto(run)
	hr, x, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	defer hr.Body.Close()
	switch {
	case hr.StatusCode == http.StatusNotModified && p.run != nil:
		return p.run, nil
	case hr.StatusCode < 200 || hr.StatusCode > 299:
		return nil, x.fail(x.apiError(hr))
	}
	p.run, p.etag = run, hr.Header.Get("ETag")
	return run, nil
}

func changed(a, b *WorkflowRun) bool {
	return a.Status != b.Status || a.Conclusion != b.Conclusion || a.RunAttempt != b.RunAttempt
}

// jitter spreads d over [0.9d, 1.1d].
func jitter(d time.Duration) time.Duration {
	spread := d / 5
	if spread <= 0 {
		return d
	}
	return d - spread/2 + rand.N(spread+1)
}
