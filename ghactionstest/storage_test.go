package ghactionstest_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions/ghactionstest"
)

// storageRoot is the root URL of the origin a log URL points to.
func storageRoot(t *testing.T, loc string) string {
	t.Helper()
	u, err := url.Parse(loc)
	require.NoError(t, err)
	return u.Scheme + "://" + u.Host + "/"
}

// demoRunWithLogs is the ID of a completed run of the demo, which has logs.
func demoRunWithLogs(t *testing.T, srv *ghactionstest.Server) string {
	t.Helper()
	p, _ := listPage(t, srv, runs+"?status=success&per_page=1")
	require.NotEmpty(t, p.WorkflowRuns)
	return strconv.FormatInt(p.WorkflowRuns[0].ID, 10)
}

// A program that sets its token on the request and lets net/http follow the
// 302 gets the archive: the storage is another host, so net/http drops the
// token on the way, as it does between api.github.com and GitHub's storage.
func TestPlainNetHTTPDownloadsTheLogs(t *testing.T) {
	srv := newServer(t)
	srv.SeedDemo()
	req, err := http.NewRequest("GET", srv.URL()+runs+"/"+demoRunWithLogs(t, srv)+"/logs", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "body: %s", body)
	assert.Equal(t, "application/zip", resp.Header.Get("Content-Type"))
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	assert.NotEmpty(t, zr.File)

	reqs := srv.Requests()
	require.Len(t, reqs, 3, "the list, the API's 302, the storage")
	assert.Equal(t, "Bearer "+token, reqs[1].Header.Get("Authorization"))
	assert.Empty(t, reqs[2].Header.Get("Authorization"), "net/http left the token at the API")
}

// The API's origin does not serve the storage's paths, nor the storage the
// API's.
func TestTheAPIIsNotTheStorage(t *testing.T) {
	srv := newServer(t)
	srv.SeedDemo()
	loc := logsURL(t, srv, runs+"/"+demoRunWithLogs(t, srv))
	u, err := url.Parse(loc)
	require.NoError(t, err)
	api, err := url.Parse(srv.URL())
	require.NoError(t, err)
	u.Host = api.Host
	requireError(t, call(t, srv, "GET", u.String(), ""), http.StatusNotFound, "Not Found")
	assert.Equal(t, http.StatusOK, download(t, srv, loc).status)
}

// "localhost" may resolve to 127.0.0.1, ::1 or both, in either order: the
// storage answers on each address its host name resolves to.
func TestStorageAnswersOnEveryAddressOfItsName(t *testing.T) {
	srv := newServer(t)
	srv.SeedDemo()
	loc := logsURL(t, srv, runs+"/"+demoRunWithLogs(t, srv))
	u, err := url.Parse(loc)
	require.NoError(t, err)
	addrs, err := net.DefaultResolver.LookupHost(context.Background(), u.Hostname())
	require.NoError(t, err)
	require.NotEmpty(t, addrs)
	// macOS resolves localhost to ::1 first: where the system has IPv6, the
	// storage answers there, whatever this system's hosts file says.
	if l, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		l.Close()
		addrs = append(addrs, "::1")
	}
	addrs = slices.Compact(slices.Sorted(slices.Values(addrs)))
	for _, a := range addrs {
		t.Run(a, func(t *testing.T) {
			at := *u
			at.Host = net.JoinHostPort(a, u.Port())
			r := download(t, srv, at.String())
			assert.Equal(t, http.StatusOK, r.status, "body: %s", r.body)
		})
	}
}

func TestCloseStopsTheStorage(t *testing.T) {
	srv := ghactionstest.NewServer(ghactionstest.WithToken(token))
	srv.SeedDemo()
	loc := logsURL(t, srv, runs+"/"+demoRunWithLogs(t, srv))
	srv.Close()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(loc)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "nothing listens there any more")
}
