package ghactionstest

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// attemptGap is how long before the next attempt an earlier attempt that
// AddRun makes up started.
const attemptGap = 10 * time.Minute

// AddRun adds a run to the repository owner/repo, which it creates on first
// use (private, unless the server is public), and returns the run as the API
// shows it. The run's zero fields are filled in as GitHub would fill them:
//
//   - ID, NodeID, CheckSuiteID, CheckSuiteNodeID: new IDs.
//   - Path and Name: ".github/workflows/ci.yml" and "CI"; either is derived
//     from the other when one is set. WorkflowID: the ID of the workflow of
//     that path, new for a new path. RunNumber: the workflow's next number.
//   - HeadBranch "main", Event "push", Actor "octocat", TriggeringActor the
//     actor; a user given with a Login and no ID is completed.
//   - Status: completed when Conclusion is set, else queued.
//   - CreatedAt: now; RunStartedAt: CreatedAt; UpdatedAt: the end of the
//     last job, or RunStartedAt.
//   - HeadSHA, HeadCommit and DisplayTitle: a made-up commit.
//   - Repository and HeadRepository: the repository; a HeadRepository
//     given with a FullName and no ID, such as a fork's "someone/repo", is
//     completed (and created). A HeadRepository that is not the repository
//     is a fork, as on GitHub: its Fork is true. PullRequests and
//     ReferencedWorkflows: none.
//   - URL, HTMLURL and the other URLs: the server's.
//
// A run from a fork's pull request that awaits a maintainer's approval is,
// as GitHub shows it, completed with Conclusion action_required, with a
// HeadRepository that is not the repository (the fork). A run that waits to
// deploy has Status waiting and a job waiting to deploy to an environment;
// see Job and AddEnvironment.
//
// A RunAttempt above 1 makes up the earlier attempts: each ran the same jobs
// and failed, ten minutes before the next, and CreatedAt defaults to the
// first one's start. The jobs belong to the latest attempt; see Job for how
// their zero fields are filled.
//
// AddRun panics when owner or repo is not a valid name, or when an ID given
// is taken.
func (s *Server) AddRun(owner, repo string, run ghactions.WorkflowRun, jobs ...Job) *ghactions.WorkflowRun {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	r := st.addRun(owner, repo, run, jobs)
	st.advance() // in live mode, the run moves on from now
	v := r.view(r.latest(), false)
	return copyRun(&v)
}

func (st *state) addRun(owner, name string, in ghactions.WorkflowRun, jobs []Job) *runState {
	repo := st.repoFor(owner, name)
	run := *copyRun(&in) // the caller keeps its pointers; the state has its own
	attempts := max(run.RunAttempt, 1)

	run.ID = claimID(run.ID, &st.last.run, func(id int64) bool { return st.runs[id] != nil }, "run")
	wf := st.workflowFor(repo, run.WorkflowID, run.Path, run.Name)
	run.WorkflowID, run.Path = wf.id, wf.path
	setString(&run.Name, wf.name)
	if run.RunNumber == 0 {
		run.RunNumber = wf.lastNumber + 1
	}
	wf.lastNumber = max(wf.lastNumber, run.RunNumber)

	setString(&run.NodeID, nodeID("WFR", run.ID))
	setString(&run.HeadBranch, "main")
	setString(&run.Event, "push")
	run.Actor = st.userLike(run.Actor, viewerLogin)
	triggering := st.userLike(run.TriggeringActor, run.Actor.Login)
	if run.Status == "" {
		run.Status = ghactions.StatusQueued
		if run.Conclusion != "" {
			run.Status = ghactions.StatusCompleted
		}
	}
	if run.CreatedAt.IsZero() {
		run.CreatedAt = st.nowSecond().Add(-time.Duration(attempts-1) * attemptGap)
	}
	if run.RunStartedAt.IsZero() {
		run.RunStartedAt = run.CreatedAt.Add(time.Duration(attempts-1) * attemptGap)
	}
	if wf.createdAt.IsZero() || run.CreatedAt.Before(wf.createdAt) {
		wf.createdAt = run.CreatedAt
	}
	setString(&run.HeadSHA, fakeSHA(fmt.Sprintf("%s/%s#%d", owner, name, run.ID)))
	if run.HeadCommit == nil {
		run.HeadCommit = st.commit(run.HeadSHA, firstNonEmpty(run.DisplayTitle, "Update README.md"), run.Actor, run.CreatedAt)
	}
	setString(&run.DisplayTitle, strings.SplitN(run.HeadCommit.Message, "\n", 2)[0])
	if run.CheckSuiteID == 0 {
		st.last.checkSuite++
		run.CheckSuiteID = st.last.checkSuite
	}
	setString(&run.CheckSuiteNodeID, nodeID("CS", run.CheckSuiteID))
	if run.Repository == nil {
		run.Repository = repo.repo
	}
	switch {
	case run.HeadRepository == nil:
		run.HeadRepository = run.Repository
	case run.HeadRepository.ID == 0 && run.HeadRepository.FullName != "":
		run.HeadRepository = st.repoNamed(run.HeadRepository.FullName)
	}
	if run.HeadRepository.ID != run.Repository.ID {
		// A head in another repository comes from a pull request, whose
		// head lives in a fork of the base.
		run.HeadRepository.Fork = true
	}
	if run.HeadRepositoryID == 0 {
		run.HeadRepositoryID = run.HeadRepository.ID
	}
	if run.PullRequests == nil {
		run.PullRequests = []ghactions.PullRequest{} // GitHub sends [], never null
	}
	if run.ReferencedWorkflows == nil {
		run.ReferencedWorkflows = []ghactions.ReferencedWorkflow{} // GitHub sends [] too
	}
	st.fillURLs(&run, repo)

	r := &runState{repo: repo, workflow: wf}
	for n := 1; n < attempts; n++ {
		a := &attemptState{
			number:          n,
			status:          ghactions.StatusCompleted,
			conclusion:      ghactions.ConclusionFailure,
			startedAt:       run.CreatedAt.Add(time.Duration(n-1) * attemptGap),
			triggeringActor: triggering,
		}
		for i, j := range jobs {
			a.jobs = append(a.jobs, st.fillJob(r, j.again(), i, a))
		}
		a.updatedAt = a.lastChange()
		r.attempts = append(r.attempts, a)
	}
	a := &attemptState{
		number:          attempts,
		status:          run.Status,
		conclusion:      run.Conclusion,
		startedAt:       run.RunStartedAt,
		updatedAt:       run.UpdatedAt,
		triggeringActor: triggering,
	}
	for i, j := range jobs {
		a.jobs = append(a.jobs, st.fillJob(r, j.clone(), i, a))
	}
	if a.updatedAt.IsZero() {
		a.updatedAt = a.lastChange()
	}
	r.attempts = append(r.attempts, a)

	r.keep(run)
	st.runs[run.ID] = r
	repo.runs = append(repo.runs, r)
	repo.refs[run.HeadBranch] = true
	return r
}

// fillJob fills in the zero fields of j, the i-th job of attempt a of run
// r, claims its ID and creates its environment when the repository has none
// of that name.
func (st *state) fillJob(r *runState, j Job, i int, a *attemptState) *Job {
	j.ID = claimID(j.ID, &st.last.job, func(id int64) bool { _, taken := st.jobRuns[id]; return taken }, "job")
	st.jobRuns[j.ID] = r
	j.attempt = a.number
	setString(&j.Name, "job "+strconv.Itoa(i+1))
	setString(&j.RunnerOS, "UBUNTU")
	if j.Environment != "" && r.repo.environment(j.Environment) == nil {
		st.addEnvironment(r.repo, Environment{Name: j.Environment})
	}
	switch {
	case j.Status != "":
	case a.conclusion == ghactions.ConclusionActionRequired:
		j.Status = ghactions.StatusQueued // GitHub starts nothing before the approval
	default:
		j.Status = a.status
	}
	if j.Status == ghactions.StatusCompleted && j.Conclusion == "" {
		j.Conclusion = a.conclusion
		if j.Conclusion == "" {
			j.Conclusion = ghactions.ConclusionSuccess
		}
	}
	if j.Steps == nil {
		j.Steps = []Step{
			{Name: "Set up job", Log: []string{"Current runner version: '2.321.0'"}},
			{Name: "Complete job", Log: []string{"Cleaning up orphan processes"}},
		}
	}
	started := j.Status == ghactions.StatusInProgress || j.Status == ghactions.StatusCompleted
	if started && j.StartedAt.IsZero() && j.Conclusion != ghactions.ConclusionSkipped {
		j.StartedAt = a.startedAt
	}
	if j.Status == ghactions.StatusCompleted && j.CompletedAt.IsZero() {
		j.CompletedAt = a.startedAt
		if !j.StartedAt.IsZero() {
			j.CompletedAt = j.StartedAt.Add(stepTime * time.Duration(max(len(j.Steps), 1)))
		}
	}
	return &j
}

// lastChange is when the attempt last changed: its start, or the end of its
// last job.
func (a *attemptState) lastChange() time.Time {
	t := a.startedAt
	for _, j := range a.jobs {
		if j.CompletedAt.After(t) {
			t = j.CompletedAt
		}
	}
	return t
}

// claimID returns id, or the next ID after *last when id is 0, and keeps
// *last above every ID given out. It panics when id is taken.
func claimID(id int64, last *int64, taken func(int64) bool, kind string) int64 {
	if id == 0 {
		*last++
		return *last
	}
	if taken(id) {
		panic(fmt.Sprintf("ghactionstest: %s ID %d is taken", kind, id))
	}
	*last = max(*last, id)
	return id
}

// workflowFor finds or creates the workflow a run names, by ID first, then by
// path (derived from the name when empty).
func (st *state) workflowFor(repo *repoState, id int64, p, name string) *workflowState {
	if id != 0 {
		for _, wf := range repo.workflows {
			if wf.id == id {
				return wf
			}
		}
	}
	switch {
	case p == "" && name == "":
		p, name = ".github/workflows/ci.yml", "CI"
	case p == "":
		p = ".github/workflows/" + slug(name) + ".yml"
	case name == "":
		name = strings.TrimSuffix(path.Base(p), path.Ext(p))
	}
	if id == 0 {
		for _, wf := range repo.workflows {
			if wf.path == p {
				return wf
			}
		}
		st.last.workflow++
		id = st.last.workflow
	} else {
		st.last.workflow = max(st.last.workflow, id)
	}
	wf := &workflowState{id: id, name: name, path: p}
	repo.workflows = append(repo.workflows, wf)
	return wf
}

// repoNamed finds or creates the repository "owner/name"; it panics on a
// full name that is not one.
func (st *state) repoNamed(fullName string) *ghactions.Repository {
	owner, name, _ := strings.Cut(fullName, "/")
	return st.repoFor(owner, name).repo
}

// repoFor finds or creates a repository.
func (st *state) repoFor(owner, name string) *repoState {
	if r := st.repo(owner, name); r != nil {
		return r
	}
	if !validName(owner) || !validName(name) {
		panic(fmt.Sprintf("ghactionstest: %q is not a repository name", owner+"/"+name))
	}
	st.last.repo++
	r := &repoState{owner: owner, name: name, repo: st.repository(st.last.repo, owner, name), refs: map[string]bool{"main": true}}
	st.repos[strings.ToLower(owner+"/"+name)] = r
	st.reposByID[st.last.repo] = r
	return r
}

func validName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/\\?#% \t\r\n")
}

// repository builds the API's "minimal-repository" of a repository, with
// the git and SSH URLs that GitHub's example of a run shows.
func (st *state) repository(id int64, owner, name string) *ghactions.Repository {
	api := st.apiRoot + "repos/" + owner + "/" + name
	host := strings.TrimSuffix(strings.TrimPrefix(st.webRoot, "http://"), "/")
	hostname, _, _ := strings.Cut(host, ":")
	return &ghactions.Repository{
		GitURL:           "git://" + host + "/" + owner + "/" + name + ".git",
		SSHURL:           "git@" + hostname + ":" + owner + "/" + name + ".git",
		ID:               id,
		NodeID:           nodeID("R", id),
		Name:             name,
		FullName:         owner + "/" + name,
		Owner:            st.user(owner, ""),
		Private:          st.private,
		HTMLURL:          st.webRoot + owner + "/" + name,
		URL:              api,
		ArchiveURL:       api + "/{archive_format}{/ref}",
		AssigneesURL:     api + "/assignees{/user}",
		BlobsURL:         api + "/git/blobs{/sha}",
		BranchesURL:      api + "/branches{/branch}",
		CollaboratorsURL: api + "/collaborators{/collaborator}",
		CommentsURL:      api + "/comments{/number}",
		CommitsURL:       api + "/commits{/sha}",
		CompareURL:       api + "/compare/{base}...{head}",
		ContentsURL:      api + "/contents/{+path}",
		ContributorsURL:  api + "/contributors",
		DeploymentsURL:   api + "/deployments",
		DownloadsURL:     api + "/downloads",
		EventsURL:        api + "/events",
		ForksURL:         api + "/forks",
		GitCommitsURL:    api + "/git/commits{/sha}",
		GitRefsURL:       api + "/git/refs{/sha}",
		GitTagsURL:       api + "/git/tags{/sha}",
		HooksURL:         api + "/hooks",
		IssueCommentURL:  api + "/issues/comments{/number}",
		IssueEventsURL:   api + "/issues/events{/number}",
		IssuesURL:        api + "/issues{/number}",
		KeysURL:          api + "/keys{/key_id}",
		LabelsURL:        api + "/labels{/name}",
		LanguagesURL:     api + "/languages",
		MergesURL:        api + "/merges",
		MilestonesURL:    api + "/milestones{/number}",
		NotificationsURL: api + "/notifications{?since,all,participating}",
		PullsURL:         api + "/pulls{/number}",
		ReleasesURL:      api + "/releases{/id}",
		StargazersURL:    api + "/stargazers",
		StatusesURL:      api + "/statuses/{sha}",
		SubscribersURL:   api + "/subscribers",
		SubscriptionURL:  api + "/subscription",
		TagsURL:          api + "/tags",
		TeamsURL:         api + "/teams",
		TreesURL:         api + "/git/trees{/sha}",
	}
}

// userLike completes a user given by login only; a user with an ID is kept
// as it is, and nil stands for login.
func (st *state) userLike(u *ghactions.User, login string) *ghactions.User {
	if u != nil && u.ID != 0 {
		return u
	}
	if u != nil && u.Login != "" {
		login = u.Login
	}
	return st.user(login, "")
}

// user finds or creates the account login, of type typ ("User",
// "Organization", "Bot"; "" guesses from the login).
func (st *state) user(login, typ string) *ghactions.User {
	key := strings.ToLower(login)
	if u := st.users[key]; u != nil {
		return u
	}
	if typ == "" {
		typ = "User"
		if strings.HasSuffix(login, "[bot]") {
			typ = "Bot"
		}
	}
	st.last.user++
	id := st.last.user
	api := st.apiRoot + "users/" + login
	u := &ghactions.User{
		Login:             login,
		ID:                id,
		NodeID:            nodeID(map[string]string{"User": "U", "Organization": "O", "Bot": "BOT"}[typ], id),
		AvatarURL:         st.webRoot + "avatars/u/" + strconv.FormatInt(id, 10) + "?v=4",
		URL:               api,
		HTMLURL:           st.webRoot + login,
		FollowersURL:      api + "/followers",
		FollowingURL:      api + "/following{/other_user}",
		GistsURL:          api + "/gists{/gist_id}",
		StarredURL:        api + "/starred{/owner}{/repo}",
		SubscriptionsURL:  api + "/subscriptions",
		OrganizationsURL:  api + "/orgs",
		ReposURL:          api + "/repos",
		EventsURL:         api + "/events{/privacy}",
		ReceivedEventsURL: api + "/received_events",
		Type:              typ,
		UserViewType:      "public",
	}
	st.users[key] = u
	return u
}

// commit makes up the head commit of a run, pushed by its actor a minute
// before the run.
func (st *state) commit(sha, message string, author *ghactions.User, at time.Time) *ghactions.Commit {
	return &ghactions.Commit{
		ID:        sha,
		TreeID:    fakeSHA("tree " + sha),
		Message:   message,
		Timestamp: at.Add(-time.Minute),
		Author:    &ghactions.CommitAuthor{Name: firstNonEmpty(author.Name, author.Login), Email: author.Login + "@users.noreply.github.com"},
		Committer: &ghactions.CommitAuthor{Name: "GitHub", Email: "noreply@github.com"},
	}
}

// fillURLs sets the URLs of a run that are empty to the server's.
func (st *state) fillURLs(run *ghactions.WorkflowRun, repo *repoState) {
	api := st.apiRoot + "repos/" + repo.owner + "/" + repo.name
	runURL := api + "/actions/runs/" + strconv.FormatInt(run.ID, 10)
	setString(&run.URL, runURL)
	setString(&run.HTMLURL, st.webRoot+repo.owner+"/"+repo.name+"/actions/runs/"+strconv.FormatInt(run.ID, 10))
	setString(&run.JobsURL, runURL+"/jobs")
	setString(&run.LogsURL, runURL+"/logs")
	setString(&run.CheckSuiteURL, api+"/check-suites/"+strconv.FormatInt(run.CheckSuiteID, 10))
	setString(&run.ArtifactsURL, runURL+"/artifacts")
	setString(&run.CancelURL, runURL+"/cancel")
	setString(&run.RerunURL, runURL+"/rerun")
	setString(&run.WorkflowURL, api+"/actions/workflows/"+strconv.FormatInt(run.WorkflowID, 10))
}

// copyRun copies a run deeply, through JSON: it has the API's shape, so the
// copy is what a client would decode.
func copyRun(run *ghactions.WorkflowRun) *ghactions.WorkflowRun {
	b, err := json.Marshal(run)
	if err != nil {
		panic(fmt.Sprintf("ghactionstest: copying a run: %v", err))
	}
	out := new(ghactions.WorkflowRun)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("ghactionstest: copying a run: %v", err))
	}
	return out
}

func setString(s *string, def string) {
	if *s == "" {
		*s = def
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// fakeSHA makes a stable, SHA-1-shaped ID from s.
func fakeSHA(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// nodeID makes a GraphQL node ID in GitHub's current style: a type prefix
// and an opaque string.
func nodeID(prefix string, id int64) string {
	return prefix + "_kwDO" + base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 36)))
}

// slug turns a workflow name into a file name: "Build & Test" -> "build-test".
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(name) {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "workflow"
	}
	return b.String()
}
