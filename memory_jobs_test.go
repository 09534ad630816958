//go:build !race

package ghactions_test

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// heapWatch samples the live heap every few milliseconds until stopped, and
// keeps the largest figure.
type heapWatch struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

func watchHeap() *heapWatch {
	w := &heapWatch{stop: make(chan struct{})}
	w.done.Add(1)
	go func() {
		defer w.done.Done()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			w.peak = max(w.peak, ms.HeapAlloc)
			select {
			case <-w.stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return w
}

func (w *heapWatch) end() uint64 {
	close(w.stop)
	w.done.Wait()
	return w.peak
}

// TestFailedStepTailKeepsMemoryFlat reads the last 20 lines of a failed
// step whose log is 200 MB, in an archive without step files, so that the
// step is picked out of the job's log by its times: the heap stays near
// where it was, far from the log's size.
func TestFailedStepTailKeepsMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads a 200 MB log")
	}
	const logSize = 200 << 20
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	job := ghactions.Job{ID: 1, Name: "test: unit / linux", Status: ghactions.StatusCompleted, Conclusion: ghactions.ConclusionFailure,
		CreatedAt: t0, StartedAt: t0, CompletedAt: t0.Add(time.Hour), Steps: []ghactions.Step{
			{Number: 1, Name: "Set up job", Status: ghactions.StatusCompleted, Conclusion: ghactions.ConclusionSuccess, StartedAt: t0, CompletedAt: t0.Add(time.Second)},
			{Number: 2, Name: "Run go test ./...", Status: ghactions.StatusCompleted, Conclusion: ghactions.ConclusionFailure, StartedAt: t0.Add(time.Second), CompletedAt: t0.Add(59 * time.Minute)},
			{Number: 3, Name: "Complete job", Status: ghactions.StatusCompleted, Conclusion: ghactions.ConclusionSuccess, StartedAt: t0.Add(59 * time.Minute), CompletedAt: t0.Add(time.Hour)},
		}}

	// The archive, written to disk as it is made: 200 MB of log, deflated.
	path := filepath.Join(t.TempDir(), "logs.zip")
	f, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	w, err := zw.Create("1_test unit  linux.txt")
	require.NoError(t, err)
	bw := bufio.NewWriter(w)
	stamp := func(d time.Duration) string { return t0.Add(d).Format("2006-01-02T15:04:05.0000000Z") }
	fmt.Fprintf(bw, "\uFEFF%s Current runner version: '2.321.0'\n%s ##[group]Run go test ./...\n", stamp(0), stamp(time.Second))
	line := 0
	for written := 0; written < logSize; line++ {
		n, _ := fmt.Fprintf(bw, "%s === RUN   TestCase%d/subtest_with_a_long_name_%d\n", stamp(2*time.Second+time.Duration(line)*time.Millisecond), line, line%97)
		written += n
	}
	fmt.Fprintf(bw, "%s ##[error]Process completed with exit code 1.\n%s Cleaning up orphan processes\n", stamp(58*time.Minute), stamp(59*time.Minute+time.Second))
	require.NoError(t, bw.Flush())
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	info, err := os.Stat(path)
	require.NoError(t, err)

	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/jobs"):
			body, _ := json.Marshal(ghactions.JobsPage{TotalCount: 1, Jobs: []*ghactions.Job{&job}})
			answer(w, http.StatusOK, body)
		case strings.HasSuffix(r.URL.Path, "/logs"):
			http.Redirect(w, r, "/storage/logs.zip", http.StatusFound)
		default:
			http.ServeFile(w, r, path)
		}
	})
	c := newClient(t, srv)
	ctx := context.Background()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	watch := watchHeap()
	failed, err := c.Runs.FailedSteps(ctx, testOwner, testRepo, 1, nil)
	require.NoError(t, err)
	defer failed.Close()
	require.Len(t, failed.Steps, 1)
	require.True(t, failed.Steps[0].Log.StepsFromMarkers || failed.Steps[0].StepLog == nil)
	tail, err := failed.Steps[0].Tail(ctx, 20)
	peak := watch.end()
	require.NoError(t, err)
	require.Len(t, tail, 20)
	assert.Equal(t, "##[error]Process completed with exit code 1.", tail[19].Text)
	assert.Equal(t, fmt.Sprintf("=== RUN   TestCase%d/subtest_with_a_long_name_%d", line-1, (line-1)%97), tail[18].Text)

	held := peak - min(base, peak)
	t.Logf("a %d MB step log (%d lines; the archive is %.1f MB): heap at its peak %.1f MB above the start while downloading and reading its last 20 lines",
		logSize>>20, line, float64(info.Size())/(1<<20), float64(held)/(1<<20))
	assert.Less(t, held, uint64(16<<20), "the heap grows with the log")
}
