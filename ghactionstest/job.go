package ghactionstest

import (
	"slices"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// Job is a job of a workflow run, as AddRun takes it. The server keeps the
// jobs of every attempt: they make the run's log archive, its usage and the
// answers of the jobs endpoints, where its steps are numbered from 1 in
// order, as in the archive.
// AddRun fills in the zero fields:
//
//   - ID: a new job ID.
//   - Name: "job N", N counting from 1.
//   - RunnerOS: "UBUNTU"; it is the key of the job's time in the usage
//     ("UBUNTU", "MACOS", "WINDOWS").
//   - Status: the run's status; Conclusion, for a completed job: the run's
//     conclusion, or success when the run has none.
//   - StartedAt: the start of the run's attempt, for a job in progress or
//     completed (not skipped). CompletedAt, for a completed job: 30 seconds
//     per step after StartedAt.
//   - Steps: "Set up job" and "Complete job".
//
// A job of a run that awaits a maintainer's approval (conclusion
// action_required) has not started: its status is queued until the run is
// approved.
//
// Needs and Environment say what a workflow's jobs.<id>.needs and
// jobs.<id>.environment say, for re-runs and deployment reviews. Needs names
// other jobs of the run: re-running a job re-runs the jobs that need it,
// directly or not. A job that waits (status waiting) to deploy to an
// environment with protection rules (see Server.AddEnvironment) is a
// pending deployment of its run. An environment the repository does not
// have yet is created without protection rules, as GitHub creates the
// environments that workflows name.
type Job struct {
	ID          int64
	Name        string
	RunnerOS    string
	Status      ghactions.Status
	Conclusion  ghactions.Conclusion
	StartedAt   time.Time
	CompletedAt time.Time
	Steps       []Step
	Needs       []string // names of the jobs of the run it needs
	Environment string   // the name of the environment it deploys to

	// attempt is the number of the attempt that ran it. A re-run of some
	// jobs keeps the others' results: the new attempt shares those jobs with
	// the one before, and leaves them out of its logs and of the usage.
	attempt int
	live    liveJob // how it runs in live mode (WithLive)
}

// Step is a step of a Job. Its log lines are written to the job's log and to
// the step's own file in the log archive, each after a timestamp, as GitHub
// writes them.
type Step struct {
	Name       string
	Conclusion ghactions.Conclusion // "" means success; a failure, timeout or cancellation ends the step's log with GitHub's error line
	Log        []string             // the step's output, one line each, without timestamps
}

// stepTime is how long a step takes when nothing says otherwise.
const stepTime = 30 * time.Second

// ran reports whether the job ran, so that it has a log and billable time:
// jobs that were skipped, or never left the queue, have neither.
func (j *Job) ran() bool {
	return !j.StartedAt.IsZero() && j.Conclusion != ghactions.ConclusionSkipped
}

// duration is the job's run time, up to now for a job still running.
func (j *Job) duration(now time.Time) time.Duration {
	if !j.ran() {
		return 0
	}
	end := j.CompletedAt
	if end.IsZero() {
		end = now
	}
	return max(end.Sub(j.StartedAt), 0)
}

// again is the job as another attempt runs it: the same name, runner,
// steps, needs and environment, nothing of how it went.
func (j *Job) again() Job {
	next := Job{Name: j.Name, RunnerOS: j.RunnerOS, Steps: j.Steps, Needs: j.Needs, Environment: j.Environment}.clone()
	for i := range next.Steps {
		next.Steps[i].Conclusion = ""
	}
	return next
}

// clone copies j deeply, so that the state shares nothing with its caller.
func (j Job) clone() Job {
	j.Needs = slices.Clone(j.Needs)
	j.Steps = slices.Clone(j.Steps)
	for i := range j.Steps {
		j.Steps[i].Log = slices.Clone(j.Steps[i].Log)
	}
	return j
}

// markDependents marks, in marked, the jobs that need a marked job, directly
// or not.
func markDependents(jobs []*Job, marked []bool) {
	for changed := true; changed; {
		changed = false
		for i, j := range jobs {
			if marked[i] {
				continue
			}
			for k, other := range jobs {
				if marked[k] && slices.Contains(j.Needs, other.Name) {
					marked[i], changed = true, true
					break
				}
			}
		}
	}
}
