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

// A server and its client on a virtual clock: the client keeps its default
// retry policy and waits out a secondary rate limit of a minute and a 502
// in no real time.
func ExampleWithSharedClock() {
	start := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	clock := ghactionstest.NewClock(start)
	srv := ghactionstest.NewServer(ghactionstest.WithSharedClock(clock))
	defer srv.Close()
	srv.SeedDemo()
	srv.Inject(ghactionstest.Fault{Method: "GET", Kind: ghactionstest.FaultSecondaryRateLimit, RetryAfter: "60"})
	srv.Inject(ghactionstest.Fault{Method: "GET", Status: http.StatusBadGateway})

	c, err := srv.Client() // waits on clock
	if err != nil {
		log.Fatal(err)
	}
	page, _, err := c.Runs.ListPage(context.Background(), ghactionstest.DemoOwner, ghactionstest.DemoRepo, &ghactions.ListOptions{PerPage: 3})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(page.WorkflowRuns), "runs after", len(srv.Requests()), "requests")
	fmt.Println("waited at least a minute:", clock.Now().Sub(start) >= time.Minute)
	// Output:
	// 3 runs after 3 requests
	// waited at least a minute: true
}
