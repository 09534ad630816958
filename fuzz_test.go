package ghactions

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// The fuzz targets below cover every parser that reads what a server sends.
// Their seed corpora live in testdata/fuzz/<target>/; run one with, say,
// go test -fuzz FuzzParseLinks -fuzztime 60s .

func FuzzParseLinks(f *testing.F) {
	base, _ := url.Parse("https://api.github.com/repositories/1/actions/runs?page=2")
	f.Fuzz(func(t *testing.T, header string) {
		links := parseLinks([]string{header, header}, base)
		for rel, u := range links {
			if rel == "" || u == nil {
				t.Fatalf("empty relation or URL in %q", header)
			}
			if !u.IsAbs() {
				t.Fatalf("relation %q of %q resolved to relative URL %q", rel, header, u)
			}
			if pageOf(u) < 0 {
				t.Fatalf("negative page from %q", u)
			}
			if l := pageLimit(u); l < 1 || l > maxPerPage {
				t.Fatalf("page limit %d from %q", l, u)
			}
		}
	})
}

func FuzzParseRate(f *testing.F) {
	f.Fuzz(func(t *testing.T, limit, remaining, used, reset, resource string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Used", used)
		h.Set("X-RateLimit-Reset", reset)
		h.Set("X-RateLimit-Resource", resource)
		h.Set("Retry-After", reset)
		r, _ := parseRate(h)
		if r.Limit < 0 || r.Remaining < 0 || r.Used < 0 {
			t.Fatalf("negative figures %+v", r)
		}
		if d, ok := parseRetryAfter(reset, time.Now()); ok && d < 0 {
			t.Fatalf("negative Retry-After %v from %q", d, reset)
		}
		for _, status := range []int{403, 429} {
			rl, _ := classifyRateLimit(&http.Response{StatusCode: status, Header: h}, resource, time.Now())
			if rl.wait < 0 {
				t.Fatalf("negative wait %v", rl.wait)
			}
		}
	})
}

func FuzzParseErrorBody(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		eb := parseErrorBody(body)
		for _, fe := range eb.Errors {
			_ = fe.String()
		}
		hr := &http.Response{StatusCode: 403, Header: http.Header{}, Body: http.NoBody}
		hr.Body = &bufferedBody{Reader: bytes.NewReader(body), data: body, orig: http.NoBody}
		x := &exchange{client: &Client{clock: systemClock{}}, req: &request{sent: &tokenSet{tokens: []string{"tok"}}}}
		if err := x.apiError(hr); err == nil || err.Error() == "" {
			t.Fatal("an error answer gave no error")
		}
	})
}

func FuzzDecodeRun(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		var page RunsPage
		if decodeJSON(bytes.NewReader(body), &page) == nil {
			if _, err := json.Marshal(&page); err != nil {
				t.Fatalf("a decoded page does not marshal: %v", err)
			}
		}
		var run WorkflowRun
		if decodeJSON(bytes.NewReader(body), &run) == nil {
			if _, err := json.Marshal(&run); err != nil {
				t.Fatalf("a decoded run does not marshal: %v", err)
			}
		}
		var usage RunUsage
		_ = decodeJSON(bytes.NewReader(body), &usage)
	})
}

// FuzzDecodeRunsPage checks the page decoder that ListPage and List use: it
// never hands out more than max runs nor a nil run, and it agrees with a
// plain decode of the whole page whenever the page keeps to its limit.
func FuzzDecodeRunsPage(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, max uint8) {
		limit := int(max%maxPerPage) + 1
		p, err := decodePage[WorkflowRun](bytes.NewReader(body), runsKey, limit)
		if err != nil {
			return
		}
		if len(p.items) > limit {
			t.Fatalf("%d runs on a page of at most %d", len(p.items), limit)
		}
		for i, run := range p.items {
			if run == nil {
				t.Fatalf("nil run at %d", i)
			}
		}
		var whole RunsPage
		if err := jsonv2.Unmarshal(body, &whole, decodeOptions); err != nil {
			t.Fatalf("the page decoder took a page that a whole decode refuses: %v", err)
		}
		var kept []*WorkflowRun
		for _, run := range whole.WorkflowRuns {
			if run != nil {
				kept = append(kept, run)
			}
		}
		if whole.TotalCount != p.total || len(kept) != len(p.items) {
			t.Fatalf("page decoder: total %d, %d runs; whole decode: total %d, %d runs", p.total, len(p.items), whole.TotalCount, len(kept))
		}
		for i := range kept {
			a, _ := json.Marshal(kept[i])
			b, _ := json.Marshal(p.items[i])
			if !bytes.Equal(a, b) {
				t.Fatalf("run %d differs:\n%s\n%s", i, a, b)
			}
		}
	})
}

// FuzzDecodeOut checks the decoder of Client.Do's out: no panic, an answer
// of nothing but white space leaves out as it is, and what it decodes is
// what encoding/json decodes.
func FuzzDecodeOut(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		out := any("untouched")
		err := decodeOut(&out)(bytes.NewReader(body))
		if len(bytes.Trim(body, " \t\r\n")) == 0 { // JSON white space
			if err != nil || out != "untouched" {
				t.Fatalf("an empty answer gave %v, %v", out, err)
			}
			return
		}
		var want any
		wantErr := json.Unmarshal(body, &want)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("decodeOut: %v; encoding/json: %v", err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(out, want) {
			t.Fatalf("decodeOut gave %#v, encoding/json %#v", out, want)
		}
	})
}

// FuzzDecodeDispatched checks the reader of a dispatch's answer: no panic,
// and a run only with a positive ID, which is then the body's.
func FuzzDecodeDispatched(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		run := decodeDispatched(bytes.NewReader(body))
		if run == (DispatchedRun{}) {
			return
		}
		if run.RunID <= 0 {
			t.Fatalf("run ID %d from %q", run.RunID, body)
		}
		var whole struct {
			ID int64 `json:"workflow_run_id"`
		}
		if err := jsonv2.Unmarshal(body, &whole, decodeOptions); err != nil || whole.ID != run.RunID {
			t.Fatalf("run %d from a body that decodes to %d, %v", run.RunID, whole.ID, err)
		}
	})
}
