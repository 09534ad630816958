// Package benchmarks sets ghactions beside github.com/google/go-github/v84 on
// the same page of 100 workflow runs (the seed's list example, each run with
// its own ID, SHA, times and so on; about 1.17 MB), in one run of one binary,
// so that every figure is measured next to the one it is compared with. It is
// a module of its own so that go-github stays out of ghactions' go.mod.
//
// Run everything, six times, and compare the libraries side by side
// (go-github is the base column):
//
//	cd benchmarks && go test -bench . -benchmem -count 6 | go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da -col /lib -
//
// The benchmarks:
//
//   - DecodePage: one page through each library's public call
//     (ghactions' Runs.ListPage, go-github's
//     Actions.ListRepositoryWorkflowRuns) over an http.RoundTripper that
//     answers from memory: building the request, the client's pipeline,
//     reading the headers (Link, rate limit) and decoding the body, with no
//     network. lib=go-github-unmarshal is encoding/json.Unmarshal into
//     go-github's types alone, without its client. lib=json.Valid and
//     lib=jsontext.IsValid are the scan limits: the cost of merely reading
//     the bytes once, with no value decoded, with the scanner of
//     encoding/json (go-github's decoder) and with the cheapest scan of
//     github.com/go-json-experiment/json/jsontext (ghactions' decoder; no
//     check for duplicate names or invalid UTF-8). A decoder does not get
//     much below its own scanner's figure.
//   - ListPageLoopback: the same calls against an httptest server on
//     loopback, each library with its default transport: DecodePage plus a
//     real HTTP/1.1 exchange.
//   - RetainedPerRun: the live heap that the runs of one page keep when the
//     caller keeps the page, divided by the number of runs (B/run); see
//     retained_test.go for what it counts.
package benchmarks

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-github/v84/github"
)

func BenchmarkDecodePage(b *testing.B) {
	page := runsPage(b, perPage)
	hc := &http.Client{Transport: &memTransport{body: page, header: pageHeader()}}
	for _, lib := range libraries {
		b.Run("lib="+lib.name, func(b *testing.B) {
			benchList(b, lib.open(b, hc, apiURL), len(page))
		})
	}
	b.Run("lib=go-github-unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var p github.WorkflowRuns
			if err := json.Unmarshal(page, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("lib=json.Valid", func(b *testing.B) {
		benchScan(b, page, json.Valid)
	})
	b.Run("lib=jsontext.IsValid", func(b *testing.B) {
		benchScan(b, page, func(p []byte) bool {
			return jsontext.Value(p).IsValid(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		})
	})
}

// benchScan reads the page with a validator: no value is decoded.
func benchScan(b *testing.B, page []byte, valid func([]byte) bool) {
	b.Helper()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if !valid(page) {
			b.Fatal("the page is not valid JSON")
		}
	}
}

func BenchmarkListPageLoopback(b *testing.B) {
	page := runsPage(b, perPage)
	srv := httptest.NewServer(pageHandler(page, pageHeader()))
	defer srv.Close()
	for _, lib := range libraries {
		b.Run("lib="+lib.name, func(b *testing.B) {
			benchList(b, lib.open(b, nil, srv.URL+"/api/v3/"), len(page))
		})
	}
}

// benchList lists the page over and over, checking each answer.
func benchList(b *testing.B, list lister, size int) {
	b.Helper()
	ctx := context.Background()
	b.SetBytes(int64(size))
	for b.Loop() {
		_, n, err := list(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if n != perPage {
			b.Fatalf("listed %d runs, want %d", n, perPage)
		}
	}
}
