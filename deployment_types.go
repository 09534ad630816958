package ghactions

import (
	"bytes"
	"encoding/json"
	"time"
)

// EnvironmentApproval is one review of a run's deployments (the API's
// "environment-approvals").
type EnvironmentApproval struct {
	Environments []Environment `json:"environments"`
	State        ReviewState   `json:"state"` // ReviewApproved, ReviewRejected or ReviewPending
	User         *User         `json:"user"`
	Comment      string        `json:"comment"`
}

// Environment is a deployment environment, as it appears in approvals and
// pending deployments.
type Environment struct {
	ID        int64     `json:"id,omitzero"`
	NodeID    string    `json:"node_id,omitzero"`
	Name      string    `json:"name,omitzero"`
	URL       string    `json:"url,omitzero"`
	HTMLURL   string    `json:"html_url,omitzero"`
	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// PendingDeployment is a deployment of a run that waits for a reviewer or a
// wait timer (the API's "pending-deployment").
type PendingDeployment struct {
	Environment           *Environment         `json:"environment"`
	WaitTimer             int                  `json:"wait_timer"` // minutes
	WaitTimerStartedAt    time.Time            `json:"wait_timer_started_at,omitzero"`
	CurrentUserCanApprove bool                 `json:"current_user_can_approve"`
	Reviewers             []DeploymentReviewer `json:"reviewers"` // up to six; one approval suffices
}

// DeploymentReviewer is a required reviewer of a pending deployment: a user
// or a team. Exactly one of User and Team is set, as Type says.
type DeploymentReviewer struct {
	Type string // "User" or "Team"
	User *User
	Team *Team
}

// UnmarshalJSON reads {"type": ..., "reviewer": {...}} into User or Team.
// When the type is missing, a reviewer with a slug is taken for a team.
func (r *DeploymentReviewer) UnmarshalJSON(b []byte) error {
	var raw struct {
		Type     string          `json:"type"`
		Reviewer json.RawMessage `json:"reviewer"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*r = DeploymentReviewer{Type: raw.Type}
	if len(raw.Reviewer) == 0 || bytes.Equal(raw.Reviewer, []byte("null")) {
		return nil
	}
	isTeam := raw.Type == "Team"
	if raw.Type == "" {
		var probe struct {
			Slug string `json:"slug"`
		}
		isTeam = json.Unmarshal(raw.Reviewer, &probe) == nil && probe.Slug != ""
	}
	if isTeam {
		r.Team = new(Team)
		return json.Unmarshal(raw.Reviewer, r.Team)
	}
	r.User = new(User)
	return json.Unmarshal(raw.Reviewer, r.User)
}

// MarshalJSON writes the reviewer in the API's shape.
func (r DeploymentReviewer) MarshalJSON() ([]byte, error) {
	var reviewer any
	switch {
	case r.Team != nil:
		reviewer = r.Team
	case r.User != nil:
		reviewer = r.User
	}
	return json.Marshal(struct {
		Type     string `json:"type,omitempty"`
		Reviewer any    `json:"reviewer,omitempty"`
	}{r.Type, reviewer})
}

// Team is a team of an organization or an enterprise, as a reviewer.
type Team struct {
	ID                  int64            `json:"id"`
	NodeID              string           `json:"node_id"`
	Name                string           `json:"name"`
	Slug                string           `json:"slug"`
	Description         string           `json:"description"`
	Permission          string           `json:"permission"`
	URL                 string           `json:"url"`
	HTMLURL             string           `json:"html_url"`
	MembersURL          string           `json:"members_url"`
	RepositoriesURL     string           `json:"repositories_url"`
	Type                string           `json:"type,omitzero"` // "organization" or "enterprise"
	Parent              *Team            `json:"parent"`
	Privacy             string           `json:"privacy,omitzero"`
	NotificationSetting string           `json:"notification_setting,omitzero"`
	Permissions         *TeamPermissions `json:"permissions,omitzero"`
	AccessSource        string           `json:"access_source,omitzero"` // "direct", "organization" or "enterprise"
	OrganizationID      int64            `json:"organization_id,omitzero"`
	EnterpriseID        int64            `json:"enterprise_id,omitzero"`
	LDAPDN              string           `json:"ldap_dn,omitzero"` // GHES with LDAP sync
}

// TeamPermissions are a team's permissions on a repository.
type TeamPermissions struct {
	Pull     bool `json:"pull"`
	Triage   bool `json:"triage"`
	Push     bool `json:"push"`
	Maintain bool `json:"maintain"`
	Admin    bool `json:"admin"`
}

// Deployment is a deployment that a review of pending deployments let
// through (the API's "deployment").
type Deployment struct {
	URL                   string    `json:"url"`
	ID                    int64     `json:"id"`
	NodeID                string    `json:"node_id"`
	SHA                   string    `json:"sha"`
	Ref                   string    `json:"ref"`
	Task                  string    `json:"task"`
	Payload               any       `json:"payload"` // map[string]any for an object, string for a string
	OriginalEnvironment   string    `json:"original_environment,omitzero"`
	Environment           string    `json:"environment"`
	Description           string    `json:"description"`
	Creator               *User     `json:"creator"`
	CreatedAt             time.Time `json:"created_at"`
	UpdatedAt             time.Time `json:"updated_at"`
	StatusesURL           string    `json:"statuses_url"`
	RepositoryURL         string    `json:"repository_url"`
	TransientEnvironment  bool      `json:"transient_environment,omitzero"`
	ProductionEnvironment bool      `json:"production_environment,omitzero"`
	PerformedViaGitHubApp *App      `json:"performed_via_github_app,omitzero"`
}

// App is a GitHub App (the API's "integration").
type App struct {
	ID                 int64             `json:"id"`
	Slug               string            `json:"slug,omitzero"`
	NodeID             string            `json:"node_id"`
	ClientID           string            `json:"client_id,omitzero"`
	Owner              *User             `json:"owner"`
	Name               string            `json:"name"`
	Description        string            `json:"description"`
	ExternalURL        string            `json:"external_url"`
	HTMLURL            string            `json:"html_url"`
	CreatedAt          time.Time         `json:"created_at"`
	UpdatedAt          time.Time         `json:"updated_at"`
	Permissions        map[string]string `json:"permissions"`
	Events             []string          `json:"events"`
	InstallationsCount int               `json:"installations_count,omitzero"`
}
