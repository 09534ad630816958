package ghactions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// failedRun is a run of many jobs, a few of which failed in every way
// FailedSteps tells apart, served as GitHub serves them: the jobs, paged;
// the run's archive; and each job's log, through redirects to a storage
// that refuses the token.
type failedRun struct {
	jobs    []ghactions.Job
	archive []byte
	logs    map[int64]string // every job's log, for its endpoint
	srv     *server
}

const longJobName = "integration tests against all supported database engines, message brokers, object stores 🐘🐇🪣"

func newFailedRun(t *testing.T, total int) *failedRun {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	f := &failedRun{logs: map[int64]string{}}
	var files []string
	add := func(id int64, name string, c ghactions.Conclusion, inArchive, stepFiles bool, steps ...ghactions.Step) {
		start := t0.Add(time.Duration(id) * time.Minute)
		job := ghactions.Job{ID: id, Name: name, Status: ghactions.StatusCompleted, Conclusion: c, CreatedAt: start, StartedAt: start, CompletedAt: start.Add(50 * time.Second)}
		var log strings.Builder
		log.WriteString("\uFEFF")
		var stepLogs []string
		for i, s := range steps {
			s.Status, s.StartedAt, s.CompletedAt = ghactions.StatusCompleted, start.Add(time.Duration(10*i)*time.Second), start.Add(time.Duration(10*i+10)*time.Second)
			job.Steps = append(job.Steps, s)
			var sl strings.Builder
			stamp := func(d int) string {
				return s.StartedAt.Add(time.Duration(d) * time.Second).Format("2006-01-02T15:04:05.0000000Z")
			}
			if strings.HasPrefix(s.Name, "Run ") {
				fmt.Fprintf(&sl, "%s ##[group]%s\n", stamp(0), s.Name)
			}
			for k := range 3 {
				fmt.Fprintf(&sl, "%s %s line %d\n", stamp(k), s.Name, k+1)
			}
			switch s.Conclusion {
			case ghactions.ConclusionFailure:
				fmt.Fprintf(&sl, "%s ##[error]Process completed with exit code 1.\n", stamp(9))
			case ghactions.ConclusionCancelled:
				fmt.Fprintf(&sl, "%s ##[error]The operation was canceled.\n", stamp(9))
			}
			stepLogs = append(stepLogs, sl.String())
			log.WriteString(sl.String())
		}
		f.jobs = append(f.jobs, job)
		f.logs[id] = log.String()
		if !inArchive {
			return
		}
		archived := archivedName(name)
		files = append(files, fmt.Sprintf("%d_%s.txt", id, archived), log.String())
		if stepFiles {
			for i, s := range job.Steps {
				files = append(files, fmt.Sprintf("%s/%d_%s.txt", archived, s.Number, s.Name), "\uFEFF"+stepLogs[i])
			}
		}
	}
	step := func(n int, name string, c ghactions.Conclusion) ghactions.Step {
		return ghactions.Step{Number: n, Name: name, Conclusion: c}
	}
	const ok, failure, cancelled = ghactions.ConclusionSuccess, ghactions.ConclusionFailure, ghactions.ConclusionCancelled
	add(1, "build / linux: amd64", failure, true, true, step(1, "Set up job", ok), step(2, "Run make", failure), step(3, "Complete job", ok))
	add(2, "lint", failure, true, true) // no steps at all
	add(3, longJobName, ghactions.ConclusionTimedOut, true, true, step(1, "Set up job", ok), step(2, "Run make integration", cancelled), step(3, "Complete job", ok))
	add(4, "kept from attempt 1", failure, false, false, step(1, "Set up job", ok), step(2, "Run flaky", failure), step(3, "Complete job", ok))
	add(5, "cancelled", cancelled, true, true, step(1, "Set up job", cancelled))
	add(6, "without step files", failure, true, false, step(1, "Set up job", ok), step(2, "Run go vet", failure), step(3, "Complete job", ok))
	for id := int64(7); id <= int64(total); id++ {
		add(id, "shard "+strconv.FormatInt(id, 10), ok, true, true, step(1, "Set up job", ok))
	}
	f.archive = zipOf(t, files...)
	f.srv = newServer(t, f.serve)
	return f
}

func (f *failedRun) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/storage/") && r.Header.Get("Authorization") != "" {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	switch p := strings.TrimPrefix(r.URL.Path, apiPrefix+"repos/octo-org/octo-repo/actions/"); {
	case p == "runs/1/jobs" || p == "runs/1/attempts/2/jobs":
		q := r.URL.Query()
		page, perPage := atoiOr(q.Get("page"), 1), atoiOr(q.Get("per_page"), 30)
		if page*perPage < len(f.jobs) {
			q.Set("page", strconv.Itoa(page+1))
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
		}
		body, _ := json.Marshal(ghactions.JobsPage{TotalCount: len(f.jobs), Jobs: pointers(f.jobs[min((page-1)*perPage, len(f.jobs)):min(page*perPage, len(f.jobs))])})
		answer(w, http.StatusOK, body)
	case p == "runs/1/logs" || p == "runs/1/attempts/2/logs":
		http.Redirect(w, r, "/storage/logs.zip?sig=1", http.StatusFound)
	case r.URL.Path == "/storage/logs.zip":
		_, _ = w.Write(f.archive)
	case strings.HasPrefix(p, "jobs/") && strings.HasSuffix(p, "/logs"):
		http.Redirect(w, r, "/storage/"+strings.TrimSuffix(p, "/logs")+".txt?sig=1", http.StatusFound)
	case strings.HasPrefix(r.URL.Path, "/storage/jobs/"):
		id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/storage/jobs/"), ".txt"), 10, 64)
		_, _ = io.WriteString(w, f.logs[id])
	default:
		answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
	}
}

// archivedName is a job's name in an older archive's paths: without "/"
// and ":", cut at 90 UTF-16 units.
func archivedName(name string) string {
	units := utf16.Encode([]rune(strings.NewReplacer("/", "", ":", "").Replace(name)))
	return strings.TrimSpace(string(utf16.Decode(units[:min(len(units), 90)])))
}

func pointers(jobs []ghactions.Job) []*ghactions.Job {
	out := make([]*ghactions.Job, len(jobs))
	for i := range jobs {
		out[i] = &jobs[i]
	}
	return out
}

// texts gives the texts of lines.
func texts(lines []ghactions.LogLine) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text)
	}
	return out
}

func TestFailedSteps(t *testing.T) {
	f := newFailedRun(t, 250)
	c := newClient(t, f.srv, ghactions.WithToken(testToken))
	ctx := context.Background()

	failed, err := c.Runs.FailedSteps(ctx, testOwner, testRepo, 1, nil)
	require.NoError(t, err)
	defer failed.Close()
	assert.Len(t, failed.Jobs, 250)
	// 250 jobs: three pages of 100; the archive: its request and its download.
	t.Logf("failed steps of a run of %d jobs: %d requests", len(failed.Jobs), f.srv.hits())
	assert.Equal(t, 5, f.srv.hits(), "requests")
	require.NotNil(t, failed.Archive)

	var got []string
	for _, s := range failed.Steps {
		got = append(got, s.Job.Name+" / "+s.Name())
	}
	assert.Equal(t, []string{
		"build / linux: amd64 / Run make",
		"lint / ",
		longJobName + " / Run make integration",
		"kept from attempt 1 / Run flaky",
		"without step files / Run go vet",
	}, got)

	tails := map[string][]string{}
	for _, s := range failed.Steps {
		tail, err := s.Tail(ctx, 2)
		require.NoError(t, err, s.Job.Name)
		tails[s.Job.Name] = texts(tail)
	}
	assert.Equal(t, []string{"Run make line 3", "##[error]Process completed with exit code 1."}, tails["build / linux: amd64"])
	assert.Empty(t, tails["lint"], "no steps, an empty log")
	assert.Equal(t, []string{"Run make integration line 3", "##[error]The operation was canceled."}, tails[longJobName])
	assert.Equal(t, []string{"Run flaky line 3", "##[error]Process completed with exit code 1."}, tails["kept from attempt 1"])
	assert.Equal(t, []string{"Run go vet line 3", "##[error]Process completed with exit code 1."}, tails["without step files"])

	// Only the job the archive lacked cost requests: its log's and its download.
	assert.Equal(t, 7, f.srv.hits())
	assert.Nil(t, failed.Steps[3].Log)
	assert.NotNil(t, failed.Steps[0].StepLog)
	assert.NotNil(t, failed.Steps[4].Log)
	assert.Nil(t, failed.Steps[4].StepLog, "no step files: picked out by time")
	for _, r := range f.srv.requests() {
		if strings.HasPrefix(r.Path, "/storage/") {
			assert.Empty(t, r.Header.Get("Authorization"))
		}
	}

	// Lines and Open read the same.
	var lines []string
	for line, err := range failed.Steps[4].Lines(ctx) {
		require.NoError(t, err)
		lines = append(lines, line.Text)
	}
	assert.Equal(t, []string{"##[group]Run go vet", "Run go vet line 1", "Run go vet line 2", "Run go vet line 3", "##[error]Process completed with exit code 1."}, lines)
	rc, err := failed.Steps[0].Open(ctx)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.True(t, strings.HasPrefix(string(b), "2024-05-01T10:01:10.0000000Z ##[group]Run make\n"), "no byte-order mark: %.40q", b)

	require.NoError(t, failed.Close())
	require.NoError(t, failed.Close())
	_, err = failed.Steps[0].Tail(ctx, 2)
	assert.Error(t, err, "the archive is gone once closed")
}

func TestFailedStepsOfAnAttempt(t *testing.T) {
	f := newFailedRun(t, 6)
	c := newClient(t, f.srv)
	failed, err := c.Runs.FailedSteps(context.Background(), testOwner, testRepo, 1, &ghactions.FailedStepsOptions{Attempt: 2})
	require.NoError(t, err)
	defer failed.Close()
	assert.Len(t, failed.Steps, 5)
	paths := []string{}
	for _, r := range f.srv.requests() {
		paths = append(paths, r.Path)
	}
	assert.Equal(t, []string{runsPath + "/1/attempts/2/jobs", runsPath + "/1/attempts/2/logs", "/storage/logs.zip"}, paths)
}

// A run where nothing failed costs the jobs' requests only.
func TestFailedStepsWithoutFailures(t *testing.T) {
	srv := jobPages(t, 150)
	c := newClient(t, srv)
	failed, err := c.Runs.FailedSteps(context.Background(), testOwner, testRepo, 30433642, nil)
	require.NoError(t, err)
	assert.Empty(t, failed.Steps)
	assert.Len(t, failed.Jobs, 150)
	assert.Nil(t, failed.Archive)
	assert.Equal(t, 2, srv.hits())
	assert.NoError(t, failed.Close())
}

// Without an archive (its logs deleted, or the run still going), each failed
// job's log comes from its own endpoint.
func TestFailedStepsWithoutAnArchive(t *testing.T) {
	f := newFailedRun(t, 6)
	f.archive = nil
	serve := f.srv.handler
	f.srv.handler = func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/runs/1/logs") {
			answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
			return
		}
		serve(w, r)
	}
	c := newClient(t, f.srv)
	failed, err := c.Runs.FailedSteps(context.Background(), testOwner, testRepo, 1, nil)
	require.NoError(t, err)
	assert.Nil(t, failed.Archive)
	tail, err := failed.Steps[0].Tail(context.Background(), 1)
	require.NoError(t, err)
	assert.Equal(t, []string{"##[error]Process completed with exit code 1."}, texts(tail))
	require.Nil(t, failed.Steps[1].Step)
	rc, err := failed.Steps[1].Open(context.Background())
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Empty(t, b, "a job without steps: its log, without the byte-order mark")
	require.NoError(t, failed.Close())
}

func TestFailedStepsErrors(t *testing.T) {
	srv := forbiddenServer(t)
	c := newClient(t, srv)
	ctx := context.Background()
	_, err := c.Runs.FailedSteps(ctx, testOwner, testRepo, 0, nil)
	assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
	_, err = c.Runs.FailedSteps(ctx, testOwner, testRepo, 1, &ghactions.FailedStepsOptions{Attempt: -1})
	assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
	_, err = c.Runs.FailedSteps(ctx, "", testRepo, 1, nil)
	assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
	assert.Zero(t, srv.hits())

	f := newFailedRun(t, 6)
	serve := f.srv.handler
	f.srv.handler = func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/storage/logs.zip" {
			_, _ = io.WriteString(w, "not a zip")
			return
		}
		serve(w, r)
	}
	c = newClient(t, f.srv)
	_, err = c.Runs.FailedSteps(ctx, testOwner, testRepo, 1, nil)
	assert.ErrorIs(t, err, ghactions.ErrInvalidArchive)

	c = newClient(t, forbiddenServer(t))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = c.Runs.FailedSteps(cancelled, testOwner, testRepo, 1, nil)
	assert.ErrorIs(t, err, context.Canceled)

	var none *ghactions.FailedSteps
	assert.NoError(t, none.Close())
}
