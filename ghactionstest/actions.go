package ghactionstest

import (
	"net/http"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// rerunWindow is how long after its creation a run may be re-run.
const rerunWindow = 30 * 24 * time.Hour

// cancel answers POST .../cancel and .../force-cancel. A run that has not
// completed is cancelled at once, with the jobs that had not completed
// (GitHub takes a moment; a fake need not); a completed run answers 409.
// Force-cancelling differs only in skipping always() conditions, which a
// fake does not run.
func (s *Server) cancel(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		a := run.latest()
		if a.status == ghactions.StatusCompleted {
			return errorAnswer(http.StatusConflict, "Cannot cancel a workflow run that is completed.")
		}
		now := s.state.nowSecond()
		a.status, a.conclusion, a.updatedAt = ghactions.StatusCompleted, ghactions.ConclusionCancelled, now
		for _, j := range a.jobs {
			if j.Status != ghactions.StatusCompleted {
				j.Status, j.Conclusion, j.CompletedAt = ghactions.StatusCompleted, ghactions.ConclusionCancelled, now
			}
		}
		return emptyObject(http.StatusAccepted)
	})
}

// rerun answers POST .../rerun: a completed run starts a new attempt, queued,
// with the jobs of the last one; a run that has not completed answers 403,
// and so does one created more than 30 days ago.
func (s *Server) rerun(r *http.Request) *answer {
	debug, bad := readRerunBody(r)
	if bad != nil {
		return bad
	}
	return s.withRun(r, func(run *runState) *answer {
		if bad := s.refuseRerun(run, "This workflow is already running", "re-run"); bad != nil {
			return bad
		}
		s.state.newAttempt(run, debug, nil)
		return emptyObject(http.StatusCreated)
	})
}

// newAttempt starts the next attempt of run, queued now by the token's
// holder: fresh copies of the jobs of the last attempt that again marks, or
// of every job when again is nil; the other jobs keep their results, shared
// with the last attempt, as GitHub keeps them when it re-runs some jobs.
func (st *state) newAttempt(run *runState, debug bool, again []bool) {
	prev := run.latest()
	now := st.nowSecond()
	a := &attemptState{
		number:          prev.number + 1,
		status:          ghactions.StatusQueued,
		startedAt:       now,
		updatedAt:       now,
		triggeringActor: st.user(viewerLogin, ""),
		debugLogging:    debug,
	}
	for i, j := range prev.jobs {
		if again != nil && !again[i] {
			a.jobs = append(a.jobs, j)
			continue
		}
		a.jobs = append(a.jobs, st.fillJob(run, j.again(), i, a))
	}
	run.attempts = append(run.attempts, a)
	run.staleGets = st.staleGets
}
