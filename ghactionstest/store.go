package ghactionstest

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// state is what the server knows: repositories, their workflows,
// environments and runs, each run's attempts and each attempt's jobs. mu
// guards all of it; the endpoints hold it from reading the state to
// marshalling their answer.
type state struct {
	mu      sync.Mutex
	apiRoot string // "http://127.0.0.1:PORT/api/v3/"
	webRoot string // "http://127.0.0.1:PORT/", where html_url points
	now     func() time.Time
	private bool // whether new repositories are private

	live      time.Duration // a step's time in live mode (WithLive); 0 when runs do not move on their own
	staleGets int           // GETs of a run that show the attempt before a re-run (WithStaleAfterRerun)

	last      lastIDs
	repos     map[string]*repoState // by lower-case "owner/name": GitHub's names are case-insensitive
	reposByID map[int64]*repoState
	runs      map[int64]*runState
	jobRuns   map[int64]*runState        // every job ID given out, never reused, and its run (nil once deleted)
	users     map[string]*ghactions.User // by lower-case login
	teams     map[string]*ghactions.Team // by lower-case "org/slug"
}

// lastIDs are the last IDs given out, per kind. Run IDs start above 2^32, as
// GitHub's have, so that a client that keeps them in 32 bits fails here too.
type lastIDs struct {
	run, job, checkSuite, workflow, repo, user, pullRequest int64
	environment, deployment, team                           int64
}

func newState(apiRoot, webRoot string, now func() time.Time, private bool) *state {
	st := &state{
		apiRoot: apiRoot,
		webRoot: webRoot,
		now:     now,
		private: private,
		last: lastIDs{
			run:         10_000_000_000,
			job:         30_000_000_000,
			checkSuite:  20_000_000_000,
			workflow:    100_000,
			repo:        700_000_000,
			pullRequest: 1_800_000_000,
			environment: 1_100_000_000,
			deployment:  1_900_000_000,
			team:        9_000_000,
		},
		repos:     map[string]*repoState{},
		reposByID: map[int64]*repoState{},
		runs:      map[int64]*runState{},
		jobRuns:   map[int64]*runState{},
		users:     map[string]*ghactions.User{},
		teams:     map[string]*ghactions.Team{},
	}
	st.user(viewerLogin, "User") // the token's holder is user 1, as GitHub's errors say
	return st
}

type repoState struct {
	owner, name  string // as first given
	repo         *ghactions.Repository
	workflows    []*workflowState
	environments []*environmentState
	runs         []*runState
	refs         map[string]bool // the branches and tags a workflow may be dispatched on
}

type workflowState struct {
	id         int64
	name       string
	path       string // ".github/workflows/ci.yml"
	lastNumber int    // of its runs, which GitHub numbers per workflow

	createdAt time.Time // when its oldest run was created

	dispatch bool    // it has a workflow_dispatch trigger
	inputs   []Input // the trigger's
	jobs     []Job   // of the runs a dispatch starts
}

// runState is a workflow run: the fields its attempts share, the attempts,
// the latest last, and the reviews of its deployments over all attempts.
type runState struct {
	repo     *repoState
	run      ghactions.WorkflowRun // the attempt's own fields are in attempts
	workflow *workflowState
	attempts []*attemptState
	reviews  []ghactions.EnvironmentApproval // oldest first

	staleGets int // GETs of the run left that show the attempt before the latest (WithStaleAfterRerun)
}

// attemptState is one attempt of a run. Each attempt has its own jobs, with
// their own IDs, as on GitHub.
type attemptState struct {
	number          int
	status          ghactions.Status
	conclusion      ghactions.Conclusion
	startedAt       time.Time
	updatedAt       time.Time
	triggeringActor *ghactions.User
	debugLogging    bool // asked for by the re-run that started it
	logsDeleted     bool
	jobs            []*Job
	gates           map[int64]*gate // by environment ID: what its deployments have passed
	live            liveAttempt     // live mode's record (live.go)
}

// nowSecond is the state's clock at GitHub's precision: timestamps in the API are
// whole seconds.
func (st *state) nowSecond() time.Time {
	return st.now().UTC().Truncate(time.Second)
}

// repo finds a repository by name; the caller holds st.mu.
func (st *state) repo(owner, name string) *repoState {
	return st.repos[strings.ToLower(owner+"/"+name)]
}

// repoName gives the name of the repository with the given ID.
func (st *state) repoName(id int64) (owner, name string, ok bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r := st.reposByID[id]
	if r == nil {
		return "", "", false
	}
	return r.owner, r.name, true
}

// run finds a run of a repository by the text of its ID; a run of another
// repository is not found, as on GitHub. The caller holds st.mu.
func (st *state) run(owner, name, idText string) *runState {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil
	}
	r := st.runs[id]
	if r == nil || r.repo != st.repo(owner, name) {
		return nil
	}
	return r
}

// deleteRun forgets a run; its ID and its jobs' IDs are not given out again.
func (st *state) deleteRun(r *runState) {
	for _, a := range r.attempts {
		for _, j := range a.jobs {
			st.jobRuns[j.ID] = nil
		}
	}
	delete(st.runs, r.run.ID)
	r.repo.runs = slices.DeleteFunc(r.repo.runs, func(x *runState) bool { return x == r })
}

func (r *runState) latest() *attemptState {
	return r.attempts[len(r.attempts)-1]
}

// attempt finds an attempt by the text of its number.
func (r *runState) attempt(text string) *attemptState {
	n, err := strconv.Atoi(text)
	if err != nil || n < 1 || n > len(r.attempts) {
		return nil
	}
	return r.attempts[n-1]
}

// keep stores the fields of run that its attempts share; what belongs to an
// attempt lives in the attempt, and view puts it back.
func (r *runState) keep(run ghactions.WorkflowRun) {
	run.RunAttempt, run.Status, run.Conclusion = 0, "", ""
	run.RunStartedAt, run.UpdatedAt, run.TriggeringActor, run.PreviousAttemptURL = time.Time{}, time.Time{}, nil, ""
	r.run = run
}

// view is the run as the API shows it at attempt a.
func (r *runState) view(a *attemptState, excludePullRequests bool) ghactions.WorkflowRun {
	v := r.run
	v.RunAttempt = a.number
	v.Status = a.status
	v.Conclusion = a.conclusion
	v.RunStartedAt = a.startedAt
	v.UpdatedAt = a.updatedAt
	v.TriggeringActor = a.triggeringActor
	if a.number > 1 {
		v.PreviousAttemptURL = v.URL + "/attempts/" + strconv.Itoa(a.number-1)
	}
	if excludePullRequests {
		v.PullRequests = []ghactions.PullRequest{}
	}
	return v
}

// workflow finds a workflow by its numeric ID or its file name, as the
// per-workflow list takes either.
func (r *repoState) workflow(idOrFile string) *workflowState {
	id, err := strconv.ParseInt(idOrFile, 10, 64)
	for _, wf := range r.workflows {
		if err == nil && wf.id == id || err != nil && path.Base(wf.path) == idOrFile {
			return wf
		}
	}
	return nil
}

// checkSuite finds the run of a check suite by the text of its ID: GitHub
// Actions runs each workflow run in a check suite of its own.
func (r *repoState) checkSuite(idText string) *runState {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return nil
	}
	for _, run := range r.runs {
		if run.run.CheckSuiteID == id {
			return run
		}
	}
	return nil
}

// hasLogs reports whether the attempt's logs can be downloaded: GitHub
// serves them once the attempt has completed, until they are deleted.
func (a *attemptState) hasLogs() bool {
	return a.status == ghactions.StatusCompleted && !a.logsDeleted
}
