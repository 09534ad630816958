package ghactions_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

var pacingStart = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// arrivals records, by the virtual clock, when each request reached the
// server.
type arrivals struct {
	mu    sync.Mutex
	clock ghactions.Clock
	seen  []arrival
}

type arrival struct {
	method, path string
	at           time.Duration // since pacingStart
}

func (a *arrivals) add(r *http.Request) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seen = append(a.seen, arrival{r.Method, r.URL.Path, a.clock.Now().Sub(pacingStart)})
}

func (a *arrivals) all() []arrival {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.seen)
}

// Writes are sent pacing apart on the client's clock; reads are not held
// back; Client.Do's writes are paced too.
func TestWritePacing(t *testing.T) {
	tests := []struct {
		name string
		opts []ghactions.Option
		gap  time.Duration
	}{
		{"default", nil, time.Second},
		{"250ms", []ghactions.Option{ghactions.WithWritePacing(250 * time.Millisecond)}, 250 * time.Millisecond},
		{"off", []ghactions.Option{ghactions.WithWritePacing(0)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := ghactionstest.NewClock(pacingStart)
			log := &arrivals{clock: clock}
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				log.add(r)
				switch r.Method {
				case http.MethodGet:
					answer(w, 200, testdata(t, "get_run.json"))
				case http.MethodPost:
					answer(w, 202, []byte("{}"))
				default:
					w.WriteHeader(204)
				}
			})
			c := newClient(t, srv, append([]ghactions.Option{ghactions.WithClock(clock)}, tt.opts...)...)
			ctx := context.Background()
			_, err := c.Runs.Delete(ctx, testOwner, testRepo, 1)
			require.NoError(t, err)
			_, _, err = c.Runs.Get(ctx, testOwner, testRepo, 2, nil)
			require.NoError(t, err)
			_, err = c.Runs.Cancel(ctx, testOwner, testRepo, 3)
			require.NoError(t, err)
			_, err = c.Do(ctx, "POST", "repos/octo-org/octo-repo/actions/runs/4/rerun", nil, nil)
			require.NoError(t, err)
			_, _, err = c.Runs.Get(ctx, testOwner, testRepo, 5, nil)
			require.NoError(t, err)
			_, err = c.Runs.DeleteLogs(ctx, testOwner, testRepo, 6)
			require.NoError(t, err)

			var at []time.Duration
			for _, a := range log.all() {
				at = append(at, a.at)
			}
			g := tt.gap
			assert.Equal(t, []time.Duration{0, 0, g, 2 * g, 2 * g, 3 * g}, at, "arrival of each request, from the first")
		})
	}
}

func TestWritePacingNegative(t *testing.T) {
	_, err := ghactions.NewClient(ghactions.WithWritePacing(-time.Second))
	require.ErrorIs(t, err, ghactions.ErrInvalidArgument)
}

// Writes from many goroutines go one at a time, a second apart.
func TestWritePacingOneAtATime(t *testing.T) {
	clock := ghactionstest.NewClock(pacingStart)
	log := &arrivals{clock: clock}
	var inFlight, most atomic.Int32
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		log.add(r)
		time.Sleep(time.Millisecond) // long enough for another write to overlap, were it sent
		w.WriteHeader(204)
	})
	c := newClient(t, srv, ghactions.WithClock(clock))
	const writes = 8
	var wg sync.WaitGroup
	for i := range writes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, int64(i+1))
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), most.Load(), "writes in flight at once")
	seen := log.all()
	require.Len(t, seen, writes)
	for i := 1; i < len(seen); i++ {
		assert.GreaterOrEqual(t, seen[i].at-seen[i-1].at, time.Second, "write %d came %v after the one before", i, seen[i].at-seen[i-1].at)
	}
}

// blockingClock is a virtual clock whose Sleep blocks until its context
// ends, telling when it starts to.
type blockingClock struct {
	*ghactionstest.Clock
	sleeping chan time.Duration
}

func (c blockingClock) Sleep(ctx context.Context, d time.Duration) error {
	c.sleeping <- d
	<-ctx.Done()
	return ctx.Err()
}

// A write that waits for its turn ends at once when its context ends, and
// sends nothing.
func TestWritePacingContextEnds(t *testing.T) {
	t.Run("waiting for the gap", func(t *testing.T) {
		srv := newServer(t, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(204) })
		clock := blockingClock{ghactionstest.NewClock(pacingStart), make(chan time.Duration, 1)}
		c := newClient(t, srv, ghactions.WithClock(clock))
		_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, 1)
		require.NoError(t, err)

		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := c.Runs.Delete(ctx, testOwner, testRepo, 2)
			done <- err
		}()
		select {
		case d := <-clock.sleeping:
			assert.Equal(t, time.Second, d)
		case err := <-done:
			t.Fatalf("the second write did not wait for its turn: %v", err)
		}
		cancel()
		err = <-done
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "DELETE")
		assert.Equal(t, 1, srv.hits())
	})
	t.Run("waiting for the slot", func(t *testing.T) {
		arrived, release := make(chan struct{}), make(chan struct{})
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == apiPrefix+"repos/octo-org/octo-repo/actions/runs/1" {
				close(arrived)
				<-release
			}
			w.WriteHeader(204)
		})
		c := newClient(t, srv, ghactions.WithClock(ghactionstest.NewClock(pacingStart)))
		first := make(chan error, 1)
		go func() {
			_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, 1)
			first <- err
		}()
		<-arrived
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := c.Runs.Delete(ctx, testOwner, testRepo, 2)
			done <- err
		}()
		cancel()
		require.ErrorIs(t, <-done, context.Canceled)
		close(release)
		require.NoError(t, <-first)
		assert.Equal(t, 1, srv.hits())
	})
	t.Run("ended before the call", func(t *testing.T) {
		srv := forbiddenServer(t)
		c := newClient(t, srv)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Runs.Delete(ctx, testOwner, testRepo, 1)
		require.ErrorIs(t, err, context.Canceled)
	})
}

// gatedClock is a virtual clock whose first Sleep waits for a gate to open.
type gatedClock struct {
	*ghactionstest.Clock
	slept          atomic.Bool
	sleeping, gate chan struct{}
}

func (c *gatedClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.slept.CompareAndSwap(false, true) {
		close(c.sleeping)
		<-c.gate
	}
	return c.Clock.Sleep(ctx, d)
}

// The retries of one write are that write: another write waits until they
// are over.
func TestWritePacingHoldsThroughRetries(t *testing.T) {
	var failed atomic.Bool
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == apiPrefix+"repos/octo-org/octo-repo/actions/runs/1" && failed.CompareAndSwap(false, true) {
			w.WriteHeader(503)
			return
		}
		w.WriteHeader(204)
	})
	clock := &gatedClock{Clock: ghactionstest.NewClock(pacingStart), sleeping: make(chan struct{}), gate: make(chan struct{})}
	c := newClient(t, srv, ghactions.WithClock(clock), ghactions.WithRetryPolicy(fastRetries))
	first := make(chan error, 1)
	go func() {
		_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, 1)
		first <- err
	}()
	<-clock.sleeping // the first write waits to retry its 503
	second := make(chan error, 1)
	go func() {
		_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, 2)
		second <- err
	}()
	time.Sleep(5 * time.Millisecond) // time for the second write to slip in, were it let
	assert.Equal(t, 1, srv.hits(), "a write went between the tries of another")
	close(clock.gate)
	require.NoError(t, <-first)
	require.NoError(t, <-second)
	var paths []string
	for _, r := range srv.requests() {
		paths = append(paths, r.Path)
	}
	run := apiPrefix + "repos/octo-org/octo-repo/actions/runs/"
	assert.Equal(t, []string{run + "1", run + "1", run + "2"}, paths)
}

// A followed redirect is part of its write: no gap between its hops.
func TestWritePacingFollowsRedirectAsOneWrite(t *testing.T) {
	clock := ghactionstest.NewClock(pacingStart)
	log := &arrivals{clock: clock}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		if r.URL.Path == apiPrefix+"repos/octo-org/octo-repo/actions/runs/1" {
			http.Redirect(w, r, apiPrefix+"repositories/7/actions/runs/1", http.StatusTemporaryRedirect)
			return
		}
		w.WriteHeader(204)
	})
	c := newClient(t, srv, ghactions.WithClock(clock))
	for _, id := range []int64{1, 2} {
		_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, id)
		require.NoError(t, err)
	}
	var at []time.Duration
	for _, a := range log.all() {
		at = append(at, a.at)
	}
	assert.Equal(t, []time.Duration{0, 0, time.Second}, at)
}

// A write that fails still counts: the next one waits for its gap.
func TestWritePacingAfterAFailure(t *testing.T) {
	clock := ghactionstest.NewClock(pacingStart)
	log := &arrivals{clock: clock}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		log.add(r)
		answer(w, 404, []byte(`{"message":"Not Found"}`))
	})
	c := newClient(t, srv, ghactions.WithClock(clock))
	for _, id := range []int64{1, 2} {
		_, err := c.Runs.Delete(context.Background(), testOwner, testRepo, id)
		require.True(t, errors.Is(err, ghactions.ErrNotFound), "%v", err)
	}
	seen := log.all()
	require.Len(t, seen, 2)
	assert.Equal(t, time.Second, seen[1].at-seen[0].at)
}
