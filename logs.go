package ghactions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// LogsURL returns the URL of a run's log archive (a zip), which the API gives
// as the Location of a 302 answer to GET .../runs/{runID}/logs. The URL is
// signed and expires after about a minute: fetch it at once. A run without
// logs gives an error matching ErrNotFound.
func (s *RunsService) LogsURL(ctx context.Context, owner, repo string, runID int64) (*url.URL, *Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, nil, err
	}
	return s.logsURL(ctx, runPath(owner, repo, runID)+"/logs")
}

// AttemptLogsURL is LogsURL for one attempt of a run:
// GET .../runs/{runID}/attempts/{attempt}/logs.
func (s *RunsService) AttemptLogsURL(ctx context.Context, owner, repo string, runID int64, attempt int) (*url.URL, *Response, error) {
	if err := validateAttempt(owner, repo, runID, attempt); err != nil {
		return nil, nil, err
	}
	return s.logsURL(ctx, attemptPath(owner, repo, runID, attempt)+"/logs")
}

// Logs streams a run's log archive (a zip) from the URL the API redirects
// to. The archive is fetched without the token, which never leaves the API
// host, and is not buffered: read it as it comes, and close it. When the API
// answers 200 with the archive itself (some proxies do), that body is
// streamed instead.
//
// The returned Response is the archive's answer, with Rate taken from the
// API's. A run without logs gives an error matching ErrNotFound; a failure of
// the archive host gives an *APIError with its status.
func (s *RunsService) Logs(ctx context.Context, owner, repo string, runID int64) (io.ReadCloser, *Response, error) {
	if err := validateRun(owner, repo, runID); err != nil {
		return nil, nil, err
	}
	return s.logs(ctx, runPath(owner, repo, runID)+"/logs")
}

// AttemptLogs is Logs for one attempt of a run.
func (s *RunsService) AttemptLogs(ctx context.Context, owner, repo string, runID int64, attempt int) (io.ReadCloser, *Response, error) {
	if err := validateAttempt(owner, repo, runID, attempt); err != nil {
		return nil, nil, err
	}
	return s.logs(ctx, attemptPath(owner, repo, runID, attempt)+"/logs")
}

func (s *RunsService) logsURL(ctx context.Context, path string) (*url.URL, *Response, error) {
	hr, resp, loc, x, err := s.askLogs(ctx, path)
	if err != nil {
		return nil, resp, err
	}
	hr.Body.Close()
	if loc == nil {
		return nil, resp, x.fail(fmt.Errorf("ghactions: GET %s: answered %d with the log itself, not a redirect; use Logs", hr.Request.URL.Path, hr.StatusCode))
	}
	return loc, resp, nil
}

func (s *RunsService) logs(ctx context.Context, path string) (io.ReadCloser, *Response, error) {
	hr, resp, loc, x, err := s.askLogs(ctx, path)
	if err != nil {
		return nil, resp, err
	}
	if loc == nil {
		return &streamBody{ReadCloser: hr.Body, ctx: ctx}, resp, nil
	}
	hr.Body.Close()
	c := s.client
	ar := x.req.follow(loc)
	ar.archive = true
	ahr, ax, err := c.do(ctx, ar)
	if err != nil {
		return nil, resp, err
	}
	aresp := newResponse(ahr)
	aresp.Rate = resp.Rate
	if ahr.StatusCode < 200 || ahr.StatusCode > 299 {
		defer ahr.Body.Close()
		return nil, aresp, ax.fail(ax.apiError(ahr))
	}
	return &streamBody{ReadCloser: ahr.Body, ctx: ctx}, aresp, nil
}

// streamBody is a body handed to the caller to read. When the call's
// context ends, a read fails with the context's error, on every read: the
// transport reports the first as the context's end but later ones as
// "use of closed network connection".
type streamBody struct {
	io.ReadCloser
	ctx context.Context
}

func (b *streamBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		if ctxErr := b.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
	}
	return n, err
}

// askLogs asks the API for a log (a run's archive, a job's text) without
// following its redirect. It returns the answer with its body open, and the
// log's URL when the answer is a redirect (nil when the answer is the log
// itself).
func (s *RunsService) askLogs(ctx context.Context, path string) (*http.Response, *Response, *url.URL, *exchange, error) {
	c := s.client
	r, err := c.newRequest(http.MethodGet, path, nil, nil)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	r.noFollow = true
	hr, x, err := c.do(ctx, r)
	if err != nil {
		return nil, responseOf(hr), nil, x, err
	}
	resp := newResponse(hr)
	switch {
	case hr.StatusCode >= 200 && hr.StatusCode <= 299:
		return hr, resp, nil, x, nil
	case isRedirect(hr.StatusCode):
		loc, err := hr.Location()
		if err != nil {
			hr.Body.Close()
			return nil, resp, nil, x, x.fail(fmt.Errorf("ghactions: GET %s: redirect without a usable Location: %w", r.url.Path, err))
		}
		if loc.Scheme != "https" && loc.Scheme != "http" {
			hr.Body.Close()
			return nil, resp, nil, x, x.fail(fmt.Errorf("ghactions: GET %s: redirect to a %q URL, not http or https", r.url.Path, loc.Scheme))
		}
		if err := checkDowngrade(r.url, loc); err != nil {
			hr.Body.Close()
			return nil, resp, nil, x, x.fail(fmt.Errorf("ghactions: GET %s: the log's URL: %w", r.url.Path, err))
		}
		return hr, resp, loc, x, nil
	}
	defer hr.Body.Close()
	return nil, resp, nil, x, x.fail(x.apiError(hr))
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// DownloadLogArchive downloads a run's log archive to a temporary file and
// opens it, for reading one job's or one step's log. Close the archive to
// remove the file. It writes at most the client's limit to disk (see
// WithMaxLogArchiveSize). Errors are those of Logs, ErrLogArchiveTooLarge
// when the archive is over the limit, or ErrInvalidArchive when what arrived
// is not a log archive; on every error the file is already removed.
func (s *RunsService) DownloadLogArchive(ctx context.Context, owner, repo string, runID int64) (*LogArchive, error) {
	rc, resp, err := s.Logs(ctx, owner, repo, runID)
	if err != nil {
		return nil, err
	}
	return s.downloadLogArchive(rc, resp)
}

// DownloadAttemptLogArchive is DownloadLogArchive for one attempt of a run.
func (s *RunsService) DownloadAttemptLogArchive(ctx context.Context, owner, repo string, runID int64, attempt int) (*LogArchive, error) {
	rc, resp, err := s.AttemptLogs(ctx, owner, repo, runID, attempt)
	if err != nil {
		return nil, err
	}
	return s.downloadLogArchive(rc, resp)
}
