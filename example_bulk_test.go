package ghactions_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

func ExampleRunsService_Prune() {
	// A fake GitHub with the demo's history, whose clock the client shares:
	// the deletes, a second apart, take no real time.
	clock := ghactionstest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := ghactionstest.NewServer(ghactionstest.WithSharedClock(clock))
	defer srv.Close()
	srv.SeedDemo()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	// Delete the runs older than 20 hours, but keep the newest 3 of each
	// workflow whatever their age.
	report, err := c.Runs.Prune(context.Background(), "octo-org", "octo-repo", ghactions.PruneOptions{
		OlderThan:  20 * time.Hour,
		KeepLatest: 3,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listed %d runs: deleted %d, kept %d, failed %d, in %d requests\n",
		report.Listed, report.Deleted, report.Kept, len(report.Failed), report.Requests)
	// Output:
	// listed 46 runs: deleted 16, kept 30, failed 0, in 17 requests
}

func ExampleRunsService_Dispatch() {
	// A live fake GitHub: the runs go through their jobs on the clock it
	// shares with the client.
	clock := ghactionstest.NewClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := ghactionstest.NewServer(ghactionstest.WithSharedClock(clock), ghactionstest.WithLive(time.Second))
	defer srv.Close()
	srv.SeedDemo()
	c, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	run, _, err := c.Runs.Dispatch(ctx, "octo-org", "octo-repo", "deploy.yml", ghactions.DispatchOptions{
		Ref:    "main",
		Inputs: map[string]any{"environment": "production", "dry-run": true},
	})
	if errors.Is(err, ghactions.ErrRunNotIdentified) {
		// The workflow started, but the server (GitHub Enterprise Server)
		// did not say which run is its, and listing could not tell.
		log.Fatal(err)
	}
	if err != nil {
		log.Fatal(err)
	}
	done, err := c.Runs.Wait(ctx, "octo-org", "octo-repo", run.RunID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(done.Name, done.Event, done.HeadBranch, done.Conclusion)
	// Output:
	// Deploy workflow_dispatch main success
}
