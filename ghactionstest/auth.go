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

// authenticate tells who makes r: an anonymous caller without a token, or
// the token's holder. A token that is not the server's answers GitHub's 401
// "Bad credentials", even where the repository is public. GitHub takes both
// the "Bearer" and the older "token" scheme.
func (s *Server) authenticate(r *http.Request) (identity, *answer) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return anonymous, nil
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "token") || strings.TrimSpace(token) != s.token {
		return anonymous, errorAnswer(http.StatusUnauthorized, "Bad credentials")
	}
	return tokenHolder, nil
}

// admit refuses what an anonymous caller may not do, once r is routed to an
// endpoint. A private repository does not exist for it: every request
// answers 404, as GitHub answers so as not to tell that the repository
// exists. A public one it may read, but a change answers 401 "Requires
// authentication".
func (s *Server) admit(r *http.Request, who identity) *answer {
	switch {
	case who != anonymous:
		return nil
	case !s.public:
		return notFound()
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		return errorAnswer(http.StatusUnauthorized, "Requires authentication")
	}
	return nil
}
