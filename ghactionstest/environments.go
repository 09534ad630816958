package ghactionstest

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/seed42f0b14b/ghactions"
)

// Environment is a deployment environment of a repository and its
// protection rules, as AddEnvironment takes it. A job that deploys to it
// (Job.Environment) and waits (status waiting) is held until its rules pass:
//
//   - Reviewers: one of them approves it through the pending_deployments
//     endpoint, or one rejects it, which fails the job.
//   - CustomGate: the custom deployment protection rule is approved, or
//     rejected, through the deployment_protection_rule endpoint.
//
// A WaitTimer is reported in the pending deployments and holds nothing: a
// fake's time does not pass on its own.
type Environment struct {
	Name string
	// Reviewers are the required reviewers, up to six: a user's login, or
	// "org/team-slug" for a team. The token's holder, octocat, may approve
	// when it is one of them or when a team is: the server counts it a
	// member of every team.
	Reviewers  []string
	WaitTimer  int  // minutes, 0 to 43,200
	CustomGate bool // a GitHub App's custom deployment protection rule
}

// maxReviewers is how many required reviewers GitHub lets an environment
// have.
const maxReviewers = 6

// maxWaitTimer is the longest wait timer, in minutes (30 days).
const maxWaitTimer = 43_200

// AddEnvironment creates the environment env.Name in the repository
// owner/repo (created on first use, as by AddRun), or replaces the
// protection rules of the environment of that name, which GitHub compares
// without case. It returns the environment as the API shows it. It panics on
// an empty name, more than six reviewers, a reviewer that is not a login or
// "org/team-slug", or a wait timer out of range.
func (s *Server) AddEnvironment(owner, repo string, env Environment) *ghactions.Environment {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	e := st.addEnvironment(st.repoFor(owner, repo), env)
	v := e.env
	return &v
}

// environmentState is an environment of a repository and its protection
// rules.
type environmentState struct {
	env        ghactions.Environment
	reviewers  []string // logins and "org/team-slug"s, as given
	waitTimer  int
	customGate bool
}

func (st *state) addEnvironment(repo *repoState, env Environment) *environmentState {
	if env.Name == "" {
		panic("ghactionstest: an environment needs a name")
	}
	if len(env.Reviewers) > maxReviewers {
		panic(fmt.Sprintf("ghactionstest: environment %q: %d reviewers, GitHub allows %d", env.Name, len(env.Reviewers), maxReviewers))
	}
	for _, r := range env.Reviewers {
		if org, slug, isTeam := strings.Cut(r, "/"); !validName(org) || isTeam && !validName(slug) {
			panic(fmt.Sprintf("ghactionstest: environment %q: reviewer %q is not a login or an org/team-slug", env.Name, r))
		}
	}
	if env.WaitTimer < 0 || env.WaitTimer > maxWaitTimer {
		panic(fmt.Sprintf("ghactionstest: environment %q: wait timer %d is not 0 to %d minutes", env.Name, env.WaitTimer, maxWaitTimer))
	}
	now := st.nowSecond()
	e := repo.environment(env.Name)
	if e == nil {
		st.last.environment++
		id := st.last.environment
		e = &environmentState{env: ghactions.Environment{
			ID:        id,
			NodeID:    nodeID("EN", id),
			Name:      env.Name,
			URL:       st.apiRoot + "repos/" + repo.owner + "/" + repo.name + "/environments/" + url.PathEscape(env.Name),
			HTMLURL:   st.webRoot + repo.owner + "/" + repo.name + "/deployments/activity_log?environments_filter=" + url.QueryEscape(env.Name),
			CreatedAt: now,
		}}
		repo.environments = append(repo.environments, e)
	}
	e.env.UpdatedAt = now
	e.reviewers = append([]string(nil), env.Reviewers...)
	e.waitTimer = env.WaitTimer
	e.customGate = env.CustomGate
	for _, r := range e.reviewers {
		st.reviewer(r) // so that IDs follow the order of creation
	}
	return e
}

// environment finds an environment by name, without case.
func (r *repoState) environment(name string) *environmentState {
	for _, e := range r.environments {
		if strings.EqualFold(e.env.Name, name) {
			return e
		}
	}
	return nil
}

// environmentByID finds an environment by ID.
func (r *repoState) environmentByID(id int64) *environmentState {
	for _, e := range r.environments {
		if e.env.ID == id {
			return e
		}
	}
	return nil
}

// brief is the environment as pending deployments show it: without its
// timestamps.
func (e *environmentState) brief() ghactions.Environment {
	return ghactions.Environment{ID: e.env.ID, NodeID: e.env.NodeID, Name: e.env.Name, URL: e.env.URL, HTMLURL: e.env.HTMLURL}
}

// viewerMayApprove reports whether the token's holder is one of the required
// reviewers: itself, or a team, of which the server counts it a member.
func (e *environmentState) viewerMayApprove() bool {
	for _, r := range e.reviewers {
		if strings.Contains(r, "/") || strings.EqualFold(r, viewerLogin) {
			return true
		}
	}
	return false
}

// reviewer is a required reviewer as the API shows it: a user or a team.
func (st *state) reviewer(r string) ghactions.DeploymentReviewer {
	if org, slug, isTeam := strings.Cut(r, "/"); isTeam {
		return ghactions.DeploymentReviewer{Type: "Team", Team: st.team(org, slug)}
	}
	return ghactions.DeploymentReviewer{Type: "User", User: st.user(r, "")}
}

// team finds or creates the team slug of the organization org.
func (st *state) team(org, slug string) *ghactions.Team {
	key := strings.ToLower(org + "/" + slug)
	if t := st.teams[key]; t != nil {
		return t
	}
	o := st.user(org, "Organization")
	st.last.team++
	id := st.last.team
	api := st.apiRoot + "organizations/" + strconv.FormatInt(o.ID, 10) + "/team/" + strconv.FormatInt(id, 10)
	t := &ghactions.Team{
		ID:                  id,
		NodeID:              nodeID("T", id),
		Name:                slug,
		Slug:                slug,
		Permission:          "pull",
		URL:                 api,
		HTMLURL:             st.webRoot + "orgs/" + org + "/teams/" + slug,
		MembersURL:          api + "/members{/member}",
		RepositoriesURL:     api + "/repos",
		Type:                "organization",
		Privacy:             "closed",
		NotificationSetting: "notifications_enabled",
		OrganizationID:      o.ID,
	}
	st.teams[key] = t
	return t
}
