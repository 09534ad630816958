package ghactionstest_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// rateOf reads the rate-limit headers of an answer.
func rateOf(r reply) (limit, remaining, used int, reset string) {
	limit, _ = strconv.Atoi(r.header.Get("X-RateLimit-Limit"))
	remaining, _ = strconv.Atoi(r.header.Get("X-RateLimit-Remaining"))
	used, _ = strconv.Atoi(r.header.Get("X-RateLimit-Used"))
	return limit, remaining, used, r.header.Get("X-RateLimit-Reset")
}

func TestRateLimitHeaders(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now))
	reset := strconv.FormatInt(t0.Add(time.Hour).Unix(), 10)
	for i := 1; i <= 3; i++ {
		r := call(t, srv, "GET", runs, "") // 404 answers count too
		limit, remaining, used, gotReset := rateOf(r)
		assert.Equal(t, 5000, limit)
		assert.Equal(t, 5000-i, remaining)
		assert.Equal(t, i, used)
		assert.Equal(t, reset, gotReset, "the window starts at the first request")
		assert.Equal(t, "core", r.header.Get("X-RateLimit-Resource"))
		clock.Add(time.Minute)
	}
}

func TestAnonymousCallersHaveTheirOwnLimit(t *testing.T) {
	srv := newServer(t, ghactionstest.WithPublic())
	call(t, srv, "GET", runs, "")
	limit, remaining, _, _ := rateOf(call(t, srv, "GET", runs, "", "Authorization", ""))
	assert.Equal(t, 60, limit)
	assert.Equal(t, 59, remaining)
}

func TestRateLimitExhausted(t *testing.T) {
	clock := newClock()
	srv := newServer(t, ghactionstest.WithClock(clock.Now), ghactionstest.WithRateLimit(2))
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
	for range 2 {
		require.Equal(t, http.StatusOK, call(t, srv, "GET", runPath(run.ID), "").status)
	}
	for _, method := range []string{"GET", "POST"} {
		r := call(t, srv, method, runPath(run.ID)+"/cancel", "")
		require.Equal(t, http.StatusForbidden, r.status)
		assert.Regexp(t, `^API rate limit exceeded for user ID 1\.`, r.json(t)["message"])
		limit, remaining, used, _ := rateOf(r)
		assert.Equal(t, []int{2, 0, 2}, []int{limit, remaining, used})
	}
	assert.Equal(t, ghactions.StatusInProgress, getRunAfterReset(t, srv, clock, run.ID).Status, "the refused cancel did nothing")
}

// getRunAfterReset moves the clock past the rate-limit window and gets a run.
func getRunAfterReset(t *testing.T, srv *ghactionstest.Server, clock *fakeClock, id int64) ghactions.WorkflowRun {
	clock.Add(time.Hour)
	r := call(t, srv, "GET", runPath(id), "")
	require.Equal(t, http.StatusOK, r.status)
	_, remaining, used, reset := rateOf(r)
	assert.Equal(t, []int{1, 1}, []int{remaining, used})
	assert.Equal(t, strconv.FormatInt(t0.Add(2*time.Hour).Unix(), 10), reset)
	return getRun(t, srv, runPath(id))
}

func TestAuthenticationFailuresSpendNothing(t *testing.T) {
	srv := newServer(t)
	call(t, srv, "GET", runs, "", "Authorization", "Bearer ghp_wrong")
	_, remaining, _, _ := rateOf(call(t, srv, "GET", runs, ""))
	assert.Equal(t, 4999, remaining)
}

func TestConditionalRequests(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Status: ghactions.StatusInProgress})
	first := call(t, srv, "GET", runPath(run.ID), "")
	tag := first.header.Get("ETag")
	require.Regexp(t, `^W/".+"$`, tag)
	_, remaining, _, _ := rateOf(first)

	for _, inm := range []string{tag, tag[2:], `"other", ` + tag, "*"} {
		r := call(t, srv, "GET", runPath(run.ID), "", "If-None-Match", inm)
		assert.Equal(t, http.StatusNotModified, r.status, "If-None-Match: %s", inm)
		assert.Empty(t, r.body)
		assert.Equal(t, tag, r.header.Get("ETag"))
		_, left, _, _ := rateOf(r)
		assert.Equal(t, remaining, left, "a 304 spends nothing")
	}

	r := call(t, srv, "GET", runPath(run.ID), "", "If-None-Match", `W/"other"`)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, tag, r.header.Get("ETag"))

	cancel := call(t, srv, "POST", runPath(run.ID)+"/cancel", "")
	assert.Empty(t, cancel.header.Get("ETag"), "only GET answers have one")
	r = call(t, srv, "GET", runPath(run.ID), "", "If-None-Match", tag)
	assert.Equal(t, http.StatusOK, r.status, "the run changed")
	assert.NotEqual(t, tag, r.header.Get("ETag"))

	list := call(t, srv, "GET", runs, "")
	assert.Equal(t, http.StatusNotModified, call(t, srv, "GET", runs, "", "If-None-Match", list.header.Get("ETag")).status)
}
