package ghactions

import (
	"encoding/json"
	"time"
)

// Job is one job of a workflow run, as the API describes it (the "job"
// object of GET .../runs/{run_id}/jobs and GET .../jobs/{job_id}).
//
// Fields hold values: a JSON null or an absent key decodes to the zero value.
// Marshalled back to JSON, a Job uses the API's key names and writes the keys
// the API always sends, null where the API writes null: HTMLURL,
// CompletedAt, WorkflowName and HeadBranch when they are zero, and the four
// runner fields while no runner has the job (RunnerID and RunnerName both
// zero). RunAttempt and Steps, which the API may leave out, are left out
// when zero.
type Job struct {
	ID         int64  `json:"id"`
	RunID      int64  `json:"run_id"`
	RunURL     string `json:"run_url"`
	RunAttempt int    `json:"run_attempt,omitzero"` // the attempt of the run that ran the job, from 1
	NodeID     string `json:"node_id"`
	HeadSHA    string `json:"head_sha"`
	URL        string `json:"url"`
	HTMLURL    string `json:"html_url"`
	Status     Status `json:"status"`
	// Conclusion is "" until the job completes. The jobs API documents
	// success, failure, neutral, cancelled, skipped, timed_out and
	// action_required.
	Conclusion  Conclusion `json:"conclusion"`
	CreatedAt   time.Time  `json:"created_at"`
	StartedAt   time.Time  `json:"started_at"`
	CompletedAt time.Time  `json:"completed_at"`
	// Name is the job's real name, as the workflow gives it or as a matrix
	// expands it ("test (ubuntu-latest, 1.24)"); log archives shorten it (see
	// LogArchive.JobFor).
	Name            string   `json:"name"`
	Steps           []Step   `json:"steps,omitzero"` // in order; empty until the job starts
	CheckRunURL     string   `json:"check_run_url"`
	Labels          []string `json:"labels"` // the runs-on labels
	RunnerID        int64    `json:"runner_id"`
	RunnerName      string   `json:"runner_name"`
	RunnerGroupID   int64    `json:"runner_group_id"` // 0 for GitHub's hosted runners
	RunnerGroupName string   `json:"runner_group_name"`
	WorkflowName    string   `json:"workflow_name"`
	HeadBranch      string   `json:"head_branch"`
}

// Step is one step of a Job. Numbers count from 1 in the job's order but
// may skip: post steps and "Complete job" get high numbers, such as 16 and
// 17. A log archive's step files carry the same numbers (see JobLog.Step).
type Step struct {
	Name        string     `json:"name"`
	Status      Status     `json:"status"`     // queued, in_progress or completed
	Conclusion  Conclusion `json:"conclusion"` // "" until the step completes
	Number      int        `json:"number"`
	StartedAt   time.Time  `json:"started_at"`   // zero for a step that has not started
	CompletedAt time.Time  `json:"completed_at"` // zero for a step that has not completed
}

// MarshalJSON writes the job with the API's key names and its nulls (see
// Job).
func (j Job) MarshalJSON() ([]byte, error) {
	type job Job // without methods, so that Marshal does not recurse
	out := struct {
		job
		HTMLURL         *string    `json:"html_url"`
		CompletedAt     *time.Time `json:"completed_at"`
		Labels          []string   `json:"labels"`
		RunnerID        *int64     `json:"runner_id"`
		RunnerName      *string    `json:"runner_name"`
		RunnerGroupID   *int64     `json:"runner_group_id"`
		RunnerGroupName *string    `json:"runner_group_name"`
		WorkflowName    *string    `json:"workflow_name"`
		HeadBranch      *string    `json:"head_branch"`
	}{
		job:          job(j),
		HTMLURL:      nullableString(j.HTMLURL),
		CompletedAt:  nullableTime(j.CompletedAt),
		Labels:       j.Labels,
		WorkflowName: nullableString(j.WorkflowName),
		HeadBranch:   nullableString(j.HeadBranch),
	}
	if out.Labels == nil {
		out.Labels = []string{} // an array, never null
	}
	if j.RunnerID != 0 || j.RunnerName != "" {
		out.RunnerID, out.RunnerName = &j.RunnerID, &j.RunnerName
		out.RunnerGroupID, out.RunnerGroupName = &j.RunnerGroupID, &j.RunnerGroupName
	}
	return json.Marshal(out)
}

// MarshalJSON writes the step with the API's key names, and its zero times
// as null, as the API writes a step that has not started or completed.
func (s Step) MarshalJSON() ([]byte, error) {
	type step Step // without methods, so that Marshal does not recurse
	return json.Marshal(struct {
		step
		StartedAt   *time.Time `json:"started_at"`
		CompletedAt *time.Time `json:"completed_at"`
	}{step(s), nullableTime(s.StartedAt), nullableTime(s.CompletedAt)})
}

func nullableString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nullableTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// JobFilter selects the jobs that a list of a run's jobs holds.
type JobFilter string

// The filters of a list of a run's jobs.
const (
	// JobFilterLatest lists the jobs of the run's latest attempt: the jobs it
	// ran, and those it kept from an earlier attempt when only some jobs
	// were re-run. It is the API's default.
	JobFilterLatest JobFilter = "latest"
	// JobFilterAll lists the jobs of every attempt.
	JobFilterAll JobFilter = "all"
)

// JobListOptions selects and pages the jobs of a run. A nil *JobListOptions
// lists the jobs of the run's latest attempt.
type JobListOptions struct {
	// Attempt, when not 0, lists the jobs of that attempt of the run
	// (attempts count from 1) instead of the run's.
	Attempt int `url:"-"`
	// Filter is JobFilterLatest (the default) or JobFilterAll. It applies to
	// the run's jobs only: setting it with Attempt is an error.
	Filter JobFilter `url:"filter,omitempty"`
	// PerPage is 1..100; 0 means the server's default (ListPage) or 100
	// (List).
	PerPage int `url:"per_page,omitempty"`
	Page    int `url:"page,omitempty"`
}

// JobsPage is one page of a list of jobs.
type JobsPage struct {
	TotalCount int    `json:"total_count"`
	Jobs       []*Job `json:"jobs"`
}
