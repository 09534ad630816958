package ghactions

import (
	"encoding/json"
	"time"
)

// WorkflowRun is one run of a GitHub Actions workflow, as the API describes it.
//
// Fields hold values: a JSON null or an absent key decodes to the zero value.
// Marshalled back to JSON, a WorkflowRun uses the API's own key names; keys the
// API always sends are always written (null where the API writes null for an
// empty value), optional keys are left out when they are zero.
type WorkflowRun struct {
	ID                  int64                `json:"id"`
	Name                string               `json:"name,omitzero"`
	NodeID              string               `json:"node_id"`
	CheckSuiteID        int64                `json:"check_suite_id,omitzero"`
	CheckSuiteNodeID    string               `json:"check_suite_node_id,omitzero"`
	HeadBranch          string               `json:"head_branch"`
	HeadSHA             string               `json:"head_sha"`
	Path                string               `json:"path,omitzero"` // GHES before 3.8 and GitHub AE leave it out
	DisplayTitle        string               `json:"display_title,omitzero"`
	RunNumber           int                  `json:"run_number"`
	RunAttempt          int                  `json:"run_attempt,omitzero"`
	Event               string               `json:"event"`
	Status              Status               `json:"status"`
	Conclusion          Conclusion           `json:"conclusion"` // "" while the run has not concluded
	WorkflowID          int64                `json:"workflow_id"`
	URL                 string               `json:"url"`
	HTMLURL             string               `json:"html_url"`
	JobsURL             string               `json:"jobs_url"`
	LogsURL             string               `json:"logs_url"`
	CheckSuiteURL       string               `json:"check_suite_url"`
	ArtifactsURL        string               `json:"artifacts_url"`
	CancelURL           string               `json:"cancel_url"`
	RerunURL            string               `json:"rerun_url"`
	PreviousAttemptURL  string               `json:"previous_attempt_url,omitzero"`
	WorkflowURL         string               `json:"workflow_url"`
	PullRequests        []PullRequest        `json:"pull_requests"`
	ReferencedWorkflows []ReferencedWorkflow `json:"referenced_workflows,omitzero"`
	CreatedAt           time.Time            `json:"created_at"`
	UpdatedAt           time.Time            `json:"updated_at"`
	RunStartedAt        time.Time            `json:"run_started_at,omitzero"` // start of the latest attempt
	Actor               *User                `json:"actor,omitzero"`
	TriggeringActor     *User                `json:"triggering_actor,omitzero"`
	HeadCommit          *Commit              `json:"head_commit"`
	Repository          *Repository          `json:"repository"`
	HeadRepository      *Repository          `json:"head_repository"`
	HeadRepositoryID    int64                `json:"head_repository_id,omitzero"`
}

// Status is the status of a workflow run. The API adds values over time, so
// a Status may hold a value that has no constant here.
type Status string

// The run statuses the API documents.
const (
	StatusQueued     Status = "queued"
	StatusInProgress Status = "in_progress"
	StatusCompleted  Status = "completed"
	StatusWaiting    Status = "waiting"
	StatusRequested  Status = "requested"
	StatusPending    Status = "pending"
)

// MarshalJSON writes the empty Status as null, as the API does.
func (s Status) MarshalJSON() ([]byte, error) { return marshalNullableString(string(s)) }

// Conclusion is the conclusion of a completed workflow run; it is empty while
// the run has not concluded. The API adds values over time, so a Conclusion
// may hold a value that has no constant here.
type Conclusion string

// The run conclusions the API documents.
const (
	ConclusionSuccess        Conclusion = "success"
	ConclusionFailure        Conclusion = "failure"
	ConclusionCancelled      Conclusion = "cancelled"
	ConclusionSkipped        Conclusion = "skipped"
	ConclusionNeutral        Conclusion = "neutral"
	ConclusionTimedOut       Conclusion = "timed_out"
	ConclusionActionRequired Conclusion = "action_required"
	ConclusionStale          Conclusion = "stale"
	ConclusionStartupFailure Conclusion = "startup_failure"
)

// MarshalJSON writes the empty Conclusion as null, as the API does.
func (c Conclusion) MarshalJSON() ([]byte, error) { return marshalNullableString(string(c)) }

func marshalNullableString(s string) ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	return json.Marshal(s)
}

// User is a GitHub account (the API's "simple-user"): a person, an
// organization or a bot.
type User struct {
	Name              string `json:"name,omitzero"`
	Email             string `json:"email,omitzero"`
	Login             string `json:"login"`
	ID                int64  `json:"id"`
	NodeID            string `json:"node_id"`
	AvatarURL         string `json:"avatar_url"`
	GravatarID        string `json:"gravatar_id"`
	URL               string `json:"url"`
	HTMLURL           string `json:"html_url"`
	FollowersURL      string `json:"followers_url"`
	FollowingURL      string `json:"following_url"`
	GistsURL          string `json:"gists_url"`
	StarredURL        string `json:"starred_url"`
	SubscriptionsURL  string `json:"subscriptions_url"`
	OrganizationsURL  string `json:"organizations_url"`
	ReposURL          string `json:"repos_url"`
	EventsURL         string `json:"events_url"`
	ReceivedEventsURL string `json:"received_events_url"`
	Type              string `json:"type"` // "User", "Organization", "Bot", ...
	SiteAdmin         bool   `json:"site_admin"`
	StarredAt         string `json:"starred_at,omitzero"`
	UserViewType      string `json:"user_view_type,omitzero"`
}

// Commit is the head commit of a run (the API's "simple-commit").
type Commit struct {
	ID        string        `json:"id"` // the commit SHA
	TreeID    string        `json:"tree_id"`
	Message   string        `json:"message"`
	Timestamp time.Time     `json:"timestamp"`
	Author    *CommitAuthor `json:"author"`
	Committer *CommitAuthor `json:"committer"`
}

// CommitAuthor is the name and email of a commit's author or committer.
type CommitAuthor struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// PullRequest is an open pull request whose head matches a run's head (the
// API's "pull-request-minimal"). It is not necessarily the pull request that
// triggered the run.
type PullRequest struct {
	ID     int64              `json:"id"`
	Number int                `json:"number"`
	URL    string             `json:"url"`
	Head   *PullRequestBranch `json:"head"`
	Base   *PullRequestBranch `json:"base"`
}

// PullRequestBranch is the head or base of a PullRequest.
type PullRequestBranch struct {
	Ref  string           `json:"ref"`
	SHA  string           `json:"sha"`
	Repo *PullRequestRepo `json:"repo"`
}

// PullRequestRepo is the repository of a PullRequestBranch.
type PullRequestRepo struct {
	ID   int64  `json:"id"`
	URL  string `json:"url"`
	Name string `json:"name"`
}

// ReferencedWorkflow is a reusable workflow that a run called.
type ReferencedWorkflow struct {
	Path string `json:"path"`
	SHA  string `json:"sha"`
	Ref  string `json:"ref,omitzero"`
}

// RunUsage is the billable time of a run (GET .../timing). Times are in
// milliseconds.
type RunUsage struct {
	Billable      map[string]RunnerUsage `json:"billable"` // keys as sent: "UBUNTU", "MACOS", "WINDOWS", ...
	RunDurationMS int64                  `json:"run_duration_ms,omitzero"`
}

// RunnerUsage is the billable time on one kind of runner.
type RunnerUsage struct {
	TotalMS int64         `json:"total_ms"`
	Jobs    int           `json:"jobs"`
	JobRuns []JobRunUsage `json:"job_runs,omitzero"`
}

// JobRunUsage is the billable time of one job.
type JobRunUsage struct {
	JobID      int64 `json:"job_id"`
	DurationMS int64 `json:"duration_ms"`
}
