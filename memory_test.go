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
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		if page < pages {
			w.Header().Set("Link", fmt.Sprintf(`<%s%s?per_page=%d&page=%d>; rel="next"`, srv.URL, r.URL.Path, perPage, page+1))
		}
		fmt.Fprintf(w, `{"total_count":%d,"workflow_runs":[`, pages*perPage)
		for i := range perPage {
			if i > 0 {
				io.WriteString(w, ",")
			}
			id := strconv.Itoa((page-1)*perPage + i + 1)
			w.Write(bytes.ReplaceAll(run, []byte("30433642"), []byte(id)))
		}
		io.WriteString(w, "]}")
	}))
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
	page := perPage * perRun(t, run)
	t.Logf("live heap above the start, at its peak: %.1f MB; one page of runs is about %.1f MB, all 20,000 runs about %.0f MB",
		mb(held), mb(page), mb(pages*page))
	assert.Less(t, held, 3*page, "the iterator keeps more than about one page alive")
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

// perRun estimates the heap one decoded run takes.
func perRun(t *testing.T, run []byte) uint64 {
	t.Helper()
	var probe heapProbe
	probe.sample(true)
	before := probe.peak
	runs := make([]*ghactions.WorkflowRun, 100)
	for i := range runs {
		runs[i] = new(ghactions.WorkflowRun)
		require.NoError(t, json.Unmarshal(run, runs[i]))
	}
	probe.sample(true)
	runtime.KeepAlive(runs)
	return (probe.peak - min(before, probe.peak)) / 100
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
