package ghactionstest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// Workflow is a workflow file of a repository, as AddWorkflow takes it: its
// path and name, and its workflow_dispatch trigger, which lets the API start
// it (POST .../actions/workflows/{workflow}/dispatches).
type Workflow struct {
	// Path and Name: ".github/workflows/deploy.yml" and "Deploy"; either is
	// derived from the other when one is empty, as AddRun derives them.
	Path string
	Name string
	// Dispatch gives the workflow an "on: workflow_dispatch" trigger; so do
	// Inputs.
	Dispatch bool
	// Inputs are the trigger's inputs (on.workflow_dispatch.inputs), at
	// most 25.
	Inputs []Input
	// Jobs are the jobs of the runs a dispatch starts, filled in as AddRun
	// fills a run's (see Job), with new IDs; their ID, Status, StartedAt
	// and CompletedAt are not used: the jobs are queued. None by default.
	// On a live server (WithLive) the runs go through them, and a job's
	// Conclusion, when set, is how it ends.
	Jobs []Job
}

// Input is an input of a workflow_dispatch trigger. A dispatch must give
// every Required input that has no Default, only declared inputs, and
// values of their Type:
//
//   - "string" (or ""): a string; a number or a boolean is taken as its text.
//   - "boolean": true or false, or the strings "true" and "false".
//   - "number": a number, or a string that is one.
//   - "choice": one of Options, as a string.
//   - "environment": the name of an environment, as a string.
type Input struct {
	Name        string
	Description string
	Type        string
	Required    bool
	Default     string
	Options     []string // of a choice
}

// maxInputs is how many inputs a workflow_dispatch trigger may declare, and
// a dispatch may give.
const maxInputs = 25

// inputTypes are the types an Input may have.
var inputTypes = map[string]bool{"": true, "string": true, "boolean": true, "number": true, "choice": true, "environment": true}

// AddWorkflow adds the workflow wf to the repository owner/repo (created on
// first use, as by AddRun), or sets the trigger, inputs and jobs of the
// workflow of that path (or name) when the repository has it. It returns
// the workflow's ID, which the API takes as well as its file name. It panics
// on more than 25 inputs, an input without a name, two of one name, a type
// that is none of Input's, a choice without options, or a default that is
// not of its input's type.
func (s *Server) AddWorkflow(owner, repo string, wf Workflow) int64 {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.addWorkflow(st.repoFor(owner, repo), wf).id
}

// addWorkflow is AddWorkflow; the caller holds st.mu.
func (st *state) addWorkflow(repo *repoState, wf Workflow) *workflowState {
	if len(wf.Inputs) > maxInputs {
		panic(fmt.Sprintf("ghactionstest: workflow %q: %d inputs, GitHub allows %d", wf.Path+wf.Name, len(wf.Inputs), maxInputs))
	}
	seen := map[string]bool{}
	for _, in := range wf.Inputs {
		switch {
		case in.Name == "":
			panic("ghactionstest: an input needs a name")
		case seen[in.Name]:
			panic(fmt.Sprintf("ghactionstest: input %q declared twice", in.Name))
		case !inputTypes[in.Type]:
			panic(fmt.Sprintf("ghactionstest: input %q: unknown type %q", in.Name, in.Type))
		case in.Type == "choice" && len(in.Options) == 0:
			panic(fmt.Sprintf("ghactionstest: choice input %q has no options", in.Name))
		}
		if in.Default != "" {
			if _, ok := in.value(json.RawMessage(strconv.Quote(in.Default))); !ok {
				panic(fmt.Sprintf("ghactionstest: input %q: default %q is not a %s", in.Name, in.Default, in.Type))
			}
		}
		seen[in.Name] = true
	}
	w := st.workflowFor(repo, 0, wf.Path, wf.Name)
	if w.createdAt.IsZero() {
		w.createdAt = st.nowSecond()
	}
	w.dispatch = wf.Dispatch || len(wf.Inputs) > 0
	w.inputs = slices.Clone(wf.Inputs)
	w.jobs = nil
	for _, j := range wf.Jobs {
		j = j.clone()
		j.ID, j.Status, j.StartedAt, j.CompletedAt = 0, "", time.Time{}, time.Time{}
		w.jobs = append(w.jobs, j)
	}
	return w
}

// AddRef makes the branch or tag ref ("main", "v1.2.0") known to the
// repository owner/repo (created on first use), so that workflows can be
// dispatched on it. A repository knows main, and the head branch of every
// run it has had, without it.
func (s *Server) AddRef(owner, repo, ref string) {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	st.repoFor(owner, repo).refs[refName(ref)] = true
}

// refName is a ref without its refs/heads/ or refs/tags/ prefix, as runs
// show it in head_branch.
func refName(ref string) string {
	if name, ok := strings.CutPrefix(ref, "refs/heads/"); ok {
		return name
	}
	name, _ := strings.CutPrefix(ref, "refs/tags/")
	return name
}

// value reads a dispatch's value of the input: the text a run would see, and
// whether it is of the input's type.
func (in Input) value(raw json.RawMessage) (string, bool) {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "", false
	}
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case bool:
		text = strconv.FormatBool(x)
	case float64:
		text = string(raw)
	default: // an object, an array, null
		return "", false
	}
	switch in.Type {
	case "boolean":
		return text, text == "true" || text == "false"
	case "number":
		_, err := strconv.ParseFloat(text, 64)
		return text, err == nil
	case "choice":
		_, isString := v.(string)
		return text, isString && slices.Contains(in.Options, text)
	case "environment":
		_, isString := v.(string)
		return text, isString && text != ""
	}
	return text, true
}

// dispatchProblem is why a dispatch cannot start its workflow: GitHub's 422
// message.
type dispatchProblem string

// checkInputs checks a dispatch's inputs against the workflow's trigger.
func (wf *workflowState) checkInputs(inputs map[string]json.RawMessage) dispatchProblem {
	var unexpected []string
	for name := range inputs {
		if !slices.ContainsFunc(wf.inputs, func(in Input) bool { return in.Name == name }) {
			unexpected = append(unexpected, name)
		}
	}
	if len(unexpected) > 0 {
		slices.Sort(unexpected)
		b, _ := json.Marshal(unexpected)
		return dispatchProblem("Unexpected inputs provided: " + string(b))
	}
	for _, in := range wf.inputs {
		raw, given := inputs[in.Name]
		if !given {
			if in.Required && in.Default == "" {
				return dispatchProblem("Required input '" + in.Name + "' not provided")
			}
			continue
		}
		if _, ok := in.value(raw); !ok {
			kind := in.Type
			if kind == "" {
				kind = "string"
			}
			if in.Type == "choice" {
				return dispatchProblem("Provided value " + string(raw) + " for input '" + in.Name + "' not in the list of allowed values")
			}
			return dispatchProblem("Provided value " + string(raw) + " for input '" + in.Name + "' is not a valid " + kind)
		}
	}
	return ""
}

// dispatchRun starts a run of the workflow on the ref, as a dispatch does:
// queued, for the workflow_dispatch event, by the token's holder, at the
// head of the ref, with the workflow's jobs. The caller holds st.mu.
func (st *state) dispatchRun(repo *repoState, wf *workflowState, ref string) *runState {
	sha := fakeSHA(repo.owner + "/" + repo.name + "@" + ref)
	var newest time.Time
	for _, r := range repo.runs {
		if r.run.HeadBranch == ref && !r.run.CreatedAt.Before(newest) {
			sha, newest = r.run.HeadSHA, r.run.CreatedAt
		}
	}
	jobs := make([]Job, len(wf.jobs))
	for i, j := range wf.jobs {
		jobs[i] = j.clone()
	}
	return st.addRun(repo.owner, repo.name, ghactions.WorkflowRun{
		WorkflowID:   wf.id,
		Path:         wf.path,
		Name:         wf.name,
		HeadBranch:   ref,
		HeadSHA:      sha,
		Event:        "workflow_dispatch",
		Status:       ghactions.StatusQueued,
		DisplayTitle: wf.name,
	}, jobs)
}
