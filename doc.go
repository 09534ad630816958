// Package ghactions is a typed client for the GitHub Actions workflow-runs
// REST API: list, get, cancel, re-run and delete workflow runs, list their
// jobs and steps, and download or delete their logs, on github.com, GHE.com,
// GitHub Enterprise Server and GitHub AE.
//
// Quick start:
//
//	c, err := ghactions.NewClient(ghactions.WithToken(os.Getenv("GITHUB_TOKEN")))
//	if err != nil {
//		log.Fatal(err)
//	}
//	ctx := context.Background()
//	for run, err := range c.Runs.List(ctx, "octo-org", "octo-repo", &ghactions.ListOptions{Branch: "main"}) {
//		if err != nil {
//			log.Fatal(err)
//		}
//		fmt.Println(run.ID, run.Name, run.Status, run.Conclusion)
//	}
//
// Every call takes a context first. Option structs are pointers; nil means
// the defaults. Bad input returns an error wrapping ErrInvalidArgument before
// anything is sent. A non-2xx answer returns an *APIError (or a
// *RateLimitError) that matches a sentinel such as ErrNotFound with
// errors.Is.
//
// The client retries network errors, 5xx answers and rate limits by its
// RetryPolicy, sends its writes one at a time, a second apart
// (WithWritePacing), as GitHub asks against its secondary limits, and sends
// the token only to the API host: never to a redirect target elsewhere, nor
// to the host that serves log archives.
//
// Beyond the endpoints, RunsService.List goes past GitHub's 1,000-result
// cap on filtered lists; RunsService.Wait polls a run until it completes with
// conditional requests that spend no rate limit while nothing changes (and,
// after a re-run, until the new attempt completes, with MinAttempt);
// RunsService.Dispatch starts a workflow and tells its run;
// RunsService.Prune deletes old runs in bulk, safely; DownloadLogArchive and
// OpenLogArchive read a run's log archive as jobs and steps, LogLines and
// LogTail read a log as lines, and RunsService.FailedSteps gives the failed
// steps of a run with their logs. Package ghactionstest is a fake of the API
// to test against.
package ghactions
