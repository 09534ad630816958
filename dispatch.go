package ghactions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// DispatchOptions says where a dispatched workflow runs and with what.
type DispatchOptions struct {
	// Ref is the branch or tag to run the workflow on ("main", "v1.2.0",
	// "refs/heads/main"); required.
	Ref string
	// Inputs are the workflow_dispatch inputs, at most 25: string, bool or
	// number values (any integer or float type, or a json.Number), sent as
	// given. Inputs the workflow declares with a default may be left out.
	Inputs map[string]any
}

// DispatchedRun is the run a dispatch started.
type DispatchedRun struct {
	RunID   int64  `json:"workflow_run_id"`
	RunURL  string `json:"run_url"` // the run's API URL
	HTMLURL string `json:"html_url"`
}

// ErrRunNotIdentified is the error of a dispatch that started its workflow
// but could not tell which run it started: on a server that does not return
// the run's details (GitHub Enterprise Server), no workflow_dispatch run of
// the workflow on the ref appeared shortly after the call, or more than one
// did.
var ErrRunNotIdentified = errors.New("ghactions: the workflow was dispatched, but its run could not be identified")

// How Dispatch finds its run on a server that does not name it: it looks
// for runs created since a little before the call (clocks differ), every
// second, for a while (a run appears a second or two after its dispatch).
const (
	dispatchSkew     = 2 * time.Second
	dispatchFindPoll = time.Second
	dispatchFindFor  = 10 * time.Second
	maxInputs        = 25
)

// dispatchBody is the body of a dispatch.
type dispatchBody struct {
	Ref              string         `json:"ref"`
	Inputs           map[string]any `json:"inputs,omitempty"`
	ReturnRunDetails bool           `json:"return_run_details,omitempty"`
}

// Dispatch starts a run of a workflow that has a workflow_dispatch trigger:
// POST /repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches, where
// workflow is a file name ("deploy.yml") or a numeric ID. With API version
// 2022-11-28 it asks for the run's details ("return_run_details": true),
// which github.com returns (200) and which API version 2026-03-10 always
// returns. A server that answers 204 without them (GitHub Enterprise
// Server) has the run found by listing: the workflow's workflow_dispatch
// runs on the ref created since two seconds before the call, by the client's
// Clock, asked for every second for up to ten seconds; the run is the one
// such run. When none appears, or more than one does (another dispatch of
// the same workflow on the same ref at the same moment), Dispatch returns a
// DispatchedRun with RunID 0 and an error matching ErrRunNotIdentified: the
// dispatch itself happened, do not send it again. Such a search spends a
// request a second.
//
// A workflow without the trigger, or inputs it does not take, give an error
// matching ErrUnprocessable; an unknown workflow or ref, ErrNotFound. Bad
// input (an empty workflow or Ref, more than 25 inputs, an empty input name,
// a value that is not a string, bool or finite number) returns an error
// wrapping ErrInvalidArgument, and nothing is sent. The Response is the
// dispatch's.
func (s *RunsService) Dispatch(ctx context.Context, owner, repo, workflow string, opts DispatchOptions) (*DispatchedRun, *Response, error) {
	if err := validateRepo(owner, repo); err != nil {
		return nil, nil, err
	}
	if workflow == "" {
		return nil, nil, fmt.Errorf("%w: empty workflow", ErrInvalidArgument)
	}
	if err := validateWorkflow(workflow); err != nil {
		return nil, nil, err
	}
	if err := opts.validate(); err != nil {
		return nil, nil, err
	}
	c := s.client
	body := dispatchBody{Ref: opts.Ref, Inputs: opts.Inputs, ReturnRunDetails: c.apiVersion == defaultAPIVersion}
	r, err := c.newRequest(http.MethodPost, repoPath(owner, repo)+"workflows/"+url.PathEscape(workflow)+"/dispatches", nil, body)
	if err != nil {
		return nil, nil, err
	}
	var run DispatchedRun
	r.decode = func(b io.Reader) error {
		run = decodeDispatched(b)
		return nil
	}
	since := c.clock.Now().Add(-dispatchSkew)
	resp, err := c.send(ctx, r)
	if err != nil {
		return nil, resp, err
	}
	if run.RunID > 0 {
		return &run, resp, nil
	}
	found, err := s.findDispatched(ctx, owner, repo, workflow, opts.Ref, since)
	if err != nil {
		return &DispatchedRun{}, resp, err
	}
	return found, resp, nil
}

// decodeDispatched reads the details of a dispatched run from the answer to
// a dispatch: none from an empty body (204), nor from one that does not
// hold them. A dispatch that happened is never an error for its answer's
// sake: the run is then found by listing.
func decodeDispatched(body io.Reader) DispatchedRun {
	b, err := io.ReadAll(io.LimitReader(body, 64<<10))
	var run DispatchedRun
	if err != nil || len(bytes.TrimSpace(b)) == 0 || jsonv2.Unmarshal(b, &run, decodeOptions) != nil || run.RunID <= 0 {
		return DispatchedRun{}
	}
	return run
}

// findDispatched finds the run of a dispatch made at since (less the skew)
// by listing the workflow's workflow_dispatch runs on the ref.
func (s *RunsService) findDispatched(ctx context.Context, owner, repo, workflow, ref string, since time.Time) (*DispatchedRun, error) {
	branch := strings.TrimPrefix(strings.TrimPrefix(ref, "refs/heads/"), "refs/tags/")
	since = since.Truncate(time.Second)
	opts := &ListOptions{
		Workflow: workflow,
		Event:    "workflow_dispatch",
		Branch:   branch,
		Created:  ">=" + since.UTC().Format("2006-01-02T15:04:05Z"),
		PerPage:  maxPerPage,
	}
	clock := s.client.clock
	deadline := clock.Now().Add(dispatchFindFor)
	for {
		page, _, err := s.ListPage(ctx, owner, repo, opts)
		if err != nil {
			return nil, fmt.Errorf("%w: listing the workflow's runs: %w", ErrRunNotIdentified, err)
		}
		var found []*WorkflowRun
		for _, run := range page.WorkflowRuns {
			if run.Event == "workflow_dispatch" && run.HeadBranch == branch && !run.CreatedAt.Before(since) {
				found = append(found, run)
			}
		}
		switch {
		case len(found) == 1:
			return &DispatchedRun{RunID: found[0].ID, RunURL: found[0].URL, HTMLURL: found[0].HTMLURL}, nil
		case len(found) > 1:
			return nil, fmt.Errorf("%w: %d workflow_dispatch runs of %s on %s started since %s", ErrRunNotIdentified, len(found), workflow, branch, since.UTC().Format(time.RFC3339))
		case !clock.Now().Before(deadline):
			return nil, fmt.Errorf("%w: no workflow_dispatch run of %s on %s appeared within %v", ErrRunNotIdentified, workflow, branch, dispatchFindFor)
		}
		if err := clock.Sleep(ctx, dispatchFindPoll); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrRunNotIdentified, err)
		}
	}
}

func (o *DispatchOptions) validate() error {
	if o.Ref == "" || strings.TrimSpace(o.Ref) != o.Ref || !validHeaderValue(o.Ref) {
		return fmt.Errorf("%w: Ref %q: give a branch or tag", ErrInvalidArgument, o.Ref)
	}
	if len(o.Inputs) > maxInputs {
		return fmt.Errorf("%w: %d inputs: GitHub takes at most %d", ErrInvalidArgument, len(o.Inputs), maxInputs)
	}
	for k, v := range o.Inputs {
		if k == "" {
			return fmt.Errorf("%w: an input with an empty name", ErrInvalidArgument)
		}
		if !inputValue(v) {
			return fmt.Errorf("%w: input %q: %T %v: give a string, a bool or a finite number", ErrInvalidArgument, k, v, v)
		}
	}
	return nil
}

// inputValue reports whether v is a value a dispatch's input may have: a
// string, a bool or a finite number.
func inputValue(v any) bool {
	if n, ok := v.(json.Number); ok {
		return n != "" && (n[0] == '-' || '0' <= n[0] && n[0] <= '9') && json.Valid([]byte(n))
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String, reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		return !math.IsNaN(f) && !math.IsInf(f, 0)
	}
	return false
}

// validateWorkflow checks a workflow file name or ID, which goes in a path.
func validateWorkflow(w string) error {
	// "." and ".." are path segments, not names: they would change the
	// endpoint the request goes to.
	if strings.TrimSpace(w) != w || strings.ContainsAny(w, "/\\") || w == "." || w == ".." {
		return fmt.Errorf("%w: Workflow %q: give a workflow file name or ID", ErrInvalidArgument, w)
	}
	if id, err := strconv.ParseInt(w, 10, 64); err == nil && id <= 0 {
		return fmt.Errorf("%w: Workflow ID %d: must be positive", ErrInvalidArgument, id)
	}
	return nil
}
