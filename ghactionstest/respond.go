package ghactionstest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// answer is what an endpoint answers. Endpoints return it instead of writing
// it, so that the ETag, the conditional request and the rate-limit headers
// are dealt with in one place.
type answer struct {
	status int
	header http.Header // extra headers, such as Location and Link
	body   []byte      // JSON; nil sends no body
	err    *errorBody  // GitHub's error body, sent instead of body
}

// errorBody is GitHub's error body ("basic-error", with the "errors" list of
// a 422). Its status is a string, as GitHub sends it.
type errorBody struct {
	Message          string       `json:"message"`
	Errors           []fieldError `json:"errors,omitempty"`
	DocumentationURL string       `json:"documentation_url"`
	Status           string       `json:"status"`
}

type fieldError struct {
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

// Documentation URLs that GitHub's error bodies point to.
const (
	docRoot       = "https://docs.github.com/rest"
	docRuns       = "https://docs.github.com/rest/actions/workflow-runs"
	docJobs       = "https://docs.github.com/rest/actions/workflow-jobs"
	docRateLimits = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
	docVersions   = "https://docs.github.com/rest/about-the-rest-api/api-versions"
	docUserAgent  = "https://docs.github.com/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent"
)

// jsonAnswer marshals v at once: endpoints call it while they hold the state
// lock, so the answer never shares memory with the state.
func jsonAnswer(status int, v any) *answer {
	b, err := json.Marshal(v)
	if err != nil {
		// The values marshalled are this package's and ghactions' types,
		// which always marshal; failing here is a bug.
		panic(fmt.Sprintf("ghactionstest: marshalling an answer: %v", err))
	}
	return &answer{status: status, body: b}
}

// emptyObject is GitHub's answer to actions that create or accept something
// ("empty-object").
func emptyObject(status int) *answer {
	return &answer{status: status, body: []byte("{}")}
}

func noContent() *answer {
	return &answer{status: http.StatusNoContent}
}

func errorAnswer(status int, message string) *answer {
	return &answer{status: status, err: &errorBody{Message: message}}
}

func notFound() *answer {
	return errorAnswer(http.StatusNotFound, "Not Found")
}

// validationFailed is GitHub's 422 for a parameter it refuses.
func validationFailed(field, message string) *answer {
	a := errorAnswer(http.StatusUnprocessableEntity, "Validation Failed")
	a.err.Errors = []fieldError{{Resource: "WorkflowRun", Field: field, Code: "invalid", Message: message}}
	return a
}

// write sends a with the headers of every API answer: the request ID (set by
// the caller), the content type and, when rt is not nil, the rate limit.
// doc completes an error body that names no documentation page.
func (s *Server) write(w http.ResponseWriter, a *answer, doc string, rt *rate) {
	h := w.Header()
	for k, vs := range a.header {
		h[k] = vs
	}
	body := a.body
	if a.err != nil {
		e := *a.err
		if e.DocumentationURL == "" {
			e.DocumentationURL = doc
		}
		e.Status = strconv.Itoa(a.status)
		body, _ = json.Marshal(e) // strings only: it cannot fail
	}
	if body != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	}
	if rt != nil {
		rt.setHeaders(h)
	}
	w.WriteHeader(a.status)
	_, _ = w.Write(body)
}

// etagOf is a weak ETag of a body, as GitHub sends for JSON answers.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `W/"` + hex.EncodeToString(sum[:16]) + `"`
}

// etagMatches reports whether an If-None-Match header names tag. ETags are
// compared weakly (RFC 9110, 13.1.2), as GitHub compares them: a client may
// send the tag with or without its W/ prefix.
func etagMatches(ifNoneMatch, tag string) bool {
	want := strings.TrimPrefix(tag, "W/")
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// requestIDs numbers requests for the X-GitHub-Request-Id header, which
// clients quote in their errors.
type requestIDs struct{ n atomic.Uint64 }

func (r *requestIDs) next() string {
	return fmt.Sprintf("FA4E:%08X", r.n.Add(1))
}
