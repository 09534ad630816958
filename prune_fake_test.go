package ghactions_test

import (
	"context"
	"net/http"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// pruneNow is the time of the prunes against the fake.
var pruneNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// historyRun is a run of the history that addPruneHistory makes up.
type historyRun struct {
	id        int64
	workflow  string
	created   time.Time
	completed bool
}

// addPruneHistory adds 250 runs over the 93 days before pruneNow, one every
// nine hours, of three workflows in turn; one in 25 is in progress and one
// in 25 queued, the others completed. It returns them newest first.
func addPruneHistory(t *testing.T, srv *ghactionstest.Server) []historyRun {
	t.Helper()
	workflows := []string{"ci.yml", "nightly.yml", "release.yml"}
	runs := make([]historyRun, 250)
	for i := len(runs) - 1; i >= 0; i-- { // oldest first, so that IDs grow with time
		run := ghactions.WorkflowRun{
			Path:      ".github/workflows/" + workflows[i%3],
			CreatedAt: pruneNow.Add(-time.Duration(i)*9*time.Hour - time.Minute),
		}
		switch i % 25 {
		case 7:
			run.Status = ghactions.StatusInProgress
		case 19:
			run.Status = ghactions.StatusQueued
		case 3, 11:
			run.Conclusion = ghactions.ConclusionFailure
		default:
			run.Conclusion = ghactions.ConclusionSuccess
		}
		got := srv.AddRun(fakeOwner, fakeRepo, run)
		runs[i] = historyRun{id: got.ID, workflow: workflows[i%3], created: got.CreatedAt, completed: run.Status == ""}
	}
	return runs
}

// selected is what a prune of the history should delete: a plain reading of
// PruneOptions, to check Prune against.
func selected(history []historyRun, opts ghactions.PruneOptions) (listed int, doomed []int64) {
	kept := map[string]int{}
	cutoff := pruneNow.Add(-opts.OlderThan)
	for _, r := range history {
		if opts.Filter.Workflow != "" && r.workflow != opts.Filter.Workflow {
			continue
		}
		if opts.OlderThan > 0 && opts.KeepLatest == 0 && r.created.After(cutoff) {
			continue // not even listed
		}
		listed++
		switch {
		case !r.completed:
		case kept[r.workflow] < opts.KeepLatest:
			kept[r.workflow]++
		case opts.OlderThan > 0 && !r.created.Before(cutoff):
		default:
			doomed = append(doomed, r.id)
		}
	}
	return listed, doomed
}

// newPruneFake is a fake with the prune history, on a virtual clock shared
// with its client, and the client, whose answers statuses counts.
func newPruneFake(t *testing.T, opts ...ghactions.Option) (*ghactionstest.Server, *ghactions.Client, *ghactionstest.Clock, []historyRun, *statusCounter) {
	t.Helper()
	clock := ghactionstest.NewClock(pruneNow)
	srv := ghactionstest.NewServer(ghactionstest.WithSharedClock(clock))
	t.Cleanup(srv.Close)
	history := addPruneHistory(t, srv)
	statuses := &statusCounter{base: &http.Transport{DisableKeepAlives: true}, n: map[int]int{}}
	c, err := srv.Client(append([]ghactions.Option{ghactions.WithHTTPClient(&http.Client{Transport: statuses})}, opts...)...)
	require.NoError(t, err)
	return srv, c, clock, history, statuses
}

// remaining lists the IDs of the runs the fake has left.
func remaining(t *testing.T, c *ghactions.Client) []int64 {
	t.Helper()
	var ids []int64
	for run, err := range c.Runs.List(context.Background(), fakeOwner, fakeRepo, nil) {
		require.NoError(t, err)
		ids = append(ids, run.ID)
	}
	return ids
}

func without(all []historyRun, gone []int64) []int64 {
	var ids []int64
	for _, r := range all {
		if !slices.Contains(gone, r.id) {
			ids = append(ids, r.id)
		}
	}
	return ids
}

// A prune of 250 runs deletes exactly the runs it selects, in ceil(M/100)
// list requests and one request per delete, paced: the fake's secondary
// limits never answer.
func TestFakePrune(t *testing.T) {
	const month = 30 * 24 * time.Hour
	tests := []struct {
		name string
		opts ghactions.PruneOptions
	}{
		{"keep 10 of each workflow, older than 30 days", ghactions.PruneOptions{KeepLatest: 10, OlderThan: month}},
		{"older than 30 days", ghactions.PruneOptions{OlderThan: month}},
		{"every completed run", ghactions.PruneOptions{}},
		{"one workflow, keep 2", ghactions.PruneOptions{Filter: ghactions.ListOptions{Workflow: "nightly.yml"}, KeepLatest: 2}},
		{"logs only", ghactions.PruneOptions{KeepLatest: 10, OlderThan: month, LogsOnly: true}},
		{"dry run", ghactions.PruneOptions{KeepLatest: 10, OlderThan: month, DryRun: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c, clock, history, statuses := newPruneFake(t)
			listed, doomed := selected(history, tt.opts)
			require.NotEmpty(t, doomed)

			told := map[int64]ghactions.PruneAction{}
			actions := map[ghactions.PruneAction]int{}
			opts := tt.opts
			opts.OnRun = func(run *ghactions.WorkflowRun, action ghactions.PruneAction, err error) {
				assert.NotContains(t, told, run.ID, "told twice")
				assert.NoError(t, err)
				told[run.ID] = action
				actions[action]++
			}
			report, err := c.Runs.Prune(context.Background(), fakeOwner, fakeRepo, opts)
			require.NoError(t, err)

			listRequests := max((listed+99)/100, 1)
			want := &ghactions.PruneReport{Listed: listed, Kept: listed - len(doomed), Deleted: len(doomed), Requests: listRequests + len(doomed)}
			if tt.opts.DryRun {
				want.Deleted, want.WouldDelete, want.Requests = 0, len(doomed), listRequests
			}
			assert.Equal(t, want, report)
			t.Logf("listed %d, deleted %d, in %d requests; %v on the clock", listed, len(doomed), report.Requests, clock.Now().Sub(pruneNow))
			assert.Len(t, told, listed)
			assert.Equal(t, report.Kept, actions[ghactions.PruneKept])
			assert.Zero(t, statuses.count(403), "answers of the secondary limit")

			switch {
			case tt.opts.DryRun:
				assert.Equal(t, without(history, nil), remaining(t, c))
				assert.Equal(t, len(doomed), actions[ghactions.PruneWouldDelete])
			case tt.opts.LogsOnly:
				assert.Equal(t, without(history, nil), remaining(t, c))
				for _, r := range history {
					if !r.completed {
						continue
					}
					_, _, err := c.Runs.LogsURL(context.Background(), fakeOwner, fakeRepo, r.id)
					if slices.Contains(doomed, r.id) {
						assert.ErrorIs(t, err, ghactions.ErrNotFound, "run %d", r.id)
					} else {
						assert.NoError(t, err, "run %d", r.id)
					}
				}
			default:
				assert.Equal(t, without(history, doomed), remaining(t, c))
				assert.Equal(t, len(doomed), actions[ghactions.PruneDeleted])
				// One second between deletes, on the virtual clock.
				assert.GreaterOrEqual(t, clock.Now().Sub(pruneNow), time.Duration(len(doomed)-1)*time.Second)
			}
		})
	}
}

// Without pacing, the same prune runs into the fake's secondary limit (180
// deletes a minute), and the client waits it out; with it, never.
func TestFakePruneAgainstTheSecondaryLimit(t *testing.T) {
	tests := []struct {
		name    string
		opts    []ghactions.Option
		limited bool
	}{
		{"paced", nil, false},
		{"not paced", []ghactions.Option{ghactions.WithWritePacing(0)}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, c, _, history, statuses := newPruneFake(t, tt.opts...)
			listed, doomed := selected(history, ghactions.PruneOptions{})
			require.Greater(t, len(doomed), 180)
			report, err := c.Runs.Prune(context.Background(), fakeOwner, fakeRepo, ghactions.PruneOptions{})
			require.NoError(t, err)
			limited := statuses.count(403)
			t.Logf("%d deletes, %d answers of the secondary limit", len(doomed), limited)
			assert.Equal(t, tt.limited, limited > 0)
			assert.Equal(t, len(doomed), report.Deleted)
			assert.Equal(t, (listed+99)/100+len(doomed)+limited, report.Requests)
			assert.Equal(t, without(history, doomed), remaining(t, c))
		})
	}
}

// A prune cut short by its context, between deletes or during one, reports
// what it did and ctx's error; the same prune again finishes the job.
func TestFakePruneInterruptedThenAgain(t *testing.T) {
	opts := ghactions.PruneOptions{KeepLatest: 10, OlderThan: 30 * 24 * time.Hour}
	tests := []struct {
		name      string
		interrupt func(srv *ghactionstest.Server, cancel func(), deleted *atomic.Int32) func(*ghactions.WorkflowRun, ghactions.PruneAction, error)
		deleted   int // by the first prune, as reported
		gone      int // by the first prune, in fact
	}{
		{"between deletes", func(_ *ghactionstest.Server, cancel func(), deleted *atomic.Int32) func(*ghactions.WorkflowRun, ghactions.PruneAction, error) {
			return func(_ *ghactions.WorkflowRun, action ghactions.PruneAction, _ error) {
				if action == ghactions.PruneDeleted && deleted.Add(1) == 50 {
					cancel()
				}
			}
		}, 50, 50},
		{"during a delete", func(srv *ghactionstest.Server, cancel func(), _ *atomic.Int32) func(*ghactions.WorkflowRun, ghactions.PruneAction, error) {
			var n atomic.Int32
			srv.OnRequest(func(r ghactionstest.Request) {
				if r.Method == "DELETE" && n.Add(1) == 30 {
					cancel()
				}
			})
			return nil
		}, 29, 30},
		{"while listing", func(srv *ghactionstest.Server, cancel func(), _ *atomic.Int32) func(*ghactions.WorkflowRun, ghactions.PruneAction, error) {
			var n atomic.Int32
			srv.OnRequest(func(ghactionstest.Request) {
				if n.Add(1) == 2 {
					cancel()
				}
			})
			return nil
		}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c, _, history, _ := newPruneFake(t)
			_, doomed := selected(history, opts)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var deleted atomic.Int32
			first := opts
			first.OnRun = tt.interrupt(srv, cancel, &deleted)
			report, err := c.Runs.Prune(ctx, fakeOwner, fakeRepo, first)
			require.ErrorIs(t, err, context.Canceled)
			assert.Equal(t, tt.deleted, report.Deleted)
			assert.Empty(t, report.Failed)
			srv.OnRequest(nil)
			assert.Equal(t, without(history, doomed[:tt.gone]), remaining(t, c), "the newest first")

			again, err := c.Runs.Prune(context.Background(), fakeOwner, fakeRepo, opts)
			require.NoError(t, err)
			assert.Equal(t, len(doomed)-tt.gone, again.Deleted)
			assert.Equal(t, without(history, doomed), remaining(t, c))
		})
	}
}

// Why Prune lists first: deleting while paging through List skips runs, on
// the fake as on GitHub, since each deletion shifts the pages after it. Of
// 250 runs, one pass deletes 150 and leaves 100.
func TestFakeDeletingWhilePagingSkipsRuns(t *testing.T) {
	_, c, _, _, _ := newPruneFake(t, ghactions.WithWritePacing(0))
	deleted := 0
	for run, err := range c.Runs.List(context.Background(), fakeOwner, fakeRepo, nil) {
		require.NoError(t, err)
		_, err := c.Runs.Delete(context.Background(), fakeOwner, fakeRepo, run.ID)
		require.NoError(t, err)
		deleted++
	}
	left := remaining(t, c)
	t.Logf("one pass of List and Delete over 250 runs: %d deleted, %d left", deleted, len(left))
	assert.Equal(t, 150, deleted)
	assert.Len(t, left, 100)
}
