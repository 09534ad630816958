package ghactions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// timeouts bound the waits of the client's own transport (the one it uses
// when WithHTTPClient gives none), so that a call without a deadline cannot
// hang on a server, or a network, that stops answering.
type timeouts struct {
	connect        time.Duration // to open a TCP connection
	tlsHandshake   time.Duration // for the TLS handshake
	responseHeader time.Duration // from the request sent to the answer's headers
	idleRead       time.Duration // for any one read of a body: no byte for this long is a stall
}

// defaultTimeouts are generous for the API, whose own requests time out after
// 10 seconds, and for the log storage, which streams as it goes.
func defaultTimeouts() timeouts {
	return timeouts{
		connect:        10 * time.Second,
		tlsHandshake:   10 * time.Second,
		responseHeader: 30 * time.Second,
		idleRead:       30 * time.Second,
	}
}

// ownTransport builds the client's own transport: net/http's default, with
// the timeouts t, and bodies that fail when they stall.
func ownTransport(t timeouts) http.RoundTripper {
	var tr *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = dt.Clone()
	} else {
		tr = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	}
	dialer := &net.Dialer{Timeout: t.connect, KeepAlive: 30 * time.Second}
	tr.DialContext = dialer.DialContext
	tr.TLSHandshakeTimeout = t.tlsHandshake
	tr.ResponseHeaderTimeout = t.responseHeader
	return &stallGuard{tr: tr, idle: t.idleRead}
}

// stallGuard ends a body whose server stops sending: net/http bounds the
// wait for the headers, but not the wait for the body.
type stallGuard struct {
	tr   *http.Transport
	idle time.Duration
}

// errStalled is the cause a stalled body's request is cancelled with.
var errStalled = errors.New("ghactions: the body stalled")

func (g *stallGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	resp, err := g.tr.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel(nil)
		return nil, err
	}
	resp.Request = req
	resp.Body = &guardedBody{body: resp.Body, ctx: ctx, cancel: cancel, idle: g.idle}
	return resp, nil
}

// CloseIdleConnections lets the retry loop close the transport's idle
// connections, as it does when a wait is cancelled.
func (g *stallGuard) CloseIdleConnections() { g.tr.CloseIdleConnections() }

// guardedBody cancels its request when one read waits longer than idle.
// Only the wait for the server counts: a caller that reads slowly is no
// stall.
type guardedBody struct {
	body   io.ReadCloser
	ctx    context.Context
	cancel context.CancelCauseFunc
	idle   time.Duration
	timer  *time.Timer
}

func (b *guardedBody) Read(p []byte) (int, error) {
	if b.timer == nil {
		b.timer = time.AfterFunc(b.idle, func() { b.cancel(errStalled) })
	} else {
		b.timer.Reset(b.idle)
	}
	n, err := b.body.Read(p)
	b.timer.Stop()
	if err != nil && err != io.EOF && context.Cause(b.ctx) == errStalled {
		err = &stallError{idle: b.idle}
	}
	return n, err
}

func (b *guardedBody) Close() error {
	if b.timer != nil {
		b.timer.Stop()
	}
	err := b.body.Close()
	b.cancel(nil)
	return err
}

// stallError is a body that stalled. It is a network timeout, which a GET
// retries.
type stallError struct{ idle time.Duration }

func (e *stallError) Error() string {
	return fmt.Sprintf("ghactions: no data from the server for %v", e.idle)
}

func (e *stallError) Timeout() bool   { return true }
func (e *stallError) Temporary() bool { return true }
