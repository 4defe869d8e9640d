package forge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"
)

// MaxBodyChars is GitHub's limit on an issue or comment body, in
// characters (the same limit as MaxCommentChars).
const MaxBodyChars = MaxCommentChars

// ErrBodyTooLong is wrapped by the error of a call whose issue or comment
// body is over MaxBodyChars: it is refused before anything is sent.
var ErrBodyTooLong = errors.New("body over GitHub's 65,536 characters")

// Issue is a GitHub issue (or, in a raw listing, a pull request: GitHub's
// issue API returns both).
type Issue struct {
	Number        int
	Title, Body   string
	State         string // open or closed
	StateReason   string // completed, not_planned, reopened, duplicate or ""
	Labels        []string
	User          string // the author's login
	HTMLURL       string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	IsPullRequest bool
}

// IssueEdit is a change to an issue; nil fields are left unchanged.
// Labels replaces the issue's whole set (an empty slice clears it).
// StateReason is "completed", "not_planned" or "duplicate" with State
// "closed", "reopened" with "open"; GitHub ignores it unless State changes.
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

// Label is a repository label. Color is six hex digits without "#"; empty
// lets GitHub choose.
type Label struct {
	Name, Color, Description string
}

func issueFrom(gi *github.Issue) Issue {
	is := Issue{
		Number: gi.GetNumber(), Title: gi.GetTitle(), Body: gi.GetBody(), State: gi.GetState(),
		StateReason: gi.GetStateReason(), User: gi.GetUser().GetLogin(), HTMLURL: gi.GetHTMLURL(),
		CreatedAt: gi.GetCreatedAt().Time, UpdatedAt: gi.GetUpdatedAt().Time, IsPullRequest: gi.IsPullRequest(),
	}
	for _, l := range gi.Labels {
		is.Labels = append(is.Labels, l.GetName())
	}
	return is
}

func commentFrom(c *github.IssueComment) IssueComment {
	return IssueComment{ID: c.GetID(), Body: c.GetBody(), User: c.GetUser().GetLogin(),
		CreatedAt: c.GetCreatedAt().Time, HTMLURL: c.GetHTMLURL()}
}

// checkBody refuses a body GitHub would refuse.
func checkBody(op, body string) error {
	if n := utf8.RuneCountInString(body); n > MaxBodyChars {
		return fmt.Errorf("forge: %s: %d characters: %w", op, n, ErrBodyTooLong)
	}
	return nil
}

// ListIssues returns the repository's issues carrying label (every issue
// when label is empty) in state "open", "closed" or "all" ("" means
// "open"), newest first, reading every page (100 a page). Pull requests,
// which GitHub's issue list includes, are left out. It lists rather than
// searches: the search index lags behind writes, which would let a sync
// miss the issue it filed a moment ago.
func (c *Client) ListIssues(ctx context.Context, label, state string) ([]Issue, error) {
	if state == "" {
		state = "open"
	}
	op := fmt.Sprintf("listing %s issues", state)
	if label != "" {
		op = fmt.Sprintf("listing %s issues labelled %q", state, label)
	}
	switch state {
	case "open", "closed", "all":
	default:
		return nil, fmt.Errorf("forge: %s: state %q: want open, closed or all", op, state)
	}
	if strings.Contains(label, ",") {
		return nil, fmt.Errorf("forge: %s: a label name with a comma cannot be listed by", op)
	}
	opts := &github.IssueListByRepoOptions{State: state, ListOptions: github.ListOptions{PerPage: 100}}
	if label != "" {
		opts.Labels = []string{label}
	}
	var out []Issue
	for {
		page, resp, err := c.gh.Issues.ListByRepo(ctx, c.owner, c.repo, opts)
		if err != nil {
			return nil, apiError(fmt.Sprintf("%s (page %d)", op, max(opts.Page, 1)), err)
		}
		for _, gi := range page {
			if gi.IsPullRequest() {
				continue
			}
			out = append(out, issueFrom(gi))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// CreateIssue opens an issue.
func (c *Client) CreateIssue(ctx context.Context, title, body string, labels []string) (Issue, error) {
	op := fmt.Sprintf("creating issue %q", title)
	if strings.TrimSpace(title) == "" {
		return Issue{}, fmt.Errorf("forge: creating an issue: empty title")
	}
	if err := checkBody(op, body); err != nil {
		return Issue{}, err
	}
	req := &github.IssueRequest{Title: &title, Body: &body}
	if labels != nil {
		req.Labels = &labels
	}
	gi, _, err := c.gh.Issues.Create(ctx, c.owner, c.repo, req)
	if err != nil {
		return Issue{}, apiError(op, err)
	}
	return issueFrom(gi), nil
}

// EditIssue changes issue number as e says (closing, reopening, relabelling,
// rewriting) and returns it as it now is.
func (c *Client) EditIssue(ctx context.Context, number int, e IssueEdit) (Issue, error) {
	op := fmt.Sprintf("editing issue #%d", number)
	if e.Body != nil {
		if err := checkBody(op, *e.Body); err != nil {
			return Issue{}, err
		}
	}
	if e.State != nil && *e.State != "open" && *e.State != "closed" {
		return Issue{}, fmt.Errorf("forge: %s: state %q: want open or closed", op, *e.State)
	}
	req := &github.IssueRequest{Title: e.Title, Body: e.Body, State: e.State, StateReason: e.StateReason, Labels: e.Labels}
	if e.Labels != nil && *e.Labels == nil {
		// An empty set must be sent as [] (clear), not omitted.
		empty := []string{}
		req.Labels = &empty
	}
	gi, _, err := c.gh.Issues.Edit(ctx, c.owner, c.repo, number, req)
	if err != nil {
		return Issue{}, apiError(op, err)
	}
	return issueFrom(gi), nil
}

// CreateIssueComment comments on issue (or pull request) number.
func (c *Client) CreateIssueComment(ctx context.Context, number int, body string) (IssueComment, error) {
	op := fmt.Sprintf("commenting on issue #%d", number)
	if err := checkBody(op, body); err != nil {
		return IssueComment{}, err
	}
	cm, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &github.IssueComment{Body: &body})
	if err != nil {
		return IssueComment{}, apiError(op, err)
	}
	return commentFrom(cm), nil
}

// ListIssueComments returns the comments of issue number updated at or
// after since (every comment for the zero time), oldest first, reading
// every page.
func (c *Client) ListIssueComments(ctx context.Context, number int, since time.Time) ([]IssueComment, error) {
	op := fmt.Sprintf("listing comments of issue #%d", number)
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	if !since.IsZero() {
		s := since.UTC().Truncate(time.Second)
		opts.Since = &s
	}
	var out []IssueComment
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, number, opts)
		if err != nil {
			return nil, apiError(fmt.Sprintf("%s (page %d)", op, max(opts.Page, 1)), err)
		}
		for _, cm := range page {
			out = append(out, commentFrom(cm))
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opts.Page = resp.NextPage
	}
}

// EnsureLabels creates those of labels the repository lacks (names compare
// case-insensitively, as on GitHub); existing labels are left as they are,
// colour and description included. A label created meanwhile by someone
// else counts as existing.
func (c *Client) EnsureLabels(ctx context.Context, labels []Label) error {
	for _, l := range labels {
		if strings.TrimSpace(l.Name) == "" {
			return fmt.Errorf("forge: ensuring labels: empty label name")
		}
	}
	have := map[string]bool{}
	opts := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := c.gh.Issues.ListLabels(ctx, c.owner, c.repo, opts)
		if err != nil {
			return apiError(fmt.Sprintf("listing labels (page %d)", max(opts.Page, 1)), err)
		}
		for _, l := range page {
			have[strings.ToLower(l.GetName())] = true
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	for _, l := range labels {
		key := strings.ToLower(l.Name)
		if have[key] {
			continue
		}
		gl := &github.Label{Name: github.String(l.Name)}
		if l.Color != "" {
			gl.Color = github.String(strings.TrimPrefix(l.Color, "#"))
		}
		if l.Description != "" {
			gl.Description = github.String(l.Description)
		}
		if _, _, err := c.gh.Issues.CreateLabel(ctx, c.owner, c.repo, gl); err != nil && !alreadyExists(err) {
			return apiError(fmt.Sprintf("creating label %q", l.Name), err)
		}
		have[key] = true
	}
	return nil
}

// alreadyExists reports a 422 whose error code is already_exists.
func alreadyExists(err error) bool {
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response == nil || er.Response.StatusCode != http.StatusUnprocessableEntity {
		return false
	}
	for _, e := range er.Errors {
		if e.Code == "already_exists" {
			return true
		}
	}
	return false
}

// roles are the repository roles Permission returns.
var roles = map[string]bool{"admin": true, "maintain": true, "write": true, "triage": true, "read": true, "none": true}

// Permission returns user's role on the repository: "admin", "maintain",
// "write", "triage", "read" or "none" (also for a user who is not a
// collaborator: GitHub answers 404). It reads role_name, which go-github
// v60 does not model (its "permission" field folds maintain into write and
// triage into read); a custom role is reported as the base permission
// GitHub gives for it.
func (c *Client) Permission(ctx context.Context, user string) (string, error) {
	op := fmt.Sprintf("reading the permission of %q", user)
	if user == "" || strings.ContainsAny(user, "/?#") {
		return "", fmt.Errorf("forge: %s: not a login", op)
	}
	req, err := c.gh.NewRequest(http.MethodGet,
		fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", c.owner, c.repo, url.PathEscape(user)), nil)
	if err != nil {
		return "", apiError(op, err)
	}
	var out struct {
		Permission string `json:"permission"`
		RoleName   string `json:"role_name"`
	}
	if _, err := c.gh.Do(ctx, req, &out); err != nil {
		var er *github.ErrorResponse
		if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
			return "none", nil
		}
		return "", apiError(op, err)
	}
	if roles[out.RoleName] {
		return out.RoleName, nil
	}
	if roles[out.Permission] {
		return out.Permission, nil
	}
	return "", fmt.Errorf("forge: %s: unknown permission %q (role %q)", op, out.Permission, out.RoleName)
}

// APICalls returns how many HTTP requests this client has sent to the API
// so far, retries included (installation-token requests made by an
// AppTransport are not counted: they do not draw on the installation's
// rate limit).
func (c *Client) APICalls() int { return int(c.calls.Load()) }
