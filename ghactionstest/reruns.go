package ghactionstest

import (
	"net/http"
	"strconv"

	"github.com/seed42f0b14b/ghactions"
)

// rerunFailedJobs answers POST .../rerun-failed-jobs: a completed run starts
// a new attempt that re-runs its failed, cancelled and timed-out jobs and
// the jobs that need them, and keeps the other jobs' results. A run that has
// not completed answers 403, as Rerun does; so does one created more than 30
// days ago, and one with no failed job, which GitHub answers as it answers
// a run that has no job at all.
func (s *Server) rerunFailedJobs(r *http.Request) *answer {
	debug, bad := readRerunBody(r)
	if bad != nil {
		return bad
	}
	return s.withRun(r, func(run *runState) *answer {
		if bad := s.refuseRerun(run, "This workflow is already running", "retry"); bad != nil {
			return bad
		}
		jobs := run.latest().jobs
		again := make([]bool, len(jobs))
		some := false
		for i, j := range jobs {
			again[i] = failedJob(j)
			some = some || again[i]
		}
		if !some {
			return errorAnswer(http.StatusForbidden, "This workflow run cannot be retried")
		}
		markDependents(jobs, again)
		s.state.newAttempt(run, debug, again)
		return emptyObject(http.StatusCreated)
	})
}

// rerunJob answers POST .../actions/jobs/{job}/rerun: the job's run starts a
// new attempt that re-runs the job and the jobs that need it, and keeps the
// other jobs' results. A job of an earlier attempt stands for its place in
// the latest one. An unknown job answers 404; a run that has not completed
// answers 403, and so does one created more than 30 days ago. The debugger
// a re-run may ask for changes nothing in a fake.
func (s *Server) rerunJob(r *http.Request) *answer {
	debug, bad := readRerunBody(r, "enable_debugger")
	if bad != nil {
		return bad
	}
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	run, i := st.job(r.PathValue("owner"), r.PathValue("repo"), r.PathValue("job"))
	if run == nil {
		return notFound()
	}
	if bad := s.refuseRerun(run, "The workflow run containing this job is already running", "retry"); bad != nil {
		return bad
	}
	jobs := run.latest().jobs
	again := make([]bool, len(jobs))
	again[i] = true
	markDependents(jobs, again)
	st.newAttempt(run, debug, again)
	return emptyObject(http.StatusCreated)
}

// refuseRerun answers GitHub's 403 to a re-run of run, or nil when it may
// re-run: running is the message for a run that has not completed, and verb
// names the re-run in the message for a run past the 30 days (GitHub says
// "re-run" for a whole run and "retry" for some of its jobs).
func (s *Server) refuseRerun(run *runState, running, verb string) *answer {
	if run.latest().status != ghactions.StatusCompleted {
		return errorAnswer(http.StatusForbidden, running)
	}
	if s.state.nowSecond().Sub(run.run.CreatedAt) > rerunWindow {
		return errorAnswer(http.StatusForbidden, "Unable to "+verb+" this workflow run because it was created over a month ago")
	}
	return nil
}

// readRerunBody reads the optional body of a re-run: enable_debug_logging,
// and the other booleans the endpoint takes, which the fake checks but
// ignores.
func readRerunBody(r *http.Request, others ...string) (debug bool, bad *answer) {
	b, bad := readBody(r)
	if bad != nil {
		return false, bad
	}
	debug = b.boolean("enable_debug_logging")
	for _, name := range others {
		b.boolean(name)
	}
	return debug, b.invalid()
}

// failedJob reports whether "Re-run failed jobs" re-runs j.
func failedJob(j *Job) bool {
	switch j.Conclusion {
	case ghactions.ConclusionFailure, ghactions.ConclusionCancelled, ghactions.ConclusionTimedOut:
		return true
	}
	return false
}

// job finds a job of a repository by the text of its ID: its run, and its
// place among the jobs of the run's attempts, which is the same in each. A
// job of a deleted run, or of another repository, is not found. The caller
// holds st.mu.
func (st *state) job(owner, name, idText string) (*runState, int) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil, 0
	}
	run := st.jobRuns[id]
	if run == nil || run.repo != st.repo(owner, name) {
		return nil, 0
	}
	for _, a := range run.attempts {
		for i, j := range a.jobs {
			if j.ID == id {
				return run, i
			}
		}
	}
	return nil, 0
}
