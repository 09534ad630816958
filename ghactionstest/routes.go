package ghactionstest

import (
	"net/http"
	"strings"
)

// apiRoutes maps the API's paths to their endpoints, each with its page in
// GitHub's documentation: the workflow runs' endpoints, the dispatch that
// starts a run, and those of the resources a run links to. Anything else answers 404 as GitHub does,
// whatever the method: a path with a trailing slash too.
func (s *Server) apiRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	handle := func(pattern, doc string, fn func(*http.Request) *answer) {
		method, p, _ := strings.Cut(pattern, " ")
		mux.Handle(method+" "+apiPrefix+p, endpoint{s: s, doc: doc, fn: fn})
		s.routes = append(s.routes, route{method, apiPrefix + p})
		if rest, ok := strings.CutPrefix(p, "repos/{owner}/{repo}/"); ok {
			// The same endpoint under the repository's ID, where Link
			// headers lead.
			s.routes = append(s.routes, route{method, apiPrefix + "repositories/{id}/" + rest})
		}
	}
	add := func(pattern, anchor string, fn func(*http.Request) *answer) {
		handle(pattern, docRuns+"#"+anchor, fn)
	}
	const runs = "repos/{owner}/{repo}/actions/runs"
	const run = runs + "/{run}"
	add("GET "+runs, "list-workflow-runs-for-a-repository", s.listRuns)
	add("GET repos/{owner}/{repo}/actions/workflows/{workflow}/runs", "list-workflow-runs-for-a-workflow", s.listRuns)
	add("GET "+run, "get-a-workflow-run", s.getRun)
	add("DELETE "+run, "delete-a-workflow-run", s.deleteRun)
	add("GET "+run+"/attempts/{attempt}", "get-a-workflow-run-attempt", s.getAttempt)
	add("GET "+run+"/attempts/{attempt}/logs", "download-workflow-run-attempt-logs", s.attemptLogs)
	add("POST "+run+"/cancel", "cancel-a-workflow-run", s.cancel)
	add("POST "+run+"/force-cancel", "force-cancel-a-workflow-run", s.cancel)
	add("GET "+run+"/logs", "download-workflow-run-logs", s.runLogs)
	add("DELETE "+run+"/logs", "delete-workflow-run-logs", s.deleteLogs)
	add("POST "+run+"/rerun", "re-run-a-workflow", s.rerun)
	add("GET "+run+"/timing", "get-workflow-run-usage", s.usage)
	add("GET "+run+"/approvals", "get-the-review-history-for-a-workflow-run", s.approvals)
	add("POST "+run+"/approve", "approve-a-workflow-run-for-a-fork-pull-request", s.approve)
	add("POST "+run+"/deployment_protection_rule", "review-custom-deployment-protection-rules-for-a-workflow-run", s.reviewCustomGate)
	add("GET "+run+"/pending_deployments", "get-pending-deployments-for-a-workflow-run", s.pendingDeployments)
	add("POST "+run+"/pending_deployments", "review-pending-deployments-for-a-workflow-run", s.reviewPendingDeployments)
	add("POST "+run+"/rerun-failed-jobs", "re-run-failed-jobs-from-a-workflow-run", s.rerunFailedJobs)
	add("POST repos/{owner}/{repo}/actions/jobs/{job}/rerun", "re-run-a-job-from-a-workflow-run", s.rerunJob)
	// The jobs of runs, which a run's jobs_url leads to.
	job := func(pattern, anchor string, fn func(*http.Request) *answer) {
		handle(pattern, docJobs+"#"+anchor, fn)
	}
	job("GET "+run+"/jobs", "list-jobs-for-a-workflow-run", s.listJobs)
	job("GET "+run+"/attempts/{attempt}/jobs", "list-jobs-for-a-workflow-run-attempt", s.listAttemptJobs)
	job("GET repos/{owner}/{repo}/actions/jobs/{job}", "get-a-job-for-a-workflow-run", s.getJob)
	job("GET repos/{owner}/{repo}/actions/jobs/{job}/logs", "download-job-logs-for-a-workflow-run", s.jobLogs)
	// Starting a run.
	handle("POST repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches", docWorkflows+"#create-a-workflow-dispatch-event", s.dispatch)
	// What a run's workflow_url, check_suite_url and artifacts_url lead to.
	handle("GET repos/{owner}/{repo}/actions/workflows/{workflow}", docWorkflows+"#get-a-workflow", s.getWorkflow)
	handle("GET repos/{owner}/{repo}/check-suites/{suite}", docCheckSuites+"#get-a-check-suite", s.getCheckSuite)
	handle("GET "+run+"/artifacts", docArtifacts+"#list-workflow-run-artifacts", s.listArtifacts)
	mux.Handle("/", noRoute{s})
	return mux
}

// route is an endpoint's method and path pattern, such as "GET" and
// "/api/v3/repos/{owner}/{repo}/actions/runs", for Inject to tell a fault
// that can fire from one that cannot.
type route struct{ method, path string }

// noRoute answers a path that is no endpoint: 404, whoever asks, as GitHub
// routes a request before it looks at who makes it.
type noRoute struct{ s *Server }

func (n noRoute) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := r.Context().Value(callKey{}).(*call)
	n.s.write(w, notFound(), docRoot, &c.rate)
}

// storageRoutes serves the log archives and the jobs' logs, which live
// outside the API.
func (s *Server) storageRoutes() *http.ServeMux {
	mux := http.NewServeMux()
	const archive = storagePrefix + "runs/{run}/attempts/{attempt}/logs.zip"
	mux.HandleFunc("GET "+archive, s.serveArchive)
	s.routes = append(s.routes, route{http.MethodGet, archive})
	const jobLog = storagePrefix + "jobs/{job}/log.txt"
	mux.HandleFunc("GET "+jobLog, s.serveJobLog)
	s.routes = append(s.routes, route{http.MethodGet, jobLog})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		storageError(w, http.StatusNotFound, "ResourceNotFound", "The specified resource does not exist.")
	})
	return mux
}

// withRepo calls fn with the repository that r names, holding the state's
// lock; an unknown repository answers 404.
func (s *Server) withRepo(r *http.Request, fn func(*repoState) *answer) *answer {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	repo := st.repo(r.PathValue("owner"), r.PathValue("repo"))
	if repo == nil {
		return notFound()
	}
	return fn(repo)
}

// withWorkflow is withRepo for the workflow that r names, by ID or file
// name.
func (s *Server) withWorkflow(r *http.Request, fn func(*repoState, *workflowState) *answer) *answer {
	return s.withRepo(r, func(repo *repoState) *answer {
		wf := repo.workflow(r.PathValue("workflow"))
		if wf == nil {
			return notFound()
		}
		return fn(repo, wf)
	})
}

// withRun calls fn with the run that r names, holding the state's lock; an
// unknown repository or run answers 404.
func (s *Server) withRun(r *http.Request, fn func(*runState) *answer) *answer {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	run := st.run(r.PathValue("owner"), r.PathValue("repo"), r.PathValue("run"))
	if run == nil {
		return notFound()
	}
	return fn(run)
}

// withAttempt is withRun for the attempt that r names.
func (s *Server) withAttempt(r *http.Request, fn func(*runState, *attemptState) *answer) *answer {
	return s.withRun(r, func(run *runState) *answer {
		a := run.attempt(r.PathValue("attempt"))
		if a == nil {
			return notFound()
		}
		return fn(run, a)
	})
}
