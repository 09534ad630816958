package ghactions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// The API pages its lists the same way everywhere: a page is an object with
// the total count and the page's items under a key of the list's own,
// {"total_count": n, "workflow_runs": [...]}, and the Link header names the
// next page. One decoder and one walk serve every such list; a list is its
// item type and its key.

// runsKey is the key of the runs in a page of workflow runs.
const runsKey = "workflow_runs"

// maxPerPage is the most items the API puts on a page.
const maxPerPage = 100

// errTooManyItems is a page with more items than its per_page: a broken or
// hostile server, which could otherwise fill memory with empty items.
var errTooManyItems = errors.New("the page holds more items than its per_page")

// page is one page of a list.
type page[T any] struct {
	total int
	items []*T // never a nil item
}

// pageLimit is the most items the page that u asks for may hold: its
// per_page, or the API's maximum when it has none, or one the API would not
// take.
func pageLimit(u *url.URL) int {
	n, err := strconv.Atoi(u.Query().Get("per_page"))
	if err != nil || n < 1 || n > maxPerPage {
		return maxPerPage
	}
	return n
}

// fetchPage fetches the page r asks for.
func fetchPage[T any](ctx context.Context, c *Client, r *request, key string) (page[T], *Response, error) {
	limit := pageLimit(r.url)
	var p page[T]
	r.decode = func(body io.Reader) (err error) {
		p, err = decodePage[T](body, key, limit)
		return err
	}
	resp, err := c.send(ctx, r)
	if err != nil {
		return page[T]{}, resp, err
	}
	return p, resp, nil
}

// walkPages yields the items of the page r asks for and of the pages after
// it, one page fetched at a time and only when the loop reaches it. It stops
// at the last page (no Link next), at an empty page, when yield returns
// false, or at the first error, which it yields once with a nil item. A Link
// next must stay on the API's origin, and must not lead back to a page
// already fetched. It reports whether it reached the end of the list, so
// that a caller can go on with another walk.
func walkPages[T any](ctx context.Context, c *Client, r *request, key string, yield func(*T, error) bool) bool {
	fail := func(err error) bool {
		yield(nil, r.sent.scrub(err))
		return false
	}
	seen := map[string]bool{}
	for {
		seen[pageKey(r.url)] = true
		p, resp, err := fetchPage[T](ctx, c, r, key)
		if err != nil {
			return fail(err)
		}
		for _, item := range p.items {
			if !yield(item, nil) {
				return false
			}
		}
		next := resp.Links["next"]
		if next == nil || len(p.items) == 0 {
			return true
		}
		if err := c.checkNext(next); err != nil {
			return fail(fmt.Errorf("ghactions: GET %s: %w", r.url.Path, err))
		}
		if seen[pageKey(next)] {
			return fail(fmt.Errorf("ghactions: GET %s: the next-page link leads back to a page already fetched", next.Path))
		}
		r = r.follow(next)
	}
}

// checkNext accepts a next-page URL only on the API's origin: a page from
// elsewhere is not the API's answer.
func (c *Client) checkNext(next *url.URL) error {
	if err := checkDowngrade(c.baseURL, next); err != nil {
		return fmt.Errorf("the next-page link: %w", err)
	}
	if !c.isAPIOrigin(next) {
		return fmt.Errorf("the next-page link %s is not on the API's origin", next.Redacted())
	}
	return nil
}

// pageKey identifies a page's URL whatever the order of its query.
func pageKey(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.EscapedPath() + "?" + u.Query().Encode()
}

// decodePage reads one page: a JSON object whose key holds an array of
// items. It decodes the items one at a time as they stream in, skips null
// ones, and fails at entry limit+1 without reading further, so that a page
// of a million empty objects costs no more than a page of limit. A null
// page, a null list or no list is a page without items.
func decodePage[T any](r io.Reader, key string, limit int) (page[T], error) {
	lr := &limitedReader{r: r, n: maxBody}
	// One intern table for the whole page: a repository or user met again
	// on the page is decoded once, and each item gets its own copy.
	d := jsontext.NewDecoder(lr, decodeOptions, newInternTable().options())
	p, err := readPage[T](d, key, limit)
	switch {
	case lr.n < 0:
		return page[T]{}, errBodyTooLarge
	case err == io.EOF:
		return page[T]{}, io.ErrUnexpectedEOF
	case err != nil:
		return page[T]{}, err
	}
	return p, nil
}

func readPage[T any](d *jsontext.Decoder, key string, limit int) (page[T], error) {
	var p page[T]
	switch d.PeekKind() {
	case 'n':
		if _, err := d.ReadToken(); err != nil {
			return p, err
		}
		return p, readEnd(d)
	case '{':
	case 0:
		_, err := d.ReadToken()
		return p, err
	default:
		return p, fmt.Errorf("the page is a JSON %s, not an object", kindName(d.PeekKind()))
	}
	if _, err := d.ReadToken(); err != nil {
		return p, err
	}
	for d.PeekKind() != '}' {
		name, err := d.ReadToken()
		if err != nil {
			return p, err
		}
		switch name.String() {
		case "total_count":
			err = json.UnmarshalDecode(d, &p.total)
		case key:
			p.items, err = readItems[T](d, key, limit)
		default:
			err = d.SkipValue()
		}
		if err != nil {
			return p, err
		}
	}
	if _, err := d.ReadToken(); err != nil {
		return p, err
	}
	return p, readEnd(d)
}

// readItems reads the array of a page's items.
func readItems[T any](d *jsontext.Decoder, key string, limit int) ([]*T, error) {
	switch k := d.PeekKind(); k {
	case 'n':
		_, err := d.ReadToken()
		return nil, err
	case '[':
	case 0:
		_, err := d.ReadToken()
		return nil, err
	default:
		return nil, fmt.Errorf("%q is a JSON %s, not an array", key, kindName(k))
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	items := make([]*T, 0, limit)
	for entries := 0; ; entries++ {
		k := d.PeekKind()
		if k == ']' {
			break
		}
		if k == 0 { // a syntax or read error, which ReadToken reports
			_, err := d.ReadToken()
			return nil, err
		}
		if entries == limit {
			return nil, fmt.Errorf("%w (%d)", errTooManyItems, limit)
		}
		if k == 'n' {
			if _, err := d.ReadToken(); err != nil {
				return nil, err
			}
			continue
		}
		item := new(T)
		if err := json.UnmarshalDecode(d, item); err != nil {
			return nil, err
		}
		if run, ok := any(item).(*WorkflowRun); ok {
			shareRunURL(run)
		}
		items = append(items, item)
	}
	if _, err := d.ReadToken(); err != nil {
		return nil, err
	}
	return items, nil
}

// readEnd checks that nothing but white space follows the page.
func readEnd(d *jsontext.Decoder) error {
	switch _, err := d.ReadToken(); err {
	case io.EOF:
		return nil
	case nil:
		return errors.New("data after the page")
	default:
		return err
	}
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	case '[':
		return "array"
	case '{':
		return "object"
	}
	return "value"
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

// pageOf gives the page number of a Link URL; 0 when it has none.
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
