package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestRunCommand(t *testing.T) {
	started := regexp.MustCompile(`^Started (\S+) on (\S+): run (\d+)\nhttp://127\.0\.0\.1:\d+/octo-org/octo-repo/actions/runs/(\d+)\n`)
	tests := []struct {
		name   string
		args   []string
		demo   []ghactionstest.Option
		code   int
		stdout *regexp.Regexp
		stderr string
	}{
		{"inputs", []string{"run", "deploy.yml", "-ref", "main", "-f", "environment=production", "-f", "dry-run=true"}, nil, exitOK, started, ""},
		{"flags first", []string{"run", "-ref", "v1.2.0", "nightly.yml"}, nil, exitOK, started, ""},
		{"a server that answers 204", []string{"run", "nightly.yml", "-ref", "main"}, []ghactionstest.Option{ghactionstest.WithDispatchNoContent()}, exitOK, started, ""},
		{"watch", []string{"run", "deploy.yml", "-ref", "main", "-watch", "-exit-status"}, nil, exitOK,
			regexp.MustCompile(`(?s)^Started deploy.yml on main: run \d+\n.*\nrun \d+ \(Deploy, attempt 1\): queued after \d+s\n.*  ✓ deploy: success in \d+s \(ID \d+\)\n.*run \d+ \(Deploy, attempt 1\): success after \d+s\n$`), ""},
		{"no trigger", []string{"run", "ci.yml", "-ref", "main"}, nil, exitError, nil, "422 Unprocessable Entity: Workflow does not have 'workflow_dispatch' trigger"},
		{"a bad input", []string{"run", "deploy.yml", "-ref", "main", "-f", "environment=qa"}, nil, exitError, nil, "not in the list of allowed values"},
		{"an unknown ref", []string{"run", "deploy.yml", "-ref", "nope"}, nil, exitError, nil, "404 Not Found: No ref found for: nope"},
		{"no ref", []string{"run", "deploy.yml"}, nil, exitUsage, nil, "give the branch or tag to run on with -ref"},
		{"no workflow", []string{"run", "-ref", "main"}, nil, exitUsage, nil, "give the WORKFLOW to run"},
		{"two workflows", []string{"run", "deploy.yml", "nightly.yml", "-ref", "main"}, nil, exitUsage, nil, "want one WORKFLOW"},
		{"an input without a value", []string{"run", "deploy.yml", "-ref", "main", "-f", "environment"}, nil, exitUsage, nil, `"environment": give key=value`},
		{"an unknown flag after the workflow", []string{"run", "deploy.yml", "-frob"}, nil, exitUsage, nil, "flag provided but not defined: -frob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := ghrunsShared(t, time.Now().Truncate(time.Second), tt.args, tt.demo...)
			require.Equal(t, tt.code, code, "stdout: %s\nstderr: %s", out, errOut)
			if tt.stdout != nil {
				m := tt.stdout.FindStringSubmatch(out)
				require.NotNil(t, m, out)
				if len(m) == 5 {
					assert.Equal(t, m[3], m[4], "the URL is the run's")
					assert.True(t, strings.HasPrefix(m[3], "100000000"), m[3])
				}
			}
			assert.Contains(t, errOut, tt.stderr)
		})
	}
}

func TestRunCommandJSON(t *testing.T) {
	code, out, errOut := ghrunsShared(t, time.Now(), []string{"run", "-json", "deploy.yml", "-ref", "main"})
	require.Equal(t, exitOK, code, errOut)
	var run map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &run))
	assert.Len(t, run, 3)
	assert.NotZero(t, run["workflow_run_id"])
	assert.Contains(t, run["run_url"], "/api/v3/repos/octo-org/octo-repo/actions/runs/")
	assert.Contains(t, run["html_url"], "/octo-org/octo-repo/actions/runs/")

	code, out, errOut = ghrunsShared(t, time.Now(), []string{"run", "-json", "-watch", "deploy.yml", "-ref", "main"})
	require.Equal(t, exitOK, code, errOut)
	var done map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &done))
	assert.Equal(t, "completed", done["status"])
	assert.Equal(t, "workflow_dispatch", done["event"])
}

// On a server that answers 204, a run that cannot be told from another
// started at the same moment is an error that says the workflow started.
func TestRunCommandNotIdentified(t *testing.T) {
	srv := ghactionstest.NewServer(ghactionstest.WithToken("ghp_test"), ghactionstest.WithDispatchNoContent())
	defer srv.Close()
	srv.SeedDemo()
	srv.AddRun(ghactionstest.DemoOwner, ghactionstest.DemoRepo, ghactions.WorkflowRun{Path: ".github/workflows/nightly.yml", Event: "workflow_dispatch"})
	t.Setenv("GITHUB_TOKEN", "ghp_test")
	t.Setenv("GITHUB_API_URL", srv.URL())
	t.Setenv("GITHUB_REPOSITORY", ghactionstest.DemoOwner+"/"+ghactionstest.DemoRepo)
	var out, errOut bytes.Buffer
	code := run([]string{"run", "nightly.yml", "-ref", "main"}, &out, &errOut)
	assert.Equal(t, exitError, code)
	assert.Empty(t, out.String())
	assert.Contains(t, errOut.String(), "nightly.yml was started on main, but its run could not be told from others; see ghruns list -workflow nightly.yml -event workflow_dispatch")
}
