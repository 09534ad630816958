package benchmarks

import (
	"context"
	"net/http"
	"runtime"
	"testing"
)

// BenchmarkRetainedPerRun is the referee for the memory a listed run costs a
// caller who keeps it. Each iteration lists one page of 100 runs over the
// in-memory transport (no connection buffers to blur the figure), keeps the
// page the library returns (its *Response is dropped, as most callers drop
// it), and measures the live heap before and after; B/run is the growth
// divided by the runs listed, over all iterations.
//
// What it counts: everything reachable from the kept page, whatever shape
// it takes (structs, strings, a body buffer the strings point into, values
// shared between runs); plus any state the library or its decoder keeps
// from one call to the next, which a first, unmeasured call has already set
// up (type caches and the like). What it does not count: garbage, and what
// sits in a sync.Pool (two collections before each reading empty the pools
// and their victim caches): both are freed without the caller's help. The
// page's bytes are the transport's, made once, and are not counted either.
//
// The runs share what a real page of one repository's runs shares (the
// repositories, the actors) and differ where real runs differ (see
// runsPage), so that sharing equal values helps here as much as it would on
// a real page, and no more. ns/op is left out: with the collections it means
// nothing, and DecodePage measures the same calls.
func BenchmarkRetainedPerRun(b *testing.B) {
	page := runsPage(b, perPage)
	hc := &http.Client{Transport: &memTransport{body: page, header: pageHeader()}}
	for _, lib := range libraries {
		b.Run("lib="+lib.name, func(b *testing.B) {
			b.ReportMetric(retainedPerRun(b, lib.open(b, hc, apiURL)), "B/run")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// retainedPerRun lists pages for as long as b.Loop says and returns the live
// heap each listed run kept, in bytes.
func retainedPerRun(b *testing.B, list lister) float64 {
	b.Helper()
	ctx := context.Background()
	if _, _, err := list(ctx); err != nil {
		b.Fatal(err)
	}
	var grown, runs int64
	for b.Loop() {
		b.StopTimer()
		before := liveHeap()
		b.StartTimer()
		kept, n, err := list(ctx)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		grown += int64(liveHeap()) - int64(before)
		runtime.KeepAlive(kept)
		runs += int64(n)
		b.StartTimer()
	}
	return float64(grown) / float64(runs)
}

// liveHeap returns the bytes of live heap objects. The first collection
// moves the sync.Pools' contents to their victim caches, the second frees
// them; after both, HeapAlloc holds only what is reachable.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
