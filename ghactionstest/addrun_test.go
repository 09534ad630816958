package ghactionstest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// A run whose head is in another repository comes from a fork's pull
// request: GitHub shows its head repository as a fork, with its own ID, and
// the repository as it is.
func TestForkRunsHaveAForkHeadRepository(t *testing.T) {
	srv := newServer(t)
	srv.SeedDemo()
	p, _ := listPage(t, srv, runs+"?status=action_required&per_page=1")
	require.Len(t, p.WorkflowRuns, 1)
	demoFork := p.WorkflowRuns[0].ID

	byName := srv.AddRun(owner, repo, ghactions.WorkflowRun{Event: "pull_request", HeadRepository: &ghactions.Repository{FullName: "someone/octo-repo"}}).ID
	whole := *srv.AddRun("someone-else", repo, ghactions.WorkflowRun{}).Repository
	given := srv.AddRun(owner, repo, ghactions.WorkflowRun{Event: "pull_request", HeadRepository: &whole}).ID
	same := srv.AddRun(owner, repo, ghactions.WorkflowRun{}).ID

	tests := []struct {
		name string
		id   int64
		fork bool
	}{
		{"the demo's fork run", demoFork, true},
		{"a head repository given by name", byName, true},
		{"a head repository given whole", given, true},
		{"a head in the repository", same, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "GET", runPath(tt.id), "")
			require.Equal(t, http.StatusOK, r.status)
			v := r.json(t)
			head, base := v["head_repository"].(map[string]any), v["repository"].(map[string]any)
			assert.Equal(t, tt.fork, head["fork"])
			assert.Equal(t, false, base["fork"])
			assert.Equal(t, head["id"], v["head_repository_id"])
			assert.Equal(t, tt.fork, head["id"] != base["id"], "head_repository_id %v, repository.id %v", head["id"], base["id"])
		})
	}
}

// GitHub's example of a run shows its repository's git and SSH URLs.
func TestRunRepositoriesHaveTheirGitURLs(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{})
	v := call(t, srv, "GET", runPath(run.ID), "").json(t)
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	r := v["repository"].(map[string]any)
	assert.Equal(t, "git://"+u.Host+"/octo-org/octo-repo.git", r["git_url"])
	assert.Equal(t, "git@"+u.Hostname()+":octo-org/octo-repo.git", r["ssh_url"])
}
