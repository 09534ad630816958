package ghactions

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// progressingRun is a run that moves on as it is polled: the n-th poll sees
// the state of the last step whose from is <= n. It answers conditional
// requests as GitHub does.
type progressingRun struct {
	mu          sync.Mutex
	polls       int
	notModified int
	steps       []runStep
	conditional []bool
}

type runStep struct {
	from       int
	status     Status
	conclusion Conclusion
	attempt    int
	httpStatus int // 0: 200 with the run
}

func (p *progressingRun) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.polls++
	p.conditional = append(p.conditional, r.Header.Get("If-None-Match") != "")
	var st runStep
	for _, s := range p.steps {
		if s.from <= p.polls {
			st = s
		}
	}
	if st.httpStatus != 0 {
		status(st.httpStatus)(w, r)
		return
	}
	etag := fmt.Sprintf(`"%s-%s-%d"`, st.status, st.conclusion, st.attempt)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		p.notModified++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	fmt.Fprintf(w, `{"id":42,"status":%q,"conclusion":%q,"run_attempt":%d}`, st.status, st.conclusion, st.attempt)
}

func TestWait(t *testing.T) {
	p := &progressingRun{steps: []runStep{
		{from: 1, status: StatusQueued, attempt: 1},
		{from: 4, status: StatusInProgress, attempt: 1},
		{from: 9, status: StatusInProgress, attempt: 1, httpStatus: 502}, // a passing fault, retried
		{from: 10, status: StatusInProgress, attempt: 1},
		{from: 20, status: StatusCompleted, conclusion: ConclusionSuccess, attempt: 1},
	}}
	c := retryTestClient(t, p, fastRetries)
	var changes []string
	run, err := c.Runs.Wait(context.Background(), "octo-org", "octo-repo", 42, &WaitOptions{
		Interval: time.Millisecond,
		OnChange: func(r *WorkflowRun) { changes = append(changes, string(r.Status)+"/"+string(r.Conclusion)) },
	})
	require.NoError(t, err)
	assert.Equal(t, StatusCompleted, run.Status)
	assert.Equal(t, ConclusionSuccess, run.Conclusion)
	assert.Equal(t, []string{"queued/", "in_progress/", "completed/success"}, changes)
	assert.Equal(t, 20, p.polls)
	assert.False(t, p.conditional[0], "the first poll has no ETag yet")
	assert.True(t, p.conditional[1], "later polls are conditional")
	// Of the 20 requests, 1, 4 and 20 saw a change, 9 was the 502 and its
	// retry (10) saw the same run again: 16 answers were 304.
	assert.Equal(t, 16, p.notModified)
}

func TestWaitStopsOnNotFound(t *testing.T) {
	p := &progressingRun{steps: []runStep{
		{from: 1, status: StatusInProgress, attempt: 1},
		{from: 3, httpStatus: 404},
	}}
	c := retryTestClient(t, p, fastRetries)
	_, err := c.Runs.Wait(context.Background(), "octo-org", "octo-repo", 42, &WaitOptions{Interval: time.Millisecond})
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, 3, p.polls)
}

func TestWaitReturnsWhenTheContextEnds(t *testing.T) {
	p := &progressingRun{steps: []runStep{{from: 1, status: StatusQueued, attempt: 1}}}
	c := retryTestClient(t, p, fastRetries)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Runs.Wait(ctx, "octo-org", "octo-repo", 42, &WaitOptions{
			Interval: time.Hour,
			OnChange: func(*WorkflowRun) { cancel() },
		})
		done <- err
	}()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not return when its context ended")
	}
}

func TestWaitOnACompletedRun(t *testing.T) {
	p := &progressingRun{steps: []runStep{{from: 1, status: StatusCompleted, conclusion: ConclusionFailure, attempt: 2}}}
	c := retryTestClient(t, p, fastRetries)
	calls := 0
	run, err := c.Runs.Wait(context.Background(), "octo-org", "octo-repo", 42, &WaitOptions{OnChange: func(*WorkflowRun) { calls++ }})
	require.NoError(t, err)
	assert.Equal(t, ConclusionFailure, run.Conclusion)
	assert.Equal(t, 1, p.polls, "a completed run needs no second poll")
	assert.Equal(t, 1, calls)
}

func TestJitter(t *testing.T) {
	for range 100 {
		d := jitter(5 * time.Second)
		assert.GreaterOrEqual(t, d, 4500*time.Millisecond)
		assert.LessOrEqual(t, d, 5500*time.Millisecond)
	}
	assert.Equal(t, time.Duration(1), jitter(1))
}

// Right after a re-run, GitHub may show the previous attempt, completed:
// MinAttempt polls on past it.
func TestWaitMinAttempt(t *testing.T) {
	stale := []runStep{
		{from: 1, status: StatusCompleted, conclusion: ConclusionFailure, attempt: 1},
		{from: 3, status: StatusQueued, attempt: 2},
		{from: 4, status: StatusInProgress, attempt: 2},
		{from: 6, status: StatusCompleted, conclusion: ConclusionSuccess, attempt: 2},
	}
	for _, tc := range []struct {
		name        string
		minAttempt  int
		wantAttempt int
		wantPolls   int
	}{
		{"without MinAttempt, the stale attempt", 0, 1, 1},
		{"the previous attempt's number", 1, 1, 1},
		{"the re-run's attempt", 2, 2, 6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &progressingRun{steps: stale}
			c := retryTestClient(t, p, fastRetries)
			var polled []int
			run, err := c.Runs.Wait(context.Background(), "octo-org", "octo-repo", 42, &WaitOptions{
				Interval:   time.Millisecond,
				MinAttempt: tc.minAttempt,
				OnPoll:     func(r *WorkflowRun) { polled = append(polled, r.RunAttempt) },
			})
			require.NoError(t, err)
			assert.Equal(t, tc.wantAttempt, run.RunAttempt)
			assert.Equal(t, StatusCompleted, run.Status)
			assert.Equal(t, tc.wantPolls, p.polls)
			assert.Len(t, polled, tc.wantPolls, "OnPoll sees every answer, 304s too")
		})
	}
}

func TestWaitRefusesANegativeMinAttempt(t *testing.T) {
	p := &progressingRun{steps: []runStep{{from: 1, status: StatusCompleted, attempt: 1}}}
	c := retryTestClient(t, p, fastRetries)
	_, err := c.Runs.Wait(context.Background(), "octo-org", "octo-repo", 42, &WaitOptions{MinAttempt: -1})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Zero(t, p.polls)
}
