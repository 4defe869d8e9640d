package bot

import (
	"context"
	"time"

	"github.com/benchgate/benchgate/internal/forge"
)

// The value types of the GitHub issue API (internal/forge's).
type (
	// Issue is a GitHub issue as the bot sees it.
	Issue = forge.Issue
	// IssueEdit is a change to an issue; nil fields are left as they are.
	IssueEdit = forge.IssueEdit
	// IssueComment is a comment on an issue.
	IssueComment = forge.IssueComment
	// Label is a repository label.
	Label = forge.Label
)

// GitHub is the part of the GitHub API the bot uses; *forge.Client
// implements it.
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

var _ GitHub = (*forge.Client)(nil)
