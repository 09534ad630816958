package ghactions_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed42f0b14b/ghactions"
)

// args are the arguments of any RunsService method; each method uses those
// it takes.
type args struct {
	owner, repo string
	runID       int64
	attempt     int
	list        *ghactions.ListOptions
}

func goodArgs() args {
	return args{owner: testOwner, repo: testRepo, runID: 30433642, attempt: 1}
}

// method is one RunsService method and which arguments it takes.
type method struct {
	name      string
	takesRun  bool
	takesTry  bool
	takesList bool
	call      func(ctx context.Context, c *ghactions.Client, a args) error
	okStatus  int // a status the server answers a valid call with
}

func methods() []method {
	return []method{
		{name: "ListPage", takesList: true, okStatus: 200, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, _, err := c.Runs.ListPage(ctx, a.owner, a.repo, a.list)
			return err
		}},
		{name: "List", takesList: true, okStatus: 200, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			for _, err := range c.Runs.List(ctx, a.owner, a.repo, a.list) {
				if err != nil {
					return err
				}
			}
			return nil
		}},
		{name: "Get", takesRun: true, okStatus: 200, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, _, err := c.Runs.Get(ctx, a.owner, a.repo, a.runID, nil)
			return err
		}},
		{name: "GetAttempt", takesRun: true, takesTry: true, okStatus: 200, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, _, err := c.Runs.GetAttempt(ctx, a.owner, a.repo, a.runID, a.attempt, nil)
			return err
		}},
		{name: "Delete", takesRun: true, okStatus: 204, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, err := c.Runs.Delete(ctx, a.owner, a.repo, a.runID)
			return err
		}},
		{name: "Cancel", takesRun: true, okStatus: 202, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, err := c.Runs.Cancel(ctx, a.owner, a.repo, a.runID)
			return err
		}},
		{name: "ForceCancel", takesRun: true, okStatus: 202, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, err := c.Runs.ForceCancel(ctx, a.owner, a.repo, a.runID)
			return err
		}},
		{name: "Rerun", takesRun: true, okStatus: 201, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, err := c.Runs.Rerun(ctx, a.owner, a.repo, a.runID, &ghactions.RerunOptions{EnableDebugLogging: true})
			return err
		}},
		{name: "LogsURL", takesRun: true, okStatus: 302, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, _, err := c.Runs.LogsURL(ctx, a.owner, a.repo, a.runID)
			return err
		}},
		{name: "AttemptLogsURL", takesRun: true, takesTry: true, okStatus: 302, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, _, err := c.Runs.AttemptLogsURL(ctx, a.owner, a.repo, a.runID, a.attempt)
			return err
		}},
		{name: "Logs", takesRun: true, okStatus: 200, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			rc, _, err := c.Runs.Logs(ctx, a.owner, a.repo, a.runID)
			if rc != nil {
				_, _ = io.Copy(io.Discard, rc)
				rc.Close()
			}
			return err
		}},
		{name: "AttemptLogs", takesRun: true, takesTry: true, okStatus: 200, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			rc, _, err := c.Runs.AttemptLogs(ctx, a.owner, a.repo, a.runID, a.attempt)
			if rc != nil {
				_, _ = io.Copy(io.Discard, rc)
				rc.Close()
			}
			return err
		}},
		{name: "DeleteLogs", takesRun: true, okStatus: 204, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, err := c.Runs.DeleteLogs(ctx, a.owner, a.repo, a.runID)
			return err
		}},
		{name: "Usage", takesRun: true, okStatus: 200, call: func(ctx context.Context, c *ghactions.Client, a args) error {
			_, _, err := c.Runs.Usage(ctx, a.owner, a.repo, a.runID)
			return err
		}},
	}
}

type badInput struct {
	name    string
	applies func(m method) bool
	edit    func(a *args)
}

func everyMethod(method) bool   { return true }
func runMethods(m method) bool  { return m.takesRun }
func tryMethods(m method) bool  { return m.takesTry }
func listMethods(m method) bool { return m.takesList }

func badInputs() []badInput {
	owner := func(s string) func(a *args) { return func(a *args) { a.owner = s } }
	repo := func(s string) func(a *args) { return func(a *args) { a.repo = s } }
	list := func(o ghactions.ListOptions) func(a *args) { return func(a *args) { a.list = &o } }
	return []badInput{
		{"owner empty", everyMethod, owner("")},
		{"owner too long", everyMethod, owner(strings.Repeat("a", 40))},
		{"owner with a slash", everyMethod, owner("octo/org")},
		{"owner with a dot", everyMethod, owner("octo.org")},
		{"owner with an underscore", everyMethod, owner("octo_org")},
		{"owner with a space", everyMethod, owner("octo org")},
		{"owner with a percent", everyMethod, owner("octo%2Forg")},
		{"owner with a question mark", everyMethod, owner("octo?org")},
		{"owner dot-dot", everyMethod, owner("..")},
		{"owner not ASCII", everyMethod, owner("octö")},
		{"repo empty", everyMethod, repo("")},
		{"repo too long", everyMethod, repo(strings.Repeat("r", 101))},
		{"repo dot", everyMethod, repo(".")},
		{"repo dot-dot", everyMethod, repo("..")},
		{"repo with a slash", everyMethod, repo("octo/repo")},
		{"repo with a backslash", everyMethod, repo(`octo\repo`)},
		{"repo with a space", everyMethod, repo("octo repo")},
		{"repo with a hash", everyMethod, repo("octo#repo")},
		{"repo with a percent", everyMethod, repo("..%2F..")},
		{"repo with a newline", everyMethod, repo("octo\nrepo")},
		{"runID zero", runMethods, func(a *args) { a.runID = 0 }},
		{"runID negative", runMethods, func(a *args) { a.runID = -1 }},
		{"attempt zero", tryMethods, func(a *args) { a.attempt = 0 }},
		{"attempt negative", tryMethods, func(a *args) { a.attempt = -2 }},
		{"PerPage negative", listMethods, list(ghactions.ListOptions{PerPage: -1})},
		{"PerPage over 100", listMethods, list(ghactions.ListOptions{PerPage: 101})},
		{"Page negative", listMethods, list(ghactions.ListOptions{Page: -1})},
		{"CheckSuiteID negative", listMethods, list(ghactions.ListOptions{CheckSuiteID: -5})},
		{"Status and Conclusion", listMethods, list(ghactions.ListOptions{Status: ghactions.StatusCompleted, Conclusion: ghactions.ConclusionSuccess})},
		{"Conclusion startup_failure", listMethods, list(ghactions.ListOptions{Conclusion: ghactions.ConclusionStartupFailure})},
		{"Status startup_failure", listMethods, list(ghactions.ListOptions{Status: ghactions.Status(ghactions.ConclusionStartupFailure)})},
		{"Workflow ID zero", listMethods, list(ghactions.ListOptions{Workflow: "0"})},
		{"Workflow ID negative", listMethods, list(ghactions.ListOptions{Workflow: "-7"})},
		{"Workflow with a slash", listMethods, list(ghactions.ListOptions{Workflow: ".github/workflows/build.yml"})},
		{"Workflow escaping the path", listMethods, list(ghactions.ListOptions{Workflow: "../../../user"})},
		{"Workflow with a backslash", listMethods, list(ghactions.ListOptions{Workflow: `..\build.yml`})},
		{"Workflow with spaces around", listMethods, list(ghactions.ListOptions{Workflow: " build.yml"})},
		{"Workflow dot", listMethods, list(ghactions.ListOptions{Workflow: "."})},
		{"Workflow dot-dot", listMethods, list(ghactions.ListOptions{Workflow: ".."})},
	}
}

func TestBadInputSendsNothing(t *testing.T) {
	srv := forbiddenServer(t)
	c := newClient(t, srv, ghactions.WithToken(testToken))
	for _, m := range methods() {
		for _, bad := range badInputs() {
			if !bad.applies(m) {
				continue
			}
			t.Run(m.name+"/"+bad.name, func(t *testing.T) {
				a := goodArgs()
				bad.edit(&a)
				err := m.call(context.Background(), c, a)
				require.Error(t, err)
				assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
				var apiErr *ghactions.APIError
				assert.False(t, errors.As(err, &apiErr), "not an API error")
				assert.NotContains(t, err.Error(), testToken)
			})
		}
	}
	assert.Zero(t, srv.hits(), "no request may reach the server")
}

// The limits themselves are fine: these calls do reach the server.
func TestValidInputAtTheLimits(t *testing.T) {
	good := []struct {
		name string
		edit func(a *args)
	}{
		{"owner of 39 characters", func(a *args) { a.owner = strings.Repeat("a", 39) }},
		{"owner with hyphens and digits", func(a *args) { a.owner = "Octo-Org-42" }},
		{"repo of 100 characters", func(a *args) { a.repo = strings.Repeat("r", 100) }},
		{"repo with dots, hyphens and underscores", func(a *args) { a.repo = ".github_repo-2.0" }},
		{"repo of three dots", func(a *args) { a.repo = "..." }},
		{"large run ID", func(a *args) { a.runID = 1<<62 + 1 }},
		{"attempt 7", func(a *args) { a.attempt = 7 }},
		{"PerPage 1", func(a *args) { a.list = &ghactions.ListOptions{PerPage: 1} }},
		{"PerPage 100", func(a *args) { a.list = &ghactions.ListOptions{PerPage: 100} }},
		{"Conclusion alone", func(a *args) { a.list = &ghactions.ListOptions{Conclusion: ghactions.ConclusionTimedOut} }},
		{"Status alone", func(a *args) { a.list = &ghactions.ListOptions{Status: ghactions.StatusWaiting} }},
		{"Workflow by ID", func(a *args) { a.list = &ghactions.ListOptions{Workflow: "159038"} }},
		{"Workflow by file name", func(a *args) { a.list = &ghactions.ListOptions{Workflow: "ci.yaml"} }},
	}
	for _, m := range methods() {
		for _, g := range good {
			t.Run(m.name+"/"+g.name, func(t *testing.T) {
				archive := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "zip") })
				srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
					switch m.okStatus {
					case http.StatusFound:
						w.Header().Set("Location", archive.URL+"/logs.zip")
						w.WriteHeader(http.StatusFound)
					case http.StatusOK:
						answer(w, http.StatusOK, []byte(`{"total_count":0,"workflow_runs":[]}`))
					default:
						w.WriteHeader(m.okStatus)
					}
				})
				c := newClient(t, srv)
				a := goodArgs()
				g.edit(&a)
				require.NoError(t, m.call(context.Background(), c, a))
				assert.Equal(t, 1, srv.hits())
			})
		}
	}
}

func TestNewClientErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []ghactions.Option
	}{
		{"unparsable base URL", []ghactions.Option{ghactions.WithBaseURL("http://[::1")}},
		{"base URL with a bad escape", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com/%zz")}},
		{"base URL without scheme", []ghactions.Option{ghactions.WithBaseURL("api.github.com")}},
		{"base URL without host", []ghactions.Option{ghactions.WithBaseURL("https:///api/v3")}},
		{"scheme ftp", []ghactions.Option{ghactions.WithBaseURL("ftp://ghe.example.com/")}},
		{"scheme file", []ghactions.Option{ghactions.WithBaseURL("file:///etc/passwd")}},
		{"credentials in the base URL", []ghactions.Option{ghactions.WithBaseURL("https://user:pass@ghe.example.com/")}},
		{"port 99999", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com:99999/")}},
		{"port 65536", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com:65536")}},
		{"port 0", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com:0/api/v3/")}},
		{"port with a leading zero past the limit", []ghactions.Option{ghactions.WithBaseURL("http://127.0.0.1:0065536/")}},
		{"empty port", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com:/")}},
		{"non-numeric port", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com:https/")}},
		{"bare question mark", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com/api/v3/?")}},
		{"bare question mark without a path", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com?")}},
		{"token over plain http", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://ghe.example.com/")}},
		{"token over plain http, option order reversed", []ghactions.Option{ghactions.WithBaseURL("http://ghe.example.com/api/v3"), ghactions.WithToken(testToken)}},
		{"token over plain http to a non-loopback IP", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://10.0.0.1:8080/")}},
		{"token over plain http to a localhost look-alike", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://localhost.example.com/")}},
		{"token source over plain http", []ghactions.Option{ghactions.WithTokenSource(tokenFunc(func(context.Context) (string, error) { return "t", nil })), ghactions.WithBaseURL("http://ghe.example.com/")}},
		{"empty token", []ghactions.Option{ghactions.WithToken("")}},
		{"token with a newline", []ghactions.Option{ghactions.WithToken(testToken + "\n")}},
		{"token with a header injection", []ghactions.Option{ghactions.WithToken(testToken + "\r\nX-Evil: 1")}},
		{"nil TokenSource", []ghactions.Option{ghactions.WithTokenSource(nil)}},
		{"nil http client", []ghactions.Option{ghactions.WithHTTPClient(nil)}},
		{"negative MaxRetries", []ghactions.Option{ghactions.WithRetryPolicy(ghactions.RetryPolicy{MaxRetries: -1})}},
		{"negative MinBackoff", []ghactions.Option{ghactions.WithRetryPolicy(ghactions.RetryPolicy{MinBackoff: -time.Second})}},
		{"negative MaxBackoff", []ghactions.Option{ghactions.WithRetryPolicy(ghactions.RetryPolicy{MaxBackoff: -time.Second})}},
		{"negative MaxRateLimitWait", []ghactions.Option{ghactions.WithRetryPolicy(ghactions.RetryPolicy{MaxRateLimitWait: -time.Second})}},
		{"empty user agent", []ghactions.Option{ghactions.WithUserAgent("")}},
		{"user agent with a newline", []ghactions.Option{ghactions.WithUserAgent("x\ny")}},
		{"empty API version", []ghactions.Option{ghactions.WithAPIVersion("")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ghactions.NewClient(tc.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ghactions.ErrInvalidArgument)
			assert.NotContains(t, err.Error(), testToken, "the error never quotes the token")
		})
	}
}

func TestNewClientAccepts(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []ghactions.Option
	}{
		{"no options", nil},
		{"nil option", []ghactions.Option{nil}},
		{"token over https", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("https://ghe.example.com/")}},
		{"token over http to 127.0.0.1", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://127.0.0.1:8080/")}},
		{"token over http to 127.1.2.3", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://127.1.2.3/")}},
		{"token over http to localhost", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://localhost:3000")}},
		{"token over http to LOCALHOST", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://LOCALHOST/api/v3/")}},
		{"token over http to [::1]", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("http://[::1]:8080/")}},
		{"port 1", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com:1/")}},
		{"port 65535", []ghactions.Option{ghactions.WithBaseURL("https://ghe.example.com:65535/")}},
		{"port 443 written out", []ghactions.Option{ghactions.WithBaseURL("https://api.github.com:443/")}},
		{"anonymous over plain http", []ghactions.Option{ghactions.WithBaseURL("http://ghe.example.com/")}},
		{"scheme in capitals", []ghactions.Option{ghactions.WithToken(testToken), ghactions.WithBaseURL("HTTPS://GHE.example.com")}},
		{"zero retry policy", []ghactions.Option{ghactions.WithRetryPolicy(ghactions.RetryPolicy{})}},
		{"http client without transport", []ghactions.Option{ghactions.WithHTTPClient(&http.Client{})}},
		{"nil logger", []ghactions.Option{ghactions.WithLogger(nil)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ghactions.NewClient(tc.opts...)
			require.NoError(t, err)
			require.NotNil(t, c)
			assert.NotNil(t, c.Runs)
		})
	}
}

// A token source's errors and bad tokens stop the call before it is sent.
func TestTokenSourceErrors(t *testing.T) {
	errBroken := errors.New("token service down")
	for _, tc := range []struct {
		name string
		ts   tokenFunc
		is   error
	}{
		{"error", func(context.Context) (string, error) { return "", errBroken }, errBroken},
		{"empty token", func(context.Context) (string, error) { return "", nil }, ghactions.ErrInvalidArgument},
		{"token with a newline", func(context.Context) (string, error) { return testToken + "\r\n", nil }, ghactions.ErrInvalidArgument},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := forbiddenServer(t)
			c := newClient(t, srv, ghactions.WithTokenSource(tc.ts))
			_, _, err := c.Runs.Get(context.Background(), testOwner, testRepo, 1, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.is)
			assert.NotContains(t, err.Error(), testToken)
			assert.Zero(t, srv.hits())
		})
	}
}
