package ghactionstest_test

// The fake checked against GitHub's own description of its API. The test
// needs the description, which the repository does not hold (13 MB); it is
// skipped without it. To run it:
//
//	npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz
//	GHACTIONS_OPENAPI=$PWD/package/generated/api.github.com.json go test -run OpenAPI ./ghactionstest
//
// It drives every workflow-runs and workflow-jobs operation of the
// description, the operations behind the URLs a run hands out and the
// workflow dispatch, against a demo server, and checks each answer: a status
// the operation documents, the headers it documents (Link on a list of more
// than one page, Location on a 302), a JSON Content-Type on a JSON body, and
// the body against the operation's schema. The answers of the workflow-runs
// and workflow-jobs operations must also have every key of the operation's
// examples, which are GitHub's own answers: the schema leaves many keys
// optional that GitHub always sends. (The examples of the other operations
// show their resources in other contexts, with keys a run's never has.)

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// openAPIDoc is GitHub's OpenAPI 3.0 description, decoded with its numbers
// kept as json.Number.
type openAPIDoc map[string]any

func loadOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	name := os.Getenv("GHACTIONS_OPENAPI")
	if name == "" {
		t.Skip("GHACTIONS_OPENAPI does not name GitHub's OpenAPI description (api.github.com.json of @octokit/openapi)")
	}
	b, err := os.ReadFile(name)
	require.NoError(t, err)
	var doc openAPIDoc
	require.NoError(t, decodeNumbers(b, &doc))
	return doc
}

func decodeNumbers(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// lookup follows a local reference, "#/components/schemas/workflow-run".
func (doc openAPIDoc) lookup(ref string) map[string]any {
	var cur any = map[string]any(doc)
	for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		m, _ := cur.(map[string]any)
		cur = m[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]
	}
	m, _ := cur.(map[string]any)
	return m
}

// deref follows $ref until an object without one.
func (doc openAPIDoc) deref(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		s = doc.lookup(ref)
	}
}

// operation finds the operation of a method and a path of the description.
func (doc openAPIDoc) operation(method, path string) map[string]any {
	paths, _ := doc["paths"].(map[string]any)
	item, _ := paths[path].(map[string]any)
	op, _ := item[strings.ToLower(method)].(map[string]any)
	return op
}

// validate checks v against the schema s, for the part of OpenAPI 3.0's
// schema objects that GitHub's description uses: type, required, nullable,
// properties, additionalProperties, items, enum, format, oneOf, anyOf and
// $ref. It returns what does not hold, each with its place in v.
func (doc openAPIDoc) validate(v any, s map[string]any, at string) []string {
	s = doc.deref(s)
	enum, hasEnum := s["enum"].([]any)
	if v == nil {
		if s["nullable"] == true || hasEnum && slices.Contains(enum, nil) {
			return nil
		}
		return []string{at + ": null, which the schema does not allow"}
	}
	if alts, ok := s["oneOf"].([]any); ok {
		if n := doc.matches(v, alts, at); n != 1 {
			return []string{fmt.Sprintf("%s: matches %d of oneOf's %d schemas, not one", at, n, len(alts))}
		}
	}
	if alts, ok := s["anyOf"].([]any); ok && doc.matches(v, alts, at) == 0 {
		return []string{fmt.Sprintf("%s: matches none of anyOf's %d schemas", at, len(alts))}
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	switch s["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("%T, not an object", v)
			break
		}
		errs = append(errs, doc.validateObject(m, s, at)...)
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("%T, not an array", v)
			break
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, item := range a {
				errs = append(errs, doc.validate(item, items, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			bad("%T, not a string", v)
			break
		}
		if msg := checkFormat(str, s["format"]); msg != "" {
			bad("%q: %s", str, msg)
		}
	case "integer":
		if n, ok := v.(json.Number); !ok {
			bad("%T, not an integer", v)
		} else if _, err := n.Int64(); err != nil {
			bad("%s, not an integer", n)
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			bad("%T, not a number", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("%T, not a boolean", v)
		}
	}
	if hasEnum && !slices.Contains(enum, v) {
		bad("%v, not one of %v", v, enum)
	}
	return errs
}

// validateObject checks an object's required keys and its values.
func (doc openAPIDoc) validateObject(m map[string]any, s map[string]any, at string) []string {
	var errs []string
	required, _ := s["required"].([]any)
	for _, k := range required {
		if _, ok := m[k.(string)]; !ok {
			errs = append(errs, fmt.Sprintf("%s: required key %q missing", at, k))
		}
	}
	props, _ := s["properties"].(map[string]any)
	for _, k := range slices.Sorted(mapKeys(m)) {
		if ps, ok := props[k].(map[string]any); ok {
			errs = append(errs, doc.validate(m[k], ps, at+"."+k)...)
			continue
		}
		switch extra := s["additionalProperties"].(type) {
		case bool:
			if !extra {
				errs = append(errs, fmt.Sprintf("%s: key %q, which the schema does not allow", at, k))
			}
		case map[string]any:
			errs = append(errs, doc.validate(m[k], extra, at+"."+k)...)
		}
	}
	return errs
}

func (doc openAPIDoc) matches(v any, alts []any, at string) int {
	n := 0
	for _, alt := range alts {
		if s, ok := alt.(map[string]any); ok && len(doc.validate(v, s, at)) == 0 {
			n++
		}
	}
	return n
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// checkFormat checks the formats the description uses on strings.
func checkFormat(s string, format any) string {
	switch format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return "not an RFC 3339 date-time"
		}
	case "uri":
		if u, err := url.Parse(s); err != nil || u.Scheme == "" || u.Host == "" {
			return "not an absolute URI"
		}
	case "email":
		if !strings.Contains(s, "@") {
			return "not an email address"
		}
	}
	return ""
}

// conformance is the demo server the operations are driven against, with
// the runs each of them needs, found by their filters.
type conformance struct {
	srv *ghactionstest.Server
	ids map[string]string // run IDs by what they are
	job string            // a job of a failed run
}

// The extra run and environment the demo lacks: a deployment held by a
// custom gate, and a failed run whose job has a known ID.
const (
	gatedEnvironment = "gated"
	failedJobID      = 1
)

func newConformance(t *testing.T) *conformance {
	t.Helper()
	srv := newServer(t)
	srv.SeedDemo()
	srv.AddEnvironment(ghactionstest.DemoOwner, ghactionstest.DemoRepo, ghactionstest.Environment{Name: gatedEnvironment, CustomGate: true})
	gated := srv.AddRun(ghactionstest.DemoOwner, ghactionstest.DemoRepo, ghactions.WorkflowRun{Path: ".github/workflows/gated.yml", Status: ghactions.StatusWaiting},
		ghactionstest.Job{Name: "deploy", Status: ghactions.StatusWaiting, Environment: gatedEnvironment})
	srv.AddRun(ghactionstest.DemoOwner, ghactionstest.DemoRepo, ghactions.WorkflowRun{Path: ".github/workflows/jobs.yml", Conclusion: ghactions.ConclusionFailure},
		ghactionstest.Job{ID: failedJobID, Name: "build", Conclusion: ghactions.ConclusionFailure})
	c := &conformance{srv: srv, ids: map[string]string{"gated": strconv.FormatInt(gated.ID, 10)}, job: strconv.Itoa(failedJobID)}
	for name, query := range map[string]string{
		"success":     "status=success&event=push",
		"failure":     "status=failure&branch=feature%2Flogin",
		"in_progress": "status=in_progress",
		"fork":        "status=action_required",
		"waiting":     "status=waiting&event=workflow_dispatch",
		"attempts":    "status=success&event=schedule",
	} {
		p, _ := listPage(t, srv, runs+"?per_page=1&"+query)
		require.Len(t, p.WorkflowRuns, 1, query)
		c.ids[name] = strconv.FormatInt(p.WorkflowRuns[0].ID, 10)
	}
	return c
}

func (c *conformance) run(name string) string { return runs + "/" + c.ids[name] }

// production is the ID of the environment the waiting demo run waits on.
func (c *conformance) production(t *testing.T) string {
	var pending []struct {
		Environment struct {
			ID int64 `json:"id"`
		} `json:"environment"`
	}
	require.NoError(t, json.Unmarshal(call(t, c.srv, "GET", c.run("waiting")+"/pending_deployments", "").body, &pending))
	require.Len(t, pending, 1)
	return strconv.FormatInt(pending[0].Environment.ID, 10)
}

// conformanceCase is one request to one operation, and the status the case
// expects of it, which the operation must document.
type conformanceCase struct {
	name     string
	method   string
	specPath string // the operation's path in the description
	target   func(t *testing.T, c *conformance) string
	body     string
	status   int
}

func conformanceCases() []conformanceCase {
	const (
		repoPath = "/repos/{owner}/{repo}"
		runsPath = repoPath + "/actions/runs"
		runPath  = runsPath + "/{run_id}"
	)
	at := func(path string) func(*testing.T, *conformance) string {
		return func(*testing.T, *conformance) string { return path }
	}
	of := func(run, suffix string) func(*testing.T, *conformance) string {
		return func(_ *testing.T, c *conformance) string { return c.run(run) + suffix }
	}
	return []conformanceCase{
		{"every run, one page", "GET", runsPath, at(runs + "?per_page=100"), "", 200},
		{"a page of runs", "GET", runsPath, at(runs + "?per_page=5&page=2"), "", 200},
		{"filtered runs", "GET", runsPath, at(runs + "?status=completed&branch=main&exclude_pull_requests=true&per_page=3"), "", 200},
		{"a workflow's runs by file name", "GET", repoPath + "/actions/workflows/{workflow_id}/runs", at("repos/octo-org/octo-repo/actions/workflows/ci.yml/runs?per_page=4"), "", 200},
		{"a workflow's runs by ID", "GET", repoPath + "/actions/workflows/{workflow_id}/runs", func(t *testing.T, c *conformance) string {
			return "repos/octo-org/octo-repo/actions/workflows/" + strconv.FormatInt(getRun(t, c.srv, c.run("success")).WorkflowID, 10) + "/runs"
		}, "", 200},
		{"a completed run", "GET", runPath, of("success", ""), "", 200},
		{"a run in progress", "GET", runPath, of("in_progress", ""), "", 200},
		{"a fork's run", "GET", runPath, of("fork", ""), "", 200},
		{"a waiting run without pull requests", "GET", runPath, of("waiting", "?exclude_pull_requests=true"), "", 200},
		{"a run's third attempt", "GET", runPath, of("attempts", ""), "", 200},
		{"delete a run", "DELETE", runPath, of("success", ""), "", 204},
		{"review history", "GET", runPath + "/approvals", of("waiting", "/approvals"), "", 200},
		{"approve a fork's run", "POST", runPath + "/approve", of("fork", "/approve"), "", 201},
		{"approve a run not from a fork", "POST", runPath + "/approve", of("success", "/approve"), "", 403},
		{"an attempt", "GET", runPath + "/attempts/{attempt_number}", of("attempts", "/attempts/2"), "", 200},
		{"an attempt's logs", "GET", runPath + "/attempts/{attempt_number}/logs", of("attempts", "/attempts/1/logs"), "", 302},
		{"cancel", "POST", runPath + "/cancel", of("in_progress", "/cancel"), "", 202},
		{"cancel a completed run", "POST", runPath + "/cancel", of("success", "/cancel"), "", 409},
		{"review a custom gate", "POST", runPath + "/deployment_protection_rule", of("gated", "/deployment_protection_rule"),
			`{"environment_name":"` + gatedEnvironment + `","state":"approved","comment":"Checks pass"}`, 204},
		{"force-cancel", "POST", runPath + "/force-cancel", of("in_progress", "/force-cancel"), "", 202},
		{"force-cancel a completed run", "POST", runPath + "/force-cancel", of("success", "/force-cancel"), "", 409},
		{"logs", "GET", runPath + "/logs", of("failure", "/logs"), "", 302},
		{"delete logs", "DELETE", runPath + "/logs", of("failure", "/logs"), "", 204},
		{"pending deployments", "GET", runPath + "/pending_deployments", of("waiting", "/pending_deployments"), "", 200},
		{"review pending deployments", "POST", runPath + "/pending_deployments", of("waiting", "/pending_deployments"), "{production}", 200},
		{"re-run", "POST", runPath + "/rerun", of("success", "/rerun"), `{"enable_debug_logging":true}`, 201},
		{"re-run failed jobs", "POST", runPath + "/rerun-failed-jobs", of("failure", "/rerun-failed-jobs"), "", 201},
		{"re-run a job", "POST", repoPath + "/actions/jobs/{job_id}/rerun", func(_ *testing.T, c *conformance) string {
			return "repos/octo-org/octo-repo/actions/jobs/" + c.job + "/rerun"
		}, "", 201},
		{"usage", "GET", runPath + "/timing", of("failure", "/timing"), "", 200},
		{"a workflow by ID", "GET", repoPath + "/actions/workflows/{workflow_id}", func(t *testing.T, c *conformance) string {
			return strings.TrimPrefix(getRun(t, c.srv, c.run("failure")).WorkflowURL, c.srv.URL())
		}, "", 200},
		{"a workflow by file name", "GET", repoPath + "/actions/workflows/{workflow_id}", at("repos/octo-org/octo-repo/actions/workflows/deploy.yml"), "", 200},
		{"dispatch, with the run's details", "POST", repoPath + "/actions/workflows/{workflow_id}/dispatches", at("repos/octo-org/octo-repo/actions/workflows/deploy.yml/dispatches"),
			`{"ref":"main","inputs":{"environment":"production","dry-run":true},"return_run_details":true}`, 200},
		{"dispatch", "POST", repoPath + "/actions/workflows/{workflow_id}/dispatches", at("repos/octo-org/octo-repo/actions/workflows/nightly.yml/dispatches"), `{"ref":"main"}`, 204},
		{"a check suite", "GET", repoPath + "/check-suites/{check_suite_id}", func(t *testing.T, c *conformance) string {
			return strings.TrimPrefix(getRun(t, c.srv, c.run("fork")).CheckSuiteURL, c.srv.URL())
		}, "", 200},
		{"artifacts", "GET", runPath + "/artifacts", of("failure", "/artifacts?per_page=10"), "", 200},
		{"a run's jobs, a page", "GET", runPath + "/jobs", of("failure", "/jobs?per_page=2"), "", 200},
		{"every attempt's jobs", "GET", runPath + "/jobs", of("attempts", "/jobs?filter=all"), "", 200},
		{"the jobs of a run in progress", "GET", runPath + "/jobs", of("in_progress", "/jobs"), "", 200},
		{"the jobs of a run waiting", "GET", runPath + "/jobs", of("waiting", "/jobs"), "", 200},
		{"an attempt's jobs", "GET", runPath + "/attempts/{attempt_number}/jobs", of("attempts", "/attempts/2/jobs"), "", 200},
		{"an attempt that is not there", "GET", runPath + "/attempts/{attempt_number}/jobs", of("success", "/attempts/9/jobs"), "", 404},
		{"a failed job", "GET", repoPath + "/actions/jobs/{job_id}", func(_ *testing.T, c *conformance) string {
			return "repos/octo-org/octo-repo/actions/jobs/" + c.job
		}, "", 200},
		{"a job in progress", "GET", repoPath + "/actions/jobs/{job_id}", func(t *testing.T, c *conformance) string {
			return strings.TrimPrefix(firstJob(t, c, "in_progress", ghactions.StatusInProgress).URL, c.srv.URL())
		}, "", 200},
		{"a queued job", "GET", repoPath + "/actions/jobs/{job_id}", func(t *testing.T, c *conformance) string {
			return strings.TrimPrefix(firstJob(t, c, "in_progress", ghactions.StatusQueued).URL, c.srv.URL())
		}, "", 200},
		{"a job's log", "GET", repoPath + "/actions/jobs/{job_id}/logs", func(_ *testing.T, c *conformance) string {
			return "repos/octo-org/octo-repo/actions/jobs/" + c.job + "/logs"
		}, "", 302},
	}
}

// firstJob finds the first job of a run that has status.
func firstJob(t *testing.T, c *conformance, run string, status ghactions.Status) ghactions.Job {
	t.Helper()
	var p ghactions.JobsPage
	require.NoError(t, json.Unmarshal(call(t, c.srv, "GET", c.run(run)+"/jobs", "").body, &p))
	for _, j := range p.Jobs {
		if j.Status == status {
			return *j
		}
	}
	t.Fatalf("run %s has no job %s", run, status)
	return ghactions.Job{}
}

func TestOpenAPIConformance(t *testing.T) {
	doc := loadOpenAPI(t)
	driven := map[string]bool{}
	for _, tc := range conformanceCases() {
		t.Run(tc.name, func(t *testing.T) {
			op := doc.operation(tc.method, tc.specPath)
			require.NotNil(t, op, "%s %s is not in the description", tc.method, tc.specPath)
			driven[op["operationId"].(string)] = true

			c := newConformance(t)
			body := tc.body
			if body == "{production}" {
				body = `{"environment_ids":[` + c.production(t) + `],"state":"approved","comment":"Ship it"}`
			}
			r := call(t, c.srv, tc.method, tc.target(t, c), body)
			require.Equal(t, tc.status, r.status, "body: %s", r.body)
			responses, _ := op["responses"].(map[string]any)
			documented, ok := responses[strconv.Itoa(r.status)].(map[string]any)
			require.True(t, ok, "%d is not among the statuses the description documents: %v", r.status, slices.Sorted(mapKeys(responses)))
			for _, problem := range doc.checkAnswer(doc.deref(documented), r) {
				t.Error(problem)
			}
			if xg, _ := op["x-github"].(map[string]any); xg["subcategory"] == "workflow-runs" || xg["subcategory"] == "workflow-jobs" {
				for _, problem := range doc.checkExamples(doc.deref(documented), r) {
					t.Error(problem)
				}
			}
		})
	}
	t.Run("every operation", func(t *testing.T) {
		want := []string{"actions/get-workflow", "checks/get-suite", "actions/list-workflow-run-artifacts", "actions/create-workflow-dispatch"}
		for _, item := range doc["paths"].(map[string]any) {
			for _, op := range item.(map[string]any) {
				op, _ := op.(map[string]any)
				if xg, _ := op["x-github"].(map[string]any); xg["category"] == "actions" && (xg["subcategory"] == "workflow-runs" || xg["subcategory"] == "workflow-jobs") {
					want = append(want, op["operationId"].(string))
				}
			}
		}
		assert.Len(t, want, 27, "the 19 workflow-runs operations, the 4 workflow-jobs ones, the 3 a run links to and the dispatch")
		assert.ElementsMatch(t, want, slices.Collect(func(yield func(string) bool) {
			for id := range driven {
				if !yield(id) {
					return
				}
			}
		}))
	})
}

// checkAnswer checks an answer against the response the description
// documents for its status: its headers, its content type, its body.
func (doc openAPIDoc) checkAnswer(documented map[string]any, r reply) []string {
	var problems []string
	headers, _ := documented["headers"].(map[string]any)
	if _, ok := headers["Location"]; ok {
		if u, err := url.Parse(r.header.Get("Location")); err != nil || !u.IsAbs() {
			problems = append(problems, fmt.Sprintf("Location %q is not an absolute URL", r.header.Get("Location")))
		}
	}
	content, _ := documented["content"].(map[string]any)
	media, isJSON := content["application/json"].(map[string]any)
	if !isJSON {
		if len(r.body) > 0 {
			problems = append(problems, fmt.Sprintf("a body where the description documents none: %s", r.body))
		}
		return problems
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		problems = append(problems, fmt.Sprintf("Content-Type %q, not JSON", ct))
	}
	var v any
	if err := decodeNumbers(r.body, &v); err != nil {
		return append(problems, fmt.Sprintf("the body is not JSON: %v: %s", err, r.body))
	}
	if _, ok := headers["Link"]; ok && r.header.Get("Link") == "" && morePages(v) {
		problems = append(problems, "no Link header on a list of more than one page")
	}
	schema, _ := media["schema"].(map[string]any)
	return append(problems, doc.validate(v, schema, "$")...)
}

// checkExamples lists the keys of the documented examples that the answer
// lacks, where the answer has the object that holds them.
func (doc openAPIDoc) checkExamples(documented map[string]any, r reply) []string {
	content, _ := documented["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	examples, _ := media["examples"].(map[string]any)
	var got any
	if len(examples) == 0 || decodeNumbers(r.body, &got) != nil {
		return nil
	}
	var problems []string
	for _, name := range slices.Sorted(mapKeys(examples)) {
		ex, _ := examples[name].(map[string]any)
		for _, at := range missingKeys(doc.deref(ex)["value"], got, "$") {
			problems = append(problems, fmt.Sprintf("%s: in GitHub's example %q, not in the answer", at, name))
		}
	}
	return problems
}

// missingKeys lists the keys of the example that got lacks, comparing the
// first item of arrays.
func missingKeys(example, got any, at string) []string {
	var out []string
	switch e := example.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return nil
		}
		for _, k := range slices.Sorted(mapKeys(e)) {
			if gv, ok := g[k]; ok {
				out = append(out, missingKeys(e[k], gv, at+"."+k)...)
			} else {
				out = append(out, at+"."+k)
			}
		}
	case []any:
		if g, ok := got.([]any); ok && len(e) > 0 && len(g) > 0 {
			out = missingKeys(e[0], g[0], at+"[0]")
		}
	}
	return out
}

// morePages reports whether a list answer holds fewer items than its
// total_count: there are other pages, which a Link header must lead to.
func morePages(v any) bool {
	m, _ := v.(map[string]any)
	total, _ := m["total_count"].(json.Number)
	n, _ := total.Int64()
	for k, items := range m {
		if a, ok := items.([]any); ok && k != "total_count" {
			return int64(len(a)) < n
		}
	}
	return false
}

// The validator itself, so that a conformance run that finds nothing means
// something.
func TestOpenAPIValidator(t *testing.T) {
	doc := openAPIDoc{"components": map[string]any{"schemas": map[string]any{
		"thing": map[string]any{
			"type":     "object",
			"required": []any{"id", "name"},
			"properties": map[string]any{
				"id":    map[string]any{"type": "integer"},
				"name":  map[string]any{"type": "string", "nullable": true},
				"state": map[string]any{"type": "string", "enum": []any{"on", "off"}},
				"at":    map[string]any{"type": "string", "format": "date-time"},
				"tags":  map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
				"owner": map[string]any{"oneOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}},
				"empty": map[string]any{"type": "object", "properties": map[string]any{}, "additionalProperties": false},
			},
		},
	}}}
	ref := map[string]any{"$ref": "#/components/schemas/thing"}
	tests := []struct {
		json, problem string // problem: "" when the value conforms
	}{
		{`{"id":1,"name":"a","state":"on","at":"2025-03-03T09:00:00Z","tags":["x"],"owner":"o","empty":{}}`, ""},
		{`{"id":1,"name":null}`, ""},
		{`{"id":1}`, `$: required key "name" missing`},
		{`{"id":1.5,"name":"a"}`, "$.id: 1.5, not an integer"},
		{`{"id":"1","name":"a"}`, "$.id: string, not an integer"},
		{`{"id":1,"name":"a","state":"maybe"}`, "$.state: maybe, not one of [on off]"},
		{`{"id":1,"name":"a","at":"yesterday"}`, `$.at: "yesterday": not an RFC 3339 date-time`},
		{`{"id":1,"name":"a","tags":[1]}`, "$.tags[0]: json.Number, not a string"},
		{`{"id":1,"name":"a","owner":true}`, "$.owner: matches 0 of oneOf's 2 schemas, not one"},
		{`{"id":1,"name":"a","empty":{"x":1}}`, `$.empty: key "x", which the schema does not allow`},
		{`{"id":1,"name":"a","state":null}`, "$.state: null, which the schema does not allow"},
		{`[]`, "$: []interface {}, not an object"},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			var v any
			require.NoError(t, decodeNumbers([]byte(tt.json), &v))
			problems := doc.validate(v, ref, "$")
			if tt.problem == "" {
				assert.Empty(t, problems)
				return
			}
			assert.Equal(t, []string{tt.problem}, problems)
		})
	}
}

func TestOpenAPIExampleKeys(t *testing.T) {
	example := map[string]any{"id": 1, "run": map[string]any{"url": "u", "attempt": nil}, "items": []any{map[string]any{"a": 1, "b": 2}}}
	tests := []struct {
		got  string
		want []string
	}{
		{`{"id":1,"run":{"url":"u","attempt":null},"items":[{"a":1,"b":2}],"more":true}`, nil},
		{`{"run":{"url":"u"},"items":[{"a":1}]}`, []string{"$.id", "$.items[0].b", "$.run.attempt"}},
		{`{"id":1,"run":null,"items":[]}`, nil},
	}
	for _, tt := range tests {
		var got any
		require.NoError(t, decodeNumbers([]byte(tt.got), &got))
		assert.Equal(t, tt.want, missingKeys(example, got, "$"), tt.got)
	}
}
