package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// demoNow is the fake GitHub's time in every ghruns call, so that two calls in
// one test see the same demo even when a second ticks between them.
var demoNow = time.Now()

// ghruns runs the command line in demo mode and returns its exit status and
// output.
func ghruns(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "")
	t.Setenv("GITHUB_REPOSITORY", "")
	t.Setenv("GITHUB_API_URL", "")
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut, ghactionstest.WithClock(func() time.Time { return demoNow }))
	return code, out.String(), errOut.String()
}

// demoRun finds a run of the demo repository that matches.
func demoRun(t *testing.T, match func(r *ghactions.WorkflowRun) bool) *ghactions.WorkflowRun {
	t.Helper()
	code, out, errOut := ghruns(t, "list", "-json", "-limit", "0")
	require.Equal(t, 0, code, errOut)
	var runs []*ghactions.WorkflowRun
	require.NoError(t, json.Unmarshal([]byte(out), &runs))
	for _, r := range runs {
		if match(r) {
			return r
		}
	}
	t.Fatal("no demo run matches")
	return nil
}

func withConclusion(c ghactions.Conclusion) func(*ghactions.WorkflowRun) bool {
	return func(r *ghactions.WorkflowRun) bool { return r.Conclusion == c }
}

func withStatus(s ghactions.Status) func(*ghactions.WorkflowRun) bool {
	return func(r *ghactions.WorkflowRun) bool { return r.Status == s }
}

func id(r *ghactions.WorkflowRun) string { return strconv.FormatInt(r.ID, 10) }

func TestUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"no command", nil, exitUsage, "", "usage: ghruns <command>"},
		{"help", []string{"help"}, exitOK, "usage: ghruns <command>", ""},
		{"unknown command", []string{"frobnicate"}, exitUsage, "", `unknown command "frobnicate"`},
		{"command help", []string{"list", "-h"}, exitOK, "", "usage: ghruns list"},
		{"unknown flag", []string{"list", "-frob"}, exitUsage, "", "flag provided but not defined: -frob"},
		{"list with an argument", []string{"list", "extra"}, exitUsage, "", "list takes no arguments"},
		{"negative limit", []string{"list", "-limit", "-1"}, exitUsage, "", "-limit -1"},
		{"bad created range", []string{"list", "-created", "last week"}, exitUsage, "", "invalid argument: Created"},
		{"startup_failure filter", []string{"list", "-status", "startup_failure"}, exitUsage, "", "cannot filter"},
		{"view without a run", []string{"view"}, exitUsage, "", "want one RUN_ID"},
		{"view with a bad run ID", []string{"view", "abc"}, exitUsage, "", `RUN_ID "abc" is not a run ID`},
		{"view with run 0", []string{"view", "0"}, exitUsage, "", `RUN_ID "0" is not a run ID`},
		{"bad repository", []string{"list", "-R", "octo-org"}, exitUsage, "", "give the repository as -R OWNER/REPO"},
		{"bad owner", []string{"list", "-R", "octo org/octo-repo"}, exitUsage, "", "invalid argument: owner"},
		{"step without job", []string{"logs", "-step", "2", "1"}, exitUsage, "", "-step needs -job"},
		{"review without a decision", []string{"review", "1"}, exitUsage, "", "give one of -approve and -reject"},
		{"review with a bad environment", []string{"review", "-approve", "-env", "x", "-comment", "ok", "1"}, exitUsage, "", `"x" is not an environment ID`},
		{"review without a comment", []string{"review", "-approve", "-env", "1", "1"}, exitUsage, "", "a comment is required"},
		{"rerun -job with -failed", []string{"rerun", "-job", "5", "-failed"}, exitUsage, "", "leave out -failed"},
		{"rerun -job by name without a run", []string{"rerun", "-job", "lint"}, exitUsage, "", `-job "lint" is a job name: give the RUN_ID`},
		{"rerun -job with two runs", []string{"rerun", "-job", "lint", "1", "2"}, exitUsage, "", "want at most one RUN_ID"},
		{"view -job by name without a run", []string{"view", "-job", "lint"}, exitUsage, "", `-job "lint" is a job name: give the RUN_ID`},
		{"logs -failed with -job", []string{"logs", "-failed", "-job", "lint", "1"}, exitUsage, "", "leave out -job and -o"},
		{"watch a negative attempt", []string{"watch", "-attempt", "-1", "1"}, exitUsage, "", "-attempt -1"},
		{"a flag after the run ID", []string{"view", "1", "-frob"}, exitUsage, "", "flag provided but not defined: -frob"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := ghruns(t, tt.args...)
			assert.Equal(t, tt.wantCode, code, errOut)
			assert.Contains(t, out, tt.wantOut)
			assert.Contains(t, errOut, tt.wantErr)
		})
	}
}

func TestList(t *testing.T) {
	code, out, errOut := ghruns(t, "list")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, errOut, "demo mode")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 21, "a header and 20 runs")
	assert.Regexp(t, `^STATUS +TITLE +WORKFLOW +BRANCH +EVENT +ID +AGE$`, lines[0])
	assert.Regexp(t, `^queued +Add OAuth login +CI +feature/login +pull_request +\d+ +1m ago$`, lines[1])

	tests := []struct {
		args  []string
		check func(r *ghactions.WorkflowRun) bool
	}{
		{[]string{"-status", "failure"}, withConclusion(ghactions.ConclusionFailure)},
		{[]string{"-status", "in_progress"}, withStatus(ghactions.StatusInProgress)},
		{[]string{"-workflow", "release.yml"}, func(r *ghactions.WorkflowRun) bool { return r.Name == "Release" }},
		{[]string{"-branch", "main", "-event", "push"}, func(r *ghactions.WorkflowRun) bool { return r.HeadBranch == "main" && r.Event == "push" }},
		{[]string{"-actor", "monalisa"}, func(r *ghactions.WorkflowRun) bool { return r.Actor.Login == "monalisa" }},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := ghruns(t, append([]string{"list", "-json", "-limit", "0"}, tt.args...)...)
			require.Equal(t, exitOK, code, errOut)
			var runs []*ghactions.WorkflowRun
			require.NoError(t, json.Unmarshal([]byte(out), &runs))
			require.NotEmpty(t, runs)
			for _, r := range runs {
				assert.True(t, tt.check(r), "run %d does not match %v", r.ID, tt.args)
			}
		})
	}

	code, out, errOut = ghruns(t, "list", "-json", "-limit", "3")
	require.Equal(t, exitOK, code, errOut)
	var runs []*ghactions.WorkflowRun
	require.NoError(t, json.Unmarshal([]byte(out), &runs))
	assert.Len(t, runs, 3)

	code, out, errOut = ghruns(t, "list", "-created", ">=2099-01-01")
	require.Equal(t, exitOK, code, errOut)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "no runs found")
}

func TestView(t *testing.T) {
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	code, out, errOut := ghruns(t, "view", id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `Run: +`+id(failed)+` \(#\d+, attempt 1\)`, out)
	assert.Regexp(t, `Status: +failure`, out)
	assert.Regexp(t, `Workflow: +CI \(ci.yml\)`, out)

	rerun := demoRun(t, func(r *ghactions.WorkflowRun) bool { return r.RunAttempt == 2 })
	code, out, errOut = ghruns(t, "view", "-attempt", "1", "-json", id(rerun))
	require.Equal(t, exitOK, code, errOut)
	var run ghactions.WorkflowRun
	require.NoError(t, json.Unmarshal([]byte(out), &run))
	assert.Equal(t, rerun.ID, run.ID)
	assert.Equal(t, 1, run.RunAttempt)

	code, _, errOut = ghruns(t, "view", "999")
	assert.Equal(t, exitError, code)
	assert.Regexp(t, `ghruns view: 404 Not Found: Not Found \(request ID [^)]+\)`, errOut)
}

func TestChanges(t *testing.T) {
	queued := demoRun(t, withStatus(ghactions.StatusQueued))
	inProgress := demoRun(t, withStatus(ghactions.StatusInProgress))
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"cancel", []string{"cancel", id(queued)}, exitOK, "Requested the cancellation of run " + id(queued), ""},
		{"cancel a completed run", []string{"cancel", id(failed)}, exitError, "", "409 Conflict: Cannot cancel a workflow run that is completed."},
		{"force-cancel", []string{"force-cancel", id(inProgress)}, exitOK, "Requested the cancellation of run " + id(inProgress), ""},
		{"rerun", []string{"rerun", id(failed)}, exitOK, "Requested a re-run of run " + id(failed), ""},
		{"rerun with debug logging", []string{"rerun", "-debug", id(failed)}, exitOK, "Requested a re-run of run", ""},
		{"rerun a running run", []string{"rerun", id(inProgress)}, exitError, "", "403 Forbidden"},
		{"delete", []string{"delete", id(failed)}, exitOK, "Deleted run " + id(failed), ""},
		{"delete-logs", []string{"delete-logs", id(failed)}, exitOK, "Deleted the logs of run " + id(failed), ""},
		{"delete a missing run", []string{"delete", "999"}, exitError, "", "404 Not Found"},
		{"json", []string{"cancel", "-json", id(queued)}, exitOK, `"ok": true`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := ghruns(t, tt.args...)
			assert.Equal(t, tt.wantCode, code, errOut)
			assert.Contains(t, out, tt.wantOut)
			assert.Contains(t, errOut, tt.wantErr)
		})
	}
}

func TestLogs(t *testing.T) {
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))

	code, out, errOut := ghruns(t, "logs", id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, "(?m)^lint\tSet up job\t\\S+Z Current runner version", out)
	assert.NotContains(t, out, "\uFEFF")

	code, out, errOut = ghruns(t, "logs", "-job", "lint", "-step", "1", id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `^\S+Z Current runner version`, out)
	assert.NotContains(t, out, "##[group]Run")

	code, _, errOut = ghruns(t, "logs", "-job", "no such job", id(failed))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, `has no job "no such job"; its jobs are: "lint"`)

	code, _, errOut = ghruns(t, "logs", "-job", "lint", "-step", "99", id(failed))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, `job "lint" has no step 99`)

	path := filepath.Join(t.TempDir(), "logs.zip")
	code, out, errOut = ghruns(t, "logs", "-o", path, id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Saved the log archive of run "+id(failed)+" to "+path)
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	assert.NotEmpty(t, zr.File)

	code, _, errOut = ghruns(t, "logs", "999")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "404 Not Found")
}

func TestUsageCommand(t *testing.T) {
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	code, out, errOut := ghruns(t, "usage", id(failed))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^RUNNER +JOBS +BILLABLE$`, out)
	assert.Regexp(t, `(?m)^UBUNTU +\d+ +\S+$`, out)
	assert.Regexp(t, `(?m)^Run time: +\S+$`, out)
}

func TestWatch(t *testing.T) {
	succeeded := demoRun(t, withConclusion(ghactions.ConclusionSuccess))
	code, out, errOut := ghruns(t, "watch", "-exit-status", id(succeeded))
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `^run `+id(succeeded)+` \(\w+, attempt \d\): success after \d+s\n(  ✓ [^\n]+: success in \S+ \(ID \d+\)\n)+$`, out, "the run, then its jobs")

	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	code, _, errOut = ghruns(t, "watch", failed.Name, id(failed))
	assert.Equal(t, exitUsage, code, "a stray argument")
	assert.Contains(t, errOut, "want one RUN_ID, got 2 arguments")
	code, _, errOut = ghruns(t, "watch", "-exit-status", id(failed))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "concluded failure")
	code, _, errOut = ghruns(t, "watch", id(failed))
	assert.Equal(t, exitOK, code, errOut)
}

// With a token, ghruns talks to $GITHUB_API_URL about $GITHUB_REPOSITORY.
func TestWithAToken(t *testing.T) {
	srv := ghactionstest.NewServer(ghactionstest.WithToken("ghp_test"))
	defer srv.Close()
	srv.SeedDemo()
	t.Setenv("GITHUB_TOKEN", "")
	t.Setenv("GH_TOKEN", "ghp_test")
	t.Setenv("GITHUB_API_URL", srv.URL())
	t.Setenv("GITHUB_REPOSITORY", ghactionstest.DemoOwner+"/"+ghactionstest.DemoRepo)
	var out, errOut bytes.Buffer
	code := run([]string{"list", "-limit", "2"}, &out, &errOut)
	require.Equal(t, exitOK, code, errOut.String())
	assert.NotContains(t, errOut.String(), "demo mode")
	assert.Len(t, strings.Split(strings.TrimSpace(out.String()), "\n"), 3)
	require.NotEmpty(t, srv.Requests())
	assert.Equal(t, "Bearer ghp_test", srv.Requests()[0].Header.Get("Authorization"))

	t.Setenv("GH_TOKEN", "wrong")
	out.Reset()
	errOut.Reset()
	code = run([]string{"list"}, &out, &errOut)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut.String(), "401 Unauthorized: Bad credentials")
	assert.NotContains(t, errOut.String(), "wrong", "the token is never printed")
}

func TestLogsFileNotWritable(t *testing.T) {
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))
	dir := filepath.Join(t.TempDir(), "missing", "logs.zip")
	code, _, errOut := ghruns(t, "logs", "-o", dir, id(failed))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "no such file or directory")
	_, err := os.Stat(dir)
	assert.True(t, os.IsNotExist(err))
}

func TestApprovalsAndReruns(t *testing.T) {
	forkRun := demoRun(t, withConclusion(ghactions.ConclusionActionRequired))
	deploy := demoRun(t, withStatus(ghactions.StatusWaiting))
	failed := demoRun(t, withConclusion(ghactions.ConclusionFailure))

	// A job ID of the failed run, from its usage.
	code, out, errOut := ghruns(t, "usage", "-json", id(failed))
	require.Equal(t, exitOK, code, errOut)
	var usage ghactions.RunUsage
	require.NoError(t, json.Unmarshal([]byte(out), &usage))
	require.NotEmpty(t, usage.Billable["UBUNTU"].JobRuns)
	job := strconv.FormatInt(usage.Billable["UBUNTU"].JobRuns[0].JobID, 10)

	code, out, errOut = ghruns(t, "pending", "-json", id(deploy))
	require.Equal(t, exitOK, code, errOut)
	var pending []ghactions.PendingDeployment
	require.NoError(t, json.Unmarshal([]byte(out), &pending))
	require.Len(t, pending, 1)
	env := strconv.FormatInt(pending[0].Environment.ID, 10)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // a regular expression
		wantErr  string
	}{
		{"approve a fork run", []string{"approve", id(forkRun)}, exitOK, "^Approved run " + id(forkRun) + "\n$", ""},
		{"approve another run", []string{"approve", id(failed)}, exitError, "^$", "403 Forbidden: This run is not from a fork pull request"},
		{"pending", []string{"pending", id(deploy)}, exitOK, `(?m)^ENV ID +ENVIRONMENT +WAIT TIMER +YOU CAN APPROVE +REVIEWERS\n` + env + ` +production +5m +yes +octocat, team release-managers$`, ""},
		{"pending on a run without", []string{"pending", id(failed)}, exitOK, "^$", "has no deployment waiting for a review"},
		{"review approve", []string{"review", "-approve", "-env", env, "-comment", "ship it", id(deploy)}, exitOK, "(?m)^Reviewed the pending deployments of run " + id(deploy) + ": approved\nDeployment \\d+ to production started$", ""},
		{"review reject", []string{"review", "-reject", "-env", env, "-comment", "not today", id(deploy)}, exitOK, ": rejected\n$", ""},
		{"review an environment not pending", []string{"review", "-approve", "-env", "1", "-comment", "ok", id(deploy)}, exitError, "^$", "422 Unprocessable Entity"},
		{"rerun the failed jobs", []string{"rerun", "-failed", id(failed)}, exitOK, "^Requested a re-run of the failed jobs of run " + id(failed) + "\n$", ""},
		{"rerun one job", []string{"rerun", "-job", job, "-debug"}, exitOK, "^Requested a re-run of job " + job + "\n$", ""},
		{"rerun a missing job", []string{"rerun", "-job", "1"}, exitError, "^$", "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := ghruns(t, tt.args...)
			assert.Equal(t, tt.wantCode, code, errOut)
			assert.Regexp(t, tt.wantOut, out)
			assert.Contains(t, errOut, tt.wantErr)
		})
	}
}
