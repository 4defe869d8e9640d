package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/forge"
)

// cmdComment posts a fork pull request's comment and check run from the
// results file its read-only run left, from a privileged workflow_run
// workflow, once GitHub confirms that the pull request's head is still the
// commit measured.
func cmdComment(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "comment", "--from FILE [flags]",
		"Post the comment and the check run of a fork's pull request from the results file its\n"+
			"read-only run wrote ("+forkFile+"), from a workflow_run workflow with a write token\n"+
			"(INPUT_GITHUB-TOKEN, else GITHUB_TOKEN). The file is untrusted: its size and schema are\n"+
			"checked, its head SHA must be the workflow_run's, and the pull request's current head\n"+
			"must still be that commit. See docs/action.md, \"Fork pull requests\".")
	from := fs.String("from", forkFile, "the results file")
	pr := fs.Int("pr", 0, "pull request number when the event carries none and the file names none (default: found by the head SHA)")
	if err := parseFlags(e, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	fr, err := readForkResults(*from)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	ev, err := actions.ReadEvent(e.getenv)
	if err != nil {
		return err
	}
	if !strings.EqualFold(fr.Repository, ev.Repository) {
		return fmt.Errorf("--from: repository %q is not this workflow's %q", fr.Repository, ev.Repository)
	}
	if wr := ev.WorkflowRun; wr != nil && wr.HeadSHA != fr.HeadSHA {
		return fmt.Errorf("--from: head_sha %s is not the workflow run's head %s", fr.HeadSHA, wr.HeadSHA)
	}
	token := forge.Token(strings.TrimSpace(e.getenv("INPUT_GITHUB-TOKEN")))
	if token == "" {
		token = forge.Token(e.getenv("GITHUB_TOKEN"))
	}
	if token == "" {
		return errors.New("no token: pass github-token (with:) or GITHUB_TOKEN (env:)")
	}
	actions.New(e.stdout, e.getenv).Mask(token.Reveal())
	client, err := forge.New(ctx, forge.Config{APIURL: e.getenv("GITHUB_API_URL"), Token: token, Repository: ev.Repository, Log: e.log})
	if err != nil {
		return err
	}
	n, err := commentTarget(ctx, client, ev, fr, *pr)
	if err != nil {
		return err
	}
	// Note: the file comes from the fork's run, whose workflow the fork
	// controls: it carries results, not text; the comparison and every
	// word of the comment are produced here (forkResults.render). The
	// link to the full report points at the fork's run, by its id from the
	// trusted workflow_run event, never at a URL from the file.
	reportURL := ""
	if wr := ev.WorkflowRun; wr != nil && wr.ID > 0 && e.getenv("GITHUB_SERVER_URL") != "" {
		reportURL = fmt.Sprintf("%s/%s/actions/runs/%d", strings.TrimRight(e.getenv("GITHUB_SERVER_URL"), "/"), ev.Repository, wr.ID)
	}
	body, title, conclusion, err := fr.render(reportURL)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	// Note: the fork chose both sides' numbers, so its verdict is advisory:
	// the check is always neutral, under a name no trusted run uses, so it
	// can never satisfy (or spoof) a required "benchgate / <suite>" check.
	if _, err := client.PublishCheck(ctx, forge.Check{Suite: fr.Suite + " (fork, advisory)", HeadSHA: fr.HeadSHA, Conclusion: "neutral",
		Title: truncateRunes("advisory, from a fork's run: "+title+" (would be "+conclusion+")", 200), Summary: body}); err != nil {
		return err
	}
	cm, err := client.UpsertComment(ctx, n, forge.Marker(fr.Workflow, fr.Suite), body)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "posted the comment of %s on #%d (comment %d) and the check run %q on %s\n",
		forkFile, n, cm.ID, forge.CheckName(fr.Suite), short(fr.HeadSHA))
	return nil
}

// commentTarget finds the pull request to comment on and checks that its
// head is still the commit measured: the file's number (or --pr), checked
// against the event's list when it has one, else the open pull request
// whose head is the commit.
func commentTarget(ctx context.Context, client *forge.Client, ev *actions.Event, fr *forkResults, flagPR int) (int, error) {
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
			return 0, fmt.Errorf("head %s: want exactly one open pull request, found %v", short(fr.HeadSHA), open)
		}
		n = open[0]
	}
	if _, err := client.VerifyHead(ctx, n, fr.HeadSHA); err != nil {
		return 0, err
	}
	return n, nil
}
