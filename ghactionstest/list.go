package ghactionstest

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/seed42f0b14b/ghactions/internal/searchdate"
)

const (
	defaultPerPage = 30
	maxPerPage     = 100
	// searchCap is how many runs GitHub returns at most for a search that
	// uses a filter; older ones cannot be reached by paging.
	searchCap = 1000
)

// statusFilters are the values the status parameter takes: run statuses and
// conclusions mixed, without startup_failure, which GitHub cannot filter on.
var statusFilters = map[string]bool{
	"completed": true, "action_required": true, "cancelled": true, "failure": true,
	"neutral": true, "skipped": true, "stale": true, "success": true, "timed_out": true,
	"in_progress": true, "queued": true, "requested": true, "waiting": true, "pending": true,
}

// listQuery is what the query string of a list asks for.
type listQuery struct {
	actor, branch, event, status, headSHA, createdText string
	created                                            searchdate.Range
	checkSuiteID                                       int64
	excludePullRequests                                bool
	perPage, page                                      int
}

// parseListQuery reads the list's parameters, answering 422 as GitHub does
// for a status, check_suite_id or created it refuses. Paging refuses
// nothing: a per_page above 100 is 100, as GitHub reduces it without an
// error, and one that is not a positive number is the default, 30, as a
// page that is not a positive number is page 1.
func parseListQuery(q url.Values) (listQuery, *answer) {
	l := listQuery{
		actor:               q.Get("actor"),
		branch:              q.Get("branch"),
		event:               q.Get("event"),
		status:              q.Get("status"),
		headSHA:             q.Get("head_sha"),
		createdText:         q.Get("created"),
		excludePullRequests: boolParam(q.Get("exclude_pull_requests")),
	}
	l.perPage, l.page = paging(q)
	if l.status != "" && !statusFilters[l.status] {
		return l, validationFailed("status", fmt.Sprintf("%q is not a status or conclusion the list can filter on", l.status))
	}
	if v := q.Get("check_suite_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return l, validationFailed("check_suite_id", fmt.Sprintf("%q is not a check suite ID", v))
		}
		l.checkSuiteID = id
	}
	if l.createdText != "" {
		r, err := searchdate.Parse(l.createdText)
		if err != nil {
			return l, validationFailed("created", err.Error())
		}
		l.created = r
	}
	return l, nil
}

// paging reads a list's per_page and page as GitHub does: a per_page above
// 100 is 100, one that is not a positive number is the default, 30, and a
// page that is not a positive number is page 1.
func paging(q url.Values) (perPage, page int) {
	perPage, page = defaultPerPage, 1
	if n, err := strconv.Atoi(q.Get("per_page")); err == nil && n > 0 {
		perPage = min(n, maxPerPage)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		page = n
	}
	return perPage, page
}

// pageBounds gives where page starts and ends in a list of total items.
func pageBounds(page, perPage, total int) (start, end int) {
	start = total
	if page-1 < total/perPage+1 { // guards the product against overflow
		start = min((page-1)*perPage, total)
	}
	return start, min(start+perPage, total)
}

// capped reports whether GitHub's 1,000-result cap applies: it does when any
// filter but the workflow and exclude_pull_requests is used.
func (l *listQuery) capped() bool {
	return l.actor != "" || l.branch != "" || l.event != "" || l.status != "" ||
		l.headSHA != "" || l.createdText != "" || l.checkSuiteID != 0
}

func (l *listQuery) matches(r *runState) bool {
	run, a := &r.run, r.latest()
	return (l.actor == "" || run.Actor != nil && strings.EqualFold(run.Actor.Login, l.actor)) &&
		(l.branch == "" || run.HeadBranch == l.branch) &&
		(l.event == "" || run.Event == l.event) &&
		(l.status == "" || string(a.status) == l.status || string(a.conclusion) == l.status) &&
		(l.headSHA == "" || strings.EqualFold(run.HeadSHA, l.headSHA)) &&
		(l.checkSuiteID == 0 || run.CheckSuiteID == l.checkSuiteID) &&
		l.created.Contains(run.CreatedAt)
}

// listRuns answers GET .../actions/runs and
// .../actions/workflows/{workflow}/runs: the matching runs, newest first, a
// page of them, with the total and a Link header to the other pages.
func (s *Server) listRuns(r *http.Request) *answer {
	q, bad := parseListQuery(r.URL.Query())
	if bad != nil {
		return bad
	}
	return s.withRepo(r, func(repo *repoState) *answer {
		workflow := r.PathValue("workflow")
		var wf *workflowState
		if workflow != "" {
			if wf = repo.workflow(workflow); wf == nil {
				return notFound()
			}
		}
		var runs []*runState
		for _, run := range repo.runs {
			if (wf == nil || run.workflow == wf) && q.matches(run) {
				runs = append(runs, run)
			}
		}
		slices.SortFunc(runs, func(a, b *runState) int {
			return cmp.Or(b.run.CreatedAt.Compare(a.run.CreatedAt), cmp.Compare(b.run.ID, a.run.ID))
		})
		if q.capped() && len(runs) > searchCap {
			runs = runs[:searchCap]
		}
		total := len(runs)
		start, end := pageBounds(q.page, q.perPage, total)
		page := struct {
			TotalCount   int      `json:"total_count"`
			WorkflowRuns []apiRun `json:"workflow_runs"`
		}{total, make([]apiRun, 0, end-start)}
		for _, run := range runs[start:end] {
			page.WorkflowRuns = append(page.WorkflowRuns, toAPIRun(run.view(run.latest(), q.excludePullRequests)))
		}
		a := jsonAnswer(http.StatusOK, page)
		if link := s.state.pageLinks(r, repo, workflow, q.page, q.perPage, total); link != "" {
			a.header = http.Header{"Link": {link}}
		}
		return a
	})
}

// pageLinks builds the Link header of a page as GitHub does: absolute URLs on
// the repository's ID (/repositories/{id}/...), the request's parameters
// kept in their order with page last, prev and first from page 2 on, next
// and last until the last page, and no header when everything fits on one
// page.
func (st *state) pageLinks(r *http.Request, repo *repoState, workflow string, page, perPage, total int) string {
	list := "runs"
	if workflow != "" {
		list = "workflows/" + url.PathEscape(workflow) + "/runs"
	}
	return st.listLinks(r, repo, list, page, perPage, total)
}

// listLinks builds the Link header of a page of the list at
// /repositories/{id}/actions/{list}, as pageLinks describes.
func (st *state) listLinks(r *http.Request, repo *repoState, list string, page, perPage, total int) string {
	last := max(1, (total+perPage-1)/perPage)
	if page == 1 && last == 1 {
		return ""
	}
	var params []string
	for _, kv := range strings.Split(r.URL.RawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if key, err := url.QueryUnescape(k); kv != "" && (err != nil || key != "page") {
			params = append(params, kv)
		}
	}
	prefix := st.apiRoot + "repositories/" + strconv.FormatInt(repo.repo.ID, 10) + "/actions/" + list + "?"
	if len(params) > 0 {
		prefix += strings.Join(params, "&") + "&"
	}
	link := func(p int, rel string) string {
		return fmt.Sprintf(`<%spage=%d>; rel="%s"`, prefix, p, rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(page-1, "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	return strings.Join(links, ", ")
}
