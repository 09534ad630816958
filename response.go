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

func pageOf(u *url.URL) int {
	if u == nil {
		return 0
	}
	n, err := strconv.Atoi(u.Query().Get("page"))
	if err != nil || n < 0 {
		return 0
	}
	return n
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

// parseLinks reads RFC 8288 Link header values into a map from relation to
// URL, resolved against base. A value may hold several links and a relation
// several space-separated names; the first link for a relation wins.
// Malformed links are skipped, so that one bad entry does not hide the rest.
func parseLinks(values []string, base *url.URL) map[string]*url.URL {
	var links map[string]*url.URL
	for _, v := range values {
		for v != "" {
			v = strings.TrimLeft(v, " \t,")
			if v == "" {
				break
			}
			if v[0] != '<' {
				v = skipPast(v, ',')
				continue
			}
			end := strings.IndexByte(v, '>')
			if end < 0 {
				break
			}
			target := strings.TrimSpace(v[1:end])
			var rels []string
			rels, v = parseLinkParams(v[end+1:])
			if len(rels) == 0 {
				continue
			}
			u, err := url.Parse(target)
			if err != nil {
				continue
			}
			if base != nil {
				u = base.ResolveReference(u)
			}
			for _, rel := range rels {
				rel = strings.ToLower(rel)
				if links == nil {
					links = make(map[string]*url.URL, 4)
				}
				if _, dup := links[rel]; !dup {
					links[rel] = u
				}
			}
		}
	}
	return links
}

// parseLinkParams reads the ";name=value" parameters of one link, up to the
// comma that ends it, and returns the rel names and the rest of the header.
func parseLinkParams(s string) (rels []string, rest string) {
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return rels, ""
		}
		if s[0] == ',' {
			return rels, s[1:]
		}
		if s[0] != ';' {
			return nil, skipPast(s, ',')
		}
		s = strings.TrimLeft(s[1:], " \t")
		i := strings.IndexAny(s, "=;,")
		if i < 0 {
			return rels, ""
		}
		name := strings.ToLower(strings.TrimSpace(s[:i]))
		if s[i] != '=' {
			s = s[i:]
			continue
		}
		var value string
		value, s = parseParamValue(strings.TrimLeft(s[i+1:], " \t"))
		if name == "rel" && rels == nil {
			rels = strings.Fields(value)
		}
	}
}

// parseParamValue reads a token or a quoted string (with backslash escapes).
func parseParamValue(s string) (value, rest string) {
	if s == "" || s[0] != '"' {
		i := strings.IndexAny(s, ";,")
		if i < 0 {
			return strings.TrimSpace(s), ""
		}
		return strings.TrimSpace(s[:i]), s[i:]
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), "" // unterminated: take what there is
}

func skipPast(s string, c byte) string {
	if i := strings.IndexByte(s, c); i >= 0 {
		return s[i+1:]
	}
	return ""
}
