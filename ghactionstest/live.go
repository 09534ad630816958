package ghactionstest

import (
	"slices"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// WithLive makes the server live: the runs that have not completed move on
// by themselves on the server's clock (see WithClock and WithSharedClock),
// as on GitHub. step is how long each step of a job takes, and how long a
// job waits for a runner once it may start. The server works out where
// each run is from the clock when it answers a request (and in AddRun,
// UpdateRun, CompleteRun and SeedDemo); nothing runs in the background, so
// that a virtual clock drives the runs exactly.
//
// The latest attempt of each run goes through its jobs, in the order their
// Needs allow: a job starts step after its attempt was queued (or was first
// seen live) and the jobs it needs have completed, then runs its steps, one
// step each. A job that needs a job that did not succeed is skipped. A job
// concludes as its Conclusion says when it is set, else as its first step
// with a Conclusion, else with success. The run follows: in_progress once
// a job of the attempt has started, waiting while a job waits for a review,
// completed once every job has, with failure when a job failed or timed out,
// cancelled when one was cancelled, success otherwise; updated_at is the
// time of its last change. A run with no jobs completes step after it may
// start.
//
// What waits for people waits: a run from a fork stays action_required until
// it is approved, and a job that deploys to an environment whose rules hold
// it waits (its run waiting) until it is reviewed; then they go on. A wait
// timer holds nothing.
//
// What AddRun and SeedDemo give is where a run stands when they add it; it
// moves on from then: a job in progress is on the step its StartedAt gives
// (at 30 seconds a step, as AddRun counts), which ends step after it was
// added.
//
// A run's logs are there once it has completed, as on GitHub; they hold
// what ran: a run cancelled midway has the logs of the steps that had
// started, the last one ending with the runner's cancellation line.
//
// Without WithLive, a run moves only when a request (cancel, re-run,
// review...) or UpdateRun and CompleteRun move it. NewServer panics on a
// step that is not positive.
func WithLive(step time.Duration) Option {
	return func(c *config) {
		if step <= 0 {
			panic("ghactionstest: live step must be positive")
		}
		c.live = step
	}
}

// liveAttempt is live mode's record of an attempt.
type liveAttempt struct {
	seen time.Time // when live mode first saw it not completed: it moves on from then
}

// liveJob is live mode's record of a job. Times are exact; the job's own
// fields have GitHub's whole seconds.
type liveJob struct {
	held     bool        // it waits, or waited, for its deployment to be let through
	released time.Time   // when its deployment was let through
	starts   []time.Time // when each step starts; nil until it runs in live mode
	end      time.Time   // when its last step ends
	done     bool        // live mode completed it, at end
}

// moveOn brings the runs up to the server's clock in live mode, taking the
// state's lock.
func (st *state) moveOn() {
	if st.live == 0 {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance()
}

// advance brings the latest attempt of every run that has not completed up
// to the server's clock in live mode. Runs move independently of one
// another, so the order they are visited in does not matter. The caller
// holds st.mu.
func (st *state) advance() {
	if st.live == 0 {
		return
	}
	now := st.now()
	for _, r := range st.runs {
		if a := r.latest(); a.status != ghactions.StatusCompleted {
			st.advanceAttempt(r, a, now)
		}
	}
}

func (st *state) advanceAttempt(r *runState, a *attemptState, now time.Time) {
	if a.live.seen.IsZero() {
		a.live.seen = now
	}
	from := later(a.startedAt, a.live.seen)
	// A job that completes may let others start: go round until nothing
	// moves. Each job only goes forward, so this ends.
	for moved := true; moved; {
		moved = false
		for _, j := range a.jobs {
			if j.Status != ghactions.StatusCompleted && st.advanceJob(r, a, j, from, now) {
				moved = true
			}
		}
	}
	a.follow(from.Add(st.live), now)
}

// advanceJob moves j, a job of attempt a of run r that has not completed,
// up to now, and reports whether it changed.
func (st *state) advanceJob(r *runState, a *attemptState, j *Job, from, now time.Time) bool {
	if j.Status == ghactions.StatusInProgress && j.live.starts == nil {
		j.resume(now, st.live)
	}
	changed := false
	if j.live.starts == nil {
		at, ready, skip := a.readyAt(j, from)
		switch {
		case !ready:
			return false
		case skip || j.Conclusion == ghactions.ConclusionSkipped:
			j.Status, j.Conclusion, j.CompletedAt = ghactions.StatusCompleted, ghactions.ConclusionSkipped, at.Truncate(time.Second)
			j.live.end, j.live.done = at, true
			a.touch(at)
			return true
		}
		if e := r.repo.environment(j.Environment); e != nil && a.holds(e) {
			if j.Status == ghactions.StatusWaiting {
				j.live.held = true
				return false
			}
			j.Status, j.live.held = ghactions.StatusWaiting, true
			a.touch(at)
			return true
		}
		if j.live.held || j.Status == ghactions.StatusWaiting {
			// The review that let it through was the request just served.
			j.Status, j.live.held, j.live.released = ghactions.StatusQueued, false, now
			changed = true
		}
		start := later(at, j.live.released).Add(st.live)
		if start.After(now) {
			return changed
		}
		j.begin(start, st.live)
		a.touch(start)
		changed = true
	}
	if j.live.end.After(now) {
		return changed
	}
	j.Status, j.Conclusion, j.CompletedAt = ghactions.StatusCompleted, j.outcome(), j.live.end.Truncate(time.Second)
	j.live.done = true
	a.touch(j.live.end)
	return true
}

// readyAt tells when j may start: from, or when the last job it needs
// completed. ready is false while one of them has not completed; skip is
// true when one did not succeed.
func (a *attemptState) readyAt(j *Job, from time.Time) (at time.Time, ready, skip bool) {
	at = from
	for _, k := range a.jobs {
		if k == j || !slices.Contains(j.Needs, k.Name) {
			continue
		}
		if k.Status != ghactions.StatusCompleted {
			return at, false, false
		}
		at = later(at, k.finished())
		skip = skip || k.Conclusion != ghactions.ConclusionSuccess
	}
	return at, true, skip
}

// follow sets the attempt's status from its jobs. A status that no job
// explains yet (queued, requested, pending) stays until a job starts;
// emptyEnd is when an attempt without jobs completes.
func (a *attemptState) follow(emptyEnd, now time.Time) {
	if len(a.jobs) == 0 {
		if !emptyEnd.After(now) {
			a.status, a.conclusion = ghactions.StatusCompleted, ghactions.ConclusionSuccess
			a.touch(emptyEnd)
		}
		return
	}
	done, waiting, started := true, false, false
	for _, j := range a.jobs {
		switch j.Status {
		case ghactions.StatusCompleted:
		case ghactions.StatusWaiting:
			done, waiting = false, true
		default:
			done = false
		}
		started = started || j.attempt == a.number && !j.StartedAt.IsZero()
	}
	switch {
	case done:
		a.status, a.conclusion = ghactions.StatusCompleted, conclusionOf(a.jobs)
	case waiting:
		a.status = ghactions.StatusWaiting
	case started:
		a.status = ghactions.StatusInProgress
	}
}

// touch records a change of the attempt at t.
func (a *attemptState) touch(t time.Time) {
	a.updatedAt = later(a.updatedAt, t.Truncate(time.Second))
}

// conclusionOf is the conclusion of a run whose jobs have all completed.
func conclusionOf(jobs []*Job) ghactions.Conclusion {
	c := ghactions.ConclusionSuccess
	for _, j := range jobs {
		switch j.Conclusion {
		case ghactions.ConclusionFailure, ghactions.ConclusionTimedOut:
			return ghactions.ConclusionFailure
		case ghactions.ConclusionCancelled:
			c = ghactions.ConclusionCancelled
		}
	}
	return c
}

// begin starts j at start: its steps follow one another, step apart.
func (j *Job) begin(start time.Time, step time.Duration) {
	j.live.starts = make([]time.Time, len(j.Steps))
	for i := range j.live.starts {
		j.live.starts[i] = start.Add(time.Duration(i) * step)
	}
	j.live.end = start.Add(time.Duration(max(len(j.Steps), 1)) * step)
	j.Status, j.StartedAt = ghactions.StatusInProgress, start.Truncate(time.Second)
}

// resume plans the rest of j, in progress when live mode first saw it at
// now: it is on the step its StartedAt gives at AddRun's pace, which ends
// step after now, and the steps after it follow, step apart.
func (j *Job) resume(now time.Time, step time.Duration) {
	if j.StartedAt.IsZero() {
		j.StartedAt = now.Truncate(time.Second)
	}
	n := len(j.Steps)
	k := 0
	if n > 0 {
		k = min(max(int(now.Sub(j.StartedAt)/stepTime), 0), n-1)
	}
	j.live.starts = make([]time.Time, n)
	for i := range n {
		if i <= k {
			j.live.starts[i] = j.StartedAt.Add(time.Duration(i) * stepTime)
		} else {
			j.live.starts[i] = now.Add(time.Duration(i-k) * step)
		}
	}
	j.live.end = now.Add(time.Duration(max(n-k, 1)) * step)
}

// outcome is how j concludes when it runs to its end: as its Conclusion
// says, else as its first step that did not succeed, else with success.
func (j *Job) outcome() ghactions.Conclusion {
	if j.Conclusion != "" {
		return j.Conclusion
	}
	for _, s := range j.Steps {
		if s.Conclusion != "" && s.Conclusion != ghactions.ConclusionSuccess {
			return s.Conclusion
		}
	}
	return ghactions.ConclusionSuccess
}

// finished is when a completed job finished: exactly, when live mode
// completed it.
func (j *Job) finished() time.Time {
	if j.live.done {
		return j.live.end
	}
	return j.CompletedAt
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
