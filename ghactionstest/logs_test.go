package ghactionstest_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// logsURL asks for the logs of a run (or of an attempt, with a suffix) and
// returns where they are.
func logsURL(t *testing.T, srv *ghactionstest.Server, path string) string {
	t.Helper()
	r := call(t, srv, "GET", path+"/logs", "")
	require.Equal(t, http.StatusFound, r.status, "body: %s", r.body)
	loc := r.header.Get("Location")
	require.NotEmpty(t, loc)
	return loc
}

// download fetches an archive as a client must: without the token.
func download(t *testing.T, srv *ghactionstest.Server, loc string) reply {
	t.Helper()
	return call(t, srv, "GET", loc, "", "Authorization", "")
}

// unzip reads an archive into its entry names, in order, and contents.
func unzip(t *testing.T, b []byte) ([]string, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var names []string
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		rc.Close()
		names = append(names, f.Name)
		files[f.Name] = string(data)
	}
	return names, files
}

func TestLogsRedirectToASignedURL(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess}, ghactionstest.Job{Name: "build"})

	loc := logsURL(t, srv, runPath(run.ID))
	u, err := url.Parse(loc)
	require.NoError(t, err)
	api, _ := url.Parse(srv.URL())
	assert.NotEqual(t, api.Hostname(), u.Hostname(), "the storage is another host, as on GitHub")
	assert.Equal(t, "/storage/runs/"+strconv.FormatInt(run.ID, 10)+"/attempts/1/logs.zip", u.Path)
	assert.Equal(t, t0.Add(time.Minute).Format(time.RFC3339), u.Query().Get("urlExpires"))
	assert.Equal(t, "HMACV1", u.Query().Get("urlSigningMethod"))
	assert.NotEmpty(t, u.Query().Get("urlSignature"))
	assert.Equal(t, loc, logsURL(t, srv, runPath(run.ID)+"/attempts/1"))

	before := call(t, srv, "GET", runs, "").header.Get("X-RateLimit-Remaining")
	r := download(t, srv, loc)
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	assert.Equal(t, "application/zip", r.header.Get("Content-Type"))
	assert.Empty(t, r.header.Get("X-RateLimit-Remaining"), "the storage is not the API")
	names, _ := unzip(t, r.body)
	assert.Contains(t, names, "1_build.txt")
	after := call(t, srv, "GET", runs, "").header.Get("X-RateLimit-Remaining")
	n, _ := strconv.Atoi(before)
	assert.Equal(t, strconv.Itoa(n-1), after, "downloading spent nothing")
}

func TestArchiveRefusals(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess, RunAttempt: 2}, ghactionstest.Job{Name: "build"})
	loc := logsURL(t, srv, runPath(run.ID))
	tampered := strings.Replace(loc, "urlSignature=", "urlSignature=x", 1)
	otherAttempt := strings.Replace(loc, "/attempts/2/", "/attempts/1/", 1)
	later := strings.Replace(loc, url.QueryEscape(t0.Add(time.Minute).Format(time.RFC3339)), url.QueryEscape(t0.Add(time.Hour).Format(time.RFC3339)), 1)
	require.NotEqual(t, loc, later)

	tests := []struct {
		name, target, auth, code string
		status                   int
	}{
		{"with the token", loc, "Bearer " + token, "InvalidAuthenticationInfo", http.StatusForbidden},
		{"with any Authorization", loc, "Basic eDp5", "InvalidAuthenticationInfo", http.StatusForbidden},
		{"tampered signature", tampered, "", "AuthenticationFailed", http.StatusForbidden},
		{"signature of another path", otherAttempt, "", "AuthenticationFailed", http.StatusForbidden},
		{"expiry moved", later, "", "AuthenticationFailed", http.StatusForbidden},
		{"unknown path", storageRoot(t, loc) + "storage/elsewhere", "", "ResourceNotFound", http.StatusNotFound},
		{"the API's path", storageRoot(t, loc) + "api/v3/" + runs, "", "ResourceNotFound", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, srv, "GET", tt.target, "", "Authorization", tt.auth)
			assert.Equal(t, tt.status, r.status)
			assert.Equal(t, "application/xml", r.header.Get("Content-Type"))
			assert.Contains(t, string(r.body), "<Code>"+tt.code+"</Code>")
		})
	}
}

func TestArchiveURLExpiresAfterAMinute(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess}, ghactionstest.Job{Name: "build"})
	loc := logsURL(t, srv, runPath(run.ID))

	clock.Add(59 * time.Second)
	assert.Equal(t, http.StatusOK, download(t, srv, loc).status)
	clock.Add(time.Second)
	r := download(t, srv, loc)
	assert.Equal(t, http.StatusForbidden, r.status)
	assert.Contains(t, string(r.body), "<Code>AuthenticationFailed</Code>")

	// A new URL works again.
	assert.Equal(t, http.StatusOK, download(t, srv, logsURL(t, srv, runPath(run.ID))).status)
}

func TestLogsExistOnceAnAttemptCompletes(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress}, ghactionstest.Job{Name: "build"})
	path := runPath(run.ID)
	requireError(t, call(t, srv, "GET", path+"/logs", ""), http.StatusNotFound, "Not Found")

	srv.CompleteRun(owner, repo, run.ID, ghactions.ConclusionFailure)
	logsURL(t, srv, path)

	// While the re-run is queued, the run's logs (its latest attempt's) are
	// not there, but the first attempt's are.
	call(t, srv, "POST", path+"/rerun", "")
	requireError(t, call(t, srv, "GET", path+"/logs", ""), http.StatusNotFound, "Not Found")
	logsURL(t, srv, path+"/attempts/1")
	requireError(t, call(t, srv, "GET", path+"/attempts/3/logs", ""), http.StatusNotFound, "Not Found")
}

func TestDeleteLogs(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess, RunAttempt: 2}, ghactionstest.Job{Name: "build"})
	path := runPath(run.ID)
	loc := logsURL(t, srv, path)

	r := call(t, srv, "DELETE", path+"/logs", "")
	assert.Equal(t, http.StatusNoContent, r.status)
	assert.Empty(t, r.body)

	requireError(t, call(t, srv, "GET", path+"/logs", ""), http.StatusNotFound, "Not Found")
	requireError(t, call(t, srv, "GET", path+"/attempts/1/logs", ""), http.StatusNotFound, "Not Found")
	requireError(t, call(t, srv, "DELETE", path+"/logs", ""), http.StatusNotFound, "Not Found")
	gone := download(t, srv, loc)
	assert.Equal(t, http.StatusNotFound, gone.status, "a URL signed before is no use")
	assert.Contains(t, string(gone.body), "<Code>BlobNotFound</Code>")
	assert.Equal(t, http.StatusOK, call(t, srv, "GET", path, "").status, "the run itself stays")

	// A later attempt has logs of its own.
	call(t, srv, "POST", path+"/rerun", "")
	srv.CompleteRun(owner, repo, run.ID, ghactions.ConclusionSuccess)
	logsURL(t, srv, path)
}

// timestamped is a line of a runner log: an RFC 3339 time with seven
// decimals, a space, the text.
var timestamped = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z .*$`)

func TestArchiveLayout(t *testing.T) {
	srv := newServer(t)
	long := "integration tests against all supported database engines, message brokers, object stores 🐘🐇🪣"
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure},
		ghactionstest.Job{Name: "build", Conclusion: ghactions.ConclusionSuccess, Steps: []ghactionstest.Step{
			{Name: "Set up job", Log: []string{"Current runner version: '2.321.0'"}},
			{Name: "Run actions/checkout@v4", Log: []string{"Syncing repository: octo-org/octo-repo"}},
			{Name: "Run make", Log: []string{"cc -o app main.c"}},
			{Name: "Complete job", Log: []string{"Cleaning up orphan processes"}},
		}},
		ghactionstest.Job{Name: "test: unit / linux", Steps: []ghactionstest.Step{
			{Name: "Run go test ./...", Conclusion: ghactions.ConclusionFailure, Log: []string{"--- FAIL: TestX", "FAIL"}},
		}},
		ghactionstest.Job{Name: "lint", Conclusion: ghactions.ConclusionSkipped},
		ghactionstest.Job{Name: long, RunnerOS: "WINDOWS", Steps: []ghactionstest.Step{{Name: "Run make integration"}}},
		ghactionstest.Job{Name: "matrix", Steps: []ghactionstest.Step{{Name: "Run one"}}},
		ghactionstest.Job{Name: "matrix", Steps: []ghactionstest.Step{{Name: "Run two"}}},
	)
	r := download(t, srv, logsURL(t, srv, runPath(run.ID)))
	require.Equal(t, http.StatusOK, r.status)
	names, files := unzip(t, r.body)

	cut := "integration tests against all supported database engines, message brokers, object stores \uFFFD"
	assert.Equal(t, []string{
		"1_build.txt",
		"build/1_Set up job.txt",
		"build/2_Run actions_checkout@v4.txt",
		"build/3_Run make.txt",
		"build/4_Complete job.txt",
		"2_test unit  linux.txt",
		"test unit  linux/1_Run go test ._....txt",
		"3_" + cut + ".txt",
		cut + "/1_Run make integration.txt",
		"4_matrix.txt",
		"matrix/1_Run one.txt",
		"5_matrix.txt",
		"matrix/1_Run two.txt",
	}, names, "the skipped job has no logs")

	for name, text := range files {
		require.True(t, strings.HasPrefix(text, "\uFEFF"), "%s starts with a byte order mark", name)
		for _, line := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(text, "\uFEFF"), "\n"), "\n") {
			assert.Regexp(t, timestamped, line, "in %s", name)
		}
	}
	var steps string
	for _, name := range names[1:5] {
		steps += strings.TrimPrefix(files[name], "\uFEFF")
	}
	assert.Equal(t, "\uFEFF"+steps, files["1_build.txt"], "a job's log is its steps' logs")

	text := func(name string) string { return stripTimes(files[name]) }
	assert.Equal(t, "Current runner version: '2.321.0'\n", text("build/1_Set up job.txt"))
	assert.Equal(t, "##[group]Run make\nmake\nshell: /usr/bin/bash -e {0}\n##[endgroup]\ncc -o app main.c\n", text("build/3_Run make.txt"))
	assert.Equal(t, "##[group]Run go test ./...\ngo test ./...\nshell: /usr/bin/bash -e {0}\n##[endgroup]\n--- FAIL: TestX\nFAIL\n##[error]Process completed with exit code 1.\n",
		text("test unit  linux/1_Run go test ._....txt"))
	assert.Contains(t, text("3_"+cut+".txt"), `shell: C:\Program Files\PowerShell\7\pwsh.EXE`)
}

func TestArchiveOfDebugAttempt(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionFailure},
		ghactionstest.Job{Name: "build", Steps: []ghactionstest.Step{{Name: "Run make", Log: []string{"ok"}}}})
	call(t, srv, "POST", runPath(run.ID)+"/rerun", `{"enable_debug_logging":true}`)
	srv.CompleteRun(owner, repo, run.ID, ghactions.ConclusionSuccess)

	_, first := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID)+"/attempts/1")).body)
	assert.NotContains(t, first["1_build.txt"], "##[debug]")
	_, second := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID))).body)
	assert.Equal(t, "##[debug]Evaluating condition for step: 'Run make'\n##[debug]Starting: Run make\n##[group]Run make\nmake\nshell: /usr/bin/bash -e {0}\n##[endgroup]\nok\n##[debug]Finishing: Run make\n",
		stripTimes(second["build/1_Run make.txt"]))
}

func TestArchiveLeavesOutJobsThatNeverStarted(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusQueued}, ghactionstest.Job{Name: "build"})
	call(t, srv, "POST", runPath(run.ID)+"/cancel", "")
	names, _ := unzip(t, download(t, srv, logsURL(t, srv, runPath(run.ID))).body)
	assert.Empty(t, names)
}

// stripTimes removes the byte order mark and the timestamps of a log.
func stripTimes(log string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(strings.TrimPrefix(log, "\uFEFF"), "\n") {
		if _, text, ok := strings.Cut(line, " "); ok {
			b.WriteString(text)
		}
	}
	return b.String()
}
