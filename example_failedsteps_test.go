package ghactions_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// The last 20 lines of each failed step of a run, against the fake's demo
// repository, whose latest failed CI run failed its tests on Windows.
func ExampleRunsService_FailedSteps() {
	srv := ghactionstest.NewServer()
	defer srv.Close()
	srv.SeedDemo()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	page, _, err := c.Runs.ListPage(ctx, "octo-org", "octo-repo", &ghactions.ListOptions{Workflow: "ci.yml", Conclusion: ghactions.ConclusionFailure, PerPage: 1})
	if err != nil {
		log.Fatal(err)
	}
	runID := page.WorkflowRuns[0].ID

	failed, err := c.Runs.FailedSteps(ctx, "octo-org", "octo-repo", runID, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer failed.Close() // removes the downloaded archive
	for _, step := range failed.Steps {
		fmt.Printf("== %s / %s\n", step.Job.Name, step.Name())
		lines, err := step.Tail(ctx, 20)
		if err != nil {
			log.Fatal(err)
		}
		for _, line := range lines {
			fmt.Println(line.Text)
		}
	}
	// Output:
	// == test (windows-latest) / Run go test -race ./...
	// ##[group]Run go test -race ./...
	// go test -race ./...
	// shell: C:\Program Files\PowerShell\7\pwsh.EXE -command ". '{0}'"
	// ##[endgroup]
	// ok  	github.com/octo-org/octo-repo/api	0.405s
	// --- FAIL: TestLoginRedirect (0.02s)
	//     login_test.go:57: status = 401, want 302
	// FAIL
	// FAIL	github.com/octo-org/octo-repo/auth	0.198s
	// FAIL
	// ##[error]Process completed with exit code 1.
}
