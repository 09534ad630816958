package ghactionstest

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// Demo repository, for SeedDemo.
const (
	DemoOwner = "octo-org"
	DemoRepo  = "octo-repo"
)

// demoWorkflows are the demo repository's workflows, by file name.
var demoWorkflows = map[string]string{
	"ci.yml":      "CI",
	"release.yml": "Release",
	"nightly.yml": "Nightly",
	"codeql.yml":  "CodeQL",
	"deploy.yml":  "Deploy",
}

// demoRun is one run of the demo: what it ran, for whom, how it went.
type demoRun struct {
	workflow   string // a key of demoWorkflows
	branch     string
	event      string
	actor      string
	title      string
	status     ghactions.Status
	conclusion ghactions.Conclusion
	age        time.Duration // how long before now it was created
	running    time.Duration // how long its jobs in progress have run
	attempts   int
	jobs       []Job
	pr         int // the number of its pull request, if any
	approvals  []demoApproval
}

// demoApproval is a review that approved a deployment of a demo run.
type demoApproval struct {
	environment, reviewer, comment string
}

// demoEnvironments are the demo repository's environments: staging, which
// monalisa reviews, and production, which octocat (the token's holder) or
// the release managers review.
var demoEnvironments = []Environment{
	{Name: "staging", Reviewers: []string{"monalisa"}},
	{Name: "production", Reviewers: []string{"octocat", DemoOwner + "/release-managers"}, WaitTimer: 5},
}

// SeedDemo fills the repository octo-org/octo-repo with a realistic history
// of 46 runs over the last three days, the newest a minute old: five
// workflows (CI, Release, Nightly, CodeQL, Deploy), several branches,
// events and actors (bots too), every run status and conclusion, runs
// re-run once or twice, pull requests, and jobs on Linux, macOS and Windows
// with step logs, some failing, some needing others. Job names include "/",
// ":" and one longer than GitHub keeps in archive paths. Its times follow
// the server's clock; the rest (IDs, commits, titles, jobs, logs) is the
// same on every server. Calling it again adds another such history, with
// other commits.
//
// Some runs are there for the reviews and re-runs of the API:
//
//   - A run from a fork's pull request (by first-timer) waits for a
//     maintainer's approval: it is completed with conclusion
//     action_required, its jobs not started.
//   - The Deploy run that waits (status waiting) has deployed to staging,
//     approved by monalisa, as its review history shows, and waits for a
//     review of its deployment to production, which the token's holder may
//     approve: the environments are staging (reviewer monalisa) and
//     production (reviewers octocat and the team octo-org/release-managers,
//     a 5-minute wait timer).
//   - CI runs that failed or were cancelled have failed jobs to re-run; the
//     tests need the build, so re-running the build re-runs them too.
//
// Deploy (deploy.yml) and Nightly (nightly.yml) have a workflow_dispatch
// trigger: Deploy takes the inputs environment (a choice of staging, the
// default, and production) and dry-run (a boolean, false by default), and
// its dispatched runs build, then deploy; a dispatch may start either on
// any branch or tag of the demo's runs.
//
// On a live server (WithLive), the runs that are queued, in progress,
// requested or pending go through their jobs from the time they are added;
// with one-second steps, the CI run in progress (its build on its fifth
// step) completes nine seconds later. The other two wait for people.
func (s *Server) SeedDemo() {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	st.user(DemoOwner, "Organization")
	repo := st.repoFor(DemoOwner, DemoRepo)
	for _, e := range demoEnvironments {
		st.addEnvironment(repo, e)
	}
	history := len(repo.runs) // tells the commits of another history from this one's
	runs := demoRuns()
	// Oldest first, so that IDs and run numbers grow with time, as GitHub's.
	slices.SortStableFunc(runs, func(a, b demoRun) int { return cmp.Compare(b.age, a.age) })
	for _, d := range runs {
		st.addDemoRun(d, history)
	}
	for _, wf := range demoDispatchable() {
		st.addWorkflow(repo, wf)
	}
	st.advance() // in live mode, the runs move on from now
}

// demoDispatchable are the demo's workflows that a dispatch can start:
// Deploy, with the environment to deploy to and a dry-run switch, and
// Nightly, without inputs.
func demoDispatchable() []Workflow {
	return []Workflow{
		{Path: ".github/workflows/deploy.yml", Name: "Deploy", Inputs: []Input{
			{Name: "environment", Description: "Where to deploy", Type: "choice", Required: true, Default: "staging", Options: []string{"staging", "production"}},
			{Name: "dry-run", Description: "Build and check, deploy nothing", Type: "boolean", Default: "false"},
		}, Jobs: []Job{
			{Name: "build", Steps: []Step{setUpJob("UBUNTU"), checkout, {Name: "Run make image", Log: []string{"Successfully tagged octo-repo:main"}}, completeJob}},
			{Name: "deploy", Needs: []string{"build"}, Steps: []Step{setUpJob("UBUNTU"), {Name: "Run make deploy", Log: []string{"Deployed octo-repo:main"}}, completeJob}},
		}},
		{Path: ".github/workflows/nightly.yml", Name: "Nightly", Dispatch: true, Jobs: nightlyJobs(ghactions.ConclusionSuccess)},
	}
}

// addDemoRun adds a run of the demo's history. Only its times follow the
// clock: its commit is made from what it is, so that the demo shows the same
// commits on every start.
func (st *state) addDemoRun(d demoRun, history int) {
	created := st.nowSecond().Add(-d.age)
	run := ghactions.WorkflowRun{
		Name:         demoWorkflows[d.workflow],
		Path:         ".github/workflows/" + d.workflow,
		HeadBranch:   d.branch,
		HeadSHA:      fakeSHA(fmt.Sprintf("demo %d %s %s %s", history, d.workflow, d.branch, d.age)),
		Event:        d.event,
		Actor:        &ghactions.User{Login: d.actor},
		DisplayTitle: d.title,
		Status:       d.status,
		Conclusion:   d.conclusion,
		RunAttempt:   d.attempts,
		CreatedAt:    created,
	}
	if d.pr != 0 {
		run.PullRequests = []ghactions.PullRequest{st.demoPullRequest(d.pr, d.branch, run.HeadSHA)}
	}
	if d.actor == "first-timer" {
		// A fork's pull request: GitHub lists no pull request for it, and
		// the head repository is the fork.
		run.HeadRepository = st.repoFor(d.actor, DemoRepo).repo
	}
	for i := range d.jobs {
		if d.jobs[i].Status == ghactions.StatusInProgress {
			d.jobs[i].StartedAt = st.nowSecond().Add(-d.running)
		}
	}
	r := st.addRun(DemoOwner, DemoRepo, run, d.jobs)
	for _, ap := range d.approvals {
		e := r.repo.environment(ap.environment)
		r.latest().gate(e).reviewed = true
		r.reviews = append(r.reviews, ghactions.EnvironmentApproval{
			Environments: []ghactions.Environment{e.env},
			State:        ghactions.ReviewApproved,
			User:         st.user(ap.reviewer, ""),
			Comment:      ap.comment,
		})
	}
}

func (st *state) demoPullRequest(number int, branch, sha string) ghactions.PullRequest {
	repo := st.repoFor(DemoOwner, DemoRepo).repo
	ref := &ghactions.PullRequestRepo{ID: repo.ID, URL: repo.URL, Name: repo.Name}
	st.last.pullRequest++
	return ghactions.PullRequest{
		ID:     st.last.pullRequest,
		Number: number,
		URL:    fmt.Sprintf("%s/pulls/%d", repo.URL, number),
		Head:   &ghactions.PullRequestBranch{Ref: branch, SHA: sha, Repo: ref},
		Base:   &ghactions.PullRequestBranch{Ref: "main", SHA: fakeSHA("main " + branch), Repo: ref},
	}
}

// demoRuns lists the demo's runs: a few chosen to show every status and
// conclusion, then a regular history of CI and CodeQL runs.
func demoRuns() []demoRun {
	const (
		completed = ghactions.StatusCompleted
		minute    = time.Minute
		hour      = time.Hour
	)
	runs := []demoRun{
		{workflow: "ci.yml", branch: "feature/login", event: "pull_request", actor: "monalisa", title: "Add OAuth login", status: ghactions.StatusQueued, age: minute, jobs: ciJobs(""), pr: 42},
		{workflow: "ci.yml", branch: "main", event: "push", actor: "octocat", title: "Merge pull request #41 from octo-org/fix/flaky-test", status: ghactions.StatusInProgress, age: 4 * minute, running: 2 * minute, jobs: ciInProgress()},
		{workflow: "deploy.yml", branch: "main", event: "workflow_dispatch", actor: "hubot", title: "Deploy", status: ghactions.StatusWaiting, age: 25 * minute, jobs: deployWaiting(),
			approvals: []demoApproval{{"staging", "monalisa", "Staging looks good; the smoke tests pass."}}},
		{workflow: "release.yml", branch: "v1.3.0", event: "release", actor: "octocat", title: "v1.3.0", status: ghactions.StatusRequested, age: 30 * minute, jobs: releaseJobs("1.3.0")},
		{workflow: "codeql.yml", branch: "main", event: "push", actor: "octocat", title: "Merge pull request #41 from octo-org/fix/flaky-test", status: ghactions.StatusPending, age: 35 * minute, jobs: codeqlJobs("")},
		{workflow: "ci.yml", branch: "first-timer-patch-1", event: "pull_request", actor: "first-timer", title: "Fix typo in README", status: completed, conclusion: ghactions.ConclusionActionRequired, age: 2 * hour, jobs: ciJobs("")},
		{workflow: "ci.yml", branch: "fix/flaky-test", event: "pull_request", actor: "monalisa", title: "Wait for the server before the login test", status: completed, conclusion: ghactions.ConclusionSuccess, age: 3 * hour, attempts: 2, jobs: ciJobs(ghactions.ConclusionSuccess), pr: 41},
		{workflow: "ci.yml", branch: "feature/login", event: "pull_request", actor: "monalisa", title: "Add OAuth login", status: completed, conclusion: ghactions.ConclusionFailure, age: 5 * hour, jobs: ciJobs(ghactions.ConclusionFailure), pr: 42},
		{workflow: "ci.yml", branch: "feature/login", event: "pull_request", actor: "monalisa", title: "Add OAuth login", status: completed, conclusion: ghactions.ConclusionCancelled, age: 5*hour + 10*minute, jobs: ciJobs(ghactions.ConclusionCancelled), pr: 42},
		{workflow: "release.yml", branch: "v1.2.0", event: "release", actor: "octocat", title: "v1.2.0", status: completed, conclusion: ghactions.ConclusionSuccess, age: 8 * hour, jobs: releaseJobs("1.2.0")},
		{workflow: "release.yml", branch: "release/v1.2", event: "push", actor: "hubot", title: "Bump version to 1.2.0", status: completed, conclusion: ghactions.ConclusionStartupFailure, age: 9 * hour},
		{workflow: "deploy.yml", branch: "feature/login", event: "push", actor: "monalisa", title: "Add OAuth login", status: completed, conclusion: ghactions.ConclusionSkipped, age: 10 * hour, jobs: deploySkipped()},
		{workflow: "nightly.yml", branch: "main", event: "schedule", actor: "octocat", title: "Nightly", status: completed, conclusion: ghactions.ConclusionTimedOut, age: 20 * hour, jobs: nightlyJobs(ghactions.ConclusionTimedOut)},
		{workflow: "nightly.yml", branch: "main", event: "schedule", actor: "octocat", title: "Nightly", status: completed, conclusion: ghactions.ConclusionSuccess, age: 44 * hour, attempts: 3, jobs: nightlyJobs(ghactions.ConclusionSuccess)},
		{workflow: "codeql.yml", branch: "main", event: "schedule", actor: "octocat", title: "CodeQL", status: completed, conclusion: ghactions.ConclusionNeutral, age: 30 * hour, jobs: codeqlJobs(ghactions.ConclusionNeutral)},
		{workflow: "codeql.yml", branch: "main", event: "push", actor: "hubot", title: "Update dependencies", status: completed, conclusion: ghactions.ConclusionStale, age: 70 * hour},
		{workflow: "ci.yml", branch: "dependabot/go_modules/golang.org/x/net-0.33.0", event: "pull_request", actor: "dependabot[bot]", title: "Bump golang.org/x/net from 0.32.0 to 0.33.0", status: completed, conclusion: ghactions.ConclusionSuccess, age: 26 * hour, jobs: ciJobs(ghactions.ConclusionSuccess), pr: 40},
	}
	// A regular history: CI on every push to main and on the pull requests'
	// branches, CodeQL on main, mostly green.
	branches := []string{"main", "feature/login", "fix/flaky-test", "main", "docs/readme"}
	actors := []string{"octocat", "monalisa", "hubot", "monalisa", "octocat"}
	pulls := map[string]struct {
		number int
		title  string
	}{
		"feature/login":  {42, "Add OAuth login"},
		"fix/flaky-test": {41, "Wait for the server before the login test"},
		"docs/readme":    {39, "Document the setup in the README"},
	}
	pushes := []string{"Refactor the session store", "Add rate limiting to the API", "Update dependencies", "Speed up the build cache", "Log request IDs", "Handle empty payloads"}
	for i := range 24 {
		branch, actor := branches[i%len(branches)], actors[i%len(actors)]
		event, pr, title := "push", pulls[branch].number, pulls[branch].title
		if branch == "main" {
			title = pushes[i%len(pushes)]
		} else {
			event = "pull_request"
		}
		conclusion := ghactions.ConclusionSuccess
		switch {
		case i%7 == 3:
			conclusion = ghactions.ConclusionFailure
		case i%11 == 5:
			conclusion = ghactions.ConclusionCancelled
		}
		age := 6*hour + time.Duration(i)*135*minute/2
		runs = append(runs, demoRun{workflow: "ci.yml", branch: branch, event: event, actor: actor, title: title, status: completed, conclusion: conclusion, age: age, jobs: ciJobs(conclusion), pr: pr})
		if branch == "main" && i%2 == 0 {
			runs = append(runs, demoRun{workflow: "codeql.yml", branch: branch, event: "push", actor: actor, title: title, status: completed, conclusion: ghactions.ConclusionSuccess, age: age - time.Second, jobs: codeqlJobs(ghactions.ConclusionSuccess)})
		}
	}
	return runs
}

// Steps that most jobs share.
func setUpJob(os string) Step {
	system := map[string]string{"UBUNTU": "Ubuntu 24.04.1 LTS", "MACOS": "macOS 14.7.2", "WINDOWS": "Microsoft Windows Server 2022"}[os]
	return Step{Name: "Set up job", Log: []string{
		"Current runner version: '2.321.0'",
		"##[group]Operating System", system, "##[endgroup]",
		"Secret source: Actions",
		"Prepare workflow directory",
		"Prepare all required actions",
		"Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
	}}
}

var (
	checkout = Step{Name: "Run actions/checkout@v4", Log: []string{
		"Syncing repository: octo-org/octo-repo",
		"Getting Git version info",
		"Fetching the repository",
		"Checking out the ref",
	}}
	setupGo = Step{Name: "Run actions/setup-go@v5", Log: []string{
		"Setup go version spec 1.24",
		"Found in cache @ /opt/hostedtoolcache/go/1.24.5/x64",
		"go version go1.24.5 linux/amd64",
	}}
	postCheckout = Step{Name: "Post Run actions/checkout@v4", Log: []string{"Post job cleanup.", "Removing auth"}}
	completeJob  = Step{Name: "Complete job", Log: []string{"Cleaning up orphan processes"}}
)

// ciJobs are the jobs of a CI run that concluded c: a failure fails the
// login test on Windows, a cancellation cancels the tests.
func ciJobs(c ghactions.Conclusion) []Job {
	jobs := []Job{
		{Name: "lint", Steps: []Step{setUpJob("UBUNTU"), checkout, setupGo, {Name: "Run golangci-lint run ./...", Log: []string{"0 issues."}}, postCheckout, completeJob}},
		{Name: "build", Steps: []Step{setUpJob("UBUNTU"), checkout, setupGo, {Name: "Run go build ./..."}, postCheckout, completeJob}},
	}
	for _, os := range []string{"UBUNTU", "MACOS", "WINDOWS"} {
		test := Step{Name: "Run go test -race ./...", Log: []string{
			"ok  \tgithub.com/octo-org/octo-repo/api\t0.412s",
			"ok  \tgithub.com/octo-org/octo-repo/auth\t0.213s",
			"ok  \tgithub.com/octo-org/octo-repo/store\t1.038s",
		}}
		conclusion := ghactions.Conclusion("")
		switch {
		case c == ghactions.ConclusionFailure && os == "WINDOWS":
			test.Log = []string{
				"ok  \tgithub.com/octo-org/octo-repo/api\t0.405s",
				"--- FAIL: TestLoginRedirect (0.02s)",
				"    login_test.go:57: status = 401, want 302",
				"FAIL",
				"FAIL\tgithub.com/octo-org/octo-repo/auth\t0.198s",
				"FAIL",
			}
			test.Conclusion, conclusion = ghactions.ConclusionFailure, ghactions.ConclusionFailure
		case c == ghactions.ConclusionFailure:
			conclusion = ghactions.ConclusionSuccess
		case c == ghactions.ConclusionCancelled:
			test.Log = test.Log[:1]
			test.Conclusion, conclusion = ghactions.ConclusionCancelled, ghactions.ConclusionCancelled
		}
		name := map[string]string{"UBUNTU": "ubuntu-latest", "MACOS": "macos-latest", "WINDOWS": "windows-latest"}[os]
		jobs = append(jobs, Job{Name: "test (" + name + ")", RunnerOS: os, Conclusion: conclusion, Needs: []string{"build"}, Steps: []Step{setUpJob(os), checkout, setupGo, test, postCheckout, completeJob}})
	}
	if c == ghactions.ConclusionFailure || c == ghactions.ConclusionCancelled {
		jobs[0].Conclusion, jobs[1].Conclusion = ghactions.ConclusionSuccess, ghactions.ConclusionSuccess
	}
	return jobs
}

// ciInProgress are the jobs of a CI run under way: lint done, build
// running (on its fifth step, two minutes in), tests waiting for it.
func ciInProgress() []Job {
	jobs := ciJobs("")
	jobs[0].Status, jobs[0].Conclusion = ghactions.StatusCompleted, ghactions.ConclusionSuccess
	jobs[1].Status = ghactions.StatusInProgress
	for i := 2; i < len(jobs); i++ {
		jobs[i].Status = ghactions.StatusQueued
	}
	return jobs
}

// releaseJobs are the jobs of the Release run of version: two builds, then
// the upload that needs them.
func releaseJobs(version string) []Job {
	return []Job{
		{Name: "build / package: linux-amd64", Steps: []Step{setUpJob("UBUNTU"), checkout, setupGo, {Name: "Run make dist GOOS=linux GOARCH=amd64", Log: []string{"dist/octo-repo_" + version + "_linux_amd64.tar.gz"}}, completeJob}},
		{Name: "build / package: darwin-arm64", RunnerOS: "MACOS", Steps: []Step{setUpJob("MACOS"), checkout, setupGo, {Name: "Run make dist GOOS=darwin GOARCH=arm64", Log: []string{"dist/octo-repo_" + version + "_darwin_arm64.tar.gz"}}, completeJob}},
		{Name: "publish", Needs: []string{"build / package: linux-amd64", "build / package: darwin-arm64"}, Steps: []Step{setUpJob("UBUNTU"), {Name: "Run gh release upload v" + version + " dist/*", Log: []string{"Successfully uploaded 2 assets to v" + version}}, completeJob}},
	}
}

// deployWaiting are the jobs of a Deploy run that has deployed to staging
// and waits for a review of its deployment to production.
func deployWaiting() []Job {
	done := ghactions.StatusCompleted
	return []Job{
		{Name: "build", Status: done, Conclusion: ghactions.ConclusionSuccess, Steps: []Step{setUpJob("UBUNTU"), checkout, {Name: "Run make image", Log: []string{"Successfully tagged octo-repo:main"}}, completeJob}},
		{Name: "deploy: staging", Status: done, Conclusion: ghactions.ConclusionSuccess, Needs: []string{"build"}, Environment: "staging", Steps: []Step{setUpJob("UBUNTU"), {Name: "Run make deploy ENV=staging", Log: []string{"Deployed octo-repo:main to staging"}}, completeJob}},
		{Name: "deploy: production", Status: ghactions.StatusWaiting, Needs: []string{"deploy: staging"}, Environment: "production", Steps: []Step{setUpJob("UBUNTU"), {Name: "Run make deploy ENV=production", Log: []string{"Deployed octo-repo:main to production"}}, completeJob}},
	}
}

func deploySkipped() []Job {
	return []Job{{Name: "deploy: production", Conclusion: ghactions.ConclusionSkipped, Environment: "production"}}
}

// nightlyJobs runs one job whose name is longer than GitHub keeps in
// archive paths; a timeout times out its test step.
func nightlyJobs(c ghactions.Conclusion) []Job {
	test := Step{Name: "Run make integration", Log: []string{"starting postgres 17, mysql 8.4, rabbitmq 4.0, minio", "PASS: 212 tests"}}
	if c == ghactions.ConclusionTimedOut {
		test = Step{Name: "Run make integration", Conclusion: c, Log: []string{"starting postgres 17, mysql 8.4, rabbitmq 4.0, minio", "waiting for rabbitmq to accept connections"}}
	}
	return []Job{{
		Name:  "integration tests against all supported database engines, message brokers, object stores 🐘🐇🪣",
		Steps: []Step{setUpJob("UBUNTU"), checkout, test, completeJob},
	}}
}

func codeqlJobs(c ghactions.Conclusion) []Job {
	var jobs []Job
	for _, lang := range []string{"go", "javascript"} {
		jobs = append(jobs, Job{Name: "Analyze (" + lang + ")", Conclusion: c, Steps: []Step{
			setUpJob("UBUNTU"), checkout,
			{Name: "Run github/codeql-action/init@v3", Log: []string{"Initializing CodeQL for " + lang}},
			{Name: "Run github/codeql-action/analyze@v3", Log: []string{"Interpreting results", "0 alerts"}},
			completeJob,
		}})
	}
	return jobs
}
