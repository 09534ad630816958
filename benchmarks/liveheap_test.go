package benchmarks

import (
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestLiveHeapCountsWhatIsKept checks the referee's scale: liveHeap counts
// what is kept, and neither garbage nor what waits in a sync.Pool.
func TestLiveHeapCountsWhatIsKept(t *testing.T) {
	const n, size = 100, 8192 // a size class of its own: no rounding up
	var pool sync.Pool
	before := liveHeap()
	kept, garbage := make([][]byte, n), make([][]byte, n) // garbage dies with the loop
	for i := range kept {
		kept[i], garbage[i] = make([]byte, size), make([]byte, size)
	}
	pooled := make([]byte, 1<<20)
	pool.Put(&pooled)
	grown := int64(liveHeap()) - int64(before)
	runtime.KeepAlive(kept)
	runtime.KeepAlive(&pool)
	assert.GreaterOrEqual(t, grown, int64(n*size))
	assert.Less(t, grown, int64(n*size+16<<10))
}
