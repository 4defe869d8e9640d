package bot

import (
	"context"
	"time"
)

// Note: these are the value types of internal/forge's issue API. They are
// declared here until internal/forge/issues.go lands; then each becomes an
// alias (type Issue = forge.Issue, …) and *forge.Client satisfies GitHub
// as it is.

// Issue is a GitHub issue as the bot sees it.
type Issue struct {
	Number             int
	Title, Body, State string // State is "open" or "closed"
	StateReason        string // "completed", "not_planned", "reopened" or ""
	Labels             []string
	User, HTMLURL      string
	CreatedAt          time.Time
	UpdatedAt          time.Time
	IsPullRequest      bool
}

// IssueEdit is a change to an issue; nil fields are left as they are.
type IssueEdit struct {
	Title, Body, State, StateReason *string
	Labels                          *[]string
}

// IssueComment is a comment on an issue.
type IssueComment struct {
	ID        int64
	Body      string
	User      string
	CreatedAt time.Time
	HTMLURL   string
}

// Label is a repository label.
type Label struct{ Name, Color, Description string }

// GitHub is the part of the GitHub API the bot uses (*forge.Client
// implements it).
type GitHub interface {
	ListIssues(ctx context.Context, label, state string) ([]Issue, error)
	CreateIssue(ctx context.Context, title, body string, labels []string) (Issue, error)
	EditIssue(ctx context.Context, number int, e IssueEdit) (Issue, error)
	CreateIssueComment(ctx context.Context, number int, body string) (IssueComment, error)
	ListIssueComments(ctx context.Context, number int, since time.Time) ([]IssueComment, error)
	EnsureLabels(ctx context.Context, labels []Label) error
	// Permission returns the user's permission on the repository: "admin",
	// "maintain", "write", "triage", "read" or "none".
	Permission(ctx context.Context, user string) (string, error)
}
