package ghactionstest_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// A fake GitHub with a demo repository, and a client of it: list the runs
// that failed.
func Example() {
	srv := ghactionstest.NewServer()
	defer srv.Close()
	srv.SeedDemo()

	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	opts := &ghactions.ListOptions{Conclusion: ghactions.ConclusionFailure}
	for run, err := range c.Runs.List(context.Background(), ghactionstest.DemoOwner, ghactionstest.DemoRepo, opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s #%d on %s: %s\n", run.Name, run.RunNumber, run.HeadBranch, run.DisplayTitle)
	}
	// Output:
	// CI #27 on feature/login: Add OAuth login
	// CI #22 on main: Speed up the build cache
	// CI #15 on main: Log request IDs
	// CI #8 on fix/flaky-test: Wait for the server before the login test
}

// Two failures in a row: the client retries them, and the third try
// answers.
func ExampleServer_Inject() {
	srv := ghactionstest.NewServer()
	defer srv.Close()
	run := srv.AddRun("octo-org", "octo-repo", ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
	srv.Inject(ghactionstest.Fault{
		Method: "GET",
		Path:   "repos/*/*/actions/runs/*",
		Times:  2,
		Status: http.StatusBadGateway,
	})

	c, err := srv.Client(ghactions.WithRetryPolicy(ghactions.RetryPolicy{MaxRetries: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}))
	if err != nil {
		log.Fatal(err)
	}
	got, _, err := c.Runs.Get(context.Background(), "octo-org", "octo-repo", run.ID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Conclusion, "after", len(srv.Requests()), "requests")
	// Output:
	// success after 3 requests
}
