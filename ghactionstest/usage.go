package ghactionstest

import (
	"net/http"

	"github.com/seed42f0b14b/ghactions"
)

// usage answers GET .../runs/{run}/timing from the run's jobs: the time of
// each job that ran, per runner OS, over every attempt (GitHub counts the
// re-runs), unrounded, as the endpoint documents; and the duration of the
// latest attempt, so far for one in progress.
func (s *Server) usage(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		now := s.state.now()
		u := ghactions.RunUsage{Billable: map[string]ghactions.RunnerUsage{}}
		for _, a := range run.attempts {
			for _, j := range a.jobs {
				if !j.ran() || j.attempt != a.number {
					continue // not run, or kept from an earlier attempt: counted there
				}
				ms := j.duration(now).Milliseconds()
				b := u.Billable[j.RunnerOS]
				b.TotalMS += ms
				b.Jobs++
				b.JobRuns = append(b.JobRuns, ghactions.JobRunUsage{JobID: j.ID, DurationMS: ms})
				u.Billable[j.RunnerOS] = b
			}
		}
		switch a := run.latest(); a.status {
		case ghactions.StatusCompleted:
			u.RunDurationMS = a.updatedAt.Sub(a.startedAt).Milliseconds()
		case ghactions.StatusInProgress:
			u.RunDurationMS = now.Sub(a.startedAt).Milliseconds()
		}
		return jsonAnswer(http.StatusOK, u)
	})
}
