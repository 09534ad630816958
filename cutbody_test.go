package ghactions_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// cutLength answers 200 with a Content-Length larger than what it writes:
// the connection closes after the first bytes of body.
func cutLength(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/3])
	}
}

// cutChunked answers 200 with a chunked body and hangs up in the middle of
// it, as a proxy or a server that dies would.
func cutChunked(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		part := body[:len(body)/3]
		fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(part), part)
		_ = buf.Flush()
	}
}

// cutFirst answers the first n requests with cut, the others with body whole.
func cutFirst(n int64, cut func([]byte) http.HandlerFunc, body []byte) http.HandlerFunc {
	var hits atomic.Int64
	return func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= n {
			cut(body)(w, r)
			return
		}
		answer(w, http.StatusOK, body)
	}
}

var cuts = map[string]func([]byte) http.HandlerFunc{
	"Content-Length larger than the body": cutLength,
	"chunked body cut by a hang-up":       cutChunked,
}

// A GET whose body is cut on its way is retried like any network error, by
// the same loop: the same policy, the same count of tries.
func TestCutBodyOfAGetIsRetried(t *testing.T) {
	completed := []byte(`{"id":30433642,"status":"completed","conclusion":"success","name":"CI"}`)
	calls := []struct {
		name string
		body []byte
		call func(context.Context, *ghactions.Client) error
	}{
		{"Get", testdata(t, "get_run.json"), func(ctx context.Context, c *ghactions.Client) error {
			run, _, err := c.Runs.Get(ctx, testOwner, testRepo, 30433642, nil)
			if err == nil && run.ID != 30433642 {
				return fmt.Errorf("got run %d", run.ID)
			}
			return err
		}},
		{"ListPage", testdata(t, "list_runs.json"), func(ctx context.Context, c *ghactions.Client) error {
			page, _, err := c.Runs.ListPage(ctx, testOwner, testRepo, nil)
			if err == nil && len(page.WorkflowRuns) == 0 {
				return errors.New("no runs")
			}
			return err
		}},
		{"List", testdata(t, "list_runs.json"), func(ctx context.Context, c *ghactions.Client) error {
			n := 0
			for _, err := range c.Runs.List(ctx, testOwner, testRepo, nil) {
				if err != nil {
					return err
				}
				n++
			}
			if n == 0 {
				return errors.New("no runs")
			}
			return nil
		}},
		{"Usage", testdata(t, "run_usage.json"), func(ctx context.Context, c *ghactions.Client) error {
			_, _, err := c.Runs.Usage(ctx, testOwner, testRepo, 1)
			return err
		}},
		{"Wait", completed, func(ctx context.Context, c *ghactions.Client) error {
			run, err := c.Runs.Wait(ctx, testOwner, testRepo, 30433642, nil)
			if err == nil && run.Status != ghactions.StatusCompleted {
				return fmt.Errorf("got status %q", run.Status)
			}
			return err
		}},
	}
	for cutName, cut := range cuts {
		for _, call := range calls {
			t.Run(cutName+"/"+call.name, func(t *testing.T) {
				srv := newServer(t, cutFirst(2, cut, call.body))
				c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
				require.NoError(t, call.call(context.Background(), c))
				assert.Equal(t, 3, srv.hits(), "two cut answers, then the whole one")
			})
		}
	}
}

// When every try is cut, the error says so once the retries run out.
func TestCutBodyUntilTheRetriesRunOut(t *testing.T) {
	for cutName, cut := range cuts {
		t.Run(cutName, func(t *testing.T) {
			srv := newServer(t, cut(testdata(t, "get_run.json")))
			c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
			_, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.Equal(t, 1+fastRetries.MaxRetries, srv.hits())
		})
	}
}

// A mutation whose answer is cut is not sent again: it may have happened.
func TestCutBodyOfAMutationIsNotRetried(t *testing.T) {
	body := []byte(`[{"id":1,"environment":"production","state":"approved"}]`)
	for cutName, cut := range cuts {
		t.Run(cutName, func(t *testing.T) {
			srv := newServer(t, cutFirst(1, cut, body))
			c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
			_, _, err := c.Runs.ReviewPendingDeployments(context.Background(), testOwner, testRepo, 1,
				ghactions.PendingDeploymentsReview{EnvironmentIDs: []int64{1}, State: ghactions.ReviewApproved, Comment: "ok"})
			require.Error(t, err)
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
			assert.Equal(t, 1, srv.hits())
		})
	}
}

// An answer that arrived whole but is not the JSON expected is not retried:
// another try would get the same.
func TestBadJSONIsNotRetried(t *testing.T) {
	for name, body := range map[string]string{
		"truncated JSON":  `{"id":1,"name":`,
		"not JSON":        `<html>oops</html>`,
		"wrong type":      `{"id":"one"}`,
		"trailing data":   `{"id":1} {"id":2}`,
		"array for a run": `[1,2,3]`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { answer(w, http.StatusOK, []byte(body)) })
			c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
			_, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.Error(t, err)
			assert.ErrorContains(t, err, "decoding the answer")
			assert.Equal(t, 1, srv.hits())
		})
	}
}

// stallAfter answers 200 with the first bytes of a body of size bytes, calls
// sent, and then sends nothing more until the client goes away (or the test
// ends).
func stallAfter(t *testing.T, first string, size int, sent func()) http.HandlerFunc {
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, first)
		http.NewResponseController(w).Flush()
		sent()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}
}

// endingContext is a context that a test ends when it chooses, with the
// error it chooses: a deadline that passes at a known point, with no timer.
type endingContext struct {
	context.Context
	done chan struct{}
	err  error
	once sync.Once
}

func newEndingContext(err error) *endingContext {
	return &endingContext{Context: context.Background(), done: make(chan struct{}), err: err}
}

func (c *endingContext) Done() <-chan struct{} { return c.done }

func (c *endingContext) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

func (c *endingContext) end() { c.once.Do(func() { close(c.done) }) }

// A body that a context's end cuts gives the context's error, as every other
// wait of the client does, for decoded answers and for streamed ones.
func TestContextEndingMidBodyGivesTheContextError(t *testing.T) {
	calls := []struct {
		name string
		// api and storage answer the API's requests and the log storage's.
		api, storage func(t *testing.T, end func(), storageURL string) http.HandlerFunc
		// call makes the call; end ends its context.
		call func(ctx context.Context, c *ghactions.Client, end func()) error
	}{
		{"Get", func(t *testing.T, end func(), _ string) http.HandlerFunc { return stallAfter(t, `{"id":1,`, 1000, end) }, nil,
			func(ctx context.Context, c *ghactions.Client, _ func()) error {
				_, _, err := c.Runs.Get(ctx, testOwner, testRepo, 1, nil)
				return err
			}},
		{"ListPage", func(t *testing.T, end func(), _ string) http.HandlerFunc {
			return stallAfter(t, `{"total_count":1,"workflow_runs":[{"id":1},`, 1000, end)
		}, nil, func(ctx context.Context, c *ghactions.Client, _ func()) error {
			_, _, err := c.Runs.ListPage(ctx, testOwner, testRepo, nil)
			return err
		}},
		{"List", func(t *testing.T, end func(), _ string) http.HandlerFunc {
			return stallAfter(t, `{"total_count":1,"workflow_runs":[{"id":1},`, 1000, end)
		}, nil, func(ctx context.Context, c *ghactions.Client, _ func()) error {
			for _, err := range c.Runs.List(ctx, testOwner, testRepo, nil) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{"Logs, read from the stream", func(_ *testing.T, _ func(), storageURL string) http.HandlerFunc {
			return redirectTo(http.StatusFound, storageURL+"/logs.zip")
		}, func(t *testing.T, _ func(), _ string) http.HandlerFunc {
			return stallAfter(t, "PK\x03\x04", 1<<20, func() {})
		}, func(ctx context.Context, c *ghactions.Client, end func()) error {
			rc, _, err := c.Runs.Logs(ctx, testOwner, testRepo, 1)
			if err != nil {
				return fmt.Errorf("before the stream: %w", err)
			}
			defer rc.Close()
			end()
			_, err = io.Copy(io.Discard, rc)
			if err == nil {
				return errors.New("the stream ended without an error")
			}
			// A reader may be read again after an error (bufio and zip
			// readers do): the error must stay the context's.
			if _, again := rc.Read(make([]byte, 16)); !errors.Is(again, ctx.Err()) {
				return fmt.Errorf("read again: %w", again)
			}
			return err
		}},
	}
	for _, want := range []error{context.DeadlineExceeded, context.Canceled} {
		for _, call := range calls {
			t.Run(want.Error()+"/"+call.name, func(t *testing.T) {
				ctx := newEndingContext(want)
				storage := forbiddenServer(t)
				if call.storage != nil {
					storage = newServer(t, call.storage(t, ctx.end, ""))
				}
				srv := newServer(t, call.api(t, ctx.end, storage.URL))
				c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries))
				err := call.call(ctx, c, ctx.end)
				ctx.end()
				require.Error(t, err)
				assert.NotContains(t, err.Error(), "before the stream")
				assert.ErrorIs(t, err, want)
				assert.Equal(t, 1, srv.hits(), "no retry once the context has ended")
			})
		}
	}
}

// A try whose body is read inside the retry loop is still one log line, and
// a cut body says why it is retried; a try that fails before any answer is
// logged too.
func TestCutBodyLogLines(t *testing.T) {
	hangUpOnce := func() http.HandlerFunc {
		var hits atomic.Int64
		return func(w http.ResponseWriter, r *http.Request) {
			if hits.Add(1) == 1 {
				conn, _, _ := http.NewResponseController(w).Hijack()
				conn.Close()
				return
			}
			answer(w, http.StatusOK, testdata(t, "get_run.json"))
		}
	}
	for name, tc := range map[string]struct {
		handler http.HandlerFunc
		reason  string
	}{
		"body cut":              {cutFirst(1, cutLength, testdata(t, "get_run.json")), `reason="network error: reading the answer: .*unexpected EOF.*"`},
		"connection hung up on": {hangUpOnce(), `reason="network error: .*EOF"`},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, tc.handler)
			var logs syncBuffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c := newClient(t, srv, ghactions.WithRetryPolicy(fastRetries), ghactions.WithLogger(logger))
			_, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.NoError(t, err)
			out := logs.String()
			assert.Equal(t, 2, strings.Count(out, `msg="ghactions: request"`), out)
			assert.Equal(t, 1, strings.Count(out, `msg="ghactions: retrying"`), out)
			assert.Regexp(t, `retrying.*`+tc.reason, out)
		})
	}
}
