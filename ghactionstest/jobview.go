package ghactionstest

import (
	"strconv"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// The jobs API shows the jobs the server keeps for every attempt: a job as
// AddRun filled it in, with the steps its log has, timed as its log is.

// runnerLabels are the runs-on labels of a job, per runner.
var runnerLabels = map[string]string{
	"UBUNTU":  "ubuntu-latest",
	"MACOS":   "macos-latest",
	"WINDOWS": "windows-latest",
}

// jobView is job j of run r as the API shows it now. The caller holds
// st.mu.
func (st *state) jobView(r *runState, j *Job) ghactions.Job {
	repo := r.repo
	api := st.apiRoot + "repos/" + repo.owner + "/" + repo.name
	id := strconv.FormatInt(j.ID, 10)
	created := r.attempts[j.attempt-1].startedAt
	v := ghactions.Job{
		ID:           j.ID,
		RunID:        r.run.ID,
		RunURL:       r.run.URL,
		RunAttempt:   j.attempt,
		NodeID:       nodeID("CR", j.ID),
		HeadSHA:      r.run.HeadSHA,
		URL:          api + "/actions/jobs/" + id,
		HTMLURL:      st.webRoot + repo.owner + "/" + repo.name + "/actions/runs/" + strconv.FormatInt(r.run.ID, 10) + "/job/" + id,
		Status:       j.Status,
		Conclusion:   j.Conclusion,
		CreatedAt:    created,
		StartedAt:    j.StartedAt,
		CompletedAt:  j.CompletedAt,
		Name:         j.Name,
		Steps:        st.stepViews(j),
		CheckRunURL:  api + "/check-runs/" + id,
		Labels:       []string{firstNonEmpty(runnerLabels[j.RunnerOS], strings.ToLower(j.RunnerOS))},
		WorkflowName: r.run.Name,
		HeadBranch:   r.run.HeadBranch,
	}
	if v.StartedAt.IsZero() {
		v.StartedAt = created // the API has no null for it: a job not started shows when it was queued
	}
	if j.ran() {
		// GitHub's hosted runners, in their group 0.
		v.RunnerID = j.ID%1000 + 1
		v.RunnerName = "GitHub Actions " + strconv.FormatInt(v.RunnerID, 10)
		v.RunnerGroupName = "GitHub Actions"
	}
	return v
}

// stepViews are the steps of j as the API shows them now: none before the
// job starts; then each step as its log has it (see stepSpans), completed
// once its time is over, with the conclusion its log ends with; the steps
// a cancellation left out are skipped.
func (st *state) stepViews(j *Job) []ghactions.Step {
	steps := []ghactions.Step{}
	if !j.ran() {
		return steps
	}
	now := st.now()
	done := j.Status == ghactions.StatusCompleted
	spans := j.stepSpans()
	for i, s := range j.Steps {
		v := ghactions.Step{Name: s.Name, Number: i + 1, Status: ghactions.StatusQueued}
		switch {
		case i >= len(spans):
			if done {
				v.Status, v.Conclusion = ghactions.StatusCompleted, ghactions.ConclusionSkipped
			}
		case done || !spans[i].end.After(now):
			v.Status, v.Conclusion = ghactions.StatusCompleted, stepConclusion(j, s, spans[i])
			v.StartedAt, v.CompletedAt = spans[i].start.Truncate(time.Second), spans[i].end.Truncate(time.Second)
		case !spans[i].start.After(now):
			v.Status, v.StartedAt = ghactions.StatusInProgress, spans[i].start.Truncate(time.Second)
		}
		steps = append(steps, v)
	}
	return steps
}

// stepConclusion is how a step that ran concluded: as its Conclusion says,
// or as its job did when the job's end cut it short (see stepLogs), or
// with success.
func stepConclusion(j *Job, s Step, sp stepSpan) ghactions.Conclusion {
	c := s.Conclusion
	if sp.cut && c == "" {
		c = j.Conclusion
	}
	if c == "" {
		c = ghactions.ConclusionSuccess
	}
	return c
}

// jobLogText is the log of a job that ran, as the job's log endpoint serves
// it: the text of the job's file in its attempt's archive.
func jobLogText(j *Job, debug bool) string {
	return bom + strings.Join(stepLogs(j, debug), "")
}

// jobByID finds a job of a repository by the text of its ID, with its run
// and the attempt that ran it. A job of a deleted run, or of another
// repository, is not found. The caller holds st.mu.
func (st *state) jobByID(owner, name, idText string) (*runState, *attemptState, *Job) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil, nil, nil
	}
	run := st.jobRuns[id]
	if run == nil || run.repo != st.repo(owner, name) {
		return nil, nil, nil
	}
	for _, a := range run.attempts {
		for _, j := range a.jobs {
			if j.ID == id && j.attempt == a.number {
				return run, a, j
			}
		}
	}
	return nil, nil, nil
}

// hasLog reports whether job j, run by attempt a, has a log: it ran and
// completed, and its attempt's logs were not deleted. A job's log is there
// as soon as the job completes, while its run may go on.
func (a *attemptState) hasLog(j *Job) bool {
	return j.ran() && j.Status == ghactions.StatusCompleted && !a.logsDeleted
}

// allJobs are the jobs of every attempt of the run, each once, attempt
// after attempt: the jobs an attempt kept from an earlier one are that
// one's.
func (r *runState) allJobs() []*Job {
	var jobs []*Job
	for _, a := range r.attempts {
		for _, j := range a.jobs {
			if j.attempt == a.number {
				jobs = append(jobs, j)
			}
		}
	}
	return jobs
}
