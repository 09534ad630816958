package ghactionstest

import (
	"net/http"
	"strings"
)

// identity is who makes a request: it picks the rate-limit bucket, and only
// the token's holder may change anything.
type identity int

const (
	anonymous identity = iota
	tokenHolder
)

// viewerLogin is the login of the token's holder: the triggering actor of
// the attempts it starts.
const viewerLogin = "octocat"

// authenticate tells who makes r, or gives GitHub's 401: "Requires
// authentication" without a token (unless the server is public and r only
// reads), "Bad credentials" with a token that is not the server's. GitHub
// takes both the "Bearer" and the older "token" scheme.
func (s *Server) authenticate(r *http.Request) (identity, *answer) {
	h := r.Header.Get("Authorization")
	if h == "" {
		if s.public && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			return anonymous, nil
		}
		return anonymous, errorAnswer(http.StatusUnauthorized, "Requires authentication")
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "token") || strings.TrimSpace(token) != s.token {
		return anonymous, errorAnswer(http.StatusUnauthorized, "Bad credentials")
	}
	return tokenHolder, nil
}
