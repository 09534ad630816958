package ghactionstest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// listFixture adds five runs, a to e, from newest to oldest, that differ in
// every field a filter looks at.
func listFixture(t *testing.T) (*ghactionstest.Server, map[string]*ghactions.WorkflowRun) {
	srv := newServer(t, ghactionstest.WithClock(newClock().Now))
	pr := []ghactions.PullRequest{{ID: 7, Number: 7, URL: "https://example.com/pulls/7"}}
	add := func(path, branch, event, actor string, status ghactions.Status, conclusion ghactions.Conclusion, age time.Duration, prs []ghactions.PullRequest) *ghactions.WorkflowRun {
		return srv.AddRun(owner, repo, ghactions.WorkflowRun{
			Path: path, HeadBranch: branch, Event: event, Actor: &ghactions.User{Login: actor},
			Status: status, Conclusion: conclusion, CreatedAt: t0.Add(-age), PullRequests: prs,
		})
	}
	return srv, map[string]*ghactions.WorkflowRun{
		"d": add(".github/workflows/ci.yml", "main", "push", "monalisa", ghactions.StatusQueued, "", 26*time.Hour, nil),
		"a": add(".github/workflows/ci.yml", "main", "push", "octocat", "", ghactions.ConclusionSuccess, time.Hour, nil),
		"e": add(".github/workflows/deploy.yml", "main", "workflow_dispatch", "octocat", "", ghactions.ConclusionCancelled, 50*time.Hour, nil),
		"b": add(".github/workflows/ci.yml", "feature/x", "pull_request", "monalisa", "", ghactions.ConclusionFailure, 2*time.Hour, pr),
		"c": add(".github/workflows/release.yml", "main", "release", "hubot", ghactions.StatusInProgress, "", 3*time.Hour, nil),
	}
}

// page is a list answer decoded.
type page struct {
	TotalCount   int                     `json:"total_count"`
	WorkflowRuns []ghactions.WorkflowRun `json:"workflow_runs"`
}

func listPage(t *testing.T, srv *ghactionstest.Server, target string) (page, reply) {
	t.Helper()
	r := call(t, srv, "GET", target, "")
	require.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
	var p page
	require.NoError(t, json.Unmarshal(r.body, &p))
	return p, r
}

// names gives the fixture's names of a page's runs, in order.
func names(p page, fixture map[string]*ghactions.WorkflowRun) string {
	var b strings.Builder
	for _, run := range p.WorkflowRuns {
		for name, want := range fixture {
			if want.ID == run.ID {
				b.WriteString(name)
			}
		}
	}
	return b.String()
}

func TestListFilters(t *testing.T) {
	srv, fx := listFixture(t)
	wf := func(name string) string { return strconv.FormatInt(fx[name].WorkflowID, 10) }
	tests := []struct {
		name, target, want string
	}{
		{"all, newest first", runs, "abcde"},
		{"actor", runs + "?actor=monalisa", "bd"},
		{"actor in other case", runs + "?actor=MonaLisa", "bd"},
		{"branch", runs + "?branch=main", "acde"},
		{"branch with a slash", runs + "?branch=feature%2Fx", "b"},
		{"event", runs + "?event=push", "ad"},
		{"status", runs + "?status=completed", "abe"},
		{"status in progress", runs + "?status=in_progress", "c"},
		{"status queued", runs + "?status=queued", "d"},
		{"conclusion success", runs + "?status=success", "a"},
		{"conclusion failure", runs + "?status=failure", "b"},
		{"conclusion cancelled", runs + "?status=cancelled", "e"},
		{"status nothing has", runs + "?status=waiting", ""},
		{"head SHA", runs + "?head_sha=" + fx["b"].HeadSHA, "b"},
		{"check suite", runs + "?check_suite_id=" + strconv.FormatInt(fx["c"].CheckSuiteID, 10), "c"},
		{"filters combine", runs + "?branch=main&event=push&actor=octocat", "a"},
		{"workflow by ID", "repos/octo-org/octo-repo/actions/workflows/" + wf("a") + "/runs", "abd"},
		{"workflow by file name", "repos/octo-org/octo-repo/actions/workflows/release.yml/runs", "c"},
		{"workflow and filter", "repos/octo-org/octo-repo/actions/workflows/ci.yml/runs?branch=main", "ad"},
		{"created on and after", runs + "?created=" + url.QueryEscape(">=2025-03-03"), "abc"},
		{"created on a day", runs + "?created=2025-03-02", "d"},
		{"created before", runs + "?created=" + url.QueryEscape("<2025-03-03"), "de"},
		{"created range", runs + "?created=2025-03-01..2025-03-02", "de"},
		{"created open range", runs + "?created=" + url.QueryEscape("2025-03-02..*"), "abcd"},
		{"created open start", runs + "?created=" + url.QueryEscape("*..2025-03-01"), "e"},
		{"created after an instant", runs + "?created=" + url.QueryEscape(">2025-03-03T07:00:00Z"), "a"},
		{"created between instants", runs + "?created=" + url.QueryEscape("2025-03-03T07:30:00+01:00..2025-03-03T08:30:00Z"), "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := listPage(t, srv, tt.target)
			assert.Equal(t, tt.want, names(p, fx))
			assert.Equal(t, len(tt.want), p.TotalCount)
		})
	}
}

func TestListExcludePullRequests(t *testing.T) {
	srv, fx := listFixture(t)
	p, _ := listPage(t, srv, runs+"?head_sha="+fx["b"].HeadSHA)
	require.Len(t, p.WorkflowRuns[0].PullRequests, 1)

	r := call(t, srv, "GET", runs+"?head_sha="+fx["b"].HeadSHA+"&exclude_pull_requests=true", "")
	assert.Contains(t, string(r.body), `"pull_requests":[]`)
	// Without pull requests, runs still say so with an empty array, never null.
	r = call(t, srv, "GET", runs+"?head_sha="+fx["a"].HeadSHA, "")
	assert.Contains(t, string(r.body), `"pull_requests":[]`)
}

func TestListRefusesBadParameters(t *testing.T) {
	srv, _ := listFixture(t)
	tests := []struct{ query, field string }{
		{"status=startup_failure", "status"},
		{"status=done", "status"},
		{"check_suite_id=abc", "check_suite_id"},
		{"created=yesterday", "created"},
		{"created=2025-02-30", "created"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := call(t, srv, "GET", runs+"?"+tt.query, "")
			requireError(t, r, http.StatusUnprocessableEntity, "Validation Failed")
			errs := r.json(t)["errors"].([]any)
			require.Len(t, errs, 1)
			assert.Equal(t, tt.field, errs[0].(map[string]any)["field"])
			assert.Equal(t, "invalid", errs[0].(map[string]any)["code"])
		})
	}
}

// addRuns adds n runs to the repository, a minute apart, the newest first
// in the returned IDs.
func addRuns(srv *ghactionstest.Server, n int, branch string) []int64 {
	ids := make([]int64, n)
	for i := range n {
		run := srv.AddRun(owner, repo, ghactions.WorkflowRun{HeadBranch: branch, CreatedAt: t0.Add(time.Duration(i) * time.Minute)})
		ids[n-1-i] = run.ID
	}
	return ids
}

func idsOf(p page) []int64 {
	ids := make([]int64, 0, len(p.WorkflowRuns))
	for _, run := range p.WorkflowRuns {
		ids = append(ids, run.ID)
	}
	return ids
}

func TestListPages(t *testing.T) {
	srv := newServer(t)
	ids := addRuns(srv, 7, "main")
	one, _ := listPage(t, srv, runs+"?per_page=1")
	repoID := one.WorkflowRuns[0].Repository.ID
	base := fmt.Sprintf("%srepositories/%d/actions/runs?branch=main&per_page=3&", srv.URL(), repoID)
	link := func(page int, rel string) string { return fmt.Sprintf(`<%spage=%d>; rel="%s"`, base, page, rel) }
	tests := []struct {
		page int
		want []int64
		link string
	}{
		{1, ids[0:3], link(2, "next") + ", " + link(3, "last")},
		{2, ids[3:6], link(1, "prev") + ", " + link(3, "next") + ", " + link(3, "last") + ", " + link(1, "first")},
		{3, ids[6:7], link(2, "prev") + ", " + link(1, "first")},
		{4, []int64{}, link(3, "prev") + ", " + link(1, "first")},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.page), func(t *testing.T) {
			// page comes first here and last in the links: GitHub puts it last.
			p, r := listPage(t, srv, fmt.Sprintf("%s?page=%d&branch=main&per_page=3", runs, tt.page))
			assert.Equal(t, 7, p.TotalCount)
			assert.Equal(t, tt.want, idsOf(p))
			assert.Equal(t, tt.link, r.header.Get("Link"))
		})
	}

	t.Run("links lead to the pages", func(t *testing.T) {
		p, _ := listPage(t, srv, fmt.Sprintf("%spage=2", base))
		assert.Equal(t, ids[3:6], idsOf(p))
	})
	t.Run("one page has no links", func(t *testing.T) {
		_, r := listPage(t, srv, runs+"?per_page=7")
		assert.Empty(t, r.header.Values("Link"))
	})
	t.Run("a page that is not a number is the first", func(t *testing.T) {
		p, _ := listPage(t, srv, runs+"?per_page=3&page=first")
		assert.Equal(t, ids[0:3], idsOf(p))
	})
}

func TestListDefaultPageSize(t *testing.T) {
	srv := newServer(t)
	ids := addRuns(srv, 35, "main")
	p, r := listPage(t, srv, runs)
	assert.Equal(t, 35, p.TotalCount)
	assert.Equal(t, ids[:30], idsOf(p))
	assert.Contains(t, r.header.Get("Link"), `/actions/runs?page=2>; rel="next"`)
}

// GitHub refuses no per_page: it serves at most 100 runs a page, and the
// default, 30, for one that is not a positive number. The links keep the
// per_page asked for, and count the pages by the size served.
func TestListPageSize(t *testing.T) {
	srv := newServer(t)
	addRuns(srv, 150, "main")
	tests := []struct {
		perPage string
		n       int
		last    int
	}{
		{"", 30, 5},
		{"1", 1, 150},
		{"100", 100, 2},
		{"101", 100, 2},
		{"500", 100, 2},
		{"0", 30, 5},
		{"-5", 30, 5},
		{"ten", 30, 5},
		{"1.5", 30, 5},
	}
	for _, tt := range tests {
		t.Run("per_page="+tt.perPage, func(t *testing.T) {
			target := runs + "?per_page=" + url.QueryEscape(tt.perPage)
			p, r := listPage(t, srv, target)
			assert.Equal(t, 150, p.TotalCount)
			assert.Len(t, p.WorkflowRuns, tt.n)
			assert.Contains(t, r.header.Get("Link"), fmt.Sprintf(`?per_page=%s&page=%d>; rel="last"`, url.QueryEscape(tt.perPage), tt.last))
		})
	}
}

func TestListCapsFilteredSearches(t *testing.T) {
	t.Parallel() // a thousand runs take a while to add
	srv := newServer(t)
	addRuns(srv, 1005, "main")

	p, r := listPage(t, srv, runs+"?per_page=100&page=11")
	assert.Equal(t, 1005, p.TotalCount, "without a filter, every run is listed")
	assert.Len(t, p.WorkflowRuns, 5)
	assert.NotContains(t, r.header.Get("Link"), `rel="next"`)

	p, r = listPage(t, srv, runs+"?branch=main&per_page=100&page=10")
	assert.Equal(t, 1000, p.TotalCount)
	assert.Len(t, p.WorkflowRuns, 100)
	assert.NotContains(t, r.header.Get("Link"), `rel="next"`)

	p, _ = listPage(t, srv, runs+"?branch=main&per_page=100&page=11")
	assert.Empty(t, p.WorkflowRuns)
}

func TestListAnEmptyRepository(t *testing.T) {
	srv := newServer(t)
	run := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
	call(t, srv, "DELETE", runs+"/"+strconv.FormatInt(run.ID, 10), "")
	r := call(t, srv, "GET", runs, "")
	require.Equal(t, http.StatusOK, r.status)
	assert.JSONEq(t, `{"total_count":0,"workflow_runs":[]}`, string(r.body))
}
