package ghactionstest

import "net/http"

const docArtifacts = "https://docs.github.com/rest/actions/artifacts"

// listArtifacts answers GET .../runs/{run}/artifacts: the run's artifacts.
// A fake run uploads none, so every page of every run is empty, and has no
// Link header, as GitHub answers a list that fits on one page.
func (s *Server) listArtifacts(r *http.Request) *answer {
	return s.withRun(r, func(*runState) *answer {
		return jsonAnswer(http.StatusOK, struct {
			TotalCount int        `json:"total_count"`
			Artifacts  []struct{} `json:"artifacts"`
		}{0, []struct{}{}})
	})
}
