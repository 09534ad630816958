package ghactions

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLinks(t *testing.T) {
	base, err := url.Parse("https://api.github.com/repos/o/r/actions/runs?page=2")
	require.NoError(t, err)

	for _, tc := range []struct {
		name   string
		values []string
		want   map[string]string // rel -> absolute URL; nil = no links
	}{
		{
			name:   "GitHub's four relations",
			values: []string{`<https://api.github.com/repositories/1/actions/runs?page=3>; rel="next", <https://api.github.com/repositories/1/actions/runs?page=9>; rel="last", <https://api.github.com/repositories/1/actions/runs?page=1>; rel="first", <https://api.github.com/repositories/1/actions/runs?page=1>; rel="prev"`},
			want: map[string]string{
				"next":  "https://api.github.com/repositories/1/actions/runs?page=3",
				"last":  "https://api.github.com/repositories/1/actions/runs?page=9",
				"first": "https://api.github.com/repositories/1/actions/runs?page=1",
				"prev":  "https://api.github.com/repositories/1/actions/runs?page=1",
			},
		},
		{
			name:   "several Link headers",
			values: []string{`<https://x.test/a?page=2>; rel="next"`, `<https://x.test/a?page=5>; rel="last"`},
			want:   map[string]string{"next": "https://x.test/a?page=2", "last": "https://x.test/a?page=5"},
		},
		{
			name:   "relative URLs resolved against the request",
			values: []string{`</repos/o/r/actions/runs?page=3>; rel="next", <?page=1>; rel="prev", <runs?page=9>; rel="last"`},
			want: map[string]string{
				"next": "https://api.github.com/repos/o/r/actions/runs?page=3",
				"prev": "https://api.github.com/repos/o/r/actions/runs?page=1",
				"last": "https://api.github.com/repos/o/r/actions/runs?page=9",
			},
		},
		{
			name:   "quoted rel with several names",
			values: []string{`<https://x.test/a?page=1>; rel="first prev"`},
			want:   map[string]string{"first": "https://x.test/a?page=1", "prev": "https://x.test/a?page=1"},
		},
		{
			name:   "unquoted rel, odd spacing and case",
			values: []string{`  <https://x.test/a?page=2> ;REL=Next ,<https://x.test/a?page=4>;rel=last`},
			want:   map[string]string{"next": "https://x.test/a?page=2", "last": "https://x.test/a?page=4"},
		},
		{
			name:   "other parameters around rel, with commas and semicolons in quotes",
			values: []string{`<https://x.test/a?page=2>; title="page, two; really"; rel="next"; type="application/json", <https://x.test/a?page=3>; rel="last"`},
			want:   map[string]string{"next": "https://x.test/a?page=2", "last": "https://x.test/a?page=3"},
		},
		{
			name:   "escaped quote inside a quoted rel",
			values: []string{`<https://x.test/a?page=2>; rel="n\"ext next"`},
			want:   map[string]string{`n"ext`: "https://x.test/a?page=2", "next": "https://x.test/a?page=2"},
		},
		{
			name:   "the first link of a relation wins",
			values: []string{`<https://x.test/a?page=2>; rel="next", <https://x.test/a?page=7>; rel="next"`},
			want:   map[string]string{"next": "https://x.test/a?page=2"},
		},
		{
			name: "malformed entries skipped",
			values: []string{
				`https://x.test/no-brackets?page=8; rel="prev", <https://x.test/a?page=2>; rel="next"`,
				`<https://x.test/no-rel?page=3>; title="x", <https://x.test/a?page=4>; rel="last"`,
				`<http://[::1/bad-url>; rel="first"`,
				`<https://x.test/a?page=1>; garbage rel="prev"`,
			},
			want: map[string]string{"next": "https://x.test/a?page=2", "last": "https://x.test/a?page=4"},
		},
		{
			name:   "unterminated URL ends the header",
			values: []string{`<https://x.test/a?page=2>; rel="next", <https://x.test/a?page=3; rel="last"`},
			want:   map[string]string{"next": "https://x.test/a?page=2"},
		},
		{
			name:   "empty and blank headers",
			values: []string{"", " , ,"},
		},
		{
			name: "no header",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			links := parseLinks(tc.values, base)
			if tc.want == nil {
				assert.Empty(t, links)
				return
			}
			got := make(map[string]string, len(links))
			for rel, u := range links {
				require.True(t, u.IsAbs(), "%s: %s is not absolute", rel, u)
				got[rel] = u.String()
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestResponsePages(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "https://api.github.com/repos/o/r/actions/runs?per_page=10&page=4", nil)
	for _, tc := range []struct {
		name                    string
		link                    []string
		next, prev, first, last int
	}{
		{"middle page", []string{`<https://api.github.com/x?per_page=10&page=5>; rel="next", <https://api.github.com/x?per_page=10&page=12>; rel="last", <https://api.github.com/x?per_page=10&page=1>; rel="first", <https://api.github.com/x?per_page=10&page=3>; rel="prev"`}, 5, 3, 1, 12},
		{"first page", []string{`<?page=2>; rel="next", <?page=12>; rel="last"`}, 2, 0, 0, 12},
		{"last page", []string{`<?page=11>; rel="prev"`, `<?page=1>; rel="first"`}, 0, 11, 1, 0},
		{"cursor paging gives no page numbers", []string{`<https://api.github.com/x?after=Y3Vyc29y>; rel="next"`}, 0, 0, 0, 0},
		{"bad page numbers", []string{`<?page=x>; rel="next", <?page=-3>; rel="last"`}, 0, 0, 0, 0},
		{"no Link header", nil, 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hr := &http.Response{StatusCode: 200, Header: http.Header{}, Request: req}
			for _, l := range tc.link {
				hr.Header.Add("Link", l)
			}
			r := newResponse(hr)
			assert.Equal(t, tc.next, r.NextPage, "next")
			assert.Equal(t, tc.prev, r.PrevPage, "prev")
			assert.Equal(t, tc.first, r.FirstPage, "first")
			assert.Equal(t, tc.last, r.LastPage, "last")
			if tc.link == nil {
				assert.Nil(t, r.Links)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header map[string]string
		want   Rate
		found  bool
	}{
		{
			name: "every header",
			header: map[string]string{
				"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4987", "X-RateLimit-Used": "13",
				"X-RateLimit-Reset": "1700000000", "X-RateLimit-Resource": "core",
			},
			want:  Rate{Limit: 5000, Remaining: 4987, Used: 13, Reset: time.Unix(1700000000, 0), Resource: "core"},
			found: true,
		},
		{
			name:   "lower-case names as HTTP/2 sends them",
			header: map[string]string{"x-ratelimit-limit": "60", "x-ratelimit-remaining": "0", "x-ratelimit-resource": "search"},
			want:   Rate{Limit: 60, Remaining: 0, Resource: "search"},
			found:  true,
		},
		{
			name:   "malformed figures stay zero",
			header: map[string]string{"X-RateLimit-Limit": "lots", "X-RateLimit-Remaining": "-1", "X-RateLimit-Used": " 7 ", "X-RateLimit-Reset": "soon"},
			want:   Rate{Used: 7},
			found:  true,
		},
		{
			name:   "huge figures do not overflow",
			header: map[string]string{"X-RateLimit-Limit": "99999999999999", "X-RateLimit-Reset": "99999999999999999"},
			want:   Rate{Limit: 1<<31 - 1},
			found:  true,
		},
		{
			name:  "no headers",
			found: false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			got, found := parseRate(h)
			assert.Equal(t, tc.found, found)
			assert.Equal(t, tc.want.Limit, got.Limit, "limit")
			assert.Equal(t, tc.want.Remaining, got.Remaining, "remaining")
			assert.Equal(t, tc.want.Used, got.Used, "used")
			assert.Equal(t, tc.want.Resource, got.Resource, "resource")
			assert.True(t, tc.want.Reset.Equal(got.Reset), "reset: got %v, want %v", got.Reset, tc.want.Reset)
		})
	}
}

func TestClientRateHoldsLatestFigures(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		switch i {
		case 1, 2:
			w.Header().Set("X-RateLimit-Limit", "5000")
			w.Header().Set("X-RateLimit-Remaining", strconv.FormatInt(5000-i, 10))
			w.Header().Set("X-RateLimit-Used", strconv.FormatInt(i, 10))
			w.Header().Set("X-RateLimit-Reset", "1700000000")
			w.Header().Set("X-RateLimit-Resource", "core")
		case 4:
			w.Header().Set("X-RateLimit-Limit", "1000")
			w.Header().Set("X-RateLimit-Remaining", "999")
			w.Header().Set("X-RateLimit-Used", "1")
			w.Header().Set("X-RateLimit-Reset", "1700003600")
			w.Header().Set("X-RateLimit-Resource", "actions")
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL+"/api/v3/"), WithRetryPolicy(RetryPolicy{}), WithWritePacing(0))
	require.NoError(t, err)
	ctx := context.Background()

	assert.Equal(t, Rate{}, c.Rate(), "zero before the first answer")

	resp, err := c.Runs.Delete(ctx, "o", "r", 1)
	require.NoError(t, err)
	assert.Equal(t, Rate{Limit: 5000, Remaining: 4999, Used: 1, Reset: time.Unix(1700000000, 0), Resource: "core"}, resp.Rate)
	assert.Equal(t, resp.Rate, c.Rate())

	resp, err = c.Runs.Delete(ctx, "o", "r", 1)
	require.NoError(t, err)
	assert.Equal(t, 4998, resp.Rate.Remaining)
	assert.Equal(t, 2, c.Rate().Used, "the latest figures")
	assert.Equal(t, 4998, c.Rate().Remaining)

	// An answer without the headers leaves the figures as they were.
	resp, err = c.Runs.Delete(ctx, "o", "r", 1)
	require.NoError(t, err)
	assert.Equal(t, Rate{}, resp.Rate)
	assert.Equal(t, 4998, c.Rate().Remaining)

	// An error answer counts too.
	_, err = c.Runs.Delete(ctx, "o", "r", 1)
	require.ErrorIs(t, err, ErrNotFound)
	assert.Equal(t, Rate{Limit: 1000, Remaining: 999, Used: 1, Reset: time.Unix(1700003600, 0), Resource: "actions"}, c.Rate())
}
