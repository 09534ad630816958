package ghactionstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// logURLLifetime is how long a log-archive URL works, as on GitHub.
const logURLLifetime = time.Minute

// runLogs answers GET .../runs/{run}/logs: a redirect to the archive of the
// latest attempt.
func (s *Server) runLogs(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		return s.logsRedirect(run, run.latest())
	})
}

// attemptLogs answers GET .../runs/{run}/attempts/{attempt}/logs.
func (s *Server) attemptLogs(r *http.Request) *answer {
	return s.withAttempt(r, s.logsRedirect)
}

// logsRedirect answers 302 with a signed URL of the attempt's archive, or 404
// when the attempt has no logs: it has not completed, or they were deleted.
func (s *Server) logsRedirect(run *runState, a *attemptState) *answer {
	if !a.hasLogs() {
		return notFound()
	}
	return &answer{status: http.StatusFound, header: http.Header{"Location": {s.signedArchiveURL(run.run.ID, a.number)}}}
}

// deleteLogs answers DELETE .../runs/{run}/logs: the logs of every attempt
// are gone, and asking for them answers 404; so does deleting them again.
func (s *Server) deleteLogs(r *http.Request) *answer {
	return s.withRun(r, func(run *runState) *answer {
		deleted := false
		for _, a := range run.attempts {
			if a.hasLogs() {
				a.logsDeleted, deleted = true, true
			}
		}
		if !deleted {
			return notFound()
		}
		return noContent()
	})
}

// signedArchiveURL is the URL of an attempt's archive on the storage's
// origin, signed with an HMAC of its path and its expiry, a minute from now,
// as GitHub signs the URLs of its log storage.
func (s *Server) signedArchiveURL(runID int64, attempt int) string {
	return s.signedURL(fmt.Sprintf("%sruns/%d/attempts/%d/logs.zip", storagePrefix, runID, attempt))
}

// signedURL is the URL of the storage's path p, signed for a minute.
func (s *Server) signedURL(p string) string {
	expires := s.now().UTC().Add(logURLLifetime).Format(time.RFC3339)
	q := url.Values{
		"urlExpires":       {expires},
		"urlSigningMethod": {"HMACV1"},
		"urlSignature":     {s.sign(p, expires)},
	}
	return s.storageRoot + strings.TrimPrefix(p, "/") + "?" + q.Encode()
}

func (s *Server) sign(path, expires string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte(path + "\n" + expires))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// serveArchive serves a log archive from the storage, which takes no token:
// the signed URL is the credential. Like the storage behind GitHub, it
// refuses a request that carries an Authorization header, so that a client
// that leaks its token there fails; and a URL whose signature does not match
// or whose minute has passed.
func (s *Server) serveArchive(w http.ResponseWriter, r *http.Request) {
	if !s.signed(w, r) {
		return
	}
	zip, ok := s.archive(r.PathValue("run"), r.PathValue("attempt"))
	if !ok {
		storageError(w, http.StatusNotFound, "BlobNotFound", "The specified blob does not exist.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", "attachment; filename=logs_"+r.PathValue("run")+".zip")
	h.Set("Content-Length", strconv.Itoa(len(zip)))
	_, _ = w.Write(zip)
}

// signed checks a request to the storage as the storage behind GitHub
// checks it (see serveArchive), and answers it when it fails.
func (s *Server) signed(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		storageError(w, http.StatusForbidden, "InvalidAuthenticationInfo", "Authentication information is not given in the correct format. A signed URL takes no Authorization header.")
		return false
	}
	q := r.URL.Query()
	expires := q.Get("urlExpires")
	if q.Get("urlSigningMethod") != "HMACV1" || !hmac.Equal([]byte(q.Get("urlSignature")), []byte(s.sign(r.URL.Path, expires))) {
		storageError(w, http.StatusForbidden, "AuthenticationFailed", "Server failed to authenticate the request. Make sure the value of the signature is formed correctly.")
		return false
	}
	if t, err := time.Parse(time.RFC3339, expires); err != nil || !s.now().Before(t) {
		storageError(w, http.StatusForbidden, "AuthenticationFailed", "Signed expiry time has passed.")
		return false
	}
	return true
}

// archive builds the archive of an attempt, if it still has logs: a run or
// logs deleted after the URL was signed are gone from the storage too.
func (s *Server) archive(runText, attemptText string) ([]byte, bool) {
	st := s.state
	st.mu.Lock()
	defer st.mu.Unlock()
	id, err := strconv.ParseInt(runText, 10, 64)
	if err != nil || st.runs[id] == nil {
		return nil, false
	}
	a := st.runs[id].attempt(attemptText)
	if a == nil || !a.hasLogs() {
		return nil, false
	}
	return buildArchive(a), true
}

// storageError answers as the blob storage behind GitHub's log URLs does:
// with an XML error, not the API's JSON.
func storageError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="utf-8"?><Error><Code>%s</Code><Message>%s</Message></Error>`, code, message)
}
