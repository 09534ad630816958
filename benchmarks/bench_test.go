// Package benchmarks sets ghactions beside github.com/google/go-github/v84 on
// the same page of 100 workflow runs (the seed's list example, each run with
// its own ID, SHA, times and so on; about 1.17 MB), in one run of one binary,
// so that every figure is measured next to the one it is compared with. It is
// a module of its own so that go-github stays out of ghactions' go.mod.
//
// Run everything six times and print a table for each unit, a column for
// each library (sub-benchmark lib=...), go-github as the base:
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
//     network.
//   - UnmarshalPage (go-github only): encoding/json.Unmarshal into
//     go-github's types, without its client: how much of DecodePage is the
//     decoding itself.
//   - ScanPage: the scan limit of each library's decoder, the cost of merely
//     reading the bytes once with no value decoded. For go-github it is
//     encoding/json's json.Valid; for ghactions it is the cheapest scan of
//     github.com/go-json-experiment/json/jsontext (no check for duplicate
//     names or invalid UTF-8). A decoder does not get much below its own
//     scanner.
//   - ListPageLoopback: the calls of DecodePage against an httptest server
//     on loopback, each library with its default transport: a real HTTP/1.1
//     exchange on top.
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
}

func BenchmarkUnmarshalPage(b *testing.B) {
	page := runsPage(b, perPage)
	b.Run("lib=go-github", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			var p github.WorkflowRuns
			if err := json.Unmarshal(page, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkScanPage(b *testing.B) {
	page := runsPage(b, perPage)
	scanners := []struct {
		lib   string
		valid func([]byte) bool
	}{
		{"go-github", json.Valid},
		{"ghactions", func(p []byte) bool {
			return jsontext.Value(p).IsValid(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
		}},
	}
	for _, s := range scanners {
		b.Run("lib="+s.lib, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			for b.Loop() {
				if !s.valid(page) {
					b.Fatal("the page is not valid JSON")
				}
			}
		})
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
