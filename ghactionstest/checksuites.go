package ghactionstest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/seed42f0b14b/ghactions"
)

const docCheckSuites = "https://docs.github.com/rest/checks/suites"

// checkSuite is the API's "check-suite": the suite GitHub Actions runs a
// workflow run in.
type checkSuite struct {
	ID                   int64                   `json:"id"`
	NodeID               string                  `json:"node_id"`
	HeadBranch           string                  `json:"head_branch"`
	HeadSHA              string                  `json:"head_sha"`
	Status               ghactions.Status        `json:"status"`
	Conclusion           ghactions.Conclusion    `json:"conclusion"`
	URL                  string                  `json:"url"`
	Before               string                  `json:"before"`
	After                string                  `json:"after"`
	PullRequests         []ghactions.PullRequest `json:"pull_requests"`
	App                  *ghactions.App          `json:"app"`
	Repository           *ghactions.Repository   `json:"repository"`
	CreatedAt            time.Time               `json:"created_at"`
	UpdatedAt            time.Time               `json:"updated_at"`
	HeadCommit           *ghactions.Commit       `json:"head_commit"`
	LatestCheckRunsCount int                     `json:"latest_check_runs_count"`
	CheckRunsURL         string                  `json:"check_runs_url"`
	Rerequestable        bool                    `json:"rerequestable"`
	RunsRerequestable    bool                    `json:"runs_rerequestable"`
}

// getCheckSuite answers GET .../check-suites/{suite}: the check suite of a
// run, which follows its latest attempt.
func (s *Server) getCheckSuite(r *http.Request) *answer {
	return s.withRepo(r, func(repo *repoState) *answer {
		run := repo.checkSuite(r.PathValue("suite"))
		if run == nil {
			return notFound()
		}
		return jsonAnswer(http.StatusOK, s.state.checkSuiteView(run))
	})
}

// checkSuiteView is the check suite of a run: its head, its latest
// attempt's status and conclusion, as many check runs as the attempt has
// jobs, made by GitHub Actions' app.
func (st *state) checkSuiteView(r *runState) checkSuite {
	a := r.latest()
	api := st.apiRoot + "repos/" + r.repo.owner + "/" + r.repo.name + "/check-suites/" + strconv.FormatInt(r.run.CheckSuiteID, 10)
	return checkSuite{
		ID:                   r.run.CheckSuiteID,
		NodeID:               r.run.CheckSuiteNodeID,
		HeadBranch:           r.run.HeadBranch,
		HeadSHA:              r.run.HeadSHA,
		Status:               a.status,
		Conclusion:           a.conclusion,
		URL:                  api,
		Before:               fakeSHA("before " + r.run.HeadSHA),
		After:                r.run.HeadSHA,
		PullRequests:         r.run.PullRequests,
		App:                  st.actionsApp(),
		Repository:           r.run.Repository,
		CreatedAt:            r.run.CreatedAt,
		UpdatedAt:            a.updatedAt,
		HeadCommit:           r.run.HeadCommit,
		LatestCheckRunsCount: len(a.jobs),
		CheckRunsURL:         api + "/check-runs",
		Rerequestable:        true,
		RunsRerequestable:    false,
	}
}
