package ghactionstest

import (
	"net/http"
	"strconv"

	"github.com/seed42f0b14b/ghactions"
)

// listJobs answers GET .../runs/{run}/jobs: the jobs of the run's latest
// attempt (filter=latest, the default), those it kept from an earlier
// attempt included, or of every attempt (filter=all), a page of them, with
// the total and a Link header to the other pages. Another filter answers
// 422.
func (s *Server) listJobs(r *http.Request) *answer {
	filter := r.URL.Query().Get("filter")
	if filter != "" && filter != "latest" && filter != "all" {
		return validationFailed("filter", strconv.Quote(filter)+" is not latest or all")
	}
	return s.withRun(r, func(run *runState) *answer {
		jobs := run.latest().jobs
		if filter == "all" {
			jobs = run.allJobs()
		}
		return s.jobsPage(r, run, jobs, "runs/"+strconv.FormatInt(run.run.ID, 10)+"/jobs")
	})
}

// listAttemptJobs answers GET .../runs/{run}/attempts/{attempt}/jobs: the
// jobs of the attempt, those it kept from an earlier attempt included.
func (s *Server) listAttemptJobs(r *http.Request) *answer {
	return s.withAttempt(r, func(run *runState, a *attemptState) *answer {
		return s.jobsPage(r, run, a.jobs, "runs/"+strconv.FormatInt(run.run.ID, 10)+"/attempts/"+strconv.Itoa(a.number)+"/jobs")
	})
}

// jobsPage answers with the page of jobs that r asks for; list is the
// list's path under the repository's actions, for the Link header.
func (s *Server) jobsPage(r *http.Request, run *runState, jobs []*Job, list string) *answer {
	perPage, page := paging(r.URL.Query())
	start, end := pageBounds(page, perPage, len(jobs))
	body := ghactions.JobsPage{TotalCount: len(jobs), Jobs: make([]*ghactions.Job, 0, end-start)}
	for _, j := range jobs[start:end] {
		v := s.state.jobView(run, j)
		body.Jobs = append(body.Jobs, &v)
	}
	a := jsonAnswer(http.StatusOK, body)
	if link := s.state.listLinks(r, run.repo, list, page, perPage, len(jobs)); link != "" {
		a.header = http.Header{"Link": {link}}
	}
	return a
}

// getJob answers GET .../actions/jobs/{job}.
func (s *Server) getJob(r *http.Request) *answer {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	run, _, j := st.jobByID(r.PathValue("owner"), r.PathValue("repo"), r.PathValue("job"))
	if j == nil {
		return notFound()
	}
	return jsonAnswer(http.StatusOK, st.jobView(run, j))
}

// jobLogs answers GET .../actions/jobs/{job}/logs: a redirect to a signed
// URL of the job's log, plain text, on the storage's origin; 404 when the
// job has no log (it has not completed, did not run, or its logs were
// deleted).
func (s *Server) jobLogs(r *http.Request) *answer {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	_, a, j := st.jobByID(r.PathValue("owner"), r.PathValue("repo"), r.PathValue("job"))
	if j == nil || !a.hasLog(j) {
		return notFound()
	}
	loc := s.signedURL(storagePrefix + "jobs/" + strconv.FormatInt(j.ID, 10) + "/log.txt")
	return &answer{status: http.StatusFound, header: http.Header{"Location": {loc}}}
}

// serveJobLog serves a job's log from the storage, which checks the signed
// URL as it does for archives (see serveArchive). The text is the job's file
// in its attempt's archive, byte for byte.
func (s *Server) serveJobLog(w http.ResponseWriter, r *http.Request) {
	if !s.signed(w, r) {
		return
	}
	text, ok := s.jobLogFile(r.PathValue("job"))
	if !ok {
		storageError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(text)))
	_, _ = w.Write([]byte(text))
}

// jobLogFile is the log of a job, if it still has one: a run or logs
// deleted after the URL was signed are gone from the storage too.
func (s *Server) jobLogFile(idText string) (string, bool) {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || st.jobRuns[id] == nil {
		return "", false
	}
	run := st.jobRuns[id]
	_, a, j := st.jobByID(run.repo.owner, run.repo.name, idText)
	if j == nil || !a.hasLog(j) {
		return "", false
	}
	return jobLogText(j, a.debugLogging), true
}
