package ghaction

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/comparison"
	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/forkfile"
	gitcmd "github.com/benchgate/benchgate/internal/git"
	"github.com/benchgate/benchgate/internal/report"
)

// ForkOptions configure PostFork.
type ForkOptions struct {
	// File is the fork's results file (forkfile.Read).
	File *forkfile.File
	// Gate is the trusted checkout's gate configuration (its suite's
	// thresholds); the file's fail-on applies.
	Gate comparison.Config
	// PR is the pull request when neither the event nor the file names
	// one; 0 finds it by the head SHA.
	PR int
}

// Posted is what PostFork posted.
type Posted struct {
	PR        int
	CommentID int64
}

// PostFork posts a fork pull request's comment and check run from the
// results file its read-only run left, from a privileged workflow_run
// workflow, once GitHub confirms that the pull request's head is still the
// commit measured. The token is INPUT_GITHUB-TOKEN, else GITHUB_TOKEN.
func PostFork(ctx context.Context, e Env, o ForkOptions) (Posted, error) {
	fr := o.File
	ev, err := actions.ReadEvent(e.Getenv)
	if err != nil {
		return Posted{}, err
	}
	if !strings.EqualFold(fr.Repository, ev.Repository) {
		return Posted{}, fmt.Errorf("repository %q is not this workflow's %q", fr.Repository, ev.Repository)
	}
	if wr := ev.WorkflowRun; wr != nil && wr.HeadSHA != fr.HeadSHA {
		return Posted{}, fmt.Errorf("head_sha %s is not the workflow run's head %s", fr.HeadSHA, wr.HeadSHA)
	}
	token := forge.Token(strings.TrimSpace(e.Getenv("INPUT_GITHUB-TOKEN")))
	if token == "" {
		token = forge.Token(e.Getenv("GITHUB_TOKEN"))
	}
	if token == "" {
		return Posted{}, errors.New("no token: pass github-token (with:) or GITHUB_TOKEN (env:)")
	}
	actions.New(e.Stdout, e.Getenv).Mask(token.Reveal())
	client, err := forge.New(ctx, forge.Config{APIURL: e.Getenv("GITHUB_API_URL"), Token: token, Repository: ev.Repository, Log: e.Log})
	if err != nil {
		return Posted{}, err
	}
	n, err := forkTarget(ctx, client, ev, fr, o.PR)
	if err != nil {
		return Posted{}, err
	}
	// Note: the file comes from the fork's run, whose workflow the fork
	// controls: it carries results, not text; the comparison and every
	// word of the comment are produced here (forkfile.File.Render). The
	// link to the full report points at the fork's run, by its id from the
	// trusted workflow_run event, never at a URL from the file.
	reportURL := ""
	if wr := ev.WorkflowRun; wr != nil && wr.ID > 0 && e.Getenv("GITHUB_SERVER_URL") != "" {
		reportURL = fmt.Sprintf("%s/%s/actions/runs/%d", strings.TrimRight(e.Getenv("GITHUB_SERVER_URL"), "/"), ev.Repository, wr.ID)
	}
	r, err := fr.Render(o.Gate, reportURL)
	if err != nil {
		return Posted{}, err
	}
	// Note: the fork chose both sides' numbers, so its verdict is advisory:
	// the check is always neutral, under a name no trusted run uses, so it
	// can never satisfy (or spoof) a required "benchgate / <suite>" check.
	if _, err := client.PublishCheck(ctx, forge.Check{Suite: fr.Suite + " (fork, advisory)", HeadSHA: fr.HeadSHA, Conclusion: comparison.ConclusionNeutral,
		Title: report.Truncate("advisory, from a fork's run: "+r.Title+" (would be "+r.Outcome.Conclusion()+")", 200), Summary: r.Body}); err != nil {
		return Posted{}, err
	}
	cm, err := client.UpsertComment(ctx, n, forge.Marker(fr.Workflow, fr.Suite), r.Body)
	if err != nil {
		return Posted{}, err
	}
	return Posted{PR: n, CommentID: cm.ID}, nil
}

// forkTarget finds the pull request to comment on and checks that its
// head is still the commit measured: the file's number (or flagPR),
// checked against the event's list when it has one, else the open pull
// request whose head is the commit.
func forkTarget(ctx context.Context, client *forge.Client, ev *actions.Event, fr *forkfile.File, flagPR int) (int, error) {
	n := fr.PRNumber
	if flagPR > 0 {
		n = flagPR
	}
	if wr := ev.WorkflowRun; wr != nil && len(wr.PRNumbers) > 0 && n > 0 && !slices.Contains(wr.PRNumbers, n) {
		return 0, fmt.Errorf("pull request #%d is not one of the workflow run's %v", n, wr.PRNumbers)
	}
	if n == 0 {
		prs, err := client.PullRequestsForCommit(ctx, fr.HeadSHA)
		if err != nil {
			return 0, err
		}
		var open []int
		for _, p := range prs {
			if p.State == "open" {
				open = append(open, p.Number)
			}
		}
		if len(open) != 1 {
			return 0, fmt.Errorf("head %s: want exactly one open pull request, found %v", gitcmd.Short(fr.HeadSHA), open)
		}
		n = open[0]
	}
	if _, err := client.VerifyHead(ctx, n, fr.HeadSHA); err != nil {
		return 0, err
	}
	return n, nil
}
