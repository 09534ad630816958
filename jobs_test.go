package ghactions_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

const (
	jobsPath  = runsPath + "/30433642/jobs"
	jobPath   = apiPrefix + "repos/octo-org/octo-repo/actions/jobs/399444496"
	testJobID = 399444496
)

// Each call of JobsService sends the request the API documents and decodes
// GitHub's own example of its answer, field by field.
func TestJobsEndpoints(t *testing.T) {
	tests := []struct {
		name   string
		call   func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error)
		path   string
		query  url.Values
		answer string
	}{
		{"ListPage without options", func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
			return c.Jobs.ListPage(ctx, testOwner, testRepo, 30433642, nil)
		}, jobsPath, nil, "list_jobs.json"},
		{"ListPage of every attempt's jobs", func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
			return c.Jobs.ListPage(ctx, testOwner, testRepo, 30433642, &ghactions.JobListOptions{Filter: ghactions.JobFilterAll, PerPage: 50, Page: 3})
		}, jobsPath, url.Values{"filter": {"all"}, "per_page": {"50"}, "page": {"3"}}, "list_jobs.json"},
		{"ListPage of the latest attempt's jobs", func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
			return c.Jobs.ListPage(ctx, testOwner, testRepo, 30433642, &ghactions.JobListOptions{Filter: ghactions.JobFilterLatest})
		}, jobsPath, url.Values{"filter": {"latest"}}, "list_jobs.json"},
		{"ListPage of an attempt", func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
			return c.Jobs.ListPage(ctx, testOwner, testRepo, 30433642, &ghactions.JobListOptions{Attempt: 2, PerPage: 100})
		}, runsPath + "/30433642/attempts/2/jobs", url.Values{"per_page": {"100"}}, "list_jobs.json"},
		{"Get", func(ctx context.Context, c *ghactions.Client) (any, *ghactions.Response, error) {
			return c.Jobs.Get(ctx, testOwner, testRepo, testJobID)
		}, jobPath, nil, "job.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := testdata(t, tc.answer)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, body) })
			c := newClient(t, srv, ghactions.WithToken(testToken))
			got, resp, err := tc.call(context.Background(), c)
			require.NoError(t, err)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			require.Equal(t, 1, srv.hits())
			req := srv.last(t)
			assert.Equal(t, http.MethodGet, req.Method)
			assert.Equal(t, tc.path, req.Path)
			if tc.query == nil {
				assert.Empty(t, req.Query)
			} else {
				assert.Equal(t, tc.query, req.Query)
			}
			assert.Equal(t, "Bearer "+testToken, req.Header.Get("Authorization"))
			assert.Equal(t, "application/vnd.github+json", req.Header.Get("Accept"))
			assertMatchesJSON(t, body, got)
		})
	}
}

func TestJobDecodesSeedExample(t *testing.T) {
	var job ghactions.Job
	require.NoError(t, json.Unmarshal(testdata(t, "job.json"), &job))
	assert.Equal(t, int64(399444496), job.ID)
	assert.Equal(t, int64(29679449), job.RunID)
	assert.Equal(t, ghactions.StatusCompleted, job.Status)
	assert.Equal(t, ghactions.ConclusionSuccess, job.Conclusion)
	assert.Equal(t, "build", job.Name)
	assert.Equal(t, []string{"self-hosted", "foo", "bar"}, job.Labels)
	assert.Zero(t, job.RunAttempt, "the example leaves it out")
	require.Len(t, job.Steps, 10)
	assert.Equal(t, 16, job.Steps[8].Number, "post steps have high numbers")
	assert.Equal(t, "Post actions/cache@v3", job.Steps[8].Name)
	assert.True(t, job.Steps[0].StartedAt.Equal(time.Date(2020, 1, 20, 17, 42, 40, 0, time.UTC)), "offsets are kept as instants")
}

// Marshalled, a job has every key the API sends, null where it sends null.
func TestJobMarshalsWithTheAPIsKeys(t *testing.T) {
	var job ghactions.Job
	require.NoError(t, json.Unmarshal(testdata(t, "job.json"), &job))
	out, err := json.Marshal(job)
	require.NoError(t, err)
	var back ghactions.Job
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, job.Steps[0].StartedAt.UnixNano(), back.Steps[0].StartedAt.UnixNano())
	assertMatchesJSON(t, testdata(t, "job.json"), &back)

	out, err = json.Marshal(ghactions.Job{ID: 1, Status: ghactions.StatusQueued, Steps: []ghactions.Step{{Name: "Set up job", Status: ghactions.StatusQueued, Number: 1}}})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m))
	for _, null := range []string{"html_url", "conclusion", "completed_at", "runner_id", "runner_name", "runner_group_id", "runner_group_name", "workflow_name", "head_branch"} {
		assert.Contains(t, m, null)
		assert.Nil(t, m[null], null)
	}
	assert.Equal(t, []any{}, m["labels"], "labels is an array, never null")
	assert.NotContains(t, m, "run_attempt", "optional, left out when zero")
	step := m["steps"].([]any)[0].(map[string]any)
	for _, null := range []string{"conclusion", "started_at", "completed_at"} {
		assert.Contains(t, step, null)
		assert.Nil(t, step[null], null)
	}

	// A hosted runner's group is 0, which is not null.
	out, err = json.Marshal(ghactions.Job{RunnerID: 7, RunnerName: "GitHub Actions 7", RunnerGroupName: "GitHub Actions"})
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(out, &m))
	assert.Equal(t, float64(0), m["runner_group_id"])
	assert.Equal(t, float64(7), m["runner_id"])
}

// The jobs of a run cost one request per 100 jobs: List pages by 100.
func TestJobsListCostsOneRequestPer100Jobs(t *testing.T) {
	for _, total := range []int{0, 1, 100, 101, 250} {
		t.Run(strconv.Itoa(total), func(t *testing.T) {
			srv := jobPages(t, total)
			c := newClient(t, srv)
			var ids []int64
			for job, err := range c.Jobs.List(context.Background(), testOwner, testRepo, 30433642, nil) {
				require.NoError(t, err)
				ids = append(ids, job.ID)
			}
			assert.Len(t, ids, total)
			for i, id := range ids {
				require.Equal(t, int64(i+1), id)
			}
			assert.Equal(t, max(1, (total+99)/100), srv.hits(), "requests")
			for _, r := range srv.requests() {
				assert.Equal(t, "100", r.Query.Get("per_page"))
			}
		})
	}
}

func TestJobsListOfAnAttemptFollowsLinks(t *testing.T) {
	srv := jobPages(t, 7)
	c := newClient(t, srv)
	var ids []int64
	for job, err := range c.Jobs.List(context.Background(), testOwner, testRepo, 30433642, &ghactions.JobListOptions{Attempt: 3, PerPage: 2}) {
		require.NoError(t, err)
		ids = append(ids, job.ID)
	}
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7}, ids)
	assert.Equal(t, 4, srv.hits())
	for _, r := range srv.requests() {
		assert.Equal(t, runsPath+"/30433642/attempts/3/jobs", r.Path)
	}

	// Breaking out early fetches nothing more.
	srv = jobPages(t, 7)
	c = newClient(t, srv)
	for range c.Jobs.List(context.Background(), testOwner, testRepo, 30433642, &ghactions.JobListOptions{PerPage: 2}) {
		break
	}
	assert.Equal(t, 1, srv.hits())
}

// jobPages serves total jobs with IDs 1..total, paged as GitHub pages them.
func jobPages(t *testing.T, total int) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		page, perPage := atoiOr(q.Get("page"), 1), atoiOr(q.Get("per_page"), 30)
		if page*perPage < total {
			q.Set("page", strconv.Itoa(page+1))
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
		}
		jobs := []map[string]any{}
		for id := (page-1)*perPage + 1; id <= min(page*perPage, total); id++ {
			jobs = append(jobs, map[string]any{"id": id, "name": "job " + strconv.Itoa(id), "status": "completed"})
		}
		body, _ := json.Marshal(map[string]any{"total_count": total, "jobs": jobs})
		answer(w, http.StatusOK, body)
	})
}

func TestJobsBadInputSendsNothing(t *testing.T) {
	srv := forbiddenServer(t)
	c := newClient(t, srv, ghactions.WithToken(testToken))
	ctx := context.Background()
	list := func(runID int64, o *ghactions.JobListOptions) func() error {
		return func() error {
			_, _, err := c.Jobs.ListPage(ctx, testOwner, testRepo, runID, o)
			if err != nil {
				return err
			}
			for _, err := range c.Jobs.List(ctx, testOwner, testRepo, runID, o) {
				return err
			}
			return nil
		}
	}
	job := func(owner string, id int64) func() error {
		return func() error {
			_, _, errGet := c.Jobs.Get(ctx, owner, testRepo, id)
			_, _, errURL := c.Jobs.LogsURL(ctx, owner, testRepo, id)
			rc, _, errLogs := c.Jobs.Logs(ctx, owner, testRepo, id)
			if rc != nil {
				rc.Close()
			}
			for _, err := range []error{errGet, errURL} {
				if !errors.Is(err, ghactions.ErrInvalidArgument) {
					return fmt.Errorf("not an invalid argument: %v", err)
				}
			}
			return errLogs
		}
	}
	tests := []struct {
		name string
		call func() error
	}{
		{"run ID zero", list(0, nil)},
		{"run ID negative", list(-1, nil)},
		{"attempt negative", list(1, &ghactions.JobListOptions{Attempt: -1})},
		{"unknown filter", list(1, &ghactions.JobListOptions{Filter: "failed"})},
		{"filter in capitals", list(1, &ghactions.JobListOptions{Filter: "ALL"})},
		{"filter with an attempt", list(1, &ghactions.JobListOptions{Attempt: 2, Filter: ghactions.JobFilterAll})},
		{"PerPage over 100", list(1, &ghactions.JobListOptions{PerPage: 101})},
		{"PerPage negative", list(1, &ghactions.JobListOptions{PerPage: -1})},
		{"Page negative", list(1, &ghactions.JobListOptions{Page: -1})},
		{"job ID zero", job(testOwner, 0)},
		{"job ID negative", job(testOwner, -5)},
		{"bad owner", job("octo/org", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
		})
	}
	assert.Zero(t, srv.hits())
}

func TestJobsErrors(t *testing.T) {
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		answer(w, http.StatusNotFound, []byte(`{"message":"Not Found"}`))
	})
	c := newClient(t, srv)
	ctx := context.Background()
	_, _, err := c.Jobs.ListPage(ctx, testOwner, testRepo, 1, &ghactions.JobListOptions{Attempt: 9})
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	_, _, err = c.Jobs.Get(ctx, testOwner, testRepo, 1)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	var apiErr *ghactions.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Not Found", apiErr.Message)
	_, _, err = c.Jobs.LogsURL(ctx, testOwner, testRepo, 1)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	_, _, err = c.Jobs.Logs(ctx, testOwner, testRepo, 1)
	assert.ErrorIs(t, err, ghactions.ErrNotFound)
	for _, err := range c.Jobs.List(ctx, testOwner, testRepo, 1, nil) {
		assert.ErrorIs(t, err, ghactions.ErrNotFound)
	}
}

const jobLog = "\uFEFF2024-05-01T10:00:00.1234567Z Current runner version: '2.321.0'\n2024-05-01T10:00:01.0000000Z ##[group]Run make\n2024-05-01T10:00:02.0000000Z ##[error]Process completed with exit code 2.\n"

// A job's log comes from the URL the API redirects to, without the token,
// as it is sent (no gzip that the transport would inflate unbounded).
func TestJobLogsStreamWithoutToken(t *testing.T) {
	storage := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, jobLog)
	})
	api := newServer(t, redirectTo(http.StatusFound, storage.URL+"/jobs/399444496/log.txt?sig=abc"))
	c := newClient(t, api, ghactions.WithToken(testToken))
	ctx := context.Background()

	u, resp, err := c.Jobs.LogsURL(ctx, testOwner, testRepo, testJobID)
	require.NoError(t, err)
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.Equal(t, storage.URL+"/jobs/399444496/log.txt?sig=abc", u.String())
	assert.Zero(t, storage.hits(), "LogsURL does not fetch the log")

	rc, resp, err := c.Jobs.Logs(ctx, testOwner, testRepo, testJobID)
	require.NoError(t, err)
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, jobLog, string(b))
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	for _, r := range api.requests() {
		assert.Equal(t, jobPath+"/logs", r.Path)
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"))
	}
	req := storage.last(t)
	assert.Empty(t, req.Header.Values("Authorization"), "the token stays on the API's origin")
	assert.Equal(t, "identity", req.Header.Get("Accept-Encoding"))
	assert.Empty(t, req.Header.Get("X-GitHub-Api-Version"))
}

// Nothing is followed from https to plain http for a job's log either.
func TestJobLogsRefuseHTTPSToHTTP(t *testing.T) {
	plain := forbiddenServer(t)
	_, c := tlsAPI(t, redirectTo(http.StatusFound, plain.URL+"/log.txt"))
	_, _, err := c.Jobs.Logs(context.Background(), testOwner, testRepo, testJobID)
	assert.ErrorContains(t, err, "plain http")
	_, _, err = c.Jobs.LogsURL(context.Background(), testOwner, testRepo, testJobID)
	assert.ErrorContains(t, err, "plain http")
	assert.Zero(t, plain.hits())
}

func TestJobLogsCancelledContext(t *testing.T) {
	started := make(chan struct{})
	storage := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, strings.Repeat("2024-05-01T10:00:00.0000000Z line\n", 1000))
		w.(http.Flusher).Flush()
		close(started)
		<-r.Context().Done()
	})
	api := newServer(t, redirectTo(http.StatusFound, storage.URL+"/log.txt"))
	c := newClient(t, api)
	ctx, cancel := context.WithCancel(context.Background())
	rc, _, err := c.Jobs.Logs(ctx, testOwner, testRepo, testJobID)
	require.NoError(t, err)
	defer rc.Close()
	<-started
	cancel()
	_, err = io.ReadAll(rc)
	assert.ErrorIs(t, err, context.Canceled)
}
