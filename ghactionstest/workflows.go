package ghactionstest

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

const docWorkflows = "https://docs.github.com/rest/actions/workflows"

// workflow is the API's "workflow": a workflow file of a repository.
type workflow struct {
	ID        int64     `json:"id"`
	NodeID    string    `json:"node_id"`
	Name      string    `json:"name"`
	Path      string    `json:"path"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	URL       string    `json:"url"`
	HTMLURL   string    `json:"html_url"`
	BadgeURL  string    `json:"badge_url"`
}

// getWorkflow answers GET .../actions/workflows/{workflow}: the workflow of
// that ID or file name ("ci.yml"), as GitHub takes either.
func (s *Server) getWorkflow(r *http.Request) *answer {
	return s.withWorkflow(r, func(repo *repoState, wf *workflowState) *answer {
		return jsonAnswer(http.StatusOK, s.state.workflowView(repo, wf))
	})
}

// workflowView is a workflow as the API shows it: active, its file on the
// default branch, its badge under its name.
func (st *state) workflowView(repo *repoState, wf *workflowState) workflow {
	web := st.webRoot + repo.owner + "/" + repo.name
	return workflow{
		ID:        wf.id,
		NodeID:    nodeID("W", wf.id),
		Name:      wf.name,
		Path:      wf.path,
		State:     "active",
		CreatedAt: wf.createdAt,
		UpdatedAt: wf.createdAt,
		URL:       st.apiRoot + "repos/" + repo.owner + "/" + repo.name + "/actions/workflows/" + strconv.FormatInt(wf.id, 10),
		HTMLURL:   web + "/blob/main/" + wf.path,
		BadgeURL:  web + "/workflows/" + url.PathEscape(wf.name) + "/badge.svg",
	}
}
