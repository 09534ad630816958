package ghactions_test

import (
	"context"
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

// pruneServer lists the runs of runsJSON on one page and answers each
// DELETE of run n with deletes[n], 204 when it has none.
func pruneServer(t *testing.T, runsJSON []string, deletes map[int64]http.HandlerFunc) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			answer(w, 200, []byte(fmt.Sprintf(`{"total_count":%d,"workflow_runs":[%s]}`, len(runsJSON), strings.Join(runsJSON, ","))))
			return
		}
		parts := strings.Split(strings.TrimSuffix(r.URL.Path, "/logs"), "/")
		id, _ := strconv.ParseInt(parts[len(parts)-1], 10, 64)
		if h := deletes[id]; h != nil {
			h(w, r)
			return
		}
		w.WriteHeader(204)
	})
}

func pruneRun(id int64, status string) string {
	return fmt.Sprintf(`{"id":%d,"workflow_id":1,"status":%q,"created_at":"2024-01-01T00:00:00Z"}`, id, status)
}

// Each delete's outcome: 404 is already gone, another failure is reported
// and the prune goes on; OnRun hears of each run once, in order.
func TestPruneOutcomes(t *testing.T) {
	srv := pruneServer(t,
		[]string{pruneRun(7, "in_progress"), pruneRun(6, "completed"), pruneRun(5, "completed"), pruneRun(4, "completed"), pruneRun(3, "completed"), pruneRun(2, "completed"), pruneRun(1, "completed")},
		map[int64]http.HandlerFunc{
			5: func(w http.ResponseWriter, _ *http.Request) { answer(w, 404, []byte(`{"message":"Not Found"}`)) },
			3: func(w http.ResponseWriter, _ *http.Request) { answer(w, 500, []byte(`{"message":"Server Error"}`)) },
			2: func(w http.ResponseWriter, _ *http.Request) { answer(w, 409, []byte(`{"message":"Conflict"}`)) },
		})
	c := newClient(t, srv, ghactions.WithWritePacing(0))
	var told []string
	report, err := c.Runs.Prune(context.Background(), testOwner, testRepo, ghactions.PruneOptions{
		OnRun: func(run *ghactions.WorkflowRun, action ghactions.PruneAction, err error) {
			told = append(told, fmt.Sprintf("%d %s %v", run.ID, action, err != nil))
		},
		OnListed: func(listed, toDelete int) {
			told = append(told, fmt.Sprintf("listed %d, %d to delete; %d requests so far", listed, toDelete, srv.hits()))
		},
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"7 kept false", "listed 7, 6 to delete; 1 requests so far", "6 deleted false", "5 already-gone false", "4 deleted false", "3 failed true", "2 failed true", "1 deleted false"}, told)
	assert.Equal(t, 7, report.Listed)
	assert.Equal(t, 1, report.Kept)
	assert.Equal(t, 3, report.Deleted)
	assert.Equal(t, 1, report.AlreadyGone)
	require.Len(t, report.Failed, 2)
	assert.Equal(t, int64(3), report.Failed[0].RunID)
	assert.ErrorContains(t, report.Failed[0].Err, "500")
	assert.ErrorIs(t, report.Failed[1].Err, ghactions.ErrConflict)
	assert.Equal(t, 1+6, report.Requests)
	assert.Equal(t, 7, srv.hits())
}

// Failures that every other delete would meet too end the prune at once.
func TestPruneStopsOnFailuresThatRepeat(t *testing.T) {
	tests := []struct {
		name   string
		answer http.HandlerFunc
		want   error
	}{
		{"401", func(w http.ResponseWriter, _ *http.Request) { answer(w, 401, []byte(`{"message":"Bad credentials"}`)) }, ghactions.ErrUnauthorized},
		{"403", func(w http.ResponseWriter, _ *http.Request) {
			answer(w, 403, []byte(`{"message":"Resource not accessible by integration"}`))
		}, ghactions.ErrForbidden},
		{"secondary rate limit", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3600")
			answer(w, 403, []byte(`{"message":"You have exceeded a secondary rate limit."}`))
		}, ghactions.ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pruneServer(t, []string{pruneRun(3, "completed"), pruneRun(2, "completed"), pruneRun(1, "completed")},
				map[int64]http.HandlerFunc{2: tt.answer})
			c := newClient(t, srv, ghactions.WithWritePacing(0), ghactions.WithRetryPolicy(ghactions.DefaultRetryPolicy()))
			report, err := c.Runs.Prune(context.Background(), testOwner, testRepo, ghactions.PruneOptions{})
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, 1, report.Deleted)
			require.Len(t, report.Failed, 1)
			assert.Equal(t, int64(2), report.Failed[0].RunID)
			assert.Equal(t, 3, srv.hits(), "nothing after the failure")
		})
	}
}

// Bad options send nothing.
func TestPruneBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts ghactions.PruneOptions
	}{
		{"negative OlderThan", ghactions.PruneOptions{OlderThan: -time.Hour}},
		{"negative KeepLatest", ghactions.PruneOptions{KeepLatest: -1}},
		{"bad filter", ghactions.PruneOptions{Filter: ghactions.ListOptions{Created: "last week"}}},
		{"bad workflow", ghactions.PruneOptions{Filter: ghactions.ListOptions{Workflow: "../x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, forbiddenServer(t))
			report, err := c.Runs.Prune(context.Background(), testOwner, testRepo, tt.opts)
			require.ErrorIs(t, err, ghactions.ErrInvalidArgument)
			assert.NotNil(t, report)
		})
	}
	c := newClient(t, forbiddenServer(t))
	_, err := c.Runs.Prune(context.Background(), "", testRepo, ghactions.PruneOptions{})
	require.ErrorIs(t, err, ghactions.ErrInvalidArgument)
}

// With OlderThan and no KeepLatest, Prune lists only the runs old enough:
// the created range it sends is the caller's, cut at the client's clock less
// OlderThan. With KeepLatest, it lists them all; when no run can be old
// enough, it sends nothing.
func TestPruneListsOnlyTheOldEnough(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 30, 45, 500_000_000, time.UTC)
	tests := []struct {
		name    string
		opts    ghactions.PruneOptions
		created string // "-": no request at all
	}{
		{"older than 30 days", ghactions.PruneOptions{OlderThan: 30 * 24 * time.Hour}, "<=2026-01-30T12:30:45Z"},
		{"and the caller's range", ghactions.PruneOptions{OlderThan: 24 * time.Hour, Filter: ghactions.ListOptions{Created: ">=2026-01-01"}}, "2026-01-01T00:00:00Z..2026-02-28T12:30:45Z"},
		{"and the caller's earlier end", ghactions.PruneOptions{OlderThan: time.Hour, Filter: ghactions.ListOptions{Created: "<2026-02-01"}}, "<=2026-01-31T23:59:59Z"},
		{"keep the latest", ghactions.PruneOptions{OlderThan: time.Hour, KeepLatest: 3}, ""},
		{"any age", ghactions.PruneOptions{}, ""},
		{"no run old enough", ghactions.PruneOptions{OlderThan: 24 * time.Hour, Filter: ghactions.ListOptions{Created: ">=2026-03-01"}}, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pruneServer(t, nil, nil)
			c := newClient(t, srv, ghactions.WithClock(ghactionstest.NewClock(now)))
			report, err := c.Runs.Prune(context.Background(), testOwner, testRepo, tt.opts)
			require.NoError(t, err)
			if tt.created == "-" {
				assert.Zero(t, srv.hits())
				assert.Equal(t, &ghactions.PruneReport{}, report)
				return
			}
			require.Equal(t, 1, srv.hits())
			assert.Equal(t, tt.created, srv.last(t).Query.Get("created"))
			assert.Equal(t, 1, report.Requests)
		})
	}
}

// A run created exactly OlderThan ago, or since, is kept; one a second
// older goes.
func TestPruneOlderThanIsExact(t *testing.T) {
	now := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	srv := pruneServer(t, []string{
		`{"id":3,"status":"completed","created_at":"2024-01-01T00:00:01Z"}`,
		`{"id":2,"status":"completed","created_at":"2024-01-01T00:00:00Z"}`,
		`{"id":1,"status":"completed","created_at":"2023-12-31T23:59:59Z"}`,
	}, nil)
	c := newClient(t, srv, ghactions.WithClock(ghactionstest.NewClock(now)))
	var deleted []int64
	report, err := c.Runs.Prune(context.Background(), testOwner, testRepo, ghactions.PruneOptions{
		OlderThan: 24 * time.Hour,
		OnRun: func(run *ghactions.WorkflowRun, action ghactions.PruneAction, _ error) {
			if action == ghactions.PruneDeleted {
				deleted = append(deleted, run.ID)
			}
		},
	})
	require.NoError(t, err)
	assert.Equal(t, []int64{1}, deleted)
	assert.Equal(t, 2, report.Kept)
}

// OnRun's run holds the run's own fields, not its nested objects.
func TestPruneReportsSlimRuns(t *testing.T) {
	full := string(testdata(t, "get_run.json"))
	srv := pruneServer(t, []string{full}, nil)
	c := newClient(t, srv)
	var got *ghactions.WorkflowRun
	_, err := c.Runs.Prune(context.Background(), testOwner, testRepo, ghactions.PruneOptions{DryRun: true, OnRun: func(run *ghactions.WorkflowRun, _ ghactions.PruneAction, _ error) { got = run }})
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.NotZero(t, got.ID)
	assert.NotEmpty(t, got.HTMLURL)
	assert.NotEmpty(t, got.DisplayTitle)
	assert.False(t, got.CreatedAt.IsZero())
	assert.Nil(t, got.Repository)
	assert.Nil(t, got.HeadCommit)
	assert.Nil(t, got.Actor)
	assert.Equal(t, 1, srv.hits(), "a dry run deletes nothing")
}
