package ghactionstest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestAddEnvironment(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	env := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "production", Reviewers: []string{"octocat"}})
	assert.NotZero(t, env.ID)
	assert.NotEmpty(t, env.NodeID)
	assert.Equal(t, "production", env.Name)
	assert.Equal(t, srv.URL()+"repos/octo-org/octo-repo/environments/production", env.URL)
	assert.True(t, strings.HasSuffix(env.HTMLURL, "/octo-org/octo-repo/deployments/activity_log?environments_filter=production"), env.HTMLURL)
	assert.Equal(t, t0, env.CreatedAt)
	assert.Equal(t, t0, env.UpdatedAt)

	// The same name, in another case, is the same environment, with new rules.
	clock.Add(time.Hour)
	again := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "Production"})
	assert.Equal(t, env.ID, again.ID)
	assert.Equal(t, "production", again.Name)
	assert.Equal(t, t0.Add(time.Hour), again.UpdatedAt)

	other := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "staging"})
	assert.Greater(t, other.ID, env.ID)
}

func TestAddEnvironmentPanics(t *testing.T) {
	srv := newServer(t)
	tests := map[string]ghactionstest.Environment{
		"no name":             {},
		"seven reviewers":     {Name: "x", Reviewers: []string{"a", "b", "c", "d", "e", "f", "g"}},
		"a bad reviewer":      {Name: "x", Reviewers: []string{"a b"}},
		"a team with no slug": {Name: "x", Reviewers: []string{"org/"}},
		"a negative timer":    {Name: "x", WaitTimer: -1},
		"a timer too long":    {Name: "x", WaitTimer: 43_201},
	}
	for name, env := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Panics(t, func() { srv.AddEnvironment(owner, repo, env) })
		})
	}
	assert.NotPanics(t, func() {
		srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "x", Reviewers: []string{"a", "b", "c", "d", "e", "org/f"}, WaitTimer: 43_200})
	})
}

// A job that names an environment the repository does not have creates it,
// without protection rules, as GitHub does.
func TestJobsCreateTheirEnvironments(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess}, ghactionstest.Job{Environment: "preview"})
	clock.Add(time.Hour)
	env := srv.AddEnvironment(owner, repo, ghactionstest.Environment{Name: "preview"})
	assert.Equal(t, t0, env.CreatedAt, "the job created it")
	assert.Equal(t, t0.Add(time.Hour), env.UpdatedAt)
}
