package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // the API or the network failed
	exitUsage = 2
)

// command is one subcommand: its flags are set up by flags, and run does the
// work once the flags are parsed.
type command struct {
	name    string
	args    string // what follows the flags in the usage line
	summary string
	run     func(a *app, fs *flag.FlagSet) func() error
}

var commands = []command{
	{"list", "", "list the runs of the repository, newest first", listCommand},
	{"view", "RUN_ID | -job JOB_ID | -job NAME RUN_ID", "show one run (or one attempt of it) and its jobs, or one job and its steps", viewCommand},
	{"watch", "RUN_ID", "wait for a run to complete, showing its status and its jobs", watchCommand},
	{"cancel", "RUN_ID", "cancel a run", cancelCommand(false)},
	{"force-cancel", "RUN_ID", "cancel a run even if its jobs ignore a normal cancel", cancelCommand(true)},
	{"rerun", "RUN_ID | -job JOB_ID | -job NAME RUN_ID", "re-run a run, its failed jobs, or one job", rerunCommand},
	{"approve", "RUN_ID", "approve a run from a fork's pull request", approveCommand},
	{"pending", "RUN_ID", "list the deployments of a run that wait for a review", pendingCommand},
	{"review", "RUN_ID", "approve or reject deployments that wait for a review", reviewCommand},
	{"logs", "RUN_ID", "print a run's job and step logs (or its failed steps' only), or save its log archive", logsCommand},
	{"delete", "RUN_ID", "delete a run", deleteCommand},
	{"delete-logs", "RUN_ID", "delete the logs of a run", deleteLogsCommand},
	{"usage", "RUN_ID", "show the billable time of a run", usageCommand},
	{"prune", "", "delete old runs (or their logs), keeping the latest of each workflow", pruneCommand},
	{"run", "WORKFLOW", "start a workflow on a branch or tag, and print its run", dispatchCommand},
}

// app is what a command works with.
type app struct {
	ctx            context.Context
	stdout, stderr io.Writer
	client         *ghactions.Client
	owner, repo    string
	json           bool
	demo           []ghactionstest.Option // of the fake GitHub of demo mode
	now            func() time.Time       // the fake's clock in demo mode, so that ages agree with it
	pacing         time.Duration          // between the client's writes
}

// usageError is bad usage: exit status 2, with the command's usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// run is the whole program, for main and for tests: it returns the exit
// status. demo are options of the fake GitHub of demo mode, which tests give
// to set its clock.
func run(args []string, stdout, stderr io.Writer, demo ...ghactionstest.Option) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return exitOK
	}
	var cmd *command
	for i := range commands {
		if commands[i].name == args[0] {
			cmd = &commands[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "ghruns: unknown command %q\n\n", args[0])
		printUsage(stderr)
		return exitUsage
	}

	a := &app{ctx: ctx, stdout: stdout, stderr: stderr, demo: demo}
	fs := flag.NewFlagSet("ghruns "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: ghruns %s [flags] %s\n\n%s.\n\nflags:\n", cmd.name, cmd.args, upperFirst(cmd.summary))
		fs.PrintDefaults()
	}
	repoFlag := fs.String("R", "", "the repository, as `OWNER/REPO` (default $GITHUB_REPOSITORY)")
	fs.BoolVar(&a.json, "json", false, "print JSON instead of text")
	work := cmd.run(a, fs)
	if err := parseArgs(fs, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}

	cleanup, err := a.connect(*repoFlag)
	if err != nil {
		fmt.Fprintf(stderr, "ghruns: %v\n", err)
		return exitUsage
	}
	defer cleanup()

	err = work()
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue), errors.Is(err, ghactions.ErrInvalidArgument):
		fmt.Fprintf(stderr, "ghruns %s: %v\n", cmd.name, err)
		fs.Usage()
		return exitUsage
	default:
		fmt.Fprintf(stderr, "ghruns %s: %s\n", cmd.name, describe(err))
		return exitError
	}
}

// connect makes the client: against GitHub with a token, or against an
// in-process fake with the demo repository when there is none.
func (a *app) connect(repoFlag string) (cleanup func(), err error) {
	token := os.Getenv("GITHUB_TOKEN")
	if token == "" {
		token = os.Getenv("GH_TOKEN")
	}
	repoSpec := repoFlag
	if token == "" {
		// Live, so that the demo's runs under way move on and watch ends;
		// one-second steps let the CI run in progress finish in seconds.
		srv := ghactionstest.NewServer(append([]ghactionstest.Option{ghactionstest.WithLive(time.Second)}, a.demo...)...)
		srv.SeedDemo()
		fmt.Fprintf(a.stderr, "ghruns: no GITHUB_TOKEN or GH_TOKEN: demo mode, against a fake GitHub in this process with the demo repository %s/%s\n",
			ghactionstest.DemoOwner, ghactionstest.DemoRepo)
		if a.client, err = srv.Client(); err != nil {
			srv.Close()
			return nil, err
		}
		if repoSpec == "" {
			repoSpec = ghactionstest.DemoOwner + "/" + ghactionstest.DemoRepo
		}
		a.now = srv.Now
		cleanup = srv.Close
	} else {
		a.now = time.Now
		a.pacing = ghactions.DefaultWritePacing
		opts := []ghactions.Option{ghactions.WithToken(token), ghactions.WithUserAgent("ghruns ghactions-go/" + ghactions.Version)}
		if base := os.Getenv("GITHUB_API_URL"); base != "" {
			opts = append(opts, ghactions.WithBaseURL(base))
		}
		if a.client, err = ghactions.NewClient(opts...); err != nil {
			return nil, err
		}
		if repoSpec == "" {
			repoSpec = os.Getenv("GITHUB_REPOSITORY")
		}
		cleanup = func() {}
	}
	owner, repo, ok := strings.Cut(repoSpec, "/")
	if repoSpec == "" || !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		cleanup()
		return nil, fmt.Errorf("give the repository as -R OWNER/REPO or in $GITHUB_REPOSITORY (got %q)", repoSpec)
	}
	a.owner, a.repo = owner, repo
	return cleanup, nil
}

// describe gives an error in one line: for an API error, its status, its
// message and its request ID, which GitHub support asks for.
func describe(err error) string {
	var rl *ghactions.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Sprintf("rate limited by GitHub; try again in %s%s", rl.RetryAfter, requestID(&rl.APIError))
	}
	var apiErr *ghactions.APIError
	if errors.As(err, &apiErr) {
		msg := strconv.Itoa(apiErr.StatusCode) + " " + http.StatusText(apiErr.StatusCode)
		if apiErr.Message != "" {
			msg += ": " + apiErr.Message
		}
		return msg + requestID(apiErr)
	}
	return err.Error()
}

func requestID(e *ghactions.APIError) string {
	if e.RequestID == "" {
		return ""
	}
	return " (request ID " + e.RequestID + ")"
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `ghruns lists, inspects, starts, cancels, re-runs, prunes and reads the logs of GitHub Actions workflow runs.

usage: ghruns <command> [flags] [arguments]

commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-13s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command takes -R OWNER/REPO (default $GITHUB_REPOSITORY) and -json,
before or after its arguments.
The token comes from $GITHUB_TOKEN or $GH_TOKEN, the API from $GITHUB_API_URL.
Without a token, ghruns runs in demo mode against a fake GitHub in-process.
Run "ghruns <command> -h" for a command's flags.
`)
}

// runIDArg reads the one RUN_ID argument of a command.
func runIDArg(fs *flag.FlagSet) (int64, error) {
	if fs.NArg() != 1 {
		return 0, usagef("want one RUN_ID, got %d arguments", fs.NArg())
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("RUN_ID %q is not a run ID", fs.Arg(0))
	}
	return id, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
