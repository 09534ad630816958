package ghactions_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/seed42f0b14b/ghactions"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

const (
	testOwner = "octo-org"
	testRepo  = "octo-repo"
	testToken = "ghp_TESTtoken0123456789abcdefSECRET"
	apiPrefix = "/api/v3/"
)

// noRetries turns retries off, so that a failing answer is the last one.
var noRetries = ghactions.RetryPolicy{}

// fastRetries retries quickly: the waits are a few milliseconds at most.
var fastRetries = ghactions.RetryPolicy{
	MaxRetries:       3,
	MinBackoff:       time.Millisecond,
	MaxBackoff:       2 * time.Millisecond,
	MaxRateLimitWait: 10 * time.Millisecond,
}

// recorded is one request as a test server received it.
type recorded struct {
	Method     string
	Path       string // decoded
	EscapedURI string // the request target as sent on the wire
	Query      url.Values
	Header     http.Header
	Body       []byte
	Host       string
}

// server is an httptest server that records every request before handing it
// to its handler.
type server struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []recorded
	handler http.HandlerFunc
}

func newServer(t testing.TB, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{handler: h}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, recorded{
			Method:     r.Method,
			Path:       r.URL.Path,
			EscapedURI: r.RequestURI,
			Query:      r.URL.Query(),
			Header:     r.Header.Clone(),
			Body:       body,
			Host:       r.Host,
		})
		s.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if s.handler != nil {
			s.handler(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// forbiddenServer fails the test if any request reaches it.
func forbiddenServer(t testing.TB) *server {
	t.Helper()
	return newServer(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request: %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
	})
}

func (s *server) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

func (s *server) hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// last returns the last request, failing the test when there is none.
func (s *server) last(t testing.TB) recorded {
	t.Helper()
	reqs := s.requests()
	require.NotEmpty(t, reqs, "no request reached the server")
	return reqs[len(reqs)-1]
}

// apiURL is the base URL a test client uses for s.
func (s *server) apiURL() string { return s.URL + apiPrefix }

// newClient returns a client for s with retries off; later options win.
func newClient(t testing.TB, s *server, opts ...ghactions.Option) *ghactions.Client {
	t.Helper()
	all := append([]ghactions.Option{
		ghactions.WithBaseURL(s.apiURL()),
		ghactions.WithRetryPolicy(noRetries),
	}, opts...)
	c, err := ghactions.NewClient(all...)
	require.NoError(t, err)
	return c
}

// testdata returns the content of testdata/name.
func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// decodeGeneric decodes JSON into maps, slices and json.Numbers.
func decodeGeneric(t testing.TB, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

// answer writes status with body (nothing when body is nil).
func answer(w http.ResponseWriter, status int, body []byte) {
	if body != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	if body != nil {
		_, _ = w.Write(body)
	}
}

// assertMatchesJSON fails the test unless got holds every key of the JSON
// document want, field by field, with the same value.
func assertMatchesJSON(t testing.TB, want []byte, got any) {
	t.Helper()
	diffs := jsonDiff("$", decodeGeneric(t, want), reflect.ValueOf(got))
	if len(diffs) > 0 {
		t.Errorf("decoded value differs from the JSON document:\n  %s", strings.Join(diffs, "\n  "))
	}
}

// jsonDiff compares a generic JSON value with a Go value whose struct fields
// carry json tags, and lists the differences.
func jsonDiff(path string, want any, got reflect.Value) []string {
	for got.Kind() == reflect.Pointer || got.Kind() == reflect.Interface {
		if got.IsNil() {
			if want == nil {
				return nil
			}
			return []string{fmt.Sprintf("%s: got nil, want %v", path, want)}
		}
		if got.Kind() == reflect.Interface {
			return jsonDiffInterface(path, want, got.Elem().Interface())
		}
		got = got.Elem()
	}
	if !got.IsValid() {
		return []string{fmt.Sprintf("%s: no value, want %v", path, want)}
	}
	switch w := want.(type) {
	case nil:
		if !got.IsZero() {
			return []string{fmt.Sprintf("%s: got %v, want null (zero value)", path, got.Interface())}
		}
		return nil
	case map[string]any:
		return jsonDiffObject(path, w, got)
	case []any:
		if got.Kind() != reflect.Slice && got.Kind() != reflect.Array {
			return []string{fmt.Sprintf("%s: got %s, want an array", path, got.Type())}
		}
		if got.Len() != len(w) {
			return []string{fmt.Sprintf("%s: got %d elements, want %d", path, got.Len(), len(w))}
		}
		var diffs []string
		for i := range w {
			diffs = append(diffs, jsonDiff(fmt.Sprintf("%s[%d]", path, i), w[i], got.Index(i))...)
		}
		return diffs
	case string:
		if tm, ok := got.Interface().(time.Time); ok {
			wt, err := time.Parse(time.RFC3339, w)
			if err != nil || !wt.Equal(tm) {
				return []string{fmt.Sprintf("%s: got time %v, want %q", path, tm, w)}
			}
			return nil
		}
		if got.Kind() != reflect.String || got.String() != w {
			return []string{fmt.Sprintf("%s: got %#v, want %q", path, got.Interface(), w)}
		}
		return nil
	case json.Number:
		switch got.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if n, err := w.Int64(); err == nil && n == got.Int() {
				return nil
			}
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			if n, err := strconv.ParseUint(w.String(), 10, 64); err == nil && n == got.Uint() {
				return nil
			}
		case reflect.Float32, reflect.Float64:
			if f, err := w.Float64(); err == nil && f == got.Float() {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s: got %#v, want %s", path, got.Interface(), w)}
	case bool:
		if got.Kind() != reflect.Bool || got.Bool() != w {
			return []string{fmt.Sprintf("%s: got %#v, want %v", path, got.Interface(), w)}
		}
		return nil
	}
	return []string{fmt.Sprintf("%s: unexpected JSON value %T", path, want)}
}

func jsonDiffObject(path string, want map[string]any, got reflect.Value) []string {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var diffs []string
	switch got.Kind() {
	case reflect.Struct:
		fields := jsonFields(got.Type())
		for _, k := range keys {
			i, ok := fields[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s.%s: no field of %s holds this key", path, k, got.Type()))
				continue
			}
			diffs = append(diffs, jsonDiff(path+"."+k, want[k], got.Field(i))...)
		}
	case reflect.Map:
		if got.Len() != len(want) {
			diffs = append(diffs, fmt.Sprintf("%s: got %d keys, want %d", path, got.Len(), len(want)))
		}
		for _, k := range keys {
			v := got.MapIndex(reflect.ValueOf(k).Convert(got.Type().Key()))
			if !v.IsValid() {
				diffs = append(diffs, fmt.Sprintf("%s[%q]: missing", path, k))
				continue
			}
			diffs = append(diffs, jsonDiff(fmt.Sprintf("%s[%q]", path, k), want[k], v)...)
		}
	default:
		diffs = append(diffs, fmt.Sprintf("%s: got %s, want an object", path, got.Type()))
	}
	return diffs
}

// jsonDiffInterface compares a value held in an interface (map[string]any
// fields) by its JSON form.
func jsonDiffInterface(path string, want, got any) []string {
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	if !bytes.Equal(wb, gb) {
		return []string{fmt.Sprintf("%s: got %s, want %s", path, gb, wb)}
	}
	return nil
}

// jsonFields maps the JSON names of a struct's fields to their indexes.
func jsonFields(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = i
	}
	return m
}

// The comparison helper must itself be able to fail.
func TestJSONDiffFindsDifferences(t *testing.T) {
	doc := testdata(t, "get_run.json")
	var run ghactions.WorkflowRun
	require.NoError(t, json.Unmarshal(doc, &run))
	require.Empty(t, jsonDiff("$", decodeGeneric(t, doc), reflect.ValueOf(&run)))

	changed := run
	changed.Name += "x"
	require.NotEmpty(t, jsonDiff("$", decodeGeneric(t, doc), reflect.ValueOf(&changed)))

	changed = run
	changed.CreatedAt = changed.CreatedAt.Add(time.Second)
	require.NotEmpty(t, jsonDiff("$", decodeGeneric(t, doc), reflect.ValueOf(&changed)))

	changed = run
	changed.HeadCommit = nil
	require.NotEmpty(t, jsonDiff("$", decodeGeneric(t, doc), reflect.ValueOf(&changed)))

	changed = run
	changed.ReferencedWorkflows = changed.ReferencedWorkflows[:1]
	require.NotEmpty(t, jsonDiff("$", decodeGeneric(t, doc), reflect.ValueOf(&changed)))

	var usage ghactions.RunUsage
	doc = testdata(t, "run_usage.json")
	require.NoError(t, json.Unmarshal(doc, &usage))
	require.Empty(t, jsonDiff("$", decodeGeneric(t, doc), reflect.ValueOf(&usage)))
	delete(usage.Billable, "MACOS")
	require.NotEmpty(t, jsonDiff("$", decodeGeneric(t, doc), reflect.ValueOf(&usage)))

	// A key the Go type has no field for is a difference too.
	require.NotEmpty(t, jsonDiff("$", map[string]any{"no_such_key": "x"}, reflect.ValueOf(ghactions.JobRunUsage{})))
}
