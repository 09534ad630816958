package ghactions

import (
	"errors"
	"io"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endless is a page whose list of runs never ends: its reader fails the
// test's expectations by running dry only after far more than a page.
type endless struct {
	head    string
	item    string
	read    int64
	budget  int64
	pending string
}

var errReadTooFar = errors.New("read far past the first items")

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= e.budget {
		return 0, errReadTooFar
	}
	n := 0
	for n < len(p) {
		if e.pending == "" {
			if e.head != "" {
				e.pending, e.head = e.head, ""
			} else {
				e.pending = e.item
			}
		}
		c := copy(p[n:], e.pending)
		e.pending = e.pending[c:]
		n += c
	}
	e.read += int64(n)
	return n, nil
}

// The cap is found while decoding: the decoder stops at item max+1 instead
// of reading the whole answer first.
func TestDecodePageStopsAtItemMaxPlusOne(t *testing.T) {
	for _, max := range []int{1, 2, 30, 100} {
		r := &endless{head: `{"total_count":5,"workflow_runs":[`, item: `{"id":1,"name":"x"},`, budget: 8 << 20}
		_, err := decodePage[WorkflowRun](r, runsKey, max)
		require.ErrorIs(t, err, errTooManyItems)
		assert.Less(t, r.read, int64(256<<10), "max %d: bytes read", max)
	}
}

func TestDecodePage(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    string
		max     int
		total   int
		ids     []int64
		wantErr string
	}{
		{name: "a page", body: `{"total_count":3,"workflow_runs":[{"id":1},{"id":2}]}`, max: 2, total: 3, ids: []int64{1, 2}},
		{name: "total_count last, other keys skipped", body: `{"x":[{"y":null}],"workflow_runs":[{"id":1}],"jobs":[1],"total_count":9}`, max: 2, total: 9, ids: []int64{1}},
		{name: "nulls skipped", body: `{"workflow_runs":[null,{"id":1},null]}`, max: 3, ids: []int64{1}},
		{name: "nulls count toward the cap", body: `{"workflow_runs":[null,{"id":1},null]}`, max: 2, wantErr: "per_page"},
		{name: "null list", body: `{"total_count":0,"workflow_runs":null}`, max: 2},
		{name: "null page", body: ` null `, max: 2},
		{name: "the last of duplicate lists wins", body: `{"workflow_runs":[{"id":1}],"workflow_runs":[{"id":2}]}`, max: 2, ids: []int64{2}},
		{name: "empty body", body: ``, max: 2, wantErr: "EOF"},
		{name: "an array", body: `[{"id":1}]`, max: 2, wantErr: "array"},
		{name: "list is an object", body: `{"workflow_runs":{"id":1}}`, max: 2, wantErr: "workflow_runs"},
		{name: "a run of the wrong type", body: `{"workflow_runs":[{"id":"one"}]}`, max: 2, wantErr: "id"},
		{name: "a run that is a number", body: `{"workflow_runs":[7]}`, max: 2, wantErr: "number"},
		{name: "total_count of the wrong type", body: `{"total_count":"x","workflow_runs":[]}`, max: 2, wantErr: "total_count"},
		{name: "truncated", body: `{"total_count":1,"workflow_runs":[{"id":1}`, max: 2, wantErr: "EOF"},
		{name: "data after the page", body: `{"workflow_runs":[]} {}`, max: 2, wantErr: "after"},
		{name: "garbage after the page", body: `{"workflow_runs":[]} x`, max: 2, wantErr: "invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := decodePage[WorkflowRun](strings.NewReader(tc.body), runsKey, tc.max)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.total, p.total)
			var ids []int64
			for _, run := range p.items {
				require.NotNil(t, run)
				ids = append(ids, run.ID)
			}
			assert.Equal(t, tc.ids, ids)
		})
	}
}

func TestPageLimit(t *testing.T) {
	for raw, want := range map[string]int{
		"https://api.github.com/x":                        100,
		"https://api.github.com/x?per_page=30":            30,
		"https://api.github.com/x?per_page=1":             1,
		"https://api.github.com/x?per_page=100":           100,
		"https://api.github.com/x?per_page=101":           100,
		"https://api.github.com/x?per_page=0":             100,
		"https://api.github.com/x?per_page=-5":            100,
		"https://api.github.com/x?per_page=ten":           100,
		"https://api.github.com/x?per_page=2&per_page=50": 2,
	} {
		u, err := url.Parse(raw)
		require.NoError(t, err)
		assert.Equal(t, want, pageLimit(u), raw)
	}
}

// A body of runs is read through io.Reader by the decoder: a reader error
// reaches the caller as is, for the retry loop to see.
func TestDecodePageReaderError(t *testing.T) {
	r := io.MultiReader(strings.NewReader(`{"workflow_runs":[{"id":1},`), &failingReader{io.ErrUnexpectedEOF})
	_, err := decodePage[WorkflowRun](r, runsKey, 100)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

type failingReader struct{ err error }

func (f *failingReader) Read([]byte) (int, error) { return 0, f.err }
