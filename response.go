package ghactions

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Response is the API's answer to a call, with what its headers say about
// pagination and the rate limit. Its body has already been read and closed,
// except where a method says otherwise (Logs).
type Response struct {
	*http.Response

	// NextPage, PrevPage, FirstPage and LastPage are the page numbers of the
	// Link header's relations; 0 means the relation is absent (or its URL
	// pages by something other than a page number).
	NextPage, PrevPage, FirstPage, LastPage int

	// Links holds every relation of the Link headers ("next", "last", ...),
	// resolved to absolute URLs. It is nil when the answer has no Link header.
	Links map[string]*url.URL

	// Rate is what the x-ratelimit-* headers said; zero when they are absent.
	Rate Rate
}

// Rate is the state of a rate-limit bucket, from the x-ratelimit-* headers.
type Rate struct {
	Limit, Remaining, Used int
	Reset                  time.Time // when the window resets; zero when not sent
	Resource               string    // the bucket: "core", "search", ...
}

func newResponse(hr *http.Response) *Response {
	r := &Response{Response: hr}
	r.Rate, _ = parseRate(hr.Header)
	base := (*url.URL)(nil)
	if hr.Request != nil {
		base = hr.Request.URL
	}
	r.Links = parseLinks(hr.Header.Values("Link"), base)
	r.NextPage = pageOf(r.Links["next"])
	r.PrevPage = pageOf(r.Links["prev"])
	r.FirstPage = pageOf(r.Links["first"])
	r.LastPage = pageOf(r.Links["last"])
	return r
}

// parseRate reads the x-ratelimit-* headers. It reports false when none is
// present. A malformed value leaves its field zero rather than failing the
// call: the figures are advice, the answer itself is what matters.
func parseRate(h http.Header) (Rate, bool) {
	var r Rate
	found := false
	num := func(name string) int64 {
		v := h.Get(name)
		if v == "" {
			return 0
		}
		found = true
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 0 {
			return 0
		}
		return n
	}
	r.Limit = int(min(num("X-RateLimit-Limit"), 1<<31-1))
	r.Remaining = int(min(num("X-RateLimit-Remaining"), 1<<31-1))
	r.Used = int(min(num("X-RateLimit-Used"), 1<<31-1))
	if reset := num("X-RateLimit-Reset"); reset > 0 && reset < 1<<40 {
		r.Reset = time.Unix(reset, 0)
	}
	if res := h.Get("X-RateLimit-Resource"); res != "" {
		found = true
		r.Resource = res
	}
	return r, found
}
