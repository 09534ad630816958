package ghactions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Decoding loses nothing: marshalling a decoded seed example, with
// encoding/json or with json v2, gives back every key of the example with
// its value.
func TestSeedExamplesRoundTrip(t *testing.T) {
	marshallers := map[string]func(any) ([]byte, error){
		"encoding/json": json.Marshal,
		"json/v2":       func(v any) ([]byte, error) { return jsonv2.Marshal(v) },
	}
	files := []struct {
		name string
		new  func() any
	}{
		{"testdata/get_run.json", func() any { return new(WorkflowRun) }},
		{"testdata/list_runs.json", func() any { return new(RunsPage) }},
		{"testdata/run_usage.json", func() any { return new(RunUsage) }},
	}
	for _, f := range files {
		raw, err := os.ReadFile(f.name)
		require.NoError(t, err)
		var want any
		require.NoError(t, json.Unmarshal(raw, &want))
		v := f.new()
		require.NoError(t, decodeJSON(bytes.NewReader(raw), v))
		for name, marshal := range marshallers {
			t.Run(f.name+"/"+name, func(t *testing.T) {
				out, err := marshal(v)
				require.NoError(t, err)
				var got any
				require.NoError(t, json.Unmarshal(out, &got))
				for _, problem := range missingFrom(want, got, "$") {
					t.Error(problem)
				}
			})
		}
	}
}

// missingFrom lists the keys and values of want that got lacks or holds
// differently; got may have more keys.
func missingFrom(want, got any, path string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %v", path, got)}
		}
		var out []string
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: missing", path, k))
				continue
			}
			out = append(out, missingFrom(wv, gv, path+"."+k)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %d items, got %v", path, len(w), got)}
		}
		var out []string
		for i := range w {
			out = append(out, missingFrom(w[i], g[i], fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	default:
		if want != got {
			return []string{fmt.Sprintf("%s: want %#v, got %#v", path, want, got)}
		}
		return nil
	}
}

func TestDecodeSeedRun(t *testing.T) {
	raw, err := os.ReadFile("testdata/get_run.json")
	require.NoError(t, err)
	var run WorkflowRun
	require.NoError(t, decodeJSON(bytes.NewReader(raw), &run))

	assert.Equal(t, int64(30433642), run.ID)
	assert.Equal(t, StatusQueued, run.Status)
	assert.Equal(t, Conclusion(""), run.Conclusion, "null decodes to the zero value")
	assert.Equal(t, time.Date(2020, 1, 22, 19, 33, 8, 0, time.UTC), run.CreatedAt)
	assert.Equal(t, []PullRequest{}, run.PullRequests)
	require.Len(t, run.ReferencedWorkflows, 3)
	assert.Equal(t, ReferencedWorkflow{Path: "octo-org/octo-repo/.github/workflows/secure.yml@1595d4b6de6a9e9751fb270a41019ce507d4099e", SHA: "1595d4b6de6a9e9751fb270a41019ce507d4099e"}, run.ReferencedWorkflows[2])
	require.NotNil(t, run.HeadCommit)
	assert.Equal(t, &CommitAuthor{Name: "Octo Cat", Email: "octocat@github.com"}, run.HeadCommit.Author)
	require.NotNil(t, run.HeadRepository)
	assert.Equal(t, "", run.HeadRepository.Description)
	require.NotNil(t, run.Repository.Owner)
	assert.Equal(t, "octocat", run.Repository.Owner.Login)
	assert.Equal(t, "git@github.com:octocat/Hello-World.git", run.Repository.SSHURL)
}

func TestNullsAndUnknownValues(t *testing.T) {
	body := `{"id":1,"name":null,"status":"expected_in_2027","conclusion":"new_conclusion","head_commit":null,
		"pull_requests":null,"actor":null,"run_started_at":null,"some_future_field":{"x":1}}`
	var run WorkflowRun
	require.NoError(t, decodeJSON(bytes.NewReader([]byte(body)), &run))
	assert.Equal(t, Status("expected_in_2027"), run.Status, "unknown statuses are kept as they come")
	assert.Equal(t, Conclusion("new_conclusion"), run.Conclusion)
	assert.Empty(t, run.Name)
	assert.Nil(t, run.HeadCommit)
	assert.Nil(t, run.Actor)
	assert.True(t, run.RunStartedAt.IsZero())
}

func TestMarshalZeroValues(t *testing.T) {
	out, err := json.Marshal(WorkflowRun{ID: 7, Repository: &Repository{ID: 1}})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m))
	assert.Contains(t, m, "status")
	assert.Nil(t, m["status"], "an empty status is null, as the API writes it")
	assert.Nil(t, m["conclusion"])
	assert.Nil(t, m["head_commit"])
	repo := m["repository"].(map[string]any)
	assert.Contains(t, repo, "description")
	assert.Nil(t, repo["description"])
	for _, optional := range []string{"name", "run_attempt", "run_started_at", "actor", "previous_attempt_url", "referenced_workflows", "head_repository_id"} {
		assert.NotContains(t, m, optional, "a zero optional field is left out")
	}
	for _, optional := range []string{"topics", "permissions", "license", "pushed_at", "has_downloads"} {
		assert.NotContains(t, repo, optional)
	}

	out, err = json.Marshal(struct {
		S Status
		C Conclusion
	}{StatusCompleted, ConclusionTimedOut})
	require.NoError(t, err)
	assert.JSONEq(t, `{"S":"completed","C":"timed_out"}`, string(out))
}
