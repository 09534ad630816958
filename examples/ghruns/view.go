package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/seed42f0b14b/ghactions"
)

func viewCommand(a *app, fs *flag.FlagSet) func() error {
	attempt := fs.Int("attempt", 0, "show this attempt of the run (default: the latest)")
	job := fs.String("job", "", "show the job with this `ID or name` and its steps (a name needs the RUN_ID)")
	verbose := fs.Bool("v", false, "show the steps of every job, not only of those that failed")
	return func() error {
		if *job != "" {
			runID, err := optionalRunID(fs.Args())
			if err != nil {
				return err
			}
			j, err := a.findJob(*job, runID)
			if err != nil {
				return err
			}
			if a.json {
				return writeJSON(a.stdout, j)
			}
			return printJob(a.stdout, a.now(), j)
		}
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		var run *ghactions.WorkflowRun
		if *attempt != 0 {
			run, _, err = a.client.Runs.GetAttempt(a.ctx, a.owner, a.repo, id, *attempt, nil)
		} else {
			run, _, err = a.client.Runs.Get(a.ctx, a.owner, a.repo, id, nil)
		}
		if err != nil {
			return err
		}
		jobs, err := a.listJobs(id, run.RunAttempt)
		if err != nil {
			return err
		}
		if a.json {
			return writeJSON(a.stdout, struct {
				*ghactions.WorkflowRun
				Jobs []*ghactions.Job `json:"jobs"`
			}{run, jobs})
		}
		printRun(a.stdout, run)
		fmt.Fprintln(a.stdout, "\nJOBS")
		if len(jobs) == 0 {
			fmt.Fprintln(a.stdout, "no jobs")
			return nil
		}
		if err := printJobs(a.stdout, a.now(), jobs, *verbose); err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, "\nFor a job's steps, run: ghruns view -job JOB_ID; for the failed steps' logs: ghruns logs -failed "+strconv.FormatInt(id, 10))
		return nil
	}
}

func printRun(w io.Writer, r *ghactions.WorkflowRun) {
	t := newTable(w)
	t.row("Run:", fmt.Sprintf("%d (#%d, attempt %d)", r.ID, r.RunNumber, r.RunAttempt))
	t.row("Title:", r.DisplayTitle)
	t.row("Workflow:", strings.TrimSpace(r.Name+" "+workflowFile(r.Path)))
	t.row("Status:", state(r))
	t.row("Branch:", r.HeadBranch)
	t.row("Commit:", shortSHA(r.HeadSHA))
	t.row("Event:", r.Event)
	if r.Actor != nil {
		actor := r.Actor.Login
		if r.TriggeringActor != nil && r.TriggeringActor.Login != actor {
			actor += " (re-run by " + r.TriggeringActor.Login + ")"
		}
		t.row("Actor:", actor)
	}
	for _, pr := range r.PullRequests {
		t.row("Pull request:", "#"+strconv.Itoa(pr.Number))
	}
	t.row("Created:", stamp(r.CreatedAt))
	if !r.RunStartedAt.IsZero() {
		t.row("Started:", stamp(r.RunStartedAt))
	}
	t.row("Updated:", stamp(r.UpdatedAt))
	t.row("URL:", r.HTMLURL)
	_ = t.flush()
}
