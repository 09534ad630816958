package ghactions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
)

// FailedStepsOptions changes what FailedSteps looks at. A nil
// *FailedStepsOptions means the run's latest attempt.
type FailedStepsOptions struct {
	// Attempt, when not 0, looks at that attempt of the run (attempts count
	// from 1) instead of the latest.
	Attempt int
}

// FailedSteps is what failed in a run: its jobs, and the failed steps with
// their logs. Close it to remove the log archive it downloaded.
type FailedSteps struct {
	// Jobs holds every job of the run's latest attempt (or of the attempt
	// asked for), as the jobs API lists them: the jobs it ran, and those it
	// kept from an earlier attempt when only some jobs were re-run.
	Jobs []*Job

	// Steps holds the failed steps, in the order of Jobs, then of their
	// steps. A job failed when its conclusion is failure, timed_out or
	// startup_failure, as GitHub's CLI counts failures; a cancelled job did
	// not fail (someone or a concurrency group stopped it). A failed job's
	// failed steps are those that concluded failure, timed_out or
	// startup_failure; when it has none, those that were cancelled (the
	// step a job's timeout stopped); when it has none either (it failed
	// before its first step, or has no steps), the job itself is listed,
	// with a nil Step, and its log is the job's whole log.
	Steps []*FailedStep

	// Archive is the run's log archive, downloaded once for every step's log;
	// nil when no job failed or when the attempt has no archive (its logs
	// were deleted, or it has not completed).
	Archive *LogArchive
}

// FailedStep is one failed step of a run, with its job, and the way to its
// log.
type FailedStep struct {
	Job  *Job
	Step *Step // nil for a failed job without a failed step: its log is the job's whole log

	// Log is the job's log in the archive, and StepLog the step's own file
	// in it; nil when the archive has none. A step without a file of its own
	// is picked out of the job's whole log by its times (see StepLogReader);
	// a job not in the archive (a job a partial re-run kept, whose log is in
	// an earlier attempt's archive) is read from its log endpoint, one
	// request and one download when it is read.
	Log     *JobLog
	StepLog *StepLog

	jobs        *JobsService
	owner, repo string
}

// FailedSteps lists the failed steps of a run's latest attempt (or of
// opts.Attempt), with their jobs and the way to read each step's log: the
// outcomes come from the jobs API, the logs from the run's log archive,
// downloaded once to a temporary file (see DownloadLogArchive), or, for a
// job the archive lacks, from the job's log endpoint. It costs one request
// per 100 jobs, and, when a job failed, the archive's request and its
// download; reading a step's log costs nothing more, but for a job the
// archive lacks. Memory stays flat whatever the archive's size: the
// archive is on disk and logs are streamed.
//
// Close the result when done with the logs. Bad input (a runID <= 0, a
// negative Attempt) gives an error wrapping ErrInvalidArgument and sends
// nothing; errors of the jobs API and of the download are returned as they
// are, but for an archive that is not there (404), which leaves Archive nil.
func (s *RunsService) FailedSteps(ctx context.Context, owner, repo string, runID int64, opts *FailedStepsOptions) (*FailedSteps, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, err
	}
	var o FailedStepsOptions
	if opts != nil {
		o = *opts
	}
	if o.Attempt < 0 {
		return nil, fmt.Errorf("%w: Attempt %d: attempts count from 1 (0 is the latest)", ErrInvalidArgument, o.Attempt)
	}
	fs := &FailedSteps{Jobs: []*Job{}}
	for job, err := range s.client.Jobs.List(ctx, owner, repo, runID, &JobListOptions{Attempt: o.Attempt}) {
		if err != nil {
			return nil, err
		}
		fs.Jobs = append(fs.Jobs, job)
	}
	for _, job := range fs.Jobs {
		for _, step := range failedStepsOf(job) {
			fs.Steps = append(fs.Steps, &FailedStep{Job: job, Step: step, jobs: s.client.Jobs, owner: owner, repo: repo})
		}
	}
	if len(fs.Steps) == 0 {
		return fs, nil
	}
	var err error
	if o.Attempt > 0 {
		fs.Archive, err = s.DownloadAttemptLogArchive(ctx, owner, repo, runID, o.Attempt)
	} else {
		fs.Archive, err = s.DownloadLogArchive(ctx, owner, repo, runID)
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	for _, f := range fs.Steps {
		f.Log = fs.Archive.JobFor(f.Job)
		if f.Step != nil && f.Log != nil && !f.Log.StepsFromMarkers {
			f.StepLog = f.Log.Step(f.Step.Number)
		}
	}
	return fs, nil
}

// Close removes the archive's temporary file; logs can no longer be read
// from it. It returns the error of doing so; calls after the first, and on
// a nil FailedSteps, return nil.
func (f *FailedSteps) Close() error {
	if f == nil {
		return nil
	}
	return f.Archive.Close()
}

// failed reports whether a job or step with conclusion c failed.
func failed(c Conclusion) bool {
	return c == ConclusionFailure || c == ConclusionTimedOut || c == ConclusionStartupFailure
}

// failedStepsOf gives the failed steps of a job (see FailedSteps.Steps): a
// nil step for a failed job without one, nothing for a job that did not
// fail.
func failedStepsOf(job *Job) []*Step {
	if !failed(job.Conclusion) {
		return nil
	}
	var steps []*Step
	for _, match := range []func(Conclusion) bool{failed, func(c Conclusion) bool { return c == ConclusionCancelled }} {
		for i := range job.Steps {
			if match(job.Steps[i].Conclusion) {
				steps = append(steps, &job.Steps[i])
			}
		}
		if len(steps) > 0 {
			return steps
		}
	}
	return []*Step{nil}
}

// Name is the step's name, or for a failed job without a failed step, "".
func (f *FailedStep) Name() string {
	if f.Step == nil {
		return ""
	}
	return f.Step.Name
}

// Open streams the step's log, the job's whole log for a job without a
// failed step, without the byte-order mark the runner writes first; the
// caller closes it. It reads from the archive, or, for a job the archive
// lacks, from the job's log endpoint (see JobsService.Logs), under ctx.
// Its errors are those of the archive's logs or of JobsService.Logs.
func (f *FailedStep) Open(ctx context.Context) (io.ReadCloser, error) {
	if f.StepLog != nil {
		return f.StepLog.Open()
	}
	var rc io.ReadCloser
	var err error
	if f.Log != nil {
		rc, err = f.Log.Open()
	} else if rc, _, err = f.jobs.Logs(ctx, f.owner, f.repo, f.Job.ID); err == nil {
		rc = withoutBOM(rc) // as the archive's logs open
	}
	if err != nil {
		return nil, err
	}
	if f.Step == nil {
		return rc, nil
	}
	r, err := StepLogReader(rc, f.Job, f.Step.Number)
	if err != nil {
		return nil, errors.Join(err, rc.Close())
	}
	return readCloser{r, rc}, nil
}

// Lines reads the step's log as lines (see LogLines); an error of Open is
// yielded once.
func (f *FailedStep) Lines(ctx context.Context) iter.Seq2[LogLine, error] {
	return linesOf(func() (io.ReadCloser, error) { return f.Open(ctx) })
}

// Tail returns the last n lines of the step's log (see LogTail): it holds
// no more than n lines at a time, whatever the log's size. Its errors are
// those of Open and of reading.
func (f *FailedStep) Tail(ctx context.Context, n int) ([]LogLine, error) {
	return tailOf(func() (io.ReadCloser, error) { return f.Open(ctx) }, n)
}
