package benchmarks

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	owner, repo = "octo-org", "octo-repo"
	perPage     = 100
)

// seedRun is the first run of the seed's list example, compacted, as the
// API sends it.
func seedRun(tb testing.TB) string {
	tb.Helper()
	raw, err := os.ReadFile("../testdata/list_runs.json")
	if err != nil {
		tb.Fatal(err)
	}
	var page struct {
		WorkflowRuns []json.RawMessage `json:"workflow_runs"`
	}
	if err := json.Unmarshal(raw, &page); err != nil {
		tb.Fatal(err)
	}
	if len(page.WorkflowRuns) == 0 {
		tb.Fatal("the seed's list example has no run")
	}
	var b bytes.Buffer
	if err := json.Compact(&b, page.WorkflowRuns[0]); err != nil {
		tb.Fatal(err)
	}
	return b.String()
}

// runsPage builds a page of n runs (about 1.17 MB for 100) from the seed's
// run. What differs between the runs of a real page differs here too: the
// ID and the URLs that carry it, the node IDs, the check suite, the run
// number, the head commit (SHA, tree, message) and the times. What a page of
// one repository's runs repeats (the repositories, the actors, the workflow)
// is repeated. Without the variation, a decoder that shares equal strings
// would be flattered by a page no server sends.
func runsPage(tb testing.TB, n int) []byte {
	tb.Helper()
	seed := seedRun(tb)
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"total_count":%d,"workflow_runs":[`, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(varyRun(tb, seed, i))
	}
	b.WriteString("]}")
	return b.Bytes()
}

// The seed's values that varyRun replaces.
const (
	seedID          = "30433642"
	seedCheckSuite  = "414944374"
	seedSHA         = "acb5820ced9479c074f688cc328bf03f341a511d"
	seedTree        = "d23f6eedb1e1b9610bbc754ddb5197bfe7271223"
	seedCreated     = "2020-01-22T19:33:08Z"
	seedCommitTime  = "2020-01-22T19:33:05Z"
	seedRunNodeID   = "MDEyOldvcmtmbG93IFJ1bjI2OTI4OQ=="
	seedSuiteNodeID = "MDEwOkNoZWNrU3VpdGU0Mg=="
)

// runID is the ID of the i-th run of the page.
func runID(i int) int64 { return 30433642 + int64(i) }

// varyRun gives the seed's run the values of the page's i-th run.
func varyRun(tb testing.TB, seed string, i int) string {
	tb.Helper()
	id := strconv.FormatInt(runID(i), 10)
	suite := strconv.Itoa(414944374 + i)
	created := time.Date(2020, 1, 22, 19, 33, 8, 0, time.UTC).Add(time.Duration(i) * 7 * time.Minute)
	stamp := func(t time.Time) string { return `"` + t.Format(time.RFC3339) + `"` }
	pairs := []string{
		seedID, id,
		`"check_suite_id":42,`, `"check_suite_id":` + suite + `,`,
		seedCheckSuite, suite,
		`"node_id":"` + seedRunNodeID + `"`, `"node_id":"` + b64("012:WorkflowRun"+id) + `"`,
		`"check_suite_node_id":"` + seedSuiteNodeID + `"`, `"check_suite_node_id":"` + b64("010:CheckSuite"+suite) + `"`,
		`"run_number":562,`, `"run_number":` + strconv.Itoa(562+i) + `,`,
		seedSHA, fakeSHA("commit", i),
		seedTree, fakeSHA("tree", i),
		`"Update README.md"`, fmt.Sprintf(`"Update README.md, take %d"`, i),
		`"Create linter.yaml"`, fmt.Sprintf(`"Update README.md, take %d\n\nAnd say why."`, i),
		`"created_at":"` + seedCreated + `"`, `"created_at":` + stamp(created),
		`"run_started_at":"` + seedCreated + `"`, `"run_started_at":` + stamp(created.Add(2*time.Second)),
		`"updated_at":"` + seedCreated + `"`, `"updated_at":` + stamp(created.Add(3*time.Minute)),
		`"` + seedCommitTime + `"`, stamp(created.Add(-3 * time.Second)),
	}
	for j := 0; j < len(pairs); j += 2 {
		if !strings.Contains(seed, pairs[j]) {
			tb.Fatalf("the seed's run no longer holds %s", pairs[j])
		}
	}
	return strings.NewReplacer(pairs...).Replace(seed)
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func fakeSHA(kind string, i int) string {
	sum := sha1.Sum([]byte(kind + strconv.Itoa(i)))
	return hex.EncodeToString(sum[:])
}

// pageHeader is what the API sends with a page of runs: the content type,
// the Link header of a list with more pages and the rate-limit figures. Both
// libraries parse all of it.
func pageHeader() http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Link", `<https://api.github.com/repositories/217723378/actions/runs?per_page=100&page=2>; rel="next", `+
		`<https://api.github.com/repositories/217723378/actions/runs?per_page=100&page=50>; rel="last"`)
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", "4999")
	h.Set("X-RateLimit-Used", "1")
	h.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	return h
}

// memTransport answers every request with the page, from memory: no
// network, no connection, so that what is measured is the library.
type memTransport struct {
	body   []byte
	header http.Header
}

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	if !strings.HasSuffix(req.URL.Path, "/repos/"+owner+"/"+repo+"/actions/runs") {
		return nil, fmt.Errorf("unexpected request %s", req.URL)
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        t.header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)),
		Request:       req,
	}, nil
}

// pageHandler serves the page on loopback, as memTransport does from memory.
func pageHandler(body []byte, header http.Header) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/repos/"+owner+"/"+repo+"/actions/runs") {
			http.NotFound(w, r)
			return
		}
		for k, v := range header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
}
