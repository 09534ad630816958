package ghactionstest_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// Server.Client paces writes as ghactions does by default when the server
// has a shared clock, on which the waits take no real time; without one, it
// does not pace them, so that writes take no real second.
func TestClientPacing(t *testing.T) {
	shared := func() (ghactionstest.Option, func() time.Time) {
		c := ghactionstest.NewClock(t0)
		return ghactionstest.WithSharedClock(c), c.Now
	}
	own := func() (ghactionstest.Option, func() time.Time) {
		c := newClock()
		return ghactionstest.WithClock(c.Now), c.Now
	}
	tests := []struct {
		name   string
		clock  func() (ghactionstest.Option, func() time.Time)
		client []ghactions.Option
		gap    time.Duration // between the writes, on the server's clock
	}{
		{"shared clock", shared, nil, time.Second},
		{"shared clock, pacing set", shared, []ghactions.Option{ghactions.WithWritePacing(5 * time.Second)}, 5 * time.Second},
		{"the server's clock only", own, nil, 0},
		{"the server's clock only, pacing set", own, []ghactions.Option{ghactions.WithWritePacing(time.Nanosecond)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt, now := tt.clock()
			srv := newServer(t, opt)
			a := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
			b := srv.AddRun(owner, repo, ghactions.WorkflowRun{Conclusion: ghactions.ConclusionSuccess})
			var mu sync.Mutex
			var writes []time.Time
			srv.OnRequest(func(r ghactionstest.Request) {
				if r.Method == http.MethodDelete {
					mu.Lock()
					defer mu.Unlock()
					writes = append(writes, now())
				}
			})
			c, err := srv.Client(tt.client...)
			require.NoError(t, err)
			// A real second between the writes would end the context.
			ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			for _, id := range []int64{a.ID, b.ID} {
				_, err := c.Runs.Delete(ctx, owner, repo, id)
				require.NoError(t, err)
			}
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, writes, 2)
			assert.Equal(t, tt.gap, writes[1].Sub(writes[0]))
		})
	}
}
