package benchmarks

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-github/v84/github"

	"github.com/seed42f0b14b/ghactions"
)

// apiURL is where the in-memory transport pretends to be.
const apiURL = "https://api.github.com/"

// lister lists one page of 100 runs and returns the page as the library
// gives it (to keep or to drop) and how many runs it holds.
type lister func(ctx context.Context) (page any, runs int, err error)

// library is one of the clients compared. open makes a client that sends
// through hc (nil: the library's default transport) to baseURL.
type library struct {
	name    string
	open    func(tb testing.TB, hc *http.Client, baseURL string) lister
	summary func(page any) []runSummary
}

// libraries are the clients compared, go-github first: benchstat's -col
// compares every column with the first.
var libraries = []library{
	{"go-github", openGoGitHub, goGitHubSummary},
	{"ghactions", openGhactions, ghactionsSummary},
}

func openGhactions(tb testing.TB, hc *http.Client, baseURL string) lister {
	tb.Helper()
	opts := []ghactions.Option{ghactions.WithBaseURL(baseURL)}
	if hc != nil {
		opts = append(opts, ghactions.WithHTTPClient(hc))
	}
	c, err := ghactions.NewClient(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return func(ctx context.Context) (any, int, error) {
		page, _, err := c.Runs.ListPage(ctx, owner, repo, &ghactions.ListOptions{PerPage: perPage})
		if err != nil {
			return nil, 0, err
		}
		return page, len(page.WorkflowRuns), nil
	}
}

func openGoGitHub(tb testing.TB, hc *http.Client, baseURL string) lister {
	tb.Helper()
	c := github.NewClient(hc)
	if baseURL != apiURL {
		var err error
		if c, err = c.WithEnterpriseURLs(baseURL, baseURL); err != nil {
			tb.Fatal(err)
		}
	}
	return func(ctx context.Context) (any, int, error) {
		page, _, err := c.Actions.ListRepositoryWorkflowRuns(ctx, owner, repo,
			&github.ListWorkflowRunsOptions{ListOptions: github.ListOptions{PerPage: perPage}})
		if err != nil {
			return nil, 0, err
		}
		return page, len(page.WorkflowRuns), nil
	}
}

// runSummary is what TestLibrariesReadTheSamePage compares between the
// libraries: fields from every part of a run, those that vary and those
// that repeat.
type runSummary struct {
	ID, CheckSuiteID          int64
	RunNumber                 int
	NodeID, HeadSHA, Title    string
	URL, Created, Updated     string
	CommitMessage, CommitTree string
	Actor, Repo, HeadRepo     string
	RepoOwnerEvents           string
}

const stamp = "2006-01-02T15:04:05Z07:00"

func ghactionsSummary(page any) []runSummary {
	var out []runSummary
	for _, r := range page.(*ghactions.RunsPage).WorkflowRuns {
		out = append(out, runSummary{
			ID: r.ID, CheckSuiteID: r.CheckSuiteID, RunNumber: r.RunNumber,
			NodeID: r.NodeID, HeadSHA: r.HeadSHA, Title: r.DisplayTitle,
			URL: r.URL, Created: r.CreatedAt.Format(stamp), Updated: r.UpdatedAt.Format(stamp),
			CommitMessage: r.HeadCommit.Message, CommitTree: r.HeadCommit.TreeID,
			Actor: r.Actor.Login, Repo: r.Repository.FullName, HeadRepo: r.HeadRepository.Name,
			RepoOwnerEvents: r.Repository.Owner.ReceivedEventsURL,
		})
	}
	return out
}

func goGitHubSummary(page any) []runSummary {
	var out []runSummary
	for _, r := range page.(*github.WorkflowRuns).WorkflowRuns {
		out = append(out, runSummary{
			ID: r.GetID(), CheckSuiteID: r.GetCheckSuiteID(), RunNumber: r.GetRunNumber(),
			NodeID: r.GetNodeID(), HeadSHA: r.GetHeadSHA(), Title: r.GetDisplayTitle(),
			URL: r.GetURL(), Created: r.GetCreatedAt().Format(stamp), Updated: r.GetUpdatedAt().Format(stamp),
			CommitMessage: r.GetHeadCommit().GetMessage(), CommitTree: r.GetHeadCommit().GetTreeID(),
			Actor: r.GetActor().GetLogin(), Repo: r.GetRepository().GetFullName(), HeadRepo: r.GetHeadRepository().GetName(),
			RepoOwnerEvents: r.GetRepository().GetOwner().GetReceivedEventsURL(),
		})
	}
	return out
}
