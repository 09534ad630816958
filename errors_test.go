package ghactions

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorStatuses(t *testing.T) {
	sentinels := []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrUnprocessable, ErrRateLimited}
	tests := []struct {
		name        string
		status      int
		body        string
		header      []string
		want        error // nil: no sentinel
		wantMessage string
	}{
		{"401", 401, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`, nil, ErrUnauthorized, "Bad credentials"},
		{"403", 403, `{"message":"Must have admin rights to Repository."}`, nil, ErrForbidden, "Must have admin rights to Repository."},
		{"404", 404, `{"message":"Not Found"}`, nil, ErrNotFound, "Not Found"},
		{"409", 409, `{"message":"Cannot cancel a workflow run that is completed."}`, nil, ErrConflict, "Cannot cancel a workflow run that is completed."},
		{"422", 422, `{"message":"Validation Failed","errors":[{"resource":"WorkflowRun","field":"status","code":"invalid"}]}`, nil, ErrUnprocessable, "Validation Failed"},
		{"429", 429, `{"message":"slow down"}`, nil, ErrRateLimited, "slow down"},
		{"rate-limited 403", 403, `{"message":"API rate limit exceeded"}`, []string{"X-RateLimit-Remaining", "0"}, ErrRateLimited, "API rate limit exceeded"},
		{"400", 400, `{"message":"Problems parsing JSON"}`, nil, nil, "Problems parsing JSON"},
		{"410", 410, `{"message":"API version gone"}`, nil, nil, "API version gone"},
		{"500 with an HTML page", 500, "<html><body>Whoa there!</body></html>", nil, nil, ""},
		{"502 with an empty body", 502, "", nil, nil, ""},
		{"404 with JSON null", 404, "null", nil, ErrNotFound, ""},
		{"404 with a JSON array", 404, `["Not Found"]`, nil, ErrNotFound, ""},
		{"404 with a numeric message", 404, `{"message":404}`, nil, ErrNotFound, "404"},
		{"404 with a truncated body", 404, `{"message":"Not Fo`, nil, ErrNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := statusBody(tt.status, tt.body, append([]string{"X-GitHub-Request-Id", "ABCD:1234"}, tt.header...)...)
			c := retryTestClient(t, h, RetryPolicy{})
			_, _, err := c.Runs.Get(context.Background(), "octo-org", "octo-repo", 42, nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.wantMessage, apiErr.Message)
			assert.Equal(t, "ABCD:1234", apiErr.RequestID)
			require.NotNil(t, apiErr.Response)
			assert.Equal(t, tt.status, apiErr.Response.StatusCode)
			for _, s := range sentinels {
				assert.Equal(t, s == tt.want, errors.Is(err, s), "errors.Is(err, %v)", s)
			}
			msg := err.Error()
			assert.Contains(t, msg, "GET /api/v3/repos/octo-org/octo-repo/actions/runs/42")
			assert.Contains(t, msg, http.StatusText(tt.status))
			assert.Contains(t, msg, "ABCD:1234")
		})
	}
}

func TestErrorFieldErrors(t *testing.T) {
	body := `{"message":"Validation Failed","documentation_url":"https://docs.github.com/rest/actions/workflow-runs",
		"errors":[{"resource":"Run","field":"per_page","code":"invalid"},"per_page must be at most 100",{"code":"custom","message":"bad"},42]}`
	c := retryTestClient(t, statusBody(422, body), RetryPolicy{})
	_, _, err := c.Runs.ListPage(context.Background(), "octo-org", "octo-repo", nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "https://docs.github.com/rest/actions/workflow-runs", apiErr.DocumentationURL)
	assert.Equal(t, []FieldError{
		{Resource: "Run", Field: "per_page", Code: "invalid"},
		{Message: "per_page must be at most 100"},
		{Code: "custom", Message: "bad"},
	}, apiErr.Errors)
	assert.Contains(t, err.Error(), "Validation Failed; Run per_page invalid; per_page must be at most 100; custom bad")
}

// A hostile error body must not be read whole: the client reads at most
// 1 MiB of it and still reports the status.
func TestErrorBodyIsCapped(t *testing.T) {
	huge := `{"message":"` + strings.Repeat("x", 8<<20) + `"}`
	c := retryTestClient(t, statusBody(500, huge), RetryPolicy{})
	_, _, err := c.Runs.Get(context.Background(), "octo-org", "octo-repo", 42, nil)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.StatusCode)
	assert.Empty(t, apiErr.Message, "a body cut at the cap is not valid JSON")
}

func TestRateLimitErrorText(t *testing.T) {
	err := &RateLimitError{
		APIError:   APIError{StatusCode: 429, Message: "slow down", rateLimited: true},
		RetryAfter: 90_000_000_000,
		Secondary:  true,
	}
	assert.Equal(t, "ghactions: 429 Too Many Requests: slow down (secondary rate limit; retry after 1m30s)", err.Error())
	assert.ErrorIs(t, err, ErrRateLimited)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "slow down", apiErr.Message)
}
