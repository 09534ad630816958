package ghactionstest

import "github.com/seed42f0b14b/ghactions"

// apiRun is a run as the API writes it. ghactions.WorkflowRun leaves out the
// optional keys it has no value for; GitHub writes these two on every run:
// previous_attempt_url is null on a first attempt, and referenced_workflows
// an empty array when the run called no reusable workflow.
type apiRun struct {
	ghactions.WorkflowRun
	PreviousAttemptURL  *string                        `json:"previous_attempt_url"`
	ReferencedWorkflows []ghactions.ReferencedWorkflow `json:"referenced_workflows"`
}

func toAPIRun(run ghactions.WorkflowRun) apiRun {
	a := apiRun{WorkflowRun: run, ReferencedWorkflows: run.ReferencedWorkflows}
	if run.PreviousAttemptURL != "" {
		a.PreviousAttemptURL = &run.PreviousAttemptURL
	}
	if a.ReferencedWorkflows == nil {
		a.ReferencedWorkflows = []ghactions.ReferencedWorkflow{}
	}
	return a
}
