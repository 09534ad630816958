package ghactionstest

import (
	"net/http"
	"strconv"
)

// getRun answers GET .../runs/{run}: the run at its latest attempt, or
// the one before right after a re-run (WithStaleAfterRerun).
func (s *Server) getRun(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		return jsonAnswer(http.StatusOK, toAPIRun(run.view(run.shown(), excludePullRequests(r))))
	})
}

// getAttempt answers GET .../runs/{run}/attempts/{attempt}.
func (s *Server) getAttempt(r *http.Request) *answer {
	return s.withAttempt(r, func(run *runState, a *attemptState) *answer {
		return jsonAnswer(http.StatusOK, toAPIRun(run.view(a, excludePullRequests(r))))
	})
}

// deleteRun answers DELETE .../runs/{run}: the run is gone, with its
// attempts, jobs and logs.
func (s *Server) deleteRun(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		s.state.deleteRun(run)
		return noContent()
	})
}

func excludePullRequests(r *http.Request) bool {
	return boolParam(r.URL.Query().Get("exclude_pull_requests"))
}

// boolParam reads a boolean parameter. GitHub takes anything but a true value
// as false.
func boolParam(v string) bool {
	b, _ := strconv.ParseBool(v)
	return b
}
