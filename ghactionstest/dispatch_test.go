package ghactionstest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

const dispatches = "repos/octo-org/octo-repo/actions/workflows/%s/dispatches"

// A dispatch starts a queued workflow_dispatch run of the workflow on the
// ref, by the token's holder, and answers 200 with its details when asked
// for them (or under API version 2026-03-10), 204 otherwise.
func TestDispatch(t *testing.T) {
	tests := []struct {
		name     string
		opts     []ghactionstest.Option
		workflow string
		body     string
		header   []string
		status   int
		branch   string
	}{
		{"details", nil, "deploy.yml", `{"ref":"main","inputs":{"environment":"production","dry-run":true},"return_run_details":true}`, nil, 200, "main"},
		{"no details", nil, "deploy.yml", `{"ref":"main"}`, nil, 204, "main"},
		{"details not asked for", nil, "deploy.yml", `{"ref":"main","return_run_details":false}`, nil, 204, "main"},
		{"API version 2026-03-10", nil, "deploy.yml", `{"ref":"main"}`, []string{"X-GitHub-Api-Version", "2026-03-10"}, 200, "main"},
		{"answers 204 always", []ghactionstest.Option{ghactionstest.WithDispatchNoContent()}, "deploy.yml", `{"ref":"main","return_run_details":true}`, nil, 204, "main"},
		{"a branch's full ref", nil, "nightly.yml", `{"ref":"refs/heads/feature/login","return_run_details":true}`, nil, 200, "feature/login"},
		{"a tag", nil, "nightly.yml", `{"ref":"refs/tags/v1.3.0","return_run_details":true}`, nil, 200, "v1.3.0"},
		{"inputs as strings", nil, "deploy.yml", `{"ref":"v1.2.0","inputs":{"environment":"staging","dry-run":"false"},"return_run_details":true}`, nil, 200, "v1.2.0"},
		{"null inputs", nil, "nightly.yml", `{"ref":"main","inputs":null,"return_run_details":true}`, nil, 200, "main"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newClock()
			srv := newServer(t, append([]ghactionstest.Option{ghactionstest.WithClock(clock.Now)}, tt.opts...)...)
			srv.SeedDemo()
			clock.Add(time.Minute)
			r := call(t, srv, "POST", fmt.Sprintf(dispatches, tt.workflow), tt.body, tt.header...)
			require.Equal(t, tt.status, r.status, "body: %s", r.body)

			page := call(t, srv, "GET", runs+"?event=workflow_dispatch&per_page=1", "").json(t)
			newest := page["workflow_runs"].([]any)[0].(map[string]any)
			if tt.status == 200 {
				var details struct {
					WorkflowRunID int64  `json:"workflow_run_id"`
					RunURL        string `json:"run_url"`
					HTMLURL       string `json:"html_url"`
				}
				require.NoError(t, json.Unmarshal(r.body, &details))
				assert.Equal(t, newest["id"], float64(details.WorkflowRunID))
				assert.Equal(t, newest["url"], details.RunURL)
				assert.Equal(t, newest["html_url"], details.HTMLURL)
			} else {
				assert.Empty(t, r.body)
			}
			assert.Equal(t, "workflow_dispatch", newest["event"])
			assert.Equal(t, tt.branch, newest["head_branch"])
			assert.Equal(t, "queued", newest["status"])
			assert.Equal(t, "octocat", newest["actor"].(map[string]any)["login"])
			assert.Equal(t, clock.Now().Format(time.RFC3339), newest["created_at"])
			assert.True(t, strings.HasSuffix(newest["path"].(string), tt.workflow), newest["path"])
		})
	}
}

// A dispatch by the workflow's ID, of a workflow added with AddWorkflow, on
// a ref added with AddRef; its run is at the head of the ref, and a live
// server takes it through the workflow's jobs.
func TestDispatchAddedWorkflow(t *testing.T) {
	clock := ghactionstest.NewClock(t0)
	srv := newServer(t, ghactionstest.WithSharedClock(clock), ghactionstest.WithLive(time.Second))
	id := srv.AddWorkflow(owner, repo, ghactionstest.Workflow{Name: "Release", Inputs: []ghactionstest.Input{
		{Name: "version", Required: true},
		{Name: "draft", Type: "boolean", Default: "true"},
	}, Jobs: []ghactionstest.Job{{ID: 7, Name: "build", Status: ghactions.StatusCompleted}, {Name: "publish", Needs: []string{"build"}}}})
	earlier := srv.AddRun(owner, repo, ghactions.WorkflowRun{HeadBranch: "release/v2", Conclusion: ghactions.ConclusionSuccess})
	srv.AddRef(owner, repo, "refs/tags/v2.0.0")
	assert.Equal(t, 200, call(t, srv, "GET", "repos/octo-org/octo-repo/actions/workflows/"+strconv.FormatInt(id, 10), "").status)

	c, err := srv.Client()
	require.NoError(t, err)
	for _, ref := range []string{"release/v2", "v2.0.0", "main"} {
		r := call(t, srv, "POST", fmt.Sprintf(dispatches, strconv.FormatInt(id, 10)), `{"ref":"`+ref+`","inputs":{"version":"2.0.0"},"return_run_details":true}`)
		require.Equal(t, 200, r.status, "body: %s", r.body)
		runID := int64(r.json(t)["workflow_run_id"].(float64))
		run, err := c.Runs.Wait(context.Background(), owner, repo, runID, &ghactions.WaitOptions{Interval: time.Second})
		require.NoError(t, err)
		assert.Equal(t, "Release", run.Name)
		assert.Equal(t, id, run.WorkflowID)
		assert.Equal(t, ref, run.HeadBranch)
		assert.Equal(t, ghactions.ConclusionSuccess, run.Conclusion)
		if ref == "release/v2" {
			assert.Equal(t, earlier.HeadSHA, run.HeadSHA, "the ref's head")
		} else {
			assert.Len(t, run.HeadSHA, 40)
		}
	}
}

// What GitHub refuses: 422 for a body its schema refuses, for a workflow
// without the trigger and for inputs the trigger does not take; 404 for an
// unknown workflow, ref or repository.
func TestDispatchRefused(t *testing.T) {
	many := map[string]string{}
	for i := range 26 {
		many["in"+strconv.Itoa(i)] = "x"
	}
	manyJSON, _ := json.Marshal(many)
	tests := []struct {
		name     string
		path     string
		body     string
		status   int
		message  string
		contains bool // message is a part of the message
	}{
		{"no ref", fmt.Sprintf(dispatches, "deploy.yml"), `{"inputs":{}}`, 422, `Invalid request.` + "\n\n" + `"ref" wasn't supplied.`, false},
		{"ref not a string", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":1}`, 422, `For 'properties/ref', 1 is not a string.`, true},
		{"inputs not an object", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":"main","inputs":["a"]}`, 422, `For 'properties/inputs', ["a"] is not an object.`, true},
		{"26 inputs", fmt.Sprintf(dispatches, "strict.yml"), `{"ref":"main","inputs":` + string(manyJSON) + `}`, 422, "more than the maximum of 25", true},
		{"not JSON", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":`, 400, "Problems parsing JSON", false},
		{"no trigger", fmt.Sprintf(dispatches, "ci.yml"), `{"ref":"main"}`, 422, "Workflow does not have 'workflow_dispatch' trigger", false},
		{"unknown input", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":"main","inputs":{"region":"eu","environment":"staging","zone":"b"}}`, 422, `Unexpected inputs provided: ["region","zone"]`, false},
		{"required input missing", fmt.Sprintf(dispatches, "strict.yml"), `{"ref":"main","inputs":{"count":3}}`, 422, "Required input 'name' not provided", false},
		{"not a boolean", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":"main","inputs":{"dry-run":"maybe"}}`, 422, `Provided value "maybe" for input 'dry-run' is not a valid boolean`, false},
		{"not a number", fmt.Sprintf(dispatches, "strict.yml"), `{"ref":"main","inputs":{"name":"a","count":"three"}}`, 422, `Provided value "three" for input 'count' is not a valid number`, false},
		{"not a choice", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":"main","inputs":{"environment":"qa"}}`, 422, `Provided value "qa" for input 'environment' not in the list of allowed values`, false},
		{"an object for a string", fmt.Sprintf(dispatches, "strict.yml"), `{"ref":"main","inputs":{"name":{}}}`, 422, `Provided value {} for input 'name' is not a valid string`, false},
		{"unknown workflow", fmt.Sprintf(dispatches, "nope.yml"), `{"ref":"main"}`, 404, "Not Found", false},
		{"unknown ref", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":"no-such-branch"}`, 404, "No ref found for: no-such-branch", false},
		{"unknown repository", "repos/octo-org/nope/actions/workflows/deploy.yml/dispatches", `{"ref":"main"}`, 404, "Not Found", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			srv.SeedDemo()
			srv.AddWorkflow(owner, repo, ghactionstest.Workflow{Path: ".github/workflows/strict.yml", Inputs: []ghactionstest.Input{
				{Name: "name", Required: true},
				{Name: "count", Type: "number"},
			}})
			before := call(t, srv, "GET", runs+"?per_page=1", "").json(t)["total_count"]
			r := call(t, srv, "POST", tt.path, tt.body)
			if tt.contains {
				require.Equal(t, tt.status, r.status, "body: %s", r.body)
				assert.Contains(t, r.json(t)["message"], tt.message)
			} else {
				requireError(t, r, tt.status, tt.message)
			}
			assert.Equal(t, before, call(t, srv, "GET", runs+"?per_page=1", "").json(t)["total_count"], "no run started")
		})
	}
}

// A caller without the token may not dispatch, on a public repository
// either.
func TestDispatchNeedsTheToken(t *testing.T) {
	srv := newServer(t, ghactionstest.WithPublic())
	srv.SeedDemo()
	r := call(t, srv, "POST", fmt.Sprintf(dispatches, "deploy.yml"), `{"ref":"main"}`, "Authorization", "")
	requireError(t, r, http.StatusUnauthorized, "Requires authentication")
}

func TestAddWorkflowPanics(t *testing.T) {
	tooMany := make([]ghactionstest.Input, 26)
	for i := range tooMany {
		tooMany[i].Name = "in" + strconv.Itoa(i)
	}
	tests := []struct {
		name   string
		inputs []ghactionstest.Input
	}{
		{"26 inputs", tooMany},
		{"no name", []ghactionstest.Input{{Type: "string"}}},
		{"twice", []ghactionstest.Input{{Name: "a"}, {Name: "a"}}},
		{"unknown type", []ghactionstest.Input{{Name: "a", Type: "date"}}},
		{"choice without options", []ghactionstest.Input{{Name: "a", Type: "choice"}}},
		{"default not a choice", []ghactionstest.Input{{Name: "a", Type: "choice", Options: []string{"x"}, Default: "y"}}},
		{"default not a boolean", []ghactionstest.Input{{Name: "a", Type: "boolean", Default: "yes"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t)
			assert.Panics(t, func() { srv.AddWorkflow(owner, repo, ghactionstest.Workflow{Name: "W", Inputs: tt.inputs}) })
		})
	}
}
