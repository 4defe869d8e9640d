package forge

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"
)

// MaxCommentChars is GitHub's limit on a comment body, in characters; a
// longer body is refused with 422 "Body is too long".
const MaxCommentChars = 65536

// Marker returns the hidden HTML comment that identifies benchgate's comment
// for one workflow and suite: "<!-- benchgate:comment workflow=W suite=S -->".
// Both names are query-escaped, so no name can close the HTML comment or
// collide with another pair.
func Marker(workflow, suite string) string {
	return "<!-- benchgate:comment workflow=" + url.QueryEscape(workflow) +
		" suite=" + url.QueryEscape(suite) + " -->"
}

// Comment is a pull-request (issue) comment written by benchgate.
type Comment struct {
	ID      int64
	URL     string // html_url
	Created bool   // true when this call created it, false when it edited one
}

// UpsertComment makes body, followed by marker, the one comment of marker on
// pull request pr: it edits the oldest comment that carries marker and was
// written by the client's BotLogin, or creates one when there is none. Other
// comments with the same marker and author (left by two runs racing) are
// deleted. Comments by anyone else are never touched, even when they quote
// the marker. An unchanged body is not re-sent.
func (c *Client) UpsertComment(ctx context.Context, pr int, marker, body string) (Comment, error) {
	if !strings.HasPrefix(marker, "<!--") || !strings.HasSuffix(marker, "-->") {
		return Comment{}, fmt.Errorf("forge: comment marker %q: want an HTML comment", marker)
	}
	full := body + "\n\n" + marker + "\n"
	if n := utf8.RuneCountInString(full); n > MaxCommentChars {
		return Comment{}, fmt.Errorf("forge: comment on #%d: %d characters, more than GitHub's %d", pr, n, MaxCommentChars)
	}
	ours, err := c.findComments(ctx, pr, marker)
	if err != nil {
		return Comment{}, err
	}
	if len(ours) == 0 {
		created, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, pr, &github.IssueComment{Body: &full})
		if err != nil {
			return Comment{}, apiError(fmt.Sprintf("creating comment on #%d", pr), err)
		}
		// Another run may have created one at the same time: list again
		// and keep the oldest.
		ours, err = c.findComments(ctx, pr, marker)
		if err != nil {
			return Comment{}, err
		}
		if len(ours) <= 1 {
			return Comment{ID: created.GetID(), URL: created.GetHTMLURL(), Created: true}, nil
		}
	}
	keep := ours[0]
	for _, dup := range ours[1:] {
		if _, err := c.gh.Issues.DeleteComment(ctx, c.owner, c.repo, dup.GetID()); err != nil {
			return Comment{}, apiError(fmt.Sprintf("deleting duplicate comment %d on #%d", dup.GetID(), pr), err)
		}
	}
	if keep.GetBody() == full {
		return Comment{ID: keep.GetID(), URL: keep.GetHTMLURL()}, nil
	}
	edited, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, keep.GetID(), &github.IssueComment{Body: &full})
	if err != nil {
		return Comment{}, apiError(fmt.Sprintf("editing comment %d on #%d", keep.GetID(), pr), err)
	}
	return Comment{ID: edited.GetID(), URL: edited.GetHTMLURL()}, nil
}

// findComments lists every comment of pr (100 a page) and returns those
// carrying marker and written by the bot, oldest first.
func (c *Client) findComments(ctx context.Context, pr int, marker string) ([]*github.IssueComment, error) {
	var ours []*github.IssueComment
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, pr, opts)
		if err != nil {
			return nil, apiError(fmt.Sprintf("listing comments of #%d", pr), err)
		}
		for _, cm := range page {
			if strings.Contains(cm.GetBody(), marker) && strings.EqualFold(cm.GetUser().GetLogin(), c.botLogin) {
				ours = append(ours, cm)
			}
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	// Note: ids grow with creation time; sorting by id gives the oldest.
	slices.SortFunc(ours, func(a, b *github.IssueComment) int { return cmp.Compare(a.GetID(), b.GetID()) })
	return ours, nil
}
