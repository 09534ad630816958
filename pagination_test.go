package ghactions_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// pages serves a list of total runs with IDs 1..total, paged by the page and
// per_page query parameters (30 a page by default, as GitHub does), with a
// Link header of absolute URLs. fail, when set, may answer a request itself
// (by returning true).
type pages struct {
	total int
	fail  func(w http.ResponseWriter, r *http.Request, page int) bool
}

func (p pages) serve(t testing.TB) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		page := atoiOr(q.Get("page"), 1)
		perPage := atoiOr(q.Get("per_page"), 30)
		if p.fail != nil && p.fail(w, r, page) {
			return
		}
		last := max(1, (p.total+perPage-1)/perPage)
		link := func(n int) string {
			q := r.URL.Query()
			q.Set("page", strconv.Itoa(n))
			u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}
			return u.String()
		}
		var links []string
		if page < last {
			links = append(links, fmt.Sprintf(`<%s>; rel="next"`, link(page+1)), fmt.Sprintf(`<%s>; rel="last"`, link(last)))
		}
		if page > 1 {
			links = append(links, fmt.Sprintf(`<%s>; rel="first"`, link(1)), fmt.Sprintf(`<%s>; rel="prev"`, link(page-1)))
		}
		for _, l := range links {
			w.Header().Add("Link", l)
		}
		runs := []map[string]any{}
		for id := (page-1)*perPage + 1; id <= min(page*perPage, p.total); id++ {
			runs = append(runs, map[string]any{"id": id, "name": "run " + strconv.Itoa(id), "status": "completed"})
		}
		body, _ := json.Marshal(map[string]any{"total_count": p.total, "workflow_runs": runs})
		answer(w, http.StatusOK, body)
	})
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// collect runs List to its end and returns the IDs and errors it yielded.
func collect(seq func(func(*ghactions.WorkflowRun, error) bool)) (ids []int64, errs []error) {
	for run, err := range seq {
		if err != nil {
			errs = append(errs, err)
			if run != nil {
				ids = append(ids, -1) // a run and an error together: never expected
			}
			continue
		}
		if run == nil {
			ids = append(ids, 0) // neither run nor error: never expected
			continue
		}
		ids = append(ids, run.ID)
	}
	return ids, errs
}

func seq(from, to int64) []int64 {
	var s []int64
	for i := from; i <= to; i++ {
		s = append(s, i)
	}
	return s
}

func TestListFollowsLinkHeader(t *testing.T) {
	srv := pages{total: 5}.serve(t)
	c := newClient(t, srv)

	ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, &ghactions.ListOptions{Branch: "main", PerPage: 2}))
	require.Empty(t, errs)
	assert.Equal(t, seq(1, 5), ids)

	reqs := srv.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assert.Equal(t, http.MethodGet, r.Method)
		assert.Equal(t, runsPath, r.Path)
		assert.Equal(t, "main", r.Query.Get("branch"), "request %d keeps the filter", i)
		assert.Equal(t, "2", r.Query.Get("per_page"), "request %d", i)
		assert.Equal(t, "application/vnd.github+json", r.Header.Get("Accept"))
	}
	assert.False(t, reqs[0].Query.Has("page"), "the first request starts at the server's first page")
	assert.Equal(t, "2", reqs[1].Query.Get("page"))
	assert.Equal(t, "3", reqs[2].Query.Get("page"))
}

func TestListSendsTokenToEveryPage(t *testing.T) {
	srv := pages{total: 3}.serve(t)
	c := newClient(t, srv, ghactions.WithToken(testToken))

	ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, &ghactions.ListOptions{PerPage: 1}))
	require.Empty(t, errs)
	assert.Equal(t, seq(1, 3), ids)
	for _, r := range srv.requests() {
		assert.Equal(t, "Bearer "+testToken, r.Header.Get("Authorization"), "same-origin next links carry the token")
	}
}

func TestListDefaultsTo100PerPage(t *testing.T) {
	for name, opts := range map[string]*ghactions.ListOptions{
		"nil options":  nil,
		"zero PerPage": {Event: "push"},
	} {
		t.Run(name, func(t *testing.T) {
			srv := pages{total: 250}.serve(t)
			c := newClient(t, srv)

			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, opts))
			require.Empty(t, errs)
			assert.Equal(t, seq(1, 250), ids)
			reqs := srv.requests()
			require.Len(t, reqs, 3)
			for _, r := range reqs {
				assert.Equal(t, "100", r.Query.Get("per_page"))
			}
		})
	}
}

func TestListPagePerPage(t *testing.T) {
	srv := pages{total: 250}.serve(t)
	c := newClient(t, srv)
	ctx := context.Background()

	page, resp, err := c.Runs.ListPage(ctx, testOwner, testRepo, nil)
	require.NoError(t, err)
	assert.False(t, srv.last(t).Query.Has("per_page"), "ListPage leaves the page size to the server")
	assert.Len(t, page.WorkflowRuns, 30)
	assert.Equal(t, 250, page.TotalCount)
	assert.Equal(t, 2, resp.NextPage)
	assert.Equal(t, 9, resp.LastPage)
	assert.Zero(t, resp.PrevPage)
	assert.Zero(t, resp.FirstPage)

	page, resp, err = c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{PerPage: 50, Page: 3})
	require.NoError(t, err)
	assert.Equal(t, "50", srv.last(t).Query.Get("per_page"))
	assert.Equal(t, "3", srv.last(t).Query.Get("page"))
	require.Len(t, page.WorkflowRuns, 50)
	assert.Equal(t, int64(101), page.WorkflowRuns[0].ID)
	assert.Equal(t, 4, resp.NextPage)
	assert.Equal(t, 2, resp.PrevPage)
	assert.Equal(t, 1, resp.FirstPage)
	assert.Equal(t, 5, resp.LastPage)
	require.NotNil(t, resp.Links["next"])
	assert.Equal(t, srv.URL+runsPath+"?page=4&per_page=50", resp.Links["next"].String())

	_, resp, err = c.Runs.ListPage(ctx, testOwner, testRepo, &ghactions.ListOptions{PerPage: 100, Page: 3})
	require.NoError(t, err)
	assert.Zero(t, resp.NextPage, "last page")
	assert.Zero(t, resp.LastPage)
	assert.Equal(t, 2, resp.PrevPage)
}

func TestListStartsAtPage(t *testing.T) {
	srv := pages{total: 7}.serve(t)
	c := newClient(t, srv)

	ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, &ghactions.ListOptions{PerPage: 2, Page: 2}))
	require.Empty(t, errs)
	assert.Equal(t, seq(3, 7), ids)
	reqs := srv.requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "2", reqs[0].Query.Get("page"))
	assert.Equal(t, "3", reqs[1].Query.Get("page"))
	assert.Equal(t, "4", reqs[2].Query.Get("page"))
}

func TestListStopsEarly(t *testing.T) {
	for _, tc := range []struct {
		stopAfter int // runs taken
		wantReqs  int
	}{
		{1, 1},
		{2, 1}, // the last run of page 1
		{3, 2},
		{6, 3},
	} {
		t.Run(strconv.Itoa(tc.stopAfter), func(t *testing.T) {
			srv := pages{total: 10}.serve(t)
			c := newClient(t, srv)

			var ids []int64
			for run, err := range c.Runs.List(context.Background(), testOwner, testRepo, &ghactions.ListOptions{PerPage: 2}) {
				require.NoError(t, err)
				ids = append(ids, run.ID)
				if len(ids) == tc.stopAfter {
					break
				}
			}
			assert.Equal(t, seq(1, int64(tc.stopAfter)), ids)
			assert.Equal(t, tc.wantReqs, srv.hits(), "pages fetched")
		})
	}
}

// List fetches nothing before the loop starts.
func TestListIsLazy(t *testing.T) {
	srv := pages{total: 10}.serve(t)
	c := newClient(t, srv)
	it := c.Runs.List(context.Background(), testOwner, testRepo, nil)
	assert.Zero(t, srv.hits())
	ids, errs := collect(it)
	require.Empty(t, errs)
	assert.Len(t, ids, 10)
	assert.Equal(t, 1, srv.hits())
}

func TestListErrorMidway(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		policy    ghactions.RetryPolicy
		failPage  int
		wantIDs   []int64
		wantReqs  int
		sentinel  error
		errStatus int
	}{
		{"500 on page 2, retries off", http.StatusInternalServerError, noRetries, 2, seq(1, 2), 2, nil, 500},
		{"500 on page 2, retries on", http.StatusInternalServerError, fastRetries, 2, seq(1, 2), 2 + fastRetries.MaxRetries, nil, 500},
		{"404 on page 3", http.StatusNotFound, fastRetries, 3, seq(1, 4), 3, ghactions.ErrNotFound, 404},
		{"401 on page 1", http.StatusUnauthorized, fastRetries, 1, nil, 1, ghactions.ErrUnauthorized, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := pages{total: 10, fail: func(w http.ResponseWriter, r *http.Request, page int) bool {
				if page != tc.failPage {
					return false
				}
				answer(w, tc.status, []byte(`{"message":"failed"}`))
				return true
			}}.serve(t)
			c := newClient(t, srv, ghactions.WithRetryPolicy(tc.policy))

			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, &ghactions.ListOptions{PerPage: 2}))
			assert.Equal(t, tc.wantIDs, ids)
			require.Len(t, errs, 1, "the error is yielded once")
			var apiErr *ghactions.APIError
			require.ErrorAs(t, errs[0], &apiErr)
			assert.Equal(t, tc.errStatus, apiErr.StatusCode)
			if tc.sentinel != nil {
				assert.ErrorIs(t, errs[0], tc.sentinel)
			}
			assert.Equal(t, tc.wantReqs, srv.hits(), "no request after the error")
		})
	}
}

// After the error, the loop must not be called again even if the caller
// ignores the error and asks for more.
func TestListErrorEndsIteration(t *testing.T) {
	srv := pages{total: 10, fail: func(w http.ResponseWriter, r *http.Request, page int) bool {
		answer(w, http.StatusBadGateway, nil)
		return true
	}}.serve(t)
	c := newClient(t, srv)
	n := 0
	for run, err := range c.Runs.List(context.Background(), testOwner, testRepo, nil) {
		n++
		assert.Nil(t, run)
		assert.Error(t, err)
	}
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, srv.hits())
}

func TestListCancelledContext(t *testing.T) {
	srv := pages{total: 10}.serve(t)
	c := newClient(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ids, errs := collect(c.Runs.List(ctx, testOwner, testRepo, nil))
	assert.Empty(t, ids)
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], context.Canceled)
}

// A server whose next link leads back to a page already fetched must not
// make List loop forever.
func TestListLinkLoop(t *testing.T) {
	const maxReqs = 10
	for _, tc := range []struct {
		name     string
		wantReqs int
		next     func(r *http.Request) string
	}{
		{"next is the same URL", 1, func(r *http.Request) string {
			return "http://" + r.Host + r.URL.RequestURI()
		}},
		{"next is the same page with its query reordered", 1, func(r *http.Request) string {
			q := r.URL.Query()
			return fmt.Sprintf("http://%s%s?per_page=%s&page=%s", r.Host, r.URL.Path, q.Get("per_page"), atoiOrStr(q.Get("page")))
		}},
		{"next is relative and the same page", 1, func(r *http.Request) string {
			return r.URL.RequestURI()
		}},
		{"page 2 leads back to page 1", 2, func(r *http.Request) string {
			q := r.URL.Query()
			n := 2
			if q.Get("page") == "2" {
				n = 1
			}
			q.Set("page", strconv.Itoa(n))
			return "http://" + r.Host + r.URL.Path + "?" + q.Encode()
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var srv *server
			srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if srv.hits() > maxReqs {
					t.Errorf("List is looping: %d requests", srv.hits())
					answer(w, http.StatusNotFound, nil)
					return
				}
				w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, tc.next(r)))
				answer(w, http.StatusOK, []byte(`{"total_count":1,"workflow_runs":[{"id":1}]}`))
			})
			c := newClient(t, srv)

			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, &ghactions.ListOptions{PerPage: 1, Page: 1}))
			assert.Equal(t, tc.wantReqs, srv.hits(), "a page is fetched at most once")
			assert.Len(t, ids, tc.wantReqs, "the runs of every page fetched are yielded")
			require.Len(t, errs, 1, "the loop is reported once")
			assert.ErrorContains(t, errs[0], "next-page link")
		})
	}
}

func atoiOrStr(s string) string {
	if s == "" {
		return "1"
	}
	return s
}

// runsBody builds a page body from raw JSON entries of workflow_runs.
func runsBody(total int, entries ...string) []byte {
	return []byte(fmt.Sprintf(`{"total_count":%d,"workflow_runs":[%s]}`, total, strings.Join(entries, ",")))
}

// Empty pages whose Link always names a new next page would keep List
// asking for ever: an empty page is the end.
func TestListStopsAtAnEmptyPage(t *testing.T) {
	for _, tc := range []struct {
		name     string
		nonEmpty int // pages with runs before the empty ones
	}{
		{"the first page is empty", 0},
		{"an empty page after two full ones", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var srv *server
			srv = newServer(t, func(w http.ResponseWriter, r *http.Request) {
				page := atoiOr(r.URL.Query().Get("page"), 1)
				if srv.hits() > 20 {
					t.Errorf("List goes on: %d requests", srv.hits())
					answer(w, http.StatusNotFound, nil)
					return
				}
				w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?page=%d>; rel="next"`, r.Host, r.URL.Path, page+1))
				if page <= tc.nonEmpty {
					answer(w, http.StatusOK, runsBody(1000, fmt.Sprintf(`{"id":%d}`, page)))
					return
				}
				answer(w, http.StatusOK, runsBody(1000))
			})
			c := newClient(t, srv)
			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, nil))
			require.Empty(t, errs)
			assert.Equal(t, seq(1, int64(tc.nonEmpty)), ids)
			assert.Equal(t, tc.nonEmpty+1, srv.hits(), "nothing after the empty page")
		})
	}
}

// A page holds at most per_page runs, as the request's URL says, or 100 when
// it says nothing; more is an error, found while decoding.
func TestPageHoldsAtMostPerPage(t *testing.T) {
	many := func(n int) []string {
		entries := make([]string, n)
		for i := range entries {
			entries[i] = fmt.Sprintf(`{"id":%d}`, i+1)
		}
		return entries
	}
	hostile := make([]string, 350_000) // 1 MB of {},{},...
	for i := range hostile {
		hostile[i] = "{}"
	}
	for _, tc := range []struct {
		name    string
		opts    *ghactions.ListOptions
		entries []string
		wantErr bool
	}{
		{"per_page 2, 2 runs", &ghactions.ListOptions{PerPage: 2}, many(2), false},
		{"per_page 2, 3 runs", &ghactions.ListOptions{PerPage: 2}, many(3), true},
		{"per_page 2, 2 runs and a null", &ghactions.ListOptions{PerPage: 2}, append(many(2), "null"), true},
		{"no per_page, 100 runs", nil, many(100), false},
		{"no per_page, 101 runs", nil, many(101), true},
		{"no per_page, 1 MB of empty objects", nil, hostile, true},
		{"per_page 100, 101 runs", &ghactions.ListOptions{PerPage: 100}, many(101), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				answer(w, http.StatusOK, runsBody(len(tc.entries), tc.entries...))
			})
			c := newClient(t, srv)
			page, _, err := c.Runs.ListPage(context.Background(), testOwner, testRepo, tc.opts)
			if !tc.wantErr {
				require.NoError(t, err)
				assert.Len(t, page.WorkflowRuns, len(tc.entries))
			} else {
				require.Error(t, err)
				assert.Nil(t, page)
				assert.ErrorContains(t, err, "per_page")
			}

			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, tc.opts))
			if !tc.wantErr {
				require.Empty(t, errs)
				assert.Len(t, ids, len(tc.entries))
				return
			}
			assert.Empty(t, ids, "no run of a page that is too long")
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], "per_page")
		})
	}
}

// The per_page of a next-page link counts, up to the API's maximum of 100.
func TestPerPageOfTheNextLink(t *testing.T) {
	for _, tc := range []struct {
		name    string
		perPage string
		runs    int
		wantErr bool
	}{
		{"link asks for 3, page 2 holds 3", "3", 3, false},
		{"link asks for 3, page 2 holds 4", "3", 4, true},
		{"link asks for 1000, page 2 holds 101", "1000", 101, true},
		{"link has a per_page that is no number, page 2 holds 101", "lots", 101, true},
		{"link has a per_page that is no number, page 2 holds 100", "lots", 100, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("page") == "" {
					w.Header().Set("Link", fmt.Sprintf(`<%s?page=2&per_page=%s>; rel="next"`, r.URL.Path, tc.perPage))
					answer(w, http.StatusOK, runsBody(1, `{"id":1}`))
					return
				}
				entries := make([]string, tc.runs)
				for i := range entries {
					entries[i] = fmt.Sprintf(`{"id":%d}`, i+2)
				}
				answer(w, http.StatusOK, runsBody(1+tc.runs, entries...))
			})
			c := newClient(t, srv)
			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, nil))
			if tc.wantErr {
				assert.Equal(t, []int64{1}, ids)
				require.Len(t, errs, 1)
				assert.ErrorContains(t, errs[0], "per_page")
				return
			}
			require.Empty(t, errs)
			assert.Len(t, ids, 1+tc.runs)
		})
	}
}

// null entries never reach the caller as (nil, nil).
func TestNullRunsAreSkipped(t *testing.T) {
	for name, tc := range map[string]struct {
		body []byte
		want []int64
	}{
		"nulls among runs":       {runsBody(2, "null", `{"id":1}`, "null", `{"id":2}`, "null"), []int64{1, 2}},
		"only nulls":             {runsBody(2, "null", "null"), nil},
		"workflow_runs null":     {[]byte(`{"total_count":0,"workflow_runs":null}`), nil},
		"no workflow_runs":       {[]byte(`{"total_count":0}`), nil},
		"total_count at the end": {[]byte(`{"workflow_runs":[{"id":1}],"other":{"x":[1,2]},"total_count":1}`), []int64{1}},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, tc.body) })
			c := newClient(t, srv)
			page, _, err := c.Runs.ListPage(context.Background(), testOwner, testRepo, nil)
			require.NoError(t, err)
			var got []int64
			for _, run := range page.WorkflowRuns {
				require.NotNil(t, run)
				got = append(got, run.ID)
			}
			assert.Equal(t, tc.want, got)

			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, nil))
			require.Empty(t, errs)
			assert.Equal(t, tc.want, ids)
		})
	}
}

// A Link next off the API's origin is an error, not a page: the runs of the
// pages before it are yielded, the other host is never asked.
func TestLinkNextOffTheOriginIsAnError(t *testing.T) {
	other := forbiddenServer(t)
	for name, next := range map[string]func(r *http.Request) string{
		"another host":   func(*http.Request) string { return other.URL + apiPrefix + "repositories/1/actions/runs?page=2" },
		"another port":   func(r *http.Request) string { return "http://127.0.0.1:1" + r.URL.Path + "?page=2" },
		"another scheme": func(r *http.Request) string { return "https://" + r.Host + r.URL.Path + "?page=2" },
		"localhost for 127.0.0.1": func(r *http.Request) string {
			return "http://localhost:" + r.URL.Port() + r.URL.Path + "?page=2"
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next(r)))
				answer(w, http.StatusOK, runsBody(2, `{"id":1}`))
			})
			c := newClient(t, srv, ghactions.WithToken(testToken))
			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, nil))
			assert.Equal(t, []int64{1}, ids)
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], "origin")
			assert.Equal(t, 1, srv.hits())
		})
	}
	assert.Zero(t, other.hits())
}

// From an https API, a Link next on plain http is refused.
func TestLinkNextToPlainHTTPIsAnError(t *testing.T) {
	plain := forbiddenServer(t)
	for name, next := range map[string]func(r *http.Request) string{
		"another host":  func(*http.Request) string { return plain.URL + "/runs?page=2" },
		"the same host": func(r *http.Request) string { return "http://" + r.Host + r.URL.Path + "?page=2" },
	} {
		t.Run(name, func(t *testing.T) {
			_, c := tlsAPI(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next(r)))
				answer(w, http.StatusOK, runsBody(2, `{"id":1}`))
			})
			ids, errs := collect(c.Runs.List(context.Background(), testOwner, testRepo, nil))
			assert.Equal(t, []int64{1}, ids)
			require.Len(t, errs, 1)
			assert.ErrorContains(t, errs[0], "plain http")
		})
	}
	assert.Zero(t, plain.hits())
}
