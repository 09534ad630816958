//go:build !race

// List past GitHub's cap against ghactionstest, with thousands of runs: the
// race detector makes these take minutes, and finds nothing in them that
// listcap_test.go, against a lighter server, does not show it.

package ghactions_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// addHistory adds n runs to the fake, the newest at capStart, perSecond of
// them created in each second (and so many in the same second), on main,
// successful; between them, every fourth second, a run on another branch
// that failed, which the tests' filters leave out. It returns the IDs of the
// main runs, newest first, as GitHub lists them.
func addHistory(t *testing.T, srv *ghactionstest.Server, n, perSecond int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := n - 1; i >= 0; i-- { // oldest first, so that IDs grow with time
		at := capStart.Add(-time.Duration(i/perSecond) * time.Second)
		if i%perSecond == perSecond-1 && (i/perSecond)%4 == 0 {
			srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{HeadBranch: "other", Conclusion: ghactions.ConclusionFailure, CreatedAt: at})
		}
		ids[i] = srv.AddRun(fakeOwner, fakeRepo, ghactions.WorkflowRun{HeadBranch: "main", Conclusion: ghactions.ConclusionSuccess, CreatedAt: at}).ID
	}
	// Within a second, GitHub lists the newest (highest) ID first.
	return ids
}

// listCase is a filtered List of a history of runs.
type listCase struct {
	name     string
	opts     ghactions.ListOptions
	from, to int // the runs it gives: the history's, newest first, [from, to)
	bound    int // of the requests
}

// A filtered List goes past GitHub's 1,000-result cap: every run, newest
// first, none twice, within the request bound.
func TestFakeListPastTheCap(t *testing.T) {
	// 1,200 runs, one a second.
	at := func(i int) string { return capStart.Add(-time.Duration(i) * time.Second).Format(time.RFC3339) }
	testListPastTheCap(t, 1200, 1, []listCase{
		{"1,200 runs on a branch", ghactions.ListOptions{Branch: "main"}, 0, 1200, listBound(1200)},
		{"1,000 runs exactly", ghactions.ListOptions{Event: "push", Branch: "main", Created: "<=" + at(200)}, 200, 1200, listBound(1000)},
		{"999 runs", ghactions.ListOptions{Branch: "main", Created: "<" + at(200)}, 201, 1200, 10},
		{"1,101 runs in a range", ghactions.ListOptions{Conclusion: ghactions.ConclusionSuccess, Created: at(1150) + ".." + at(50)}, 50, 1151, listBound(1101)},
		{"1,200 runs, 30 a page", ghactions.ListOptions{Branch: "main", PerPage: 30}, 0, 1200, 1200/30 + 1 + 2 + 2},
		{"from page 3", ghactions.ListOptions{Branch: "main", Page: 3}, 200, 1200, listBound(1000)},
	})
}

// testListPastTheCap lists a history of runs, perSecond of them created in
// each second, as each case says, on one server.
func testListPastTheCap(t *testing.T, runs, perSecond int, tests []listCase) {
	srv, c := newFake(t)
	all := addHistory(t, srv, runs, perSecond)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(srv.Requests())
			opts := tt.opts
			got := fakeAll(t, c, &opts)
			requests := len(srv.Requests()) - before
			t.Logf("%d runs in %d requests (bound %d)", len(got), requests, tt.bound)
			ids := make([]int64, len(got))
			for i, r := range got {
				ids[i] = r.ID
			}
			require.Equal(t, all[tt.from:tt.to], ids, "every run, newest first, once")
			assert.LessOrEqual(t, requests, tt.bound)
			assert.Equal(t, tt.opts, opts, "List leaves the caller's options alone")
		})
	}
}

// Stopping early fetches nothing more, at a stretch's end too.
func TestFakeListPastTheCapIsLazy(t *testing.T) {
	srv, c := newFake(t)
	addHistory(t, srv, 1100, 1)
	for _, stop := range []int{1000, 1001} {
		t.Run(strconv.Itoa(stop), func(t *testing.T) {
			before := len(srv.Requests())
			n := 0
			for _, err := range c.Runs.List(context.Background(), fakeOwner, fakeRepo, &ghactions.ListOptions{Branch: "main"}) {
				require.NoError(t, err)
				if n++; n == stop {
					break
				}
			}
			assert.Equal(t, (stop+99)/100, len(srv.Requests())-before)
		})
	}
	t.Run("uncapped", func(t *testing.T) {
		// Without a filter that GitHub caps, List pages through as it
		// always has.
		before := len(srv.Requests())
		got := fakeAll(t, c, &ghactions.ListOptions{ExcludePullRequests: true})
		const runs = 1100 + (1100+3)/4 // and the other branch's
		require.Len(t, got, runs)
		reqs := srv.Requests()[before:]
		assert.Len(t, reqs, (runs+99)/100)
		for _, r := range reqs {
			assert.Empty(t, r.Query.Get("created"))
		}
	})
}

// More than 1,000 runs in one second cannot be told apart by created: List
// yields what it can, then ErrListCap, and stops.
func TestFakeListPastTheCapTooManyInOneSecond(t *testing.T) {
	srv, c := newFake(t)
	addHistory(t, srv, 1001, 1001)
	before := len(srv.Requests())
	n := 0
	var last error
	for run, err := range c.Runs.List(context.Background(), fakeOwner, fakeRepo, &ghactions.ListOptions{Branch: "main"}) {
		if err != nil {
			last = err
			continue
		}
		require.Nil(t, last, "a run after the error")
		n++
		_ = run
	}
	require.ErrorIs(t, last, ghactions.ErrListCap)
	assert.Contains(t, last.Error(), capStart.Format(time.RFC3339))
	assert.Equal(t, 1000, n, "the first 1,000, the second's, then the cap")
	assert.Equal(t, 20, len(srv.Requests())-before)
}

func TestFakeListPastTheCapInBulk(t *testing.T) {
	t.Run("2,500 runs, 40 created in each second", func(t *testing.T) {
		testListPastTheCap(t, 2500, 40, []listCase{{"", ghactions.ListOptions{Branch: "main"}, 0, 2500, listBound(2500)}})
	})
	t.Run("1,500 runs, 90 created in each second", func(t *testing.T) {
		testListPastTheCap(t, 1500, 90, []listCase{{"", ghactions.ListOptions{Conclusion: ghactions.ConclusionSuccess}, 0, 1500, listBound(1500)}})
	})
	t.Run("5,000 runs behind a filter", func(t *testing.T) {
		testListPastTheCap(t, 5000, 3, []listCase{{"", ghactions.ListOptions{Status: ghactions.StatusCompleted, Branch: "main"}, 0, 5000, 57}})
	})
}

// The created ranges that List narrows to keep the caller's bounds.
func TestFakeListPastTheCapKeepsTheCreatedRange(t *testing.T) {
	srv, c := newFake(t)
	all := addHistory(t, srv, 2200, 1)
	// The runs from 2,100 s to 100 s before the newest: 2,001 of them.
	lo, hi := capStart.Add(-2100*time.Second), capStart.Add(-100*time.Second)
	created := lo.Format(time.RFC3339) + ".." + hi.Format(time.RFC3339)
	before := len(srv.Requests())
	got := fakeAll(t, c, &ghactions.ListOptions{Branch: "main", Created: created})
	require.Len(t, got, 2001)
	assert.Equal(t, all[100], got[0].ID)
	assert.Equal(t, all[2100], got[len(got)-1].ID)
	var ranges []string
	for _, r := range srv.Requests()[before:] {
		if r.Query.Get("page") == "" {
			ranges = append(ranges, r.Query.Get("created"))
		}
	}
	at := func(d time.Duration) string { return capStart.Add(-d * time.Second).Format("2006-01-02T15:04:05Z") }
	assert.Equal(t, []string{
		created,
		at(2100) + ".." + at(1099), // the 1,000th run, the 1,100th before the newest
		at(2100) + ".." + at(2098),
	}, ranges)
}
