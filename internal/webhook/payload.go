package webhook

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Event kinds.
const (
	// KindSync asks the bot to re-read the repository's history and
	// reconcile its issues.
	KindSync = "sync"
	// KindCommand asks the bot to act on a /benchgate comment.
	KindCommand = "command"
)

// Event is what a delivery asks the bot to do.
type Event struct {
	Delivery       string // X-GitHub-Delivery
	Kind           string // "sync" or "command"
	Repo           string // owner/name
	InstallationID int64  // installation.id; 0 for a repository (non-App) webhook
	// for "command": the issue, the commenter and the comment text
	Issue   int
	User    string
	Comment string
}

// The payload types below carry only the fields the decision needs; the
// rest of GitHub's (large) payloads is skipped by encoding/json.

type repository struct {
	FullName      string `json:"full_name"`
	DefaultBranch string `json:"default_branch"`
}

type installation struct {
	ID int64 `json:"id"`
}

type pushPayload struct {
	Ref          string       `json:"ref"`
	Repository   repository   `json:"repository"`
	Installation installation `json:"installation"`
}

type workflowRunPayload struct {
	Action      string `json:"action"`
	WorkflowRun struct {
		Name       string `json:"name"`
		Status     string `json:"status"`
		Conclusion string `json:"conclusion"`
		HeadBranch string `json:"head_branch"`
	} `json:"workflow_run"`
	Repository   repository   `json:"repository"`
	Installation installation `json:"installation"`
}

type user struct {
	Login string `json:"login"`
	Type  string `json:"type"`
}

type issueCommentPayload struct {
	Action string `json:"action"`
	Issue  struct {
		Number      int             `json:"number"`
		PullRequest json.RawMessage `json:"pull_request"`
	} `json:"issue"`
	Comment struct {
		Body string `json:"body"`
		User user   `json:"user"`
	} `json:"comment"`
	Repository   repository   `json:"repository"`
	Installation installation `json:"installation"`
}

// notRun are the workflow_run conclusions after which no benchmark can have
// saved anything. Every other conclusion syncs: a gate that fails on a
// regression ("failure") has saved its results first, and a sync that finds
// nothing new changes nothing.
var notRun = map[string]bool{"skipped": true, "action_required": true, "stale": true}

// decision is what classify makes of a delivery: an Event to enqueue, or the
// reason it is ignored (exactly one of the two is set).
type decision struct {
	event  *Event
	ignore string
}

func ignored(format string, args ...any) decision {
	return decision{ignore: fmt.Sprintf(format, args...)}
}

// classify decides what a verified delivery of the given X-GitHub-Event type
// asks for. An error means the payload is not the JSON that type promises.
func (s *Server) classify(kind, delivery string, payload []byte) (decision, error) {
	switch kind {
	case "push":
		var p pushPayload
		if err := json.Unmarshal(payload, &p); err != nil {
			return decision{}, err
		}
		if want := "refs/heads/" + s.opts.DataBranch; p.Ref != want {
			return ignored("push to %q, not %q", p.Ref, want), nil
		}
		if p.Repository.FullName == "" {
			return ignored("push without repository.full_name"), nil
		}
		return decision{event: &Event{
			Delivery: delivery, Kind: KindSync,
			Repo: p.Repository.FullName, InstallationID: p.Installation.ID,
		}}, nil

	case "workflow_run":
		var p workflowRunPayload
		if err := json.Unmarshal(payload, &p); err != nil {
			return decision{}, err
		}
		run := p.WorkflowRun
		switch {
		case p.Action != "completed" || run.Status != "completed":
			return ignored("workflow_run %s (status %s), not completed", p.Action, run.Status), nil
		case notRun[run.Conclusion]:
			return ignored("workflow_run %q concluded %s", run.Name, run.Conclusion), nil
		case p.Repository.DefaultBranch != "" && run.HeadBranch != p.Repository.DefaultBranch:
			return ignored("workflow_run on branch %q, not the default branch %q", run.HeadBranch, p.Repository.DefaultBranch), nil
		case len(s.opts.Workflows) > 0 && !slices.Contains(s.opts.Workflows, run.Name):
			return ignored("workflow %q is not a benchmark workflow", run.Name), nil
		case p.Repository.FullName == "":
			return ignored("workflow_run without repository.full_name"), nil
		}
		return decision{event: &Event{
			Delivery: delivery, Kind: KindSync,
			Repo: p.Repository.FullName, InstallationID: p.Installation.ID,
		}}, nil

	case "issue_comment":
		var p issueCommentPayload
		if err := json.Unmarshal(payload, &p); err != nil {
			return decision{}, err
		}
		u := p.Comment.User
		switch {
		case p.Action != "created":
			return ignored("issue_comment %s, not created", p.Action), nil
		case len(p.Issue.PullRequest) > 0 && string(p.Issue.PullRequest) != "null":
			return ignored("comment on a pull request"), nil
		case strings.EqualFold(u.Type, "Bot") || strings.HasSuffix(u.Login, "[bot]"):
			return ignored("comment by a bot"), nil
		case p.Issue.Number <= 0 || p.Repository.FullName == "":
			return ignored("issue_comment without issue.number or repository.full_name"), nil
		}
		if _, _, ok := ParseCommand(p.Comment.Body); !ok {
			return ignored("no %s command", commandPrefix), nil
		}
		return decision{event: &Event{
			Delivery: delivery, Kind: KindCommand,
			Repo: p.Repository.FullName, InstallationID: p.Installation.ID,
			Issue: p.Issue.Number, User: u.Login, Comment: p.Comment.Body,
		}}, nil
	}
	return ignored("event %q is not handled", kind), nil
}
