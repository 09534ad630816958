package ghactions

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withTimeouts replaces the timeouts of the client's own transport.
func withTimeouts(t timeouts) Option {
	return func(c *config) error {
		c.timeouts = t
		return nil
	}
}

// short makes every wait of the client's own transport a few tens of
// milliseconds.
var short = timeouts{connect: 50 * time.Millisecond, tlsHandshake: 50 * time.Millisecond, responseHeader: 50 * time.Millisecond, idleRead: 50 * time.Millisecond}

// backstop is the deadline the tests give their calls, so that a client
// that would hang fails the test instead; none of them should reach it.
const backstop = 5 * time.Second

// stalling is a server whose handler holds the request until the test ends.
func stalling(t *testing.T, before func(w http.ResponseWriter, r *http.Request, try int64)) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	done := make(chan struct{})
	var tries atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if before != nil {
			before(w, r, tries.Add(1))
		}
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })
	return srv, &tries
}

// A call without a deadline does not hang on a server that stalls: the
// client's own transport bounds each wait, and a GET stalled on its way is
// retried like any network error.
func TestStalledServerDoesNotHang(t *testing.T) {
	tests := []struct {
		name    string
		before  func(w http.ResponseWriter, r *http.Request, try int64)
		wantErr string // empty: the call succeeds after a retry
		tries   int64
	}{
		{"headers never come", func(w http.ResponseWriter, r *http.Request, _ int64) {}, "timeout awaiting response headers", 4},
		{"the body stalls", func(w http.ResponseWriter, r *http.Request, _ int64) {
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"id":1,`)
			http.NewResponseController(w).Flush()
		}, "no data", 4},
		{"the body stalls once", func(w http.ResponseWriter, r *http.Request, try int64) {
			if try > 1 {
				w.Header().Set("Content-Length", "8")
				_, _ = io.WriteString(w, `{"id":1}`)
				http.NewResponseController(w).Flush()
				return
			}
			w.Header().Set("Content-Length", "1000")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"id":1,`)
			http.NewResponseController(w).Flush()
		}, "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, tries := stalling(t, tt.before)
			c, err := NewClient(WithBaseURL(srv.URL), WithRetryPolicy(fastRetries), withTimeouts(short))
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), backstop)
			defer cancel()
			run, _, err := c.Runs.Get(ctx, "o", "r", 1, nil)
			assert.Equal(t, tt.tries, tries.Load())
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, int64(1), run.ID)
				return
			}
			require.Error(t, err)
			require.NoError(t, ctx.Err(), "the backstop ended the call")
			assert.ErrorContains(t, err, tt.wantErr)
			var netErr net.Error
			require.ErrorAs(t, err, &netErr)
			assert.True(t, netErr.Timeout())
		})
	}
}

// A log archive whose download stalls fails the read instead of hanging it.
func TestStalledLogStreamDoesNotHang(t *testing.T) {
	storage, _ := stalling(t, func(w http.ResponseWriter, r *http.Request, _ int64) {
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "PK\x03\x04")
		http.NewResponseController(w).Flush()
	})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, storage.URL+"/logs.zip", http.StatusFound)
	}))
	defer api.Close()
	c, err := NewClient(WithBaseURL(api.URL), withTimeouts(short))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), backstop)
	defer cancel()
	rc, _, err := c.Runs.Logs(ctx, "o", "r", 1)
	require.NoError(t, err)
	defer rc.Close()
	n, err := io.Copy(io.Discard, rc)
	assert.Equal(t, int64(4), n)
	require.Error(t, err)
	require.NoError(t, ctx.Err(), "the backstop ended the call")
	assert.ErrorContains(t, err, "no data")
}

// A server that accepts the connection and never answers the TLS handshake.
func TestStalledTLSHandshakeDoesNotHang(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	defer func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	c, err := NewClient(WithBaseURL("https://"+ln.Addr().String()), WithRetryPolicy(RetryPolicy{}), withTimeouts(short))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), backstop)
	defer cancel()
	_, _, err = c.Runs.Get(ctx, "o", "r", 1, nil)
	require.Error(t, err)
	require.NoError(t, ctx.Err(), "the backstop ended the call")
	assert.ErrorContains(t, err, "TLS handshake timeout")
}

func TestOwnTransportTimeouts(t *testing.T) {
	c, err := NewClient()
	require.NoError(t, err)
	g, ok := c.httpClient.Transport.(*stallGuard)
	require.True(t, ok, "the client's own transport guards against stalled bodies")
	assert.Equal(t, 30*time.Second, g.idle)
	assert.Equal(t, 10*time.Second, g.tr.TLSHandshakeTimeout)
	assert.Equal(t, 30*time.Second, g.tr.ResponseHeaderTimeout)
	assert.NotNil(t, g.tr.DialContext)
	assert.NotNil(t, g.tr.Proxy, "proxies from the environment still apply")
	assert.NotSame(t, http.DefaultTransport, g.tr, "a transport of its own")
}

// A caller's transport is the caller's: the client adds no timeout to it.
func TestCallerTransportKeepsItsTimeouts(t *testing.T) {
	mine := &http.Transport{ResponseHeaderTimeout: time.Hour}
	hc := &http.Client{Transport: mine, Timeout: time.Minute}
	c, err := NewClient(WithHTTPClient(hc), withTimeouts(short))
	require.NoError(t, err)
	st, ok := c.httpClient.Transport.(sharedTransport)
	require.True(t, ok)
	assert.Same(t, mine, st.RoundTripper)
	assert.Equal(t, time.Hour, mine.ResponseHeaderTimeout)
	assert.Equal(t, time.Minute, c.httpClient.Timeout)
}

// The guard lets a body that streams slowly but steadily through: only a
// wait for a single read counts.
func TestSlowButSteadyBodyIsNotAStall(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		_, _ = io.WriteString(w, `{"id":1`)
		for range 12 {
			_ = rc.Flush()
			time.Sleep(5 * time.Millisecond)
			_, _ = io.WriteString(w, `        `)
		}
		_, _ = io.WriteString(w, `}`)
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithRetryPolicy(RetryPolicy{}), withTimeouts(short))
	require.NoError(t, err)
	run, _, err := c.Runs.Get(context.Background(), "o", "r", 1, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(1), run.ID)
}

func TestStallErrorIsANetworkTimeout(t *testing.T) {
	var err error = &stallError{idle: time.Second}
	var netErr net.Error
	require.True(t, errors.As(err, &netErr))
	assert.True(t, netErr.Timeout())
	assert.True(t, retryableError(err))
	assert.True(t, strings.Contains(err.Error(), "1s"))
}
