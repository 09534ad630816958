package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/seed42f0b14b/ghactions"
)

func listCommand(a *app, fs *flag.FlagSet) func() error {
	var opts ghactions.ListOptions
	fs.StringVar(&opts.Workflow, "workflow", "", "only the runs of this workflow (file name or ID)")
	fs.StringVar(&opts.Branch, "branch", "", "only the runs of this branch")
	fs.StringVar(&opts.Event, "event", "", "only the runs triggered by this event")
	fs.StringVar(&opts.Actor, "actor", "", "only the runs of this user")
	status := fs.String("status", "", "only the runs with this status or conclusion")
	fs.StringVar(&opts.Created, "created", "", "only the runs created in this `range` (\">=2024-01-01\", \"2024-01-01..2024-01-31\")")
	limit := fs.Int("limit", 20, "at most this many runs (0: all)")
	return func() error {
		if fs.NArg() != 0 {
			return usagef("list takes no arguments")
		}
		if *limit < 0 {
			return usagef("-limit %d: must not be negative", *limit)
		}
		opts.Status = ghactions.Status(*status)
		if *limit > 0 {
			opts.PerPage = min(*limit, 100)
		}
		runs := []*ghactions.WorkflowRun{}
		for run, err := range a.client.Runs.List(a.ctx, a.owner, a.repo, &opts) {
			if err != nil {
				return err
			}
			runs = append(runs, run)
			if len(runs) == *limit {
				break
			}
		}
		if a.json {
			return writeJSON(a.stdout, runs)
		}
		if len(runs) == 0 {
			fmt.Fprintln(a.stderr, "no runs found")
			return nil
		}
		t := newTable(a.stdout, "STATUS", "TITLE", "WORKFLOW", "BRANCH", "EVENT", "ID", "AGE")
		now := a.now()
		for _, r := range runs {
			t.row(state(r), truncate(r.DisplayTitle, 40), r.Name, truncate(r.HeadBranch, 24), r.Event, strconv.FormatInt(r.ID, 10), age(now, r.CreatedAt))
		}
		return t.flush()
	}
}

func cancelCommand(force bool) func(a *app, fs *flag.FlagSet) func() error {
	return func(a *app, fs *flag.FlagSet) func() error {
		return func() error {
			id, err := runIDArg(fs)
			if err != nil {
				return err
			}
			cancel := a.client.Runs.Cancel
			if force {
				cancel = a.client.Runs.ForceCancel
			}
			if _, err := cancel(a.ctx, a.owner, a.repo, id); err != nil {
				return err
			}
			return a.done(fmt.Sprintf("Requested the cancellation of run %d", id), id)
		}
	}
}

func rerunCommand(a *app, fs *flag.FlagSet) func() error {
	debug := fs.Bool("debug", false, "re-run with debug logging")
	failed := fs.Bool("failed", false, "re-run only the failed jobs (and those that depend on them)")
	job := fs.String("job", "", "re-run only the job with this `ID or name` (and those that depend on it); a name needs the RUN_ID")
	return func() error {
		if *job != "" {
			return a.rerunJob(*job, fs.Args(), *failed, *debug)
		}
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		opts := &ghactions.RerunOptions{EnableDebugLogging: *debug}
		what := "run"
		if *failed {
			what = "the failed jobs of run"
			_, err = a.client.Runs.RerunFailedJobs(a.ctx, a.owner, a.repo, id, opts)
		} else {
			_, err = a.client.Runs.Rerun(a.ctx, a.owner, a.repo, id, opts)
		}
		if err != nil {
			return err
		}
		return a.done(fmt.Sprintf("Requested a re-run of %s %d", what, id), id)
	}
}

func approveCommand(a *app, fs *flag.FlagSet) func() error {
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		if _, err := a.client.Runs.Approve(a.ctx, a.owner, a.repo, id); err != nil {
			return err
		}
		return a.done(fmt.Sprintf("Approved run %d", id), id)
	}
}

func pendingCommand(a *app, fs *flag.FlagSet) func() error {
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		pending, _, err := a.client.Runs.PendingDeployments(a.ctx, a.owner, a.repo, id)
		if err != nil {
			return err
		}
		if a.json {
			return writeJSON(a.stdout, pending)
		}
		if len(pending) == 0 {
			fmt.Fprintf(a.stderr, "run %d has no deployment waiting for a review\n", id)
			return nil
		}
		t := newTable(a.stdout, "ENV ID", "ENVIRONMENT", "WAIT TIMER", "YOU CAN APPROVE", "REVIEWERS")
		for _, p := range pending {
			var env ghactions.Environment
			if p.Environment != nil {
				env = *p.Environment
			}
			t.row(strconv.FormatInt(env.ID, 10), env.Name, strconv.Itoa(p.WaitTimer)+"m", yesNo(p.CurrentUserCanApprove), reviewers(p.Reviewers))
		}
		return t.flush()
	}
}

func reviewCommand(a *app, fs *flag.FlagSet) func() error {
	envs := fs.String("env", "", "the environment `IDs` to review, comma-separated (see ghruns pending)")
	approve := fs.Bool("approve", false, "approve the deployments")
	reject := fs.Bool("reject", false, "reject the deployments")
	comment := fs.String("comment", "", "a comment for the review (required)")
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		if *approve == *reject {
			return usagef("give one of -approve and -reject")
		}
		review := ghactions.PendingDeploymentsReview{State: ghactions.ReviewApproved, Comment: *comment}
		if *reject {
			review.State = ghactions.ReviewRejected
		}
		for _, s := range strings.Split(*envs, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			env, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return usagef("-env: %q is not an environment ID", s)
			}
			review.EnvironmentIDs = append(review.EnvironmentIDs, env)
		}
		deployments, _, err := a.client.Runs.ReviewPendingDeployments(a.ctx, a.owner, a.repo, id, review)
		if err != nil {
			return err
		}
		if a.json {
			return writeJSON(a.stdout, deployments)
		}
		fmt.Fprintf(a.stdout, "Reviewed the pending deployments of run %d: %s\n", id, review.State)
		for _, d := range deployments {
			fmt.Fprintf(a.stdout, "Deployment %d to %s started\n", d.ID, d.Environment)
		}
		return nil
	}
}

func logsCommand(a *app, fs *flag.FlagSet) func() error {
	attempt := fs.Int("attempt", 0, "the logs of this attempt (default: the latest)")
	out := fs.String("o", "", "save the log archive (a zip) to this `file` instead of printing")
	job := fs.String("job", "", "print only the log of the job with this `name`")
	step := fs.Int("step", 0, "with -job, print only the log of this step `number`")
	failed := fs.Bool("failed", false, "print only the logs of the failed steps, each line after its job and step")
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		if *step != 0 && *job == "" {
			return usagef("-step needs -job")
		}
		if *failed {
			if *job != "" || *out != "" {
				return usagef("-failed prints the failed steps of every job; leave out -job and -o")
			}
			return a.printFailedSteps(id, *attempt)
		}
		if *out != "" {
			if *job != "" {
				return usagef("-o saves the whole archive; leave out -job")
			}
			return a.saveLogs(id, *attempt, *out)
		}
		var archive *ghactions.LogArchive
		if *attempt != 0 {
			archive, err = a.client.Runs.DownloadAttemptLogArchive(a.ctx, a.owner, a.repo, id, *attempt)
		} else {
			archive, err = a.client.Runs.DownloadLogArchive(a.ctx, a.owner, a.repo, id)
		}
		if err != nil {
			return err
		}
		defer archive.Close()
		if *job == "" {
			return printArchive(a.stdout, archive)
		}
		j := archive.Job(*job)
		if j == nil {
			return fmt.Errorf("run %d has no job %q; its jobs are: %s", id, *job, jobNames(archive))
		}
		if *step == 0 {
			return copyLog(a.stdout, j.Open)
		}
		s := j.Step(*step)
		if s == nil {
			return fmt.Errorf("job %q has no step %d", j.Name, *step)
		}
		return copyLog(a.stdout, s.Open)
	}
}

func (a *app) saveLogs(id int64, attempt int, path string) error {
	var (
		rc  io.ReadCloser
		err error
	)
	if attempt != 0 {
		rc, _, err = a.client.Runs.AttemptLogs(a.ctx, a.owner, a.repo, id, attempt)
	} else {
		rc, _, err = a.client.Runs.Logs(a.ctx, a.owner, a.repo, id)
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, rc)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		os.Remove(path)
		return err
	}
	fmt.Fprintf(a.stdout, "Saved the log archive of run %d to %s (%d bytes)\n", id, path, n)
	return nil
}

func deleteCommand(a *app, fs *flag.FlagSet) func() error {
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		if _, err := a.client.Runs.Delete(a.ctx, a.owner, a.repo, id); err != nil {
			return err
		}
		return a.done(fmt.Sprintf("Deleted run %d", id), id)
	}
}

func deleteLogsCommand(a *app, fs *flag.FlagSet) func() error {
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		if _, err := a.client.Runs.DeleteLogs(a.ctx, a.owner, a.repo, id); err != nil {
			return err
		}
		return a.done(fmt.Sprintf("Deleted the logs of run %d", id), id)
	}
}

func usageCommand(a *app, fs *flag.FlagSet) func() error {
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		u, _, err := a.client.Runs.Usage(a.ctx, a.owner, a.repo, id)
		if err != nil {
			return err
		}
		if a.json {
			return writeJSON(a.stdout, u)
		}
		t := newTable(a.stdout, "RUNNER", "JOBS", "BILLABLE")
		for _, os := range sortedKeys(u.Billable) {
			b := u.Billable[os]
			t.row(os, strconv.Itoa(b.Jobs), millis(b.TotalMS))
		}
		t.row("", "", "")
		t.row("Run time:", "", millis(u.RunDurationMS))
		return t.flush()
	}
}

// done reports a request that changed something: a sentence for people, or
// {"id": ...} for programs.
func (a *app) done(msg string, id int64) error {
	if a.json {
		return writeJSON(a.stdout, map[string]any{"id": id, "ok": true})
	}
	_, err := fmt.Fprintln(a.stdout, msg)
	return err
}
