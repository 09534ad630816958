package ghactionstest

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// WithDispatchNoContent makes workflow dispatches answer 204 No Content,
// without the run's details, whatever the request asks for, as GitHub
// Enterprise Server answers (3.19 and before): a client then has to find
// the run it started by listing. By default the server answers as
// github.com does: 200 with the run's ID and URLs when the body has
// "return_run_details": true (or the request asks for API version
// 2026-03-10, which always returns them), 204 otherwise.
func WithDispatchNoContent() Option {
	return func(c *config) { c.dispatchNoContent = true }
}

// dispatchDetails is the answer to a dispatch that asks for the run's
// details ("workflow-dispatch-response").
type dispatchDetails struct {
	WorkflowRunID int64  `json:"workflow_run_id"`
	RunURL        string `json:"run_url"`
	HTMLURL       string `json:"html_url"`
}

// dispatch answers POST .../actions/workflows/{workflow}/dispatches: it
// starts a run of the workflow on the ref, as its workflow_dispatch trigger
// allows. A body without a ref, or with inputs that are not an object of at
// most 25, answers 422 as GitHub's schema validation does; an unknown
// workflow or ref answers 404; a workflow without the trigger, or inputs it
// does not take, 422.
func (s *Server) dispatch(r *http.Request) *answer {
	b, bad := readBody(r)
	if bad != nil {
		return bad
	}
	ref := b.text("ref", true)
	var inputs map[string]json.RawMessage
	if raw, ok := b.get("inputs", false); ok {
		if json.Unmarshal(raw, &inputs) != nil {
			b.wrong("inputs", raw, "an object")
		} else if len(inputs) > maxInputs {
			b.problems = append(b.problems, "For 'properties/inputs', the object has "+strconv.Itoa(len(inputs))+" properties, more than the maximum of 25.")
		}
	}
	details := b.boolean("return_run_details") || r.Header.Get("X-GitHub-Api-Version") == "2026-03-10"
	if a := b.invalid(); a != nil {
		return a
	}

	return s.withWorkflow(r, func(repo *repoState, wf *workflowState) *answer {
		if !wf.dispatch {
			return errorAnswer(http.StatusUnprocessableEntity, "Workflow does not have 'workflow_dispatch' trigger")
		}
		name := refName(ref)
		if !repo.refs[name] {
			return errorAnswer(http.StatusNotFound, "No ref found for: "+ref)
		}
		if problem := wf.checkInputs(inputs); problem != "" {
			return errorAnswer(http.StatusUnprocessableEntity, string(problem))
		}
		run := s.state.dispatchRun(repo, wf, name)
		if !details || s.dispatchNoContent {
			return noContent()
		}
		return jsonAnswer(http.StatusOK, dispatchDetails{WorkflowRunID: run.run.ID, RunURL: run.run.URL, HTMLURL: run.run.HTMLURL})
	})
}
