package ghactions

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fullRun is the seed's listed run with every kind of reference a run can
// hold: a pull request, referenced workflows, and a head repository with
// topics, a licence, permissions, custom properties and security settings
// (which the table decodes afresh each time rather than copy).
func fullRun(t testing.TB) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("testdata/list_runs.json")
	require.NoError(t, err)
	var page struct {
		WorkflowRuns []map[string]any `json:"workflow_runs"`
	}
	require.NoError(t, json.Unmarshal(raw, &page))
	run := page.WorkflowRuns[0]
	var extra map[string]any
	require.NoError(t, json.Unmarshal([]byte(`{
		"pull_requests": [{"id": 7, "number": 8, "url": "https://api.github.com/repos/octo-org/octo-repo/pulls/8",
			"head": {"ref": "feature", "sha": "aaa", "repo": {"id": 1, "url": "https://api.github.com/repos/octo-org/octo-repo", "name": "octo-repo"}},
			"base": {"ref": "main", "sha": "bbb", "repo": {"id": 1, "url": "https://api.github.com/repos/octo-org/octo-repo", "name": "octo-repo"}}}],
		"referenced_workflows": [{"path": "octo-org/octo-repo/.github/workflows/lint.yml@main", "sha": "ccc", "ref": "refs/heads/main"}],
		"head_repository_id": 1296269
	}`), &extra))
	for k, v := range extra {
		run[k] = v
	}
	head := map[string]any{}
	for k, v := range run["head_repository"].(map[string]any) {
		head[k] = v
	}
	require.NoError(t, json.Unmarshal([]byte(`{
		"topics": ["go", "ci"],
		"pushed_at": "2020-01-22T19:33:08+02:00",
		"license": {"key": "mit", "name": "MIT License", "spdx_id": "MIT"},
		"permissions": {"admin": false, "push": true, "pull": true},
		"code_of_conduct": {"key": "cc", "name": "Contributor Covenant", "url": "https://example.com/coc", "html_url": "https://example.com/coc.html"},
		"custom_properties": {"team": ["web", "api"], "tier": {"level": 1}},
		"security_and_analysis": {"advanced_security": {"status": "enabled"},
			"secret_scanning_delegated_bypass_options": {"reviewers": [{"reviewer_id": 5, "reviewer_type": "TEAM"}]}}
	}`), &head))
	run["head_repository"] = head
	return run
}

// copiesPage builds a page of n copies of run, the same JSON each time.
func copiesPage(t testing.TB, run map[string]any, n int) []byte {
	t.Helper()
	runs := make([]any, n)
	for i := range runs {
		runs[i] = run
	}
	b, err := json.Marshal(map[string]any{"total_count": n, "workflow_runs": runs})
	require.NoError(t, err)
	return b
}

// decodeRunsPage decodes a page as List and ListPage do.
func decodeRunsPage(t testing.TB, b []byte) *RunsPage {
	t.Helper()
	p, err := decodePage[WorkflowRun](bytes.NewReader(b), runsKey, 1000)
	require.NoError(t, err)
	return &RunsPage{TotalCount: p.total, WorkflowRuns: p.items}
}

// Changing a kept run, anywhere in it, changes no other run of its page:
// runs that came as the same JSON share no struct, slice or map.
func TestKeptRunsAreIndependent(t *testing.T) {
	page := copiesPage(t, fullRun(t), 3)
	changes := []struct {
		name   string
		change func(*WorkflowRun)
	}{
		{"Name", func(r *WorkflowRun) { r.Name = "changed" }},
		{"Repository.Name", func(r *WorkflowRun) { r.Repository.Name = "changed" }},
		{"Repository.Owner.Login", func(r *WorkflowRun) { r.Repository.Owner.Login = "changed" }},
		{"Repository.Owner", func(r *WorkflowRun) { *r.Repository.Owner = User{} }},
		{"HeadRepository.Owner.ID", func(r *WorkflowRun) { r.HeadRepository.Owner.ID = 99 }},
		{"HeadRepository.Topics", func(r *WorkflowRun) { r.HeadRepository.Topics[0] = "changed" }},
		{"HeadRepository.License", func(r *WorkflowRun) { r.HeadRepository.License.Name = "changed" }},
		{"HeadRepository.Permissions", func(r *WorkflowRun) { r.HeadRepository.Permissions.Admin = true }},
		{"HeadRepository.CodeOfConduct", func(r *WorkflowRun) { r.HeadRepository.CodeOfConduct.Key = "changed" }},
		{"HeadRepository.CustomProperties", func(r *WorkflowRun) {
			r.HeadRepository.CustomProperties["team"].([]any)[0] = "changed"
			r.HeadRepository.CustomProperties["tier"].(map[string]any)["level"] = 2.0
			r.HeadRepository.CustomProperties["new"] = true
		}},
		{"HeadRepository.SecurityAndAnalysis", func(r *WorkflowRun) {
			r.HeadRepository.SecurityAndAnalysis.AdvancedSecurity.Status = "disabled"
			r.HeadRepository.SecurityAndAnalysis.SecretScanningDelegatedBypassOptions.Reviewers[0].Mode = "changed"
		}},
		{"Actor.Login", func(r *WorkflowRun) { r.Actor.Login = "changed" }},
		{"TriggeringActor.SiteAdmin", func(r *WorkflowRun) { r.TriggeringActor.SiteAdmin = true }},
		{"HeadCommit.Message", func(r *WorkflowRun) { r.HeadCommit.Message = "changed" }},
		{"HeadCommit.Author", func(r *WorkflowRun) { r.HeadCommit.Author.Name = "changed" }},
		{"PullRequests", func(r *WorkflowRun) {
			r.PullRequests[0].Number = 99
			r.PullRequests[0].Head.Ref = "changed"
			r.PullRequests[0].Base.Repo.Name = "changed"
		}},
		{"ReferencedWorkflows", func(r *WorkflowRun) { r.ReferencedWorkflows[0].Path = "changed" }},
	}
	for _, c := range changes {
		for _, changed := range []int{0, 2} { // the first decoded, and a copy
			t.Run(fmt.Sprintf("%s/run%d", c.name, changed), func(t *testing.T) {
				want := decodeRunsPage(t, page)
				got := decodeRunsPage(t, page)
				c.change(got.WorkflowRuns[changed])
				require.NotEqual(t, want.WorkflowRuns[changed], got.WorkflowRuns[changed], "the change changes nothing")
				for i := range got.WorkflowRuns {
					if i != changed {
						assert.Equal(t, want.WorkflowRuns[i], got.WorkflowRuns[i], "run %d changed with run %d", i, changed)
					}
				}
			})
		}
	}
}

// No pointer, slice or map reachable from one run of a page is reachable
// from another, whatever field a later change of the types adds.
func TestKeptRunsShareNoReference(t *testing.T) {
	for name, run := range map[string]map[string]any{"seed": seedRunMap(t), "full": fullRun(t)} {
		t.Run(name, func(t *testing.T) {
			p := decodeRunsPage(t, copiesPage(t, run, 3))
			refs := make([]map[uintptr]string, len(p.WorkflowRuns))
			for i, r := range p.WorkflowRuns {
				refs[i] = map[uintptr]string{}
				collectRefs(reflect.ValueOf(r), "run", refs[i])
			}
			require.Greater(t, len(refs[0]), 8, "the walk found too few references to mean anything")
			for i := range refs {
				for j := i + 1; j < len(refs); j++ {
					for addr, path := range refs[i] {
						if other, ok := refs[j][addr]; ok {
							t.Errorf("run %d's %s is run %d's %s", i, path, j, other)
						}
					}
				}
			}
		})
	}
}

func seedRunMap(t testing.TB) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("testdata/list_runs.json")
	require.NoError(t, err)
	var page struct {
		WorkflowRuns []map[string]any `json:"workflow_runs"`
	}
	require.NoError(t, json.Unmarshal(raw, &page))
	return page.WorkflowRuns[0]
}

// collectRefs records, by path, the address of every pointer, slice array
// and map reachable from v. Strings are left out: sharing their bytes is the
// point. So is time.Time, whose *Location never changes.
func collectRefs(v reflect.Value, path string, refs map[uintptr]string) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			refs[v.Pointer()] = path
			collectRefs(v.Elem(), path, refs)
		}
	case reflect.Interface:
		if !v.IsNil() {
			collectRefs(v.Elem(), path, refs)
		}
	case reflect.Slice:
		if v.Cap() > 0 { // an empty slice may point at the runtime's zero base
			refs[v.Pointer()] = path
		}
		for i := range v.Len() {
			collectRefs(v.Index(i), fmt.Sprintf("%s[%d]", path, i), refs)
		}
	case reflect.Map:
		if !v.IsNil() {
			refs[v.Pointer()] = path
			for it := v.MapRange(); it.Next(); {
				collectRefs(it.Value(), fmt.Sprintf("%s[%v]", path, it.Key()), refs)
			}
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			collectRefs(v.Field(i), path+"."+v.Type().Field(i).Name, refs)
		}
	}
}

// A repository or user that comes again on a page holds the bytes of the
// first one's strings; the run's own URLs stay its own.
func TestInternTableSharesStrings(t *testing.T) {
	p := decodeRunsPage(t, benchPage(t, 3))
	first, last := p.WorkflowRuns[0], p.WorkflowRuns[2]
	require.NotSame(t, first.Repository, last.Repository)
	require.NotSame(t, first.Repository.Owner, last.Repository.Owner)
	for name, pair := range map[string][2]any{
		"Repository":       {first.Repository, last.Repository},
		"HeadRepository":   {first.HeadRepository, last.HeadRepository},
		"Repository.Owner": {first.Repository.Owner, last.Repository.Owner},
		"Actor":            {first.Repository.Owner, last.Actor}, // the same user
		"Triggering actor": {first.Actor, first.TriggeringActor},
	} {
		a, b := reflect.ValueOf(pair[0]).Elem(), reflect.ValueOf(pair[1]).Elem()
		for i := range a.NumField() {
			if f := a.Field(i); f.Kind() == reflect.String && f.Len() > 1 {
				assert.Same(t, unsafe.StringData(f.String()), unsafe.StringData(b.Field(i).String()),
					"%s.%s is a copy", name, a.Type().Field(i).Name)
			}
		}
	}
	assert.NotEqual(t, first.JobsURL, last.JobsURL)
}

// Decoding through the table gives what decoding without it gives, errors
// included (a wrong type in a user or repository met for the first time is
// reported at its place in the whole answer).
func TestInternTableDecodesAsWithout(t *testing.T) {
	seed, err := os.ReadFile("testdata/list_runs.json")
	require.NoError(t, err)
	inputs := map[string]string{
		"seed page":       string(seed),
		"bench page":      string(benchPage(t, 5)),
		"full page":       string(copiesPage(t, fullRun(t), 3)),
		"nothing repeats": string(distinctPage(t, 20)),
		"forks":           string(forkPage(t, 20)),
		"users differ":    `{"workflow_runs":[{"actor":{"login":"a","id":1}},{"actor":{"login":"b","id":2}},{"actor":{"login":"a","id":1}}]}`,
		"nulls":           `{"workflow_runs":[{"actor":null,"repository":null},{"actor":null,"repository":{"id":1,"owner":null}},{"repository":{"id":1,"owner":null}}]}`,
		"key sent twice":  `{"workflow_runs":[{"actor":{"login":"a"}},{"actor":{"login":"a","id":3},"actor":{"login":"a"}}]}`,
		"repo sent twice": `{"workflow_runs":[{"repository":{"id":1}},{"repository":{"id":1,"name":"x"},"repository":{"id":1}}]}`,
		"wrong type":      `{"workflow_runs":[{"actor":{"login":"a"}},{"actor":{"login":5}}]}`,
		"owner wrong":     `{"workflow_runs":[{"repository":{"owner":{"id":"1"}}}]}`,
		"user not object": `{"workflow_runs":[{"actor":"octocat"}]}`,
		"repo is array":   `{"workflow_runs":[{"repository":[1]}]}`,
		"bad syntax":      `{"workflow_runs":[{"actor":{"login":"a",}}]}`,
		"escapes":         `{"workflow_runs":[{"actor":{"login":"\u0061\n"}},{"actor":{"login":"\u0061\n"}}]}`,
		"invalid UTF-8":   "{\"workflow_runs\":[{\"actor\":{\"login\":\"a\xff\"}},{\"actor\":{\"login\":\"a\xff\"}}]}",
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			var with, without RunsPage
			errWith := decodeJSON(bytes.NewReader([]byte(in)), &with)
			errWithout := jsonv2.Unmarshal([]byte(in), &without, decodeOptions)
			require.Equal(t, errWithout == nil, errWith == nil, "with the table: %v; without: %v", errWith, errWithout)
			var semErr *jsonv2.SemanticError
			if errors.As(errWithout, &semErr) {
				assert.EqualError(t, errWith, errWithout.Error())
			}
			if errWith == nil {
				assert.Equal(t, without, with)
			}
		})
	}
}

// FuzzInternTable checks that decoding through the table gives what decoding
// without it gives, for pages and for single runs.
func FuzzInternTable(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, newValue := range []func() any{
			func() any { return new(RunsPage) },
			func() any { return new(WorkflowRun) },
		} {
			with, without := newValue(), newValue()
			errWith := decodeJSON(bytes.NewReader(body), with)
			errWithout := jsonv2.Unmarshal(body, without, decodeOptions)
			if (errWith == nil) != (errWithout == nil) {
				t.Fatalf("with the table: %v; without: %v", errWith, errWithout)
			}
			if errWith == nil && !reflect.DeepEqual(with, without) {
				t.Fatalf("with the table:\n%+v\nwithout:\n%+v", with, without)
			}
		}
	})
}

// The table stops looking up a kind of value when new ones keep coming, and
// keeps at it on a page of pull-request runs from forks, where only the
// repository and each run's own user repeat.
func TestInternTableLooksUpWhileWorthIt(t *testing.T) {
	tests := []struct {
		name      string
		page      []byte
		wantUsers int // values the table holds at the end
		wantRepos int
	}{
		{"nothing repeats", distinctPage(t, 20), 8, 8},
		{"forks", forkPage(t, 20), 21, 21}, // and the repository's owner
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := newInternTable()
			var p RunsPage
			require.NoError(t, jsonv2.Unmarshal(tt.page, &p, decodeOptions, tab.options()))
			require.Len(t, p.WorkflowRuns, 20)
			assert.Equal(t, tt.wantUsers, len(tab.users), "users held")
			assert.Equal(t, tt.wantRepos, len(tab.repos), "repositories held")
		})
	}
}

// forkPage is a page of n runs of the seed's repository, each from its own
// user's fork: the user is the actor, the triggering actor and the head
// repository's owner.
func forkPage(t testing.TB, n int) []byte {
	t.Helper()
	runs := make([]any, n)
	for i := range runs {
		run := seedRunMap(t)
		user := map[string]any{}
		for k, v := range run["actor"].(map[string]any) {
			user[k] = v
		}
		user["login"], user["id"] = fmt.Sprintf("user%d", i), 1000+i
		head := map[string]any{}
		for k, v := range run["head_repository"].(map[string]any) {
			head[k] = v
		}
		head["id"], head["full_name"], head["owner"] = 2000+i, fmt.Sprintf("user%d/hello-world", i), user
		run["actor"], run["triggering_actor"], run["head_repository"] = user, user, head
		runs[i] = run
	}
	b, err := json.Marshal(map[string]any{"total_count": n, "workflow_runs": runs})
	require.NoError(t, err)
	return b
}

// A decoder that hands out runs one at a time, with one table for the page,
// gives runs that a change to an earlier one, made in between, does not
// reach.
func TestInternTableCopiesFromItsOwn(t *testing.T) {
	run, err := json.Marshal(seedRunMap(t))
	require.NoError(t, err)
	changes := map[string]func(*WorkflowRun){
		"Actor":            func(r *WorkflowRun) { r.Actor.Login = "changed" },
		"Repository":       func(r *WorkflowRun) { r.Repository.Name = "changed" },
		"Repository.Owner": func(r *WorkflowRun) { r.Repository.Owner.Login = "changed" },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			tab := newInternTable()
			var first, second, want WorkflowRun
			require.NoError(t, jsonv2.Unmarshal(run, &first, decodeOptions, tab.options()))
			change(&first)
			require.NoError(t, jsonv2.Unmarshal(run, &second, decodeOptions, tab.options()))
			require.NoError(t, jsonv2.Unmarshal(run, &want, decodeOptions))
			assert.Equal(t, want, second)
		})
	}
}

// A run's URL shares the bytes of its artifacts URL, which begins with it;
// a run whose URLs do not line up keeps its own.
func TestRunURLSharesItsArtifactsURL(t *testing.T) {
	tests := []struct {
		name           string
		url, artifacts string
		shared         bool
	}{
		{"as GitHub writes them", "https://api.github.com/repos/o/r/actions/runs/1", "https://api.github.com/repos/o/r/actions/runs/1/artifacts", true},
		{"another run's artifacts", "https://api.github.com/repos/o/r/actions/runs/1", "https://api.github.com/repos/o/r/actions/runs/2/artifacts", false},
		{"no artifacts URL", "https://api.github.com/repos/o/r/actions/runs/1", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(map[string]any{"workflow_runs": []any{map[string]any{"url": tt.url, "artifacts_url": tt.artifacts}}})
			require.NoError(t, err)
			run := decodeRunsPage(t, b).WorkflowRuns[0]
			assert.Equal(t, tt.url, run.URL)
			assert.Equal(t, tt.artifacts, run.ArtifactsURL)
			assert.Equal(t, tt.shared, unsafe.StringData(run.URL) == unsafe.StringData(run.ArtifactsURL))
		})
	}
}
