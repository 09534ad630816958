package ghactionstest

import (
	"fmt"

	"github.com/seed42f0b14b/ghactions"
)

// CompleteRun ends the latest attempt of a run now, as if its jobs had run:
// the jobs that had not completed start (if they had not) and complete with
// conclusion, every step run, and so does the attempt. Unless the server is
// live (WithLive), a fake run does not move on its own; this is how a test
// lets a run it queued or re-ran finish, and get logs. A run already
// completed is left as it is. It returns the run as the API shows it, and
// panics when there is no such run.
func (s *Server) CompleteRun(owner, repo string, runID int64, conclusion ghactions.Conclusion) *ghactions.WorkflowRun {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	st.advance()
	r := st.mustRun(owner, repo, runID)
	if a := r.latest(); a.status != ghactions.StatusCompleted {
		now := st.nowSecond()
		for _, j := range a.jobs {
			if j.Status == ghactions.StatusCompleted {
				continue
			}
			if j.StartedAt.IsZero() {
				j.StartedAt = a.startedAt
			}
			j.Status, j.Conclusion, j.CompletedAt = ghactions.StatusCompleted, conclusion, now
			j.live = liveJob{} // every step ran, in the job's time
		}
		a.status, a.conclusion, a.updatedAt = ghactions.StatusCompleted, conclusion, now
	}
	v := r.view(r.latest(), false)
	return copyRun(&v)
}

// mustRun finds a run for the server's methods, which panic when it is not
// there. The caller holds st.mu.
func (st *state) mustRun(owner, repo string, runID int64) *runState {
	r := st.runs[runID]
	if r == nil || r.repo != st.repo(owner, repo) {
		panic(fmt.Sprintf("ghactionstest: no run %d in %s/%s", runID, owner, repo))
	}
	return r
}
