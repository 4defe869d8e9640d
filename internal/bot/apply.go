package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/benchgate/benchgate/internal/report"
)

// Stats counts the actions Apply carried out, by kind.
type Stats struct {
	Opened, Updated, Commented, Closed, Reopened, Digests int
}

// Apply carries out p's actions in order through gh, after ensuring the
// bot's labels; it stops at the first error, returning what was done.
func Apply(ctx context.Context, gh GitHub, p Plan) (Stats, error) {
	var st Stats
	if len(p.Actions) == 0 {
		return st, nil
	}
	if err := gh.EnsureLabels(ctx, Labels); err != nil {
		return st, fmt.Errorf("ensuring the bot's labels: %w", err)
	}
	for i, a := range p.Actions {
		if err := apply(ctx, gh, a, &st); err != nil {
			return st, fmt.Errorf("action %d of %d (%s #%d): %w", i+1, len(p.Actions), a.Kind, a.Issue, err)
		}
	}
	return st, nil
}

func ptr[T any](v T) *T { return &v }

func apply(ctx context.Context, gh GitHub, a Action, st *Stats) error {
	switch a.Kind {
	case KindOpen:
		if _, err := gh.CreateIssue(ctx, a.Title, a.Body, a.Labels); err != nil {
			return err
		}
		st.Opened++
	case KindUpdate:
		if _, err := gh.EditIssue(ctx, a.Issue, IssueEdit{Title: ptr(a.Title), Body: ptr(a.Body)}); err != nil {
			return err
		}
		st.Updated++
	case KindComment:
		if _, err := gh.CreateIssueComment(ctx, a.Issue, a.Comment); err != nil {
			return err
		}
		st.Commented++
	case KindClose:
		if a.Comment != "" {
			if _, err := gh.CreateIssueComment(ctx, a.Issue, a.Comment); err != nil {
				return err
			}
		}
		e := IssueEdit{State: ptr("closed"), StateReason: ptr(a.StateReason)}
		if a.Body != "" {
			e.Body = ptr(a.Body)
		}
		if _, err := gh.EditIssue(ctx, a.Issue, e); err != nil {
			return err
		}
		st.Closed++
	case KindReopen:
		if _, err := gh.EditIssue(ctx, a.Issue, IssueEdit{Title: ptr(a.Title), Body: ptr(a.Body), State: ptr("open")}); err != nil {
			return err
		}
		if a.Comment != "" {
			if _, err := gh.CreateIssueComment(ctx, a.Issue, a.Comment); err != nil {
				return err
			}
		}
		st.Reopened++
	case KindDigest:
		var err error
		if a.Issue == 0 {
			_, err = gh.CreateIssue(ctx, a.Title, a.Body, a.Labels)
		} else {
			_, err = gh.EditIssue(ctx, a.Issue, IssueEdit{Title: ptr(a.Title), Body: ptr(a.Body), State: ptr("open")})
		}
		if err != nil {
			return err
		}
		st.Digests++
	default:
		return fmt.Errorf("unknown action kind %q", a.Kind)
	}
	return nil
}

// WriteTable writes p as a table, one action a line (for --dry-run).
func (p Plan) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%d actions on %s\n", len(p.Actions), report.OneLine(p.Ref))
	if len(p.Actions) > 0 {
		fmt.Fprintln(tw, "action\tissue\ttitle\tlabels\treason")
	}
	for _, a := range p.Actions {
		n := "new"
		if a.Issue != 0 {
			n = fmt.Sprintf("#%d", a.Issue)
		}
		title := a.Title
		if title == "" {
			title = "-"
		}
		labels := strings.Join(a.Labels, ",")
		if labels == "" {
			labels = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Kind, n, report.OneLine(report.Truncate(title, 80)), report.OneLine(labels), report.OneLine(a.Reason))
	}
	return tw.Flush()
}

// WriteJSON writes p as indented JSON (for --dry-run --format json).
func (p Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}
