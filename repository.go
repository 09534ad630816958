package ghactions

import (
	"encoding/json"
	"time"
)

// Repository is a repository as the API describes it inside a workflow run
// (the API's "minimal-repository"). The keys the API always sends come first;
// the optional ones, which differ between GitHub versions, are left out of
// the JSON when they are zero.
type Repository struct {
	ID               int64  `json:"id"`
	NodeID           string `json:"node_id"`
	Name             string `json:"name"`
	FullName         string `json:"full_name"`
	Owner            *User  `json:"owner"`
	Private          bool   `json:"private"`
	HTMLURL          string `json:"html_url"`
	Description      string `json:"description"` // written as null when empty, as the API does
	Fork             bool   `json:"fork"`
	URL              string `json:"url"`
	ArchiveURL       string `json:"archive_url"`
	AssigneesURL     string `json:"assignees_url"`
	BlobsURL         string `json:"blobs_url"`
	BranchesURL      string `json:"branches_url"`
	CollaboratorsURL string `json:"collaborators_url"`
	CommentsURL      string `json:"comments_url"`
	CommitsURL       string `json:"commits_url"`
	CompareURL       string `json:"compare_url"`
	ContentsURL      string `json:"contents_url"`
	ContributorsURL  string `json:"contributors_url"`
	DeploymentsURL   string `json:"deployments_url"`
	DownloadsURL     string `json:"downloads_url"`
	EventsURL        string `json:"events_url"`
	ForksURL         string `json:"forks_url"`
	GitCommitsURL    string `json:"git_commits_url"`
	GitRefsURL       string `json:"git_refs_url"`
	GitTagsURL       string `json:"git_tags_url"`
	HooksURL         string `json:"hooks_url"`
	IssueCommentURL  string `json:"issue_comment_url"`
	IssueEventsURL   string `json:"issue_events_url"`
	IssuesURL        string `json:"issues_url"`
	KeysURL          string `json:"keys_url"`
	LabelsURL        string `json:"labels_url"`
	LanguagesURL     string `json:"languages_url"`
	MergesURL        string `json:"merges_url"`
	MilestonesURL    string `json:"milestones_url"`
	NotificationsURL string `json:"notifications_url"`
	PullsURL         string `json:"pulls_url"`
	ReleasesURL      string `json:"releases_url"`
	StargazersURL    string `json:"stargazers_url"`
	StatusesURL      string `json:"statuses_url"`
	SubscribersURL   string `json:"subscribers_url"`
	SubscriptionURL  string `json:"subscription_url"`
	TagsURL          string `json:"tags_url"`
	TeamsURL         string `json:"teams_url"`
	TreesURL         string `json:"trees_url"`

	GitURL                    string                 `json:"git_url,omitzero"`
	SSHURL                    string                 `json:"ssh_url,omitzero"`
	CloneURL                  string                 `json:"clone_url,omitzero"`
	SVNURL                    string                 `json:"svn_url,omitzero"`
	MirrorURL                 string                 `json:"mirror_url,omitzero"`
	Homepage                  string                 `json:"homepage,omitzero"`
	Language                  string                 `json:"language,omitzero"`
	ForksCount                int                    `json:"forks_count,omitzero"`
	StargazersCount           int                    `json:"stargazers_count,omitzero"`
	WatchersCount             int                    `json:"watchers_count,omitzero"`
	Size                      int                    `json:"size,omitzero"` // in KB
	OpenIssuesCount           int                    `json:"open_issues_count,omitzero"`
	SubscribersCount          int                    `json:"subscribers_count,omitzero"`
	NetworkCount              int                    `json:"network_count,omitzero"`
	Forks                     int                    `json:"forks,omitzero"`
	OpenIssues                int                    `json:"open_issues,omitzero"`
	Watchers                  int                    `json:"watchers,omitzero"`
	DefaultBranch             string                 `json:"default_branch,omitzero"`
	Visibility                string                 `json:"visibility,omitzero"`
	RoleName                  string                 `json:"role_name,omitzero"`
	TempCloneToken            string                 `json:"temp_clone_token,omitzero"`
	IsTemplate                bool                   `json:"is_template,omitzero"`
	HasIssues                 bool                   `json:"has_issues,omitzero"`
	HasProjects               bool                   `json:"has_projects,omitzero"`
	HasWiki                   bool                   `json:"has_wiki,omitzero"`
	HasPages                  bool                   `json:"has_pages,omitzero"`
	HasDiscussions            bool                   `json:"has_discussions,omitzero"`
	HasPullRequests           bool                   `json:"has_pull_requests,omitzero"`
	HasDownloads              bool                   `json:"has_downloads,omitzero"` // not sent from API version 2026-03-10 on
	Archived                  bool                   `json:"archived,omitzero"`
	Disabled                  bool                   `json:"disabled,omitzero"`
	DeleteBranchOnMerge       bool                   `json:"delete_branch_on_merge,omitzero"`
	AllowForking              bool                   `json:"allow_forking,omitzero"`
	WebCommitSignoffRequired  bool                   `json:"web_commit_signoff_required,omitzero"`
	PullRequestCreationPolicy string                 `json:"pull_request_creation_policy,omitzero"` // "all" or "collaborators_only"
	Topics                    []string               `json:"topics,omitzero"`
	PushedAt                  time.Time              `json:"pushed_at,omitzero"`
	CreatedAt                 time.Time              `json:"created_at,omitzero"`
	UpdatedAt                 time.Time              `json:"updated_at,omitzero"`
	Permissions               *RepositoryPermissions `json:"permissions,omitzero"`
	CodeOfConduct             *CodeOfConduct         `json:"code_of_conduct,omitzero"`
	License                   *License               `json:"license,omitzero"`
	SecurityAndAnalysis       *SecurityAndAnalysis   `json:"security_and_analysis,omitzero"`
	CustomProperties          map[string]any         `json:"custom_properties,omitzero"` // property name to value
}

// MarshalJSON writes the repository with the API's key names, and an empty
// Description as null, as the API does.
func (r Repository) MarshalJSON() ([]byte, error) {
	type repository Repository // without methods, so that Marshal does not recurse
	var desc *string
	if r.Description != "" {
		desc = &r.Description
	}
	return json.Marshal(struct {
		repository
		Description *string `json:"description"`
	}{repository(r), desc})
}

// RepositoryPermissions are the caller's permissions on a repository.
type RepositoryPermissions struct {
	Admin    bool `json:"admin"`
	Maintain bool `json:"maintain"`
	Push     bool `json:"push"`
	Triage   bool `json:"triage"`
	Pull     bool `json:"pull"`
}

// CodeOfConduct is a repository's code of conduct.
type CodeOfConduct struct {
	Key     string `json:"key"`
	Name    string `json:"name"`
	URL     string `json:"url"`
	Body    string `json:"body,omitzero"`
	HTMLURL string `json:"html_url"`
}

// License is a repository's licence.
type License struct {
	Key    string `json:"key,omitzero"`
	Name   string `json:"name,omitzero"`
	SPDXID string `json:"spdx_id,omitzero"`
	URL    string `json:"url,omitzero"`
	NodeID string `json:"node_id,omitzero"`
}

// SecurityAndAnalysis is the state of a repository's security features.
type SecurityAndAnalysis struct {
	AdvancedSecurity                      *SecurityFeature `json:"advanced_security,omitzero"`
	CodeSecurity                          *SecurityFeature `json:"code_security,omitzero"`
	DependabotSecurityUpdates             *SecurityFeature `json:"dependabot_security_updates,omitzero"`
	SecretScanning                        *SecurityFeature `json:"secret_scanning,omitzero"`
	SecretScanningPushProtection          *SecurityFeature `json:"secret_scanning_push_protection,omitzero"`
	SecretScanningNonProviderPatterns     *SecurityFeature `json:"secret_scanning_non_provider_patterns,omitzero"`
	SecretScanningAIDetection             *SecurityFeature `json:"secret_scanning_ai_detection,omitzero"`
	SecretScanningDelegatedAlertDismissal *SecurityFeature `json:"secret_scanning_delegated_alert_dismissal,omitzero"`
	SecretScanningDelegatedBypass         *SecurityFeature `json:"secret_scanning_delegated_bypass,omitzero"`
	SecretScanningDelegatedBypassOptions  *BypassOptions   `json:"secret_scanning_delegated_bypass_options,omitzero"`
}

// SecurityFeature is the state of one security feature: "enabled" or
// "disabled".
type SecurityFeature struct {
	Status string `json:"status,omitzero"`
}

// BypassOptions lists who may bypass secret-scanning push protection.
type BypassOptions struct {
	Reviewers []BypassReviewer `json:"reviewers,omitzero"`
}

// BypassReviewer is a team or role that may review bypass requests.
type BypassReviewer struct {
	ReviewerID   int64  `json:"reviewer_id"`
	ReviewerType string `json:"reviewer_type"` // "TEAM" or "ROLE"
	Mode         string `json:"mode,omitzero"`
}
