package ghactionstest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"time"
)

// The log storage is served on an origin of its own, as GitHub serves log
// archives from its blob storage, not from api.github.com: a client that
// follows the API's 302 with the token set drops it there, as net/http,
// curl and browsers drop Authorization on their way to another host. The
// host name must differ from the API's 127.0.0.1, not only the port: Go's
// net/http keeps Authorization on a redirect to the same host name on
// another port.
const (
	// storageName is the storage's host name; it is a loopback name on
	// Linux, macOS and Windows alike, where 127.0.0.2 is not.
	storageName = "localhost"
	// sharedPortTries is how many ports NewServer tries for one that is
	// free on both 127.0.0.1 and ::1.
	sharedPortTries = 16
	// lookupTimeout bounds the look-up of storageName, which reads the
	// hosts file.
	lookupTimeout = 2 * time.Second
)

// storageKey marks, in a request's context, a request that came to the
// storage's origin.
type storageKey struct{}

// startStorage serves h on the storage's origin and returns the servers, one
// per loopback address, and the origin's root URL, "http://localhost:PORT/".
//
// "localhost" resolves to 127.0.0.1, to ::1 or to both in either order, so
// the storage listens on the same port of both when the system has IPv6.
// Where "localhost" resolves to neither, the storage is addressed as [::1],
// which is still another host name than the API's; without IPv6 either, as
// 127.0.0.1, the API's own name, where a client that follows the 302 with
// net/http keeps its token and the storage refuses it.
func startStorage(h http.Handler) ([]*httptest.Server, string) {
	ls := listenLoopback()
	mark := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), storageKey{}, true)))
	})
	servers := make([]*httptest.Server, len(ls))
	for i, l := range ls {
		servers[i] = &httptest.Server{Listener: l, Config: &http.Server{Handler: mark}}
		servers[i].Start()
	}
	port := strconv.Itoa(ls[0].Addr().(*net.TCPAddr).Port)
	return servers, "http://" + net.JoinHostPort(storageHost(ls), port) + "/"
}

// listenLoopback listens on 127.0.0.1 and, when the system has IPv6, on ::1
// on the same port. It panics when it cannot listen on 127.0.0.1, as
// httptest.NewServer panics.
func listenLoopback() []net.Listener {
	probe, err := net.Listen("tcp6", "[::1]:0")
	ipv6 := err == nil
	if ipv6 {
		probe.Close()
	}
	for try := 0; ; try++ {
		l4, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			panic(fmt.Sprintf("ghactionstest: listening for the log storage: %v", err))
		}
		if !ipv6 {
			return []net.Listener{l4}
		}
		l6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(l4.Addr().(*net.TCPAddr).Port)))
		if err == nil {
			return []net.Listener{l4, l6}
		}
		if try == sharedPortTries-1 {
			return []net.Listener{l4}
		}
		l4.Close() // the port is taken on ::1: try another
	}
}

// storageHost is the host name the storage is addressed by: storageName
// when it resolves to an address the storage listens on.
func storageHost(ls []net.Listener) string {
	var listening []string
	for _, l := range ls {
		listening = append(listening, l.Addr().(*net.TCPAddr).IP.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), lookupTimeout)
	defer cancel()
	addrs, _ := net.DefaultResolver.LookupHost(ctx, storageName)
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip != nil && slices.Contains(listening, ip.String()) {
			return storageName
		}
	}
	return listening[len(listening)-1] // ::1 when there is IPv6, else 127.0.0.1
}
