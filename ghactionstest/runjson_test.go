package ghactionstest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// GitHub writes previous_attempt_url on every run, null on a first attempt,
// and referenced_workflows, [] when the run called no reusable workflow: a
// client that reads them finds them, as on GitHub.
func TestRunsCarryEveryKeyGitHubWrites(t *testing.T) {
	srv := newServer(t)
	first := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
	second := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess, RunAttempt: 2})
	reusable := []ghactions.ReferencedWorkflow{{Path: "octo-org/shared/.github/workflows/build.yml@v1", SHA: "86e8bc9ecf7d38b1ed2d2cfb8eb87ba9b35b01db", Ref: "refs/tags/v1"}}
	calls := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess, ReferencedWorkflows: reusable})
	emptied := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
	srv.UpdateRun(owner, repo, emptied.ID, func(run *ghactions.WorkflowRun) { run.ReferencedWorkflows = nil })

	tests := []struct {
		name, path, previous, referenced string
	}{
		{"first attempt", runPath(first.ID), `null`, `[]`},
		{"first attempt, by number", runPath(first.ID) + "/attempts/1", `null`, `[]`},
		{"second attempt", runPath(second.ID), `"` + second.URL + `/attempts/1"`, `[]`},
		{"reusable workflows", runPath(calls.ID), `null`, `[{"path":"octo-org/shared/.github/workflows/build.yml@v1","sha":"86e8bc9ecf7d38b1ed2d2cfb8eb87ba9b35b01db","ref":"refs/tags/v1"}]`},
		{"emptied by UpdateRun", runPath(emptied.ID), `null`, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "GET", tt.path, "")
			require.Equal(t, http.StatusOK, r.status)
			var keys map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(r.body, &keys))
			assert.JSONEq(t, tt.previous, string(keys["previous_attempt_url"]))
			assert.JSONEq(t, tt.referenced, string(keys["referenced_workflows"]))
		})
	}

	t.Run("in lists", func(t *testing.T) {
		r := call(t, srv, "GET", runs, "")
		var page struct {
			WorkflowRuns []map[string]json.RawMessage `json:"workflow_runs"`
		}
		require.NoError(t, json.Unmarshal(r.body, &page))
		require.Len(t, page.WorkflowRuns, 4)
		for _, run := range page.WorkflowRuns {
			assert.Contains(t, run, "previous_attempt_url")
			assert.Contains(t, run, "referenced_workflows")
		}
	})
}
