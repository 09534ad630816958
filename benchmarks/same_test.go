package benchmarks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLibrariesReadTheSamePage checks that the benchmarks compare like with
// like: over both transports, each library lists the whole page, and both
// read the same values in every part of every run.
func TestLibrariesReadTheSamePage(t *testing.T) {
	page := runsPage(t, perPage)
	srv := httptest.NewServer(pageHandler(page, pageHeader()))
	defer srv.Close()
	mem := &http.Client{Transport: &memTransport{body: page, header: pageHeader()}}
	transports := []struct {
		name    string
		hc      *http.Client
		baseURL string
	}{
		{"memory", mem, apiURL},
		{"loopback", nil, srv.URL + "/api/v3/"},
	}
	want := wantSummaries(perPage)
	for _, tr := range transports {
		for _, lib := range libraries {
			t.Run(tr.name+"/"+lib.name, func(t *testing.T) {
				got, n, err := lib.open(t, tr.hc, tr.baseURL)(context.Background())
				require.NoError(t, err)
				require.Equal(t, perPage, n)
				runs := lib.summary(got)
				require.Len(t, runs, len(want))
				for i := range want {
					require.Equal(t, want[i], runs[i], "run %d", i)
				}
			})
		}
	}
}

// wantSummaries is what runsPage put in each run.
func wantSummaries(n int) []runSummary {
	var out []runSummary
	for i := range n {
		id := strconv.FormatInt(runID(i), 10)
		created := time.Date(2020, 1, 22, 19, 33, 8, 0, time.UTC).Add(time.Duration(i) * 7 * time.Minute)
		out = append(out, runSummary{
			ID: runID(i), CheckSuiteID: int64(414944374 + i), RunNumber: 562 + i,
			NodeID: b64("012:WorkflowRun" + id), HeadSHA: fakeSHA("commit", i),
			Title:   "Update README.md, take " + strconv.Itoa(i),
			URL:     "https://api.github.com/repos/octo-org/octo-repo/actions/runs/" + id,
			Created: created.Format(stamp), Updated: created.Add(3 * time.Minute).Format(stamp),
			CommitMessage: "Update README.md, take " + strconv.Itoa(i) + "\n\nAnd say why.",
			CommitTree:    fakeSHA("tree", i),
			Actor:         "octocat", Repo: "octocat/Hello-World", HeadRepo: "octo-repo",
			RepoOwnerEvents: "https://api.github.com/users/octocat/received_events",
		})
	}
	return out
}
