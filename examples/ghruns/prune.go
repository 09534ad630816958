package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

func pruneCommand(a *app, fs *flag.FlagSet) func() error {
	var (
		opts     ghactions.PruneOptions
		olderSet bool
	)
	fs.Func("older-than", "delete only the runs older than this `age` (30d, 12h, 1w2d, 90m)", func(s string) error {
		d, err := parseAge(s)
		opts.OlderThan, olderSet = d, true
		return err
	})
	fs.IntVar(&opts.KeepLatest, "keep", 0, "keep the newest `N` completed runs of each workflow, whatever their age")
	fs.StringVar(&opts.Filter.Workflow, "workflow", "", "only the runs of this workflow (file name or ID)")
	fs.StringVar(&opts.Filter.Branch, "branch", "", "only the runs of this branch")
	fs.BoolVar(&opts.LogsOnly, "logs-only", false, "delete the runs' logs, keep the runs")
	fs.BoolVar(&opts.DryRun, "dry-run", false, "list the runs that would be deleted, delete nothing")
	return func() error {
		if fs.NArg() != 0 {
			return usagef("prune takes no arguments")
		}
		if opts.KeepLatest < 0 {
			return usagef("-keep %d: must not be negative", opts.KeepLatest)
		}
		if !olderSet && opts.KeepLatest == 0 {
			return usagef("give -older-than or -keep (or both): without either, prune would delete every completed run")
		}
		p := newPruneProgress(a.stderr, isTerminal(a.stderr) && !a.json, a.pacing, opts.DryRun)
		var doomed []*ghactions.WorkflowRun
		opts.OnRun = func(run *ghactions.WorkflowRun, action ghactions.PruneAction, err error) {
			if action == ghactions.PruneWouldDelete {
				doomed = append(doomed, run)
			}
			p.update(run, action, err)
		}
		opts.OnListed = p.listed
		report, err := a.client.Runs.Prune(a.ctx, a.owner, a.repo, opts)
		p.end()
		if a.json {
			if err := writeJSON(a.stdout, pruneJSON(report)); err != nil {
				return err
			}
		} else {
			if opts.DryRun && len(doomed) > 0 {
				t := newTable(a.stdout, "STATUS", "TITLE", "WORKFLOW", "BRANCH", "ID", "AGE")
				now := a.now()
				for _, r := range doomed {
					t.row(state(r), truncate(r.DisplayTitle, 40), r.Name, truncate(r.HeadBranch, 24), strconv.FormatInt(r.ID, 10), age(now, r.CreatedAt))
				}
				if err := t.flush(); err != nil {
					return err
				}
			}
			fmt.Fprintln(a.stdout, pruneSummary(report, opts))
		}
		if err != nil {
			return err
		}
		if n := len(report.Failed); n > 0 {
			return fmt.Errorf("%d of %d deletes failed", n, n+report.Deleted+report.AlreadyGone)
		}
		return nil
	}
}

// pruneSummary says what a prune did in a sentence.
func pruneSummary(r *ghactions.PruneReport, opts ghactions.PruneOptions) string {
	verb, n := "deleted", r.Deleted
	if opts.DryRun {
		verb, n = "would delete", r.WouldDelete
	}
	parts := []string{fmt.Sprintf("%s %d", verb, n)}
	if opts.LogsOnly {
		parts[0] = fmt.Sprintf("%s the logs of %d", verb, n)
	}
	parts = append(parts, fmt.Sprintf("kept %d", r.Kept))
	if r.AlreadyGone > 0 {
		parts = append(parts, fmt.Sprintf("%d already gone", r.AlreadyGone))
	}
	if len(r.Failed) > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", len(r.Failed)))
	}
	return fmt.Sprintf("Listed %s: %s (%s)", plural(r.Listed, "run"), strings.Join(parts, ", "), plural(r.Requests, "API request"))
}

// plural gives "1 run", "2 runs".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// pruneJSON is a report for programs: the failures' errors as text.
func pruneJSON(r *ghactions.PruneReport) any {
	type failure struct {
		RunID int64  `json:"run_id"`
		Error string `json:"error"`
	}
	failed := []failure{}
	for _, f := range r.Failed {
		failed = append(failed, failure{f.RunID, describe(f.Err)})
	}
	return struct {
		Listed      int       `json:"listed"`
		Kept        int       `json:"kept"`
		Deleted     int       `json:"deleted"`
		WouldDelete int       `json:"would_delete"`
		AlreadyGone int       `json:"already_gone"`
		Failed      []failure `json:"failed"`
		Requests    int       `json:"requests"`
	}{r.Listed, r.Kept, r.Deleted, r.WouldDelete, r.AlreadyGone, failed, r.Requests}
}

// pruneProgress shows a prune as it goes, on stderr: on a terminal, one
// line redrawn in place with the counts and the time left; otherwise a line
// for each run deleted (or that would be), already gone or failed.
type pruneProgress struct {
	w      io.Writer
	live   bool
	pacing time.Duration // between deletes, at the least
	dryRun bool
	now    func() time.Time

	kept, deleted, gone, failed int
	doomed                      int // runs to delete, once listing is over
	first                       time.Time
	shown                       bool
}

func newPruneProgress(w io.Writer, live bool, pacing time.Duration, dryRun bool) *pruneProgress {
	return &pruneProgress{w: w, live: live, pacing: pacing, dryRun: dryRun, now: time.Now}
}

func (p *pruneProgress) update(run *ghactions.WorkflowRun, action ghactions.PruneAction, err error) {
	switch action {
	case ghactions.PruneKept:
		p.kept++
		if p.live {
			p.draw(fmt.Sprintf("listing: %d runs to keep so far", p.kept))
		}
		return
	case ghactions.PruneDeleted, ghactions.PruneWouldDelete:
		p.deleted++
	case ghactions.PruneAlreadyGone:
		p.gone++
	case ghactions.PruneFailed:
		p.failed++
	}
	if p.first.IsZero() {
		p.first = p.now()
	}
	if !p.live {
		if action == ghactions.PruneWouldDelete {
			return // the dry run lists them on stdout
		}
		line := fmt.Sprintf("%s run %d (%s #%d, %s, %s)", strings.ReplaceAll(string(action), "-", " "), run.ID, run.Name, run.RunNumber, run.HeadBranch, stamp(run.CreatedAt))
		if err != nil {
			line += ": " + describe(err)
		}
		fmt.Fprintln(p.w, line)
		return
	}
	done := p.deleted + p.gone + p.failed
	verb := "deleted"
	if p.dryRun {
		verb = "would delete"
	}
	line := fmt.Sprintf("%s %d, kept %d", verb, p.deleted, p.kept)
	if p.gone > 0 {
		line += fmt.Sprintf(", %d already gone", p.gone)
	}
	if p.failed > 0 {
		line += fmt.Sprintf(", %d failed", p.failed)
	}
	if !p.dryRun {
		line += fmt.Sprintf(" (%d done), about %s left", done, p.left(done))
	}
	p.draw(line)
}

// left estimates the time the deletes still to come take: the time each
// has taken so far, and at least the pacing between them.
func (p *pruneProgress) left(done int) time.Duration {
	per := p.pacing
	if done > 1 {
		per = max(per, p.now().Sub(p.first)/time.Duration(done-1))
	}
	return (time.Duration(p.doomed-done) * per).Round(time.Second)
}

// listed tells the progress how many runs are to delete, once the listing
// is over.
func (p *pruneProgress) listed(_, toDelete int) { p.doomed = toDelete }

func (p *pruneProgress) draw(line string) {
	fmt.Fprintf(p.w, "\r\033[K%s", line)
	p.shown = true
}

// end ends the live line.
func (p *pruneProgress) end() {
	if p.shown {
		fmt.Fprintln(p.w)
	}
}

// parseAge reads an age: a whole number of weeks (w), days (d), hours (h),
// minutes (m) or seconds (s), or a sum of them ("1w2d", "1d12h"); Go's
// durations ("90m", "1h30m") are of this form too.
func parseAge(s string) (time.Duration, error) {
	units := map[byte]time.Duration{'w': 7 * 24 * time.Hour, 'd': 24 * time.Hour, 'h': time.Hour, 'm': time.Minute, 's': time.Second}
	if s == "" {
		return 0, errors.New("empty age")
	}
	if s == "0" {
		return 0, nil
	}
	var total time.Duration
	for rest := s; rest != ""; {
		i := 0
		for i < len(rest) && '0' <= rest[i] && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) || units[rest[i]] == 0 {
			return 0, fmt.Errorf("%q is not an age such as 30d, 12h or 1w2d", s)
		}
		n, err := strconv.ParseInt(rest[:i], 10, 64)
		unit := units[rest[i]]
		if err != nil || n > int64((1<<63-1)/unit) || total+time.Duration(n)*unit < total {
			return 0, fmt.Errorf("age %q is too long", s)
		}
		total += time.Duration(n) * unit
		rest = rest[i+1:]
	}
	return total, nil
}
