// Package ghactionstest runs a fake of GitHub's workflow-runs REST API, for
// tests and demos of code built on package ghactions.
//
// Like net/http/httptest, it starts a real HTTP server on loopback; unlike
// it, the server behaves like GitHub, with state. Runs added with
// Server.AddRun (or Server.SeedDemo) can be listed with every filter GitHub
// has, paged with GitHub's Link header, fetched per attempt, cancelled,
// re-run whole, or only their failed jobs, or one job, with the jobs that
// need them, deleted, and their logs downloaded as a zip laid out as GitHub
// lays it out, through a signed URL that expires after a minute, on a
// storage origin of its own (http://localhost:PORT/), so that a client that
// follows the redirect drops its token, as on GitHub. A run from
// a fork's pull request waits for approval; a job that deploys to an
// environment added with Server.AddEnvironment waits for its reviewers or
// its custom gate, and the reviews let it through or fail it, as on GitHub.
// A run's jobs answer as GitHub's jobs API does: the jobs of the latest
// attempt or of every attempt, or of one attempt, paged with Link, each job
// with its steps as they progress, and each job's log, plain text, on the
// storage's origin too, as soon as the job has completed (the same text as
// the job's file in the archive).
// A run's workflow_url, check_suite_url and artifacts_url answer too: its
// workflow (also by file name), its check suite and its artifacts (none).
// Requests need the server's token: without one, a private repository
// answers 404, as on GitHub; every answer carries rate-limit headers
// and GET answers an ETag, so that conditional requests answered 304 spend
// nothing. GitHub's secondary limits hold too (SecondaryLimits): 900 points
// a minute per endpoint, where a write costs five reads, and 100 requests
// at once; a client that sends writes in bulk without pacing them meets a
// 403 with a Retry-After, as it would on GitHub.
//
// Workflows with a workflow_dispatch trigger (Server.AddWorkflow, with
// inputs; the demo's Deploy and Nightly) can be started through the API, on
// a branch or tag the repository knows (Server.AddRef): the dispatch answers
// 200 with the run's ID when asked, or 204 as GitHub Enterprise Server does
// (WithDispatchNoContent), and 422 or 404 where GitHub would.
//
// A fake run does not move on its own: a test moves it with
// Server.UpdateRun and Server.CompleteRun, at the request it chooses with
// Server.OnRequest. On a server made WithLive, runs go through their jobs
// and steps by themselves, on the server's clock. A Clock given with
// WithSharedClock is that clock and the client's too: rate-limit waits,
// retries and Wait's polls then take no real time.
//
// Failures are injected with Server.Inject: the next requests matching a
// method and path answer a status (a 5xx, a secondary or primary rate limit),
// lose their connection, or wait. Server.Requests tells what the server
// received.
//
//	srv := ghactionstest.NewServer()
//	defer srv.Close()
//	srv.SeedDemo()
//	c, err := srv.Client()
//	...
//	for run, err := range c.Runs.List(ctx, "octo-org", "octo-repo", nil) { ... }
//
// The API is served under /api/v3/, as GitHub Enterprise Server serves it, so
// Server.URL is what ghactions.WithBaseURL takes.
package ghactionstest
