package ghactions_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func ExampleJobsService_List() {
	srv := ghactionstest.NewServer()
	defer srv.Close()
	srv.SeedDemo()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// The jobs of the demo's failed CI run, and the steps that failed.
	for job, err := range c.Jobs.List(context.Background(), "octo-org", "octo-repo", 10000000039, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(job.Name, job.Conclusion)
		for _, step := range job.Steps {
			if step.Conclusion == ghactions.ConclusionFailure {
				fmt.Printf("  step %d %q failed\n", step.Number, step.Name)
			}
		}
	}
	// Output:
	// lint success
	// build success
	// test (ubuntu-latest) success
	// test (macos-latest) success
	// test (windows-latest) failure
	//   step 4 "Run go test -race ./..." failed
}

func ExampleRunsService_Wait() {
	// A live fake GitHub on a clock it shares with the client, which, as
	// GitHub may, still shows the previous attempt for two GETs after a
	// re-run.
	clock := ghactionstest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := ghactionstest.NewServer(ghactionstest.WithSharedClock(clock),
		ghactionstest.WithLive(time.Second), ghactionstest.WithStaleAfterRerun(2))
	defer srv.Close()
	srv.SeedDemo()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	const id = 10000000039 // the demo's failed CI run

	run, _, err := c.Runs.Get(ctx, "octo-org", "octo-repo", id, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Runs.RerunFailedJobs(ctx, "octo-org", "octo-repo", id, nil); err != nil {
		log.Fatal(err)
	}
	// MinAttempt: the attempt just completed, which GitHub may still show,
	// is not the result.
	run, err = c.Runs.Wait(ctx, "octo-org", "octo-repo", id, &ghactions.WaitOptions{MinAttempt: run.RunAttempt + 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(run.RunAttempt, run.Status, run.Conclusion)
	// Output:
	// 2 completed success
}
