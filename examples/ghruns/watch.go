package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

func watchCommand(a *app, fs *flag.FlagSet) func() error {
	interval := fs.Duration("interval", 5*time.Second, "time between polls")
	exitStatus := fs.Bool("exit-status", false, "exit with status 1 when the run does not succeed")
	attempt := fs.Int("attempt", 0, "wait for this attempt or a later one: after a re-run of attempt N, give N+1, so that the old attempt GitHub may still show is not taken for the result")
	return func() error {
		id, err := runIDArg(fs)
		if err != nil {
			return err
		}
		if *attempt < 0 {
			return usagef("-attempt %d: attempts count from 1", *attempt)
		}
		run, err := a.watch(id, *interval, *attempt)
		if err != nil {
			return err
		}
		if a.json {
			if err := writeJSON(a.stdout, run); err != nil {
				return err
			}
		}
		if *exitStatus && run.Conclusion != ghactions.ConclusionSuccess {
			return fmt.Errorf("run %d concluded %s", run.ID, run.Conclusion)
		}
		return nil
	}
}

// watch waits for run id to complete (at attempt minAttempt or a later
// one), showing it and its jobs as they progress.
func (a *app) watch(id int64, interval time.Duration, minAttempt int) (*ghactions.WorkflowRun, error) {
	w := &watcher{a: a, live: isTerminal(a.stdout) && !a.json, start: a.now(), seen: map[int64]string{}}
	run, err := a.client.Runs.Wait(a.ctx, a.owner, a.repo, id, &ghactions.WaitOptions{
		Interval:   interval,
		MinAttempt: minAttempt,
		OnPoll:     w.poll,
	})
	if w.live {
		fmt.Fprintln(a.stdout)
	}
	return run, err
}

// watcher shows a run and its jobs as they progress: a line for the run
// whenever its state changes, and one for each job whose state changes,
// after the run's first line and before its others, so that the run's
// last line is its result. On a terminal, the run's line is redrawn in
// place below the jobs'.
type watcher struct {
	a     *app
	live  bool
	start time.Time
	last  *ghactions.WorkflowRun
	seen  map[int64]string // each job's last state
}

func (w *watcher) poll(r *ghactions.WorkflowRun) {
	if w.a.json {
		return
	}
	first := w.last == nil
	changed := first || r.Status != w.last.Status || r.Conclusion != w.last.Conclusion || r.RunAttempt != w.last.RunAttempt
	w.last = r
	runLine := fmt.Sprintf("run %d (%s, attempt %d): %s after %s", r.ID, r.Name, r.RunAttempt, state(r), w.a.now().Sub(w.start).Round(time.Second))
	jobLines := w.jobChanges(r)
	if w.live {
		// The jobs' lines scroll; the run's stays below them, redrawn.
		for _, l := range jobLines {
			fmt.Fprintf(w.a.stdout, "\r\033[K%s\n", l)
		}
		if changed || len(jobLines) > 0 {
			fmt.Fprintf(w.a.stdout, "\r\033[K%s", runLine)
		}
		return
	}
	if first {
		fmt.Fprintln(w.a.stdout, runLine)
	}
	for _, l := range jobLines {
		fmt.Fprintln(w.a.stdout, l)
	}
	if !first && changed {
		fmt.Fprintln(w.a.stdout, runLine)
	}
}

// jobChanges lists the jobs of the run's attempt whose state changed since
// the last poll. It costs a request per 100 jobs; a failure to list them
// is told on stderr, and the watch goes on.
func (w *watcher) jobChanges(r *ghactions.WorkflowRun) []string {
	jobs, err := w.a.listJobs(r.ID, r.RunAttempt)
	if err != nil {
		fmt.Fprintf(w.a.stderr, "ghruns watch: the jobs of run %d: %s\n", r.ID, describe(err))
		return nil
	}
	var lines []string
	now := w.a.now()
	for _, j := range jobs {
		st := stateOf(j.Status, j.Conclusion)
		if w.seen[j.ID] == st {
			continue
		}
		w.seen[j.ID] = st
		line := "  " + mark(j.Status, j.Conclusion) + " " + j.Name + ": " + st
		if d := took(now, j.Status, j.StartedAt, j.CompletedAt); j.Status == ghactions.StatusCompleted && d != "" {
			line += " in " + d
		}
		lines = append(lines, line+" (ID "+strconv.FormatInt(j.ID, 10)+")")
	}
	return lines
}
