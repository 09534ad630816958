package ghactions_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
	"github.com/seed42f0b14b/ghactions/internal/searchdate"
)

// capStart is when the newest run of a made-up history was created.
var capStart = time.Date(2024, 3, 5, 10, 11, 12, 0, time.UTC)

// listBound is the most requests List may spend on n runs with 100 a page.
func listBound(n int) int {
	return (n+99)/100 + (n+999)/1000 + 2
}

// capServer is a light server of a list of runs that keeps GitHub's rules
// for the filters: it honours created (when honoursCreated), caps a
// filtered list at 1,000 runs, lists newest first, the highest ID first
// within a second, and pages with Link. Its runs hold an ID and a creation
// time only, so that it lists thousands fast, under the race detector too.
type capServer struct {
	*server
	honoursCreated bool
	runs           []capRun // newest first

	mu      sync.Mutex
	created []string // the created parameter of each first page asked for
}

type capRun struct {
	id int64
	at time.Time
}

// newCapServer serves n runs, perSecond of them created in each second, the
// newest at capStart; their IDs grow with time.
func newCapServer(t *testing.T, n, perSecond int) *capServer {
	s := &capServer{honoursCreated: true}
	for i := range n {
		s.runs = append(s.runs, capRun{id: int64(1_000_000 - i), at: capStart.Add(-time.Duration(i/perSecond) * time.Second)})
	}
	s.server = newServer(t, s.serve)
	return s
}

func (s *capServer) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var in searchdate.Range
	if c := q.Get("created"); c != "" && s.honoursCreated {
		var err error
		if in, err = searchdate.Parse(c); err != nil {
			answer(w, 422, []byte(`{"message":"Validation Failed"}`))
			return
		}
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	if perPage < 1 {
		perPage = 30
	}
	if page == 1 {
		s.mu.Lock()
		s.created = append(s.created, q.Get("created"))
		s.mu.Unlock()
	}
	var match []capRun
	for _, run := range s.runs {
		if in.Contains(run.at) {
			match = append(match, run)
		}
	}
	filtered := q.Get("created") != "" || q.Get("branch") != "" || q.Get("status") != "" || q.Get("event") != ""
	if filtered && len(match) > 1000 {
		match = match[:1000]
	}
	start := min((page-1)*perPage, len(match))
	end := min(start+perPage, len(match))
	if end < len(match) {
		q.Set("page", strconv.Itoa(page+1))
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?%s>; rel="next"`, r.Host, r.URL.Path, q.Encode()))
	}
	items := make([]string, 0, end-start)
	for _, run := range match[start:end] {
		items = append(items, fmt.Sprintf(`{"id":%d,"created_at":%q}`, run.id, run.at.Format(time.RFC3339)))
	}
	answer(w, 200, []byte(fmt.Sprintf(`{"total_count":%d,"workflow_runs":[%s]}`, len(match), strings.Join(items, ","))))
}

func (s *capServer) ids(from, to int) []int64 {
	var ids []int64
	for _, run := range s.runs[from:to] {
		ids = append(ids, run.id)
	}
	return ids
}

func (s *capServer) ranges() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.created...)
}

// listIDs lists the runs opts select, and the error the list ended with.
func listIDs(c *ghactions.Client, opts *ghactions.ListOptions) ([]int64, error) {
	var ids []int64
	for run, err := range c.Runs.List(context.Background(), testOwner, testRepo, opts) {
		if err != nil {
			return ids, err
		}
		ids = append(ids, run.ID)
	}
	return ids, nil
}

// A filtered List goes past GitHub's 1,000-result cap: every run, newest
// first, none twice, within the request bound.
func TestListPastTheCapBound(t *testing.T) {
	tests := []struct {
		name         string
		runs, perSec int
		opts         ghactions.ListOptions
		bound        int
	}{
		{"1,100 runs", 1100, 1, ghactions.ListOptions{Branch: "main"}, listBound(1100)},
		{"1,000 runs", 1000, 1, ghactions.ListOptions{Branch: "main"}, listBound(1000)},
		{"999 runs", 999, 1, ghactions.ListOptions{Branch: "main"}, 10},
		{"5,000 runs", 5000, 1, ghactions.ListOptions{Status: ghactions.StatusCompleted}, 57},
		{"5,000 runs, 3 a second", 5000, 3, ghactions.ListOptions{Event: "push"}, 57},
		{"5,000 runs, 60 a second", 5000, 60, ghactions.ListOptions{Branch: "main"}, 57},
		{"2,500 runs, 90 a second", 2500, 90, ghactions.ListOptions{Branch: "main"}, listBound(2500)},
		{"2,500 runs, 30 a page", 2500, 7, ghactions.ListOptions{Branch: "main", PerPage: 30}, 2500/30 + 1 + 3 + 2},
		{"2,500 runs from page 3", 2500, 7, ghactions.ListOptions{Branch: "main", Page: 3}, listBound(2300)},
		{"from a page past the cap", 2500, 7, ghactions.ListOptions{Branch: "main", Page: 11}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCapServer(t, tt.runs, tt.perSec)
			c := newClient(t, srv.server)
			got, err := listIDs(c, &tt.opts)
			require.NoError(t, err)
			from := max(tt.opts.Page-1, 0) * 100
			want := srv.ids(min(from, tt.runs), tt.runs)
			if from >= 1000 {
				want = nil // GitHub gives nothing past its cap
			}
			require.Equal(t, want, got, "every run, newest first, once")
			t.Logf("%d runs in %d requests (bound %d)", len(got), srv.hits(), tt.bound)
			assert.LessOrEqual(t, srv.hits(), tt.bound)
		})
	}
}

// The created ranges that List narrows to keep the caller's bounds, to the
// second, in UTC.
func TestListPastTheCapCreatedRanges(t *testing.T) {
	at := func(i int) string {
		return capStart.Add(-time.Duration(i) * time.Second).Format("2006-01-02T15:04:05Z")
	}
	tests := []struct {
		name, created string
		from, to      int // of the runs, newest first
		ranges        []string
	}{
		{"none", "", 0, 2500, []string{"", "<=" + at(999), "<=" + at(1998)}},
		{"a lower bound", ">=" + at(2200), 0, 2201, []string{">=" + at(2200), at(2200) + ".." + at(999), at(2200) + ".." + at(1998)}},
		{"a strict lower bound", ">" + at(2200), 0, 2200, []string{">" + at(2200), at(2199) + ".." + at(999), at(2199) + ".." + at(1998)}},
		{"both bounds", at(2100) + ".." + at(100), 100, 2101, []string{at(2100) + ".." + at(100), at(2100) + ".." + at(1099), at(2100) + ".." + at(2098)}},
		{"an upper bound in another zone", "<" + capStart.Add(-50*time.Second).In(time.FixedZone("", 2*3600)).Format(time.RFC3339), 51, 2500,
			[]string{"<" + capStart.Add(-50*time.Second).In(time.FixedZone("", 2*3600)).Format(time.RFC3339), "<=" + at(1050), "<=" + at(2049)}},
		{"a day", capStart.Format("2006-01-02"), 0, 2500, []string{capStart.Format("2006-01-02"), "2024-03-05T00:00:00Z.." + at(999), "2024-03-05T00:00:00Z.." + at(1998)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCapServer(t, 2500, 1)
			c := newClient(t, srv.server)
			got, err := listIDs(c, &ghactions.ListOptions{Branch: "main", Created: tt.created})
			require.NoError(t, err)
			require.Equal(t, srv.ids(tt.from, tt.to), got)
			assert.Equal(t, tt.ranges, srv.ranges())
			for _, r := range srv.requests() {
				assert.Equal(t, "main", r.Query.Get("branch"), "the caller's other filters stay")
			}
		})
	}
}

// Stopping early fetches nothing more, at a stretch's end too.
func TestListPastTheCapStopsEarly(t *testing.T) {
	for _, stop := range []int{1, 999, 1000, 1001, 1099} {
		t.Run(strconv.Itoa(stop), func(t *testing.T) {
			srv := newCapServer(t, 1500, 1)
			c := newClient(t, srv.server)
			n := 0
			for _, err := range c.Runs.List(context.Background(), testOwner, testRepo, &ghactions.ListOptions{Branch: "main"}) {
				require.NoError(t, err)
				if n++; n == stop {
					break
				}
			}
			// The stretch after the first starts again at the second of
			// its 1,000th run.
			want := (stop + 99) / 100
			if stop > 1000 {
				want = 10 + (stop-1000+1+99)/100
			}
			assert.Equal(t, want, srv.hits())
		})
	}
}

// 1,000 runs or more created in one second cannot be told apart by
// created: List yields the runs it can reach, then ErrListCap, and stops.
func TestListPastTheCapTooManyInOneSecond(t *testing.T) {
	tests := []struct {
		name              string
		runs, perSec      int
		honoursCreated    bool
		yielded, requests int
	}{
		{"1,001 runs in one second", 1001, 1001, true, 1000, 20},
		{"1,000 runs in one second, then more", 1500, 1000, true, 1000, 20},
		{"a server that does not filter on created", 1500, 1, false, 1000 + 999, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCapServer(t, tt.runs, tt.perSec)
			srv.honoursCreated = tt.honoursCreated
			c := newClient(t, srv.server)
			got, err := listIDs(c, &ghactions.ListOptions{Event: "push"})
			require.ErrorIs(t, err, ghactions.ErrListCap)
			assert.Len(t, got, tt.yielded)
			assert.Equal(t, tt.requests, srv.hits(), "List went round")
		})
	}
}

// Without a filter that GitHub caps, List pages through as it always has.
func TestListUncappedDoesNotNarrow(t *testing.T) {
	srv := newCapServer(t, 1500, 1)
	c := newClient(t, srv.server)
	got, err := listIDs(c, &ghactions.ListOptions{Workflow: "ci.yml", ExcludePullRequests: true})
	require.NoError(t, err)
	require.Len(t, got, 1500)
	for _, r := range srv.requests() {
		assert.Empty(t, r.Query.Get("created"))
	}
	assert.Equal(t, 15, srv.hits())
}
