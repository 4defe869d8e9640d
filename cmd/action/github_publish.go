package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/benchgate/benchgate/internal/actions"
	"github.com/benchgate/benchgate/internal/forge"
	"github.com/benchgate/benchgate/internal/report"
	"github.com/benchgate/benchgate/internal/store"
)

// historyPoints bounds the points of a history chart.
const historyPoints = 20

// publish writes every report: job summary, outputs, annotations, then
// the check run and the PR comment (or, with a read-only token, the fork
// results file).
func (g *ghMode) publish(ctx context.Context, st *store.DB, out *outcome) error {
	ci := report.CommentInput{Suite: g.suiteName, Comparison: out.cmp, NoBaseline: out.noBaseline, Baseline: out.baseline,
		Environment: out.env, Charts: g.charts(ctx, st, out), ReportURL: g.runURL(), HeadSHA: g.ev.HeadSHA}
	body := report.Comment(ci)
	if g.in.JobSummary {
		full := ci
		full.MaxChars = actions.MaxSummaryBytes
		if _, err := g.rt.WriteSummary(report.Comment(full)); err != nil {
			return err
		}
	}
	var js bytes.Buffer
	if out.cmp != nil {
		if err := report.JSON(&js, out.cmp); err != nil {
			return err
		}
	} else {
		_ = json.NewEncoder(&js).Encode(map[string]string{"verdict": out.verdict, "no_baseline": out.noBaseline})
	}
	regs, imps := 0, 0
	if out.cmp != nil {
		regs, imps = out.cmp.Summary.Regressed, out.cmp.Summary.Improved
	}
	if err := g.rt.SetOutputs(
		[2]string{"verdict", out.verdict},
		[2]string{"regressions", strconv.Itoa(regs)},
		[2]string{"improvements", strconv.Itoa(imps)},
		[2]string{"report-markdown", body},
		[2]string{"report-json", strings.TrimRight(js.String(), "\n")},
		[2]string{"baseline-sha", out.baselineSHA},
	); err != nil {
		return err
	}
	fmt.Fprintf(g.e.stdout, "benchgate: %s\n", out.headline)
	g.rt.Annotate(g.annotations(out))
	return g.publishAPI(ctx, out, ci, body)
}

// publishAPI posts the check run and the comment; a read-only token (a
// fork's pull request, or a 403 on a write) leaves the fork results file
// for a workflow_run workflow instead.
func (g *ghMode) publishAPI(ctx context.Context, out *outcome, ci report.CommentInput, body string) error {
	if g.ev.Fork && g.ev.Name == "pull_request" {
		g.e.log.Info("a fork's pull request has a read-only token: leaving the comment for a workflow_run workflow", "file", forkFile)
		return g.writeForkFile(out, ci)
	}
	if g.in.GitHubToken == "" {
		g.e.log.Warn("input github-token is empty: no check run and no comment")
		return nil
	}
	client, err := g.client(ctx)
	if err != nil {
		return err
	}
	if isCommitSHA(g.ev.HeadSHA) {
		id, err := client.PublishCheck(ctx, g.check(out, body))
		switch {
		case forbidden(err):
			g.e.log.Warn("the token may not create check runs (read-only): leaving the results file", "file", forkFile, "error", err)
			return g.writeForkFile(out, ci)
		case err != nil:
			return err
		}
		g.e.log.Info("published the check run", "name", forge.CheckName(g.suiteName), "id", id, "head", g.ev.HeadSHA)
	}
	if !g.ev.IsPullRequest() || g.in.CommentOnPR == "never" {
		return nil
	}
	marker := forge.Marker(g.e.getenv("GITHUB_WORKFLOW"), g.suiteName)
	changed := out.cmp != nil && (out.cmp.Summary.Regressed > 0 || out.cmp.Summary.Improved > 0 || len(out.cmp.Failed) > 0)
	var cm forge.Comment
	existed := true
	if g.in.CommentOnPR == "on-change" && !changed {
		cm, existed, err = client.UpdateComment(ctx, g.ev.PRNumber, marker, body)
	} else {
		cm, err = client.UpsertComment(ctx, g.ev.PRNumber, marker, body)
	}
	switch {
	case forbidden(err):
		g.e.log.Warn("the token may not comment (read-only): leaving the results file", "file", forkFile, "error", err)
		return g.writeForkFile(out, ci)
	case err != nil:
		return err
	case !existed:
		g.e.log.Info("nothing changed and no comment exists: not commenting (comment-on-pr: on-change)")
	default:
		g.e.log.Info("commented", "pr", g.ev.PRNumber, "comment", cm.ID, "created", cm.Created)
	}
	return nil
}

// forbidden reports whether err is GitHub's 403 (a read-only token).
func forbidden(err error) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden
}

// conclusion is the check run's conclusion.
func (g *ghMode) conclusion(out *outcome) string {
	switch c := out.cmp; {
	case c == nil && out.failed > 0 && g.in.FailOn != "never":
		return "failure"
	case c == nil:
		return "neutral"
	case c.Regressed() && g.in.FailOn != "never":
		return "failure"
	case c.Summary.Regressed > 0 || len(c.Failed) > 0:
		return "neutral"
	}
	return "success"
}

// check is the `benchgate / <suite>` check run on the head commit.
func (g *ghMode) check(out *outcome, body string) forge.Check {
	ch := forge.Check{Suite: g.suiteName, HeadSHA: g.ev.HeadSHA, Conclusion: g.conclusion(out),
		Title: truncateRunes(out.headline, 200), Summary: body, DetailsURL: g.runURL()}
	for _, a := range g.annotations(out) {
		if a.File == "" {
			continue
		}
		level := "warning"
		if a.Level == actions.Error {
			level = "failure"
		}
		ch.Annotations = append(ch.Annotations, forge.CheckAnnotation{Path: a.File, StartLine: 1, EndLine: 1,
			Level: level, Title: a.Title, Message: a.Message})
	}
	return ch
}

// annotations are one per regressed series and failed benchmark, on the
// suite file (or the first results file) when the workspace holds it.
func (g *ghMode) annotations(out *outcome) []actions.Annotation {
	c := out.cmp
	if c == nil {
		return nil
	}
	file := g.annotationFile()
	var anns []actions.Annotation
	for _, r := range c.Rows {
		if !r.Severity.IsRegression() {
			continue
		}
		level := actions.Warning
		if c.Regressed() && g.in.FailOn != "never" && r.Severity.Reaches(c.FailOn.Severity()) {
			level = actions.Error
		}
		name := r.Key.Benchmark
		if r.Key.Params != "" {
			name += " [" + report.DisplayParams(r.Key.Params) + "]"
		}
		anns = append(anns, actions.Annotation{Level: level, File: file,
			Title: fmt.Sprintf("benchgate: %s regressed (%s)", oneLineText(name), r.Severity),
			Message: fmt.Sprintf("%s %s on %s: %s → %s, change %s [%s, %s], p %s",
				oneLineText(name), r.Key.Metric, r.Key.Hardware, report.FormatValue(r.BaseMedian, r.Unit), report.FormatValue(r.HeadMedian, r.Unit),
				report.FormatChange(r.Change), report.FormatChange(r.Low), report.FormatChange(r.High), report.FormatP(r.P))})
	}
	for _, f := range c.Failed {
		anns = append(anns, actions.Annotation{Level: actions.Error, File: file,
			Title:   "benchgate: benchmark failed: " + oneLineText(f.Name),
			Message: fmt.Sprintf("%s on %s failed (%s): %s", oneLineText(f.Name), f.Hardware.Type, f.Failure.Type, truncateRunes(oneLineText(f.Failure.Message), 500))})
	}
	return anns
}

// annotationFile is the repository-relative path annotations point at.
func (g *ghMode) annotationFile() string {
	p := g.suitePath
	if p == "" && len(g.in.ResultsFile) > 0 {
		p = g.resolve(g.in.ResultsFile[0])
	}
	if p == "" {
		return ""
	}
	rel, err := filepath.Rel(g.ws, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

// charts are the recent histories of the regressed series, from the
// database (the data branch and this run).
func (g *ghMode) charts(ctx context.Context, st *store.DB, out *outcome) []report.Chart {
	if out.cmp == nil {
		return nil
	}
	var charts []report.Chart
	for _, r := range out.cmp.Rows {
		if !r.Severity.IsRegression() || len(charts) == 5 {
			continue
		}
		key := r.Key
		key.Runner = out.headRun.Runner
		pts, err := st.History(ctx, key, historyPoints)
		if err != nil {
			g.e.log.Warn("reading a series' history", "series", key.String(), "error", err)
			continue
		}
		ch := report.Chart{Key: r.Key, Unit: r.Unit}
		for _, p := range pts {
			if len(p.Samples) == 0 {
				continue
			}
			ch.Labels = append(ch.Labels, short7(p.Run.Commit))
			ch.Values = append(ch.Values, median(p.Samples))
		}
		charts = append(charts, ch)
	}
	return charts
}

// runURL is the workflow run's page; "" outside Actions.
func (g *ghMode) runURL() string {
	server, repo, id := g.e.getenv("GITHUB_SERVER_URL"), g.ev.Repository, g.e.getenv("GITHUB_RUN_ID")
	if server == "" || repo == "" || id == "" {
		return ""
	}
	return strings.TrimRight(server, "/") + "/" + repo + "/actions/runs/" + id
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func short7(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// isCommitSHA reports whether s is a full commit id.
func isCommitSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}

// oneLineText strips line breaks and control characters.
func oneLineText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
