//go:build !race

// The race detector adds shadow memory and slows each allocation tenfold:
// heap figures taken under it mean little, so these run without it.

package ghactions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// heapProbe records the largest live heap seen at its samples.
type heapProbe struct{ peak uint64 }

func (p *heapProbe) sample(collect bool) {
	if collect {
		runtime.GC()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.peak = max(p.peak, ms.HeapAlloc)
}

// TestListHoldsOnePageAtATime lists 20,000 runs (200 pages of 100, about
// 240 MB of JSON) and checks that the live heap stays near one page's worth:
// runs the caller has let go of are not kept by the iterator.
func TestListHoldsOnePageAtATime(t *testing.T) {
	if testing.Short() {
		t.Skip("lists 20,000 runs")
	}
	const pages, perPage = 200, 100
	run := seedRun(t)
	srv := runsServer(run, pages, perPage)
	defer srv.Close()
	c, err := ghactions.NewClient(ghactions.WithBaseURL(srv.URL + "/api/v3/"))
	require.NoError(t, err)

	var probe heapProbe
	probe.sample(true)
	base := probe.peak
	n := 0
	for run, err := range c.Runs.List(context.Background(), "octo-org", "octo-repo", nil) {
		require.NoError(t, err)
		n++
		require.Equal(t, int64(n), run.ID)
		if n%1000 == 0 {
			probe.sample(true)
		}
	}
	assert.Equal(t, pages*perPage, n)
	held := probe.peak - min(base, probe.peak)
	page := perPage * keptPerRun(t, 1)
	t.Logf("live heap above the start, at its peak: %.1f MB; one page of runs is about %.1f MB, all 20,000 runs about %.0f MB",
		mb(held), mb(page), mb(pages*page))
	assert.Less(t, held, 3*page, "the iterator keeps more than about one page alive")
}

// TestKeptRunsMemory lists 1,000 runs (10 pages of 100, each run with its
// own ID and the URLs that hold it) and keeps every one. A repository or a
// user that comes again on a page is decoded once and its strings are held
// once, so a kept run costs its own structs and its own URLs.
func TestKeptRunsMemory(t *testing.T) {
	perRun := keptPerRun(t, 10)
	t.Logf("1,000 runs kept: %d bytes a run", perRun)
	assert.LessOrEqual(t, perRun, uint64(keptRunBudget), "a kept run holds more than its budget")
}

// keptRunBudget is what one kept run may hold: a third of what go-github v84
// holds per run, measured the same way (16.2 KB on Go 1.26, amd64).
const keptRunBudget = 5400

// keptPerRun lists pages of 100 seed runs, keeps them all, and returns the
// live heap they hold, per run.
func keptPerRun(t *testing.T, pages int) uint64 {
	t.Helper()
	const perPage = 100
	srv := runsServer(seedRun(t), pages, perPage)
	defer srv.Close()
	c, err := ghactions.NewClient(ghactions.WithBaseURL(srv.URL + "/api/v3/"))
	require.NoError(t, err)
	ctx := context.Background()
	// A first small page opens the connection, so that its buffers are in
	// the baseline rather than counted against the runs.
	_, _, err = c.Runs.ListPage(ctx, "octo-org", "octo-repo", &ghactions.ListOptions{PerPage: 1})
	require.NoError(t, err)

	kept := make([]*ghactions.WorkflowRun, 0, pages*perPage)
	var before, after heapProbe
	before.sample(true)
	for run, err := range c.Runs.List(ctx, "octo-org", "octo-repo", nil) {
		require.NoError(t, err)
		kept = append(kept, run)
	}
	after.sample(true)
	require.Len(t, kept, pages*perPage)
	runtime.KeepAlive(kept)
	return (after.peak - min(before.peak, after.peak)) / uint64(len(kept))
}

// TestLogsStreamsWithoutBuffering downloads a 200 MB archive and checks that
// the heap never grows anywhere near its size.
func TestLogsStreamsWithoutBuffering(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 200 MB")
	}
	const size = 200 << 20
	archive := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		_, _ = io.CopyN(w, patternReader{}, size)
	}))
	defer archive.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, archive.URL+"/logs.zip?sig=abc", http.StatusFound)
	}))
	defer api.Close()
	c, err := ghactions.NewClient(ghactions.WithBaseURL(api.URL+"/api/v3/"), ghactions.WithToken("t0k3n"))
	require.NoError(t, err)

	var probe heapProbe
	probe.sample(true)
	rc, _, err := c.Runs.Logs(context.Background(), "octo-org", "octo-repo", 1)
	require.NoError(t, err)
	defer rc.Close()
	w := &sampler{probe: &probe}
	n, err := io.Copy(w, rc)
	require.NoError(t, err)
	assert.Equal(t, int64(size), n)
	t.Logf("heap at its peak while streaming %d MB: %.1f MB", size>>20, mb(probe.peak))
	assert.Less(t, probe.peak, uint64(40<<20))
}

// sampler discards what it is given and samples the heap every 8 MB, without
// forcing a collection: garbage counts, as it would in a real program.
type sampler struct {
	probe *heapProbe
	n     int64
}

func (s *sampler) Write(p []byte) (int, error) {
	before := s.n
	s.n += int64(len(p))
	if s.n>>23 != before>>23 {
		s.probe.sample(false)
	}
	return len(p), nil
}

type patternReader struct{}

func (patternReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i)
	}
	return len(p), nil
}

// runsServer serves pages of perPage runs, each a copy of run with its own
// ID, linked by Link headers.
func runsServer(run []byte, pages, perPage int) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		n := perPage
		if pp, _ := strconv.Atoi(r.URL.Query().Get("per_page")); pp > 0 && pp < n {
			n = pp
		}
		if page < pages {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?per_page=%d&page=%d>; rel="next"`, srv.URL, r.URL.Path, n, page+1))
		}
		fmt.Fprintf(w, `{"total_count":%d,"workflow_runs":[`, pages*perPage)
		for i := range n {
			if i > 0 {
				io.WriteString(w, ",")
			}
			id := strconv.Itoa((page-1)*perPage + i + 1)
			w.Write(bytes.ReplaceAll(run, []byte("30433642"), []byte(id)))
		}
		io.WriteString(w, "]}")
	}))
	return srv
}

func seedRun(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/list_runs.json")
	require.NoError(t, err)
	var page struct {
		WorkflowRuns []json.RawMessage `json:"workflow_runs"`
	}
	require.NoError(t, json.Unmarshal(raw, &page))
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, page.WorkflowRuns[0]))
	return b.Bytes()
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
