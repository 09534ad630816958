package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

// inputFlags collects -f key=value flags.
type inputFlags map[string]any

func (f inputFlags) String() string { return "" }

func (f inputFlags) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("%q: give key=value", s)
	}
	f[k] = v
	return nil
}

func dispatchCommand(a *app, fs *flag.FlagSet) func() error {
	ref := fs.String("ref", "", "the branch or tag to run the workflow on (required)")
	inputs := inputFlags{}
	fs.Var(inputs, "f", "an input of the workflow, as `key=value`; repeat for more")
	watch := fs.Bool("watch", false, "wait for the run to complete, showing its progress")
	interval := fs.Duration("interval", 5*time.Second, "with -watch, the time between polls")
	exitStatus := fs.Bool("exit-status", false, "with -watch, exit with status 1 when the run does not succeed")
	return func() error {
		if fs.NArg() == 0 {
			return usagef("give the WORKFLOW to run (a file name such as deploy.yml, or an ID)")
		}
		// The flags may follow the workflow too, as in "run deploy.yml -ref
		// main".
		workflow := fs.Arg(0)
		out := fs.Output()
		fs.SetOutput(io.Discard)
		err := fs.Parse(fs.Args()[1:])
		fs.SetOutput(out)
		switch {
		case errors.Is(err, flag.ErrHelp):
			fs.Usage()
			return nil
		case err != nil:
			return usagef("%v", err)
		case fs.NArg() != 0:
			return usagef("want one WORKFLOW, got %q and %q", workflow, strings.Join(fs.Args(), " "))
		case *ref == "":
			return usagef("give the branch or tag to run on with -ref")
		}
		run, _, err := a.client.Runs.Dispatch(a.ctx, a.owner, a.repo, workflow, ghactions.DispatchOptions{Ref: *ref, Inputs: inputs})
		if errors.Is(err, ghactions.ErrRunNotIdentified) {
			return fmt.Errorf("%s was started on %s, but its run could not be told from others; see ghruns list -workflow %s -event workflow_dispatch: %w", workflow, *ref, workflow, err)
		}
		if err != nil {
			return err
		}
		if !*watch {
			if a.json {
				return writeJSON(a.stdout, run)
			}
			printDispatched(a.stdout, workflow, *ref, run)
			return nil
		}
		if !a.json {
			printDispatched(a.stdout, workflow, *ref, run)
		}
		done, err := a.watch(run.RunID, *interval, 0)
		if err != nil {
			return err
		}
		if a.json {
			if err := writeJSON(a.stdout, done); err != nil {
				return err
			}
		}
		if *exitStatus && done.Conclusion != ghactions.ConclusionSuccess {
			return fmt.Errorf("run %d concluded %s", done.ID, done.Conclusion)
		}
		return nil
	}
}

func printDispatched(w io.Writer, workflow, ref string, run *ghactions.DispatchedRun) {
	fmt.Fprintf(w, "Started %s on %s: run %d\n%s\n", workflow, ref, run.RunID, run.HTMLURL)
}
