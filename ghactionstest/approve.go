package ghactionstest

import (
	"net/http"

	"github.com/seed42f0b14b/ghactions"
)

// approve answers POST .../approve: a run from a fork's pull request that
// waits for a maintainer's approval (completed, with conclusion
// action_required, as GitHub shows it) is queued, and its jobs may run. Any
// other run answers GitHub's 403; GitHub also approves runs that its Actions
// bot queued, which a fake does not make.
func (s *Server) approve(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		a := run.latest()
		fork := run.run.HeadRepository != nil && run.run.HeadRepository.ID != run.run.Repository.ID
		if a.status != ghactions.StatusCompleted || a.conclusion != ghactions.ConclusionActionRequired || !fork {
			return errorAnswer(http.StatusForbidden, "This run is not from a fork pull request or queued by the Actions bot")
		}
		now := s.state.nowSecond()
		a.status, a.conclusion, a.startedAt, a.updatedAt = ghactions.StatusQueued, "", now, now
		return emptyObject(http.StatusCreated)
	})
}
