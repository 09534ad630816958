package ghactions

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Do sends one request to any REST endpoint through the same pipeline as
// every method of the client: base URL, token, headers, retries, rate
// limits, the pacing of writes (WithWritePacing), errors and token safety.
// It is for the endpoints this package does not wrap.
//
// method is an HTTP method ("GET", "post"; sent in capitals). path is
// relative to the base URL, with no leading slash, and may carry a query:
// "repos/o/r/actions/artifacts?per_page=10". body, when not nil, is sent as
// JSON, marshalled with encoding/json (a json.RawMessage is sent as it is).
// out, when not nil, must be a non-nil pointer; it receives a 2xx JSON
// answer, decoded as encoding/json would decode it. An answer without a
// body (a 204) leaves out as it is, and so does an error answer.
//
// An empty or malformed method, a path with a leading slash, an absolute URL
// (with a scheme or a //host), a path with "." or ".." segments, a
// backslash or a fragment, a body that does not marshal, or an out that is
// not a non-nil pointer gives an error wrapping ErrInvalidArgument, and
// nothing is sent. A non-2xx answer gives an *APIError (a *RateLimitError
// for a rate limit) that matches the sentinel of its status. The Response is
// the answer's, with its body read and closed; it is nil when nothing was
// answered.
func (c *Client) Do(ctx context.Context, method, path string, body, out any) (*Response, error) {
	m, err := checkMethod(method)
	if err != nil {
		return nil, err
	}
	u, err := c.restURL(path)
	if err != nil {
		return nil, err
	}
	r := &request{method: m, url: u, sent: new(tokenSet)}
	if body != nil {
		if r.body, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("%w: body: %v", ErrInvalidArgument, err)
		}
	}
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return nil, fmt.Errorf("%w: out must be a non-nil pointer, not %T", ErrInvalidArgument, out)
		}
		r.decode = decodeOut(out)
	}
	return c.send(ctx, r)
}

// checkMethod gives method in capitals, or an error when it is not an HTTP
// method name.
func checkMethod(method string) (string, error) {
	if method == "" {
		return "", fmt.Errorf("%w: empty method", ErrInvalidArgument)
	}
	for i := 0; i < len(method); i++ {
		if c := method[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return "", fmt.Errorf("%w: method %q: letters only", ErrInvalidArgument, method)
		}
	}
	return strings.ToUpper(method), nil
}

// restURL resolves a path given to Do against the base URL, and makes sure
// that it stays under it: the token goes wherever the URL leads.
func (c *Client) restURL(path string) (*url.URL, error) {
	bad := func(why string) error {
		return fmt.Errorf("%w: path %q: %s", ErrInvalidArgument, path, why)
	}
	if strings.HasPrefix(path, "/") {
		return nil, bad("give it relative to the base URL, without a leading slash")
	}
	if strings.ContainsAny(path, `\#`) {
		return nil, bad("a backslash or a fragment")
	}
	u, err := url.Parse(path)
	if err != nil {
		return nil, bad(err.Error())
	}
	if u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return nil, bad("an absolute URL; give a path relative to the base URL")
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, bad(`"." and ".." segments are not allowed`)
		}
	}
	full := c.baseURL.ResolveReference(u)
	if !c.isAPIOrigin(full) || !strings.HasPrefix(full.EscapedPath(), c.baseURL.EscapedPath()) {
		return nil, bad("it leaves the base URL")
	}
	return full, nil
}

// decodeOptionsV1 decode the caller's types the way encoding/json does,
// which is what they were written for: names match whatever their case.
var decodeOptionsV1 = jsonv1.DefaultOptionsV1()

// decodeOut decodes a 2xx answer for Do into out; a body of nothing but
// white space leaves out as it is. A retry decodes into a zeroed out, so
// that nothing of a cut answer stays behind.
func decodeOut(out any) func(io.Reader) error {
	tries := 0
	return func(body io.Reader) error {
		d := jsontext.NewDecoder(&limitedReader{r: body, n: maxBody}, decodeOptionsV1)
		if d.PeekKind() == 0 {
			_, err := d.ReadToken()
			if err == io.EOF {
				return nil
			}
			return err
		}
		if tries++; tries > 1 {
			reflect.ValueOf(out).Elem().SetZero()
		}
		if err := jsonv2.UnmarshalDecode(d, out); err != nil {
			return err
		}
		return readEnd(d)
	}
}
