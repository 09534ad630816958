package ghactions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

var dispatchNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// dispatchRunJSON is a run as the list of a workflow's runs shows it.
func dispatchRunJSON(id int64, branch, event string, created time.Time) string {
	return fmt.Sprintf(`{"id":%d,"head_branch":%q,"event":%q,"status":"queued","created_at":%q,"url":"https://api.example/runs/%d","html_url":"https://example/runs/%d"}`,
		id, branch, event, created.Format(time.RFC3339), id, id)
}

// dispatchServer answers the dispatch with status and body, and the n-th
// list of runs with lists[n] (the last one again after it).
func dispatchServer(t *testing.T, status int, body string, lists ...[]string) *server {
	var n atomic.Int32
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if body == "" {
				w.WriteHeader(status)
				return
			}
			answer(w, status, []byte(body))
			return
		}
		i := min(int(n.Add(1))-1, len(lists)-1)
		answer(w, 200, []byte(fmt.Sprintf(`{"total_count":%d,"workflow_runs":[%s]}`, len(lists[i]), strings.Join(lists[i], ","))))
	})
}

// The dispatch's request: its path, and a body with the ref, the inputs as
// given and, with API version 2022-11-28, return_run_details.
func TestDispatchRequest(t *testing.T) {
	tests := []struct {
		name     string
		workflow string
		opts     ghactions.DispatchOptions
		client   []ghactions.Option
		path     string
		body     string
	}{
		{"file name and inputs", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"environment": "production", "dry-run": true, "replicas": 3, "ratio": 0.5, "big": json.Number("12345678901234567890")}},
			nil, "repos/octo-org/octo-repo/actions/workflows/deploy.yml/dispatches",
			`{"ref":"main","inputs":{"big":12345678901234567890,"dry-run":true,"environment":"production","ratio":0.5,"replicas":3},"return_run_details":true}`},
		{"ID, no inputs", "161335", ghactions.DispatchOptions{Ref: "refs/tags/v1.2.0"},
			nil, "repos/octo-org/octo-repo/actions/workflows/161335/dispatches", `{"ref":"refs/tags/v1.2.0","return_run_details":true}`},
		{"a name to escape", "my flow.yml", ghactions.DispatchOptions{Ref: "main"},
			nil, "repos/octo-org/octo-repo/actions/workflows/my%20flow.yml/dispatches", `{"ref":"main","return_run_details":true}`},
		{"API version 2026-03-10", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{}},
			[]ghactions.Option{ghactions.WithAPIVersion("2026-03-10")}, "repos/octo-org/octo-repo/actions/workflows/deploy.yml/dispatches", `{"ref":"main"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := dispatchServer(t, 200, `{"workflow_run_id":42,"run_url":"https://api.example/runs/42","html_url":"https://example/runs/42"}`)
			c := newClient(t, srv, tt.client...)
			run, resp, err := c.Runs.Dispatch(context.Background(), testOwner, testRepo, tt.workflow, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, &ghactions.DispatchedRun{RunID: 42, RunURL: "https://api.example/runs/42", HTMLURL: "https://example/runs/42"}, run)
			require.Equal(t, 1, srv.hits())
			req := srv.last(t)
			assert.Equal(t, "POST", req.Method)
			assert.Equal(t, apiPrefix+tt.path, req.EscapedURI)
			assert.JSONEq(t, tt.body, string(req.Body))
			assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
		})
	}
}

// Bad input sends nothing.
func TestDispatchBadInput(t *testing.T) {
	type env string
	many := map[string]any{}
	for i := range 26 {
		many["in"+strconv.Itoa(i)] = "x"
	}
	tests := []struct {
		name     string
		workflow string
		opts     ghactions.DispatchOptions
	}{
		{"no workflow", "", ghactions.DispatchOptions{Ref: "main"}},
		{"a path for a workflow", "../deploy.yml", ghactions.DispatchOptions{Ref: "main"}},
		{"a zero workflow ID", "0", ghactions.DispatchOptions{Ref: "main"}},
		{"no ref", "deploy.yml", ghactions.DispatchOptions{}},
		{"a ref with spaces", "deploy.yml", ghactions.DispatchOptions{Ref: " main"}},
		{"a ref with a newline", "deploy.yml", ghactions.DispatchOptions{Ref: "ma\nin"}},
		{"26 inputs", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: many}},
		{"an empty input name", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"": "x"}}},
		{"a nil value", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": nil}}},
		{"a list", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": []string{"x"}}}},
		{"an object", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": map[string]any{}}}},
		{"NaN", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": math.NaN()}}},
		{"infinity", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": float32(math.Inf(1))}}},
		{"a json.Number that is none", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": json.Number("12abc")}}},
		{"an empty json.Number", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": json.Number("")}}},
		{"a json.Number that is a string", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"a": json.Number(`"1"`)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, forbiddenServer(t))
			run, resp, err := c.Runs.Dispatch(context.Background(), testOwner, testRepo, tt.workflow, tt.opts)
			require.ErrorIs(t, err, ghactions.ErrInvalidArgument)
			assert.Nil(t, run)
			assert.Nil(t, resp)
		})
	}
	t.Run("every kind of value that is fine", func(t *testing.T) {
		srv := dispatchServer(t, 200, `{"workflow_run_id":1}`)
		c := newClient(t, srv)
		_, _, err := c.Runs.Dispatch(context.Background(), testOwner, testRepo, "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{
			"s": "x", "e": env("prod"), "b": false, "i": -1, "i8": int8(2), "u64": uint64(3), "f32": float32(1.5), "n": json.Number("-2.5e3"),
		}})
		require.NoError(t, err)
	})
}

// A server that answers 204 (GitHub Enterprise Server) has the run found by
// listing the workflow's workflow_dispatch runs on the ref, every second
// until one appears.
func TestDispatchFindsTheRun(t *testing.T) {
	since := dispatchNow.Add(-2 * time.Second)
	ours := dispatchRunJSON(7, "v1.2.0", "workflow_dispatch", dispatchNow.Add(time.Second))
	tests := []struct {
		name   string
		status int
		body   string
		lists  [][]string
		polls  int
	}{
		{"204, the run there at once", 204, "", [][]string{{ours}}, 1},
		{"204, the run there after two polls", 204, "", [][]string{{}, {}, {ours}}, 3},
		{"204, runs that are not it around", 204, "", [][]string{{
			dispatchRunJSON(9, "main", "workflow_dispatch", dispatchNow),
			dispatchRunJSON(8, "v1.2.0", "push", dispatchNow),
			ours,
			dispatchRunJSON(6, "v1.2.0", "workflow_dispatch", since.Add(-time.Second)),
		}}, 1},
		{"200 without an ID", 200, `{"run_url":"x"}`, [][]string{{ours}}, 1},
		{"200 that is not JSON", 200, `<html>`, [][]string{{ours}}, 1},
		{"200 with a negative ID", 200, `{"workflow_run_id":-3}`, [][]string{{ours}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := dispatchServer(t, tt.status, tt.body, tt.lists...)
			clock := ghactionstest.NewClock(dispatchNow)
			c := newClient(t, srv, ghactions.WithClock(clock))
			run, resp, err := c.Runs.Dispatch(context.Background(), testOwner, testRepo, "release.yml", ghactions.DispatchOptions{Ref: "refs/tags/v1.2.0"})
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode, "the dispatch's answer")
			assert.Equal(t, &ghactions.DispatchedRun{RunID: 7, RunURL: "https://api.example/runs/7", HTMLURL: "https://example/runs/7"}, run)
			reqs := srv.requests()
			require.Len(t, reqs, 1+tt.polls)
			for _, r := range reqs[1:] {
				assert.Equal(t, apiPrefix+"repos/octo-org/octo-repo/actions/workflows/release.yml/runs", r.Path)
				assert.Equal(t, "workflow_dispatch", r.Query.Get("event"))
				assert.Equal(t, "v1.2.0", r.Query.Get("branch"))
				assert.Equal(t, ">="+since.Format(time.RFC3339), r.Query.Get("created"))
				assert.Equal(t, "100", r.Query.Get("per_page"))
			}
			assert.Equal(t, time.Duration(tt.polls-1)*time.Second, clock.Now().Sub(dispatchNow))
		})
	}
}

// When the run cannot be told: RunID 0 and ErrRunNotIdentified, the
// dispatch's Response, and no dispatch sent again.
func TestDispatchRunNotIdentified(t *testing.T) {
	tests := []struct {
		name     string
		lists    [][]string
		requests int
		also     error
	}{
		{"two candidates", [][]string{{
			dispatchRunJSON(8, "main", "workflow_dispatch", dispatchNow),
			dispatchRunJSON(7, "main", "workflow_dispatch", dispatchNow),
		}}, 2, nil},
		{"none within ten seconds", [][]string{{}}, 1 + 11, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := dispatchServer(t, 204, "", tt.lists...)
			c := newClient(t, srv, ghactions.WithClock(ghactionstest.NewClock(dispatchNow)))
			run, resp, err := c.Runs.Dispatch(context.Background(), testOwner, testRepo, "deploy.yml", ghactions.DispatchOptions{Ref: "main"})
			require.ErrorIs(t, err, ghactions.ErrRunNotIdentified)
			assert.Equal(t, &ghactions.DispatchedRun{}, run)
			assert.Equal(t, 204, resp.StatusCode)
			assert.Equal(t, tt.requests, srv.hits())
			assert.Equal(t, 1, countMethod(srv, "POST"))
		})
	}
	t.Run("the list fails", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				w.WriteHeader(204)
				return
			}
			answer(w, 403, []byte(`{"message":"Resource not accessible by integration"}`))
		})
		c := newClient(t, srv, ghactions.WithClock(ghactionstest.NewClock(dispatchNow)))
		run, _, err := c.Runs.Dispatch(context.Background(), testOwner, testRepo, "deploy.yml", ghactions.DispatchOptions{Ref: "main"})
		require.ErrorIs(t, err, ghactions.ErrRunNotIdentified)
		require.ErrorIs(t, err, ghactions.ErrForbidden)
		assert.Zero(t, run.RunID)
	})
	t.Run("the context ends", func(t *testing.T) {
		srv := dispatchServer(t, 204, "", []string{})
		ctx, cancel := context.WithCancel(context.Background())
		clock := blockingClock{ghactionstest.NewClock(dispatchNow), make(chan time.Duration, 1)}
		c := newClient(t, srv, ghactions.WithClock(clock))
		done := make(chan error, 1)
		go func() {
			_, _, err := c.Runs.Dispatch(ctx, testOwner, testRepo, "deploy.yml", ghactions.DispatchOptions{Ref: "main"})
			done <- err
		}()
		<-clock.sleeping // between two searches
		cancel()
		err := <-done
		require.ErrorIs(t, err, ghactions.ErrRunNotIdentified)
		require.ErrorIs(t, err, context.Canceled)
	})
}

func countMethod(s *server, method string) int {
	n := 0
	for _, r := range s.requests() {
		if r.Method == method {
			n++
		}
	}
	return n
}

// The API's refusals come back as they are, with no run.
func TestDispatchRefused(t *testing.T) {
	tests := []struct {
		status int
		want   error
	}{
		{422, ghactions.ErrUnprocessable},
		{404, ghactions.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			srv := dispatchServer(t, tt.status, `{"message":"Workflow does not have 'workflow_dispatch' trigger"}`)
			c := newClient(t, srv)
			run, resp, err := c.Runs.Dispatch(context.Background(), testOwner, testRepo, "ci.yml", ghactions.DispatchOptions{Ref: "main"})
			require.ErrorIs(t, err, tt.want)
			assert.NotErrorIs(t, err, ghactions.ErrRunNotIdentified)
			assert.Nil(t, run)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, 1, srv.hits())
		})
	}
}

// Against the fake: a dispatch answered 200 names its run, one answered 204
// (as GitHub Enterprise Server answers) has it found; then the caller waits
// for the run, which the live fake takes through its jobs.
func TestFakeDispatchThenWait(t *testing.T) {
	tests := []struct {
		name     string
		opts     []ghactionstest.Option
		status   int
		requests int
	}{
		{"answered 200", nil, 200, 1},
		{"answered 204", []ghactionstest.Option{ghactionstest.WithDispatchNoContent()}, 204, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := ghactionstest.NewClock(dispatchNow)
			srv, c := newFake(t, append([]ghactionstest.Option{ghactionstest.WithSharedClock(clock), ghactionstest.WithLive(time.Second)}, tt.opts...)...)
			srv.SeedDemo()
			before := len(srv.Requests())
			run, resp, err := c.Runs.Dispatch(context.Background(), fakeOwner, fakeRepo, "deploy.yml", ghactions.DispatchOptions{
				Ref:    "main",
				Inputs: map[string]any{"environment": "production", "dry-run": true},
			})
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Len(t, srv.Requests()[before:], tt.requests)
			newest := fakeFirst(t, c, ghactions.ListOptions{Event: "workflow_dispatch"})
			assert.Equal(t, newest.ID, run.RunID)
			assert.Equal(t, newest.URL, run.RunURL)
			assert.Equal(t, newest.HTMLURL, run.HTMLURL)

			done, err := c.Runs.Wait(context.Background(), fakeOwner, fakeRepo, run.RunID, &ghactions.WaitOptions{Interval: time.Second})
			require.NoError(t, err)
			assert.Equal(t, ghactions.ConclusionSuccess, done.Conclusion)
			assert.Equal(t, "Deploy", done.Name)
			assert.Equal(t, "main", done.HeadBranch)
		})
	}
}

// Two dispatches of one workflow on one ref within seconds of each other, on
// a server that answers 204: the second cannot tell its run from the first's,
// and says so rather than guess.
func TestFakeDispatchAmbiguous(t *testing.T) {
	clock := ghactionstest.NewClock(dispatchNow)
	srv, c := newFake(t, ghactionstest.WithSharedClock(clock), ghactionstest.WithDispatchNoContent())
	srv.SeedDemo()
	first, _, err := c.Runs.Dispatch(context.Background(), fakeOwner, fakeRepo, "nightly.yml", ghactions.DispatchOptions{Ref: "main"})
	require.NoError(t, err)
	assert.NotZero(t, first.RunID)
	second, _, err := c.Runs.Dispatch(context.Background(), fakeOwner, fakeRepo, "nightly.yml", ghactions.DispatchOptions{Ref: "main"})
	require.ErrorIs(t, err, ghactions.ErrRunNotIdentified)
	assert.Zero(t, second.RunID)
	assert.Len(t, fakeAll(t, c, &ghactions.ListOptions{Workflow: "nightly.yml", Event: "workflow_dispatch"}), 2, "both dispatches happened")
}

// The fake's refusals, through the client.
func TestFakeDispatchRefused(t *testing.T) {
	tests := []struct {
		name     string
		workflow string
		opts     ghactions.DispatchOptions
		want     error
	}{
		{"no trigger", "ci.yml", ghactions.DispatchOptions{Ref: "main"}, ghactions.ErrUnprocessable},
		{"unknown input", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"region": "eu"}}, ghactions.ErrUnprocessable},
		{"wrong type", "deploy.yml", ghactions.DispatchOptions{Ref: "main", Inputs: map[string]any{"dry-run": 3}}, ghactions.ErrUnprocessable},
		{"unknown ref", "deploy.yml", ghactions.DispatchOptions{Ref: "nope"}, ghactions.ErrNotFound},
		{"unknown workflow", "nope.yml", ghactions.DispatchOptions{Ref: "main"}, ghactions.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, c := newDemo(t)
			run, _, err := c.Runs.Dispatch(context.Background(), fakeOwner, fakeRepo, tt.workflow, tt.opts)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, run)
		})
	}
}
