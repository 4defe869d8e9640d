package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/benchgate/benchgate/internal/report"
)

// The maintainer commands, written "/benchgate <command> [argument]" at the
// start of a line of an issue comment.
const (
	CmdAck     = "ack"     // keep the issue open, stop pinging
	CmdAccept  = "accept"  // close it; the new level is the baseline
	CmdInvalid = "invalid" // close it as not a regression; never refiled
	CmdInfra   = "infra"   // relabel it as an infrastructure change
)

// Reply is what Command did: Text is a Markdown reply for the issue,
// already posted by Command when Posted (accept's), else for the caller to
// post; Done says whether labels or state changed.
type Reply struct {
	Done   bool
	Posted bool
	Text   string
	// Labels and State are the issue's after the command.
	Labels []string
	State  string
}

// writers are the permissions that may run commands.
var writers = []string{"admin", "maintain", "write"}

// Command runs maintainer command cmd (with argument arg) from user on
// issue, a bot issue: only users with write, maintain or admin permission
// (gh.Permission) may; others get a refusal and nothing changes. ack adds
// LabelAck; accept closes the issue as completed with LabelAccepted,
// records the accepted first bad commit in the marker and comments the
// reason (escaped); invalid closes it as not planned with LabelInvalid;
// infra swaps LabelRegression for LabelInfra.
func Command(ctx context.Context, gh GitHub, issue Issue, user, cmd, arg string) (Reply, error) {
	r := Reply{Labels: issue.Labels, State: issue.State}
	who := "@\u2060" + report.OneLine(user)
	if !hasLabel(issue, LabelBot) {
		r.Text = "This is not a benchgate issue; /benchgate commands work on the bot's issues only."
		return r, nil
	}
	perm, err := gh.Permission(ctx, user)
	if err != nil {
		return r, fmt.Errorf("checking %s's permission: %w", report.OneLine(user), err)
	}
	if !slices.Contains(writers, perm) {
		r.Text = fmt.Sprintf("Sorry %s, /benchgate commands need write access to the repository (you have %s).", report.EscapeMarkdown(who), report.EscapeMarkdown(perm))
		return r, nil
	}
	labels := slices.Clone(issue.Labels)
	add := func(l string) {
		if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	remove := func(l string) { labels = slices.DeleteFunc(labels, func(x string) bool { return x == l }) }
	e := IssueEdit{Labels: &labels}
	switch strings.ToLower(cmd) {
	case CmdAck:
		add(LabelAck)
		r.Text = "Acknowledged: the issue stays open and benchgate will not comment on it again."
	case CmdAccept:
		add(LabelAccepted)
		remove(LabelAck)
		e.State, e.StateReason = ptr("closed"), ptr("completed")
		if m, ok := ParseMarker(issue.Body); ok {
			m.Accepted = m.Bad
			e.Body = ptr(withMarker(issue.Body, m))
		}
		reason := strings.TrimSpace(arg)
		if reason == "" {
			reason = "(no reason given)"
		}
		r.Text = fmt.Sprintf("Accepted by %s: the new level is the baseline from now on.\n\n> %s", report.EscapeMarkdown(who), report.EscapeMarkdown(reason))
	case CmdInvalid:
		add(LabelInvalid)
		remove(LabelAck)
		e.State, e.StateReason = ptr("closed"), ptr("not_planned")
		r.Text = "Marked invalid: closed, and benchgate will not file this range again."
	case CmdInfra:
		add(LabelInfra)
		remove(LabelRegression)
		r.Text = "Relabelled as an infrastructure change."
	default:
		r.Text = fmt.Sprintf("Unknown command %s; the commands are ack, accept <reason>, invalid and infra.", report.CodeSpan(report.Truncate(cmd, 40)))
		return r, nil
	}
	if _, err := gh.EditIssue(ctx, issue.Number, e); err != nil {
		return r, fmt.Errorf("applying /benchgate %s to #%d: %w", cmd, issue.Number, err)
	}
	r.Done, r.Labels = true, labels
	if e.State != nil {
		r.State = *e.State
	}
	if strings.ToLower(cmd) == CmdAccept {
		if _, err := gh.CreateIssueComment(ctx, issue.Number, r.Text); err != nil {
			return r, fmt.Errorf("commenting on #%d: %w", issue.Number, err)
		}
		r.Posted = true
	}
	return r, nil
}
