package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// mark is the sign of a job's or a step's state, as GitHub's CLI shows it:
// ✓ succeeded, X failed, - skipped, cancelled or neutral, * not done yet.
func mark(status ghactions.Status, c ghactions.Conclusion) string {
	if status != ghactions.StatusCompleted {
		return "*"
	}
	switch c {
	case ghactions.ConclusionSuccess:
		return "✓"
	case ghactions.ConclusionSkipped, ghactions.ConclusionCancelled, ghactions.ConclusionNeutral:
		return "-"
	}
	return "X"
}

// failedState reports whether a job or step with conclusion c failed, as
// RunsService.FailedSteps counts failures.
func failedState(c ghactions.Conclusion) bool {
	return c == ghactions.ConclusionFailure || c == ghactions.ConclusionTimedOut || c == ghactions.ConclusionStartupFailure
}

// stateOf is a job's or step's conclusion once it has one, its status
// before.
func stateOf(status ghactions.Status, c ghactions.Conclusion) string {
	if status == ghactions.StatusCompleted && c != "" {
		return string(c)
	}
	return string(status)
}

// took says how long a job or step with status that started at start took,
// up to now when it has not completed; "" when it has not started (the API
// gives a queued job the time it was queued as its start).
func took(now time.Time, status ghactions.Status, start, end time.Time) string {
	if start.IsZero() || status != ghactions.StatusInProgress && status != ghactions.StatusCompleted {
		return ""
	}
	if end.IsZero() {
		end = now
	}
	return max(end.Sub(start), 0).Round(time.Second).String()
}

// listJobs lists the jobs of a run, or of one of its attempts.
func (a *app) listJobs(runID int64, attempt int) ([]*ghactions.Job, error) {
	jobs := []*ghactions.Job{}
	for job, err := range a.client.Jobs.List(a.ctx, a.owner, a.repo, runID, &ghactions.JobListOptions{Attempt: attempt}) {
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, job)
	}
	return jobs, nil
}

// printJobs lists jobs with their state and time at now; the steps of those
// that failed, or of every job when all is set, below them.
func printJobs(w io.Writer, now time.Time, jobs []*ghactions.Job, all bool) error {
	t := newTable(w)
	for _, j := range jobs {
		t.row(mark(j.Status, j.Conclusion), j.Name, stateOf(j.Status, j.Conclusion), took(now, j.Status, j.StartedAt, j.CompletedAt), "ID "+strconv.FormatInt(j.ID, 10))
		if all || failedState(j.Conclusion) {
			for _, s := range j.Steps {
				t.row("", "  "+mark(s.Status, s.Conclusion)+" "+s.Name, stateOf(s.Status, s.Conclusion), took(now, s.Status, s.StartedAt, s.CompletedAt), "step "+strconv.Itoa(s.Number))
			}
		}
	}
	return t.flush()
}

// printJob shows one job and its steps, with their times at now.
func printJob(w io.Writer, now time.Time, j *ghactions.Job) error {
	t := newTable(w)
	t.row("Job:", fmt.Sprintf("%d (run %d, attempt %d)", j.ID, j.RunID, j.RunAttempt))
	t.row("Name:", j.Name)
	t.row("Status:", mark(j.Status, j.Conclusion)+" "+stateOf(j.Status, j.Conclusion))
	t.row("Workflow:", j.WorkflowName)
	t.row("Branch:", j.HeadBranch)
	t.row("Commit:", shortSHA(j.HeadSHA))
	if j.RunnerName != "" {
		t.row("Runner:", j.RunnerName+" ("+strings.Join(j.Labels, ", ")+")")
	}
	if j.Status == ghactions.StatusInProgress || j.Status == ghactions.StatusCompleted {
		t.row("Started:", stamp(j.StartedAt))
	}
	if !j.CompletedAt.IsZero() {
		t.row("Completed:", stamp(j.CompletedAt))
	}
	t.row("Duration:", took(now, j.Status, j.StartedAt, j.CompletedAt))
	t.row("URL:", j.HTMLURL)
	if err := t.flush(); err != nil {
		return err
	}
	if len(j.Steps) == 0 {
		_, err := fmt.Fprintln(w, "\nno steps (yet)")
		return err
	}
	fmt.Fprintln(w, "\nSTEPS")
	t = newTable(w)
	for _, s := range j.Steps {
		t.row(mark(s.Status, s.Conclusion), strconv.Itoa(s.Number), s.Name, stateOf(s.Status, s.Conclusion), took(now, s.Status, s.StartedAt, s.CompletedAt))
	}
	return t.flush()
}

// findJob finds a job by its ID, or, in a run's latest attempt, by its ID
// or its name. A name that several jobs share, or that none has, is bad
// usage, with the candidates.
func (a *app) findJob(nameOrID string, runID int64) (*ghactions.Job, error) {
	id, err := strconv.ParseInt(nameOrID, 10, 64)
	isID := err == nil && id > 0
	if runID == 0 {
		if !isID {
			return nil, usagef("-job %q is a job name: give the RUN_ID to find it in", nameOrID)
		}
		job, _, err := a.client.Jobs.Get(a.ctx, a.owner, a.repo, id)
		return job, err
	}
	jobs, err := a.listJobs(runID, 0)
	if err != nil {
		return nil, err
	}
	var named []*ghactions.Job
	for _, j := range jobs {
		if isID && j.ID == id {
			return j, nil
		}
		if j.Name == nameOrID {
			named = append(named, j)
		}
	}
	switch len(named) {
	case 1:
		return named[0], nil
	case 0:
		return nil, usagef("run %d has no job %q; its jobs are:\n%s", runID, nameOrID, candidates(jobs))
	}
	return nil, usagef("%d jobs of run %d are named %q; give one's ID:\n%s", len(named), runID, nameOrID, candidates(named))
}

// candidates lists jobs, one a line, with their IDs, for a usage message.
func candidates(jobs []*ghactions.Job) string {
	var b strings.Builder
	for _, j := range jobs {
		fmt.Fprintf(&b, "  %d\t%s\n", j.ID, j.Name)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// optionalRunID reads the RUN_ID that may follow a command's flags: 0 when
// there is none.
func optionalRunID(args []string) (int64, error) {
	switch len(args) {
	case 0:
		return 0, nil
	case 1:
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return 0, usagef("RUN_ID %q is not a run ID", args[0])
		}
		return id, nil
	}
	return 0, usagef("want at most one RUN_ID, got %d arguments", len(args))
}

// rerunJob re-runs one job, found by its ID or by its name in the run
// that args give.
func (a *app) rerunJob(nameOrID string, args []string, failed, debug bool) error {
	if failed {
		return usagef("-job re-runs one job: leave out -failed")
	}
	runID, err := optionalRunID(args)
	if err != nil {
		return err
	}
	job, err := a.findJobToRerun(nameOrID, runID)
	if err != nil {
		return err
	}
	if _, err := a.client.Runs.RerunJob(a.ctx, a.owner, a.repo, job.ID, &ghactions.RerunJobOptions{EnableDebugLogging: debug}); err != nil {
		return err
	}
	msg := fmt.Sprintf("Requested a re-run of job %d", job.ID)
	if job.Name != "" {
		msg += " (" + job.Name + ")"
	}
	return a.done(msg, job.ID)
}

// findJobToRerun is findJob without a request for a job given by its ID
// alone: the re-run's answer says whether it exists.
func (a *app) findJobToRerun(nameOrID string, runID int64) (*ghactions.Job, error) {
	if id, err := strconv.ParseInt(nameOrID, 10, 64); err == nil && runID == 0 {
		if id <= 0 {
			return nil, usagef("-job %d is not a job ID", id)
		}
		return &ghactions.Job{ID: id}, nil
	}
	return a.findJob(nameOrID, runID)
}

// printFailedSteps prints the logs of the failed steps of a run (or of an
// attempt), each line after its job and step, tab-separated, as logs
// prints every step's; a failed job without a failed step has its whole
// log, after "-" for the step.
func (a *app) printFailedSteps(runID int64, attempt int) error {
	failed, err := a.client.Runs.FailedSteps(a.ctx, a.owner, a.repo, runID, &ghactions.FailedStepsOptions{Attempt: attempt})
	if err != nil {
		return err
	}
	defer failed.Close()
	if len(failed.Steps) == 0 {
		fmt.Fprintf(a.stderr, "run %d has no failed step\n", runID)
		return nil
	}
	bw := bufio.NewWriter(a.stdout)
	for _, s := range failed.Steps {
		step := s.Name()
		if s.Step == nil {
			step = "-"
		}
		if err := prefixLines(bw, s.Job.Name+"\t"+step+"\t", func() (io.ReadCloser, error) { return s.Open(a.ctx) }); err != nil {
			return err
		}
	}
	return bw.Flush()
}
